import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readSnapshot } from '../../../src/ingest';
import { transformVpcEndpoints } from '../../../src/ingest/ec2/transform';
import { BASE, issueLines, json, newContext, only, PROD, readJson, rowsOf } from './apiLambdaSupport';

const FILE = `${BASE}/ec2/vpc-endpoints.json`;
const KEY = (id: string) => `arn:aws:ec2:us-east-1:${PROD}:vpc-endpoint/${id}`;

function run(data: unknown) {
  const ctx = newContext();
  transformVpcEndpoints(ctx, PROD, 'us-east-1', json(FILE, data));
  return { rows: rowsOf(ctx), problems: ctx.report.problems, warnings: ctx.report.warnings };
}

const endpoint = (extra: Record<string, unknown> = {}) => ({
  VpcEndpointId: 'vpce-0123456789abcdef0',
  VpcEndpointType: 'Interface',
  VpcId: 'vpc-0aaaaaaaaaaaaaaa1',
  ServiceName: 'com.amazonaws.us-east-1.execute-api',
  State: 'available',
  PrivateDnsEnabled: true,
  OwnerId: PROD,
  ...extra,
});
const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowInvoke = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' };

describe('transformVpcEndpoints on the seed', () => {
  it('the two execute-api endpoints (the S3 gateway endpoint is passed over), with their VPC, state and private DNS', () => {
    const ctx = newContext();
    transformVpcEndpoints(ctx, PROD, 'us-east-1', readJson(FILE));
    const rows = rowsOf(ctx);
    assert.deepEqual(issueLines(ctx.report.problems), []);
    assert.deepEqual(issueLines(ctx.report.warnings), []);
    assert.deepEqual(
      rows.vpcEndpoints.sort((a, b) => a.id.localeCompare(b.id)),
      [
        {
          key: KEY('vpce-0a1b2c3d4e5f60789'),
          id: 'vpce-0a1b2c3d4e5f60789',
          account: PROD,
          region: 'us-east-1',
          vpcId: 'vpc-0123456789abcdef0',
          serviceName: 'com.amazonaws.us-east-1.execute-api',
          endpointType: 'Interface',
          state: 'available',
          privateDnsEnabled: true,
          defaultPolicy: false,
        },
        {
          key: KEY('vpce-0fedcba9876543210'),
          id: 'vpce-0fedcba9876543210',
          account: PROD,
          region: 'us-east-1',
          vpcId: 'vpc-0fedcba98765432a1',
          serviceName: 'com.amazonaws.us-east-1.execute-api',
          endpointType: 'Interface',
          state: 'available',
          privateDnsEnabled: false,
          defaultPolicy: true,
        },
      ],
    );
  });

  it('the custom policy is a policy of kind endpoint, linked to its endpoint; the endpoint without PolicyDocument has none (the default, full access)', () => {
    const ctx = newContext();
    transformVpcEndpoints(ctx, PROD, 'us-east-1', readJson(FILE));
    const rows = rowsOf(ctx);
    const key = `${KEY('vpce-0a1b2c3d4e5f60789')}#endpoint-policy`;
    assert.deepEqual(rows.endpointPolicies, [{ from: KEY('vpce-0a1b2c3d4e5f60789'), to: key }]);
    const stored = rows.policies.find((p) => p.key === key)!;
    assert.equal(stored.kind, 'endpoint');
    assert.equal(stored.account, PROD);
    assert.deepEqual(
      (JSON.parse(stored.document!) as { Statement: { Resource: unknown }[] }).Statement[0]!.Resource,
      'arn:aws:execute-api:us-east-1:333344445555:p1q2r3s4t5/prod/GET/inventory',
    );
    assert.deepEqual(
      rows.statements.map((s) => `${s.key} ${s.sid} ${s.effect} ${s.actions?.join(',')}`),
      [`${key}#0 OnlyTheInventoryList Allow execute-api:Invoke`],
    );
  });
});

describe('transformVpcEndpoints on hand-made inputs', () => {
  it('accepts the policy as a decoded object too, and a missing PrivateDnsEnabled as unknown (null)', () => {
    const { rows, problems } = run({
      VpcEndpoints: [endpoint({ PrivateDnsEnabled: undefined, PolicyDocument: { Statement: [allowInvoke] } })],
    });
    assert.deepEqual(problems, []);
    assert.equal(rows.vpcEndpoints[0]?.privateDnsEnabled, null);
    assert.equal(rows.vpcEndpoints[0]?.defaultPolicy, false);
    assert.equal(rows.endpointPolicies.length, 1);
  });

  it('refuses a file that is not describe-vpc-endpoints output, naming the path', () => {
    assert.equal(`${only(run([]).problems).path} ${only(run([]).problems).message}`, '$ expected an object, got a list');
    const missing = only(run({ Endpoints: [] }).problems);
    assert.deepEqual([missing.file, missing.path, missing.message], [FILE, '$.VpcEndpoints', 'required list is missing']);
  });

  const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    ['a malformed endpoint id', { VpcEndpointId: 'vpce_1' }, '$.VpcEndpoints[0].VpcEndpointId', /expected a VPC endpoint id/],
    ['a missing VPC id', { VpcId: undefined }, '$.VpcEndpoints[0].VpcId', /required field is missing/],
    ['a malformed VPC id', { VpcId: 'my-vpc' }, '$.VpcEndpoints[0].VpcId', /expected a VPC id/],
    ['a missing state', { State: undefined }, '$.VpcEndpoints[0].State', /required field is missing/],
    [
      'a service name of another region',
      { ServiceName: 'com.amazonaws.eu-west-1.execute-api' },
      '$.VpcEndpoints[0].ServiceName',
      /names region eu-west-1, but the file is in the directory of region us-east-1/,
    ],
    ['an endpoint of another account', { OwnerId: '111122223333' }, '$.VpcEndpoints[0].OwnerId', /belongs to account 111122223333/],
    ['a gateway endpoint for execute-api', { VpcEndpointType: 'Gateway' }, '$.VpcEndpoints[0].VpcEndpointType', /expected Interface/],
    [
      'a private DNS setting that is not a boolean',
      { PrivateDnsEnabled: 'yes' },
      '$.VpcEndpoints[0].PrivateDnsEnabled',
      /expected true or false/,
    ],
    [
      'a policy document that is a number',
      { PolicyDocument: 7 },
      '$.VpcEndpoints[0].PolicyDocument',
      /expected the policy document as a JSON string/,
    ],
    ['a policy document that is not JSON', { PolicyDocument: '{"Statement": [' }, '$.VpcEndpoints[0].PolicyDocument', /./],
    [
      'a policy statement with a bad Effect',
      { PolicyDocument: policy([{ ...allowInvoke, Effect: 'Maybe' }]) },
      '$.VpcEndpoints[0].PolicyDocument.Statement[0].Effect',
      /./,
    ],
  ];
  for (const [what, extra, at, message] of refusals) {
    it(`refuses ${what}, naming the file and JSON path, and keeps nothing of the endpoint`, () => {
      const { rows, problems } = run({ VpcEndpoints: [endpoint(extra)] });
      const p = only(problems);
      assert.deepEqual([p.file, p.path], [FILE, at], p.message);
      assert.match(p.message, message);
      assert.deepEqual([rows.vpcEndpoints, rows.endpointPolicies, rows.policies], [[], [], []]);
    });
  }

  it('passes over endpoints of other services without reading the rest of them', () => {
    const { rows, problems } = run({
      VpcEndpoints: [endpoint({ ServiceName: 'com.amazonaws.us-east-1.s3', VpcEndpointType: 'Gateway', VpcId: 'anything' })],
    });
    assert.deepEqual([rows.vpcEndpoints, problems], [[], []]);
  });

  it('loads, with a warning, a policy AWS accepts under which no call passes (no Allow covers execute-api:Invoke)', () => {
    const { rows, problems, warnings } = run({
      VpcEndpoints: [endpoint({ PolicyDocument: policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }]) })],
    });
    assert.deepEqual(problems, []);
    const w = only(warnings);
    assert.deepEqual([w.file, w.path], [FILE, '$.VpcEndpoints[0].PolicyDocument']);
    assert.match(w.message, /no Allow statement of this endpoint policy covers execute-api:Invoke/);
    assert.equal(rows.vpcEndpoints.length, 1);
    assert.equal(rows.endpointPolicies.length, 1);
  });

  it('keeps endpoints that are not available (the analysis uses only available ones)', () => {
    const { rows } = run({ VpcEndpoints: [endpoint({ State: 'pendingAcceptance' })] });
    assert.equal(rows.vpcEndpoints[0]?.state, 'pendingAcceptance');
  });
});

describe('ec2/ in the snapshot layout', () => {
  it('reads <account>/<region>/ec2/vpc-endpoints.json and warns about other files there', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'whocan-ec2-'));
    try {
      mkdirSync(path.join(dir, PROD, 'us-east-1', 'ec2'), { recursive: true });
      writeFileSync(path.join(dir, PROD, 'us-east-1', 'ec2', 'vpc-endpoints.json'), JSON.stringify({ VpcEndpoints: [endpoint()] }));
      writeFileSync(path.join(dir, PROD, 'us-east-1', 'ec2', 'subnets.json'), '{}');
      const { rows, report } = readSnapshot(dir);
      assert.deepEqual(report.problems, []);
      assert.deepEqual(
        rows.vpcEndpoints.map((e) => e.id),
        ['vpce-0123456789abcdef0'],
      );
      assert.ok(
        report.warnings.some((w) => w.file === `${PROD}/us-east-1/ec2/subnets.json` && /expected vpc-endpoints.json/.test(w.message)),
        JSON.stringify(report.warnings),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
