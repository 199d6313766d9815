/**
 * The reference answer to "who can …?": ask the policy engine about every
 * caller directly, and about every (caller, role) pair for `sts:AssumeRole`,
 * then follow role chains breadth-first. It is what per-request simulators
 * do, and it is slow (callers × roles assume checks), which is the point: the
 * fast analysis must give exactly the same answers, and the differential
 * tests and the benchmark compare the two. It shares no candidate filter, no
 * stored edge and no graph walk with the fast analysis; only the engine and
 * the caller universe.
 */
import type { AccessModel } from './accessModel';
import { decideAssume } from './assumeGraph';
import type { CallerUniverse } from './callers';
import { callerArn, type Caller, type Decision, type RequestContextValues } from './decide';
import { Level, levelOf, weakest } from './levels';

export interface ReachedCaller {
  caller: Caller;
  /** 0: the caller itself is allowed; n: the shortest chain of n role assumptions that leads to access. */
  hops: number;
  /** The best decision over every path of at most maxHops assumptions: allowed, partial or conditional (levels.ts). */
  level: Level;
  /** The fewest assumptions that give that best decision. */
  bestHops: number;
}

export interface BruteForceOptions {
  maxHops: number;
  context?: RequestContextValues | undefined;
  /** Callers beyond the universe's (root users, anonymous). */
  extraCallers?: readonly Caller[];
}

/** Every (caller, role) pair that may be allowed, decided by the engine: role ARN → (caller ARN → level). */
export function bruteForceAssumeLevels(
  model: AccessModel,
  universe: CallerUniverse,
  context?: RequestContextValues,
): Map<string, Map<string, Level>> {
  const out = new Map<string, Map<string, Level>>();
  for (const role of model.roles) {
    const into = new Map<string, Level>();
    for (const caller of universe.all) {
      const from = callerArn(caller);
      if (from === role.arn) continue;
      const decision = decideAssume(model, caller, role.arn, context);
      const level = decision ? levelOf(decision) : Level.DENIED;
      if (level > Level.DENIED) into.set(from, level);
    }
    if (into.size > 0) out.set(role.arn, into);
  }
  return out;
}

/**
 * `grantLevel(caller)` decides a caller on the target itself (the same
 * per-caller decision the fast analysis makes); `assumeLevels` comes from
 * `bruteForceAssumeLevels` (computed once per snapshot and context).
 */
export function bruteForceWhoCan(
  universe: CallerUniverse,
  grantLevel: (caller: Caller) => Level,
  assumeLevels: Map<string, Map<string, Level>>,
  options: BruteForceOptions,
): Map<string, ReachedCaller> {
  const callers = [...universe.all, ...(options.extraCallers ?? [])];
  const byArn = new Map(callers.map((c) => [callerArn(c), c]));
  const grants = new Map<string, Level>();
  for (const caller of callers) {
    const level = grantLevel(caller);
    if (level > Level.DENIED) grants.set(callerArn(caller), level);
  }
  const walked = bruteForceWalk(grants, (role) => assumeLevels.get(role), options.maxHops);
  const out = new Map<string, ReachedCaller>();
  for (const [arn, r] of walked!) {
    const caller = byArn.get(arn);
    if (caller) out.set(arn, { caller, ...r });
  }
  return out;
}

/**
 * Role chains followed breadth-first from the callers with a grant:
 * `best[h]` is each caller's best level over paths of at most h
 * assumptions; `hops` the first h at which it has any access, `bestHops`
 * the first h at which it has its final level. `incoming(role)` gives who
 * may assume the role and how well; `null` stops the walk (undefined is
 * returned: the bench's deadline passed).
 */
export function bruteForceWalk(
  grants: ReadonlyMap<string, Level>,
  incoming: (roleArn: string) => ReadonlyMap<string, Level> | undefined | null,
  maxHops: number,
): Map<string, { level: Level; hops: number; bestHops: number }> | undefined {
  let best = new Map<string, Level>(grants);
  const hops = new Map<string, number>();
  const bestHops = new Map<string, number>();
  for (const arn of grants.keys()) {
    hops.set(arn, 0);
    bestHops.set(arn, 0);
  }
  for (let h = 1; h <= maxHops; h++) {
    const next = new Map(best);
    for (const [roleArn, roleLevel] of best) {
      const into = incoming(roleArn);
      if (into === null) return undefined;
      if (!into) continue;
      for (const [from, edgeLevel] of into) {
        const level = weakest(edgeLevel, roleLevel);
        if (level > (next.get(from) ?? Level.DENIED)) next.set(from, level);
        if (!hops.has(from)) hops.set(from, h);
      }
    }
    for (const [arn, level] of next) if (level > (best.get(arn) ?? Level.DENIED)) bestHops.set(arn, h);
    best = next;
  }
  const out = new Map<string, { level: Level; hops: number; bestHops: number }>();
  for (const [arn, level] of best) out.set(arn, { level, hops: hops.get(arn)!, bestHops: bestHops.get(arn)! });
  return out;
}

/** For tests: the engine's decision as a reach level. */
export function decisionLevel(decision: Decision | undefined): Level {
  return decision ? levelOf(decision) : Level.DENIED;
}
