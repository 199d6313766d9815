import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  compileWildcard,
  evaluateStatementConditions,
  parsePolicy,
  RequestContext,
  principalFromArn,
  statementMatchesAction,
  statementMatchesResource,
  type CompiledStatement,
  type GlobStyle,
} from '../../../src/policy';
import { compileGlob } from '../../../src/policy/match/glob';
import type { ResolvedPiece } from '../../../src/policy/variables/template';
import { globMatches } from '../../../src/services/review/glob';

/**
 * The linear-time glob against the regular expressions it replaced (kept
 * here as the oracle, exactly as they were): same answer on random patterns
 * and values, in both styles, with literal pieces, for action lists, resource
 * lists and review patterns. Then patterns that made the regular expressions
 * backtrack for seconds or minutes must answer within milliseconds.
 */

// ---- The old implementation (oracle) ----

function oldEscapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

type OldToken = { t: 'lit'; s: string } | { t: 'star' } | { t: 'q' };

function oldTokenize(pieces: readonly ResolvedPiece[], fold: boolean): OldToken[] {
  const tokens: OldToken[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') tokens.push({ t: 'lit', s: lit });
    lit = '';
  };
  for (const piece of pieces) {
    const text = fold ? piece.text.toLowerCase() : piece.text;
    if (piece.literal) {
      lit += text;
      continue;
    }
    for (const c of text) {
      if (c === '*' || c === '?') {
        flush();
        tokens.push(c === '*' ? { t: 'star' } : { t: 'q' });
      } else lit += c;
    }
  }
  flush();
  return tokens;
}

function oldGlobRegexSource(pieces: readonly ResolvedPiece[], style: GlobStyle, fold = false): string {
  const tokens = oldTokenize(pieces, fold);
  let src = '';
  tokens.forEach((tok, i) => {
    if (tok.t === 'lit') src += oldEscapeRegex(tok.s);
    else if (tok.t === 'q') src += style === 'resource' ? '[^:]' : '[\\s\\S]';
    else if (style === 'plain') src += '[\\s\\S]*';
    else {
      const next = tokens[i + 1];
      const lastOfSegment = next === undefined || (next.t === 'lit' && next.s.startsWith(':'));
      src += lastOfSegment ? '[\\s\\S]*' : '[^:]*';
    }
  });
  return src;
}

function oldGlob(pieces: readonly ResolvedPiece[], style: GlobStyle, fold = false): (v: string) => boolean {
  const re = new RegExp(`^${oldGlobRegexSource(pieces, style, fold)}$`);
  return (v) => re.test(v);
}

/** The old action list: one alternation, service prefix escaped. */
function oldActionList(patterns: readonly string[]): (a: string) => boolean {
  const source = patterns
    .map((p) => {
      const colon = p.indexOf(':');
      const name = p.slice(colon + 1);
      return oldEscapeRegex(p.slice(0, colon + 1)) + oldEscapeRegex(name).replace(/\\\*/g, '[\\s\\S]*').replace(/\\\?/g, '[\\s\\S]');
    })
    .join('|');
  const re = new RegExp(`^(?:${source})$`);
  return (a) => re.test(a);
}

/** The old review glob (a `u` regular expression: `?` is one code point). */
function oldReviewGlob(pattern: string, text: string): boolean {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[\\s\\S]*')
      .replace(/\?/g, '[\\s\\S]')}$`,
    'u',
  ).test(text);
}

// ---- Generators ----

const patternChar = fc.constantFrom('a', 'b', ':', '/', '*', '?', '*', '?', ':', '.', '$', '(', '\\');
const valueChar = fc.constantFrom('a', 'b', ':', '/', '.', '$', '(', '\\');
const pattern = fc.array(patternChar, { maxLength: 14 }).map((c) => c.join(''));
const value = fc.array(valueChar, { maxLength: 18 }).map((c) => c.join(''));
/** A value built from a pattern (wildcards replaced by random text), so that many cases match. */
const near = (p: string): fc.Arbitrary<string> =>
  fc.array(fc.array(valueChar, { maxLength: 3 }), { minLength: p.length, maxLength: p.length }).map((fills) =>
    Array.from(p)
      .map((c, i) => (c === '*' ? (fills[i] ?? []).join('') : c === '?' ? ((fills[i] ?? [])[0] ?? 'a') : c))
      .join(''),
  );
const patternAndValue = pattern.chain((p) => fc.tuple(fc.constant(p), fc.oneof(value, near(p))));
const pieces = fc.array(fc.record({ text: fc.array(patternChar, { maxLength: 5 }).map((c) => c.join('')), literal: fc.boolean() }), {
  maxLength: 5,
});

describe('linear-time glob = the regular expressions it replaced', () => {
  for (const style of ['plain', 'resource'] as const) {
    it(`${style} style: random patterns and values`, () => {
      fc.assert(
        fc.property(patternAndValue, ([p, v]) => {
          const piecesOf = [{ text: p, literal: false }];
          assert.equal(
            compileGlob(piecesOf, style)(v),
            oldGlob(piecesOf, style)(v),
            `${style} ${JSON.stringify(p)} vs ${JSON.stringify(v)}`,
          );
        }),
        { numRuns: 20_000 },
      );
    });

    it(`${style} style: literal pieces (resolved variables) and case folding`, () => {
      fc.assert(
        fc.property(pieces, value, fc.boolean(), (ps, v, fold) => {
          const text = fold ? v.toUpperCase().toLowerCase() : v;
          assert.equal(
            compileGlob(ps, style, fold)(text),
            oldGlob(ps, style, fold)(text),
            `${style} ${JSON.stringify(ps)} vs ${JSON.stringify(text)}`,
          );
        }),
        { numRuns: 10_000 },
      );
    });
  }

  it('ARN-shaped patterns and values (six segments, wildcards in every segment)', () => {
    const seg = fc.array(fc.constantFrom('a', 'b', '*', '?', '/'), { maxLength: 4 }).map((c) => c.join(''));
    const vseg = fc.array(fc.constantFrom('a', 'b', '/', ':'), { maxLength: 5 }).map((c) => c.join(''));
    fc.assert(
      fc.property(fc.array(seg, { minLength: 6, maxLength: 8 }), fc.array(vseg, { minLength: 6, maxLength: 8 }), (ps, vs) => {
        const p = ps.join(':');
        const v = vs.join(':');
        for (const style of ['plain', 'resource'] as const) {
          assert.equal(compileWildcard(p, style)(v), oldGlob([{ text: p, literal: false }], style)(v), `${style} ${p} vs ${v}`);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});

function statement(doc: Record<string, unknown>): CompiledStatement {
  const s = parsePolicy({ Version: '2012-10-17', Statement: doc }, { type: 'identity' }).statements[0];
  if (s === undefined) throw new Error('no statement');
  return s;
}

describe('action and resource lists = the old alternations', () => {
  it('Action lists (case-insensitive, service prefix literal)', () => {
    const name = fc.array(fc.constantFrom('a', 'B', '1', '*', '?', '.', '-'), { minLength: 1, maxLength: 8 }).map((c) => c.join(''));
    const concrete = fc.array(fc.constantFrom('a', 'b', 'B', '1', '.', '-'), { minLength: 1, maxLength: 10 }).map((c) => c.join(''));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), concrete, fc.constantFrom('svc', 'other'), (names, a, service) => {
        const patterns = names.map((n) => `svc:${n}`);
        const action = `${service}:${a}`;
        const s = statement({ Effect: 'Allow', Action: patterns, Resource: '*' });
        const expected =
          patterns.some((p) => p.toLowerCase() === action.toLowerCase()) ||
          oldActionList(patterns.filter((p) => /[*?]/.test(p)).map((p) => p.toLowerCase()))(action.toLowerCase());
        assert.equal(statementMatchesAction(s, action), expected, `${patterns.join(',')} vs ${action}`);
      }),
      { numRuns: 5_000 },
    );
  });

  it('Resource lists (exact, prefix and wildcard entries together)', () => {
    const principal = principalFromArn('arn:aws:iam::111111111111:user/alice');
    if (!principal.ok) throw new Error(principal.message);
    const ctx = new RequestContext({ principal: principal.principal });
    const entry = fc
      .array(fc.constantFrom('a', 'b', ':', '/', '*', '?'), { minLength: 1, maxLength: 8 })
      .map((c) => `arn:aws:svc:r:1:${c.join('')}`);
    const resource = fc.array(fc.constantFrom('a', 'b', ':', '/'), { maxLength: 10 }).map((c) => `arn:aws:svc:r:1:${c.join('')}`);
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), resource, (entries, r) => {
        const s = statement({ Effect: 'Allow', Action: '*', Resource: entries });
        const expected = entries.some((e) => oldGlob([{ text: e, literal: false }], 'resource')(r));
        assert.equal(statementMatchesResource(s, r, ctx), expected, `${entries.join(',')} vs ${r}`);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('review patterns = the old u regular expression', () => {
  it('agrees, with characters outside the BMP (`?` is one code point)', () => {
    const ch = fc.constantFrom('a', 'b', '/', '.', '😀', '𝔸', '\uD800', 'é');
    const p = fc.array(fc.oneof(ch, fc.constantFrom('*', '?')), { maxLength: 10 }).map((c) => c.join(''));
    const t = fc.array(ch, { maxLength: 12 }).map((c) => c.join(''));
    fc.assert(
      fc.property(p, t, (pp, tt) => {
        assert.equal(globMatches(pp, tt), oldReviewGlob(pp, tt), `${JSON.stringify(pp)} vs ${JSON.stringify(tt)}`);
      }),
      { numRuns: 10_000 },
    );
  });
});

/** Time of `f`, in milliseconds. */
function timed(f: () => unknown): number {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

describe('patterns that made the regular expressions backtrack answer within milliseconds', () => {
  const bound = 200; // ms: far above the expected microseconds, far below the seconds-to-minutes of backtracking
  const arn = `arn:aws:iam::123456789012:role/${'a'.repeat(40)}`;
  const cases: { name: string; style: GlobStyle; pattern: string; value: string; expected: boolean }[] = [
    {
      name: 'StringLike arn:aws:iam:: then *? twelve times then Z',
      style: 'plain',
      pattern: `arn:aws:iam::${'*?'.repeat(12)}Z`,
      value: arn,
      expected: false,
    },
    { name: 'the same, resource style', style: 'resource', pattern: `arn:aws:iam::${'*?'.repeat(12)}Z`, value: arn, expected: false },
    { name: 'many *a against a long run of a', style: 'plain', pattern: `${'*a'.repeat(30)}b`, value: 'a'.repeat(5_000), expected: false },
    {
      name: 'many *a, resource style, in one segment',
      style: 'resource',
      pattern: `${'*a'.repeat(30)}b`,
      value: 'a'.repeat(5_000),
      expected: false,
    },
    {
      name: 'segment-bounded stars across many colons',
      style: 'resource',
      pattern: `${'*:'.repeat(30)}${'*a?'.repeat(20)}b`,
      value: `${'a:'.repeat(40)}${'a'.repeat(3_000)}`,
      expected: false,
    },
    { name: 'a matching pathological pattern', style: 'plain', pattern: `${'*a'.repeat(30)}*`, value: 'a'.repeat(5_000), expected: true },
    {
      name: '4–8 wildcards against a 50-character ARN',
      style: 'resource',
      pattern: `arn:aws:execute-api:*:*:${'*?'.repeat(8)}/x`,
      value: `arn:aws:execute-api:us-east-1:123456789012:${'a'.repeat(50)}`,
      expected: false,
    },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.style})`, () => {
      const match = compileWildcard(c.pattern, c.style);
      let result: boolean | undefined;
      const ms = timed(() => {
        result = match(c.value);
      });
      assert.equal(result, c.expected);
      assert.ok(ms < bound, `took ${ms.toFixed(1)} ms`);
    });
  }

  it('a trust policy condition with the pathological pattern is decided within milliseconds', () => {
    const s = statement({
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: `arn:aws:execute-api:*:*:${'*?'.repeat(12)}Z`,
      Condition: { StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${'*?'.repeat(12)}Z` } },
    });
    const principal = principalFromArn(arn);
    if (!principal.ok) throw new Error(principal.message);
    const ctx = new RequestContext({ principal: principal.principal });
    const withArn = new RequestContext({ principal: principal.principal, values: { 'aws:PrincipalArn': arn } });
    const ms = timed(() => {
      assert.equal(statementMatchesResource(s, `arn:aws:execute-api:us-east-1:123456789012:${'a'.repeat(60)}`, ctx), false);
      assert.equal(evaluateStatementConditions(s, withArn), false);
    });
    assert.ok(ms < bound, `took ${ms.toFixed(1)} ms`);
  });

  it('review patterns too', () => {
    const ms = timed(() => assert.equal(globMatches(`${'*a'.repeat(30)}b`, 'a'.repeat(5_000)), false));
    assert.ok(ms < bound, `took ${ms.toFixed(1)} ms`);
  });
});
