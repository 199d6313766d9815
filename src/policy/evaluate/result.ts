import { and, collectAtoms, isUnknown, not, truthToJson, type Atom, type Truth, type TruthJson } from '../logic/truth';
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
  /** True when the statement applies only under unknown conditions (analysis mode). */
  readonly conditional: boolean;
}

export function matchedStatement(a: AppliedStatement): MatchedStatement {
  return { ...a.statement.ref, effect: a.statement.effect, conditional: isUnknown(a.applies) };
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

/** Turns the allow and deny formulas into a decision. */
export function decide(allow: Truth, deny: Truth): { decision: EvaluationDecision; conditional?: ConditionalOutcome } {
  if (deny === true) return { decision: 'explicitDeny' };
  if (deny === false && allow === true) return { decision: 'allowed' };
  if (deny === false && allow === false) return { decision: 'implicitDeny' };
  const allowedWhen = and(allow, not(deny));
  const possible: Decision[] = [];
  if (allow !== false) possible.push('allowed');
  if (deny !== false) possible.push('explicitDeny');
  if (allow !== true) possible.push('implicitDeny');
  const atoms = collectAtoms(allow, deny);
  const missingKeys: string[] = [];
  for (const a of atoms) {
    if (a.kind === 'condition' || a.kind === 'resourceVariable') for (const k of a.missingKeys) if (!missingKeys.includes(k)) missingKeys.push(k);
  }
  return { decision: 'conditional', conditional: { possibleDecisions: possible, allowedWhen, explicitDenyWhen: deny, atoms, missingKeys } };
}
