/**
 * The brute-force reference the benchmark times: what a per-request policy
 * simulator does to answer "who can invoke this method?". It asks the policy
 * engine about every principal on the method itself, then, for every role
 * that has access, asks the engine about every principal whether it may
 * assume that role, and follows role chains breadth-first, up to maxHops
 * assumptions.
 *
 * The same computation as src/analysis/bruteForce.ts (bruteForceWhoCan with
 * bruteForceAssumeLevels, via test/support/differential.ts's
 * bruteForceSummary), except that a role's incoming assume decisions are
 * computed lazily, only for the roles an answer needs, and memoised across
 * questions, as a simulator with a cache would: on the large preset the full
 * callers × roles table (35k × 10k engine calls) is out of reach. It shares no
 * candidate filter, no stored CAN_ASSUME edge and no graph walk with whocan;
 * only the engine and the caller universe.
 */
import { ANONYMOUS_ARN, callerArn, decideAssume, decideCaller, levelOf, type AccessAnalysis, type Level } from '../src/analysis';
import { callersAreUnsigned } from '../src/analysis/whoCan';
import type { Summary } from '../test/support/differential';

const DECISION_OF: Record<Level, string> = { 0: 'denied', 1: 'conditional', 2: 'partial', 3: 'allowed' };

export class BruteForce {
  /** role ARN → (caller ARN → level > 0): the engine asked about every caller, once per role. */
  private readonly incoming = new Map<string, Map<string, Level>>();
  /** Measured cost of deciding each role's incoming row (ms), and its engine calls. */
  readonly roleCostMs = new Map<string, number>();
  private readonly roleArns: Set<string>;
  engineCalls = 0;

  constructor(private readonly analysis: AccessAnalysis) {
    this.roleArns = new Set(analysis.model.roles.map((r) => r.arn));
  }

  get rolesDecided(): number {
    return this.incoming.size;
  }

  /** Every caller asked about assuming the role (the engine, one call each). */
  private incomingOf(roleArn: string, deadline: number): Map<string, Level> | undefined {
    let into = this.incoming.get(roleArn);
    if (into) return into;
    if (performance.now() > deadline) return undefined;
    const started = performance.now();
    into = new Map();
    const model = this.analysis.model;
    for (const caller of this.analysis.universe.all) {
      const from = callerArn(caller);
      if (from === roleArn) continue;
      const decision = decideAssume(model, caller, roleArn);
      this.engineCalls++;
      const level = decision ? levelOf(decision) : 0;
      if (level > 0) into.set(from, level);
    }
    this.incoming.set(roleArn, into);
    this.roleCostMs.set(roleArn, performance.now() - started);
    return into;
  }

  /**
   * The answer to "who can ACTION on RESOURCE?" as `arn → decision/hops`, or
   * undefined when the deadline (performance.now() milliseconds) passed before
   * every role it needs was decided. `grantMs`: the time spent deciding every
   * caller on the target itself; `rolesNeeded`: the roles whose incoming
   * decisions the answer needed (decided now or earlier).
   */
  answer(action: string, resource: string, maxHops: number, deadline: number): { summary: Summary | undefined; grantMs: number; grantCalls: number; rolesNeeded: string[] } {
    const analysis = this.analysis;
    const target = analysis.target(action, resource);
    const universe = analysis.universe;
    const unsigned = callersAreUnsigned(target);
    const probeMemo = new Map<string, string[]>();
    const callers = [...universe.all, universe.anonymous];
    const t0 = performance.now();
    let best = new Map<string, Level>();
    const hops = new Map<string, number>();
    let grantCalls = 0;
    for (const caller of callers) {
      const arn = callerArn(caller);
      // Methods that ignore the signature: every caller is the same unsigned caller, answered as "anonymous".
      if (unsigned && arn !== ANONYMOUS_ARN) continue;
      const level = decideCaller(analysis, caller, target, undefined, probeMemo).level;
      grantCalls++;
      if (level > 0) {
        best.set(arn, level);
        hops.set(arn, 0);
      }
    }
    const grantMs = performance.now() - t0;
    this.engineCalls += grantCalls;
    const needed = new Set<string>();
    for (let h = 1; h <= maxHops; h++) {
      const next = new Map(best);
      for (const [roleArn, roleLevel] of best) {
        if (!this.roleArns.has(roleArn)) continue;
        needed.add(roleArn);
        const into = this.incomingOf(roleArn, deadline);
        if (!into) return { summary: undefined, grantMs, grantCalls, rolesNeeded: [...needed] };
        for (const [from, edgeLevel] of into) {
          const level = Math.min(edgeLevel, roleLevel) as Level;
          if (level > (next.get(from) ?? 0)) next.set(from, level);
          if (!hops.has(from)) hops.set(from, h);
        }
      }
      best = next;
    }
    const summary: Summary = new Map();
    const known = new Set(callers.map(callerArn));
    for (const [arn, level] of best) if (known.has(arn)) summary.set(arn, `${DECISION_OF[level]}/${hops.get(arn)}`);
    return { summary, grantMs, grantCalls, rolesNeeded: [...needed] };
  }
}
