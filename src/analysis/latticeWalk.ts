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
 * The one walk of the analysis, over two kinds of graph:
 * - `compactSteps`: the role graph without request context as integer arrays
 *   (AssumeGraph.compact()), which who-can's role walk and every access index
 *   job start with (whoCan/roleWalk.ts);
 * - `stepsFrom`: steps listed per ARN by a function: who-can's walk with
 *   request context, the forward walk from a caller to the roles it becomes
 *   (forward.ts), the role paths from a caller to a role (rolePaths.ts) and
 *   who-can answers read from the access index, over their stored
 *   relationships (services/index/whoCanFromIndex.ts).
 * The walk itself works on integer ids and typed arrays: on the compact graph
 * no map lookup and no object per edge (about four times faster on the
 * medium preset than a walk over maps).
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

/**
 * A graph as the walk sees it: nodes are integer ids, and the steps on from
 * a node are a range of its step arrays (the node each leads to and the
 * step's own level), so that the walk reads them without a call or an
 * object per step.
 */
export interface LatticeGraph<E> {
  /** How many ids are given out so far: every id in a range `steps` returned is below it. */
  readonly size: number;
  /** The id of an ARN the walk starts from; undefined when no step leads on from it. */
  idOf(arn: string): number | undefined;
  arnOf(id: number): string;
  /** The steps on from `id`: indexes `first` … `end - 1` of `to` and `level`. */
  steps(id: number): StepRange;
  /** The step at an index `steps` returned (what `admit` is told a caller was reached by). */
  step(index: number): E;
}

export interface StepRange {
  readonly to: Int32Array;
  readonly level: Uint8Array;
  readonly first: number;
  readonly end: number;
}

export function walkLattice<R extends WalkStep, E>(
  /** The callers to start from (level above denied): grown in place into the answer, and returned. */
  seeds: Map<string, R>,
  graph: LatticeGraph<E>,
  /** A caller first reached at `hops` with `level`, by the step `via`; undefined when it is not one the answer may list. */
  admit: (arn: string, hops: number, level: Level, via: E) => R | undefined,
  maxHops: number,
): Map<string, R> {
  const reached = seeds;
  // Per id: the level reached (denied when not reached), this round's better level, and the step that gave it.
  // (Locals, not captured by a closure, so that the loop below keeps them at hand.)
  let best: Uint8Array = new Uint8Array(Math.max(16, graph.size));
  let improved: Uint8Array = new Uint8Array(best.length);
  let via: Int32Array = new Int32Array(best.length);
  let frontier: number[] = [];
  for (const [arn, r] of reached) {
    const id = graph.idOf(arn);
    if (id === undefined) continue;
    if (id >= best.length) {
      const length = grownLength(best.length, id + 1);
      best = copied(best, new Uint8Array(length));
      improved = copied(improved, new Uint8Array(length));
      via = copied(via, new Int32Array(length));
    }
    best[id] = r.level;
    frontier.push(id);
  }
  const touched: number[] = [];
  for (let hop = 1; hop <= maxHops && frontier.length > 0; hop++) {
    for (const id of frontier) {
      const fromLevel = best[id]!;
      const range = graph.steps(id);
      if (graph.size > best.length) {
        const length = grownLength(best.length, graph.size);
        best = copied(best, new Uint8Array(length));
        improved = copied(improved, new Uint8Array(length));
        via = copied(via, new Int32Array(length));
      }
      relax(range, fromLevel, best, improved, via, touched);
    }
    frontier = [];
    for (const id of touched) {
      const level = improved[id]! as Level;
      improved[id] = Level.DENIED;
      const arn = graph.arnOf(id);
      const current = best[id]! > Level.DENIED ? reached.get(arn) : undefined;
      if (current) {
        current.level = level;
        current.bestHops = hop;
      } else {
        const admitted = admit(arn, hop, level, graph.step(via[id]!));
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

/**
 * One node's steps: each id they lead to whose level they improve is marked
 * in `improved` (and listed in `touched` the first time this round), with
 * the step in `via`. The arrays are parameters so that the loop holds them
 * fixed (the walk may replace them between nodes when a graph grows).
 */
function relax(range: StepRange, fromLevel: number, best: Uint8Array, improved: Uint8Array, via: Int32Array, touched: number[]): void {
  const { to, level: stepLevel, end } = range;
  for (let e = range.first; e < end; e++) {
    const next = to[e]!;
    const level = Math.min(stepLevel[e]!, fromLevel);
    if (level > best[next]! && level > improved[next]!) {
      if (improved[next] === Level.DENIED) touched.push(next);
      improved[next] = level;
      via[next] = e;
    }
  }
}

/** The length of the walk's arrays that holds `size` ids: doubled as often as needed. */
function grownLength(length: number, size: number): number {
  while (length < size) length *= 2;
  return length;
}

function copied<A extends Uint8Array | Int32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

/**
 * The compact role graph walked backwards (from a role to who assumes it):
 * its own arrays are the step arrays. `scanned` gets each role whose
 * incoming edges were read.
 */
export function compactSteps(graph: CompactRoleGraph, scanned: Set<string>): LatticeGraph<undefined> {
  return new CompactSteps(graph, scanned);
}

/**
 * A graph whose steps on from each ARN a function lists. ARNs are given ids
 * as the walk meets them, and each step read is appended to the step arrays,
 * so that its index names it.
 */
export function stepsFrom<E extends WalkEdge>(next: (arn: string) => Iterable<E>): LatticeGraph<E> {
  return new ListedSteps(next);
}

// Classes rather than object literals: every walk then calls the same method
// functions, which the optimiser inlines into the walk's loop once and for all
// (a new closure per walk is a new call target, and deoptimises it).

class CompactSteps implements LatticeGraph<undefined> {
  private readonly range: { to: Int32Array; level: Uint8Array; first: number; end: number };

  constructor(
    private readonly graph: CompactRoleGraph,
    private readonly scanned: Set<string>,
  ) {
    this.range = { to: graph.from, level: graph.level, first: 0, end: 0 };
    this.size = graph.arns.length;
  }

  readonly size: number;

  idOf(arn: string): number | undefined {
    return this.graph.ids.get(arn);
  }

  arnOf(id: number): string {
    return this.graph.arns[id]!;
  }

  steps(role: number): StepRange {
    const range = this.range;
    range.first = this.graph.start[role]!;
    range.end = this.graph.start[role + 1]!;
    if (range.first < range.end) this.scanned.add(this.graph.arns[role]!);
    return range;
  }

  step(): undefined {
    return undefined;
  }
}

class ListedSteps<E extends WalkEdge> implements LatticeGraph<E> {
  private readonly ids = new Map<string, number>();
  private readonly arns: string[] = [];
  private readonly edges: E[] = [];
  // Typed like the compact graph's arrays, so that the walk's loop sees one kind of array.
  private readonly range = { to: new Int32Array(64), level: new Uint8Array(64), first: 0, end: 0 };

  constructor(private readonly next: (arn: string) => Iterable<E>) {}

  /** A field rather than a getter: the walk reads it for every node it steps on from. */
  size = 0;

  idOf(arn: string): number {
    let id = this.ids.get(arn);
    if (id === undefined) {
      id = this.arns.length;
      this.ids.set(arn, id);
      this.arns.push(arn);
      this.size = this.arns.length;
    }
    return id;
  }

  arnOf(id: number): string {
    return this.arns[id]!;
  }

  steps(id: number): StepRange {
    const { range, edges } = this;
    range.first = edges.length;
    for (const edge of this.next(this.arns[id]!)) {
      const at = edges.length;
      if (at === range.to.length) {
        const to = new Int32Array(at * 2);
        to.set(range.to);
        range.to = to;
        const level = new Uint8Array(at * 2);
        level.set(range.level);
        range.level = level;
      }
      range.to[at] = this.idOf(edge.from);
      range.level[at] = edge.level;
      edges.push(edge);
    }
    range.end = edges.length;
    return range;
  }

  step(index: number): E {
    return this.edges[index]!;
  }
}
