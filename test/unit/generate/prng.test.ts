import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/generate/prng';
import { apportion } from '../../../src/generate/plan';

describe('Rng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const c = new Rng('y');
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    assert.deepEqual(
      Array.from({ length: 20 }, () => b.nextUint32()),
      sa,
    );
    assert.notDeepEqual(
      Array.from({ length: 20 }, () => c.nextUint32()),
      sa,
    );
  });

  it('keeps numbers in range and forks independent streams', () => {
    const r = new Rng('range');
    for (let i = 0; i < 1000; i++) {
      const n = r.range(3, 7);
      assert.ok(n >= 3 && n <= 7 && Number.isInteger(n));
      const f = r.next();
      assert.ok(f >= 0 && f < 1);
    }
    assert.equal(new Rng('s').fork('k').nextUint32(), new Rng('s/k').nextUint32());
    assert.equal(new Set(r.sample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)).size, 4);
  });
});

describe('apportion', () => {
  it('splits a total exactly by weight', () => {
    assert.deepEqual(apportion(10, [1, 1]), [5, 5]);
    assert.equal(
      apportion(25000, [2, 27.5, 27.5, 10, 10, 10, 13.5]).reduce((x, y) => x + y, 0),
      25000,
    );
    assert.deepEqual(apportion(3, [0, 1, 0]), [0, 3, 0]);
  });
});
