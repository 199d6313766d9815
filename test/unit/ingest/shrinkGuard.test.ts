import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excessiveShrinks, SHRINK_EXAMPLES } from '../../../src/ingest/shrinkGuard';

describe('the shrink guard', () => {
  const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

  it('lets through a snapshot that keeps at least half of the principals and of the APIs', () => {
    const principals = keys('p', 10);
    const apis = keys('a', 4);
    assert.deepEqual(
      excessiveShrinks({ principals, apis }, { principals: new Set(principals.slice(5)), apis: new Set(apis.slice(2)) }),
      [],
    );
    assert.deepEqual(excessiveShrinks({ principals: [], apis: [] }, { principals: new Set(), apis: new Set() }), [], 'nothing to lose');
    assert.deepEqual(
      excessiveShrinks({ principals, apis }, { principals: new Set([...principals, 'new']), apis: new Set(apis) }),
      [],
      'growth',
    );
  });

  it('refuses one that removes more than half of either, with the count and the first removed keys, sorted', () => {
    const principals = keys('p', 30);
    const apis = keys('a', 3);
    const shrinks = excessiveShrinks({ principals, apis }, { principals: new Set(principals.slice(0, 14)), apis: new Set(apis) });
    assert.deepEqual(shrinks, [{ kind: 'principals', before: 30, removed: 16, examples: principals.slice(14, 14 + SHRINK_EXAMPLES) }]);
    const noApis = excessiveShrinks({ principals, apis }, { principals: new Set(principals), apis: new Set(['a000']) });
    assert.deepEqual(
      noApis.map((s) => [s.kind, s.removed, s.before]),
      [['APIs', 2, 3]],
    );
  });
});
