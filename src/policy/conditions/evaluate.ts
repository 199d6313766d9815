import type { RequestContext } from '../context/context';
import type { Truth } from '../logic/truth';
import { resolveTemplate, type VariableLookup } from '../variables/template';
import type { CompiledValue, ParsedOperator, ValuePredicate } from './operators';

/**
 * Evaluating a `Condition` block.
 *
 * - Operators (and keys under one operator) are ANDed; the values of one key
 *   are ORed; for a negated operator with several values the result is a NOR
 *   ("not equal to any of them").
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 * - Key names are case-insensitive.
 * - A key missing from the request makes the clause false, except for negated
 *   operators (true), `…IfExists` (true) and `Null`.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - `ForAllValues` is true when every request value satisfies the operator,
 *   and also when the key is missing or empty; `ForAnyValue` is true when at
 *   least one request value does, and false when the key is missing or empty.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * - A multivalued request key used without a set operator is treated as a
 *   set: a positive operator is true when any request value matches, a negated
 *   one when no request value matches.
 * - A policy value whose variable cannot be resolved (and has no default)
 *   matches nothing ("If AWS cannot resolve a variable, this might cause the
 *   entire statement to be invalid"; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
export interface ConditionClause {
  readonly operator: ParsedOperator;
  /** Condition key as written. */
  readonly key: string;
  readonly keyLower: string;
  readonly values: readonly CompiledValue[];
  /** The policy values as written (stringified). */
  readonly rawValues: readonly string[];
}

export interface ConditionBlock {
  readonly clauses: readonly ConditionClause[];
}

/** Builds the atom for a clause whose outcome is unknown (analysis mode). */
export type UnknownClause = (clause: ConditionClause, missingKeys: readonly string[]) => Truth;

/** Resolves policy variables against a request context (single-valued keys only). */
export function variableLookup(ctx: RequestContext): VariableLookup {
  return (keyLower) => {
    const r = ctx.get(keyLower);
    if (r.state === 'unknown') return { state: 'unknown' };
    if (r.state === 'absent' || r.value.values.length !== 1) return { state: 'unresolved' };
    return { state: 'value', value: r.value.values[0] as string };
  };
}

/** Evaluates one operator/key clause against the request. */
export function evaluateClause(clause: ConditionClause, ctx: RequestContext, lookup: VariableLookup, onUnknown: UnknownClause): Truth {
  const { spec, setOperator, ifExists } = clause.operator;
  const found = ctx.get(clause.keyLower);

  if (spec.family === 'null') {
    if (found.state === 'unknown') return onUnknown(clause, [clause.keyLower]);
    const isNull = found.state === 'absent' || found.value.values.length === 0;
    return clause.values.some((v) => v.nullCheck === isNull);
  }

  let predicates: ValuePredicate[] | undefined;
  let unknownKeys: string[] | undefined;
  for (const v of clause.values) {
    if (v.predicate !== undefined) {
      (predicates ??= []).push(v.predicate);
      continue;
    }
    if (v.template === undefined || v.build === undefined) continue;
    const r = resolveTemplate(v.template, lookup);
    if (r.state === 'resolved') (predicates ??= []).push(v.build(r.pieces));
    else if (r.state === 'unknown') (unknownKeys ??= []).push(...r.keys);
    // 'unresolved': this value matches nothing.
  }

  if (found.state === 'unknown' || unknownKeys !== undefined) {
    const missing = found.state === 'unknown' ? [clause.keyLower, ...(unknownKeys ?? [])] : (unknownKeys ?? []);
    return onUnknown(clause, [...new Set(missing)]);
  }

  if (found.state === 'absent' || found.value.values.length === 0) {
    if (setOperator === 'ForAllValues') return true;
    if (ifExists) return true;
    if (setOperator === 'ForAnyValue') return false;
    return spec.negated;
  }

  const requestValues = found.value.values;
  const preds = predicates ?? [];
  const positive = (rv: string): boolean => {
    for (const p of preds) if (p(rv)) return true;
    return false;
  };
  if (setOperator === 'ForAllValues') return requestValues.every((rv) => positive(rv) !== spec.negated);
  if (setOperator === 'ForAnyValue') return requestValues.some((rv) => positive(rv) !== spec.negated);
  const anyMatch = requestValues.some(positive);
  return spec.negated ? !anyMatch : anyMatch;
}
