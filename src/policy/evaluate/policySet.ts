import type { CompiledPolicy, CompiledStatement } from '../compiled';
import type { RequestContext } from '../context/context';
import { and, or, type Truth } from '../logic/truth';
import { actionElementApplies } from '../match/action';
import { principalMatchAny } from '../match/principal';
import type { Principal } from '../principal/principal';
import type { VariableLookup } from '../variables/template';
import { evaluateStatementConditions, statementMatchesPrincipal, statementMatchesResource } from './statement';
import { unknownPolicyTruths } from './unknownPolicy';

/**
 * Evaluates a set of policies of one kind (the identity policies, the
 * boundary, one SCP level, the resource policy…) against a request: whether
 * some statement allows, whether some statement denies, and which statements
 * applied.
 */
export interface AppliedStatement {
  readonly statement: CompiledStatement;
  /** `true`, or an unknown formula (never `false`: those are not kept). */
  readonly applies: Truth;
}

export interface SetEvaluation {
  readonly allow: Truth;
  readonly deny: Truth;
  readonly allowStatements: readonly AppliedStatement[];
  readonly denyStatements: readonly AppliedStatement[];
  /**
   * The policies of the set whose document is not known (`unknownPolicy`);
   * absent when there are none. Their atoms are already in `allow`/`deny`.
   */
  readonly unknownPolicies?: readonly CompiledPolicy[];
}

/**
 * For resource-based policies: the allow split by how the Principal names the
 * caller (the level decides what an allow grants in the same account).
 */
export interface ResourceSetEvaluation extends SetEvaluation {
  readonly allowWildcard: Truth;
  readonly allowDirect: Truth;
  readonly allowParent: Truth;
  readonly allowAccount: Truth;
}

export interface SetRequest {
  readonly actionLower: string;
  readonly resource: string;
  readonly principal: Principal;
  readonly context: RequestContext;
  readonly lookup: VariableLookup;
  readonly unsignedCaller: boolean;
}

function requestPart(statement: CompiledStatement, req: SetRequest): Truth {
  if (!actionElementApplies(statement.action, req.actionLower)) return false;
  const resource = statementMatchesResource(statement, req.resource, req.context, req.lookup);
  if (resource === false) return false;
  return and(resource, evaluateStatementConditions(statement, req.context, req.lookup));
}

/** Policies without a Principal element: identity policies, boundaries, session policies, SCPs. */
export function evaluateIdentitySet(policies: readonly CompiledPolicy[], req: SetRequest): SetEvaluation {
  let allow: Truth = false;
  let deny: Truth = false;
  const allowStatements: AppliedStatement[] = [];
  const denyStatements: AppliedStatement[] = [];
  let unknownPolicies: CompiledPolicy[] | undefined;
  for (const policy of policies) {
    if (policy.unknown === true) {
      // Its document is not known: it may allow the request, and it may deny it.
      const t = unknownPolicyTruths(policy);
      allow = or(allow, t.allows);
      deny = or(deny, t.denies);
      (unknownPolicies ??= []).push(policy);
      continue;
    }
    for (const statement of policy.statements) {
      const applies = requestPart(statement, req);
      if (applies === false) continue;
      if (statement.effect === 'Deny') {
        deny = or(deny, applies);
        denyStatements.push({ statement, applies });
      } else {
        allow = or(allow, applies);
        allowStatements.push({ statement, applies });
      }
    }
  }
  if (unknownPolicies !== undefined) return { allow, deny, allowStatements, denyStatements, unknownPolicies };
  return { allow, deny, allowStatements, denyStatements };
}

/**
 * Policies with a Principal element: resource-based and trust policies, RCPs,
 * VPC endpoint policies.
 *
 * IUG, permissions boundaries: "Don't use resource-based policy statements
 * that include a NotPrincipal policy element with a Deny effect for IAM users
 * or roles that have a permissions boundary policy attached. The NotPrincipal
 * element with a Deny effect will always deny any IAM principal that has a
 * permissions boundary policy attached, regardless of the values specified in
 * the NotPrincipal element."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function evaluateResourceSet(
  policies: readonly CompiledPolicy[],
  req: SetRequest,
  principalHasBoundary: boolean,
): ResourceSetEvaluation {
  let allowWildcard: Truth = false;
  let allowDirect: Truth = false;
  let allowParent: Truth = false;
  let allowAccount: Truth = false;
  let deny: Truth = false;
  const allowStatements: AppliedStatement[] = [];
  const denyStatements: AppliedStatement[] = [];
  let unknownPolicies: CompiledPolicy[] | undefined;
  for (const policy of policies) {
    if (policy.unknown === true) {
      // Its document is not known: it may allow the request (read as the
      // strongest grant, a statement naming the caller itself, which covers
      // every weaker one), and it may deny it.
      const t = unknownPolicyTruths(policy);
      allowDirect = or(allowDirect, t.allows);
      deny = or(deny, t.denies);
      (unknownPolicies ??= []).push(policy);
      continue;
    }
    for (const statement of policy.statements) {
      if (statement.principal === undefined) continue; // never matches
      const part = requestPart(statement, req);
      if (part === false) continue;
      const match = statementMatchesPrincipal(statement, req.principal, { mode: req.context.mode, unsignedCaller: req.unsignedCaller });
      if (statement.effect === 'Deny') {
        const named = principalHasBoundary && statement.principal.negated ? true : principalMatchAny(match);
        const applies = and(part, named);
        if (applies === false) continue;
        deny = or(deny, applies);
        denyStatements.push({ statement, applies });
        continue;
      }
      const w = and(part, match.wildcard);
      const d = and(part, match.direct);
      const p = and(part, match.parent);
      const a = and(part, match.account);
      const applies = or(or(w, d), or(p, a));
      if (applies === false) continue;
      allowWildcard = or(allowWildcard, w);
      allowDirect = or(allowDirect, d);
      allowParent = or(allowParent, p);
      allowAccount = or(allowAccount, a);
      allowStatements.push({ statement, applies });
    }
  }
  const allow = or(or(allowWildcard, allowDirect), or(allowParent, allowAccount));
  if (unknownPolicies !== undefined)
    return { allow, deny, allowStatements, denyStatements, allowWildcard, allowDirect, allowParent, allowAccount, unknownPolicies };
  return { allow, deny, allowStatements, denyStatements, allowWildcard, allowDirect, allowParent, allowAccount };
}

/** Organization levels (root first): every level must allow; a deny at any level denies. */
export interface LevelsEvaluation {
  readonly allow: Truth;
  readonly deny: Truth;
  readonly levels: readonly SetEvaluation[];
  /** The unknown policies of every level; absent when there are none. */
  readonly unknownPolicies?: readonly CompiledPolicy[];
}

export function evaluateLevels(
  levels: readonly (readonly CompiledPolicy[])[],
  evaluate: (policies: readonly CompiledPolicy[]) => SetEvaluation,
): LevelsEvaluation {
  let allow: Truth = true;
  let deny: Truth = false;
  const out: SetEvaluation[] = [];
  let unknownPolicies: CompiledPolicy[] | undefined;
  for (const level of levels) {
    const e = evaluate(level);
    out.push(e);
    allow = and(allow, e.allow);
    deny = or(deny, e.deny);
    if (e.unknownPolicies !== undefined) (unknownPolicies ??= []).push(...e.unknownPolicies);
  }
  if (unknownPolicies !== undefined) return { allow, deny, levels: out, unknownPolicies };
  return { allow, deny, levels: out };
}
