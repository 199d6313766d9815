import type { ConditionSummary, PathHop } from '../../analysis';
import { cypher } from '../../db';
import { Label, Rel, SharedLabel } from '../../model';

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

/**
 * The CAN_ASSUME relationships out of some callers (`$rows`: `{arn, account}`,
 * see assumerRows), found by their start nodes: users and roles by ARN,
 * external principals and services by key, accounts by id; `from` is the
 * caller as answers name it.
 */
export const ASSUMPTIONS_FROM = cypher(
  'index.assumptionsFrom',
  `UNWIND $rows AS row
   CALL (row) {
     MATCH (a:${SharedLabel.Principal} {snapshot: $s, arn: row.arn}) RETURN a
     UNION
     MATCH (a:${Label.ExternalPrincipal} {snapshot: $s, key: row.arn}) RETURN a
     UNION
     MATCH (a:${Label.ServicePrincipal} {snapshot: $s, key: row.arn}) RETURN a
     UNION
     MATCH (a:${Label.Account} {snapshot: $s, key: row.account}) RETURN a
   }
   MATCH (a)-[r:${Rel.CAN_ASSUME}]->(role:${Label.Role})
   WHERE r.from = row.arn
   RETURN row.arn AS from, role.arn AS to, r.decision AS decision, r.trustPolicy AS trustPolicy, r.trustStatement AS trustStatement,
          r.identityPolicy AS identityPolicy, r.identityStatement AS identityStatement, r.conditions AS conditions, r.keys AS keys
   ORDER BY from, to`,
);

/** The `$rows` of ASSUMPTIONS_FROM for some callers (an account's root is found by its id). */
export function assumerRows(arns: readonly string[]): { arn: string; account: string | null }[] {
  return arns.map((arn) => ({ arn, account: /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(arn)?.[1] ?? null }));
}
