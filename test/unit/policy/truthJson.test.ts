import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  assumeContext,
  authorize,
  collectAtoms,
  evaluateTruth,
  isUnknown,
  parsePolicy,
  principalFromArn,
  truthFromJson,
  truthToJson,
  unknownPolicy,
  type Atom,
  type CompiledPolicy,
  type ContextInputValue,
  type Principal,
} from '../../../src/policy';

function principal(arn: string): Principal {
  const r = principalFromArn(arn);
  if (!r.ok) throw new Error(r.message);
  return r.principal;
}

const A = '111111111111';
const ALICE = principal(`arn:aws:iam::${A}:user/alice`);
const RESOURCE = `arn:aws:execute-api:us-east-1:${A}:abc123/prod/GET/pets`;

function policy(type: CompiledPolicy['source']['type'], id: string, statements: unknown[]): CompiledPolicy {
  return parsePolicy({ Version: '2012-10-17', Statement: statements }, { type, id });
}

// Allows and denies over several keys and operators, in several layers (as in authorize.test.ts).
const identity = policy('identity', 'id', [
  { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition: { StringEquals: { 'test:a': 'yes' } } },
  {
    Effect: 'Allow',
    Action: 'execute-api:*',
    Resource: '*',
    Condition: { NumericLessThan: { 'test:n': '5' }, 'ForAnyValue:StringLike': { 'test:l': ['x*'] } },
  },
  { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
  { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'test:b': 'ok' } } },
]);
const boundary = policy('permissionsBoundary', 'pb', [
  { Effect: 'Allow', Action: '*', Resource: '*', Condition: { Null: { 'test:c': 'false' } } },
]);
const resource = policy('resource', 'rp', [
  {
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${A}:user/alice` },
    Action: 'execute-api:Invoke',
    Resource: '*',
    Condition: { StringLike: { 'test:a': 'y*' }, Bool: { 'test:f': 'true' } },
  },
]);
const keys = ['test:a', 'test:b', 'test:c', 'test:n', 'test:l', 'test:f', 'aws:SourceIp'];
const valueFor: Record<string, fc.Arbitrary<ContextInputValue>> = {
  'test:a': fc.constantFrom('yes', 'yo', 'no'),
  'test:b': fc.constantFrom('ok', 'ko'),
  'test:c': fc.constantFrom('1'),
  'test:n': fc.constantFrom('1', '9'),
  'test:l': fc.constantFrom<ContextInputValue>(['x1'], ['y1'], ['y', 'xx'], []),
  'test:f': fc.constantFrom('true', 'false'),
  'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.0.2.1'),
};
const contexts = fc.record(
  Object.fromEntries(keys.map((k) => [k, fc.option(valueFor[k] as fc.Arbitrary<ContextInputValue>, { nil: undefined })])),
);
const defined = (o: Record<string, ContextInputValue | undefined>): Record<string, ContextInputValue> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, ContextInputValue] => e[1] !== undefined));
const base = {
  principal: ALICE,
  action: 'execute-api:Invoke',
  resource: RESOURCE,
  identityPolicies: [identity],
  permissionsBoundaries: [boundary],
  resourcePolicy: resource,
};

/** A formula as the access index stores it: JSON text. */
const stored = (t: Parameters<typeof truthToJson>[0]) => JSON.parse(JSON.stringify(truthToJson(t))) as unknown;

describe('truthFromJson', () => {
  it('reads back what truthToJson wrote: the same value under every assignment of its atoms', () => {
    const without = authorize({ ...base, mode: 'analysis' });
    assert.equal(without.decision, 'conditional');
    const formula = without.conditional!.allowedWhen;
    const back = truthFromJson(stored(formula));
    const atoms = collectAtoms(formula);
    const backAtoms = collectAtoms(back);
    assert.equal(backAtoms.length, atoms.length);
    const key = (a: Atom) => JSON.stringify(a);
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: atoms.length, maxLength: atoms.length }), (bits) => {
        const value = new Map(atoms.map((a, i) => [key(a), bits[i]!]));
        assert.equal(
          evaluateTruth(back, (a) => value.get(key(a))!),
          evaluateTruth(formula, (a) => value.get(key(a))!),
        );
      }),
      { numRuns: 300 },
    );
    assert.equal(truthFromJson(true), true);
    assert.equal(truthFromJson(false), false);
  });

  it('refuses what truthToJson never writes', () => {
    for (const bad of [
      null,
      3,
      'x',
      [],
      {},
      { allOf: 1 },
      { atom: { kind: 'nope' } },
      { atom: { kind: 'condition', key: 'k' } },
      { not: true, atom: {} },
      { maybe: [] },
    ]) {
      assert.throws(() => truthFromJson(bad), /not (a formula|an atom|a condition atom)/, JSON.stringify(bad));
    }
  });
});

describe('assumeContext: a stored formula decided against a request context', () => {
  it('gives the decision the engine makes with that context (true: allowed, false: denied, open: conditional)', () => {
    const without = authorize({ ...base, mode: 'analysis' });
    const formula = truthFromJson(stored(without.conditional!.allowedWhen));
    let decided = 0;
    fc.assert(
      fc.property(contexts, (raw) => {
        const values = defined(raw);
        const engine = authorize({ ...base, mode: 'analysis', context: { values } });
        const result = assumeContext(formula, values);
        // The analysis' levels: allowed; may be allowed (conditional, allowed among its possible decisions); denied.
        const mayBeAllowed = engine.decision === 'conditional' && engine.conditional!.possibleDecisions.includes('allowed');
        if (engine.decision === 'allowed') assert.equal(result, true, JSON.stringify(values));
        else if (mayBeAllowed)
          assert.ok(isUnknown(result), `${JSON.stringify(values)}: the engine may still allow, got ${JSON.stringify(result)}`);
        else assert.equal(result, false, JSON.stringify(values));
        if (typeof result === 'boolean') decided++;
      }),
      { numRuns: 1500 },
    );
    assert.ok(decided > 100, 'some contexts decide the formula');
  });

  it('matches context keys case-insensitively and keeps atoms it cannot decide open', () => {
    const p = policy('identity', 'id', [
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ]);
    const formula = truthFromJson(
      stored(
        authorize({ principal: ALICE, action: 'execute-api:Invoke', resource: RESOURCE, identityPolicies: [p], mode: 'analysis' })
          .conditional!.allowedWhen,
      ),
    );
    assert.equal(assumeContext(formula, { 'AWS:SOURCEIP': '10.9.9.9' }), true);
    assert.equal(assumeContext(formula, { 'aws:sourceip': '192.0.2.9' }), false);
    assert.ok(isUnknown(assumeContext(formula, { 'aws:MultiFactorAuthPresent': 'true' })));
    // A policy whose document is unknown: no context decides it.
    const unknown = unknownPolicy({ type: 'identity', id: 'arn:aws:iam::aws:policy/Gone' });
    const open = authorize({
      principal: ALICE,
      action: 'execute-api:Invoke',
      resource: RESOURCE,
      identityPolicies: [unknown],
      mode: 'analysis',
    });
    assert.equal(open.decision, 'conditional');
    assert.ok(isUnknown(assumeContext(truthFromJson(stored(open.conditional!.allowedWhen)), { 'aws:SourceIp': '10.0.0.1' })));
  });

  it('leaves clauses with policy variables open (their values depend on the caller)', () => {
    const p = policy('identity', 'id', [
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'test:owner': '${aws:username}' } } },
    ]);
    const r = authorize({ principal: ALICE, action: 'execute-api:Invoke', resource: RESOURCE, identityPolicies: [p], mode: 'analysis' });
    assert.equal(r.decision, 'conditional');
    assert.ok(isUnknown(assumeContext(truthFromJson(stored(r.conditional!.allowedWhen)), { 'test:owner': 'alice' })));
  });
});
