import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccessAnalysis } from '../../../src/analysis';
import { runDiff, widens, type DiffReport } from '../../../src/services/review';
import { BOB, DAVE, EXPECTED_CHANGES, MANAGED, PROD, X } from '../../support/seedCopies';
import { analysisOf, modifiedSeedCopy, seedAnalysis, sourceOf } from './support';

/** `whocan diff` between seed/ and the modified copy of test/support/seedCopies.ts (the expected changes are worked out there). */
const row = (c: DiffReport['changes'][number]) => [
  c.change,
  c.kind,
  c.action,
  c.resource,
  c.principal,
  c.before?.decision ?? null,
  c.after?.decision ?? null,
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
    const source = sourceOf([
      ['before', await seedAnalysis()],
      ['after', modified],
    ]);
    const report = await runDiff(source, {});
    assert.equal(report.from, 'before', 'from defaults to the snapshot before the current one');
    assert.equal(report.to, 'after', 'to defaults to the current snapshot');
    assert.deepEqual(report.changes.map(row), EXPECTED_CHANGES);
    assert.deepEqual(report.counts, { gained: 16, lost: 3, changed: 0 });
    const lost = report.changes.find((c) => c.principal === BOB && c.resource === `${X}/prod/GET/pets`)!;
    assert.equal(lost.label, 'petstore-api/prod GET /pets');
    assert.deepEqual(
      lost.paths[0]!.map((h) => h.kind),
      ['member-of', 'policy', 'statement'],
      'a loss shows the path that was',
    );
    const gained = report.changes.find((c) => c.principal === DAVE && c.resource === MANAGED[1] && c.action === 'apigateway:PATCH')!;
    assert.equal(gained.label, 'petstore-api');
    assert.deepEqual(
      gained.paths[0]!.map((h) => [h.kind, h.to]),
      [
        ['member-of', `arn:aws:iam::${PROD}:group/api-developers`],
        ['policy', `arn:aws:iam::${PROD}:policy/ApiDeveloperAccess`],
        ['statement', MANAGED[1]],
      ],
    );
    assert.equal(report.changes.filter(widens).length, 16);
  });

  it('the other way round, gains are losses', async () => {
    const source = sourceOf([
      ['before', await seedAnalysis()],
      ['after', modified],
    ]);
    const report = await runDiff(source, { from: 'after', to: 'before' });
    assert.deepEqual(report.counts, { gained: 3, lost: 16, changed: 0 });
    assert.equal(report.changes.filter(widens).length, 3);
  });

  it('--kind and --api narrow what is compared (ids or names)', async () => {
    const source = sourceOf([
      ['before', await seedAnalysis()],
      ['after', modified],
    ]);
    const web = await runDiff(source, {}, { apis: ['petstore-web'] });
    assert.deepEqual(
      web.changes.map((c) => [c.action, c.label]),
      [
        ['apigateway:PATCH', 'petstore-web'],
        ['apigateway:POST', 'petstore-web'],
        ['apigateway:PUT', 'petstore-web'],
        ['execute-api:Invoke', 'petstore-web/staging POST /orders'],
      ],
    );
    const invoke = await runDiff(source, {}, { kinds: ['invoke'], apis: ['a1b2*'] });
    assert.deepEqual(invoke.counts, { gained: 6, lost: 3, changed: 0 });
    await assert.rejects(
      runDiff(source, {}, { apis: ['nope'] }),
      /--api nope: no API has this id or name; the APIs: .*a1b2c3d4e5 \(petstore-api\)/,
    );
  });

  it('a snapshot compared with itself has no change', async () => {
    const seed = await seedAnalysis();
    const report = await runDiff(
      sourceOf([
        ['a', seed],
        ['b', seed],
      ]),
      {},
    );
    assert.deepEqual([report.changes, report.counts], [[], { gained: 0, lost: 0, changed: 0 }]);
    // 23 methods × stages (10 + 8 + 2 + 3), 4 APIs × 4 actions, 9 roles.
    assert.equal(report.compared, 23 + 16 + 9);
  });
});
