import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate, PRESETS, type GeneratedManifest } from '../../../src/generate';
import { checkSnapshot, listFiles } from './snapshotShape';

function digest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of listFiles(dir))
    out.set(
      f,
      crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(dir, f)))
        .digest('hex'),
    );
  return out;
}

describe('whocan generate (small preset)', () => {
  let tmp: string;
  let a: string;
  let manifest: GeneratedManifest;
  const lines: string[] = [];

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-generate-'));
    a = path.join(tmp, 'a');
    manifest = generate({ preset: 'small', seed: 42, out: a, progress: (l) => lines.push(l) });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives byte-identical output for the same seed', () => {
    const b = path.join(tmp, 'b');
    generate({ preset: 'small', seed: 42, out: b });
    assert.deepEqual(digest(b), digest(a));
  });

  it('gives different output for a different seed', () => {
    const c = path.join(tmp, 'c');
    generate({ preset: 'small', seed: 43, out: c });
    const da = digest(a);
    const dc = digest(c);
    assert.notDeepEqual([...dc.values()].sort(), [...da.values()].sort());
  });

  it('produces the preset counts', () => {
    const p = PRESETS.small;
    const c = manifest.counts;
    assert.equal(c.accounts, p.accounts);
    assert.equal(c.users, p.users);
    assert.equal(c.groups, p.groups);
    assert.equal(c.roles, p.roles);
    assert.equal(c.customerManagedPolicies, p.policies);
    assert.equal(c.restApis, p.restApis);
    assert.equal(c.methods, p.restApis * p.methodsPerApi);
    assert.equal(c.restStages, p.restApis * p.stagesPerApi);
    assert.equal(c.httpApis, p.httpApis);
    assert.ok(c.functions >= p.restApis, 'at least one function per REST API');
    assert.ok(c.roleChains > 0 && c.longestRoleChain >= 4, 'role chains several hops deep');
    assert.ok(c.iamPages > p.accounts, 'some IAM output is paginated');
    assert.ok(c.permissionBoundaries > 0 && c.missingBoundaryPolicies > 0, 'boundaries, some missing from Policies');
    assert.ok(c.restApisWithPolicy > 0 && c.privateApis > 0);
  });

  it('writes every file in the layout with the AWS CLI shapes, and the counts match the files', () => {
    const r = checkSnapshot(a);
    assert.deepEqual(r.problems, []);
    const c = manifest.counts;
    assert.equal(r.files, c.files);
    assert.equal(r.users, c.users);
    assert.equal(r.groups, c.groups);
    assert.equal(r.roles, c.roles);
    assert.equal(r.customerManagedPolicies, c.customerManagedPolicies);
    assert.equal(r.restApis, c.restApis);
    assert.equal(r.methods, c.methods);
    assert.equal(r.restStages, c.restStages);
    assert.equal(r.httpApis, c.httpApis);
    assert.equal(r.routes, c.routes);
    assert.equal(r.functions, c.functions);
    assert.equal(r.functionPolicies, c.functionPolicies);
    assert.equal(r.executeApiEndpoints, c.executeApiEndpoints);
    assert.equal(r.endpointPolicies, c.endpointPolicies);
    // Each private API's endpoint, and one more per account and region with private APIs.
    assert.ok(c.executeApiEndpoints > c.privateApis, 'endpoints for every private API');
    assert.deepEqual(r.duplicateArns, []);
    assert.ok(r.nonDefaultVersions > 0, 'some managed policies keep older versions');
  });

  it('uses every kind of wildcard, condition and grant the spec asks for', () => {
    let text = '';
    for (const f of listFiles(a)) text += fs.readFileSync(path.join(a, f), 'utf8');
    for (const needle of [
      '"execute-api:*"',
      '"execute-api:Inv*"',
      '"Action": "*"',
      '?/',
      'aws:SourceIp',
      'aws:PrincipalTag/team',
      'aws:MultiFactorAuthPresent',
      'sts:ExternalId',
      '"NotAction"',
      '"NotResource"',
      '"Effect": "Deny"',
      '{proxy+}',
      '"ANY"',
      'arn:aws:iam::*:user/*',
      '"credentials": "arn:aws:iam::',
      'apigateway.amazonaws.com',
      '"PRIVATE"',
      'aws:SourceVpce',
      '"JWT"',
      '"COGNITO_USER_POOLS"',
      '"CUSTOM"',
      'RESOURCE_CONTROL_POLICY',
      'iam:PassRole',
      'AWS:SourceArn',
      'com.amazonaws.us-east-1.execute-api',
      '"VpcEndpoints"',
    ]) {
      assert.ok(text.includes(needle), `output should contain ${needle}`);
    }
  });

  it('writes generated.json and reports progress', () => {
    const written = JSON.parse(fs.readFileSync(path.join(a, 'generated.json'), 'utf8')) as GeneratedManifest;
    assert.equal(written.preset, 'small');
    assert.equal(written.seed, 42);
    assert.deepEqual(written.counts, manifest.counts);
    assert.ok(lines.some((l) => l.startsWith('account 1/3')));
  });
});
