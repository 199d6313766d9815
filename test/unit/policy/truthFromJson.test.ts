import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  authorize,
  describeAtom,
  evaluateTruth,
  parsePolicy,
  principalFromArn,
  truthFromJson,
  truthToJson,
  type Atom,
  type Truth,
} from '../../../src/policy';

/**
 * truthFromJson reads back what truthToJson wrote (through JSON text, as the
 * access index stores a formula): the same JSON again, and the same value
 * under every assignment of the atoms.
 */
const ATOMS: Atom[] = [
  {
    kind: 'condition',
    statement: { policyId: 'p', policyType: 'identity', index: 0 },
    effect: 'Allow',
    operator: 'IpAddress',
    key: 'aws:SourceIp',
    values: ['10.0.0.0/8'],
    missingKeys: ['aws:sourceip'],
  },
  {
    kind: 'condition',
    statement: { policyId: 'p', policyType: 'identity', index: 1, sid: 'Mfa' },
    effect: 'Deny',
    operator: 'Bool',
    key: 'aws:MultiFactorAuthPresent',
    values: ['false'],
    missingKeys: ['aws:multifactorauthpresent'],
  },
  { kind: 'sessionName', roleArn: 'arn:aws:iam::111111111111:role/app', sessionName: 'build' },
  { kind: 'authorizer', decision: 'Allow' },
  { kind: 'unknownPolicy', policyId: 'arn:aws:iam::aws:policy/X', policyType: 'permissionsBoundary', effect: 'Allow' },
];

const formula: fc.Arbitrary<Truth> = fc.letrec<{ t: Truth }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ATOMS).map((a): Truth => ({ op: 'atom', atom: a })),
    tie('t').map((x): Truth => (typeof x === 'boolean' ? !x : { op: 'not', arg: x })),
    fc
      .array(tie('t'), { minLength: 2, maxLength: 3 })
      .map((xs): Truth => (xs.every((x) => typeof x !== 'boolean') ? { op: 'and', args: xs } : xs.every(Boolean))),
    fc
      .array(tie('t'), { minLength: 2, maxLength: 3 })
      .map((xs): Truth => (xs.every((x) => typeof x !== 'boolean') ? { op: 'or', args: xs } : xs.some(Boolean))),
  ),
})).t;

describe('truthFromJson', () => {
  it('reads back what truthToJson wrote: the same JSON, and the same value under every assignment', () => {
    fc.assert(
      fc.property(formula, fc.array(fc.boolean(), { minLength: ATOMS.length, maxLength: ATOMS.length }), (t, values) => {
        const stored = JSON.stringify(truthToJson(t));
        const back = truthFromJson(JSON.parse(stored));
        assert.equal(JSON.stringify(truthToJson(back)), stored);
        // Atoms come back as new objects: assigned by what they say.
        const value = new Map(ATOMS.map((a, i) => [describeAtom(a), values[i]!]));
        const assign = (a: Atom) => value.get(describeAtom(a))!;
        assert.equal(evaluateTruth(back, assign), evaluateTruth(t, assign));
      }),
      { numRuns: 500 },
    );
  });

  it("reads back the engine's own formula for a conditional grant", () => {
    const policy = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
          { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
        ],
      },
      { type: 'identity', id: 'p' },
    );
    const alice = principalFromArn('arn:aws:iam::111111111111:user/alice');
    assert.ok(alice.ok);
    const r = authorize({
      principal: alice.principal,
      action: 'execute-api:Invoke',
      resource: 'arn:aws:execute-api:us-east-1:111111111111:abc123/prod/GET/pets',
      identityPolicies: [policy],
      mode: 'analysis',
    });
    assert.equal(r.decision, 'conditional');
    const allowedWhen = r.conditional!.allowedWhen;
    const back = truthFromJson(JSON.parse(JSON.stringify(truthToJson(allowedWhen))));
    assert.deepEqual(truthToJson(back), truthToJson(allowedWhen));
    const byKey = (ip: boolean, mfaFalse: boolean) => (a: Atom) => (a.kind === 'condition' && a.key === 'aws:SourceIp' ? ip : mfaFalse);
    for (const ip of [true, false])
      for (const mfaFalse of [true, false]) assert.equal(evaluateTruth(back, byKey(ip, mfaFalse)), ip && !mfaFalse);
  });

  it('refuses what is not a formula, naming where', () => {
    assert.throws(() => truthFromJson(null), /\$: expected a boolean or an object/);
    assert.throws(() => truthFromJson({ allOf: [true, { nope: 1 }] }), /\$\.allOf\[1\]: expected atom, allOf, anyOf or not \(got nope\)/);
    assert.throws(() => truthFromJson({ anyOf: 'x' }), /\$\.anyOf: expected a list/);
    assert.throws(() => truthFromJson({ atom: { kind: 'other' } }), /\$\.atom: expected an atom/);
    assert.throws(() => truthFromJson({ not: true, atom: ATOMS[0] }), /exactly one of/);
    assert.equal(truthFromJson({ not: true }), false);
    assert.equal(truthFromJson({ allOf: [] }), true);
  });
});
