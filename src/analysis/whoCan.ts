import { protectedResourceReason, readsCallerIdentity, statementMatchesAction, type CompiledPolicy } from '../policy';
import type { AccessModel } from './accessModel';
import {
  conditionSummary,
  statementLabel,
  type AccessDecision,
  type AccessPath,
  type ConditionSummary,
  type DirectAccess,
  type EndpointAccess,
  type PartialCoverage,
  type PathHop,
  type PrincipalAccess,
  type WhoCanAnswer,
} from './answer';
import type { AssumeEdge, AssumeGraph } from './assumeGraph';
import type { CandidateIndex } from './candidates';
import {
  ANONYMOUS_ARN,
  callerArn,
  callerType,
  decide,
  decideInvoke,
  mayBeAllowed,
  targetEquivalenceKey,
  type Caller,
  type Decision,
  type RequestContextValues,
} from './decide';
import { channelContext, endpointNamedCallers, OUTSIDE_ENDPOINT, probeContext, usableChannels, type EndpointChannel } from './endpoints';
import { patternMayMatchTemplate, uncoveredRequestArns, witnessRequestArns, type CoverageOptions } from './methods';
import { walkLattice } from './latticeWalk';
import { decisionOfLevel, Level, levelOf, levelOfDecision } from './levels';
import { PathEnumerator, type PathGraph, type PathMemo } from './pathEnumeration';
import type { Target } from './targets';

/**
 * The fast "who can …?" answer: the candidates (candidates.ts) are decided
 * by the engine, exactly as the brute-force reference decides everyone; then
 * the role graph (assumeGraph.ts) is walked backwards from every role that
 * has access, up to `maxHops` assumptions. Both use the same `decideCaller`,
 * so the answers can differ only if a candidate filter leaves someone out,
 * which the differential tests look for.
 */
export interface WhoCanOptions {
  context?: RequestContextValues;
  /** Role assumptions to follow (default 5). */
  maxHops?: number;
  /** Include account root users (left out by default: they can do everything in their own account unless an SCP says otherwise). */
  includeRoot?: boolean;
  /** Also list candidates that are denied (a grant exists, but a deny, boundary, SCP or the resource side stops it). */
  includeDenied?: boolean;
  /** Paths per principal (default 10). */
  maxPaths?: number;
}

export const DEFAULT_MAX_HOPS = 5;
export const DEFAULT_MAX_PATHS = 10;

/** A caller decided on the target itself (0 hops). */
export interface Grant {
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

export interface AnalysisParts {
  model: AccessModel;
  candidates: CandidateIndex;
  assumeGraph: AssumeGraph;
}

/** What deciding callers on a target itself needs (no role graph): the access index decides in worker threads with it. */
export type DecisionParts = Pick<AnalysisParts, 'model' | 'candidates'>;

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

/** Does the target's authorization ignore who signed (every caller is the unsigned caller)? */
export function callersAreUnsigned(target: Target): boolean {
  return target.method !== undefined && target.method.authorizationType !== 'AWS_IAM' && target.action === 'execute-api:Invoke';
}

/**
 * The callers worth asking about the target itself: those the resource
 * policy names, and principals whose own policies may allow. A principal of
 * another account needs both: "the principal's account and the resource's
 * account must both allow" (IUG, "Cross-account policy evaluation logic"), so
 * one the resource policy does not name (by ARN, by account or by "*") is not
 * asked, and a resource without a resource policy is asked about by its own
 * account's principals only.
 */
export function candidateCallers(parts: DecisionParts, target: Target, options: WhoCanOptions): Caller[] {
  const { candidates } = parts;
  const universe = candidates.universe;
  if (callersAreUnsigned(target)) return [universe.anonymous];
  const named = candidates.namedCallers(target.resourcePolicy, target.action);
  const out = named.everyone ? new Set<Caller>() : candidates.callersNamed(named);
  const account = target.resourceAccount;
  if (named.everyone) {
    // "*": every caller outside the snapshot, and every principal of the resource's account (it may grant them alone).
    for (const caller of universe.all)
      if (caller.type !== 'principal' || account === undefined || caller.entry.account === account) out.add(caller);
  }
  for (const arn of candidates.identityCandidates(target.action, target.resourceMayMatch, target.literalPrefix)) {
    const caller = universe.principal(arn)!;
    const entry = caller.type === 'principal' ? caller.entry : undefined;
    if (
      account === undefined ||
      entry?.account === account ||
      named.everyone ||
      named.accounts.has(entry?.account ?? '') ||
      out.has(caller)
    )
      out.add(caller);
  }
  if (options.includeRoot) for (const root of universe.roots) out.add(root);
  return [...out];
}

/** Resource patterns that can split a method template for this caller: from every policy the engine reads for it. */
function splittingPatterns(
  parts: DecisionParts,
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
  parts: DecisionParts,
  caller: Caller,
  target: Target,
  context: RequestContextValues | undefined,
  probeMemo: Map<string, string[]>,
): Grant {
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
function grantOf(caller: Caller, results: readonly { request: string; pattern?: string; decision: Decision }[]): Grant {
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
  const grant: Grant = { caller, level, decision: best.decision, conditions };
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

/**
 * The hops from the caller to the resource through its own grant (0
 * assumptions). When the grant holds only under conditions, the last hop of
 * each path carries them (the engine's formula over every policy involved:
 * an Allow's condition, a Deny's, an unknown policy), so a path's conditions
 * are the union of its hops'.
 */
export function grantPaths(parts: AnalysisParts, grant: Grant, target: Target): AccessPath[] {
  const paths = grantHops(grant, target);
  if (grant.conditions.length > 0) {
    for (const path of paths) {
      const last = path[path.length - 1];
      if (last) path[path.length - 1] = { ...last, conditions: grant.conditions };
    }
  }
  return paths;
}

function grantHops(grant: Grant, target: Target): AccessPath[] {
  const caller = grant.caller;
  const from = callerArn(caller);
  const to = target.resource;
  const matched = grant.decision.matchedStatements.filter((s) => s.effect === 'Allow');
  const resourceHops = (): PathHop[] =>
    matched
      .filter((s) => s.policyType === 'resource' || s.policyType === 'trust')
      .map((s) => ({ kind: 'resource-policy', from, to, policy: s.policyId, statement: statementLabel(s) }));
  if (caller.type === 'anonymous') {
    const kind = target.method?.authorizationType === 'NONE' ? 'unsigned' : 'authorizer';
    const rp = resourceHops();
    return rp.length === 0 ? [[{ kind, from, to }]] : rp.map((h) => [{ kind, from, to }, h]);
  }
  if (caller.type === 'root') {
    const rp = resourceHops();
    return caller.account === target.resourceAccount || rp.length === 0
      ? [[{ kind: 'root', from, to }]]
      : rp.map((h) => [{ kind: 'root', from, to }, h]);
  }
  if (caller.type !== 'principal') {
    const rp = resourceHops();
    return rp.length ? rp.map((h) => [h]) : [[{ kind: 'resource-policy', from, to }]];
  }
  const entry = caller.entry;
  const identityPaths: AccessPath[] = [];
  for (const s of matched) {
    if (s.policyType !== 'identity') continue;
    for (const ref of entry.identityPolicies) {
      if (ref.policy.source.id !== s.policyId) continue;
      const hops: PathHop[] = [];
      if (ref.viaGroup) hops.push({ kind: 'member-of', from, to: ref.viaGroup });
      hops.push({ kind: 'policy', from: ref.viaGroup ?? from, to: s.policyId, policy: s.policyId });
      hops.push({
        kind: 'statement',
        from: s.policyId,
        to,
        policy: s.policyId,
        statement: s.unknownPolicy ? '(document unknown)' : statementLabel(s),
      });
      identityPaths.push(hops);
    }
  }
  const sameAccount = entry.account === target.resourceAccount;
  const rp = resourceHops();
  if (sameAccount || identityPaths.length === 0 || rp.length === 0) {
    const paths = [...identityPaths, ...rp.map((h) => [h])];
    return paths.length ? paths : [[{ kind: 'statement', from, to }]];
  }
  // Cross-account: both sides must allow (IUG, "Cross-account policy evaluation logic").
  return identityPaths.flatMap((p) => resourceHops().map((h) => [...p, h]));
}

/** A caller with access: the shortest path's hop count, the best decision over every path, and the fewest hops that give that decision. */
export interface Reached {
  caller: Caller;
  hops: number;
  level: Level;
  bestHops: number;
}

export interface ReachResult {
  grants: Map<string, Grant>;
  /** Everyone with access within maxHops: shortest hop count and best decision over all paths. */
  reached: Map<string, Reached>;
  /** The assume edges between reached callers, by caller: all that path enumeration needs (gathered on first use). */
  forwardEdges: () => Map<string, AssumeEdge[]>;
  /** Paths by length and caller, built once per answer (enumeratePaths). */
  pathMemo: PathMemo;
  decisions: number;
  candidates: number;
}

/** Decide the candidates, then walk the role graph backwards (best decision over every path of at most maxHops assumptions). */
export function reach(parts: AnalysisParts, target: Target, options: WhoCanOptions): ReachResult {
  return propagate(parts, decideGrants(parts, target, options), options);
}

export interface Grants {
  grants: Map<string, Grant>;
  decisions: number;
  candidates: number;
}

/**
 * The candidates decided on the target itself (0 assumptions). Principals the
 * engine cannot tell apart on this question (`targetEquivalenceKey`: same
 * account and kind, the same statements that may apply to the target's
 * resources, none reading the caller's identity, not named one by one by the
 * resource policy) are decided once.
 */
export function decideGrants(parts: DecisionParts, target: Target, options: WhoCanOptions): Grants {
  const callers = candidateCallers(parts, target, options);
  const probeMemo = new Map<string, string[]>();
  const grants = new Map<string, Grant>();
  const shared = sharingAllowed(parts, target) ? new Map<string, Grant>() : undefined;
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
    let grant: Grant;
    if (same) grant = { ...same, caller };
    else {
      grant = decideCaller(parts, caller, target, options.context, probeMemo);
      decisions++;
      if (key !== undefined) shared!.set(key, grant);
    }
    grants.set(callerArn(caller), grant);
  }
  return { grants, decisions, candidates: callers.length };
}

/** Whether the resource side treats every principal of an account alike (then equivalent callers may share a decision). */
export function sharingAllowed(parts: DecisionParts, target: Target): boolean {
  // The role's own identity matters to sts requests (a role never assumes itself through the analysis).
  if (target.action.toLowerCase().startsWith('sts:')) return false;
  if (target.resourcePolicy && readsCallerIdentity(target.resourcePolicy)) return false;
  // A VPC endpoint policy that may tell any caller apart (it reads the caller's identity…): no sharing.
  if (target.method?.endpoints && endpointNamedCallers(target.method.endpoints) === undefined) return false;
  const rcps = target.resourceAccount ? parts.model.rcpLevels(target.resourceAccount) : undefined;
  return !rcps?.some((level) => level.some(readsCallerIdentity));
}

/** Everyone who reaches a grant through at most maxHops role assumptions. */
export function propagate(parts: AnalysisParts, grants: Grants, options: WhoCanOptions): ReachResult {
  // With request context some edges are decided again (AssumeGraph.incoming); without, the walk runs on the compact graph.
  return options.context ? propagateWithContext(parts, grants, options) : propagateCompact(parts, grants, options);
}

/**
 * Bellman-Ford over at most maxHops rounds on the decision lattice: a path is
 * as good as its weakest step, a caller as good as its best path. Each round
 * extends paths by one assumption and propagates only the levels improved in
 * the previous round, so every level stands for a real path of at most
 * maxHops assumptions. The same walk as propagateWithContext, on the
 * integer arrays of AssumeGraph.compact().
 */
/**
 * The walk of propagateCompact on its own: everyone who reaches one of the
 * seeds (callers decided on the target itself) within maxHops assumptions,
 * with the roles whose incoming edges were scanned. The access index walks
 * from grants decided elsewhere (another thread) with it.
 */
export function walkBackwards(
  parts: AnalysisParts,
  seeds: ReadonlyMap<string, { caller: Caller; level: Level }>,
  maxHops: number,
): { reached: Map<string, Reached>; scanned: number[] } {
  const graph = parts.assumeGraph.compact();
  const n = graph.arns.length;
  const best = new Uint8Array(n);
  const improved = new Uint8Array(n);
  const reached = new Map<string, Reached>();
  let frontier: number[] = [];
  for (const [arn, g] of seeds) {
    if (g.level <= Level.DENIED) continue;
    reached.set(arn, { caller: g.caller, hops: 0, level: g.level, bestHops: 0 });
    const id = graph.ids.get(arn);
    if (id !== undefined) {
      best[id] = g.level;
      frontier.push(id);
    }
  }
  const scanned: number[] = [];
  const touched: number[] = [];
  for (let hop = 1; hop <= maxHops && frontier.length > 0; hop++) {
    for (const role of frontier) {
      const first = graph.start[role]!;
      const end = graph.start[role + 1]!;
      if (first === end) continue;
      scanned.push(role);
      const roleLevel = best[role]!;
      for (let e = first; e < end; e++) {
        const from = graph.from[e]!;
        const level = Math.min(graph.level[e]!, roleLevel);
        if (level > best[from]! && level > improved[from]!) {
          if (improved[from] === 0) touched.push(from);
          improved[from] = level;
        }
      }
    }
    frontier = [];
    for (const id of touched) {
      const level = improved[id]! as Level;
      improved[id] = 0;
      const arn = graph.arns[id]!;
      if (best[id]! > 0) {
        // A better decision first reached with this many assumptions.
        const r = reached.get(arn)!;
        r.level = level;
        r.bestHops = hop;
      } else {
        const caller = parts.candidates.universe.byArn.get(arn);
        if (!caller) continue; // not a caller of this snapshot's universe: neither listed nor walked on
        reached.set(arn, { caller, hops: hop, level, bestHops: hop });
      }
      best[id] = level;
      frontier.push(id);
    }
    touched.length = 0;
  }
  return { reached, scanned };
}

function propagateCompact(parts: AnalysisParts, { grants, decisions, candidates }: Grants, options: WhoCanOptions): ReachResult {
  const { reached, scanned } = walkBackwards(parts, grants, options.maxHops ?? DEFAULT_MAX_HOPS);
  const graph = parts.assumeGraph.compact();
  const forwardEdges = lazyForwardEdges(parts, () => scanned.map((role) => graph.arns[role]!), undefined);
  return { grants, reached, forwardEdges, pathMemo: new Map(), decisions, candidates };
}

/** propagate with request context: the edges come from AssumeGraph.incoming, decided again where the context may change them. */
function propagateWithContext(parts: AnalysisParts, { grants, decisions, candidates }: Grants, options: WhoCanOptions): ReachResult {
  const context = options.context;
  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  const reached = new Map<string, Reached>();
  for (const [arn, g] of grants) if (g.level > Level.DENIED) reached.set(arn, { caller: g.caller, hops: 0, level: g.level, bestHops: 0 });

  // latticeWalk.ts: Bellman-Ford on the decision lattice, over the assume edges that hold with this context.
  const scanned = new Set<string>();
  walkLattice<Reached>(
    reached,
    (roleArn, role) => {
      if (role.caller.type !== 'principal' || role.caller.entry.kind !== 'role') return [];
      scanned.add(roleArn);
      return parts.assumeGraph.incoming(roleArn, context);
    },
    (arn, hops, level) => {
      const caller = parts.candidates.universe.byArn.get(arn);
      return caller ? { caller, hops, level: level as Level, bestHops: hops } : undefined;
    },
    maxHops,
  );
  const forwardEdges = lazyForwardEdges(parts, () => scanned, context);
  return { grants, reached, forwardEdges, pathMemo: new Map(), decisions, candidates };
}

/**
 * The assumptions into the roles a walk scanned, by caller: all that path
 * enumeration needs. Roles reached only in the last round were not scanned;
 * their incoming edges lead to nobody new within maxHops. Gathered only when
 * paths are first read, so answers whose paths nobody reads never pay for it.
 */
function lazyForwardEdges(
  parts: AnalysisParts,
  scannedRoles: () => Iterable<string>,
  context: RequestContextValues | undefined,
): () => Map<string, AssumeEdge[]> {
  let forward: Map<string, AssumeEdge[]> | undefined;
  return () => {
    if (!forward) {
      forward = new Map();
      for (const roleArn of scannedRoles()) {
        for (const edge of parts.assumeGraph.incoming(roleArn, context)) {
          const list = forward.get(edge.from);
          if (list) list.push(edge);
          else forward.set(edge.from, [edge]);
        }
      }
    }
    return forward;
  };
}

/**
 * Simple paths from `start` to a caller with a grant, shortest first, at most
 * `limit`, and the conditions on them (pathEnumeration.ts, memoised for the
 * whole answer in its ReachResult).
 */
export function enumeratePaths(
  parts: AnalysisParts,
  target: Target,
  result: ReachResult,
  start: string,
  options: WhoCanOptions,
): { paths: AccessPath[]; more: boolean; conditions: ConditionSummary[] } {
  const graph: PathGraph = {
    hopsOf: (arn) => result.reached.get(arn)?.hops,
    edgesFrom: (arn) => result.forwardEdges().get(arn) ?? [],
    ownPaths: (arn) => {
      const g = result.grants.get(arn);
      return g && g.level > Level.DENIED ? grantPaths(parts, g, target) : [];
    },
  };
  const { paths, more } = new PathEnumerator(
    graph,
    options.maxHops ?? DEFAULT_MAX_HOPS,
    options.maxPaths ?? DEFAULT_MAX_PATHS,
    result.pathMemo,
  ).pathsOf(start);
  const conditions = paths.flatMap((p) => p.flatMap((h) => h.conditions ?? []));
  return { paths, more, conditions };
}

/** Who can do the target's action: everyone with access within maxHops, with decisions, conditions and paths. */
export function whoCan(parts: AnalysisParts, target: Target, options: WhoCanOptions = {}): WhoCanAnswer {
  const started = performance.now();
  return answerOf(parts, target, reach(parts, target, options), options, started);
}

/**
 * A principal's paths and conditions, enumerated when first read: a client
 * that pages through a large answer (GraphQL) pays only for the principals it
 * shows; JSON output (toJSON) reads them all.
 */
class LazyPrincipalAccess implements PrincipalAccess {
  private details: { paths: AccessPath[]; more: boolean; conditions: ConditionSummary[] } | undefined;

  constructor(
    readonly arn: string,
    readonly type: PrincipalAccess['type'],
    readonly decision: AccessDecision,
    readonly hops: number,
    readonly bestHops: number,
    readonly direct: DirectAccess | undefined,
    readonly endpoints: EndpointAccess[] | undefined,
    readonly partial: PartialCoverage | undefined,
    /** What enumerating this principal's paths needs, shared by every principal of the answer. */
    private readonly answer: { parts: AnalysisParts; target: Target; result: ReachResult; options: WhoCanOptions },
  ) {}

  private read() {
    if (!this.details) {
      const { parts, target, result, options } = this.answer;
      const enumerated = enumeratePaths(parts, target, result, this.arn, options);
      const conditional = this.decision === 'conditional' || this.decision === 'partial';
      this.details = {
        paths: enumerated.paths,
        more: enumerated.more,
        conditions: conditional ? dedupeConditions(enumerated.conditions) : [],
      };
    }
    return this.details;
  }

  get conditions(): ConditionSummary[] {
    return this.read().conditions;
  }

  get paths(): AccessPath[] {
    return this.read().paths;
  }

  get morePaths(): boolean {
    return this.read().more;
  }

  toJSON(): PrincipalAccess {
    return {
      arn: this.arn,
      type: this.type,
      decision: this.decision,
      hops: this.hops,
      bestHops: this.bestHops,
      ...(this.direct ? { direct: this.direct } : {}),
      ...(this.endpoints ? { endpoints: this.endpoints } : {}),
      conditions: this.conditions,
      ...(this.partial ? { partial: this.partial } : {}),
      paths: this.paths,
      ...(this.morePaths ? { morePaths: true } : {}),
    };
  }
}

/** The principal's own access, from its grant on the target (when it may be allowed). */
function directAccess(grant: Grant | undefined): DirectAccess | undefined {
  if (!grant || grant.level === Level.DENIED) return undefined;
  return {
    decision: decisionOfLevel(grant.level),
    conditions: grant.conditions,
    ...(grant.partial && grant.level === Level.PARTIAL ? { partial: grant.partial } : {}),
  };
}

/**
 * Private API methods: each principal's best decision through each VPC
 * endpoint, by the same walk as the whole answer on the grants through
 * that endpoint alone (so through roles too).
 */
export function endpointReach(parts: AnalysisParts, result: ReachResult, options: WhoCanOptions): Map<string, EndpointAccess[]> {
  const out = new Map<string, EndpointAccess[]>();
  const channels = [...result.grants.values()].find((g) => g.endpoints !== undefined)?.endpoints?.map((e) => e.channel) ?? [];
  channels.forEach((channel, c) => {
    const grants = new Map<string, Grant>();
    for (const [arn, g] of result.grants) {
      const level = g.endpoints?.[c]?.level ?? Level.DENIED;
      if (level > Level.DENIED) grants.set(arn, { caller: g.caller, level, decision: g.decision, conditions: g.endpoints![c]!.conditions });
    }
    if (grants.size === 0) return;
    const through = propagate(parts, { grants, decisions: 0, candidates: 0 }, options);
    for (const [arn, r] of through.reached) {
      const list = out.get(arn) ?? [];
      list.push({
        endpoint: channel.id,
        vpc: channel.vpcId,
        account: channel.account,
        privateDns: channel.privateDns,
        policy: channel.policyKey,
        decision: decisionOfLevel(r.level),
        hops: r.bestHops,
      });
      out.set(arn, list);
    }
  });
  return out;
}

/** The answer for a reach result: principals sorted by hops, then decision, then ARN, each with its paths. */
export function answerOf(parts: AnalysisParts, target: Target, result: ReachResult, options: WhoCanOptions, started: number): WhoCanAnswer {
  const principals: PrincipalAccess[] = [];
  const shared = { parts, target, result, options };
  const endpoints = target.method?.endpoints ? endpointReach(parts, result, options) : undefined;
  for (const [arn, r] of result.reached) {
    const grant = result.grants.get(arn);
    const partial = r.hops === 0 && grant?.partial && r.level === Level.PARTIAL ? grant.partial : undefined;
    principals.push(
      new LazyPrincipalAccess(
        arn,
        callerType(r.caller),
        decisionOfLevel(r.level),
        r.hops,
        r.bestHops,
        directAccess(grant),
        endpoints ? (endpoints.get(arn) ?? []) : undefined,
        partial,
        shared,
      ),
    );
  }
  if (options.includeDenied) {
    for (const [arn, grant] of result.grants) {
      if (grant.level > Level.DENIED || result.reached.has(arn)) continue;
      principals.push({
        arn,
        type: callerType(grant.caller),
        decision: 'denied',
        hops: 0,
        bestHops: 0,
        ...(endpoints ? { endpoints: [] } : {}),
        conditions: [],
        paths: [],
      });
    }
  }
  sortPrincipals(principals, parts.candidates.universe.arnRanks());
  const anonymous = result.grants.get(ANONYMOUS_ARN);
  const method = target.method;
  // A rule outside the policies that refuses the request to every principal (the engine's outsidePolicies.ts).
  const refused = protectedResourceReason(target.action, target.resource);
  return {
    resource: target.resource,
    action: target.action,
    ...(refused !== undefined ? { refused } : {}),
    // Open to the internet: a private API is reachable only through VPC endpoints (its anonymous callers are listed, with their conditions).
    public:
      method !== undefined &&
      method.authorizationType === 'NONE' &&
      method.endpointType !== 'PRIVATE' &&
      anonymous !== undefined &&
      anonymous.level > Level.DENIED,
    principals,
    ...(method
      ? {
          method: {
            api: method.api.row.id,
            apiName: method.api.row.name,
            stage: method.stage.name,
            verb: method.method.verb === '*' ? '$default' : method.method.verb,
            path: method.method.path,
            authorizationType: method.method.authorizationType,
            requests: target.requests,
          },
        }
      : {}),
    stats: { candidates: result.candidates, decisions: result.decisions, ms: Math.round((performance.now() - started) * 100) / 100 },
  };
}

/**
 * By hops, then best decision first, then ARN. Every principal of an answer
 * is a caller of the universe, whose ARN ranks give the same order as
 * comparing ARNs: each principal gets one number (hops, decision, rank, and
 * its index to find it again), and a typed array sorts those without a
 * comparator, several times faster than comparing ARNs on answers of
 * thousands of principals. Anything without a rank falls back to comparing.
 */
function sortPrincipals(principals: PrincipalAccess[], ranks: ReadonlyMap<string, number>): void {
  const count = principals.length;
  const rankSpan = ranks.size + 1;
  const keys = new Float64Array(count);
  let exact = count < INDEX_SPAN;
  for (let i = 0; i < count && exact; i++) {
    const p = principals[i]!;
    const rank = ranks.get(p.arn);
    if (rank === undefined || p.hops > MAX_HOPS_KEY) exact = false;
    else keys[i] = ((p.hops * 4 + (Level.ALLOWED - levelOfDecision(p.decision))) * rankSpan + rank) * INDEX_SPAN + i;
  }
  if (!exact || !Number.isSafeInteger((MAX_HOPS_KEY * 4 + 4) * rankSpan * INDEX_SPAN)) {
    principals.sort(
      (a, b) =>
        a.hops - b.hops || levelOfDecision(b.decision) - levelOfDecision(a.decision) || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0),
    );
    return;
  }
  keys.sort();
  const sorted = new Array<PrincipalAccess>(count);
  for (let i = 0; i < count; i++) sorted[i] = principals[keys[i]! % INDEX_SPAN]!;
  for (let i = 0; i < count; i++) principals[i] = sorted[i]!;
}

/** Room for a principal's index in a sort key (answers are at most the universe's size), and the largest hop count it encodes. */
const INDEX_SPAN = 2 ** 20;
const MAX_HOPS_KEY = 64;

function dedupeConditions(list: ConditionSummary[]): ConditionSummary[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = c.when;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
