import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, WhoCanAnswer } from '../../../src/analysis';
import { ANONYMOUS, H, MANAGE, Q, R, U, W, X, arnsOf, principal, seedAnalysis, sorted } from './support/seed';

/**
 * seed/README.md Q9: things whocan must not report, checked on every method
 * of every API and stage of the snapshot (listed here by hand from the README's
 * API tables), and on every management action.
 */

const stages = (api: string, names: string[], methods: string[]) => names.flatMap((s) => methods.map((m) => `${api}/${s}/${m}`));
const PETSTORE_API = stages(X, ['prod', 'staging'], ['GET/pets', 'POST/pets', 'GET/pets/{id}', 'DELETE/pets/{id}', 'ANY/admin/{proxy+}']);
const PETSTORE_WEB = stages(W, ['prod', 'staging'], ['GET/health', 'GET/orders', 'POST/orders', 'GET/orders/{orderId}']);
const PETSTORE_INTERNAL = stages(Q, ['prod'], ['GET/inventory', 'GET/inventory/{sku}']);
const PETSTORE_EVENTS = stages(H, ['$default'], ['GET/events', 'POST/events', 'GET/status']);
const ALL_METHODS = [...PETSTORE_API, ...PETSTORE_WEB, ...PETSTORE_INTERNAL, ...PETSTORE_EVENTS];
const MANAGE_ACTIONS = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE', 'apigateway:UpdateRestApiPolicy'];

let analysis: AccessAnalysis;
const answers = new Map<string, WhoCanAnswer>();
before(async () => {
  analysis = await seedAnalysis();
  for (const m of ALL_METHODS) answers.set(m, analysis.whoCanInvoke(m));
});

const answer = (m: string) => answers.get(m)!;

describe('Q9 must not report', () => {
  it('the method list is complete: OrganizationAccountAccessRole (AdministratorAccess) with unsigned methods sees these 23 but GET /inventory/{sku}, which no VPC endpoint lets through', () => {
    const methods = analysis.invocableMethods(R.oaar, { includeUnsigned: true }).methods.map((m) => m.methodArn);
    assert.deepEqual(sorted(methods), sorted(ALL_METHODS.filter((m) => m !== `${Q}/prod/GET/inventory/{sku}`)));
    assert.deepEqual(answer(`${Q}/prod/GET/inventory/{sku}`).principals, []);
  });

  it('InvokePetsProd v1 (execute-api:* on *) is ignored: bob-caller appears only on prod GET /pets, GET /pets/{id} and POST /pets', () => {
    const withBob = ALL_METHODS.filter((m) => arnsOf(answer(m)).includes(U.bob));
    assert.deepEqual(sorted(withBob), sorted([`${X}/prod/GET/pets`, `${X}/prod/GET/pets/{id}`, `${X}/prod/POST/pets`]));
    assert.equal(analysis.can(U.bob, 'execute-api:Invoke', `${W}/prod/POST/orders`).decision, 'denied');
  });

  it('kim-noaccess appears nowhere: S2 names her account, but a cross-account call needs her identity allow too', () => {
    for (const m of ALL_METHODS) assert.ok(!arnsOf(answer(m)).includes(U.kim), m);
    assert.deepEqual(analysis.invocableMethods(U.kim).methods, []);
  });

  it('org-admin never invokes or changes an API directly: every answer that lists it does so through OrganizationAccountAccessRole', () => {
    const check = (a: WhoCanAnswer) => {
      const p = a.principals.find((x) => x.arn === U.orgAdmin);
      if (!p) return;
      assert.ok(p.hops >= 1, a.resource);
      for (const path of p.paths) assert.deepEqual([path[0]?.kind, path[0]?.to], ['assume-role', R.oaar], a.resource);
    };
    for (const m of ALL_METHODS) check(answer(m));
    for (const api of Object.values(MANAGE)) for (const action of MANAGE_ACTIONS) check(analysis.whoCan(action, api));
  });

  it('ops-jump is never an API caller itself (sts rights only): only through petstore-operator', () => {
    for (const m of ALL_METHODS) {
      const p = answer(m).principals.find((x) => x.arn === R.opsJump);
      if (!p) continue;
      assert.equal(p.hops, 1, m);
      for (const path of p.paths) assert.deepEqual([path[0]?.kind, path[0]?.to], ['assume-role', R.operator], m);
    }
  });

  it('judy-analyst never calls the HTTP API directly (cross account without a resource policy)', () => {
    for (const m of PETSTORE_EVENTS) {
      const p = answer(m).principals.find((x) => x.arn === U.judy);
      if (p) assert.equal(p.hops, 1, m);
    }
  });

  it('no anonymous access to petstore-api or to petstore-web POST /orders (AWS_IAM)', () => {
    for (const m of [...PETSTORE_API, `${W}/prod/POST/orders`, `${W}/staging/POST/orders`]) {
      assert.equal(answer(m).public, false, m);
      assert.ok(!arnsOf(answer(m)).includes(ANONYMOUS), m);
    }
  });

  it('erin-boundary changes no API and invokes no POST or DELETE on staging', () => {
    for (const api of Object.values(MANAGE)) {
      for (const action of MANAGE_ACTIONS) {
        if (action === 'apigateway:UpdateRestApiPolicy' && api === MANAGE.petstoreEvents) continue;
        assert.ok(!arnsOf(analysis.whoCan(action, api)).includes(U.erin), `${action} ${api}`);
      }
    }
    for (const m of [
      `${X}/staging/POST/pets`,
      `${X}/staging/DELETE/pets/{id}`,
      `${W}/staging/POST/orders`,
      `${X}/staging/POST/admin/x`,
      `${X}/staging/DELETE/admin/x`,
    ]) {
      assert.ok(!arnsOf(analysis.whoCanInvoke(m)).includes(U.erin), m);
    }
  });

  it('the SCP p-denyapidelete does not deny DELETE to platform-admin (its ArnNotLike exempts role/platform-admin)', () => {
    for (const api of Object.values(MANAGE)) {
      assert.equal(principal(analysis.whoCan('apigateway:DELETE', api), R.platformAdmin).decision, 'allowed', api);
      const evaluation = analysis.can(R.platformAdmin, 'apigateway:DELETE', api).requests[0]!;
      assert.equal(evaluation.decision, 'allowed');
      assert.ok(!evaluation.statements.some((s) => s.effect === 'Deny'), api);
    }
  });
});
