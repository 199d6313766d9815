import { and, assumeAtoms, collectAtoms, isUnknown, not, or, truthToJson, type Atom, type Truth, type TruthJson } from '../logic/truth';
import type { Decision, Effect, EvaluationDecision, StatementRef } from '../types';
import type { AppliedStatement } from './policySet';

/** `true`/`false`, or `conditional` when it depends on something unknown (analysis mode). */
export type TruthSummary = boolean | 'conditional';

export function summarize(t: Truth): TruthSummary {
  return isUnknown(t) ? 'conditional' : t;
}

/** A statement that took part in the decision. */
export interface MatchedStatement extends StatementRef {
  readonly effect: Effect;
  /** True when the statement applies only under unknown conditions (analysis mode), or belongs to an unknown policy. */
  readonly conditional: boolean;
  /**
   * Set on the entries of a policy whose document is not known
   * (`unknownPolicy`): there is no statement to point at, so `index` is -1 and
   * `effect` says which of its two unknowns ("it allows", "it explicitly
   * denies") the decision depends on.
   */
  readonly unknownPolicy?: true;
}

export function matchedStatement(a: AppliedStatement): MatchedStatement {
  return { ...a.statement.ref, effect: a.statement.effect, conditional: isUnknown(a.applies) };
}

/** One entry per `unknownPolicy` atom a conditional decision depends on (denies first). */
export function unknownPolicyStatements(atoms: readonly Atom[]): MatchedStatement[] {
  const out: MatchedStatement[] = [];
  for (const effect of ['Deny', 'Allow'] as const) {
    for (const a of atoms) {
      if (a.kind !== 'unknownPolicy' || a.effect !== effect) continue;
      out.push({
        policyId: a.policyId,
        policyType: a.policyType,
        ...(a.name !== undefined ? { policyName: a.name } : {}),
        index: -1,
        effect,
        conditional: true,
        unknownPolicy: true,
      });
    }
  }
  return out;
}

/**
 * The exact dependency of a decision on what was not given. `allowedWhen` and
 * `explicitDenyWhen` are formulas over atoms (condition clauses, unknown
 * policy variables, role session names, an authorizer's answer).
 */
export interface ConditionalOutcome {
  readonly possibleDecisions: readonly Decision[];
  readonly allowedWhen: Truth;
  readonly explicitDenyWhen: Truth;
  readonly atoms: readonly Atom[];
  /** Context keys the answer depends on (lower case). */
  readonly missingKeys: readonly string[];
}

export interface ConditionalOutcomeJson {
  readonly possibleDecisions: readonly Decision[];
  readonly allowedWhen: TruthJson;
  readonly explicitDenyWhen: TruthJson;
  readonly missingKeys: readonly string[];
}

export function conditionalToJson(c: ConditionalOutcome): ConditionalOutcomeJson {
  return {
    possibleDecisions: c.possibleDecisions,
    allowedWhen: truthToJson(c.allowedWhen),
    explicitDenyWhen: truthToJson(c.explicitDenyWhen),
    missingKeys: c.missingKeys,
  };
}

/** "It explicitly denies the request", for every unknown policy. */
const UNKNOWN_DENIES_FALSE = (a: Atom): boolean | undefined => (a.kind === 'unknownPolicy' && a.effect === 'Deny' ? false : undefined);

/**
 * Turns the allow and deny formulas into a decision.
 *
 * `unknownPolicies`: some policy of the decision has an unknown document. When
 * nothing can allow the request (`allow` is false), what such a policy might
 * deny cannot change the access: the request is denied either way. Its
 * "explicitly denies" atoms are then dropped, so the decision stays an exact
 * `implicitDeny` (or whatever the known denies make it) instead of
 * "explicit or implicit deny" (`unknownDenyIgnored` says so). Whenever the
 * request could be allowed they are kept, exactly.
 */
export function decide(
  allow: Truth,
  deny: Truth,
  unknownPolicies = false,
): { decision: EvaluationDecision; conditional?: ConditionalOutcome; unknownDenyIgnored?: true } {
  if (unknownPolicies && allow === false && isUnknown(deny)) {
    const known = assumeAtoms(deny, UNKNOWN_DENIES_FALSE);
    if (known !== deny) return { ...decide(false, known), unknownDenyIgnored: true };
  }
  if (deny === true) return { decision: 'explicitDeny' };
  if (deny === false && allow === true) return { decision: 'allowed' };
  if (deny === false && allow === false) return { decision: 'implicitDeny' };
  const allowedWhen = and(allow, not(deny));
  const possible: Decision[] = [];
  if (allow !== false) possible.push('allowed');
  if (deny !== false) possible.push('explicitDeny');
  // Neither allowed nor denied is possible unless allow ∨ deny is a tautology (e.g. `NOT D` and `D`).
  if (allow !== true && or(allow, deny) !== true) possible.push('implicitDeny');
  const atoms = collectAtoms(allow, deny);
  const missingKeys: string[] = [];
  for (const a of atoms) {
    if (a.kind === 'condition' || a.kind === 'resourceVariable')
      for (const k of a.missingKeys) if (!missingKeys.includes(k)) missingKeys.push(k);
  }
  return { decision: 'conditional', conditional: { possibleDecisions: possible, allowedWhen, explicitDenyWhen: deny, atoms, missingKeys } };
}
