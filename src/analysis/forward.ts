import type { PathHop } from './answer';
import type { AssumeEdge } from './assumeGraph';
import type { Caller, RequestContextValues } from './decide';
import { Level, weakest } from './levels';
import type { AnalysisParts } from './whoCan';

/**
 * Everything a caller can become: the roles it reaches through chains of at
 * most `maxHops` assumptions, each with the fewest assumptions, the best
 * level over its chains (a chain is as good as its weakest hop: allowed or
 * conditional) and the shortest chain. The caller itself is included at 0
 * hops. `can` and `invocableMethods` decide each of them on the question and
 * combine: a caller has access as good as its best (chain, grant) pair.
 */
export interface Reachable {
  caller: Caller;
  hops: number;
  level: Level;
  /** The assumption that first reached it (none for the start). */
  via: AssumeEdge | undefined;
}

export function forwardReach(
  parts: AnalysisParts,
  start: Caller,
  startArn: string,
  maxHops: number,
  context: RequestContextValues | undefined,
): Map<string, Reachable> {
  const out = new Map<string, Reachable>([[startArn, { caller: start, hops: 0, level: Level.ALLOWED, via: undefined }]]);
  let frontier = new Map<string, Level>([[startArn, Level.ALLOWED]]);
  for (let hop = 1; hop <= maxHops && frontier.size > 0; hop++) {
    const improved = new Map<string, { level: Level; edge: AssumeEdge }>();
    for (const [arn, level] of frontier) {
      for (const edge of parts.assumeGraph.outgoing(arn, context)) {
        const next = weakest(edge.level, level);
        if (next > (out.get(edge.to)?.level ?? 0) && next > (improved.get(edge.to)?.level ?? 0))
          improved.set(edge.to, { level: next, edge });
      }
    }
    for (const [arn, { level, edge }] of improved) {
      const current = out.get(arn);
      if (current) current.level = level;
      else {
        const caller = parts.candidates.universe.principal(arn);
        if (caller) out.set(arn, { caller, hops: hop, level, via: edge });
      }
    }
    frontier = new Map([...improved].filter(([arn]) => out.has(arn)).map(([arn, { level }]) => [arn, level]));
  }
  return out;
}

/** The shortest chain of assumptions from the start to `arn`. */
export function chainTo(reached: ReadonlyMap<string, Reachable>, arn: string): PathHop[] {
  const hops: PathHop[] = [];
  for (let at = reached.get(arn); at?.via; at = reached.get(at.via.from)) hops.unshift(at.via.hop);
  return hops;
}
