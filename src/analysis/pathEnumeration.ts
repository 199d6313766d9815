import type { AccessPath, PathHop } from './answer';

/**
 * The paths of one answer, the same way for every reader of it: the
 * per-question analysis (whoCan/paths.ts), the access index's who-can answers
 * (services/index/indexPaths.ts) and reviews answered from the index
 * (services/review/indexPaths.ts). Each supplies the answer as a PathGraph;
 * this enumerates simple paths from a principal to a grant, shortest first,
 * at most `limit`, built by length from the paths of the roles one
 * assumption further and memoised for the whole answer: the principals of
 * one answer share most of their suffixes (everyone who reaches a role goes
 * on the same way).
 */
export interface PathGraph {
  /** The fewest assumptions from this principal to a grant; undefined when it is not in the answer. */
  hopsOf(arn: string): number | undefined;
  /** The role assumptions out of this principal (into roles of the answer or not: those too far are skipped here). */
  edgesFrom(arn: string): readonly { readonly to: string; readonly hop: PathHop }[];
  /** The principal's own grant paths (0 assumptions); empty when it has no grant of its own. */
  ownPaths(arn: string): readonly AccessPath[];
}

/**
 * A path under construction: an assumption, then the rest of the path. The
 * principals of one answer share their suffixes, so paths are kept as links
 * to them and turned into arrays only for the paths an answer lists.
 */
class Link {
  constructor(
    readonly hop: PathHop,
    readonly rest: Link | AccessPath,
  ) {}
}

type PathSuffix = Link | AccessPath;

/** Paths of one length from one principal, at most the limit, and whether more exist. */
export type PathMemo = Map<string, { paths: PathSuffix[]; more: boolean }>;

export class PathEnumerator {
  constructor(
    private readonly graph: PathGraph,
    private readonly maxHops: number,
    private readonly limit: number,
    /** Shared by every principal of the answer (one enumerator serves the whole answer, as whoCan/paths.ts keeps it). */
    private readonly memo: PathMemo = new Map(),
  ) {}

  /** Up to `limit` simple paths from `start` to a grant, shortest first; `more` when some were left out. */
  pathsOf(start: string): { paths: AccessPath[]; more: boolean } {
    const paths: AccessPath[] = [];
    let more = false;
    const first = this.graph.hopsOf(start) ?? 0;
    for (let length = first; length <= this.maxHops && paths.length < this.limit; length++) {
      const found = this.ofLength(start, length);
      for (const p of found.paths) {
        if (paths.length >= this.limit) {
          more = true;
          break;
        }
        paths.push(materialise(p));
      }
      if (found.more) more = true;
    }
    // Paths of lengths not enumerated (the limit was reached first) may exist when some assumption leads on.
    if (paths.length >= this.limit && !more && first < this.maxHops) more = this.edgesOnward(start).length > 0;
    return { paths, more };
  }

  /** Assumptions into roles of the answer that still lead to a grant within maxHops. */
  private edgesOnward(arn: string): readonly { readonly to: string; readonly hop: PathHop }[] {
    return this.graph.edgesFrom(arn).filter((e) => (this.graph.hopsOf(e.to) ?? Infinity) < this.maxHops);
  }

  /** Up to `limit` simple paths of exactly `length` assumptions from `arn` to a grant (memoised per answer). */
  private ofLength(arn: string, length: number): { paths: PathSuffix[]; more: boolean } {
    const key = `${length}\u0000${arn}`;
    const known = this.memo.get(key);
    if (known) return known;
    let found: { paths: PathSuffix[]; more: boolean };
    if (length === 0) {
      const own = this.graph.ownPaths(arn);
      found = { paths: own.slice(0, this.limit), more: own.length > this.limit };
    } else {
      found = { paths: [], more: false };
      for (const edge of this.graph.edgesFrom(arn)) {
        const next = this.graph.hopsOf(edge.to);
        if (next === undefined || next > length - 1) continue;
        const rest = this.ofLength(edge.to, length - 1);
        if (rest.more) found.more = true;
        for (const p of rest.paths) {
          // Simple paths only: the rest must not come back through this caller.
          if (assumes(p, arn)) continue;
          if (found.paths.length >= this.limit) {
            found.more = true;
            break;
          }
          found.paths.push(new Link(edge.hop, p));
        }
        if (found.paths.length >= this.limit && found.more) break;
      }
    }
    this.memo.set(key, found);
    return found;
  }
}

function materialise(path: PathSuffix): AccessPath {
  const hops: PathHop[] = [];
  let at: PathSuffix = path;
  for (; at instanceof Link; at = at.rest) hops.push(at.hop);
  return [...hops, ...at];
}

/** Does the path assume `arn` again (then it is not a simple path from `arn`)? */
function assumes(path: PathSuffix, arn: string): boolean {
  for (let at: PathSuffix = path; at instanceof Link; at = at.rest) if (at.hop.to === arn) return true;
  return false;
}
