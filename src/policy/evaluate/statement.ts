import type { CompiledStatement } from '../compiled';
import { evaluateClause, variableLookup, type ConditionClause } from '../conditions/evaluate';
import type { RequestContext } from '../context/context';
import { and, atom, type Truth } from '../logic/truth';
import { actionElementApplies } from '../match/action';
import { matchPrincipalElement, NO_PRINCIPAL_MATCH, type PrincipalMatch } from '../match/principal';
import { resourceElementApplies } from '../match/resource';
import type { Principal } from '../principal/principal';
import type { VariableLookup } from '../variables/template';

/**
 * Statement-level primitives, usable on their own: does a statement cover an
 * action, a resource, a principal, and do its conditions hold for a context?
 * A statement applies to a request when all four hold.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */

/** The parts of a request a statement is tested against. */
export interface StatementRequest {
  /** Action as given, e.g. `execute-api:Invoke` (compared case-insensitively). */
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
  /**
   * The caller did not sign with SigV4 (API Gateway methods not using
   * AWS_IAM): only a bare `"Principal": "*"` names it.
   */
  readonly unsignedCaller?: boolean;
}

/** Does the Action/NotAction element cover the action? (Case-insensitive.) */
export function statementMatchesAction(statement: CompiledStatement, action: string): boolean {
  return actionElementApplies(statement.action, action.toLowerCase());
}

/**
 * Does the Resource/NotResource element cover the resource? A statement with
 * neither element (trust policies, some resource-based policies) covers the
 * resource the policy is attached to. Policy variables resolve from the
 * context; an unknown one (analysis mode) gives an atom.
 */
export function statementMatchesResource(
  statement: CompiledStatement,
  resource: string,
  context: RequestContext,
  lookup?: VariableLookup,
): Truth {
  const el = statement.resource;
  if (el === undefined) return true;
  return resourceElementApplies(el, resource, lookup ?? variableLookup(context), (pattern, missingKeys) =>
    atom({
      kind: 'resourceVariable',
      statement: statement.ref,
      effect: statement.effect,
      element: el.negated ? 'NotResource' : 'Resource',
      pattern,
      missingKeys,
    }),
  );
}

/**
 * How the statement's Principal/NotPrincipal names the caller (resource-based
 * policies only). A statement without either element never matches
 * (the Principal element is required in resource-based policies).
 */
export function statementMatchesPrincipal(
  statement: CompiledStatement,
  principal: Principal,
  options: { readonly mode?: RequestContext['mode']; readonly unsignedCaller?: boolean } = {},
): PrincipalMatch {
  if (statement.principal === undefined) return NO_PRINCIPAL_MATCH;
  return matchPrincipalElement(statement.principal, principal, {
    mode: options.mode ?? 'concrete',
    ...(options.unsignedCaller !== undefined ? { unsignedCaller: options.unsignedCaller } : {}),
  });
}

/** Do the statement's conditions hold? `true` when it has none. Unknown keys give atoms (analysis mode). */
export function evaluateStatementConditions(statement: CompiledStatement, context: RequestContext, lookup?: VariableLookup): Truth {
  const block = statement.condition;
  if (block === undefined || block.clauses.length === 0) return true;
  const vars = lookup ?? variableLookup(context);
  const onUnknown = (clause: ConditionClause, missingKeys: readonly string[]): Truth =>
    atom({
      kind: 'condition',
      statement: statement.ref,
      effect: statement.effect,
      operator: clause.operator.text,
      key: clause.key,
      values: clause.rawValues,
      missingKeys,
    });
  let result: Truth = true;
  for (const clause of block.clauses) {
    result = and(result, evaluateClause(clause, context, vars, onUnknown));
    if (result === false) return false;
  }
  return result;
}

export interface StatementEvaluation {
  readonly statement: CompiledStatement;
  /** Action, resource and conditions all hold (the principal is judged separately). */
  readonly matchesRequest: Truth;
}

/** Action ∧ resource ∧ conditions, cheapest test first. */
export function evaluateStatement(statement: CompiledStatement, request: StatementRequest, lookup?: VariableLookup): StatementEvaluation {
  if (!statementMatchesAction(statement, request.action)) return { statement, matchesRequest: false };
  const vars = lookup ?? variableLookup(request.context);
  const resource = statementMatchesResource(statement, request.resource, request.context, vars);
  if (resource === false) return { statement, matchesRequest: false };
  return { statement, matchesRequest: and(resource, evaluateStatementConditions(statement, request.context, vars)) };
}
