/**
 * Stage 3 of who-can: the role graph (assumeGraph.ts) walked backwards from
 * every caller with a grant, up to `maxHops` assumptions: everyone who
 * reaches access through roles, with the fewest assumptions, the best
 * decision over every path and the fewest assumptions that give it.
 */
import type { AssumeEdge } from '../assumeGraph';
import type { Caller, RequestContextValues } from '../decide';
import { compactSteps, stepsFrom, walkLattice } from '../latticeWalk';
import { Level } from '../levels';
import type { CallerGrant, DecidedCallers } from './decisions';
import { DEFAULT_MAX_HOPS, type AnalysisInputs, type WhoCanOptions } from './inputs';

/** A caller with access: the shortest path's hop count, the best decision over every path, and the fewest hops that give that decision. */
export interface Reached {
  caller: Caller;
  hops: number;
  level: Level;
  bestHops: number;
}

/** The role walk's result: the grants it started from, everyone reached, and what the decisions took. */
export interface ReachResult {
  grants: Map<string, CallerGrant>;
  /** Everyone with access within maxHops: shortest hop count and best decision over all paths. */
  reached: Map<string, Reached>;
  /** The assume edges between reached callers, by caller: all that path enumeration needs (gathered on first use). */
  forwardEdges: () => Map<string, AssumeEdge[]>;
  decisions: number;
  candidates: number;
}

/** Everyone who reaches a grant through at most maxHops role assumptions (with request context, some assumptions are decided again). */
export function propagate(parts: AnalysisInputs, { grants, decisions, candidates }: DecidedCallers, options: WhoCanOptions): ReachResult {
  const { reached, scanned } = walkBackwards(parts, grants, options.maxHops ?? DEFAULT_MAX_HOPS, options.context);
  const forwardEdges = lazyForwardEdges(parts, scanned, options.context);
  return { grants, reached, forwardEdges, decisions, candidates };
}

/**
 * The walk on its own: everyone who reaches one of the seeds (callers
 * decided on the target itself) within maxHops assumptions, by the lattice
 * walk of latticeWalk.ts over the assume edges that hold with the context
 * (AssumeGraph.incoming; without context, on the compact graph), with the
 * roles whose incoming edges were scanned.
 * The access index walks from grants decided elsewhere (another thread)
 * with it.
 */
export function walkBackwards(
  parts: AnalysisInputs,
  seeds: ReadonlyMap<string, { caller: Caller; level: Level }>,
  maxHops: number,
  context?: RequestContextValues,
): { reached: Map<string, Reached>; scanned: Set<string> } {
  const reached = new Map<string, Reached>();
  for (const [arn, g] of seeds) if (g.level > Level.DENIED) reached.set(arn, { caller: g.caller, hops: 0, level: g.level, bestHops: 0 });
  const scanned = new Set<string>();
  const admit = (arn: string, hops: number, level: Level): Reached | undefined => {
    // Not a caller of this snapshot's universe: neither listed nor walked on.
    const caller = parts.candidates.universe.byArn.get(arn);
    return caller ? { caller, hops, level, bestHops: hops } : undefined;
  };
  const graph = context
    ? stepsFrom((roleArn) => {
        const role = reached.get(roleArn)!.caller;
        if (role.type !== 'principal' || role.entry.kind !== 'role') return [];
        const edges = parts.assumeGraph.incoming(roleArn, context);
        if (edges.length > 0) scanned.add(roleArn);
        return edges;
      })
    : compactSteps(parts.assumeGraph.compact(), scanned);
  walkLattice<Reached, unknown>(reached, graph, admit, maxHops);
  return { reached, scanned };
}

/**
 * The assumptions into the roles a walk scanned, by caller: all that path
 * enumeration needs. Roles reached only in the last round were not scanned;
 * their incoming edges lead to nobody new within maxHops. Gathered only when
 * paths are first read, so answers whose paths nobody reads never pay for it.
 */
function lazyForwardEdges(
  parts: AnalysisInputs,
  scannedRoles: Iterable<string>,
  context: RequestContextValues | undefined,
): () => Map<string, AssumeEdge[]> {
  let forward: Map<string, AssumeEdge[]> | undefined;
  return () => {
    if (!forward) {
      forward = new Map();
      for (const roleArn of scannedRoles) {
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
