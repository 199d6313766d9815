import type { AccessModel } from './accessModel';
import { decideAssume } from './assumeGraph';
import type { CallerUniverse } from './callers';
import { callerArn, type Caller, type Decision, type RequestContextValues } from './decide';
import { levelOf, type Level } from './whoCan';

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
export interface ReachedCaller {
  caller: Caller;
  /** 0: the caller itself is allowed; n: the shortest chain of n role assumptions that leads to access. */
  hops: number;
  /** The best decision over every path of at most maxHops assumptions: 3 allowed, 2 partial, 1 conditional. */
  level: Level;
}

export interface BruteForceOptions {
  maxHops: number;
  context?: RequestContextValues | undefined;
  /** Callers beyond the universe's (root users, anonymous). */
  extraCallers?: readonly Caller[];
}

/** Every (caller, role) pair that may be allowed, decided by the engine: role ARN → (caller ARN → level). */
export function bruteForceAssumeLevels(model: AccessModel, universe: CallerUniverse, context?: RequestContextValues): Map<string, Map<string, Level>> {
  const out = new Map<string, Map<string, Level>>();
  for (const role of model.roles) {
    const into = new Map<string, Level>();
    for (const caller of universe.all) {
      const from = callerArn(caller);
      if (from === role.arn) continue;
      const decision = decideAssume(model, caller, role.arn, context);
      const level = decision ? levelOf(decision) : 0;
      if (level > 0) into.set(from, level);
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
  // best[h]: the best level of each caller over paths of at most h assumptions.
  let best = new Map<string, Level>();
  const hops = new Map<string, number>();
  for (const caller of callers) {
    const level = grantLevel(caller);
    if (level > 0) {
      best.set(callerArn(caller), level);
      hops.set(callerArn(caller), 0);
    }
  }
  for (let h = 1; h <= options.maxHops; h++) {
    const next = new Map(best);
    for (const [roleArn, into] of assumeLevels) {
      const roleLevel = best.get(roleArn) ?? 0;
      if (roleLevel === 0) continue;
      for (const [from, edgeLevel] of into) {
        const level = Math.min(edgeLevel, roleLevel) as Level;
        if (level > (next.get(from) ?? 0)) next.set(from, level);
        if (!hops.has(from)) hops.set(from, h);
      }
    }
    best = next;
  }
  const out = new Map<string, ReachedCaller>();
  for (const [arn, level] of best) {
    const caller = byArn.get(arn);
    if (caller) out.set(arn, { caller, hops: hops.get(arn)!, level });
  }
  return out;
}

/** For tests: the engine's decision as a reach level. */
export function decisionLevel(decision: Decision | undefined): Level {
  return decision ? levelOf(decision) : 0;
}
