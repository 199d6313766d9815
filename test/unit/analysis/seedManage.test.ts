import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, WhoCanAnswer } from '../../../src/analysis';
import {
  CLAUSE,
  G,
  MANAGE,
  POL,
  R,
  U,
  arnsOf,
  assertPrincipals,
  clauses,
  principal,
  seedAnalysis,
  shortestPath,
  via,
  type Expected,
} from './support/seed';

/**
 * seed/README.md Q6: who can change each API (apigateway:POST, PUT, PATCH,
 * DELETE, and UpdateRestApiPolicy for REST APIs), with the SCP
 * p-denyapidelete taking DELETE from every prod principal but platform-admin.
 */

let analysis: AccessAnalysis;
before(async () => {
  analysis = await seedAnalysis();
});

const CHANGES = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH'] as const;

/** platform-admin and the chain to it: petstore-operator ← ops-jump ← ivan-ops (MFA on the first hop). */
const platformAdminChain: Expected = {
  [R.platformAdmin]: { decision: 'allowed', hops: 0 },
  [R.operator]: { decision: 'allowed', hops: 1 },
  [R.opsJump]: { decision: 'allowed', hops: 2 },
  [U.ivan]: { decision: 'conditional', hops: 3 },
};
const oaar: Expected = {
  [R.oaar]: { decision: 'allowed', hops: 0 },
  [U.orgAdmin]: { decision: 'allowed', hops: 1 },
};
const alice: Expected = { [U.alice]: { decision: 'allowed', hops: 0 } };

const platformAdminGrant = via.grant(POL.PlatformApiAdmin, 'AllApiGateway');
const ivanToPlatformAdmin = [
  via.assume(R.opsJump, 'IvanWithMfa', [POL.AssumeOpsJump, '#0']),
  via.assume(R.operator, '#0', [POL.HopToProdOperator, '#0']),
  via.assume(R.platformAdmin, '#0', [POL.OperateAdminEndpoints, 'BecomePlatformAdmin']),
];

const APIS: { name: string; arn: string; rest: boolean; alice: boolean }[] = [
  { name: 'petstore-api', arn: MANAGE.petstoreApi, rest: true, alice: true },
  { name: 'petstore-web', arn: MANAGE.petstoreWeb, rest: true, alice: true },
  // alice's ManageTeamApis does not name p1q2r3s4t5.
  { name: 'petstore-internal', arn: MANAGE.petstoreInternal, rest: true, alice: false },
  // The HTTP API: /apis/h7t8p9a0b1[/*].
  { name: 'petstore-events', arn: MANAGE.petstoreEvents, rest: false, alice: true },
];

for (const api of APIS) {
  describe(`Q6 who can change ${api.name}`, () => {
    const actions = api.rest ? [...CHANGES, 'apigateway:UpdateRestApiPolicy'] : [...CHANGES];
    for (const action of actions) {
      it(`${action}: platform-admin (← petstore-operator ← ops-jump ← ivan-ops), OrganizationAccountAccessRole (← org-admin)${api.alice ? ', alice-apidev' : ''}`, () => {
        assertPrincipals(analysis.whoCan(action, api.arn), { ...platformAdminChain, ...oaar, ...(api.alice ? alice : {}) });
      });
    }

    it('apigateway:DELETE: platform-admin alone (and the chain to it); the SCP denies everyone else in prod', () => {
      assertPrincipals(analysis.whoCan('apigateway:DELETE', api.arn), platformAdminChain);
      const withDenied = analysis.whoCan('apigateway:DELETE', api.arn, { includeDenied: true });
      assert.equal(principal(withDenied, R.oaar).decision, 'denied');
      if (api.alice) assert.equal(principal(withDenied, U.alice).decision, 'denied');
    });
  });
}

describe('Q6 paths and conditions', () => {
  let patch: WhoCanAnswer;
  before(() => {
    patch = analysis.whoCan('apigateway:PATCH', MANAGE.petstoreApi);
  });

  it('platform-admin: inline PlatformApiAdmin / AllApiGateway', () => {
    assert.deepEqual(shortestPath(principal(patch, R.platformAdmin)), platformAdminGrant);
  });

  it('alice-apidev: group api-developers → ApiDeveloperAccess / ManageTeamApis', () => {
    assert.deepEqual(shortestPath(principal(patch, U.alice)), via.grant(POL.ApiDeveloperAccess, 'ManageTeamApis', G.apiDevelopers));
  });

  it('OrganizationAccountAccessRole: AdministratorAccess; org-admin assumes it', () => {
    assert.deepEqual(shortestPath(principal(patch, R.oaar)), via.grant(POL.AdministratorAccess, '#0'));
    assert.deepEqual(shortestPath(principal(patch, U.orgAdmin)), [
      via.assume(R.oaar, '#0', [POL.AdministratorAccess, '#0']),
      ...via.grant(POL.AdministratorAccess, '#0'),
    ]);
  });

  it('ivan-ops: three assumptions, conditional on MFA at the first', () => {
    const ivan = principal(patch, U.ivan);
    assert.deepEqual(shortestPath(ivan), [...ivanToPlatformAdmin, ...platformAdminGrant]);
    assert.deepEqual(clauses(ivan.conditions), [CLAUSE.ivanMfa]);
  });

  it('with aws:MultiFactorAuthPresent=false ivan-ops cannot change any API; with true he is allowed', () => {
    assert.ok(
      !arnsOf(analysis.whoCan('apigateway:DELETE', MANAGE.petstoreApi, { context: { 'aws:MultiFactorAuthPresent': 'false' } })).includes(
        U.ivan,
      ),
    );
    assert.equal(
      principal(analysis.whoCan('apigateway:DELETE', MANAGE.petstoreApi, { context: { 'aws:MultiFactorAuthPresent': 'true' } }), U.ivan)
        .decision,
      'allowed',
    );
  });

  it('maxHops 2 leaves ivan-ops out (he needs 3)', () => {
    const two = arnsOf(analysis.whoCan('apigateway:DELETE', MANAGE.petstoreApi, { maxHops: 2 }));
    assert.ok(two.includes(R.opsJump));
    assert.ok(!two.includes(U.ivan));
  });

  it('the SCP p-denyapidelete / DenyApiGatewayDelete is what denies DELETE to OrganizationAccountAccessRole and alice-apidev', () => {
    for (const arn of [R.oaar, U.alice]) {
      const answer = analysis.can(arn, 'apigateway:DELETE', MANAGE.petstoreApi);
      assert.equal(answer.decision, 'denied', arn);
      const evaluation = answer.requests[0]!;
      assert.equal(evaluation.decision, 'explicitDeny');
      assert.deepEqual(
        evaluation.statements.map((s) => `${s.policyType} ${s.effect} ${s.policy} / ${s.statement}`),
        ['scp Deny p-denyapidelete / DenyApiGatewayDelete'],
      );
      assert.deepEqual(
        evaluation.layers.find((l) => l.layer === 'identity'),
        { layer: 'identity', applies: true, allows: true },
      );
    }
  });
});

describe('Q6 frank-escalator: sub-resources and deployments of petstore-api, not the API object', () => {
  const method = `${MANAGE.petstoreApi}/resources/x/methods/GET`;

  it('apigateway:PATCH on …/resources/x/methods/GET: frank joins those who can change the whole API', () => {
    const answer = analysis.whoCan('apigateway:PATCH', method);
    assertPrincipals(answer, { ...platformAdminChain, ...oaar, ...alice, [U.frank]: { decision: 'allowed', hops: 0 } });
    assert.deepEqual(shortestPath(principal(answer, U.frank)), via.grant(POL.DeployIntegrations, 'EditMethodsAndIntegrations'));
  });

  it('apigateway:POST on …/deployments: frank can deploy (DeployIntegrations / CreateDeployments)', () => {
    const answer = analysis.whoCan('apigateway:POST', `${MANAGE.petstoreApi}/deployments`);
    assertPrincipals(answer, { ...platformAdminChain, ...oaar, ...alice, [U.frank]: { decision: 'allowed', hops: 0 } });
    assert.deepEqual(shortestPath(principal(answer, U.frank)), via.grant(POL.DeployIntegrations, 'CreateDeployments'));
  });

  it('frank cannot PATCH the API object, nor UpdateRestApiPolicy, nor touch another API', () => {
    assert.ok(!arnsOf(analysis.whoCan('apigateway:PATCH', MANAGE.petstoreApi)).includes(U.frank));
    assert.ok(!arnsOf(analysis.whoCan('apigateway:UpdateRestApiPolicy', MANAGE.petstoreApi)).includes(U.frank));
    assert.ok(!arnsOf(analysis.whoCan('apigateway:PATCH', `${MANAGE.petstoreWeb}/resources/x/methods/GET`)).includes(U.frank));
  });

  it('erin-boundary and petstore-operator cannot change anything on their own (GET only)', () => {
    for (const action of [...CHANGES, 'apigateway:DELETE']) {
      const answer = analysis.whoCan(action, method);
      assert.ok(!arnsOf(answer).includes(U.erin), action);
      assert.notEqual(principal(answer, R.operator).hops, 0, action);
    }
    assert.equal(analysis.can(U.erin, 'apigateway:PATCH', method).overall.decision, 'denied');
    assert.equal(analysis.can(R.operator, 'apigateway:PATCH', method).decision, 'denied');
  });
});
