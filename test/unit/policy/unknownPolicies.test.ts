import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  authorize,
  authorizeApiGatewayInvoke,
  collectAtoms,
  conditionalToJson,
  describeAtom,
  describeTruth,
  evaluateTruth,
  explainApiGatewayInvoke,
  explainAuthorization,
  isPolicyValidationError,
  isUnknownPolicy,
  parsePolicy,
  principalFromArn,
  truthToJson,
  unknownPolicy,
  type ApiGatewayInvokeRequest,
  type Atom,
  type AuthorizationRequest,
  type AuthorizationType,
  type CompiledPolicy,
  type EvaluationDecision,
  type EvaluationMode,
  type PolicyType,
  type Principal,
} from '../../../src/policy';

/**
 * Policies whose document is not known (`unknownPolicy`): the API, the atom,
 * and — the heart of it — a soundness property: for random requests in which
 * some policies (identity, boundary, session, SCP, RCP, resource, VPC
 * endpoint) are unknown, replacing each unknown policy by every concrete
 * document it could be (allows or not × denies or not) must give exactly the
 * decisions the conditional formula predicts; a final decision must hold for
 * every replacement; and the decision is conditional exactly when the
 * replacements disagree on whether the request is allowed.
 */

function principal(arn: string): Principal {
  const r = principalFromArn(arn);
  if (!r.ok) throw new Error(r.message);
  return r.principal;
}

const A = '111111111111';
const B = '222222222222';
const ALICE_ARN = `arn:aws:iam::${A}:user/alice`;
const BOB_ARN = `arn:aws:iam::${B}:user/bob`;
const ROLE_ARN = `arn:aws:iam::${A}:role/app`;
const ALICE = principal(ALICE_ARN);
const BOB = principal(BOB_ARN);
const SESSION = principal(`arn:aws:sts::${A}:assumed-role/app/run-1`);
const ANONYMOUS: Principal = { kind: 'anonymous' };
const RESOURCE = `arn:aws:execute-api:us-east-1:${A}:abc123/prod/GET/pets`;
const POWER_USER = 'arn:aws:iam::aws:policy/PowerUserAccess';

function doc(type: PolicyType, id: string, statements: unknown[]): CompiledPolicy {
  return parsePolicy({ Version: '2012-10-17', Statement: statements }, { type, id });
}

const ALLOW_INVOKE = doc('identity', 'allow-invoke', [
  { Effect: 'Allow', Action: ['execute-api:Invoke', 'sts:AssumeRole'], Resource: '*' },
]);
const DENY_INVOKE = doc('identity', 'deny-invoke', [{ Effect: 'Deny', Action: ['execute-api:Invoke', 'sts:AssumeRole'], Resource: '*' }]);
const PB_ALL = doc('permissionsBoundary', 'pb-all', [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
const PB_S3 = doc('permissionsBoundary', 'pb-s3', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
const SCP_FULL = doc('scp', 'FullAWSAccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
const VPCE_ALL = doc('vpcEndpoint', 'vpce-all', [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]);
const rpNaming = (id: string, p: unknown, effect: 'Allow' | 'Deny' = 'Allow') =>
  doc('resource', id, [{ Effect: effect, Principal: p, Action: '*', Resource: '*' }]);
const RP_KNOWN: Record<string, CompiledPolicy> = {
  alice: rpNaming('rp-alice', { AWS: ALICE_ARN }),
  bob: rpNaming('rp-bob', { AWS: BOB_ARN }),
  role: rpNaming('rp-role', { AWS: ROLE_ARN }),
  account: rpNaming('rp-account', { AWS: `arn:aws:iam::${A}:root` }),
  star: rpNaming('rp-star', '*'),
  deny: rpNaming('rp-deny', '*', 'Deny'),
};

/** A concrete document for an unknown policy: does it allow the request, does it deny it. */
function replacement(type: PolicyType, id: string, allows: boolean, denies: boolean): CompiledPolicy {
  const withPrincipal = type === 'resource' || type === 'rcp' || type === 'vpcEndpoint' || type === 'trust';
  const p = withPrincipal ? { Principal: '*' } : {};
  return doc(type, id, [
    allows ? { Effect: 'Allow', ...p, Action: '*', Resource: '*' } : { Effect: 'Allow', ...p, Action: 'nothing:Matches', Resource: '*' },
    ...(denies ? [{ Effect: 'Deny', ...p, Action: '*', Resource: '*' }] : []),
  ]);
}

/** One slot of a request: a known policy, or an unknown one. */
type Slot = CompiledPolicy | { readonly unknownOf: PolicyType };
const U = (t: PolicyType): Slot => ({ unknownOf: t });

interface Scenario {
  readonly caller: 'alice' | 'bob' | 'session' | 'anonymous';
  readonly action: 'execute-api:Invoke' | 'sts:AssumeRole';
  readonly identity: readonly Slot[];
  readonly boundary: readonly Slot[];
  readonly session: readonly Slot[];
  readonly scp: readonly (readonly Slot[])[];
  readonly rcp: readonly (readonly Slot[])[];
  readonly rp: Slot | undefined;
  readonly managementAccount: boolean;
  readonly mode: EvaluationMode;
}

const scenarios: fc.Arbitrary<Scenario> = fc.record({
  caller: fc.constantFrom('alice', 'bob', 'session', 'anonymous'),
  action: fc.constantFrom('execute-api:Invoke', 'sts:AssumeRole'),
  identity: fc.constantFrom<Slot[]>(
    [],
    [ALLOW_INVOKE],
    [ALLOW_INVOKE, DENY_INVOKE],
    [U('identity')],
    [ALLOW_INVOKE, U('identity')],
    [DENY_INVOKE, U('identity')],
  ),
  boundary: fc.constantFrom<Slot[]>([], [PB_ALL], [PB_S3], [U('permissionsBoundary')]),
  session: fc.constantFrom<Slot[]>([], [U('session')]),
  scp: fc.constantFrom<Slot[][]>([], [[SCP_FULL]], [[U('scp')]], [[SCP_FULL], [U('scp')]], [[SCP_FULL, U('scp')]]),
  rcp: fc.constantFrom<Slot[][]>([], [[U('rcp')]]),
  rp: fc.constantFrom<Slot | undefined>(undefined, ...Object.values(RP_KNOWN), U('resource')),
  managementAccount: fc.boolean(),
  mode: fc.constantFrom<EvaluationMode>('concrete', 'analysis'),
});

/** The scenario's policies with every unknown slot filled by `fill` (numbered in a fixed order). */
function build(s: Scenario, fill: (type: PolicyType, id: string) => CompiledPolicy): AuthorizationRequest {
  let n = 0;
  const take = (slot: Slot): CompiledPolicy => {
    if ('unknownOf' in slot) {
      n += 1;
      return fill(slot.unknownOf, `unknown-${slot.unknownOf}-${n}`);
    }
    return slot;
  };
  const caller = { alice: ALICE, bob: BOB, session: SESSION, anonymous: ANONYMOUS }[s.caller];
  const resource = s.action === 'sts:AssumeRole' ? ROLE_ARN : RESOURCE;
  return {
    principal: caller,
    action: s.action,
    resource,
    mode: s.mode,
    identityPolicies: s.identity.map(take),
    permissionsBoundaries: s.boundary.map(take),
    sessionPolicies: s.session.map(take),
    serviceControlPolicies: s.scp.map((l) => l.map(take)),
    resourceControlPolicies: s.rcp.map((l) => l.map(take)),
    ...(s.rp !== undefined ? { resourcePolicy: take(s.rp) } : {}),
    organization: s.managementAccount ? { managementAccountId: A } : {},
  };
}

function countUnknown(s: Scenario): number {
  const slots = [...s.identity, ...s.boundary, ...s.session, ...s.scp.flat(), ...s.rcp.flat(), ...(s.rp ? [s.rp] : [])];
  return slots.filter((x) => 'unknownOf' in x).length;
}

interface Outcome {
  readonly decision: EvaluationDecision;
  readonly conditional?: {
    readonly allowedWhen: import('../../../src/policy').Truth;
    readonly explicitDenyWhen: import('../../../src/policy').Truth;
    readonly possibleDecisions: readonly string[];
  };
  readonly unknownPolicies?: readonly { readonly policyId: string }[];
}

/**
 * Checks one scenario: `decideWith` decides a request given a way to fill
 * the unknown slots; the unknown slots are filled once with `unknownPolicy`,
 * then with every combination of concrete replacements.
 */
function checkSound(
  k: number,
  decideWith: (fill: (type: PolicyType, id: string) => CompiledPolicy) => Outcome,
  explain: () => string[],
): void {
  const unknowns = new Map<string, CompiledPolicy>();
  const symbolic = decideWith((type, id) => {
    const p = unknownPolicy({ type, id });
    unknowns.set(id, p);
    return p;
  });
  const ids = [...unknowns.keys()];
  assert.equal(ids.length, k);
  const text = explain().join('\n');
  for (const u of symbolic.unknownPolicies ?? []) {
    assert.ok(ids.includes(u.policyId), `unexpected unknown policy ${u.policyId}`);
    assert.ok(text.includes(u.policyId), `the explanation must name ${u.policyId}:\n${text}`);
  }
  if (symbolic.decision === 'conditional') {
    // Every unknown policy the formula depends on is reported as taking part.
    const c = symbolic.conditional;
    assert.ok(c);
    for (const a of collectAtoms(c.allowedWhen, c.explicitDenyWhen)) {
      assert.equal(a.kind, 'unknownPolicy', 'no other unknowns in these requests');
      if (a.kind === 'unknownPolicy')
        assert.ok(
          (symbolic.unknownPolicies ?? []).some((u) => u.policyId === a.policyId),
          `${a.policyId} is not listed`,
        );
    }
  }
  const allowedness = new Set<boolean>();
  for (let mask = 0; mask < 4 ** k; mask += 1) {
    const bits = new Map(ids.map((id, i) => [id, { allows: ((mask >> (2 * i)) & 1) === 1, denies: ((mask >> (2 * i + 1)) & 1) === 1 }]));
    const concrete = decideWith((type, id) => {
      const b = bits.get(id);
      assert.ok(b);
      return replacement(type, id, b.allows, b.denies);
    });
    assert.notEqual(concrete.decision, 'conditional', 'with every document known, the decision is final');
    allowedness.add(concrete.decision === 'allowed');
    const where = `replacement ${JSON.stringify(Object.fromEntries(bits))}: concrete ${concrete.decision}, symbolic ${symbolic.decision}`;
    if (symbolic.decision === 'conditional') {
      const c = symbolic.conditional;
      assert.ok(c);
      const assign = (a: Atom): boolean => {
        assert.equal(a.kind, 'unknownPolicy');
        const b = bits.get(a.policyId);
        assert.ok(b, `atom of an unknown policy that is not in the request: ${describeAtom(a)}`);
        return a.effect === 'Allow' ? b.allows : b.denies;
      };
      const formula = `allowed when ${describeTruth(c.allowedWhen)}; explicitly denied when ${describeTruth(c.explicitDenyWhen)}`;
      assert.equal(evaluateTruth(c.allowedWhen, assign), concrete.decision === 'allowed', `${where}\n${formula}`);
      assert.equal(evaluateTruth(c.explicitDenyWhen, assign), concrete.decision === 'explicitDeny', `${where}\n${formula}`);
      assert.ok(c.possibleDecisions.includes(concrete.decision), `${where}: not among ${c.possibleDecisions.join(', ')}`);
    } else if (symbolic.decision === 'implicitDeny' && symbolic.unknownPolicies !== undefined) {
      // What an unknown policy denies is left out when nothing can allow: the deny may be explicit.
      assert.ok(concrete.decision === 'implicitDeny' || concrete.decision === 'explicitDeny', where);
    } else {
      assert.equal(concrete.decision, symbolic.decision, where);
    }
  }
  // Conditional exactly when the unknown documents could change whether the request is allowed.
  assert.equal(
    symbolic.decision === 'conditional',
    allowedness.size === 2,
    `decision ${symbolic.decision}, allowed under some replacements: ${allowedness.has(true)}, denied under some: ${allowedness.has(false)}`,
  );
}

describe('unknown policies: soundness against every possible document', () => {
  it('authorize: the formula predicts the decision for every replacement of the unknown policies', () => {
    fc.assert(
      fc.property(scenarios, (s) => {
        const k = countUnknown(s);
        fc.pre(k <= 4);
        let last: ReturnType<typeof authorize> | undefined;
        checkSound(
          k,
          (fill) => {
            const r = authorize(build(s, fill));
            last ??= r;
            return r;
          },
          () => (last ? explainAuthorization(last) : []),
        );
      }),
      { numRuns: 600 },
    );
  });

  it('authorizeApiGatewayInvoke: the same for every flow', () => {
    const invokeScenarios = fc.record({
      base: scenarios,
      authorizationType: fc.constantFrom<AuthorizationType>('AWS_IAM', 'NONE', 'CUSTOM', 'COGNITO_USER_POOLS'),
      authorizerDecision: fc.constantFrom('Allow' as const, 'Deny' as const, 'None' as const),
      privateEndpoint: fc.boolean(),
      vpce: fc.constantFrom<Slot>(VPCE_ALL, U('vpcEndpoint')),
    });
    fc.assert(
      fc.property(invokeScenarios, ({ base, authorizationType, authorizerDecision, privateEndpoint, vpce }) => {
        const s: Scenario = { ...base, action: 'execute-api:Invoke' };
        const k = countUnknown(s) + (privateEndpoint && 'unknownOf' in vpce ? 1 : 0);
        fc.pre(k <= 4);
        let last: ReturnType<typeof authorizeApiGatewayInvoke> | undefined;
        checkSound(
          k,
          (fill) => {
            const req = build(s, fill);
            const vpcEndpointPolicy = privateEndpoint ? ('unknownOf' in vpce ? fill('vpcEndpoint', 'unknown-vpce') : vpce) : undefined;
            const r = authorizeApiGatewayInvoke({
              ...req,
              authorizationType,
              authorizerDecision,
              endpointType: privateEndpoint ? 'PRIVATE' : 'REGIONAL',
              ...(vpcEndpointPolicy ? { vpcEndpointPolicy } : {}),
            } satisfies ApiGatewayInvokeRequest);
            last ??= r;
            return r;
          },
          () => (last ? explainApiGatewayInvoke(last) : []),
        );
      }),
      { numRuns: 600 },
    );
  });
});

describe('unknown policies: per layer', () => {
  const pb = () => unknownPolicy({ type: 'permissionsBoundary', id: POWER_USER, reason: 'not in the snapshot' });
  const base = { principal: ALICE, action: 'execute-api:Invoke', resource: RESOURCE, mode: 'analysis' as const };

  it('an unknown boundary next to an identity allow: conditional on it, named in statements, layers, notes and formulas', () => {
    const r = authorize({ ...base, identityPolicies: [ALLOW_INVOKE], permissionsBoundaries: [pb()] });
    assert.equal(r.decision, 'conditional');
    assert.deepEqual(r.conditional?.possibleDecisions, ['allowed', 'explicitDeny', 'implicitDeny']);
    assert.deepEqual(r.permissionsBoundary, { present: true, allowed: 'conditional', unknownPolicies: [POWER_USER] });
    assert.deepEqual(
      r.matchedStatements.filter((m) => m.unknownPolicy).map((m) => `${m.effect} ${m.policyId}#${m.index}`),
      [`Deny ${POWER_USER}#-1`, `Allow ${POWER_USER}#-1`],
    );
    assert.deepEqual(
      r.unknownPolicies?.map((u) => u.policyId),
      [POWER_USER],
    );
    const text = explainAuthorization(r);
    assert.ok(text.includes(`permissions boundary allows: conditionally (unknown policy: ${POWER_USER})`), text.join('\n'));
    assert.ok(
      text.some((l) => l.startsWith('note:') && l.includes(`policy ${POWER_USER} (permissions boundary) is not in the snapshot`)),
      text.join('\n'),
    );
    assert.ok(
      text.some((l) => l.startsWith('allowed when:') && l.includes(`policy ${POWER_USER} (permissions boundary) allows the request`)),
      text.join('\n'),
    );
  });

  it('an unknown boundary without any identity allow: implicitDeny, with a note that it cannot grant', () => {
    const r = authorize({ ...base, identityPolicies: [], permissionsBoundaries: [pb()] });
    assert.equal(r.decision, 'implicitDeny');
    assert.equal(r.conditional, undefined);
    assert.ok(r.notes.some((n) => n.includes('cannot make it allowed')));
    assert.ok(r.notes.some((n) => n.includes(POWER_USER)));
  });

  it('an unknown boundary and a known explicit deny: explicitDeny, the deny is the matched statement', () => {
    const r = authorize({ ...base, identityPolicies: [ALLOW_INVOKE, DENY_INVOKE], permissionsBoundaries: [pb()] });
    assert.equal(r.decision, 'explicitDeny');
    assert.deepEqual(
      r.matchedStatements.map((m) => `${m.policyId}#${m.index}`),
      ['deny-invoke#0'],
    );
  });

  it('an unknown identity policy alone: conditional on its allow and its deny', () => {
    const u = unknownPolicy({ type: 'identity', id: 'arn:aws:iam::111111111111:policy/Missing', name: 'Missing' });
    const r = authorize({ ...base, identityPolicies: [u] });
    assert.equal(r.decision, 'conditional');
    assert.equal(
      describeTruth(r.conditional?.allowedWhen ?? false),
      `(policy arn:aws:iam::111111111111:policy/Missing "Missing" (identity policy) allows the request [unknown: not in the snapshot] AND NOT (policy arn:aws:iam::111111111111:policy/Missing "Missing" (identity policy) explicitly denies the request [unknown: not in the snapshot]))`,
    );
    assert.deepEqual(r.identity, { present: true, allowed: 'conditional', unknownPolicies: ['arn:aws:iam::111111111111:policy/Missing'] });
  });

  it('an unknown SCP of the management account does not apply', () => {
    const scp = unknownPolicy({ type: 'scp', id: 'p-unreadable', reason: 'content could not be read' });
    const member = authorize({
      ...base,
      identityPolicies: [ALLOW_INVOKE],
      serviceControlPolicies: [[scp]],
      organization: { managementAccountId: B },
    });
    assert.equal(member.decision, 'conditional');
    assert.deepEqual(member.organizations.scp?.unknownPolicies, ['p-unreadable']);
    assert.ok(member.notes.some((n) => n.includes('policy p-unreadable (SCP) is unknown (content could not be read)')));
    const management = authorize({
      ...base,
      identityPolicies: [ALLOW_INVOKE],
      serviceControlPolicies: [[scp]],
      organization: { managementAccountId: A },
    });
    assert.equal(management.decision, 'allowed');
    assert.equal(management.unknownPolicies, undefined);
  });

  it('same account, the resource policy names the user: allowed unless the unknown boundary explicitly denies', () => {
    const r = authorize({ ...base, identityPolicies: [], permissionsBoundaries: [pb()], resourcePolicy: RP_KNOWN['alice'] });
    assert.equal(r.decision, 'conditional');
    assert.deepEqual(r.conditional?.possibleDecisions, ['allowed', 'explicitDeny']);
    assert.equal(
      describeTruth(r.conditional?.explicitDenyWhen ?? false),
      `policy ${POWER_USER} (permissions boundary) explicitly denies the request [unknown: not in the snapshot]`,
    );
  });

  it('concrete mode does not guess: conditional too, with a note, never implicitDeny because of an unknown policy', () => {
    const r = authorize({ ...base, mode: 'concrete', identityPolicies: [ALLOW_INVOKE], permissionsBoundaries: [pb()] });
    assert.equal(r.decision, 'conditional');
    assert.ok(r.notes.some((n) => n.startsWith('concrete mode:')));
    const invoke = authorizeApiGatewayInvoke({
      ...base,
      mode: 'concrete',
      identityPolicies: [ALLOW_INVOKE],
      permissionsBoundaries: [pb()],
      authorizationType: 'AWS_IAM',
    });
    assert.equal(invoke.decision, 'conditional');
    assert.ok(invoke.notes.some((n) => n.startsWith('concrete mode:')));
  });

  it('a Lambda authorizer that allows is blocked only if the unknown resource policy denies', () => {
    const rp = unknownPolicy({ type: 'resource', id: 'api-policy' });
    const r = authorizeApiGatewayInvoke({
      ...base,
      principal: ANONYMOUS,
      resourcePolicy: rp,
      authorizationType: 'CUSTOM',
      authorizerDecision: 'Allow',
    });
    assert.equal(r.decision, 'conditional');
    assert.deepEqual(r.conditional?.possibleDecisions, ['allowed', 'explicitDeny']);
    assert.ok(r.matchedStatements.some((m) => m.unknownPolicy && m.policyId === 'api-policy' && m.effect === 'Deny'));
  });

  it('costs nothing when no policy is unknown: no unknownPolicies field anywhere', () => {
    const r = authorize({
      ...base,
      identityPolicies: [ALLOW_INVOKE],
      permissionsBoundaries: [PB_ALL],
      serviceControlPolicies: [[SCP_FULL]],
    });
    assert.equal(r.decision, 'allowed');
    assert.equal(r.unknownPolicies, undefined);
    assert.ok(!('unknownPolicies' in r.identity) && !('unknownPolicies' in r.permissionsBoundary));
    assert.ok(r.organizations.scp && !('unknownPolicies' in r.organizations.scp));
  });
});

describe('unknownPolicy and its atom', () => {
  it('is a frozen CompiledPolicy flagged unknown, without statements', () => {
    const p = unknownPolicy({ type: 'permissionsBoundary', id: POWER_USER, name: 'PowerUserAccess', reason: 'not in the snapshot' });
    assert.equal(p.unknown, true);
    assert.equal(p.unknownReason, 'not in the snapshot');
    assert.deepEqual(p.statements, []);
    assert.deepEqual(p.source, { id: POWER_USER, type: 'permissionsBoundary', name: 'PowerUserAccess' });
    assert.ok(Object.isFrozen(p) && Object.isFrozen(p.source));
    assert.ok(isUnknownPolicy(p));
    assert.ok(!isUnknownPolicy(PB_ALL));
    assert.equal(PB_ALL.unknown, undefined);
  });

  it('rejects options without an id or with an unknown type, naming the field', () => {
    const bad = (o: unknown, path: string) =>
      assert.throws(
        () => unknownPolicy(o as Parameters<typeof unknownPolicy>[0]),
        (e: unknown) => isPolicyValidationError(e) && e.problems.some((p) => p.path === path),
      );
    bad({ type: 'permissionsBoundary', id: '' }, '$.id');
    bad({ type: 'boundary', id: 'x' }, '$.type');
    bad({ type: 'scp', id: 'x', reason: '' }, '$.reason');
  });

  it('describes its atoms in words, with the name when it differs from the id, and the reason', () => {
    const atoms = (p: CompiledPolicy): Atom[] => {
      const r = authorize({
        principal: ALICE,
        action: 'execute-api:Invoke',
        resource: RESOURCE,
        identityPolicies: [ALLOW_INVOKE],
        permissionsBoundaries: p.source.type === 'permissionsBoundary' ? [p] : [],
        serviceControlPolicies: p.source.type === 'scp' ? [[p]] : [],
        mode: 'analysis',
      });
      return [...(r.conditional?.atoms ?? [])];
    };
    const [allow, deny] = atoms(unknownPolicy({ type: 'permissionsBoundary', id: POWER_USER }));
    assert.ok(allow && deny);
    assert.equal(describeAtom(allow), `policy ${POWER_USER} (permissions boundary) allows the request [unknown: not in the snapshot]`);
    assert.equal(
      describeAtom(deny),
      `policy ${POWER_USER} (permissions boundary) explicitly denies the request [unknown: not in the snapshot]`,
    );
    const [scpAllow] = atoms(unknownPolicy({ type: 'scp', id: 'p-1234', name: 'Guardrails', reason: 'content could not be read' }));
    assert.ok(scpAllow);
    assert.equal(describeAtom(scpAllow), 'policy p-1234 "Guardrails" (SCP) allows the request [unknown: content could not be read]');
  });

  it('has a plain JSON form: {kind, policyId, policyType, effect, name?, reason?}', () => {
    const p = unknownPolicy({ type: 'permissionsBoundary', id: POWER_USER, name: 'PowerUserAccess', reason: 'not in the snapshot' });
    const r = authorize({
      principal: ALICE,
      action: 'execute-api:Invoke',
      resource: RESOURCE,
      identityPolicies: [ALLOW_INVOKE],
      permissionsBoundaries: [p],
      mode: 'analysis',
    });
    assert.ok(r.conditional);
    const allowAtom = {
      kind: 'unknownPolicy',
      policyId: POWER_USER,
      policyType: 'permissionsBoundary',
      effect: 'Allow',
      name: 'PowerUserAccess',
      reason: 'not in the snapshot',
    };
    const denyAtom = { ...allowAtom, effect: 'Deny' };
    const json = JSON.parse(JSON.stringify(conditionalToJson(r.conditional))) as unknown;
    assert.deepEqual(json, {
      possibleDecisions: ['allowed', 'explicitDeny', 'implicitDeny'],
      allowedWhen: { allOf: [{ atom: allowAtom }, { not: { atom: denyAtom } }] },
      explicitDenyWhen: { atom: denyAtom },
      missingKeys: [],
    });
    assert.deepEqual(truthToJson(r.unknownPolicies?.[0]?.denies ?? false), { atom: denyAtom });
  });

  it('the same unknown policy is the same unknown everywhere (formulas simplify)', () => {
    const p = unknownPolicy({ type: 'identity', id: 'shared' });
    const a = authorize({ principal: ALICE, action: 'execute-api:Invoke', resource: RESOURCE, identityPolicies: [p], mode: 'analysis' });
    const b = authorize({ principal: ALICE, action: 'execute-api:Invoke', resource: RESOURCE, identityPolicies: [p, p], mode: 'analysis' });
    assert.deepEqual(a.conditional?.atoms, b.conditional?.atoms);
    assert.equal(describeTruth(a.conditional?.allowedWhen ?? false), describeTruth(b.conditional?.allowedWhen ?? false));
  });
});
