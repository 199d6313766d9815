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
import {
  ANONYMOUS_ARN,
  bruteForceWalk,
  callerArn,
  decideAssume,
  decideCaller,
  decisionOfLevel,
  Level,
  levelOf,
  type AccessAnalysis,
  type CallerGrant,
} from '../src/analysis';
import { callersAreUnsigned } from '../src/analysis/whoCan';
import { summaryLine, type Summary } from '../test/support/differential';

export class BruteForce {
  /** role ARN → (caller ARN → level above denied): the engine asked about every caller, once per role. */
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
      const level = decision ? levelOf(decision) : Level.DENIED;
      if (level > Level.DENIED) into.set(from, level);
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
  answer(
    action: string,
    resource: string,
    maxHops: number,
    deadline: number,
  ): { summary: Summary | undefined; grantMs: number; grantCalls: number; rolesNeeded: string[] } {
    const analysis = this.analysis;
    const target = analysis.target(action, resource);
    const universe = analysis.universe;
    const unsigned = callersAreUnsigned(target);
    const probeMemo = new Map<string, string[]>();
    const callers = [...universe.all, universe.anonymous];
    const t0 = performance.now();
    const grants = new Map<string, CallerGrant>();
    let grantCalls = 0;
    for (const caller of callers) {
      const arn = callerArn(caller);
      // Methods that ignore the signature: every caller is the same unsigned caller, answered as "anonymous".
      if (unsigned && arn !== ANONYMOUS_ARN) continue;
      grants.set(arn, decideCaller(analysis, caller, target, undefined, probeMemo));
      grantCalls++;
    }
    const grantMs = performance.now() - t0;
    this.engineCalls += grantCalls;
    const needed = new Set<string>();
    const incoming = (roleArn: string) => {
      if (!this.roleArns.has(roleArn)) return undefined;
      needed.add(roleArn);
      return this.incomingOf(roleArn, deadline) ?? null;
    };
    const walk = (level: (g: CallerGrant) => Level) => {
      const start = new Map<string, Level>();
      for (const [arn, g] of grants) if (level(g) > 0) start.set(arn, level(g));
      return bruteForceWalk(start, incoming, maxHops);
    };
    const reached = walk((g) => g.level);
    if (!reached) return { summary: undefined, grantMs, grantCalls, rolesNeeded: [...needed] };
    // Private APIs: the same walk through each VPC endpoint alone.
    const channels = [...grants.values()].find((g) => g.endpoints !== undefined)?.endpoints?.map((e) => e.channel);
    const through = (channels ?? []).map((channel, c) => ({ channel, reached: walk((g) => g.endpoints?.[c]?.level ?? 0) }));
    if (through.some((t) => !t.reached)) return { summary: undefined, grantMs, grantCalls, rolesNeeded: [...needed] };
    const summary: Summary = new Map();
    const known = new Set(callers.map(callerArn));
    for (const [arn, r] of reached) {
      if (!known.has(arn)) continue;
      const direct = grants.get(arn);
      const endpoints = channels
        ? through.flatMap(({ channel, reached: via }) => {
            const e = via!.get(arn);
            return e ? [`${channel.id}=${decisionOfLevel(e.level)}@${e.bestHops}`] : [];
          })
        : undefined;
      summary.set(
        arn,
        summaryLine(
          decisionOfLevel(r.level),
          r.hops,
          r.bestHops,
          direct && direct.level > Level.DENIED ? decisionOfLevel(direct.level) : 'none',
          endpoints,
        ),
      );
    }
    return { summary, grantMs, grantCalls, rolesNeeded: [...needed] };
  }
}
