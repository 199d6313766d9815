import type { CompiledPolicy } from '../compiled';
import { RequestContext } from '../context/context';
import { authorize, resolveResourceAccount, type AuthorizationRequest, type AuthorizationResult } from '../evaluate/authorize';
import { decide, unknownPolicyStatements, type ConditionalOutcome, type MatchedStatement } from '../evaluate/result';
import { CONCRETE_UNKNOWN_NOTE, UNKNOWN_CANNOT_ALLOW_NOTE, type UnknownPolicyUse } from '../evaluate/unknownPolicy';
import { and, atom, or, orAll, type Truth } from '../logic/truth';
import { isIamPrincipal, type Principal } from '../principal/principal';
import type { EvaluationDecision, EvaluationMode } from '../types';

/**
 * The Amazon API Gateway (REST API) authorization flow on top of `authorize`:
 * the outcome of calling a method given its `authorizationType`, the
 * endpoint type, the API's resource policy and, for authorizers, the
 * authorizer's answer.
 *
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
 */
export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS';
export type EndpointType = 'REGIONAL' | 'EDGE' | 'PRIVATE';
/** What a Lambda (CUSTOM) or Cognito authorizer answered: `None` is "neither allow nor deny". */
export type AuthorizerDecision = 'Allow' | 'Deny' | 'None';

export const AUTHORIZATION_TYPES: readonly AuthorizationType[] = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
export const ENDPOINT_TYPES: readonly EndpointType[] = ['REGIONAL', 'EDGE', 'PRIVATE'];
export const AUTHORIZER_DECISIONS: readonly AuthorizerDecision[] = ['Allow', 'Deny', 'None'];

export interface ApiGatewayInvokeRequest extends Omit<AuthorizationRequest, 'unsignedCaller'> {
  readonly authorizationType: AuthorizationType;
  /** Default `REGIONAL`. */
  readonly endpointType?: EndpointType;
  /**
   * The authorizer's answer for CUSTOM and COGNITO_USER_POOLS methods
   * (for Cognito, `Allow` means a valid token). When not given it is unknown:
   * analysis mode reports the decision as conditional on it; concrete mode
   * reads it as `None`.
   */
  readonly authorizerDecision?: AuthorizerDecision;
  /**
   * The stage's "Require authorization" for cache invalidation
   * (`requireAuthorizationForCacheControl`); default true. When false, any
   * client can invalidate the cache.
   */
  readonly requireAuthorizationForCacheControl?: boolean;
}

export type ApiGatewayFlow =
  | 'privateApiWithoutResourcePolicy'
  | 'public'
  | 'resourcePolicyOnly'
  | 'iam'
  | 'lambdaAuthorizer'
  | 'cognito'
  | 'cacheInvalidationUnrestricted'
  | 'cacheInvalidation'
  | 'iamOnlyAction';

export interface ApiGatewayInvokeResult {
  readonly decision: EvaluationDecision;
  readonly conditional?: ConditionalOutcome;
  readonly flow: ApiGatewayFlow;
  readonly matchedStatements: readonly MatchedStatement[];
  /** The IAM evaluation behind the flow (resource policy, and identity policies for AWS_IAM). */
  readonly evaluation: AuthorizationResult | undefined;
  readonly authorizerDecision: AuthorizerDecision | 'unknown' | undefined;
  readonly missingContextKeys: readonly string[];
  readonly notes: readonly string[];
  /** The policies with an unknown document that took part (see `AuthorizationResult.unknownPolicies`); absent when none. */
  readonly unknownPolicies?: readonly UnknownPolicyUse[];
}

/** Keys that exist only for private APIs (AGDG, private APIs: aws:SourceVpc, aws:SourceVpce). */
const PRIVATE_ONLY_KEYS = ['aws:SourceVpc', 'aws:SourceVpce'];
/** Keys that exist only under IAM authorization (AGDG apigateway-resource-policies-aws-condition-keys). */
const IAM_ONLY_KEYS = [
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalType',
  'aws:PrincipalTag/*',
  'aws:userid',
  'aws:username',
  'aws:SourceIdentity',
  'aws:TokenIssueTime',
  'aws:MultiFactorAuthPresent',
];

const ANONYMOUS: Principal = { kind: 'anonymous' };

function result(
  flow: ApiGatewayFlow,
  allow: Truth,
  deny: Truth,
  evaluations: readonly (AuthorizationResult | undefined)[],
  authorizerDecision: ApiGatewayInvokeResult['authorizerDecision'],
  notes: string[],
  mode: EvaluationMode = 'concrete',
): ApiGatewayInvokeResult {
  const evals = evaluations.filter((e): e is AuthorizationResult => e !== undefined);
  let unknownPolicies: UnknownPolicyUse[] | undefined;
  for (const e of evals) {
    for (const u of e.unknownPolicies ?? []) {
      unknownPolicies ??= [];
      if (!unknownPolicies.some((x) => x.allows === u.allows)) unknownPolicies.push(u);
    }
  }
  const { decision, conditional, unknownDenyIgnored } = decide(allow, deny, unknownPolicies !== undefined);
  const only = evals.length === 1 ? evals[0] : undefined;
  let matchedStatements: readonly MatchedStatement[];
  let missing: string[];
  let allNotes: string[];
  if (only !== undefined && only.decision === decision) {
    // The common case (AWS_IAM, resource policy only): the evaluation already has it all.
    matchedStatements = only.matchedStatements;
    missing = conditional ? [...new Set([...only.missingContextKeys, ...conditional.missingKeys])] : [...only.missingContextKeys];
    allNotes = notes.length === 0 ? [...only.notes] : [...notes, ...only.notes.filter((n) => !notes.includes(n))];
  } else {
    const base = evals.flatMap((e) => e.matchedStatements);
    matchedStatements =
      decision === 'explicitDeny'
        ? base.filter((s) => s.effect === 'Deny' && !s.conditional)
        : decision === 'implicitDeny'
          ? []
          : decision === 'allowed'
            ? base.filter((s) => s.effect === 'Allow')
            : base;
    if (conditional !== undefined && unknownPolicies !== undefined) {
      // An evaluation that was an implicit deny on its own lists no unknown policy; the flow may depend on one.
      const extra = unknownPolicyStatements(conditional.atoms).filter(
        (u) =>
          !matchedStatements.some(
            (m) => m.unknownPolicy === true && m.policyId === u.policyId && m.policyType === u.policyType && m.effect === u.effect,
          ),
      );
      if (extra.length > 0) matchedStatements = [...matchedStatements, ...extra];
    }
    missing = [];
    for (const e of evals) for (const k of e.missingContextKeys) if (!missing.includes(k)) missing.push(k);
    if (conditional) for (const k of conditional.missingKeys) if (!missing.includes(k)) missing.push(k);
    allNotes = [...notes];
    for (const e of evals) for (const n of e.notes) if (!allNotes.includes(n)) allNotes.push(n);
    // Notes about the evaluation's own decision that the flow's decision may not share.
    if (!unknownDenyIgnored) allNotes = allNotes.filter((n) => n !== UNKNOWN_CANNOT_ALLOW_NOTE);
    if (decision !== 'conditional') allNotes = allNotes.filter((n) => n !== CONCRETE_UNKNOWN_NOTE);
  }
  if (unknownDenyIgnored && !allNotes.includes(UNKNOWN_CANNOT_ALLOW_NOTE)) allNotes.push(UNKNOWN_CANNOT_ALLOW_NOTE);
  if (unknownPolicies !== undefined && decision === 'conditional' && mode === 'concrete' && !allNotes.includes(CONCRETE_UNKNOWN_NOTE))
    allNotes.push(CONCRETE_UNKNOWN_NOTE);
  return {
    decision,
    ...(conditional ? { conditional } : {}),
    flow,
    matchedStatements,
    evaluation: evals[0],
    authorizerDecision,
    missingContextKeys: missing,
    notes: allNotes,
    ...(unknownPolicies !== undefined ? { unknownPolicies } : {}),
  };
}

/** The allow/deny formulas of an `AuthorizationResult`. */
function formulas(r: AuthorizationResult): { allow: Truth; deny: Truth } {
  switch (r.decision) {
    case 'allowed':
      return { allow: true, deny: false };
    case 'explicitDeny':
      return { allow: false, deny: true };
    case 'implicitDeny':
      // An implicit deny may leave out what unknown policies could deny (nothing could allow
      // on that side); the flow may still need it, e.g. to block an authorizer's Allow.
      return { allow: false, deny: r.unknownPolicies === undefined ? false : orAll(r.unknownPolicies.map((u) => u.denies)) };
    case 'conditional': {
      const c = r.conditional as ConditionalOutcome;
      // allowedWhen already excludes the deny.
      return { allow: c.allowedWhen, deny: c.explicitDenyWhen };
    }
  }
}

/** The authorizer's answer as allow/deny formulas (atoms when unknown in analysis mode). */
function authorizerFormulas(
  req: ApiGatewayInvokeRequest,
  notes: string[],
): { allow: Truth; deny: Truth; decision: AuthorizerDecision | 'unknown' } {
  const d = req.authorizerDecision;
  if (d === undefined) {
    if ((req.mode ?? 'concrete') === 'analysis') {
      return {
        allow: atom({ kind: 'authorizer', decision: 'Allow' }),
        deny: atom({ kind: 'authorizer', decision: 'Deny' }),
        decision: 'unknown',
      };
    }
    notes.push('the authorizer decision was not given; read as "neither allow nor deny"');
    return { allow: false, deny: false, decision: 'None' };
  }
  return { allow: d === 'Allow', deny: d === 'Deny', decision: d };
}

/**
 * Decides a call to an API Gateway method.
 *
 * - PRIVATE endpoint without a resource policy: every call fails.
 * - NONE without a resource policy: public, anonymous callers included.
 * - NONE with a resource policy: "resource policy only" — it must explicitly
 *   allow; an implicit or explicit deny denies.
 * - AWS_IAM: IAM evaluation; same account (Table A) either side may allow,
 *   cross account (Table B) both must. That is `authorize` with the API's
 *   resource policy.
 * - CUSTOM (Lambda authorizer): the resource policy is first checked for
 *   explicit denies, then the authorizer's answer and the resource policy
 *   combine per Table A (the authorizer runs in the API owner's account).
 * - COGNITO_USER_POOLS: authentication must succeed; with a resource policy,
 *   "the resource policy is evaluated independently, and an explicit allow is
 *   required" (AGDG flow text — followed here over Table A's "Allow + Neither").
 * - Methods not using AWS_IAM are called without a signature: only resource
 *   policy statements with `"Principal": "*"` name such callers, never
 *   `{"AWS": …}` ones, and `aws:Principal…` keys are absent.
 * - `execute-api:InvalidateCache`: anyone may invalidate when the stage does
 *   not require authorization; otherwise an IAM permission in the API's
 *   account (cross-account invalidation is not supported).
 */
export function authorizeApiGatewayInvoke(req: ApiGatewayInvokeRequest): ApiGatewayInvokeResult {
  const notes: string[] = [];
  const endpoint = req.endpointType ?? 'REGIONAL';
  const actionLower = req.action.toLowerCase();
  const resourceAccount = resolveResourceAccount(req.resource, req.principal, req.resourceAccount);
  const mode = req.mode ?? 'concrete';

  const baseContext =
    req.context instanceof RequestContext
      ? req.context
      : new RequestContext({
          principal: req.principal,
          resourceAccount,
          mode,
          request: { action: req.action, resource: req.resource },
          ...(req.context?.values !== undefined ? { values: req.context.values } : {}),
          ...(req.context?.currentTime !== undefined ? { currentTime: req.context.currentTime } : {}),
          ...(req.context?.absentKeys !== undefined ? { absentKeys: req.context.absentKeys } : {}),
        });
  const endpointAbsent = endpoint === 'PRIVATE' ? [] : PRIVATE_ONLY_KEYS;
  const vpce = endpoint === 'PRIVATE' ? req.vpcEndpointPolicy : undefined;
  if (endpoint !== 'PRIVATE' && req.vpcEndpointPolicy !== undefined)
    notes.push('a VPC endpoint policy applies only to private APIs; it was not used');

  const signedRequest = (): AuthorizationRequest => ({
    ...req,
    resourceAccount,
    context: baseContext.withAbsentKeys(endpointAbsent),
    vpcEndpointPolicy: vpce,
  });
  /** The unsigned caller against one policy (the API's resource policy, or the VPC endpoint policy). */
  const unsigned = (policy: CompiledPolicy | undefined): AuthorizationResult | undefined =>
    policy === undefined
      ? undefined
      : authorize({
          principal: ANONYMOUS,
          action: req.action,
          resource: req.resource,
          resourceAccount,
          mode,
          unsignedCaller: true,
          resourcePolicy: policy,
          ...(req.resourceControlPolicies !== undefined ? { resourceControlPolicies: req.resourceControlPolicies } : {}),
          ...(req.organization !== undefined ? { organization: req.organization } : {}),
          context: baseContext.withAbsentKeys([...endpointAbsent, ...IAM_ONLY_KEYS], ANONYMOUS),
        });

  if (actionLower !== 'execute-api:invoke' && actionLower !== 'execute-api:invalidatecache') {
    const evaluation = authorize(signedRequest());
    notes.push(`${req.action} is authorized by IAM only`);
    const f = formulas(evaluation);
    return result('iamOnlyAction', f.allow, f.deny, [evaluation], undefined, notes, mode);
  }

  if (endpoint === 'PRIVATE' && req.resourcePolicy === undefined) {
    notes.push('a private API without a resource policy fails every call');
    return result('privateApiWithoutResourcePolicy', false, false, [], undefined, notes, mode);
  }

  if (actionLower === 'execute-api:invalidatecache') {
    if (req.requireAuthorizationForCacheControl === false) {
      notes.push('the stage does not require authorization for cache invalidation: any client can invalidate');
      return result('cacheInvalidationUnrestricted', true, false, [], undefined, notes, mode);
    }
    if (!isIamPrincipal(req.principal)) {
      notes.push('invalidating the cache needs an IAM-signed request allowed execute-api:InvalidateCache');
      return result('cacheInvalidation', false, false, [], undefined, notes, mode);
    }
    if (req.principal.accountId !== resourceAccount) {
      notes.push('cross-account cache invalidation is not supported');
      return result('cacheInvalidation', false, false, [], undefined, notes, mode);
    }
    const evaluation = authorize(signedRequest());
    const f = formulas(evaluation);
    return result('cacheInvalidation', f.allow, f.deny, [evaluation], undefined, notes, mode);
  }

  if (req.authorizationType === 'AWS_IAM') {
    if (!isIamPrincipal(req.principal)) {
      notes.push('AWS_IAM methods need an IAM-signed request');
      return result('iam', false, false, [], undefined, notes, mode);
    }
    const evaluation = authorize(signedRequest());
    const f = formulas(evaluation);
    return result('iam', f.allow, f.deny, [evaluation], undefined, notes, mode);
  }

  // Unsigned callers: the resource policy and the VPC endpoint policy, each on its own.
  const rpEval = unsigned(req.resourcePolicy);
  const vpceEval = unsigned(vpce);
  const rp = rpEval ? formulas(rpEval) : undefined;
  const ve = vpceEval ? formulas(vpceEval) : { allow: true, deny: false };
  const rpDeny = rp?.deny ?? false;

  switch (req.authorizationType) {
    case 'NONE': {
      if (rp === undefined) {
        notes.push('no authorization and no resource policy: the method is public');
        return result('public', ve.allow, ve.deny, [vpceEval], undefined, notes, mode);
      }
      return result('resourcePolicyOnly', and(rp.allow, ve.allow), or(rpDeny, ve.deny), [rpEval, vpceEval], undefined, notes, mode);
    }
    case 'CUSTOM': {
      const a = authorizerFormulas(req, notes);
      // Phase 1: an explicit deny in the resource policy stops the call before the authorizer runs.
      // Phase 2 (Table A): allowed when either the authorizer or the resource policy allows and neither denies.
      const allow = and(or(a.allow, rp?.allow ?? false), ve.allow);
      return result('lambdaAuthorizer', allow, orAll([rpDeny, a.deny, ve.deny]), [rpEval, vpceEval], a.decision, notes, mode);
    }
    case 'COGNITO_USER_POOLS': {
      const a = authorizerFormulas(req, notes);
      const allow = and(and(a.allow, rp === undefined ? true : rp.allow), ve.allow);
      return result('cognito', allow, orAll([rpDeny, a.deny, ve.deny]), [rpEval, vpceEval], a.decision, notes, mode);
    }
  }
}
