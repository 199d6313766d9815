/**
 * Stage 5 of who-can: the answer. Every principal reached, sorted by hops,
 * then decision, then ARN, with its own access (direct), its access through
 * each VPC endpoint for private APIs, and its paths (paths.ts) enumerated
 * when first read.
 */
import { protectedResourceReason } from '../../policy';
import {
  dedupeConditions,
  principalAccessJson,
  type AccessDecision,
  type AccessPath,
  type ConditionSummary,
  type DirectAccess,
  type EndpointAccess,
  type PartialCoverage,
  type PrincipalAccess,
  type WhoCanAnswer,
} from '../answer';
import { ANONYMOUS_ARN, callerType } from '../decide';
import { decisionOfLevel, Level, levelOfDecision } from '../levels';
import type { Target } from '../targets';
import type { CallerGrant } from './decisions';
import type { AnalysisInputs, WhoCanOptions } from './inputs';
import type { PrincipalPaths } from './paths';
import { propagate, type ReachResult } from './roleWalk';

/**
 * A principal's paths and conditions, enumerated when first read: a client
 * that pages through a large answer (GraphQL) pays only for the principals it
 * shows; JSON output (toJSON) reads them all.
 */
class LazyPrincipalAccess implements PrincipalAccess {
  private details: PrincipalPaths | undefined;

  constructor(
    readonly arn: string,
    readonly type: PrincipalAccess['type'],
    readonly decision: AccessDecision,
    readonly hops: number,
    readonly bestHops: number,
    readonly direct: DirectAccess | undefined,
    readonly endpoints: EndpointAccess[] | undefined,
    readonly partial: PartialCoverage | undefined,
    /** The answer's paths (paths.ts), shared by every principal of the answer. */
    private readonly pathsOf: (principal: string) => PrincipalPaths,
  ) {}

  private read() {
    if (!this.details) {
      const enumerated = this.pathsOf(this.arn);
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
    return principalAccessJson(this);
  }
}

/** The principal's own access, from its grant on the target (when it may be allowed). */
function directAccess(grant: CallerGrant | undefined): DirectAccess | undefined {
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
export function endpointReach(parts: AnalysisInputs, result: ReachResult, options: WhoCanOptions): Map<string, EndpointAccess[]> {
  const out = new Map<string, EndpointAccess[]>();
  const channels = [...result.grants.values()].find((g) => g.endpoints !== undefined)?.endpoints?.map((e) => e.channel) ?? [];
  channels.forEach((channel, c) => {
    const grants = new Map<string, CallerGrant>();
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
export function answerOf(
  parts: AnalysisInputs,
  target: Target,
  result: ReachResult,
  pathsOf: (principal: string) => PrincipalPaths,
  options: WhoCanOptions,
  started: number,
): WhoCanAnswer {
  const principals: PrincipalAccess[] = [];
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
        pathsOf,
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
