import { POLICY_TYPE_LABELS, type Effect, type PolicyType, type StatementRef } from '../types';

/**
 * Three-valued, symbolic truth. In concrete mode every test is a plain
 * boolean. In analysis mode a test that depends on something the caller did not
 * give (a context key, a role session name, an authorizer's answer) is an
 * `Unknown`: a boolean formula over named atoms. Combining policies with
 * `and`/`or`/`not` then yields the exact condition under which AWS would allow
 * or deny, instead of silently picking one side.
 */
export type Truth = boolean | Unknown;

export type Unknown =
  | { readonly op: 'atom'; readonly atom: Atom }
  | { readonly op: 'and'; readonly args: readonly Unknown[] }
  | { readonly op: 'or'; readonly args: readonly Unknown[] }
  | { readonly op: 'not'; readonly arg: Unknown };

/** A condition clause whose key (or a variable in its values) is not known. */
export interface ConditionAtom {
  readonly kind: 'condition';
  readonly statement: StatementRef;
  readonly effect: Effect;
  /** Operator as written, canonical case, e.g. `ForAnyValue:StringLike`. */
  readonly operator: string;
  /** Condition key as written in the policy. */
  readonly key: string;
  /** The policy's values for this key, as written. */
  readonly values: readonly string[];
  /** The context keys this clause needs that were not given (lower case). */
  readonly missingKeys: readonly string[];
}

/** A `Resource`/`NotResource` entry whose policy variable is not known. */
export interface ResourceVariableAtom {
  readonly kind: 'resourceVariable';
  readonly statement: StatementRef;
  readonly effect: Effect;
  readonly element: 'Resource' | 'NotResource';
  readonly pattern: string;
  readonly missingKeys: readonly string[];
}

/** The caller is "any session of a role" and a policy names one session. */
export interface SessionNameAtom {
  readonly kind: 'sessionName';
  readonly roleArn: string;
  readonly sessionName: string;
}

/** The API Gateway authorizer's answer is not known. */
export interface AuthorizerAtom {
  readonly kind: 'authorizer';
  readonly decision: 'Allow' | 'Deny';
}

/**
 * A policy whose document is not known (`unknownPolicy`, e.g. an AWS managed
 * policy used only as a permissions boundary, which
 * get-account-authorization-details does not list). Each such policy gives
 * two independent atoms for the request being decided: `effect: 'Allow'`,
 * "one of its statements allows the request", and `effect: 'Deny'`, "one of
 * its statements explicitly denies it". For a resource-based policy, RCP or
 * VPC endpoint policy, the Allow atom stands for a statement that names the
 * caller itself (the strongest grant).
 */
export interface UnknownPolicyAtom {
  readonly kind: 'unknownPolicy';
  readonly policyId: string;
  readonly policyType: PolicyType;
  readonly effect: Effect;
  readonly name?: string;
  /** Why the document is not known; explanations say "not in the snapshot" when not given. */
  readonly reason?: string;
}

export type Atom = ConditionAtom | ResourceVariableAtom | SessionNameAtom | AuthorizerAtom | UnknownPolicyAtom;

export function isUnknown(t: Truth): t is Unknown {
  return typeof t !== 'boolean';
}

export function atom(a: Atom): Unknown {
  return { op: 'atom', atom: a };
}

export function not(t: Truth): Truth {
  if (typeof t === 'boolean') return !t;
  if (t.op === 'not') return t.arg;
  return { op: 'not', arg: t };
}

/** Holds the same node, or a negation of the same node (`not` builds a new node each time). */
function includesSame(args: readonly Unknown[], b: Unknown): boolean {
  for (const a of args) if (a === b || (a.op === 'not' && b.op === 'not' && a.arg === b.arg)) return true;
  return false;
}

function isNegationOf(a: Unknown, b: Unknown): boolean {
  return (a.op === 'not' && a.arg === b) || (b.op === 'not' && b.arg === a);
}

function combine(op: 'and' | 'or', items: Iterable<Truth>): Truth {
  const absorbing = op === 'or';
  const args: Unknown[] = [];
  for (const item of items) {
    if (typeof item === 'boolean') {
      if (item === absorbing) return absorbing;
      continue;
    }
    const parts = item.op === op ? item.args : [item];
    for (const part of parts) {
      if (includesSame(args, part)) continue;
      if (args.some((a) => isNegationOf(a, part))) return absorbing;
      args.push(part);
    }
  }
  if (args.length === 0) return !absorbing;
  if (args.length === 1) return args[0] as Unknown;
  return { op, args };
}

/** Conjunction; short-circuits on plain booleans without allocating. */
export function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return combine('and', [a, b]);
}

/** Disjunction; short-circuits on plain booleans without allocating. */
export function or(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  if (a === false) return b;
  if (b === false) return a;
  return combine('or', [a, b]);
}

export function andAll(items: Iterable<Truth>): Truth {
  return combine('and', items);
}

export function orAll(items: Iterable<Truth>): Truth {
  return combine('or', items);
}

/** Evaluates a formula under an assignment of its atoms. */
export function evaluateTruth(t: Truth, assign: (a: Atom) => boolean): boolean {
  if (typeof t === 'boolean') return t;
  switch (t.op) {
    case 'atom':
      return assign(t.atom);
    case 'not':
      return !evaluateTruth(t.arg, assign);
    case 'and':
      return t.args.every((x) => evaluateTruth(x, assign));
    case 'or':
      return t.args.some((x) => evaluateTruth(x, assign));
  }
}

/** Every distinct atom in the formulas, in first-seen order. */
export function collectAtoms(...formulas: Truth[]): Atom[] {
  const seen: Atom[] = [];
  const walk = (t: Truth): void => {
    if (typeof t === 'boolean') return;
    if (t.op === 'atom') {
      if (!seen.includes(t.atom)) seen.push(t.atom);
    } else if (t.op === 'not') walk(t.arg);
    else for (const x of t.args) walk(x);
  };
  for (const f of formulas) walk(f);
  return seen;
}

/** The statement reference as `policyId#index` (with the Sid when there is one). */
export function describeStatementRef(ref: StatementRef): string {
  return `${ref.policyId}#${ref.index}${ref.sid ? `(${ref.sid})` : ''}`;
}

export function describeAtom(a: Atom): string {
  switch (a.kind) {
    case 'condition':
      return `${a.operator} ${a.key} ${JSON.stringify(a.values)} [${a.effect} ${describeStatementRef(a.statement)}]`;
    case 'resourceVariable':
      return `${a.element} ${a.pattern} resolves to the request's resource [${a.effect} ${describeStatementRef(a.statement)}]`;
    case 'sessionName':
      return `role session name of ${a.roleArn} is ${JSON.stringify(a.sessionName)}`;
    case 'authorizer':
      return `authorizer returns ${a.decision}`;
    case 'unknownPolicy':
      return `${describeUnknownPolicy(a)} ${a.effect === 'Allow' ? 'allows' : 'explicitly denies'} the request [unknown: ${a.reason ?? 'not in the snapshot'}]`;
  }
}

/** `policy <id> "<name>" (<type>)`, the name only when it differs from the id. */
export function describeUnknownPolicy(p: {
  readonly policyId: string;
  readonly policyType: PolicyType;
  readonly name?: string | undefined;
}): string {
  return `policy ${p.policyId}${p.name !== undefined && p.name !== p.policyId ? ` ${JSON.stringify(p.name)}` : ''} (${POLICY_TYPE_LABELS[p.policyType]})`;
}

/**
 * The formula with some atoms fixed: `assign` returns the value of an atom, or
 * `undefined` to keep it. The result is simplified as it is rebuilt.
 */
export function assumeAtoms(t: Truth, assign: (a: Atom) => boolean | undefined): Truth {
  if (typeof t === 'boolean') return t;
  switch (t.op) {
    case 'atom': {
      const v = assign(t.atom);
      return v === undefined ? t : v;
    }
    case 'not': {
      const arg = assumeAtoms(t.arg, assign);
      return arg === t.arg ? t : not(arg);
    }
    case 'and':
    case 'or': {
      const args = t.args.map((x) => assumeAtoms(x, assign));
      if (args.every((x, i) => x === t.args[i])) return t;
      return t.op === 'and' ? andAll(args) : orAll(args);
    }
  }
}

/** A readable rendering of a formula, e.g. `(A AND NOT B)`. */
export function describeTruth(t: Truth): string {
  if (typeof t === 'boolean') return String(t);
  switch (t.op) {
    case 'atom':
      return describeAtom(t.atom);
    case 'not':
      return `NOT (${describeTruth(t.arg)})`;
    case 'and':
    case 'or':
      return `(${t.args.map(describeTruth).join(t.op === 'and' ? ' AND ' : ' OR ')})`;
  }
}

/** A JSON-friendly form of a formula, for output. */
export type TruthJson =
  | boolean
  | { readonly atom: Atom }
  | { readonly allOf: readonly TruthJson[] }
  | { readonly anyOf: readonly TruthJson[] }
  | { readonly not: TruthJson };

export function truthToJson(t: Truth): TruthJson {
  if (typeof t === 'boolean') return t;
  switch (t.op) {
    case 'atom':
      return { atom: t.atom };
    case 'not':
      return { not: truthToJson(t.arg) };
    case 'and':
      return { allOf: t.args.map(truthToJson) };
    case 'or':
      return { anyOf: t.args.map(truthToJson) };
  }
}
