import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorize, parsePolicy, principalFromArn, truthToJson } from '../../../src/policy';
import { decideFormula, indexContextKeys } from '../../../src/services/index/contextFromIndex';

/**
 * Request context on answers read from the access index: the stored formula
 * of a conditional grant decided again with the given values, as the engine
 * decides the request itself with them; keys the engine derives refused.
 */
const ALICE = 'arn:aws:iam::111111111111:user/alice';
const RESOURCE = 'arn:aws:execute-api:us-east-1:111111111111:abc123/prod/GET/pets';

function storedFormula(statements: unknown[]): string {
  const alice = principalFromArn(ALICE);
  assert.ok(alice.ok);
  const policy = parsePolicy({ Version: '2012-10-17', Statement: statements }, { type: 'identity', id: 'p' });
  const r = authorize({
    principal: alice.principal,
    action: 'execute-api:Invoke',
    resource: RESOURCE,
    identityPolicies: [policy],
    mode: 'analysis',
  });
  assert.equal(r.decision, 'conditional');
  return JSON.stringify(truthToJson(r.conditional!.allowedWhen));
}

describe('request context on the access index', () => {
  const formula = storedFormula([
    { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ]);

  it('decides the stored formula again with the given values, as the engine decides the request', () => {
    assert.equal(decideFormula(formula, { 'aws:SourceIp': '10.1.2.3', 'aws:MultiFactorAuthPresent': 'true' }, ALICE), true);
    assert.equal(decideFormula(formula, { 'aws:SourceIp': '192.0.2.1', 'aws:MultiFactorAuthPresent': 'true' }, ALICE), false);
    assert.equal(decideFormula(formula, { 'aws:SourceIp': '10.1.2.3', 'aws:MultiFactorAuthPresent': 'false' }, ALICE), false);
  });

  it('keeps what the context does not give unknown', () => {
    const partly = decideFormula(formula, { 'aws:SourceIp': '10.1.2.3' }, ALICE);
    assert.equal(typeof partly, 'object', 'still depends on MFA');
    assert.equal(decideFormula(formula, { 'aws:Referer': 'x' }, ALICE) !== true, true);
  });

  it('accepts only keys the caller supplies and the engine never derives', () => {
    assert.deepEqual(indexContextKeys({ 'aws:SourceIp': '10.0.0.1', 'aws:MultiFactorAuthPresent': 'true', 'sts:ExternalId': 'x' }), [
      'aws:sourceip',
      'aws:multifactorauthpresent',
      'sts:externalid',
    ]);
    for (const derived of [
      'aws:PrincipalTag/team',
      'aws:RequestedRegion',
      'aws:PrincipalArn',
      'aws:SourceVpce',
      'aws:CurrentTime',
      'aws:username',
      'aws:ResourceAccount',
    ]) {
      assert.equal(indexContextKeys({ [derived]: 'x' }), undefined, derived);
    }
  });
});
