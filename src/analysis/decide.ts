import {
  authorize,
  authorizeApiGatewayInvoke,
  parsePolicy,
  type AuthorizationRequest,
  type AuthorizationType,
  type CompiledPolicy,
  type ContextInputValue,
  type EndpointType,
  type EvaluationDecision,
  type ConditionalOutcome,
  type MatchedStatement,
  type Principal,
} from '../policy';
import type { AccessModel, PrincipalEntry } from './accessModel';

/**
 * Who makes a request, as the analysis sees it:
 * - `principal`: an ingested user or role (a role acts through "any session
 *   of this role");
 * - `external`: a user, role or role session of an account that was not
 *   ingested, named by ARN in a trust or resource policy. Its own policies are
 *   unknown, so its side is taken as allowing and only the resource side is
 *   decided ("principals whose own policies allow");
 * - `account`: the principals of an account that was not ingested (named by a
 *   policy, or a member of the organization without IAM data), as
 *   `arn:aws:iam::ACCOUNT:root`; likewise taken as allowing on its own side.
 *   `ANY_ACCOUNT` stands for every other AWS account, for policies that name
 *   `"*"`;
 * - `root`: the root user of an ingested account. It "has complete access to
 *   all AWS services and resources in the account" (IUG, "AWS account root
 *   user"); SCPs still apply to the root of a member account (Organizations
 *   UG, "SCP effects on permissions"). Left out of answers unless asked for;
 * - `service`: an AWS service principal named by a trust or resource policy
 *   (`apigateway.amazonaws.com`);
 * - `anonymous`: unsigned callers of API Gateway methods without IAM auth.
 */
export type Caller =
  | { readonly type: 'principal'; readonly entry: PrincipalEntry }
  | { readonly type: 'external'; readonly arn: string; readonly account: string; readonly principal: Principal }
  | { readonly type: 'account'; readonly account: string }
  | { readonly type: 'root'; readonly account: string }
  | { readonly type: 'service'; readonly service: string }
  | { readonly type: 'anonymous' };

/** How answers name unsigned callers. */
export const ANONYMOUS_ARN = 'anonymous';

/**
 * The stand-in account id for "any other AWS account", used when a policy
 * names `"*"`: its principals are outside the snapshot and outside the
 * organization. Shown as `arn:aws:iam::*:root`.
 */
export const ANY_ACCOUNT = '*';
const ANY_ACCOUNT_PRINCIPAL_ID = '000000000000';

export function callerArn(caller: Caller): string {
  switch (caller.type) {
    case 'principal':
      return caller.entry.arn;
    case 'external':
      return caller.arn;
    case 'account':
    case 'root':
      return `arn:aws:iam::${caller.account}:root`;
    case 'service':
      return caller.service;
    case 'anonymous':
      return ANONYMOUS_ARN;
  }
}

/** The kind of caller as answers report it. */
export type CallerType = 'user' | 'role' | 'session' | 'account' | 'root' | 'service' | 'anonymous';

export function callerType(caller: Caller): CallerType {
  switch (caller.type) {
    case 'principal':
      return caller.entry.kind;
    case 'external':
      return caller.principal.kind === 'user' ? 'user' : caller.principal.kind === 'role' ? 'role' : 'session';
    default:
      return caller.type;
  }
}

/** The account a caller belongs to (undefined for services and anonymous callers). */
export function callerAccount(caller: Caller): string | undefined {
  switch (caller.type) {
    case 'principal':
      return caller.entry.account;
    case 'external':
    case 'account':
    case 'root':
      return caller.account;
    default:
      return undefined;
  }
}

/** Request context values given by the user (source IP, MFA, tags, time, external id…). */
export type RequestContextValues = Readonly<Record<string, ContextInputValue>>;

export interface Decision {
  decision: EvaluationDecision;
  conditional: ConditionalOutcome | undefined;
  matchedStatements: readonly MatchedStatement[];
  notes: readonly string[];
}

/** An external caller's own side: "whose own policies allow". */
const EXTERNAL_ALLOWS = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { type: 'identity', id: 'policies of the external account (assumed to allow)' });

/** The caller's side of every engine request, computed once per caller. */
interface CallerFacts {
  readonly principal: Principal;
  readonly identityPolicies: readonly CompiledPolicy[] | undefined;
  readonly permissionsBoundaries: readonly CompiledPolicy[] | undefined;
  readonly serviceControlPolicies: readonly (readonly CompiledPolicy[])[] | undefined;
}

const factsCache = new WeakMap<Caller, CallerFacts>();

function callerFacts(model: AccessModel, caller: Caller): CallerFacts {
  let facts = factsCache.get(caller);
  if (facts) return facts;
  switch (caller.type) {
    case 'principal': {
      const { entry } = caller;
      facts = {
        principal: entry.principal,
        identityPolicies: entry.identityPolicies.map((p) => p.policy),
        permissionsBoundaries: entry.boundary ? [entry.boundary] : undefined,
        serviceControlPolicies: model.scpLevels(entry.account),
      };
      break;
    }
    case 'external':
      facts = { principal: caller.principal, identityPolicies: [EXTERNAL_ALLOWS], permissionsBoundaries: undefined, serviceControlPolicies: undefined };
      break;
    case 'account':
    case 'root': {
      const id = caller.account === ANY_ACCOUNT ? ANY_ACCOUNT_PRINCIPAL_ID : caller.account;
      // aws:PrincipalOrgID: known for accounts of the organization; an account the organization
      // does not list is outside it (when the snapshot has an organization at all).
      const orgId = model.orgIdOf(caller.account);
      const principal: Principal = {
        kind: 'root',
        partition: 'aws',
        accountId: id,
        arn: `arn:aws:iam::${id}:root`,
        // The root user has no tags; the unknown principals an account stands for may have any.
        ...(caller.type === 'root' ? { tags: {} } : {}),
        ...(orgId !== undefined ? { orgId } : {}),
      };
      facts = {
        principal,
        identityPolicies: [EXTERNAL_ALLOWS],
        permissionsBoundaries: undefined,
        // The root user of a member account is subject to SCPs; unknown principals of a non-ingested member account too.
        serviceControlPolicies: model.scpLevels(caller.account),
      };
      break;
    }
    case 'service':
      facts = { principal: { kind: 'service', service: caller.service }, identityPolicies: undefined, permissionsBoundaries: undefined, serviceControlPolicies: undefined };
      break;
    case 'anonymous':
      facts = { principal: { kind: 'anonymous' }, identityPolicies: undefined, permissionsBoundaries: undefined, serviceControlPolicies: undefined };
      break;
  }
  factsCache.set(caller, facts);
  return facts;
}

export interface DecideRequest {
  action: string;
  resource: string;
  resourceAccount?: string | undefined;
  resourcePolicy?: CompiledPolicy | undefined;
  context?: RequestContextValues | undefined;
  currentTime?: Date | undefined;
}

/**
 * "Can this caller do this?" on the ingested facts: every policy type that
 * applies, in analysis mode, so context that was not given makes the answer
 * conditional (with the deciding conditions) instead of a guess.
 */
export function decide(model: AccessModel, caller: Caller, request: DecideRequest): Decision {
  return summarise(authorize(engineRequest(model, caller, request)));
}

export interface InvokeRequest extends DecideRequest {
  authorizationType: AuthorizationType;
  endpointType: EndpointType;
}

/** API Gateway's flow on top: the method's authorization type, endpoint type and the API's resource policy. */
export function decideInvoke(model: AccessModel, caller: Caller, request: InvokeRequest): Decision {
  const base = engineRequest(model, caller, request);
  return summarise(authorizeApiGatewayInvoke({ ...base, authorizationType: request.authorizationType, endpointType: request.endpointType }));
}

/** The full engine request (for `can`, which reports every layer of the engine's result). */
export function engineRequest(model: AccessModel, caller: Caller, request: DecideRequest): AuthorizationRequest {
  const facts = callerFacts(model, caller);
  const resourceAccount = request.resourceAccount ?? accountOf(request.resource);
  return {
    principal: facts.principal,
    identityPolicies: facts.identityPolicies,
    permissionsBoundaries: facts.permissionsBoundaries,
    serviceControlPolicies: facts.serviceControlPolicies,
    action: request.action,
    resource: request.resource,
    mode: 'analysis',
    organization: model.organization,
    resourceAccount,
    resourcePolicy: request.resourcePolicy,
    resourceControlPolicies: resourceAccount === undefined ? undefined : model.rcpLevels(resourceAccount),
    context: request.context === undefined && request.currentTime === undefined ? undefined : { values: request.context, currentTime: request.currentTime },
  };
}

function summarise(result: { decision: EvaluationDecision; conditional?: ConditionalOutcome | undefined; matchedStatements: readonly MatchedStatement[]; notes: readonly string[] }): Decision {
  return { decision: result.decision, conditional: result.conditional, matchedStatements: result.matchedStatements, notes: result.notes };
}

/** Allowed, or allowed under some values of what was not given. */
export function mayBeAllowed(d: Decision): boolean {
  return d.decision === 'allowed' || (d.decision === 'conditional' && (d.conditional?.possibleDecisions.includes('allowed') ?? false));
}

function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
