import {
  accountIdOfArn,
  authorize,
  authorizeApiGatewayInvoke,
  parsePolicy,
  policyForAction,
  readsCallerIdentity,
  statementReadsCallerIdentity,
  unknownPolicy,
  type AuthorizationRequest,
  type AuthorizationType,
  type CompiledPolicy,
  type CompiledStatement,
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
 *   unknown (an unknown policy: never assumed to allow or deny), so what the
 *   resource side allows it comes back conditional on them;
 * - `account`: the principals of an account that was not ingested (named by a
 *   policy, or a member of the organization without IAM data), as
 *   `arn:aws:iam::ACCOUNT:root`: "principals of that account whose own
 *   policies allow", likewise conditional on those unknown policies.
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

/** The root user's own side: it "has complete access to all AWS services and resources in the account" (IUG, "AWS account root user"). */
const ROOT_ALLOWS = parsePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  { type: 'identity', id: 'the root user (full access in its account)' },
);

/**
 * The own policies of principals whose account was not ingested: unknown,
 * never assumed to allow or to deny (the engine's unknownPolicy). Answers that
 * need them to allow come back `conditional` on them: "principals of that
 * account whose own policies allow".
 */
function externalPolicies(account: string): CompiledPolicy {
  const name =
    account === ANY_ACCOUNT
      ? 'policies of principals of any other AWS account'
      : `policies of principals of account ${account} (not ingested)`;
  return unknownPolicy({ type: 'identity', id: `arn:aws:iam::${account}:root#own-policies`, name, reason: 'the account was not ingested' });
}

/** The caller's side of every engine request, computed once per caller. */
interface CallerFacts {
  readonly principal: Principal;
  readonly identityPolicies: readonly CompiledPolicy[] | undefined;
  readonly permissionsBoundaries: readonly CompiledPolicy[] | undefined;
  readonly serviceControlPolicies: readonly (readonly CompiledPolicy[])[] | undefined;
}

const factsCache = new WeakMap<Caller, CallerFacts>();
const factsByAction = new WeakMap<Caller, Map<string, CallerFacts>>();

/**
 * The caller's side for one action: each policy narrowed to the statements
 * that cover the action (`policyForAction`, the engine's own matcher), so
 * asking many callers about one action does not scan their other statements.
 */
function callerFactsFor(model: AccessModel, caller: Caller, action: string): CallerFacts {
  const key = action.toLowerCase();
  let byAction = factsByAction.get(caller);
  if (!byAction) {
    byAction = new Map();
    factsByAction.set(caller, byAction);
  }
  let facts = byAction.get(key);
  if (!facts) {
    const all = callerFacts(model, caller);
    const narrow = (list: readonly CompiledPolicy[] | undefined) => list?.map((p) => policyForAction(p, key));
    facts = {
      principal: all.principal,
      identityPolicies: narrow(all.identityPolicies),
      permissionsBoundaries: narrow(all.permissionsBoundaries),
      serviceControlPolicies: all.serviceControlPolicies?.map((level) => level.map((p) => policyForAction(p, key))),
    };
    byAction.set(key, facts);
  }
  return facts;
}

const viewIds = new WeakMap<CompiledPolicy, number>();
let nextViewId = 1;
function viewId(policy: CompiledPolicy): number {
  let id = viewIds.get(policy);
  if (id === undefined) viewIds.set(policy, (id = nextViewId++));
  return id;
}

/**
 * Principals the engine cannot tell apart on `action`: same kind, account
 * (hence SCPs and organization), service-linked flag, and the same policies
 * once narrowed to the action, none of which reads the caller's identity
 * (`readsCallerIdentity`). The engine's decision is then the same for each of
 * them on any request for that action, provided the resource side does not
 * single one out either (the caller checks who a resource policy names, and
 * whether it reads the caller's identity). Undefined when the caller must be
 * decided on its own.
 */
const keyCache = new WeakMap<Caller, Map<string, string | undefined>>();

export function equivalenceKey(model: AccessModel, caller: Caller, action: string): string | undefined {
  if (caller.type !== 'principal') return undefined;
  let byAction = keyCache.get(caller);
  if (!byAction) keyCache.set(caller, (byAction = new Map<string, string | undefined>()));
  const actionKey = action.toLowerCase();
  if (byAction.has(actionKey)) return byAction.get(actionKey);
  const key = computeEquivalenceKey(model, caller, action);
  byAction.set(actionKey, key);
  return key;
}

function computeEquivalenceKey(model: AccessModel, caller: Caller & { type: 'principal' }, action: string): string | undefined {
  const facts = callerFactsFor(model, caller, action);
  const policies = [
    ...(facts.identityPolicies ?? []),
    ...(facts.permissionsBoundaries ?? []),
    ...(facts.serviceControlPolicies ?? []).flat(),
  ];
  if (policies.some(readsCallerIdentity)) return undefined;
  // Narrowed identity policies without statements change nothing; a boundary always counts (an empty one denies).
  const identity = (facts.identityPolicies ?? [])
    .filter((p) => p.unknown || p.statements.length > 0)
    .map(viewId)
    .sort((a, b) => a - b);
  return principalKey(caller.entry, identity.join(','), facts);
}

/** The key parts every equivalence key shares: kind, account (SCPs, organization), service-linked flag, boundary; and the identity part. */
function principalKey(entry: PrincipalEntry, identity: string, facts: CallerFacts): string {
  const boundary = facts.permissionsBoundaries?.map(viewId).join('+') ?? '-';
  return `${entry.kind}|${entry.account}|${entry.principal.kind === 'role' && entry.principal.serviceLinked ? 'slr' : ''}|${identity}|${boundary}`;
}

/**
 * `equivalenceKey` narrowed to one question: principals whose identity
 * statements that may apply to the target's resources are the same
 * statements (and whose other key parts agree) get the same decision. A
 * statement whose Resource cannot match any request of the target takes no
 * part in the engine's decision on it (IUG, "Policy evaluation logic": a
 * statement applies only when the request matches its Action and Resource),
 * so on a given method most principals with different policy sets still
 * share a decision (a "power user" statement on `*` plus statements on other
 * APIs). The statements are compared by identity, not by text, so the
 * deciding statements a shared decision names are each principal's own.
 * Kept conservative: NotResource, a statement without Resource, and a policy
 * variable in a Resource pattern always count; one of them that reads the
 * caller's identity leaves the caller to be decided on its own.
 */
export function targetEquivalenceKey(
  model: AccessModel,
  caller: Caller,
  action: string,
  resourceMayMatch: (pattern: string) => boolean,
): string | undefined {
  return targetEquivalence(model, caller, action, resourceMayMatch)?.key;
}

/**
 * `targetEquivalenceKey` with the identity statements it names (those that
 * may apply to the target): the access index compares how they match two
 * targets to reuse one decision for both (accessIndex.ts).
 */
export function targetEquivalence(
  model: AccessModel,
  caller: Caller,
  action: string,
  resourceMayMatch: (pattern: string) => boolean,
): { key: string; statements: CompiledStatement[] } | undefined {
  if (caller.type !== 'principal') return undefined;
  const facts = callerFactsFor(model, caller, action);
  if (
    (facts.permissionsBoundaries ?? []).some(readsCallerIdentity) ||
    (facts.serviceControlPolicies ?? []).some((level) => level.some(readsCallerIdentity))
  )
    return undefined;
  const applying: string[] = [];
  const statements: CompiledStatement[] = [];
  for (const policy of facts.identityPolicies ?? []) {
    if (policy.unknown) return undefined;
    const id = viewId(policy);
    for (let i = 0; i < policy.statements.length; i++) {
      const statement = policy.statements[i]!;
      if (!statementMayApply(statement, resourceMayMatch)) continue;
      if (statementReadsCallerIdentity(statement)) return undefined;
      applying.push(`${id}.${i}`);
      statements.push(statement);
    }
  }
  return { key: principalKey(caller.entry, applying.sort().join(','), facts), statements };
}

/**
 * Every policy the engine reads on the caller's side for the action, each
 * narrowed to the statements that cover it: identity policies, permissions
 * boundaries, SCPs.
 */
export function callerPolicyViews(
  model: AccessModel,
  caller: Caller,
  action: string,
): { identity: readonly CompiledPolicy[]; limits: readonly CompiledPolicy[] } {
  const facts = callerFactsFor(model, caller, action);
  return {
    identity: facts.identityPolicies ?? [],
    limits: [...(facts.permissionsBoundaries ?? []), ...(facts.serviceControlPolicies ?? []).flat()],
  };
}

function statementMayApply(statement: CompiledStatement, resourceMayMatch: (pattern: string) => boolean): boolean {
  const element = statement.resource;
  if (!element || element.negated || element.dynamic.length > 0) return true;
  return element.values.some((pattern) => pattern.includes('${') || resourceMayMatch(pattern));
}

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
      facts = {
        principal: caller.principal,
        identityPolicies: [externalPolicies(caller.account)],
        permissionsBoundaries: undefined,
        serviceControlPolicies: undefined,
      };
      break;
    case 'account':
    case 'root': {
      const id = caller.account === ANY_ACCOUNT ? ANY_ACCOUNT_PRINCIPAL_ID : caller.account;
      // aws:PrincipalOrgID: known for accounts of the organization; an account the organization
      // does not list is outside it (when the snapshot has an organization at all).
      const orgId = model.orgIdOf(caller.account);
      // The root user (no tags), or some principal of the account, which one unknown (the engine's accountPrincipal).
      const principal: Principal =
        caller.type === 'root'
          ? {
              kind: 'root',
              partition: 'aws',
              accountId: id,
              arn: `arn:aws:iam::${id}:root`,
              tags: {},
              ...(orgId !== undefined ? { orgId } : {}),
            }
          : { kind: 'accountPrincipal', partition: 'aws', accountId: id, ...(orgId !== undefined ? { orgId } : {}) };
      facts = {
        principal,
        identityPolicies: [caller.type === 'root' ? ROOT_ALLOWS : externalPolicies(caller.account)],
        permissionsBoundaries: undefined,
        // The root user of a member account is subject to SCPs; unknown principals of a non-ingested member account too.
        serviceControlPolicies: model.scpLevels(caller.account),
      };
      break;
    }
    case 'service':
      facts = {
        principal: { kind: 'service', service: caller.service },
        identityPolicies: undefined,
        permissionsBoundaries: undefined,
        serviceControlPolicies: undefined,
      };
      break;
    case 'anonymous':
      facts = {
        principal: { kind: 'anonymous' },
        identityPolicies: undefined,
        permissionsBoundaries: undefined,
        serviceControlPolicies: undefined,
      };
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
  /** Private APIs: the policy of the VPC endpoint the call comes through (none: the default, full-access policy). */
  vpcEndpointPolicy?: CompiledPolicy | undefined;
}

/** API Gateway's flow on top: the method's authorization type, endpoint type, the API's resource policy and the VPC endpoint's policy. */
export function decideInvoke(model: AccessModel, caller: Caller, request: InvokeRequest): Decision {
  const base = engineRequest(model, caller, request);
  return summarise(
    authorizeApiGatewayInvoke({
      ...base,
      authorizationType: request.authorizationType,
      endpointType: request.endpointType,
      ...(request.vpcEndpointPolicy !== undefined ? { vpcEndpointPolicy: request.vpcEndpointPolicy } : {}),
    }),
  );
}

/** The full engine request (for `can`, which reports every layer of the engine's result). */
export function engineRequest(model: AccessModel, caller: Caller, request: DecideRequest): AuthorizationRequest {
  const facts = callerFactsFor(model, caller, request.action);
  const resourceAccount = request.resourceAccount ?? accountIdOfArn(request.resource);
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
    context:
      request.context === undefined && request.currentTime === undefined
        ? undefined
        : { values: request.context, currentTime: request.currentTime },
  };
}

function summarise(result: {
  decision: EvaluationDecision;
  conditional?: ConditionalOutcome | undefined;
  matchedStatements: readonly MatchedStatement[];
  notes: readonly string[];
}): Decision {
  return { decision: result.decision, conditional: result.conditional, matchedStatements: result.matchedStatements, notes: result.notes };
}

/** Allowed, or allowed under some values of what was not given. */
export function mayBeAllowed(d: Decision): boolean {
  return d.decision === 'allowed' || (d.decision === 'conditional' && (d.conditional?.possibleDecisions.includes('allowed') ?? false));
}
