/**
 * Who reaches a grant through role assumptions, and how well: Bellman-Ford
 * over at most maxHops rounds on the decision lattice (levels.ts). A path is
 * as good as its weakest step, a caller as good as its best path. Each round
 * extends paths by one assumption and propagates only the levels improved in
 * the previous round, so every level stands for a real path of at most
 * maxHops assumptions. `hops` is the shortest path to any access (set when a
 * caller is first reached), `bestHops` the shortest that gives the best
 * decision.
 *
 * The one walk of the analysis: who-can's role walk, backwards from the
 * grants (whoCan/roleWalk.ts; without request context on the compact graph,
 * walkLatticeCompact below; the access index walks through it); the forward walk from a caller to the roles it
 * becomes (forward.ts); the role paths from a caller to a role
 * (rolePaths.ts); and who-can answers read from the access index, over their
 * stored relationships (services/index/whoCanFromIndex.ts).
 */
import type { CompactRoleGraph } from './assumeGraph';
import { Level } from './levels';

export interface WalkStep {
  hops: number;
  level: Level;
  bestHops: number;
}

export interface WalkEdge {
  /** Where the step leads: walking backwards, who assumes the role; forwards, the role assumed. */
  readonly from: string;
  /** How well the assumption itself holds (the trust and the caller's own permission). */
  readonly level: Level;
}

export function walkLattice<R extends WalkStep, E extends WalkEdge = WalkEdge>(
  /** The callers to start from (level above denied): grown in place into the answer, and returned. */
  seeds: Map<string, R>,
  /** The steps on from a reached caller: walking backwards, the assumptions into it (empty when it is not a role that can be assumed). */
  incoming: (arn: string, reached: R) => Iterable<E>,
  /** A caller first reached at `hops` with `level`, by the step `via`; undefined when it is not one the answer may list. */
  admit: (arn: string, hops: number, level: Level, via: E) => R | undefined,
  maxHops: number,
): Map<string, R> {
  const reached = seeds;
  let frontier = new Map<string, Level>();
  for (const [arn, r] of reached) frontier.set(arn, r.level);
  for (let hop = 1; hop <= maxHops && frontier.size > 0; hop++) {
    const improved = new Map<string, Level>();
    const via = new Map<string, E>();
    for (const [roleArn, roleLevel] of frontier) {
      for (const edge of incoming(roleArn, reached.get(roleArn)!)) {
        const level = edge.level < roleLevel ? edge.level : roleLevel;
        if (level > (reached.get(edge.from)?.level ?? Level.DENIED) && level > (improved.get(edge.from) ?? Level.DENIED)) {
          improved.set(edge.from, level);
          via.set(edge.from, edge);
        }
      }
    }
    for (const [arn, level] of improved) {
      const current = reached.get(arn);
      if (current) {
        current.level = level;
        current.bestHops = hop;
        continue;
      }
      const admitted = admit(arn, hop, level, via.get(arn)!);
      if (admitted) reached.set(arn, admitted);
      else improved.delete(arn);
    }
    frontier = improved;
  }
  return reached;
}

/**
 * The same walk on the compact role graph (AssumeGraph.compact(): integer
 * ids, each role's incoming edges as typed arrays), for the walk without
 * request context that every who-can answer and every access index job
 * starts with. It gives what walkLattice gives over AssumeGraph.incoming, in
 * a fraction of the time (no map lookup and no object per edge: about four
 * times faster on the medium preset). `scanned` is told each role whose
 * incoming edges were read.
 */
export function walkLatticeCompact<R extends WalkStep>(
  graph: CompactRoleGraph,
  seeds: Map<string, R>,
  admit: (arn: string, hops: number, level: Level) => R | undefined,
  maxHops: number,
  scanned: (roleArn: string) => void,
): Map<string, R> {
  const reached = seeds;
  const best = new Uint8Array(graph.arns.length);
  const improved = new Uint8Array(graph.arns.length);
  let frontier: number[] = [];
  for (const [arn, r] of reached) {
    const id = graph.ids.get(arn);
    if (id === undefined) continue;
    best[id] = r.level;
    frontier.push(id);
  }
  const touched: number[] = [];
  for (let hop = 1; hop <= maxHops && frontier.length > 0; hop++) {
    for (const role of frontier) {
      const first = graph.start[role]!;
      const end = graph.start[role + 1]!;
      if (first === end) continue;
      scanned(graph.arns[role]!);
      const roleLevel = best[role]!;
      for (let e = first; e < end; e++) {
        const from = graph.from[e]!;
        const level = Math.min(graph.level[e]!, roleLevel);
        if (level > best[from]! && level > improved[from]!) {
          if (improved[from] === Level.DENIED) touched.push(from);
          improved[from] = level;
        }
      }
    }
    frontier = [];
    for (const id of touched) {
      const level = improved[id]! as Level;
      improved[id] = Level.DENIED;
      const arn = graph.arns[id]!;
      const current = best[id]! > Level.DENIED ? reached.get(arn) : undefined;
      if (current) {
        current.level = level;
        current.bestHops = hop;
      } else {
        const admitted = admit(arn, hop, level);
        if (!admitted) continue;
        reached.set(arn, admitted);
      }
      best[id] = level;
      frontier.push(id);
    }
    touched.length = 0;
  }
  return reached;
}
