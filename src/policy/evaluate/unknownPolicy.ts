import type { CompiledPolicy } from '../compiled';
import { PolicyValidationError, type PolicyProblem } from '../errors';
import { atom, describeUnknownPolicy, type Unknown, type UnknownPolicyAtom } from '../logic/truth';
import { POLICY_TYPES, type PolicySource, type PolicyType } from '../types';

/**
 * Policies whose document is not known.
 *
 * AWS's get-account-authorization-details does not list an AWS managed policy
 * that is used only as a permissions boundary, so a snapshot can know that a
 * user has the boundary `arn:aws:iam::aws:policy/PowerUserAccess` without
 * knowing what it says. The same happens for a managed policy attached but
 * missing from the snapshot, or an SCP/RCP whose content could not be read.
 * Such a policy must not be read as "allows everything" (a false grant) nor as
 * "allows nothing" (a false "no access", the worst answer whocan can give).
 * Instead it stands in the evaluation as two unknowns: "it allows the
 * request" and "it explicitly denies the request" (`UnknownPolicyAtom`), and
 * answers that depend on them come back `conditional`. See
 * docs/policy-engine.md, "Unknown policies".
 */
export interface UnknownPolicyOptions {
  readonly type: PolicyType;
  /** Stable id used in explanations, e.g. the managed policy ARN. */
  readonly id: string;
  readonly name?: string;
  /** Why the document is not known; explanations say "not in the snapshot" when not given. */
  readonly reason?: string;
  /** `inline` or `managed` for identity policies, when known. */
  readonly attachment?: 'inline' | 'managed';
}

const EMPTY_DOCUMENT: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_STATEMENTS = Object.freeze([]) as readonly never[];

/** A `CompiledPolicy` flagged `unknown: true`, without statements. Frozen. */
export function unknownPolicy(options: UnknownPolicyOptions): CompiledPolicy {
  const problems: PolicyProblem[] = [];
  if (!(POLICY_TYPES as readonly unknown[]).includes(options.type))
    problems.push({ path: '$.type', message: `expected one of ${POLICY_TYPES.join(', ')}, got ${JSON.stringify(options.type)}` });
  if (typeof options.id !== 'string' || options.id === '')
    problems.push({ path: '$.id', message: 'expected a non-empty string (the id that explanations name the policy by)' });
  if (options.name !== undefined && typeof options.name !== 'string') problems.push({ path: '$.name', message: 'expected a string' });
  if (options.reason !== undefined && (typeof options.reason !== 'string' || options.reason === ''))
    problems.push({ path: '$.reason', message: 'expected a non-empty string' });
  if (problems.length > 0) throw new PolicyValidationError(problems, 'unknown policy options');
  const source: PolicySource = Object.freeze({
    id: options.id,
    type: options.type,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.attachment !== undefined ? { attachment: options.attachment } : {}),
  });
  return Object.freeze({
    source,
    version: undefined,
    policyId: undefined,
    statements: NO_STATEMENTS,
    document: EMPTY_DOCUMENT,
    unknown: true as const,
    ...(options.reason !== undefined ? { unknownReason: options.reason } : {}),
  });
}

export function isUnknownPolicy(policy: CompiledPolicy): boolean {
  return policy.unknown === true;
}

/** The two atoms of an unknown policy, as formulas. */
export interface UnknownPolicyTruths {
  readonly allows: Unknown;
  readonly denies: Unknown;
}

/**
 * One pair of atoms per policy object, so that the same unknown policy met
 * twice (for instance by the API Gateway flow, which evaluates the resource
 * policy for signed and unsigned callers) is the same unknown, and formulas
 * simplify (`A AND NOT A` is false).
 */
const TRUTHS = new WeakMap<CompiledPolicy, UnknownPolicyTruths>();

function unknownAtom(policy: CompiledPolicy, effect: 'Allow' | 'Deny'): UnknownPolicyAtom {
  return Object.freeze({
    kind: 'unknownPolicy' as const,
    policyId: policy.source.id,
    policyType: policy.source.type,
    effect,
    ...(policy.source.name !== undefined ? { name: policy.source.name } : {}),
    ...(policy.unknownReason !== undefined ? { reason: policy.unknownReason } : {}),
  });
}

export function unknownPolicyTruths(policy: CompiledPolicy): UnknownPolicyTruths {
  let t = TRUTHS.get(policy);
  if (t === undefined) {
    t = Object.freeze({ allows: atom(unknownAtom(policy, 'Allow')), denies: atom(unknownAtom(policy, 'Deny')) });
    TRUTHS.set(policy, t);
  }
  return t;
}

/** An unknown policy that took part in a decision. */
export interface UnknownPolicyUse {
  readonly policyId: string;
  readonly policyType: PolicyType;
  readonly name?: string;
  readonly reason?: string;
  /** The atom "it allows the request". */
  readonly allows: Unknown;
  /** The atom "it explicitly denies the request". */
  readonly denies: Unknown;
}

export function unknownPolicyUse(policy: CompiledPolicy): UnknownPolicyUse {
  const t = unknownPolicyTruths(policy);
  return {
    policyId: policy.source.id,
    policyType: policy.source.type,
    ...(policy.source.name !== undefined ? { name: policy.source.name } : {}),
    ...(policy.unknownReason !== undefined ? { reason: policy.unknownReason } : {}),
    allows: t.allows,
    denies: t.denies,
  };
}

/** "policy X (permissions boundary) is not in the snapshot: …" */
export function unknownPolicyNote(u: UnknownPolicyUse): string {
  const why = u.reason === undefined || u.reason === 'not in the snapshot' ? 'is not in the snapshot' : `is unknown (${u.reason})`;
  return `${describeUnknownPolicy(u)} ${why}: what it allows and denies is unknown, so an answer that depends on it is conditional`;
}

/** The note for an implicit deny that unknown policies cannot turn into an allow. */
export const UNKNOWN_CANNOT_ALLOW_NOTE =
  'no other policy allows the request, so the unknown policies cannot make it allowed; they could at most turn the implicit deny into an explicit deny';

/** The note for a conditional result in concrete mode. */
export const CONCRETE_UNKNOWN_NOTE =
  'concrete mode: the decision depends on a policy whose document is not known, so it is reported as conditional rather than guessed';
