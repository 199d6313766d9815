import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ipRangeContains,
  parseIpRange,
  parsePolicy,
  principalFromArn,
  RequestContext,
  statementMatchesAction,
  statementMatchesResource,
  evaluateStatementConditions,
  type CompiledStatement,
  type Principal,
} from '../../../src/policy';

/**
 * Property tests: the compiled matchers (regular expressions, prefix and set
 * shortcuts, caches) against plain reference implementations written straight
 * from the IUG wording.
 */

/** Reference glob: `*` any run, `?` one character; `star`/`one` restrict what they may cover. */
function refGlob(
  pattern: string,
  value: string,
  starCovers: (pi: number, ch: string) => boolean,
  oneCovers: (ch: string) => boolean,
): boolean {
  const memo = new Map<string, boolean>();
  const go = (pi: number, vi: number): boolean => {
    const key = `${pi},${vi}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (pi === pattern.length) r = vi === value.length;
    else {
      const p = pattern[pi] as string;
      if (p === '*') r = go(pi + 1, vi) || (vi < value.length && starCovers(pi, value[vi] as string) && go(pi, vi + 1));
      else if (p === '?') r = vi < value.length && oneCovers(value[vi] as string) && go(pi + 1, vi + 1);
      else r = vi < value.length && value[vi] === p && go(pi + 1, vi + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** IUG elements_action: case-insensitive, `*` and `?` anywhere in the action name. */
function refAction(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  return refGlob(
    pattern.toLowerCase(),
    action.toLowerCase(),
    () => true,
    () => true,
  );
}

/**
 * IUG elements_resource: case-sensitive; a `*` stays in its colon-separated
 * segment unless it is the segment's last character; `?` is one character of
 * the segment.
 */
function refResource(pattern: string, resource: string): boolean {
  return refGlob(
    pattern,
    resource,
    (pi, ch) => ch !== ':' || pi === pattern.length - 1 || pattern[pi + 1] === ':',
    (ch) => ch !== ':',
  );
}

const USER: Principal = (() => {
  const r = principalFromArn('arn:aws:iam::111111111111:user/alice');
  if (!r.ok) throw new Error(r.message);
  return r.principal;
})();

function statement(doc: Record<string, unknown>): CompiledStatement {
  const s = parsePolicy({ Version: '2012-10-17', Statement: doc }, { type: 'identity' }).statements[0];
  if (s === undefined) throw new Error('no statement');
  return s;
}

const nameChars = fc.constantFrom('a', 'b', 'A', 'B', '1', '*', '?');
const valueChars = fc.constantFrom('a', 'b', 'A', 'B', '1');
const segChars = fc.constantFrom('a', 'b', 'B', ':', '/', '*', '?');
const segValueChars = fc.constantFrom('a', 'b', 'B', ':', '/');

describe('action matcher = reference (IUG elements_action)', () => {
  it('agrees on random patterns and actions, and on case changes', () => {
    fc.assert(
      fc.property(fc.array(nameChars, { minLength: 1, maxLength: 8 }), fc.array(valueChars, { minLength: 1, maxLength: 8 }), (p, v) => {
        const pattern = `svc:${p.join('')}`;
        const action = `SVC:${v.join('')}`;
        const s = statement({ Effect: 'Allow', Action: pattern, Resource: '*' });
        assert.equal(statementMatchesAction(s, action), refAction(pattern, action), `${pattern} vs ${action}`);
        assert.equal(statementMatchesAction(s, action.toLowerCase()), statementMatchesAction(s, action.toUpperCase()));
      }),
      { numRuns: 2000 },
    );
  });

  it('a list matches when any entry does; NotAction is the complement', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(nameChars, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(valueChars, { minLength: 1, maxLength: 6 }),
        (ps, v) => {
          const patterns = ps.map((p) => `svc:${p.join('')}`);
          const action = `svc:${v.join('')}`;
          const expected = patterns.some((p) => refAction(p, action));
          assert.equal(statementMatchesAction(statement({ Effect: 'Allow', Action: patterns, Resource: '*' }), action), expected);
          assert.equal(statementMatchesAction(statement({ Effect: 'Allow', NotAction: patterns, Resource: '*' }), action), !expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('resource matcher = reference (IUG elements_resource)', () => {
  it('agrees on random patterns and resources (wildcards, colons, slashes, case)', () => {
    const ctx = new RequestContext({ principal: USER });
    fc.assert(
      fc.property(fc.array(segChars, { minLength: 1, maxLength: 10 }), fc.array(segValueChars, { maxLength: 10 }), (p, v) => {
        const pattern = `arn:aws:svc:r:111111111111:${p.join('')}`;
        const resource = `arn:aws:svc:r:111111111111:${v.join('')}`;
        const s = statement({ Effect: 'Allow', Action: '*', Resource: pattern });
        assert.equal(statementMatchesResource(s, resource, ctx), refResource(pattern, resource), `${pattern} vs ${resource}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees when wildcards sit in the region and account segments', () => {
    const ctx = new RequestContext({ principal: USER });
    const seg = fc.array(fc.constantFrom('a', 'b', '*', '?'), { minLength: 1, maxLength: 3 }).map((x) => x.join(''));
    const vseg = fc.array(fc.constantFrom('a', 'b', ':'), { minLength: 0, maxLength: 3 }).map((x) => x.join(''));
    fc.assert(
      fc.property(seg, seg, vseg, vseg, (pr, pa, vr, va) => {
        const pattern = `arn:aws:svc:${pr}:${pa}:res`;
        const resource = `arn:aws:svc:${vr}:${va}:res`;
        const s = statement({ Effect: 'Allow', Action: '*', Resource: pattern });
        assert.equal(statementMatchesResource(s, resource, ctx), refResource(pattern, resource), `${pattern} vs ${resource}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('a resource entry with a variable matches like the entry with the value substituted literally', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '*', '?', '/'), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 6 }),
        (nameChars2, rest) => {
          const name = nameChars2.join('');
          const principal: Principal = {
            kind: 'user',
            partition: 'aws',
            accountId: '111111111111',
            arn: `arn:aws:iam::111111111111:user/${name}`,
            name,
          };
          const ctx = new RequestContext({ principal });
          const s = statement({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}/*' });
          const resource = `arn:aws:s3:::b/${name}/${rest.join('')}`;
          // The variable's value is literal text: its * and ? are not wildcards.
          assert.equal(statementMatchesResource(s, resource, ctx), true);
          const other = `arn:aws:s3:::b/${name.replace(/[*?]/g, 'x')}x/${rest.join('')}`;
          assert.equal(statementMatchesResource(s, other, ctx), false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

describe('IP ranges = reference', () => {
  it('IPv4: containment agrees with integer arithmetic', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    fc.assert(
      fc.property(ip, fc.integer({ min: 0, max: 32 }), ip, (net, prefix, addr) => {
        const range = parseIpRange(`${net}/${prefix}`);
        const a = parseIpRange(addr);
        assert.ok(range && a);
        const size = 2 ** (32 - prefix);
        const expected = Math.floor(ipv4ToInt(net) / size) === Math.floor(ipv4ToInt(addr) / size);
        assert.equal(ipRangeContains(range, a), expected, `${net}/${prefix} ∋ ${addr}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('IPv6: compressed and full forms are the same address; containment follows the prefix bits', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 8, maxLength: 8 }),
        fc.array(group, { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 128 }),
        (g1, g2, prefix) => {
          const full = (g: number[]) => g.map((x) => x.toString(16)).join(':');
          const bits = (g: number[]) => g.map((x) => x.toString(2).padStart(16, '0')).join('');
          const range = parseIpRange(`${full(g1)}/${prefix}`);
          const addr = parseIpRange(full(g2));
          assert.ok(range && addr);
          assert.equal(ipRangeContains(range, addr), bits(g1).slice(0, prefix) === bits(g2).slice(0, prefix));
          // Zero runs compressed with :: parse to the same address.
          const zeroed = [...g2.slice(0, 3), 0, 0, 0, ...g2.slice(6)];
          const compressed = `${g2
            .slice(0, 3)
            .map((x) => x.toString(16))
            .join(':')}::${g2
            .slice(6)
            .map((x) => x.toString(16))
            .join(':')}`;
          assert.deepEqual(parseIpRange(compressed), parseIpRange(full(zeroed)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never matches across families', () => {
    const v4 = parseIpRange('0.0.0.0/0');
    const v6 = parseIpRange('::/0');
    assert.ok(v4 && v6);
    assert.equal(ipRangeContains(v4, parseIpRange('::1') ?? v6), false);
    assert.equal(ipRangeContains(v6, parseIpRange('10.0.0.1') ?? v4), false);
  });
});

describe('condition operators = reference', () => {
  const ctxWith = (key: string, value: string) => new RequestContext({ principal: USER, values: { [key]: value } });

  it('StringLike agrees with the plain glob (case-sensitive, * and ? cross everything)', () => {
    fc.assert(
      fc.property(fc.array(segChars, { minLength: 1, maxLength: 8 }), fc.array(segValueChars, { maxLength: 8 }), (p, v) => {
        const pattern = p.join('');
        const value = v.join('');
        const s = statement({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'test:key': pattern } } });
        assert.equal(
          evaluateStatementConditions(s, ctxWith('test:key', value)),
          refGlob(
            pattern,
            value,
            () => true,
            () => true,
          ),
          `${pattern} vs ${value}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('ArnLike matches each of the six components on its own', () => {
    const comp = fc.array(fc.constantFrom('a', 'b', '*', '?'), { minLength: 1, maxLength: 3 }).map((x) => x.join(''));
    const vcomp = fc.array(fc.constantFrom('a', 'b'), { minLength: 0, maxLength: 3 }).map((x) => x.join(''));
    fc.assert(
      fc.property(
        comp,
        comp,
        fc.array(fc.constantFrom('a', 'b', ':', '*'), { minLength: 1, maxLength: 4 }),
        vcomp,
        vcomp,
        fc.array(fc.constantFrom('a', 'b', ':'), { maxLength: 4 }),
        (pr, pa, pres, vr, va, vres) => {
          const pattern = `arn:aws:svc:${pr}:${pa}:${pres.join('')}`;
          const value = `arn:aws:svc:${vr}:${va}:${vres.join('')}`;
          const any = () => true;
          const expected = refGlob(pr, vr, any, any) && refGlob(pa, va, any, any) && refGlob(pres.join(''), vres.join(''), any, any);
          const s = statement({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': pattern } } });
          assert.equal(evaluateStatementConditions(s, ctxWith('aws:SourceArn', value)), expected, `${pattern} vs ${value}`);
          const n = statement({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnNotLike: { 'aws:SourceArn': pattern } } });
          assert.equal(evaluateStatementConditions(n, ctxWith('aws:SourceArn', value)), !expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('Numeric operators agree with number comparison; negation is the complement', () => {
    const ops: [string, (a: number, b: number) => boolean][] = [
      ['NumericEquals', (a, b) => a === b],
      ['NumericLessThan', (a, b) => a < b],
      ['NumericLessThanEquals', (a, b) => a <= b],
      ['NumericGreaterThan', (a, b) => a > b],
      ['NumericGreaterThanEquals', (a, b) => a >= b],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.constantFrom(...ops),
        (req, pol, [op, cmp]) => {
          const s = statement({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [op]: { 'test:n': String(pol) } } });
          assert.equal(evaluateStatementConditions(s, ctxWith('test:n', String(req))), cmp(req, pol));
          const ne = statement({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericNotEquals: { 'test:n': String(pol) } } });
          assert.equal(evaluateStatementConditions(ne, ctxWith('test:n', String(req))), req !== pol);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('Date operators agree with time comparison for ISO and epoch forms', () => {
    const ops: [string, (a: number, b: number) => boolean][] = [
      ['DateEquals', (a, b) => a === b],
      ['DateLessThan', (a, b) => a < b],
      ['DateGreaterThanEquals', (a, b) => a >= b],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.constantFrom(...ops),
        fc.boolean(),
        (req, pol, [op, cmp], iso) => {
          const policyValue = iso ? new Date(pol * 1000).toISOString() : String(pol);
          const s = statement({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [op]: { 'test:d': policyValue } } });
          assert.equal(evaluateStatementConditions(s, ctxWith('test:d', new Date(req * 1000).toISOString())), cmp(req, pol));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
