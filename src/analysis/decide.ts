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
 * - an ingested user or role (a role acts through "any session of this role");
 * - an account that was not ingested, named by a policy: it stands for
 *   "principals of that account whose own policies allow", so its side is
 *   taken as allowing and only the resource side is decided;
 * - anonymous (unsigned) callers of API Gateway methods without IAM auth.
 */
export type Caller =
  | { type: 'principal'; entry: PrincipalEntry }
  | { type: 'account'; account: string }
  | { type: 'root'; account: string }
  | { type: 'anonymous' };

/**
 * - root: the root user of an ingested account. It "has complete access to all
 *   AWS services and resources in the account" (IUG, "AWS account root
 *   user"), so its own side is taken as allowing; SCPs still apply to the
 *   root of a member account (Organizations UG, "SCP effects on permissions").
 *   Left out of answers unless asked for.
 */
export function callerArn(caller: Caller): string {
  if (caller.type === 'principal') return caller.entry.arn;
  if (caller.type === 'account' || caller.type === 'root') return `arn:aws:iam::${caller.account}:root`;
  return ANONYMOUS_ARN;
}

/** How answers name unsigned callers. */
export const ANONYMOUS_ARN = 'anonymous';

/** Request context values given by the user (source IP, MFA, tags, time, external id…). */
export type RequestContextValues = Readonly<Record<string, ContextInputValue>>;

export interface Decision {
  decision: EvaluationDecision;
  conditional: ConditionalOutcome | undefined;
  matchedStatements: readonly MatchedStatement[];
  notes: readonly string[];
}

/** An external account's own side: "whose own policies allow". */
const EXTERNAL_ALLOWS = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { type: 'identity', id: 'policies of the external account (assumed to allow)' });

function callerFacts(model: AccessModel, caller: Caller): Pick<AuthorizationRequest, 'principal' | 'identityPolicies' | 'permissionsBoundaries' | 'serviceControlPolicies'> {
  if (caller.type === 'principal') {
    const { entry } = caller;
    const scps = model.scpLevels(entry.account);
    return {
      principal: entry.principal,
      identityPolicies: entry.identityPolicies.map((p) => p.policy),
      ...(entry.boundary ? { permissionsBoundaries: [entry.boundary] } : {}),
      ...(scps ? { serviceControlPolicies: scps } : {}),
    };
  }
  if (caller.type === 'account' || caller.type === 'root') {
    const principal: Principal = { kind: 'root', partition: 'aws', accountId: caller.account, arn: `arn:aws:iam::${caller.account}:root` };
    const scps = caller.type === 'root' ? model.scpLevels(caller.account) : undefined;
    return { principal, identityPolicies: [EXTERNAL_ALLOWS], ...(scps ? { serviceControlPolicies: scps } : {}) };
  }
  return { principal: { kind: 'anonymous' } };
}

export interface DecideRequest {
  action: string;
  resource: string;
  resourceAccount?: string;
  resourcePolicy?: CompiledPolicy | undefined;
  context?: RequestContextValues;
  currentTime?: Date;
}

/**
 * "Can this caller do this?" on the ingested facts: every policy type that
 * applies, in analysis mode, so context that was not given makes the answer
 * conditional (with the deciding conditions) instead of a guess.
 */
export function decide(model: AccessModel, caller: Caller, request: DecideRequest): Decision {
  return summarise(authorize(baseRequest(model, caller, request)));
}

export interface InvokeRequest extends DecideRequest {
  authorizationType: AuthorizationType;
  endpointType: EndpointType;
}

/** API Gateway's flow on top: the method's authorization type, endpoint type and the API's resource policy. */
export function decideInvoke(model: AccessModel, caller: Caller, request: InvokeRequest): Decision {
  return summarise(authorizeApiGatewayInvoke({ ...baseRequest(model, caller, request), authorizationType: request.authorizationType, endpointType: request.endpointType }));
}

/** The engine request shared by every question: the caller's facts, the resource side, analysis mode. */
function baseRequest(model: AccessModel, caller: Caller, request: DecideRequest): AuthorizationRequest {
  const rcps = model.rcpLevels(request.resourceAccount ?? accountOf(request.resource) ?? '');
  return {
    ...callerFacts(model, caller),
    action: request.action,
    resource: request.resource,
    mode: 'analysis',
    organization: model.organization,
    ...(request.resourceAccount ? { resourceAccount: request.resourceAccount } : {}),
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
    ...(rcps ? { resourceControlPolicies: rcps } : {}),
    context: { ...(request.context ? { values: request.context } : {}), ...(request.currentTime ? { currentTime: request.currentTime } : {}) },
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
