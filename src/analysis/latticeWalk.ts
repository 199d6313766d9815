/**
 * Who reaches a grant through role assumptions, and how well: Bellman-Ford
 * over at most maxHops rounds on the decision lattice (0 none, 1
 * conditional, 2 partial, 3 allowed). A path is as good as its weakest step,
 * a caller as good as its best path. Each round extends paths by one
 * assumption and propagates only the levels improved in the previous round,
 * so every level stands for a real path of at most maxHops assumptions.
 * `hops` is the shortest path to any access (set when a caller is first
 * reached), `bestHops` the shortest that gives the best decision.
 *
 * The per-question analysis walks this way with request context
 * (whoCan.ts), and who-can answers read from the access index walk their
 * stored relationships the same way (services/index/whoCanFromIndex.ts).
 */
export interface WalkStep {
  hops: number;
  level: number;
  bestHops: number;
}

export interface WalkEdge {
  /** Who assumes the role. */
  readonly from: string;
  /** How well the assumption itself holds (the trust and the caller's own permission). */
  readonly level: number;
}

export function walkLattice<R extends WalkStep>(
  /** The callers with access of their own (0 assumptions), level above 0: grown in place into the answer, and returned. */
  seeds: Map<string, R>,
  /** The assumptions into a reached caller (empty when it is not a role that can be assumed). */
  incoming: (arn: string, reached: R) => Iterable<WalkEdge>,
  /** A caller first reached at `hops` with `level`; undefined when it is not one the answer may list. */
  admit: (arn: string, hops: number, level: number) => R | undefined,
  maxHops: number,
): Map<string, R> {
  const reached = seeds;
  let frontier = new Map<string, number>();
  for (const [arn, r] of reached) frontier.set(arn, r.level);
  for (let hop = 1; hop <= maxHops && frontier.size > 0; hop++) {
    const improved = new Map<string, number>();
    for (const [roleArn, roleLevel] of frontier) {
      for (const edge of incoming(roleArn, reached.get(roleArn)!)) {
        const level = Math.min(edge.level, roleLevel);
        if (level > (reached.get(edge.from)?.level ?? 0) && level > (improved.get(edge.from) ?? 0)) improved.set(edge.from, level);
      }
    }
    for (const [arn, level] of improved) {
      const current = reached.get(arn);
      if (current) {
        current.level = level;
        current.bestHops = hop;
        continue;
      }
      const admitted = admit(arn, hop, level);
      if (admitted) reached.set(arn, admitted);
      else improved.delete(arn);
    }
    frontier = improved;
  }
  return reached;
}
