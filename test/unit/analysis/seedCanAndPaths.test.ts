import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, InvocableAnswer, LayerVote } from '../../../src/analysis';
import { CLAUSE, G, H, MANAGE, PARTNER_ACCOUNT, POL, R, U, W, X, clauses, hopLabel, seedAnalysis, sorted, via } from './support/seed';

/**
 * `can`, `invocableMethods`, `rolePaths` and `reachableRoles` on seed/, against the README's
 * principals, role chains and Q1–Q6 answers.
 */

let analysis: AccessAnalysis;
before(async () => {
  analysis = await seedAnalysis();
});

const layer = (layers: readonly LayerVote[], name: LayerVote['layer']) => layers.find((l) => l.layer === name);
const ivanChainToPlatformAdmin = [
  via.assume(R.opsJump, 'IvanWithMfa', [POL.AssumeOpsJump, '#0']),
  via.assume(R.operator, '#0', [POL.HopToProdOperator, '#0']),
  via.assume(R.platformAdmin, '#0', [POL.OperateAdminEndpoints, 'BecomePlatformAdmin']),
];

describe('can', () => {
  it('bob-caller on DELETE …/prod/DELETE/pets/42 is explicitly denied by DenyDeleteOnProd / NoDeletesOnProd, though InvokePetsProd allows it', () => {
    const answer = analysis.can(U.bob, 'execute-api:Invoke', `${X}/prod/DELETE/pets/42`);
    assert.equal(answer.decision, 'denied');
    assert.equal(answer.overall.decision, 'denied');
    assert.deepEqual(answer.paths, []);
    assert.equal(answer.throughRoles, null);
    const [evaluation] = answer.requests;
    assert.equal(evaluation?.decision, 'explicitDeny');
    assert.deepEqual(
      evaluation?.statements.map((s) => `${s.effect} ${s.policyName} / ${s.statement}`),
      ['Deny DenyDeleteOnProd / NoDeletesOnProd'],
    );
    // Without the deny he would be allowed: the same method on POST is.
    assert.equal(analysis.can(U.bob, 'execute-api:Invoke', `${X}/prod/POST/pets`).decision, 'allowed');
  });

  it('erin-boundary on POST …/staging/POST/pets is denied by her boundary: the identity layer allows, the boundary does not', () => {
    const answer = analysis.can(U.erin, 'execute-api:Invoke', `${X}/staging/POST/pets`);
    assert.equal(answer.decision, 'denied');
    const [evaluation] = answer.requests;
    assert.equal(evaluation?.decision, 'implicitDeny');
    assert.equal(layer(evaluation.layers, 'identity')?.allows, true);
    assert.equal(layer(evaluation.layers, 'permissionsBoundary')?.allows, false);
  });

  it('erin-boundary on GET …/staging/GET/pets is allowed: InvokeStaging within DeveloperBoundary / OnlyStagingReads', () => {
    const answer = analysis.can(U.erin, 'execute-api:Invoke', `${X}/staging/GET/pets`);
    assert.equal(answer.decision, 'allowed');
    assert.deepEqual(answer.paths[0]!.map(hopLabel), via.grant(POL.ApiDeveloperAccess, 'InvokeStaging', G.apiDevelopers));
    const statements = answer.requests[0]!.statements.map((s) => `${s.policyType} ${s.policy} / ${s.statement}`);
    assert.ok(statements.includes(`permissionsBoundary ${POL.DeveloperBoundary} / OnlyStagingReads`), statements.join('\n'));
    assert.equal(layer(answer.requests[0]!.layers, 'permissionsBoundary')?.allows, true);
  });

  it('ivan-ops on apigateway:DELETE petstore-api: denied on his own, allowed through platform-admin at 3 hops, conditional on MFA', () => {
    const answer = analysis.can(U.ivan, 'apigateway:DELETE', MANAGE.petstoreApi);
    assert.equal(answer.decision, 'denied');
    assert.equal(answer.throughRoles?.decision, 'conditional');
    assert.equal(answer.throughRoles?.hops, 3);
    assert.deepEqual(answer.overall, { decision: 'conditional', hops: 3 });
    const [best] = answer.throughRoles.roles;
    assert.equal(best?.role, R.platformAdmin);
    assert.deepEqual(best?.path.map(hopLabel), [...ivanChainToPlatformAdmin, ...via.grant(POL.PlatformApiAdmin, 'AllApiGateway')]);
    assert.deepEqual(clauses(best.conditions), [CLAUSE.ivanMfa]);
    // Only platform-admin can DELETE: petstore-operator and ops-jump are on the way, not grantees.
    assert.deepEqual(
      answer.throughRoles.roles.map((r) => r.role),
      [R.platformAdmin],
    );
  });

  it('ivan-ops with MFA is allowed through roles; without MFA he reaches no role at all', () => {
    assert.deepEqual(
      analysis.can(U.ivan, 'apigateway:DELETE', MANAGE.petstoreApi, { context: { 'aws:MultiFactorAuthPresent': 'true' } }).overall,
      { decision: 'allowed', hops: 3 },
    );
    const noMfa = analysis.can(U.ivan, 'apigateway:DELETE', MANAGE.petstoreApi, { context: { 'aws:MultiFactorAuthPresent': 'false' } });
    assert.equal(noMfa.throughRoles, null);
    assert.deepEqual(noMfa.overall, { decision: 'denied', hops: null });
  });

  it('org-admin on GET /pets: denied directly (the resource policy does not name the management account), allowed as OrganizationAccountAccessRole', () => {
    const answer = analysis.can(U.orgAdmin, 'execute-api:Invoke', `${X}/prod/GET/pets`);
    assert.equal(answer.decision, 'denied');
    const evaluation = answer.requests[0]!;
    assert.equal(layer(evaluation.layers, 'identity')?.allows, true);
    assert.equal(layer(evaluation.layers, 'resourcePolicy')?.allows, false);
    // SCPs do not apply to the management account (rule 1).
    assert.equal(layer(evaluation.layers, 'scp')?.applies, false);
    assert.deepEqual(answer.overall, { decision: 'allowed', hops: 1 });
    assert.deepEqual(
      answer.throughRoles?.roles.map((r) => r.role),
      [R.oaar],
    );
  });

  it('kim-noaccess on GET /pets: denied; S2 names her account but she has no identity allow (rule 3)', () => {
    const answer = analysis.can(U.kim, 'execute-api:Invoke', `${X}/prod/GET/pets`);
    assert.deepEqual(answer.overall, { decision: 'denied', hops: null });
    assert.equal(layer(answer.requests[0]!.layers, 'identity')?.allows, false);
    assert.equal(layer(answer.requests[0]!.layers, 'resourcePolicy')?.allows, true);
  });

  it('henry-support on the GET /pets/{id} template is partial (only …/pets/1), and allowed on …/pets/1', () => {
    const template = analysis.can(U.henry, 'execute-api:Invoke', `${X}/prod/GET/pets/{id}`);
    assert.equal(template.decision, 'partial');
    assert.deepEqual(template.partial?.allowedRequests, [`${X}/prod/GET/pets/1`]);
    assert.equal(analysis.can(U.henry, 'execute-api:Invoke', `${X}/prod/GET/pets/1`).decision, 'allowed');
    assert.equal(analysis.can(U.henry, 'execute-api:Invoke', `${X}/prod/GET/pets/2`).decision, 'denied');
  });

  it('carol-caller is conditional on aws:SourceIp, and the context decides it', () => {
    const answer = analysis.can(U.carol, 'execute-api:Invoke', `${X}/prod/GET/pets`);
    assert.equal(answer.decision, 'conditional');
    assert.deepEqual(
      answer.requests[0]!.missingContextKeys.map((k) => k.toLowerCase()),
      ['aws:sourceip'],
    );
    assert.equal(
      analysis.can(U.carol, 'execute-api:Invoke', `${X}/prod/GET/pets`, { context: { 'aws:SourceIp': '198.51.100.7' } }).decision,
      'allowed',
    );
    assert.equal(
      analysis.can(U.carol, 'execute-api:Invoke', `${X}/prod/GET/pets`, { context: { 'aws:SourceIp': '192.0.2.1' } }).decision,
      'denied',
    );
  });
});

describe('invocableMethods', () => {
  const key = (m: InvocableAnswer['methods'][number]) => `${m.methodArn} ${m.decision} ${m.hops}`;

  it('bob-caller: prod GET /pets, GET /pets/{id} and POST /pets; not DELETE (explicit deny), nothing on staging', () => {
    const answer = analysis.invocableMethods(U.bob);
    assert.deepEqual(
      sorted(answer.methods.map(key)),
      sorted([`${X}/prod/GET/pets allowed 0`, `${X}/prod/GET/pets/{id} allowed 0`, `${X}/prod/POST/pets allowed 0`]),
    );
    assert.equal(answer.rolesReached, 0);
  });

  it('judy-analyst: GET /pets and GET /pets/{id} on both stages, the admin proxy partially, and GET /events as events-reader', () => {
    const answer = analysis.invocableMethods(U.judy);
    assert.deepEqual(
      sorted(answer.methods.map(key)),
      sorted([
        `${X}/prod/GET/pets allowed 0`,
        `${X}/prod/GET/pets/{id} allowed 0`,
        `${X}/staging/GET/pets allowed 0`,
        `${X}/staging/GET/pets/{id} allowed 0`,
        // `X/*\/GET/pets` spans `/` (see seedInvokePetstoreApi.test.ts and the README note).
        `${X}/prod/ANY/admin/{proxy+} partial 0`,
        `${X}/staging/ANY/admin/{proxy+} partial 0`,
        `${H}/$default/GET/events allowed 1`,
      ]),
    );
    const events = answer.methods.find((m) => m.methodArn === `${H}/$default/GET/events`)!;
    assert.equal(events.via, R.eventsReader);
    assert.deepEqual(events.accessPath.map(hopLabel), [
      via.assume(R.eventsReader, '#0', [POL.AssumeEventsReader, '#0']),
      ...via.grant(POL.ReadEvents, '#0'),
    ]);
  });

  it('judy-analyst with includeUnsigned also lists the methods open to anyone the authorizer (or nobody) checks', () => {
    const answer = analysis.invocableMethods(U.judy, { includeUnsigned: true });
    const unsigned = answer.methods.filter((m) => m.authorizationType !== 'AWS_IAM');
    assert.deepEqual(
      sorted(unsigned.map((m) => `${m.methodArn} ${m.decision}`)),
      sorted([
        `${W}/prod/GET/health allowed`,
        `${W}/staging/GET/health allowed`,
        `${W}/prod/GET/orders conditional`,
        `${W}/staging/GET/orders conditional`,
        `${W}/prod/GET/orders/{orderId} conditional`,
        `${W}/staging/GET/orders/{orderId} conditional`,
        `${H}/$default/GET/status allowed`,
        `${H}/$default/POST/events conditional`,
        // Through vpce-0a1b2c3d4e5f60789, whose policy lets only GET /inventory through (README Q4).
        `arn:aws:execute-api:us-east-1:333344445555:p1q2r3s4t5/prod/GET/inventory allowed`,
      ]),
    );
  });

  it('ivan-ops: only the admin proxy on both stages, as petstore-operator at 2 hops, conditional on MFA and the office IP', () => {
    const answer = analysis.invocableMethods(U.ivan);
    assert.equal(answer.rolesReached, 3);
    assert.deepEqual(
      sorted(answer.methods.map(key)),
      sorted([`${X}/prod/ANY/admin/{proxy+} conditional 2`, `${X}/staging/ANY/admin/{proxy+} conditional 2`]),
    );
    for (const m of answer.methods) {
      assert.equal(m.via, R.operator);
      assert.deepEqual(clauses(m.conditions), [CLAUSE.adminOffice, CLAUSE.ivanMfa].sort());
      assert.deepEqual(m.accessPath.map(hopLabel), [
        ...ivanChainToPlatformAdmin.slice(0, 2),
        ...via.grant(POL.OperateAdminEndpoints, 'InvokeAdmin'),
      ]);
    }
  });

  it('ivan-ops with MFA from the office is allowed on both; without MFA he can invoke nothing', () => {
    const office = analysis.invocableMethods(U.ivan, { context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:SourceIp': '203.0.113.5' } });
    assert.deepEqual(
      sorted(office.methods.map(key)),
      sorted([`${X}/prod/ANY/admin/{proxy+} allowed 2`, `${X}/staging/ANY/admin/{proxy+} allowed 2`]),
    );
    const noMfa = analysis.invocableMethods(U.ivan, { context: { 'aws:MultiFactorAuthPresent': 'false' } });
    assert.deepEqual(noMfa.methods, []);
    assert.equal(noMfa.rolesReached, 0);
  });
});

describe('rolePaths', () => {
  it('ivan-ops → platform-admin: 3 hops (identity → identity → prod → prod), MFA on the first, none on the others', () => {
    const answer = analysis.rolePaths(U.ivan, R.platformAdmin);
    assert.equal(answer.reachable, true);
    assert.equal(answer.decision, 'conditional');
    assert.equal(answer.hops, 3);
    assert.equal(answer.paths.length, 1);
    const path = answer.paths[0]!;
    assert.deepEqual(path.map(hopLabel), ivanChainToPlatformAdmin);
    assert.deepEqual(clauses(path[0]!.conditions ?? []), [CLAUSE.ivanMfa]);
    assert.equal(path[1]!.conditions, undefined);
    assert.equal(path[2]!.conditions, undefined);
    assert.deepEqual(clauses(answer.conditions), [CLAUSE.ivanMfa]);
  });

  it('ivan-ops → platform-admin is decided by the MFA context, and needs 3 hops', () => {
    assert.deepEqual(pick(analysis.rolePaths(U.ivan, R.platformAdmin, { context: { 'aws:MultiFactorAuthPresent': 'true' } })), {
      reachable: true,
      decision: 'allowed',
      hops: 3,
    });
    assert.deepEqual(pick(analysis.rolePaths(U.ivan, R.platformAdmin, { context: { 'aws:MultiFactorAuthPresent': 'false' } })), {
      reachable: false,
      decision: 'denied',
      hops: null,
    });
    assert.deepEqual(pick(analysis.rolePaths(U.ivan, R.platformAdmin, { maxHops: 2 })), {
      reachable: false,
      decision: 'denied',
      hops: null,
    });
  });

  it('ivan-ops → petstore-operator: 2 hops', () => {
    const answer = analysis.rolePaths(U.ivan, R.operator);
    assert.deepEqual(pick(answer), { reachable: true, decision: 'conditional', hops: 2 });
    assert.deepEqual(answer.paths[0]!.map(hopLabel), ivanChainToPlatformAdmin.slice(0, 2));
  });

  it('org-admin → OrganizationAccountAccessRole: 1 hop, unconditional (trust names 111122223333:root; AdministratorAccess allows sts:AssumeRole)', () => {
    const answer = analysis.rolePaths(U.orgAdmin, R.oaar);
    assert.deepEqual(pick(answer), { reachable: true, decision: 'allowed', hops: 1 });
    assert.deepEqual(
      answer.paths.map((p) => p.map(hopLabel)),
      [[via.assume(R.oaar, '#0', [POL.AdministratorAccess, '#0'])]],
    );
    assert.deepEqual(answer.conditions, []);
  });

  it('judy-analyst → events-reader: 1 hop, unconditional', () => {
    const answer = analysis.rolePaths(U.judy, R.eventsReader);
    assert.deepEqual(pick(answer), { reachable: true, decision: 'allowed', hops: 1 });
    assert.deepEqual(answer.paths[0]!.map(hopLabel), [via.assume(R.eventsReader, '#0', [POL.AssumeEventsReader, '#0'])]);
  });

  it('999988887777 (arn:aws:iam::999988887777:root) → partner-integration: 1 hop, conditional on sts:ExternalId petstore-7f3a9c', () => {
    const answer = analysis.rolePaths(PARTNER_ACCOUNT, R.partnerIntegration);
    assert.equal(answer.fromType, 'account');
    assert.deepEqual(pick(answer), { reachable: true, decision: 'conditional', hops: 1 });
    const [hop] = answer.paths[0]!;
    assert.equal(hop?.kind, 'assume-role');
    assert.equal(hop?.to, R.partnerIntegration);
    assert.equal(hop?.policy, POL.trust(R.partnerIntegration));
    assert.equal(hop?.statement, 'PartnerWithExternalId');
    assert.deepEqual(clauses(answer.conditions), [CLAUSE.partnerExternalId]);
    // With the right external id only the partner's own (unknown) policies remain open: still conditional, on them alone.
    const decided = analysis.rolePaths(PARTNER_ACCOUNT, R.partnerIntegration, { context: { 'sts:ExternalId': 'petstore-7f3a9c' } });
    assert.equal(decided.decision, 'conditional');
    assert.deepEqual(clauses(decided.conditions), []);
    assert.equal(analysis.rolePaths(PARTNER_ACCOUNT, R.partnerIntegration, { context: { 'sts:ExternalId': 'other' } }).reachable, false);
  });

  it('nobody else becomes a role: kim-noaccess, frank-escalator and OrganizationAccountAccessRole reach none of them', () => {
    for (const [from, to] of [
      [U.kim, R.eventsReader],
      [U.frank, R.apigwInvoke],
      [R.oaar, R.platformAdmin],
      [U.alice, R.platformAdmin],
      [U.bob, R.oaar],
    ] as const) {
      assert.equal(analysis.rolePaths(from, to).reachable, false, `${from} → ${to}`);
    }
  });
});

function pick(answer: { reachable: boolean; decision: string; hops: number | null }) {
  return { reachable: answer.reachable, decision: answer.decision, hops: answer.hops };
}

describe('reachableRoles', () => {
  it('ivan-ops becomes ops-jump (MFA), petstore-operator and platform-admin, each with its shortest chain', () => {
    const answer = analysis.reachableRoles(U.ivan);
    assert.equal(answer.principal, U.ivan);
    assert.equal(answer.principalType, 'user');
    assert.deepEqual(
      answer.roles.map((r) => [r.role, r.hops, r.decision]),
      [
        [R.opsJump, 1, 'conditional'],
        [R.operator, 2, 'conditional'],
        [R.platformAdmin, 3, 'conditional'],
      ],
    );
    assert.deepEqual(answer.roles[2]!.path.map(hopLabel), ivanChainToPlatformAdmin);
    assert.deepEqual(clauses(answer.roles[2]!.conditions), [CLAUSE.ivanMfa]);
  });

  it('agrees with rolePaths on every role: the same hops and decision, with and without MFA', () => {
    for (const context of [undefined, { 'aws:MultiFactorAuthPresent': 'true' }, { 'aws:MultiFactorAuthPresent': 'false' }]) {
      for (const from of [U.ivan, U.orgAdmin, U.judy, U.bob, R.opsJump]) {
        const reached = new Map(analysis.reachableRoles(from, context ? { context } : {}).roles.map((r) => [r.role, r]));
        for (const role of analysis.model.roles) {
          const paths = analysis.rolePaths(from, role.arn, context ? { context } : {});
          const r = reached.get(role.arn);
          if (role.arn === from) continue;
          assert.deepEqual(
            r ? [r.hops, r.decision] : null,
            paths.reachable ? [paths.hops, paths.decision] : null,
            `${from} → ${role.arn} ${JSON.stringify(context)}`,
          );
        }
      }
    }
  });

  it('org-admin becomes OrganizationAccountAccessRole unconditionally; bob-caller becomes no role', () => {
    assert.deepEqual(
      analysis.reachableRoles(U.orgAdmin).roles.map((r) => [r.role, r.hops, r.decision]),
      [[R.oaar, 1, 'allowed']],
    );
    assert.deepEqual(analysis.reachableRoles(U.bob).roles, []);
  });
});
