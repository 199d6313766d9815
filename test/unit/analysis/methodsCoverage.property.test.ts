import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { principalFromArn, RequestContext, statementMatchesResource, validatePolicy } from '../../../src/policy';
import { accepts, patternAutomaton } from '../../../src/analysis/methods/automaton';
import {
  genericRequestArn,
  patternMayMatchTemplate,
  REQUEST_VERBS,
  requestArn,
  requestArnBelongsToTemplate,
  servedVerbs,
  uncoveredRequestArns,
  witnessRequestArns,
  type MethodTemplate,
} from '../../../src/analysis/methods';

/**
 * Property tests of template coverage against brute force: random small
 * resource patterns and method templates; every concrete request ARN of the
 * template over a small alphabet is matched by the policy engine itself
 * (statementMatchesResource), and template membership is checked by a regular
 * expression written here from the AGDG wording, independently of the
 * automata.
 */
const API = 'arn:aws:execute-api:r1:111111111111:ab';
const principal = (() => {
  const r = principalFromArn('arn:aws:iam::111111111111:user/t');
  assert.ok(r.ok);
  return r.principal;
})();
const context = new RequestContext({ principal });

/** The engine's own matcher for one Resource pattern, or undefined when the engine refuses the pattern. */
function engineMatcher(pattern: string): ((arn: string) => boolean) | undefined {
  const v = validatePolicy(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: pattern }] },
    { type: 'identity' },
  );
  if (!v.ok) return undefined;
  const statement = v.policy.statements[0];
  assert.ok(statement);
  return (arn) => statementMatchesResource(statement, arn, context) === true;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Template membership written from the AGDG: `{p}` one non-empty segment, `{p+}` one or more, `*` any path, verbs of ANY. */
function templateRegex(t: MethodTemplate): RegExp {
  const verbs = t.verb === 'ANY' || t.verb === '*' ? REQUEST_VERBS.join('|') : t.verb;
  let path: string;
  if (t.path === '*') path = '/(?:[^/]+(?:/[^/]+)*)?';
  else if (t.path === '/') path = '/';
  else {
    path = t.path
      .slice(1)
      .split('/')
      .map((s) => (/^\{[^}]+\+\}$/.test(s) ? '/[^/]+(?:/[^/]+)*' : /^\{[^}]+\}$/.test(s) ? '/[^/]+' : `/${escapeRegex(s)}`))
      .join('');
  }
  return new RegExp(`^${escapeRegex(`${t.apiArn}/${t.stage}/`)}(?:${verbs})${path}$`);
}

/** Every request ARN of the template with parameter values from a small alphabet (a greedy value: one or two segments). */
function enumerate(t: MethodTemplate, verb: string): string[] {
  const values = ['a', 'b', 'x', ':', 'ab', 'ba', 'a:', 'xa'];
  const greedyValues = [...values, ...values.flatMap((v) => values.map((w) => `${v}/${w}`))];
  let paths: string[] = [''];
  const segs = t.path === '*' ? ['{any+}'] : t.path === '/' ? [] : t.path.slice(1).split('/');
  for (const s of segs) {
    const options = /^\{[^}]+\+\}$/.test(s) ? greedyValues : /^\{[^}]+\}$/.test(s) ? values : [s];
    paths = paths.flatMap((p) => options.map((o) => `${p}/${o}`));
  }
  const all = paths.map((p) => (p === '' ? '/' : p));
  if (t.path === '*') all.push('/');
  return all.map((p) => requestArn(t.apiArn, t.stage, verb, p));
}

const patternChars = ['a', 'b', 'x', ':', '/', '*', '?'];
const tailArb = fc.array(fc.constantFrom(...patternChars), { maxLength: 6 }).map((cs) => cs.join(''));
const patternArb = fc.oneof(
  fc.constant('*'),
  fc
    .tuple(
      fc.constantFrom(
        API,
        'arn:aws:execute-api:*:*:*',
        'arn:aws:execute-api:r1:*:ab',
        'arn:aws:execute-api:r?:111111111111:a?',
        'arn:aws:execute-api:r1:111111111111:*',
        'arn:aws:execute-api:*:ab',
      ),
      fc.constantFrom('p', 'q', '*', '?', 'p*'),
      fc.constantFrom('GET', 'POST', 'PUT', '*', 'G?T', 'P*'),
      tailArb,
    )
    .map(([prefix, stage, verb, tail]) => `${prefix}/${stage}/${verb}${tail}`),
  fc
    .tuple(
      fc.constantFrom(API, 'arn:aws:execute-api:r1:111111111111:', 'arn:aws:execute-api:r1:*'),
      fc.array(fc.constantFrom(...patternChars, 'p', 'G', 'E', 'T', 'q'), { maxLength: 10 }),
    )
    .map(([p, cs]) => p + cs.join('')),
);

const segmentArb = fc.constantFrom('a', 'b', 'x', 'a:b', '{i}', '{j}');
const templateArb = fc
  .tuple(
    fc.constantFrom('p', 'q'),
    fc.constantFrom('GET', 'POST', 'ANY'),
    fc.array(segmentArb, { maxLength: 2 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([stage, verb, segs, greedy, catchAll]): MethodTemplate => {
    if (catchAll && verb === 'ANY') return { apiArn: API, stage, verb: '*', path: '*' };
    const names = segs.map((s, i) => s.replace('}', `${i}}`));
    const path = `/${[...names, ...(greedy ? ['{g+}'] : [])].join('/')}`;
    return { apiArn: API, stage, verb, path };
  });

describe('pattern automaton against the policy engine', () => {
  it('accepts exactly the ARNs statementMatchesResource matches', () => {
    const arnArb = fc.oneof(
      templateArb.chain((t) => fc.constantFrom(...servedVerbs(t.verb)).chain((v) => fc.constantFrom(...enumerate(t, v)))),
      fc
        .array(fc.constantFrom(...patternChars.filter((c) => c !== '*' && c !== '?'), 'p', 'G'), { maxLength: 8 })
        .map((cs) => `${API}/${cs.join('')}`),
    );
    fc.assert(
      fc.property(patternArb, arnArb, (pattern, arn) => {
        const engine = engineMatcher(pattern);
        fc.pre(engine !== undefined);
        assert.equal(accepts(patternAutomaton(pattern), arn), engine(arn), `${pattern} vs ${arn}`);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('coverage against brute force', () => {
  it('patternMayMatchTemplate is exact, witnesses and uncovered ARNs are right and complete', () => {
    fc.assert(
      fc.property(patternArb, templateArb, (pattern, t) => {
        const engine = engineMatcher(pattern);
        fc.pre(engine !== undefined);
        const belongs = templateRegex(t);
        const may = patternMayMatchTemplate(pattern, t);
        const witnesses = witnessRequestArns(pattern, t);
        const uncovered = uncoveredRequestArns(pattern, t);
        for (const w of [...witnesses, ...uncovered]) {
          assert.ok(belongs.test(w), `${w} belongs to ${t.verb} ${t.path}`);
          assert.ok(requestArnBelongsToTemplate(w, t));
        }
        for (const w of witnesses) assert.ok(engine(w), `witness ${w} is matched by ${pattern}`);
        for (const w of uncovered) assert.ok(!engine(w), `uncovered ${w} is not matched by ${pattern}`);
        let proof = false;
        for (const verb of servedVerbs(t.verb)) {
          const generic = genericRequestArn(t, verb);
          assert.ok(belongs.test(generic), generic);
          const genericMatched = engine(generic);
          const mine = (list: string[]): string[] => list.filter((w) => w.startsWith(`${t.apiArn}/${t.stage}/${verb}/`));
          assert.ok(mine(witnesses).length <= 1 && mine(uncovered).length <= 1, 'at most one per verb');
          if (genericMatched) assert.equal(mine(witnesses).length, 0, 'no witness when the generic ARN is matched');
          else assert.equal(mine(uncovered).length, 0, 'no uncovered ARN when the generic ARN is missed');
          proof ||= genericMatched || mine(witnesses).length > 0;
          const all = enumerate(t, verb);
          for (const arn of all) assert.ok(belongs.test(arn), arn);
          const someMatched = all.some(engine);
          const someMissed = all.some((arn) => !engine(arn));
          if (someMatched) assert.ok(may, `${pattern} matches a request of ${t.verb} ${t.path}: may-match must be true`);
          if (someMatched && !genericMatched) assert.equal(mine(witnesses).length, 1, `a witness for ${verb}`);
          if (someMissed && genericMatched) assert.equal(mine(uncovered).length, 1, `an uncovered ARN for ${verb}`);
        }
        assert.equal(may, proof, 'may-match exactly when the generic ARN or a witness is matched');
      }),
      { numRuns: 1500 },
    );
  });

  it('policy variables over-approximate: never false when some value of the variable matches', () => {
    fc.assert(
      fc.property(templateArb, fc.constantFrom('a', 'b', 'x', 'a/b', 'GET/a', 'p/GET/a'), tailArb, (t, value, tail) => {
        const pattern = `${API}/${t.stage}/\${aws:username}${tail}`;
        const v = validatePolicy(
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: pattern }] },
          { type: 'identity' },
        );
        fc.pre(v.ok);
        if (!v.ok) return;
        const statement = v.policy.statements[0];
        assert.ok(statement);
        const ctx = new RequestContext({ principal, values: { 'aws:username': value } });
        const matched = servedVerbs(t.verb).some((verb) =>
          enumerate(t, verb).some((arn) => statementMatchesResource(statement, arn, ctx) === true),
        );
        if (matched) assert.ok(patternMayMatchTemplate(pattern, t), `${pattern} with aws:username=${value}`);
      }),
      { numRuns: 500 },
    );
  });
});
