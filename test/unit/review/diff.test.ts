import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccessAnalysis } from '../../../src/analysis';
import { runDiff, widens, type DiffReport } from '../../../src/services/review';
import { analysisOf, modifiedSeedCopy, seedAnalysis, sourceOf } from './support';

/**
 * `whocan diff` between seed/ and a copy where bob-caller left group
 * api-callers and dave-newdev joined api-developers. The expected changes
 * are worked out by hand from seed/README.md:
 * - bob-caller loses what InvokePetsProd gave him (Q1): GET /pets, GET
 *   /pets/{id} and POST /pets on prod (DELETE /pets/{id} was denied by
 *   DenyDeleteOnProd, so nothing changes there);
 * - dave-newdev gains what alice-apidev has (Q2, Q3, Q6): every AWS_IAM
 *   method on the staging stage of petstore-api (ANY /admin/{proxy+} only
 *   under S4's source IP) and petstore-web (POST /orders); the admin proxy on
 *   prod partially (`*` spans `/`: …/prod/POST/admin/staging/x); and POST,
 *   PUT and PATCH on petstore-api, petstore-web and petstore-events (the SCP
 *   denies DELETE).
 */
const PROD = '333344445555';
const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;
const W = `arn:aws:execute-api:us-east-1:${PROD}:k9l8m7n6o5`;
const BOB = `arn:aws:iam::${PROD}:user/bob-caller`;
const DAVE = `arn:aws:iam::${PROD}:user/dave-newdev`;
const MANAGED = ['arn:aws:apigateway:us-east-1::/apis/h7t8p9a0b1', 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5', 'arn:aws:apigateway:us-east-1::/restapis/k9l8m7n6o5'];

const row = (c: DiffReport['changes'][number]) => [c.change, c.kind, c.action, c.resource, c.principal, c.before?.decision ?? null, c.after?.decision ?? null];

export const EXPECTED_CHANGES = [
  ...MANAGED.flatMap((api) => ['apigateway:PATCH', 'apigateway:POST', 'apigateway:PUT'].map((action) => ['gained', 'manage', action, api, DAVE, null, 'allowed'])),
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/prod/ANY/admin/{proxy+}`, DAVE, null, 'partial'],
  ['lost', 'invoke', 'execute-api:Invoke', `${X}/prod/GET/pets`, BOB, 'allowed', null],
  ['lost', 'invoke', 'execute-api:Invoke', `${X}/prod/GET/pets/{id}`, BOB, 'allowed', null],
  ['lost', 'invoke', 'execute-api:Invoke', `${X}/prod/POST/pets`, BOB, 'allowed', null],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/ANY/admin/{proxy+}`, DAVE, null, 'conditional'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/DELETE/pets/{id}`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/GET/pets`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/GET/pets/{id}`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/POST/pets`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${W}/staging/POST/orders`, DAVE, null, 'allowed'],
];

describe('whocan diff on seed/ and a modified copy', () => {
  let modified: AccessAnalysis;
  let cleanup: () => void;
  before(async () => {
    const copy = modifiedSeedCopy();
    cleanup = copy.cleanup;
    modified = await analysisOf(copy.dir);
  });
  after(() => cleanup());

  it('lists exactly the gained and lost access, with labels and paths', async () => {
    const source = sourceOf([['before', await seedAnalysis()], ['after', modified]]);
    const report = await runDiff(source, {});
    assert.equal(report.from, 'before', 'from defaults to the snapshot before the current one');
    assert.equal(report.to, 'after', 'to defaults to the current snapshot');
    assert.deepEqual(report.changes.map(row), EXPECTED_CHANGES);
    assert.deepEqual(report.counts, { gained: 16, lost: 3, changed: 0 });
    const lost = report.changes.find((c) => c.principal === BOB && c.resource === `${X}/prod/GET/pets`)!;
    assert.equal(lost.label, 'petstore-api/prod GET /pets');
    assert.deepEqual(lost.paths[0]!.map((h) => h.kind), ['member-of', 'policy', 'statement'], 'a loss shows the path that was');
    const gained = report.changes.find((c) => c.principal === DAVE && c.resource === MANAGED[1] && c.action === 'apigateway:PATCH')!;
    assert.equal(gained.label, 'petstore-api');
    assert.deepEqual(gained.paths[0]!.map((h) => [h.kind, h.to]), [
      ['member-of', `arn:aws:iam::${PROD}:group/api-developers`],
      ['policy', `arn:aws:iam::${PROD}:policy/ApiDeveloperAccess`],
      ['statement', MANAGED[1]],
    ]);
    assert.equal(report.changes.filter(widens).length, 16);
  });

  it('the other way round, gains are losses', async () => {
    const source = sourceOf([['before', await seedAnalysis()], ['after', modified]]);
    const report = await runDiff(source, { from: 'after', to: 'before' });
    assert.deepEqual(report.counts, { gained: 3, lost: 16, changed: 0 });
    assert.equal(report.changes.filter(widens).length, 3);
  });

  it('--kind and --api narrow what is compared (ids or names)', async () => {
    const source = sourceOf([['before', await seedAnalysis()], ['after', modified]]);
    const web = await runDiff(source, {}, { apis: ['petstore-web'] });
    assert.deepEqual(web.changes.map((c) => [c.action, c.label]), [
      ['apigateway:PATCH', 'petstore-web'],
      ['apigateway:POST', 'petstore-web'],
      ['apigateway:PUT', 'petstore-web'],
      ['execute-api:Invoke', 'petstore-web/staging POST /orders'],
    ]);
    const invoke = await runDiff(source, {}, { kinds: ['invoke'], apis: ['a1b2*'] });
    assert.deepEqual(invoke.counts, { gained: 6, lost: 3, changed: 0 });
    await assert.rejects(runDiff(source, {}, { apis: ['nope'] }), /--api nope: no API has this id or name; the APIs: .*a1b2c3d4e5 \(petstore-api\)/);
  });

  it('a snapshot compared with itself has no change', async () => {
    const seed = await seedAnalysis();
    const report = await runDiff(sourceOf([['a', seed], ['b', seed]]), {});
    assert.deepEqual([report.changes, report.counts], [[], { gained: 0, lost: 0, changed: 0 }]);
    // 23 methods × stages (10 + 8 + 2 + 3), 4 APIs × 4 actions, 9 roles.
    assert.equal(report.compared, 23 + 16 + 9);
  });
});
