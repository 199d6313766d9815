import type { ConditionSummary, PathHop } from '../../analysis';

/**
 * A stored `CAN_ASSUME` relationship as the access-index readers read it
 * (who-can, invocable, the diff, the review): the columns their Cypher
 * returns, and the `assume-role` step of an answer it stands for, written as
 * the analysis writes it (answer.ts).
 */
export interface AssumeRow {
  from: string;
  decision: 'allowed' | 'conditional';
  trustPolicy: string | null;
  trustStatement: string | null;
  identityPolicy: string | null;
  identityStatement: string | null;
  /** The relationship's ConditionSummary[] as JSON, or null. */
  conditions: string | null;
}

/** The stored conditions of a relationship or an index entry (JSON of ConditionSummary[]). */
export function parseConditions(json: string | null): ConditionSummary[] {
  return json ? (JSON.parse(json) as ConditionSummary[]) : [];
}

/** The relationship from `row.from` into `to` as an answer's `assume-role` step (conditions already parsed may be passed, to share one list). */
export function assumeRoleHop(row: AssumeRow, to: string, conditions: ConditionSummary[] = parseConditions(row.conditions)): PathHop {
  return {
    kind: 'assume-role',
    from: row.from,
    to,
    ...(row.trustPolicy !== null ? { policy: row.trustPolicy } : {}),
    ...(row.trustStatement !== null ? { statement: row.trustStatement } : {}),
    ...(row.identityPolicy !== null ? { identityPolicy: row.identityPolicy } : {}),
    ...(row.identityStatement !== null ? { identityStatement: row.identityStatement } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}
