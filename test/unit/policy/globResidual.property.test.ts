import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileResidual, compileWildcard, type GlobStyle } from '../../../src/policy';

/**
 * The residual of a pattern after a prefix (the access index shares the
 * answer of two API stages when every pattern has the same residual after
 * both): equal residuals must mean equal matches for every suffix, and an
 * empty residual must mean that no value with the prefix matches. Checked
 * against the matcher the engine uses, on random patterns, prefixes and
 * suffixes over a small alphabet (so that collisions are frequent).
 */
const char = fc.constantFrom('a', 'b', ':', '/', '-');
const patternChar = fc.constantFrom('a', 'b', ':', '/', '*', '?', '*', 'a');
const text = (c: fc.Arbitrary<string>, max: number) => fc.array(c, { maxLength: max }).map((a) => a.join(''));

for (const style of ['resource', 'plain'] as GlobStyle[]) {
  describe(`globResidual (${style})`, () => {
    it('equal residuals after two prefixes: every suffix matches both or neither', () => {
      fc.assert(
        fc.property(
          text(patternChar, 10),
          text(char, 6),
          text(char, 6),
          fc.array(text(char, 6), { minLength: 1, maxLength: 8 }),
          (pattern, a, b, suffixes) => {
            const residual = compileResidual(pattern, style);
            const match = compileWildcard(pattern, style);
            const ra = residual(a);
            const rb = residual(b);
            if (ra === undefined || rb === undefined || ra !== rb) return;
            for (const x of suffixes) assert.equal(match(a + x), match(b + x), `${pattern} on ${a + x} / ${b + x}`);
          },
        ),
        { numRuns: 20_000 },
      );
    });

    it('an empty residual: no value with the prefix matches', () => {
      fc.assert(
        fc.property(
          text(patternChar, 10),
          text(char, 6),
          fc.array(text(char, 6), { minLength: 1, maxLength: 8 }),
          (pattern, a, suffixes) => {
            if (compileResidual(pattern, style)(a) !== '') return;
            for (const x of suffixes) assert.equal(compileWildcard(pattern, style)(a + x), false, `${pattern} on ${a + x}`);
          },
        ),
        { numRuns: 20_000 },
      );
    });

    it('a prefix that matches leaves a residual that is not empty', () => {
      fc.assert(
        fc.property(text(patternChar, 10), text(char, 8), (pattern, value) => {
          if (compileWildcard(pattern, style)(value)) assert.notEqual(compileResidual(pattern, style)(value), '');
        }),
        { numRuns: 20_000 },
      );
    });
  });
}

describe('globResidual on ARNs', () => {
  const api = 'arn:aws:execute-api:us-east-1:111122223333:a1b2c3';
  it('a pattern that does not name the stage leaves the same residual after every stage', () => {
    const residual = compileResidual(`${api}/*/GET/pets/*`, 'resource');
    assert.equal(residual(`${api}/prod/`), residual(`${api}/dev/`));
    assert.notEqual(residual(`${api}/prod/`), '');
  });
  it('a pattern that names a stage tells the stages apart', () => {
    const residual = compileResidual(`${api}/prod/*`, 'resource');
    assert.notEqual(residual(`${api}/prod/`), residual(`${api}/dev/`));
    assert.equal(residual(`${api}/dev/`), '');
  });
  it('a pattern with more live positions than the bound is reported as such', () => {
    const residual = compileResidual('*a*a*a*a*a*a', 'plain', 3);
    assert.equal(residual('aaaaaaaaaaaa'), undefined);
  });
  it('a long hostile pattern stays within the bound', () => {
    const residual = compileResidual(`${'*a'.repeat(2000)}`, 'resource');
    const started = performance.now();
    residual('a'.repeat(5000));
    assert.ok(performance.now() - started < 2000);
  });
});
