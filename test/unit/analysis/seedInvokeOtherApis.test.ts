import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, WhoCanAnswer } from '../../../src/analysis';
import {
  ANONYMOUS,
  CLAUSE,
  H,
  POL,
  PROD,
  Q,
  R,
  U,
  VPCE,
  W,
  arnsOf,
  assertPrincipals,
  clauses,
  conditionKeys,
  principal,
  seedAnalysis,
  shortestPath,
  via,
} from './support/seed';

/**
 * seed/README.md Q3 (petstore-web, no resource policy), Q4 (petstore-internal,
 * private) and Q5 (petstore-events, HTTP API), written by hand from the README.
 */

let analysis: AccessAnalysis;
before(async () => {
  analysis = await seedAnalysis();
});
const invoke = (request: string, options = {}) => analysis.whoCanInvoke(request, options);
const adminGrant = via.grant(POL.AdministratorAccess, '#0');
const orgAdminToOaar = via.assume(R.oaar, '#0', [POL.AdministratorAccess, '#0']);

/** An unsigned-caller answer: only `anonymous` is listed (who signed does not matter). */
function assertOnlyAnonymous(answer: WhoCanAnswer, decision: 'allowed' | 'conditional'): void {
  assertPrincipals(answer, { [ANONYMOUS]: { decision, hops: 0 } });
  assert.equal(principal(answer, ANONYMOUS).type, 'anonymous');
}

describe('Q3 petstore-web (W), no resource policy', () => {
  for (const stage of ['prod', 'staging']) {
    it(`GET /health on ${stage} is public: authorization NONE, anonymous allowed unsigned (rule 6)`, () => {
      const answer = invoke(`${W}/${stage}/GET/health`);
      assert.equal(answer.public, true);
      assert.equal(answer.method?.authorizationType, 'NONE');
      assertOnlyAnonymous(answer, 'allowed');
      assert.deepEqual(shortestPath(principal(answer, ANONYMOUS)), [via.unsigned]);
    });

    it(`GET /orders on ${stage} (Cognito authorizer): not public; anonymous only if the authorizer accepts the token`, () => {
      const answer = invoke(`${W}/${stage}/GET/orders`);
      assert.equal(answer.public, false);
      assert.equal(answer.method?.authorizationType, 'COGNITO_USER_POOLS');
      assertOnlyAnonymous(answer, 'conditional');
      const anonymous = principal(answer, ANONYMOUS);
      assert.deepEqual(shortestPath(anonymous), [via.authorizer]);
      assert.ok(
        anonymous.conditions.length > 0 && anonymous.conditions.every((c) => /authorizer/.test(c.when)),
        JSON.stringify(anonymous.conditions),
      );
    });

    it(`GET /orders/{orderId} on ${stage} (Lambda authorizer lam8zq): not public; anonymous conditional on the authorizer, by template and by request`, () => {
      for (const request of [`${W}/${stage}/GET/orders/{orderId}`, `${W}/${stage}/GET/orders/7`]) {
        const answer = invoke(request);
        assert.equal(answer.public, false, request);
        assert.equal(answer.method?.authorizationType, 'CUSTOM');
        assertOnlyAnonymous(answer, 'conditional');
        assert.deepEqual(shortestPath(principal(answer, ANONYMOUS)), [via.authorizer]);
        assert.ok(principal(answer, ANONYMOUS).conditions.every((c) => /authorizer/.test(c.when)));
      }
    });
  }

  it('POST /orders on prod (AWS_IAM): only OrganizationAccountAccessRole, and org-admin through it; no cross-account caller without a resource policy', () => {
    const answer = invoke(`${W}/prod/POST/orders`);
    assert.equal(answer.public, false);
    assertPrincipals(answer, { [R.oaar]: { decision: 'allowed', hops: 0 }, [U.orgAdmin]: { decision: 'allowed', hops: 1 } });
    assert.deepEqual(shortestPath(principal(answer, U.orgAdmin)), [orgAdminToOaar, ...adminGrant]);
  });

  it('POST /orders on staging: alice-apidev (InvokeStaging) and OrganizationAccountAccessRole; not erin-boundary (her boundary is GET only)', () => {
    const answer = invoke(`${W}/staging/POST/orders`);
    assert.equal(answer.public, false);
    assertPrincipals(answer, {
      [U.alice]: { decision: 'allowed', hops: 0 },
      [R.oaar]: { decision: 'allowed', hops: 0 },
      [U.orgAdmin]: { decision: 'allowed', hops: 1 },
    });
    assert.equal(principal(invoke(`${W}/staging/POST/orders`, { includeDenied: true }), U.erin).decision, 'denied');
  });
});

describe('Q4 petstore-internal (Q, PRIVATE): anyone inside the VPC of vpce-0a1b2c3d4e5f60789, and only GET /inventory', () => {
  const list = `${Q}/prod/GET/inventory`;
  const items = [`${Q}/prod/GET/inventory/{sku}`, `${Q}/prod/GET/inventory/abc-123`];
  const endpointKey = (id: string) => `arn:aws:ec2:us-east-1:${PROD}:vpc-endpoint/${id}`;
  const inventoryEndpoint = {
    endpoint: VPCE.inventory,
    vpc: 'vpc-0123456789abcdef0',
    account: PROD,
    privateDns: true,
    policy: `${endpointKey(VPCE.inventory)}#endpoint-policy`,
    decision: 'allowed',
    hops: 0,
  };

  it('GET /inventory: anonymous is allowed, through vpce-0a1b2c3d4e5f60789 only (RP #0 allows "*", #1 denies every other endpoint, the endpoint policy allows the request)', () => {
    const answer = invoke(list);
    assertOnlyAnonymous(answer, 'allowed');
    const anonymous = principal(answer, ANONYMOUS);
    assert.deepEqual(anonymous.endpoints, [inventoryEndpoint]);
    assert.deepEqual(anonymous.direct, { decision: 'allowed', conditions: [] });
    assert.equal(anonymous.bestHops, 0);
    assert.deepEqual(anonymous.conditions, []);
    assert.deepEqual(shortestPath(anonymous), [via.unsigned, via.resourcePolicy(POL.petstoreInternalRp, '#0')]);
  });

  it('GET /inventory/{sku}: nobody: the endpoint policy (OnlyTheInventoryList) lets no such request through, and RP #1 refuses the sandbox endpoint', () => {
    for (const request of items) {
      assert.deepEqual(invoke(request).principals, [], request);
      const denied = principal(invoke(request, { includeDenied: true }), ANONYMOUS);
      assert.equal(denied.decision, 'denied', request);
      assert.deepEqual(denied.endpoints, [], request);
    }
  });

  it('is not public: a private API is reachable only through VPC endpoints (README Q4: "Not public on the internet")', () => {
    for (const request of [list, ...items]) {
      assert.equal(invoke(request).public, false, request);
      assert.equal(invoke(request, { context: { 'aws:SourceVpce': VPCE.inventory } }).public, false, request);
    }
  });

  it("with aws:SourceVpce given: the API's endpoint answers as above; the sandbox endpoint and an endpoint outside the snapshot let nobody in", () => {
    assertOnlyAnonymous(invoke(list, { context: { 'aws:SourceVpce': VPCE.inventory } }), 'allowed');
    assert.deepEqual(principal(invoke(list, { context: { 'AWS:SOURCEVPCE': VPCE.inventory } }), ANONYMOUS).endpoints, [inventoryEndpoint]);
    for (const request of items)
      assert.deepEqual(invoke(request, { context: { 'aws:SourceVpce': VPCE.inventory } }).principals, [], request);
    for (const request of [list, ...items]) {
      assert.deepEqual(invoke(request, { context: { 'aws:SourceVpce': VPCE.sandbox } }).principals, [], request);
      assert.deepEqual(invoke(request, { context: { 'aws:SourceVpce': 'vpce-0ffffffffffffffff' } }).principals, [], request);
    }
    // aws:SourceVpc narrows to the endpoints of that VPC: the sandbox VPC's endpoint is refused by the RP.
    assert.deepEqual(invoke(list, { context: { 'aws:SourceVpc': 'vpc-0fedcba98765432a1' } }).principals, [], 'sandbox VPC');
    assertOnlyAnonymous(invoke(list, { context: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } }), 'allowed');
  });
});

describe('Q4 without the EC2 data: the endpoint is not in the snapshot', () => {
  let without: AccessAnalysis;
  before(async () => {
    without = await seedAnalysis((rows) => {
      rows.vpcEndpoints = [];
      rows.endpointPolicies = [];
    });
  });

  it('anonymous stays conditional on aws:SourceVpce: the RP allows "*" (statement #0), its deny #1 blocks every other endpoint; the endpoint and its policy are unknown', () => {
    for (const request of [`${Q}/prod/GET/inventory`, `${Q}/prod/GET/inventory/{sku}`, `${Q}/prod/GET/inventory/abc-123`]) {
      const answer = without.whoCanInvoke(request);
      assertOnlyAnonymous(answer, 'conditional');
      const anonymous = principal(answer, ANONYMOUS);
      assert.deepEqual(conditionKeys(anonymous.conditions), ['aws:sourcevpce'], request);
      assert.deepEqual(clauses(anonymous.conditions), [CLAUSE.internalVpce], request);
      assert.deepEqual(
        anonymous.endpoints?.map((e) => `${e.endpoint} ${e.decision}`),
        ['* conditional'],
        request,
      );
      assert.deepEqual(shortestPath(anonymous), [via.unsigned, via.resourcePolicy(POL.petstoreInternalRp, '#0')], request);
      assert.equal(answer.public, false, request);
    }
  });
});

describe('Q5 petstore-events (H, HTTP API), stage $default', () => {
  let events: WhoCanAnswer;
  before(() => {
    events = invoke(`${H}/$default/GET/events`);
  });

  it('GET /events (AWS_IAM): events-reader and OrganizationAccountAccessRole; judy-analyst and org-admin through them', () => {
    assert.equal(events.public, false);
    assertPrincipals(events, {
      [R.eventsReader]: { decision: 'allowed', hops: 0 },
      [R.oaar]: { decision: 'allowed', hops: 0 },
      [U.judy]: { decision: 'allowed', hops: 1 },
      [U.orgAdmin]: { decision: 'allowed', hops: 1 },
    });
  });

  it('judy-analyst reaches GET /events only as events-reader (trust names her, AssumeEventsReader allows it; inline ReadEvents grants)', () => {
    assert.deepEqual(shortestPath(principal(events, R.eventsReader)), via.grant(POL.ReadEvents, '#0'));
    assert.deepEqual(shortestPath(principal(events, U.judy)), [
      via.assume(R.eventsReader, '#0', [POL.AssumeEventsReader, '#0']),
      ...via.grant(POL.ReadEvents, '#0'),
    ]);
  });

  it('judy-analyst is never a 0-hop caller of the HTTP API (no resource policy, rule 9), even with includeDenied', () => {
    const withDenied = invoke(`${H}/$default/GET/events`, { includeDenied: true });
    const judy = withDenied.principals.filter((p) => p.arn === U.judy);
    assert.equal(judy.length, 1);
    assert.equal(judy[0]!.hops, 1);
    assert.equal(analysis.can(U.judy, 'execute-api:Invoke', `${H}/$default/GET/events`).decision, 'denied');
  });

  it('alice-apidev is absent: her `*/staging/*` does not match stage $default', () => {
    assert.ok(!arnsOf(events).includes(U.alice));
  });

  it('POST /events (JWT authorizer jwt01a): anonymous conditional on the authorizer, not public', () => {
    const answer = invoke(`${H}/$default/POST/events`);
    assert.equal(answer.public, false);
    assertOnlyAnonymous(answer, 'conditional');
    assert.deepEqual(shortestPath(principal(answer, ANONYMOUS)), [via.authorizer]);
  });

  it('GET /status (NONE) is public', () => {
    const answer = invoke(`${H}/$default/GET/status`);
    assert.equal(answer.public, true);
    assertOnlyAnonymous(answer, 'allowed');
    assert.deepEqual(shortestPath(principal(answer, ANONYMOUS)), [via.unsigned]);
  });
});

describe('Q4 in can: each request is explained through the VPC endpoint that lets it through best', () => {
  it('GET /inventory: allowed through vpce-0a1b2c3d4e5f60789; GET /inventory/abc: denied, explained through the same endpoint (its policy does not allow it)', () => {
    const list = analysis.can(ANONYMOUS, 'execute-api:Invoke', `${Q}/prod/GET/inventory`);
    assert.equal(list.decision, 'allowed');
    assert.deepEqual(
      list.requests.map((r) => [r.decision, r.endpoint, r.flow]),
      [['allowed', VPCE.inventory, 'resourcePolicyOnly']],
    );
    const item = analysis.can(ANONYMOUS, 'execute-api:Invoke', `${Q}/prod/GET/inventory/abc`);
    assert.equal(item.decision, 'denied');
    assert.deepEqual(
      item.requests.map((r) => [r.decision, r.endpoint]),
      [['implicitDeny', VPCE.inventory]],
    );
    // Through the sandbox endpoint (given as context) the resource policy's deny decides.
    const sandbox = analysis.can(ANONYMOUS, 'execute-api:Invoke', `${Q}/prod/GET/inventory`, {
      context: { 'aws:SourceVpce': VPCE.sandbox },
    });
    assert.deepEqual(
      sandbox.requests.map((r) => [r.decision, r.endpoint]),
      [['explicitDeny', VPCE.sandbox]],
    );
  });
});
