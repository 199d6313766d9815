import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { seedDir } from '../../../src/config/paths';
import { AccessModel } from '../../../src/analysis/accessModel';
import { bruteForceWhoCan, decideAssume, externalAccounts } from '../../../src/analysis/bruteForce';
import { decide, decideInvoke, type Caller } from '../../../src/analysis/decide';
import { readSnapshot } from '../../../src/ingest';
import type { AuthorizationType, EndpointType } from '../../../src/policy';

/**
 * The reference analysis on seed/, checked against the answers worked out by
 * hand in seed/README.md (Q1–Q9). The fast analysis is later compared with
 * this reference on generated organizations.
 */
const PROD = '333344445555';
const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;
const H = `arn:aws:execute-api:us-east-1:${PROD}:h7t8p9a0b1`;

let model: AccessModel;

function whoCanInvoke(requestArn: string, apiId: string, verb: string, path: string, maxHops = 5, context?: Record<string, string>) {
  const api = [...model.apis.values()].find((a) => a.row.id === apiId);
  assert.ok(api, apiId);
  const method = api.methods.find((m) => m.verb === verb && m.path === path);
  assert.ok(method, `${verb} ${path}`);
  const request = {
    action: 'execute-api:Invoke',
    resource: requestArn,
    resourceAccount: api.row.account,
    resourcePolicy: api.resourcePolicy,
    authorizationType: method.authorizationType as AuthorizationType,
    endpointType: api.row.endpointType as EndpointType,
    ...(context ? { context } : {}),
  };
  const reached = bruteForceWhoCan(model, (caller: Caller) => decideInvoke(model, caller, request), {
    maxHops,
    extraCallers: [{ type: 'anonymous' }],
    ...(context ? { context } : {}),
  });
  return new Map([...reached].map(([arn, r]) => [arn.replace(/^arn:aws:iam::\d{12}:(user|role)\//, '').replace(/^arn:aws:iam::(\d{12}):root$/, 'account:$1'), r]));
}

describe('brute-force reference analysis on seed/', () => {
  before(() => {
    model = AccessModel.fromRows(readSnapshot(seedDir()).rows);
  });

  it('finds the partner account named by policies but not ingested', () => {
    assert.deepEqual(externalAccounts(model), ['999988887777']);
  });

  it('Q1 GET /pets on prod: the hand-worked answer, with org-admin through OrganizationAccountAccessRole', () => {
    const answer = whoCanInvoke(`${X}/prod/GET/pets`, 'a1b2c3d4e5', 'GET', '/pets');
    assert.deepEqual([...answer.keys()].sort(), ['OrganizationAccountAccessRole', 'account:999988887777', 'bob-caller', 'carol-caller', 'judy-analyst', 'org-admin', 'reporting-role']);
    assert.equal(answer.get('org-admin')?.hops, 1);
    assert.deepEqual(answer.get('org-admin')?.chain, [`arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`]);
    assert.equal(answer.get('bob-caller')?.hops, 0);
  });

  it('Q1 carol-caller is conditional on aws:SourceIp, and decided when the context is given', () => {
    const api = [...model.apis.values()].find((a) => a.row.id === 'a1b2c3d4e5')!;
    const carol = model.principals.get(`arn:aws:iam::${PROD}:user/carol-caller`)!;
    const request = { action: 'execute-api:Invoke', resource: `${X}/prod/GET/pets`, resourcePolicy: api.resourcePolicy, authorizationType: 'AWS_IAM' as const, endpointType: 'REGIONAL' as const };
    const open = decideInvoke(model, { type: 'principal', entry: carol }, request);
    assert.equal(open.decision, 'conditional');
    assert.deepEqual(open.conditional?.missingKeys, ['aws:sourceip']);
    assert.equal(decideInvoke(model, { type: 'principal', entry: carol }, { ...request, context: { 'aws:SourceIp': '198.51.100.7' } }).decision, 'allowed');
    assert.equal(decideInvoke(model, { type: 'principal', entry: carol }, { ...request, context: { 'aws:SourceIp': '192.0.2.1' } }).decision, 'implicitDeny');
  });

  it('Q1 DELETE /pets/{id} on prod: bob-caller is explicitly denied; OrganizationAccountAccessRole (← org-admin) is allowed', () => {
    const answer = whoCanInvoke(`${X}/prod/DELETE/pets/42`, 'a1b2c3d4e5', 'DELETE', '/pets/{id}');
    assert.deepEqual([...answer.keys()].sort(), ['OrganizationAccountAccessRole', 'org-admin']);
  });

  it('Q1 POST /pets on prod: partner principals reach partner-integration (conditional on sts:ExternalId)', () => {
    const answer = whoCanInvoke(`${X}/prod/POST/pets`, 'a1b2c3d4e5', 'POST', '/pets');
    assert.deepEqual([...answer.keys()].sort(), ['OrganizationAccountAccessRole', 'account:999988887777', 'bob-caller', 'org-admin', 'partner-integration']);
    assert.equal(answer.get('account:999988887777')?.hops, 1);
    const partner: Caller = { type: 'account', account: '999988887777' };
    const assume = decideAssume(model, partner, `arn:aws:iam::${PROD}:role/partner-integration`);
    assert.equal(assume?.decision, 'conditional');
    assert.deepEqual(assume?.conditional?.missingKeys, ['sts:externalid']);
  });

  it('Q1 ANY /admin/{proxy+}: petstore-operator through ops-jump from ivan-ops (3 hops to platform-admin is not needed)', () => {
    const answer = whoCanInvoke(`${X}/prod/GET/admin/stats`, 'a1b2c3d4e5', 'ANY', '/admin/{proxy+}');
    assert.deepEqual([...answer.keys()].sort(), ['OrganizationAccountAccessRole', 'ivan-ops', 'ops-jump', 'org-admin', 'petstore-operator']);
    assert.equal(answer.get('ivan-ops')?.hops, 2);
    assert.equal(answer.get('ops-jump')?.hops, 1);
    const limited = whoCanInvoke(`${X}/prod/GET/admin/stats`, 'a1b2c3d4e5', 'ANY', '/admin/{proxy+}', 1);
    assert.ok(!limited.has('ivan-ops'), 'max hops limits the chains');
    assert.ok(limited.has('ops-jump'));
  });

  it('Q2 staging: erin-boundary may GET but not POST (her boundary)', () => {
    assert.ok(whoCanInvoke(`${X}/staging/GET/pets`, 'a1b2c3d4e5', 'GET', '/pets').has('erin-boundary'));
    const post = whoCanInvoke(`${X}/staging/POST/pets`, 'a1b2c3d4e5', 'POST', '/pets');
    assert.deepEqual([...post.keys()].sort(), ['OrganizationAccountAccessRole', 'alice-apidev', 'org-admin']);
  });

  it('Q3 GET /health on petstore-web is public, anonymous included', () => {
    const W = `arn:aws:execute-api:us-east-1:${PROD}:k9l8m7n6o5`;
    const answer = whoCanInvoke(`${W}/prod/GET/health`, 'k9l8m7n6o5', 'GET', '/health');
    assert.ok(answer.has('anonymous'));
  });

  it('Q5 HTTP API GET /events: events-reader ← judy-analyst, not judy directly', () => {
    const answer = whoCanInvoke(`${H}/$default/GET/events`, 'h7t8p9a0b1', 'GET', '/events');
    assert.deepEqual([...answer.keys()].sort(), ['OrganizationAccountAccessRole', 'events-reader', 'judy-analyst', 'org-admin']);
    assert.equal(answer.get('judy-analyst')?.hops, 1);
  });

  it('Q6 the SCP takes apigateway:DELETE away from OrganizationAccountAccessRole but not from platform-admin', () => {
    const resource = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5';
    const asRole = (name: string): Caller => ({ type: 'principal', entry: model.principals.get(`arn:aws:iam::${PROD}:role/${name}`)! });
    assert.equal(decide(model, asRole('OrganizationAccountAccessRole'), { action: 'apigateway:DELETE', resource, resourceAccount: PROD }).decision, 'explicitDeny');
    assert.equal(decide(model, asRole('platform-admin'), { action: 'apigateway:DELETE', resource, resourceAccount: PROD }).decision, 'allowed');
    assert.equal(decide(model, asRole('OrganizationAccountAccessRole'), { action: 'apigateway:PATCH', resource, resourceAccount: PROD }).decision, 'allowed');
  });

  it('Q9 kim-noaccess (unknown boundary, no identity allow) has no access; the old policy version grants nothing', () => {
    const answer = whoCanInvoke(`${X}/prod/GET/pets`, 'a1b2c3d4e5', 'GET', '/pets');
    assert.ok(!answer.has('kim-noaccess'));
    assert.ok(!whoCanInvoke(`${X}/staging/GET/pets`, 'a1b2c3d4e5', 'GET', '/pets').has('bob-caller'), 'v1 (execute-api:* on *) is not in force');
  });
});
