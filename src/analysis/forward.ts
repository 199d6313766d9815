/**
 * Everything a caller can become: the roles it reaches through chains of at
 * most `maxHops` assumptions, each with the fewest assumptions, the best
 * level over its chains (a chain is as good as its weakest hop: allowed or
 * conditional) and the shortest chain. The caller itself is included at 0
 * hops. `can` and `invocableMethods` decide each of them on the question and
 * combine: a caller has access as good as its best (chain, grant) pair.
 */
import type { PathHop } from './answer';
import type { AssumeEdge } from './assumeGraph';
import type { Caller, RequestContextValues } from './decide';
import { stepsFrom, walkLattice, type WalkEdge } from './latticeWalk';
import { Level } from './levels';
import type { AnalysisInputs } from './whoCan';

export interface Reachable {
  caller: Caller;
  hops: number;
  level: Level;
  /** The fewest assumptions that give that level. */
  bestHops: number;
  /** The assumption that first reached it (none for the start). */
  via: AssumeEdge | undefined;
}

export function forwardReach(
  parts: AnalysisInputs,
  start: Caller,
  startArn: string,
  maxHops: number,
  context: RequestContextValues | undefined,
): Map<string, Reachable> {
  const out = new Map<string, Reachable>([[startArn, { caller: start, hops: 0, level: Level.ALLOWED, bestHops: 0, via: undefined }]]);
  // latticeWalk.ts, forwards: each step leads from a caller to the role it assumes.
  return walkLattice<Reachable, ForwardStep>(
    out,
    stepsFrom((arn) => parts.assumeGraph.outgoing(arn, context).map((edge) => ({ from: edge.to, level: edge.level, edge }))),
    (arn, hops, level, step) => {
      const caller = parts.candidates.universe.principal(arn);
      return caller ? { caller, hops, level, bestHops: hops, via: step.edge } : undefined;
    },
    maxHops,
  );
}

/** One assumption as a step of the forward walk: it leads to the role assumed. */
interface ForwardStep extends WalkEdge {
  readonly edge: AssumeEdge;
}

/** The shortest chain of assumptions from the start to `arn`. */
export function chainTo(reached: ReadonlyMap<string, Reachable>, arn: string): PathHop[] {
  const hops: PathHop[] = [];
  for (let at = reached.get(arn); at?.via; at = reached.get(at.via.from)) hops.unshift(at.via.hop);
  return hops;
}
