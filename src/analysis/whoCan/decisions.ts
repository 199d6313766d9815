/**
 * Stage 2 of who-can: each candidate decided by the engine on the target
 * itself (0 role assumptions), exactly as the brute-force reference decides
 * everyone. A concrete request is one engine call; a method template is
 * split into requests that single out what a statement pattern covers or
 * misses; a private API's method is decided through each VPC endpoint a call
 * may come through. The result per caller is its grant: a level (levels.ts),
 * the decision behind its paths, its conditions and, when partial, which
 * requests are allowed.
 */
import { readsCallerIdentity, statementMatchesAction, type CompiledPolicy } from '../../policy';
import type { AccessModel } from '../accessModel';
import { conditionSummary, dedupeConditions, type ConditionSummary, type PartialCoverage } from '../answer';
import {
  callerArn,
  decide,
  decideInvoke,
  mayBeAllowed,
  targetEquivalenceKey,
  type Caller,
  type Decision,
  type RequestContextValues,
} from '../decide';
import { channelContext, endpointNamedCallers, OUTSIDE_ENDPOINT, probeContext, usableChannels, type EndpointChannel } from '../endpoints';
import { Level, levelOf } from '../levels';
import { patternMayMatchTemplate, uncoveredRequestArns, witnessRequestArns, type CoverageOptions } from '../methods';
import type { Target } from '../targets';
import { candidateCallers } from './candidates';
import type { DecisionInputs, WhoCanOptions } from './inputs';

/** A caller decided on the target itself (0 hops). */
export interface CallerGrant {
  caller: Caller;
  level: Level;
  /** The decision behind the paths (the first request that may be allowed). */
  decision: Decision;
  conditions: ConditionSummary[];
  partial?: PartialCoverage;
  /**
   * Private APIs: the caller's decision through each VPC endpoint the call
   * may come through (the grant is, request by request, the best of them).
   */
  endpoints?: EndpointGrant[];
}

/** A caller decided on a private API method through one VPC endpoint. */
export interface EndpointGrant {
  channel: EndpointChannel;
  level: Level;
  conditions: ConditionSummary[];
}

/** The engine's decision for one caller on one concrete request of the target (for a private API, through a VPC endpoint with this policy). */
export function decideRequest(
  model: AccessModel,
  caller: Caller,
  target: Target,
  request: string,
  context: RequestContextValues | undefined,
  vpcEndpointPolicy?: CompiledPolicy,
): Decision {
  const base = {
    action: target.action,
    resource: request,
    ...(target.resourceAccount ? { resourceAccount: target.resourceAccount } : {}),
    ...(target.resourcePolicy ? { resourcePolicy: target.resourcePolicy } : {}),
    ...(context ? { context } : {}),
  };
  if (target.method) {
    return decideInvoke(model, caller, {
      ...base,
      authorizationType: target.method.authorizationType,
      endpointType: target.method.endpointType,
      vpcEndpointPolicy,
    });
  }
  return decide(model, caller, base);
}

/** Resource patterns that can split a method template for this caller: from every policy the engine reads for it. */
function splittingPatterns(
  parts: DecisionInputs,
  caller: Caller,
  target: Target,
  channels: readonly EndpointChannel[] | undefined,
): string[] {
  const method = target.method;
  if (!method?.templateLevel) return [];
  const policies: CompiledPolicy[] = [];
  if (caller.type === 'principal') {
    policies.push(...caller.entry.identityPolicies.map((p) => p.policy));
    if (caller.entry.boundary) policies.push(caller.entry.boundary);
    for (const level of parts.model.scpLevels(caller.entry.account) ?? []) policies.push(...level);
  }
  for (const level of parts.model.rcpLevels(method.api.row.account) ?? []) policies.push(...level);
  if (target.resourcePolicy) policies.push(target.resourcePolicy);
  for (const channel of channels ?? []) if (channel.policy) policies.push(channel.policy);
  const out = new Set<string>();
  const action = target.action.toLowerCase();
  for (const policy of policies) {
    for (const statement of policy.statements) {
      const el = statement.resource;
      if (!el || !statementMatchesAction(statement, action)) continue;
      for (const pattern of el.values) {
        if (!out.has(pattern) && target.resourceMayMatch(pattern)) out.add(pattern);
      }
    }
  }
  return [...out];
}

/**
 * Decides one caller on the target. A concrete request is one engine call.
 * A method template is decided on its generic request per verb, then on
 * requests that single out what a statement pattern covers or misses
 * (witnessRequestArns / uncoveredRequestArns): some allowed and some denied
 * is `partial`. A private API's method is decided through each VPC endpoint
 * a call may come through (endpoints.ts): a request is as good as its best
 * endpoint, and the grant lists the caller's decision through each.
 */
export function decideCaller(
  parts: DecisionInputs,
  caller: Caller,
  target: Target,
  context: RequestContextValues | undefined,
  probeMemo: Map<string, string[]>,
): CallerGrant {
  const method = target.method;
  const channels = method?.endpoints ? usableChannels(method.endpoints, context) : undefined;
  const requests: { request: string; pattern?: string }[] = target.requests.map((request) => ({ request }));
  if (method?.templateLevel) {
    const routing: CoverageOptions = {
      routing: {
        methods: method.api.methods,
        kind: method.api.row.kind === 'HTTP' ? 'HTTP' : 'REST',
        resourcePaths: method.api.resourcePaths,
      },
    };
    const seen = new Set(target.requests);
    for (const pattern of splittingPatterns(parts, caller, target, channels)) {
      let probes = probeMemo.get(pattern);
      if (!probes) {
        probes = patternCoversPrefix(pattern, target.literalPrefix)
          ? []
          : patternMayMatchTemplate(pattern, method.template)
            ? [...witnessRequestArns(pattern, method.template, routing), ...uncoveredRequestArns(pattern, method.template, routing)]
            : [];
        probeMemo.set(pattern, probes);
      }
      for (const request of probes) {
        if (seen.has(request)) continue;
        seen.add(request);
        requests.push({ request, pattern });
      }
    }
  }
  if (channels === undefined) {
    return grantOf(
      caller,
      requests.map((r) => ({ ...r, decision: decideRequest(parts.model, caller, target, r.request, context) })),
    );
  }
  const perChannel = channels.map((channel) =>
    requests.map((r) => ({ ...r, decision: decideThrough(parts.model, caller, target, r.request, context, channel) })),
  );
  // A request is allowed when it is allowed through some endpoint: the best of them (the first on ties).
  const combined = requests.map((r, i) => {
    let best = perChannel[0]?.[i]?.decision;
    for (const results of perChannel) if (best === undefined || levelOf(results[i]!.decision) > levelOf(best)) best = results[i]!.decision;
    return { ...r, decision: best ?? DENIED_NOWHERE };
  });
  const grant = grantOf(caller, combined);
  grant.endpoints = channels.map((channel, c) => {
    const own = grantOf(caller, perChannel[c]!);
    return { channel, level: own.level, conditions: own.conditions };
  });
  return grant;
}

/**
 * Private API methods: the VPC endpoint through which this request goes
 * best for the caller (the first on ties, as decideCaller picks), with the
 * context and endpoint policy to evaluate it with; undefined for other
 * targets or when no endpoint is left by the context.
 */
export function bestEndpointFor(
  model: AccessModel,
  caller: Caller,
  target: Target,
  request: string,
  context: RequestContextValues | undefined,
): { channel: EndpointChannel; context: RequestContextValues | undefined; policy: CompiledPolicy | undefined } | undefined {
  if (!target.method?.endpoints) return undefined;
  let best: { channel: EndpointChannel; level: Level } | undefined;
  for (const channel of usableChannels(target.method.endpoints, context)) {
    const level = levelOf(decideThrough(model, caller, target, request, context, channel));
    if (best === undefined || level > best.level) best = { channel, level };
  }
  if (!best) return undefined;
  return {
    channel: best.channel,
    context: best.channel.id === OUTSIDE_ENDPOINT ? context : channelContext(best.channel, context),
    policy: best.channel.policy,
  };
}

/** A private API with no way in (no endpoint left by the context): nothing is allowed. */
const DENIED_NOWHERE: Decision = {
  decision: 'implicitDeny',
  conditional: undefined,
  matchedStatements: [],
  notes: ['no VPC endpoint in the snapshot or the request context leads to this private API'],
};

/**
 * One request through one endpoint. A known endpoint: its id and VPC in the
 * context and its policy as one more layer. The outside endpoint: decided
 * without them and with an unknown policy (conditional on what they would
 * be), counted only when an
 * endpoint that is not one of the API's known ones could pass (endpoints.ts).
 */
function decideThrough(
  model: AccessModel,
  caller: Caller,
  target: Target,
  request: string,
  context: RequestContextValues | undefined,
  channel: EndpointChannel,
): Decision {
  if (channel.id !== OUTSIDE_ENDPOINT)
    return decideRequest(model, caller, target, request, channelContext(channel, context), channel.policy);
  const decision = decideRequest(model, caller, target, request, context, channel.policy);
  if (channel.probes.length === 0 || !mayBeAllowed(decision)) return decision;
  let last: Decision = decision;
  for (const id of channel.probes) {
    last = decideRequest(model, caller, target, request, probeContext(id, context), channel.policy);
    if (mayBeAllowed(last)) return decision;
  }
  return last;
}

/** The grant of a caller from its decided requests (the first ones are the target's own, the others probes with their pattern). */
function grantOf(caller: Caller, results: readonly { request: string; pattern?: string; decision: Decision }[]): CallerGrant {
  const levels = results.map((r) => levelOf(r.decision));
  const top = Math.max(...levels);
  const best = results.find((r) => levelOf(r.decision) === top) ?? results[0]!;
  let level: Level;
  if (levels.every((l) => l === Level.ALLOWED)) level = Level.ALLOWED;
  else if (levels.every((l) => l >= Level.CONDITIONAL)) level = Level.CONDITIONAL;
  else if (levels.some((l) => l >= Level.CONDITIONAL)) level = Level.PARTIAL;
  else level = Level.DENIED;
  // What the access depends on: the conditions of the requests that may be allowed.
  const conditions =
    level === Level.CONDITIONAL || level === Level.PARTIAL
      ? dedupeConditions(
          results.flatMap((r) =>
            r.decision.decision === 'conditional' && levelOf(r.decision) > Level.DENIED ? conditionSummary(r.decision.conditional) : [],
          ),
        )
      : [];
  const grant: CallerGrant = { caller, level, decision: best.decision, conditions };
  if (level === Level.PARTIAL) {
    grant.partial = {
      allowedRequests: results.filter((r) => levelOf(r.decision) >= Level.CONDITIONAL).map((r) => r.request),
      deniedRequests: results.filter((r) => levelOf(r.decision) === Level.DENIED).map((r) => r.request),
      patterns: [...new Set(results.flatMap((r) => (r.pattern !== undefined ? [r.pattern] : [])))],
    };
  }
  return grant;
}

/**
 * A pattern `L*` (no other wildcard, no policy variable) whose literal text
 * begins what every request of the target begins with matches each of them:
 * a `*` that ends a pattern spans the rest of the ARN (IUG, "IAM JSON policy
 * elements: Resource"). Such a pattern splits nothing, so the automaton
 * (witnesses, uncovered requests) need not be asked.
 */
export function patternCoversPrefix(pattern: string, prefix: string): boolean {
  if (!pattern.endsWith('*')) return false;
  const literal = pattern.slice(0, -1);
  return !/[*?]|\$\{/.test(literal) && prefix.startsWith(literal);
}

/** The callers decided on the target itself, by ARN, and what it took: engine decisions (callers decided once), candidates asked. */
export interface DecidedCallers {
  grants: Map<string, CallerGrant>;
  decisions: number;
  candidates: number;
}

/**
 * The callers decided on the target itself (0 assumptions). Principals the
 * engine cannot tell apart on this question (`targetEquivalenceKey`: same
 * account and kind, the same statements that may apply to the target's
 * resources, none reading the caller's identity, not named one by one by the
 * resource policy) are decided once.
 */
export function decideCallers(
  parts: DecisionInputs,
  target: Target,
  callers: readonly Caller[],
  context: RequestContextValues | undefined,
): DecidedCallers {
  const probeMemo = new Map<string, string[]>();
  const grants = new Map<string, CallerGrant>();
  const shared = sharingAllowed(parts, target) ? new Map<string, CallerGrant>() : undefined;
  const namedOneByOne = shared ? parts.candidates.namedCallers(target.resourcePolicy, target.action).callers : undefined;
  // Callers a VPC endpoint policy names by ARN are told apart by it: decided on their own too.
  const endpointNamed = shared && target.method?.endpoints ? endpointNamedCallers(target.method.endpoints) : undefined;
  let decisions = 0;
  for (const caller of callers) {
    const key =
      shared && !namedOneByOne!.has(caller) && !endpointNamed?.has(callerArn(caller))
        ? targetEquivalenceKey(parts.model, caller, target.action, target.resourceMayMatch)
        : undefined;
    const same = key === undefined ? undefined : shared!.get(key);
    let grant: CallerGrant;
    if (same) grant = { ...same, caller };
    else {
      grant = decideCaller(parts, caller, target, context, probeMemo);
      decisions++;
      if (key !== undefined) shared!.set(key, grant);
    }
    grants.set(callerArn(caller), grant);
  }
  return { grants, decisions, candidates: callers.length };
}

/** Stages 1 and 2 together: the candidates (candidates.ts), decided on the target itself. */
export function decideGrants(parts: DecisionInputs, target: Target, options: WhoCanOptions): DecidedCallers {
  return decideCallers(parts, target, candidateCallers(parts, target, options), options.context);
}

/** Whether the resource side treats every principal of an account alike (then equivalent callers may share a decision). */
export function sharingAllowed(parts: DecisionInputs, target: Target): boolean {
  // The role's own identity matters to sts requests (a role never assumes itself through the analysis).
  if (target.action.toLowerCase().startsWith('sts:')) return false;
  if (target.resourcePolicy && readsCallerIdentity(target.resourcePolicy)) return false;
  // A VPC endpoint policy that may tell any caller apart (it reads the caller's identity…): no sharing.
  if (target.method?.endpoints && endpointNamedCallers(target.method.endpoints) === undefined) return false;
  const rcps = target.resourceAccount ? parts.model.rcpLevels(target.resourceAccount) : undefined;
  return !rcps?.some((level) => level.some(readsCallerIdentity));
}
