import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, WhoCanAnswer } from '../../../src/analysis';
import { ANONYMOUS, CLAUSE, H, POL, Q, R, U, W, arnsOf, assertPrincipals, clauses, conditionKeys, principal, seedAnalysis, shortestPath, via } from './support/seed';

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
      assert.ok(anonymous.conditions.length > 0 && anonymous.conditions.every((c) => /authorizer/.test(c.when)), JSON.stringify(anonymous.conditions));
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

describe('Q4 petstore-internal (Q, PRIVATE): anyone, but only through vpce-0a1b2c3d4e5f60789', () => {
  const requests = [`${Q}/prod/GET/inventory`, `${Q}/prod/GET/inventory/{sku}`, `${Q}/prod/GET/inventory/abc-123`];

  it('anonymous is conditional on aws:SourceVpce: the RP allows "*" (statement #0), its deny #1 blocks every other endpoint', () => {
    for (const request of requests) {
      const answer = invoke(request);
      assertOnlyAnonymous(answer, 'conditional');
      const anonymous = principal(answer, ANONYMOUS);
      assert.deepEqual(conditionKeys(anonymous.conditions), ['aws:sourcevpce'], request);
      assert.deepEqual(clauses(anonymous.conditions), [CLAUSE.internalVpce], request);
      assert.deepEqual(shortestPath(anonymous), [via.unsigned, via.resourcePolicy(POL.petstoreInternalRp, '#0')], request);
    }
  });

  it('is not public: a private API is reachable only through VPC endpoints (README Q4: "Not public on the internet")', () => {
    for (const request of requests) {
      assert.equal(invoke(request).public, false, request);
      assert.equal(invoke(request, { context: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60789' } }).public, false, request);
    }
  });

  it('through the API\'s VPC endpoint anonymous is allowed; through another endpoint nobody is', () => {
    for (const request of requests) {
      const inside = invoke(request, { context: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60789' } });
      assertOnlyAnonymous(inside, 'allowed');
      assert.deepEqual(invoke(request, { context: { 'aws:SourceVpce': 'vpce-0ffffffffffffffff' } }).principals, [], request);
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
    assert.deepEqual(shortestPath(principal(events, U.judy)), [via.assume(R.eventsReader, '#0', [POL.AssumeEventsReader, '#0']), ...via.grant(POL.ReadEvents, '#0')]);
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
