import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  authorize,
  compileWildcard,
  isPolicyValidationError,
  parsePolicy,
  principalFromArn,
  RequestContext,
  type CompiledPolicy,
  type GlobStyle,
  type Principal,
} from '../../src/policy';

/**
 * Hostile policy text: documents shaped to be slow (many wildcards, long
 * values, deep and wide conditions) and random mangled ones. Every input must
 * be parsed and decided, or refused with a validation error, within a time
 * bound; and the matcher must agree with a plain reference on every pattern.
 */

/** No single input may take longer than this (the expected time is well under a millisecond). */
const PER_INPUT_MS = 250;

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = process.hrtime.bigint();
  const value = work();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Reference glob (memoised, so polynomial): `*` any run, `?` one unit; the star and `?` predicates restrict what they cover. */
function reference(pattern: string, value: string, style: GlobStyle): boolean {
  const unbounded = (pi: number): boolean => {
    if (style === 'plain') return true;
    let j = pi + 1;
    while (pattern[j] === '*') j += 1;
    // A run of stars matches what its last one matches; that one is unbounded when the pattern ends or ':' follows.
    return j === pattern.length || pattern[j] === ':';
  };
  const memo = new Map<number, boolean>();
  const go = (pi: number, vi: number): boolean => {
    const key = pi * (value.length + 1) + vi;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (pi === pattern.length) r = vi === value.length;
    else {
      const p = pattern[pi];
      const v = value[vi];
      if (p === '*') r = go(pi + 1, vi) || (v !== undefined && (v !== ':' || unbounded(pi)) && go(pi, vi + 1));
      else if (p === '?') r = v !== undefined && (style === 'plain' || v !== ':') && go(pi + 1, vi + 1);
      else r = v === p && go(pi + 1, vi + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

const CALLER: Principal = (() => {
  const r = principalFromArn('arn:aws:iam::111111111111:role/app');
  if (!r.ok) throw new Error(r.message);
  return r.principal;
})();

/** Wildcard-heavy text: runs of `*`, `?`, `*?`, colons and letters. */
const hostilePattern = fc
  .array(fc.constantFrom('*', '?', '*?', '?*', ':', 'a', 'b', '/', '*a', 'a*', '**'), { minLength: 1, maxLength: 60 })
  .map((parts) => parts.join(''));
const longValue = fc
  .tuple(fc.constantFrom('a', 'ab', 'a:', 'a/', 'b'), fc.integer({ min: 1, max: 400 }), fc.constantFrom('', 'b', 'Z', ':x'))
  .map(([unit, n, tail]) => unit.repeat(n) + tail);

describe('hostile policy text: parsed and decided within a time bound, or refused', () => {
  it('wildcard-heavy patterns against long values: linear-time, and the same answer as the reference', () => {
    fc.assert(
      fc.property(hostilePattern, longValue, fc.constantFrom<GlobStyle>('plain', 'resource'), (pattern, value, style) => {
        const { value: got, ms } = timed(() => compileWildcard(pattern, style)(value));
        assert.ok(ms < PER_INPUT_MS, `${style} ${pattern} against ${value.length} characters took ${ms.toFixed(1)} ms`);
        assert.equal(got, reference(pattern, value, style), `${style} ${JSON.stringify(pattern)} vs ${JSON.stringify(value)}`);
      }),
      { numRuns: 3_000 },
    );
  });

  it('policies whose every element is a hostile pattern are decided within the bound', () => {
    fc.assert(
      fc.property(hostilePattern, hostilePattern, hostilePattern, longValue, (resourceTail, conditionTail, actionName, value) => {
        const doc = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [`execute-api:${actionName.replace(/[:/]/g, '')}`, 'execute-api:Invoke'],
              Resource: [`arn:aws:execute-api:*:*:${resourceTail}`, `arn:aws:execute-api:us-east-1:111111111111:${resourceTail}Z`],
              Condition: {
                StringLike: {
                  'aws:PrincipalArn': `arn:aws:iam::${conditionTail}Z`,
                  'aws:UserAgent': [conditionTail, `${conditionTail}*?*?*?`],
                },
                ArnLike: { 'aws:SourceArn': `arn:aws:*:*:*:${conditionTail}` },
              },
            },
          ],
        };
        const { ms } = timed(() => {
          let policy: CompiledPolicy;
          try {
            policy = parsePolicy(doc, { type: 'identity' });
          } catch (error) {
            assert.ok(isPolicyValidationError(error), String(error));
            return;
          }
          const resource = `arn:aws:execute-api:us-east-1:111111111111:${value}`;
          const context = new RequestContext({ principal: CALLER, values: { 'aws:UserAgent': value, 'aws:SourceArn': resource } });
          const result = authorize({ principal: CALLER, action: 'execute-api:Invoke', resource, context, identityPolicies: [policy] });
          assert.ok(['allowed', 'explicitDeny', 'implicitDeny', 'conditional'].includes(result.decision), result.decision);
        });
        assert.ok(ms < PER_INPUT_MS, `took ${ms.toFixed(1)} ms`);
      }),
      { numRuns: 500 },
    );
  });

  it('the probes that stalled whocan answer in milliseconds', () => {
    const probes: [string, string][] = [
      [`arn:aws:iam::${'*?'.repeat(12)}Z`, `arn:aws:iam::123456789012:role/${'a'.repeat(60)}`],
      [`arn:aws:iam::${'*?'.repeat(200)}Z`, `arn:aws:iam::123456789012:role/${'a'.repeat(2_000)}`],
      [`${'*a'.repeat(500)}b`, 'a'.repeat(10_000)],
      [`${'*:'.repeat(100)}${'*a?'.repeat(100)}b`, `${'a:'.repeat(200)}${'a'.repeat(5_000)}`],
    ];
    for (const [pattern, value] of probes) {
      for (const style of ['plain', 'resource'] as const) {
        const { value: got, ms } = timed(() => compileWildcard(pattern, style)(value));
        assert.equal(got, false);
        assert.ok(ms < PER_INPUT_MS, `${style} ${pattern.slice(0, 40)}… took ${ms.toFixed(1)} ms`);
      }
    }
  });

  it('values whose toString or valueOf is not a function are refused by JSON path in every slot, never crash', () => {
    // JSON.parse yields such objects ({"toString": null}); formatting them with String() or a template throws a TypeError.
    const evil: unknown[] = [{ toString: null }, [{ toString: null }], { toString: null, valueOf: null }, Object.create(null)];
    const place: Record<string, (value: unknown) => Record<string, unknown>> = {
      Effect: (value) => ({ Effect: value, Action: '*', Resource: '*' }),
      Sid: (value) => ({ Sid: value, Effect: 'Allow', Action: '*', Resource: '*' }),
      Action: (value) => ({ Effect: 'Allow', Action: value, Resource: '*' }),
      NotAction: (value) => ({ Effect: 'Allow', NotAction: value, Resource: '*' }),
      Resource: (value) => ({ Effect: 'Allow', Action: '*', Resource: value }),
      'condition value': (value) => ({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:SourceIp': value } } }),
      'condition block': (value) => ({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: value } }),
      Principal: (value) => ({ Effect: 'Allow', Principal: value, Action: '*', Resource: '*' }),
    };
    for (const value of evil) {
      for (const [slot, statement] of Object.entries(place)) {
        const type = slot === 'Principal' ? 'resource' : 'identity';
        let refused: unknown;
        try {
          parsePolicy({ Version: '2012-10-17', Statement: statement(value) }, { type });
        } catch (error) {
          refused = error;
        }
        assert.ok(
          isPolicyValidationError(refused),
          `${slot}: expected a validation error, got ${refused instanceof Error ? refused.message : 'no error'}`,
        );
        assert.match(refused.message, /\$\.Statement|problems/, slot);
      }
    }
  });

  it('random and mangled documents are refused with problems or decided, never crash, within the bound', () => {
    const slot = fc.oneof(fc.string({ maxLength: 40 }), hostilePattern, fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(slot, slot, slot, slot, (action, resource, key, value) => {
        // A JSON object's keys are strings; JSON.stringify turns any generated value into one (String() throws on {"toString": null}).
        const conditionKey = typeof key === 'string' ? key : JSON.stringify(key);
        const { ms } = timed(() => {
          try {
            const policy = parsePolicy(
              {
                Version: '2012-10-17',
                Statement: { Effect: 'Allow', Action: action, Resource: resource, Condition: { StringLike: { [conditionKey]: value } } },
              },
              { type: 'identity' },
            );
            authorize({
              principal: CALLER,
              action: 'execute-api:Invoke',
              resource: 'arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/x',
              identityPolicies: [policy],
            });
          } catch (error) {
            assert.ok(isPolicyValidationError(error), `not a validation error: ${String(error)}`);
          }
        });
        assert.ok(ms < PER_INPUT_MS, `took ${ms.toFixed(1)} ms`);
      }),
      { numRuns: 2_000 },
    );
  });
});
