/**
 * "Can this principal do this?", like the IAM policy simulator but on the
 * ingested data: the engine's decision for every concrete request of the
 * question, with the deciding statements of every policy type and how each
 * layer (identity, boundary, SCPs, RCPs, resource policy) voted; then, when
 * the principal can assume roles, the best access it reaches through them.
 */
import {
  authorize,
  authorizeApiGatewayInvoke,
  type AuthorizationResult,
  type ControlPolicyDetail,
  type EvaluationDecision,
  type LayerDetail,
  type MatchedStatement,
} from '../policy';
import {
  conditionSummary,
  statementLabel,
  type AccessDecision,
  type AccessPath,
  type ConditionSummary,
  type PartialCoverage,
} from './answer';
import { callerArn, callerType, engineRequest, type Caller, type CallerType, type RequestContextValues } from './decide';
import { chainTo, forwardReach } from './forward';
import { decisionOfLevel, Level, levelOfDecision, strongest, weakest } from './levels';
import { resolveCaller } from './rolePaths';
import type { Target } from './targets';
import {
  bestEndpointFor,
  DEFAULT_MAX_HOPS,
  DEFAULT_MAX_PATHS,
  decideCaller,
  grantPaths,
  type AnalysisInputs,
  type CallerGrant,
} from './whoCan';

export interface DecidingStatement {
  policyType: string;
  /** The policy key (managed policy ARN, `<owner>#inline/<name>`, `<role>#trust`, `<api>#resource-policy`, SCP id). */
  policy: string;
  policyName: string | null;
  /** Sid, or `#N`; `(document unknown)` for a policy missing from the snapshot. */
  statement: string;
  effect: 'Allow' | 'Deny';
  /** The statement applies only under conditions that were not given. */
  conditional: boolean;
}

export interface LayerVote {
  layer: 'identity' | 'permissionsBoundary' | 'sessionPolicy' | 'resourcePolicy' | 'vpcEndpointPolicy' | 'scp' | 'rcp';
  /** The layer takes part in this decision. */
  applies: boolean;
  /** Whether it allows: true, false, or "conditional". */
  allows: boolean | 'conditional';
  /** Why an organization policy did not apply (management account, service-linked role, service not covered). */
  exemptReason?: string;
}

export interface RequestEvaluation {
  request: string;
  decision: EvaluationDecision;
  /** API Gateway's authorization flow for execute-api questions (iam, public, resourcePolicyOnly, lambdaAuthorizer, …). */
  flow?: string;
  /** Private API methods: the VPC endpoint the request was evaluated through (the caller's best; `*` for one outside the snapshot). */
  endpoint?: string;
  statements: DecidingStatement[];
  layers: LayerVote[];
  conditions: ConditionSummary[];
  missingContextKeys: string[];
  notes: string[];
}

export interface CanAnswer {
  principal: string;
  principalType: CallerType;
  action: string;
  resource: string;
  /** The principal's own access, without assuming roles. */
  decision: AccessDecision;
  conditions: ConditionSummary[];
  partial?: PartialCoverage;
  /** The engine's evaluation of each concrete request (one per verb for a method template). */
  requests: RequestEvaluation[];
  /** The principal's own paths to the access (empty when denied). */
  paths: AccessPath[];
  /** What the principal reaches by assuming roles, best first; null when no role it can assume has access. */
  throughRoles: {
    decision: AccessDecision;
    hops: number;
    roles: { role: string; hops: number; decision: AccessDecision; conditions: ConditionSummary[]; path: AccessPath }[];
  } | null;
  /** The best of both: what the principal can do, directly or through roles. */
  overall: { decision: AccessDecision; hops: number | null };
}

export interface CanOptions {
  context?: RequestContextValues | undefined;
  maxHops?: number | undefined;
  maxPaths?: number | undefined;
}

export function can(parts: AnalysisInputs, principalArn: string, target: Target, options: CanOptions = {}): CanAnswer {
  const caller = resolveCaller(parts, principalArn);
  const context = options.context;
  const probeMemo = new Map<string, string[]>();
  const own = decideCaller(parts, caller, target, context, probeMemo);
  // A method template: the generic request of each verb, then the requests that make it partial.
  const asked = [...new Set([...target.requests, ...(own.partial?.allowedRequests ?? []), ...(own.partial?.deniedRequests ?? [])])].slice(
    0,
    16,
  );
  const requests = asked.map((request) => evaluateRequest(parts, caller, target, request, context));
  const paths = own.level > Level.DENIED ? grantPaths(parts, own, target).slice(0, options.maxPaths ?? DEFAULT_MAX_PATHS) : [];

  // Through roles: every role the principal can become, decided on the question.
  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  const reached: ReturnType<typeof forwardReach> =
    caller.type === 'root' || caller.type === 'anonymous'
      ? new Map<string, never>()
      : forwardReach(parts, caller, callerArn(caller), maxHops, context);
  const roles: NonNullable<CanAnswer['throughRoles']>['roles'] = [];
  let best: Level = Level.DENIED;
  let bestHops: number | null = null;
  for (const [arn, r] of reached) {
    if (r.hops === 0) continue;
    const grant: CallerGrant = decideCaller(parts, r.caller, target, context, probeMemo);
    const level = weakest(grant.level, r.level);
    if (level === Level.DENIED) continue;
    const chain = chainTo(reached, arn);
    const chainConditions = chain.flatMap((h) => h.conditions ?? []);
    roles.push({
      role: arn,
      hops: r.hops,
      decision: decisionOfLevel(level),
      conditions: level === Level.ALLOWED ? [] : [...chainConditions, ...grant.conditions],
      path: [...chain, ...(grantPaths(parts, grant, target)[0] ?? [])],
    });
    if (level > best) best = level;
    if (bestHops === null || r.hops < bestHops) bestHops = r.hops;
  }
  roles.sort((a, b) => a.hops - b.hops || levelOfDecision(b.decision) - levelOfDecision(a.decision) || (a.role < b.role ? -1 : 1));
  const overallLevel = strongest(own.level, best);
  return {
    principal: callerArn(caller),
    principalType: callerType(caller),
    action: target.action,
    resource: target.resource,
    decision: decisionOfLevel(own.level),
    conditions: own.conditions,
    ...(own.partial ? { partial: own.partial } : {}),
    requests,
    paths,
    throughRoles: roles.length
      ? { decision: decisionOfLevel(best), hops: bestHops ?? 0, roles: roles.slice(0, options.maxPaths ?? DEFAULT_MAX_PATHS) }
      : null,
    overall: { decision: decisionOfLevel(overallLevel), hops: own.level > Level.DENIED ? 0 : bestHops },
  };
}

/** The engine's full evaluation of one request: deciding statements and every layer's vote. */
export function evaluateRequest(
  parts: AnalysisInputs,
  caller: Caller,
  target: Target,
  request: string,
  context: RequestContextValues | undefined,
): RequestEvaluation {
  // A private API's request is explained through the VPC endpoint that lets it through best (decideCaller's choice).
  const through = bestEndpointFor(parts.model, caller, target, request, context);
  const base = engineRequest(parts.model, caller, {
    action: target.action,
    resource: request,
    resourceAccount: target.resourceAccount,
    resourcePolicy: target.resourcePolicy,
    context: through ? through.context : context,
  });
  let evaluation: AuthorizationResult | undefined;
  let flow: string | undefined;
  let decision: EvaluationDecision;
  let matched: readonly MatchedStatement[];
  let conditional;
  let missing: readonly string[];
  let notes: readonly string[];
  if (target.method) {
    const r = authorizeApiGatewayInvoke({
      ...base,
      authorizationType: target.method.authorizationType,
      endpointType: target.method.endpointType,
      ...(through?.policy !== undefined ? { vpcEndpointPolicy: through.policy } : {}),
    });
    ({ evaluation, flow, decision, conditional } = r);
    matched = r.matchedStatements;
    missing = r.missingContextKeys;
    notes = r.notes;
  } else {
    evaluation = authorize(base);
    ({ decision, conditional } = evaluation);
    matched = evaluation.matchedStatements;
    missing = evaluation.missingContextKeys;
    notes = evaluation.notes;
  }
  return {
    request,
    decision,
    ...(flow ? { flow } : {}),
    ...(through ? { endpoint: through.channel.id } : {}),
    statements: matched.map(decidingStatement),
    layers: evaluation ? layerVotes(evaluation) : [],
    conditions: decision === 'conditional' ? conditionSummary(conditional) : [],
    missingContextKeys: [...missing],
    notes: [...notes],
  };
}

function decidingStatement(s: MatchedStatement): DecidingStatement {
  return {
    policyType: s.policyType,
    policy: s.policyId,
    policyName: s.policyName ?? null,
    statement: s.unknownPolicy ? '(document unknown)' : statementLabel(s),
    effect: s.effect,
    conditional: s.conditional,
  };
}

function layerVotes(r: AuthorizationResult): LayerVote[] {
  const layer = (name: LayerVote['layer'], d: LayerDetail): LayerVote => ({
    layer: name,
    applies: d.present,
    allows: d.present ? d.allowed : false,
  });
  const control = (name: 'scp' | 'rcp', d: ControlPolicyDetail | undefined): LayerVote[] =>
    d === undefined
      ? []
      : [{ layer: name, applies: d.applies, allows: d.allowed, ...(d.exemptReason ? { exemptReason: d.exemptReason } : {}) }];
  return [
    layer('identity', r.identity),
    layer('permissionsBoundary', r.permissionsBoundary),
    layer('sessionPolicy', r.sessionPolicy),
    layer('resourcePolicy', r.resourcePolicy),
    layer('vpcEndpointPolicy', r.vpcEndpointPolicy),
    ...control('scp', r.organizations.scp),
    ...control('rcp', r.organizations.rcp),
  ].filter((v) => v.applies || v.exemptReason !== undefined);
}
