/** From the jobs' decisions to the index: the role walk from each job's grants, answers pooled and numbered in the plan's order. */
import { createHash } from 'node:crypto';
import { callerAccount, callerArn, callerType, type Caller } from '../decide';
import { decisionOfLevel, Level } from '../levels';
import { DEFAULT_MAX_HOPS, decideCaller, walkBackwards, type AnalysisInputs, type Reached } from '../whoCan';
import { type Work } from '../work';
import type { AccessIndex, GrantSummary, IndexAccessor, IndexEntry, IndexOptions, IndexPlan, IndexTarget, TargetSpec } from './types';
import { summarise } from './decisions';
import { entryText } from './rows';

/**
 * Answers kept once: equal answers share one array (by a hash of their
 * entries), and equal entries one object (a caller's entry is the same in
 * most answers that list it), so a large organization's index holds what is
 * distinct, not targets × callers.
 */
class AnswerPool {
  readonly answers: IndexEntry[][] = [];
  private readonly byHash = new Map<string, number>();
  private readonly entries = new Map<string, IndexEntry>();

  add(answer: IndexEntry[]): number {
    const hash = hashEntries(answer);
    let id = this.byHash.get(hash);
    if (id === undefined) {
      id = this.answers.length;
      this.answers.push(
        answer.map((e) => {
          const key = `${e.arn}\u0000${entryText(e)}`;
          const known = this.entries.get(key);
          if (known) return known;
          this.entries.set(key, e);
          return e;
        }),
      );
      this.byHash.set(hash, id);
    }
    return id;
  }
}

/**
 * Turns the decisions of every job into the index: the role walk from each
 * job's grants (the per-question analysis' `walkBackwards`) as they arrive,
 * then, target by target in the plan's order, the answer of its job or of
 * its role's assumptions. Answers are numbered by their first target in the
 * plan's order, so the index is the same however the jobs fell on threads.
 */
export class IndexAssembly {
  private readonly pool = new AnswerPool();
  /** The pooled answer of each job (-1: not decided yet). */
  private readonly jobAnswer: Int32Array;
  private readonly accessors = new Map<string, IndexAccessor>();
  private readonly maxHops: number;
  private walked = 0;
  private lastReport = 0;
  private decisions = 0;
  private reusedDecisions = 0;

  constructor(
    private readonly parts: AnalysisInputs,
    private readonly plan: IndexPlan,
    private readonly options: IndexOptions,
  ) {
    this.maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
    this.jobAnswer = new Int32Array(plan.jobs.length).fill(-1);
  }

  /** A job's decisions: walked back on the role graph at once (so that the walk overlaps the decisions of other threads). */
  decided(job: number, grants: readonly GrantSummary[]): void {
    const universe = this.parts.candidates.universe;
    const seeds = new Map<string, { caller: Caller; level: Level }>();
    const byArn = new Map<string, GrantSummary>();
    for (const g of grants) {
      const caller = universe.byArn.get(g.arn);
      if (!caller) throw new Error(`access index: a decision names ${g.arn}, which is not a caller of this snapshot`);
      seeds.set(g.arn, { caller, level: g.level });
      byArn.set(g.arn, g);
    }
    this.jobAnswer[job] = this.pool.add(this.entriesOf(walkBackwards(this.parts, seeds, this.maxHops).reached, byArn));
    this.walked++;
    this.report('deciding', this.walked, this.plan.jobs.length);
  }

  /** Adds the engine decisions made and reused (by one thread, or by all of them). */
  countDecisions(made: number, reused: number): void {
    this.decisions += made;
    this.reusedDecisions += reused;
  }

  *finish(started: number, threads: number): Work<AccessIndex> {
    const { specs, jobOf } = this.plan;
    const sets: IndexEntry[][] = [];
    const setOfAnswer = new Map<number, number>();
    const seenJobs = new Set<number>();
    const targets: IndexTarget[] = [];
    let shared = 0;
    for (let i = 0; i < specs.length; i++) {
      if (i % 64 === 0) yield;
      const spec = specs[i]!;
      const job = jobOf[i]!;
      let answer: number;
      if (job < 0) answer = this.pool.add(this.assumeEntries(spec));
      else {
        answer = this.jobAnswer[job]!;
        if (answer < 0) throw new Error(`access index: job ${job} was never decided`);
        if (seenJobs.has(job)) shared++;
        else seenJobs.add(job);
      }
      let set = setOfAnswer.get(answer);
      if (set === undefined) {
        set = sets.length;
        sets.push(this.pool.answers[answer]!);
        setOfAnswer.set(answer, set);
      }
      targets.push(spec.describe(sets[set]!, set));
      this.report('storing answers', i + 1, specs.length);
    }
    const entries = sets.reduce((n, s) => n + s.length, 0);
    const decided = specs.length - shared;
    return {
      maxHops: this.maxHops,
      targets,
      sets,
      accessors: this.accessors,
      stats: {
        targets: targets.length,
        sets: sets.length,
        decided,
        shared,
        entries,
        decisions: this.decisions,
        reusedDecisions: this.reusedDecisions,
        threads,
        ms: Math.round(performance.now() - started),
      },
    };
  }

  private report(step: string, done: number, total: number): void {
    const now = performance.now();
    if (this.options.onProgress && (now - this.lastReport > 200 || done === total)) {
      this.lastReport = now;
      this.options.onProgress({ done, total, step });
    }
  }

  /**
   * Who can assume a role: the stored CAN_ASSUME relationships into it are the
   * engine's decisions for every caller its trust policy names (assumeGraph.ts),
   * and the role itself is asked; then the same walk backwards as any other
   * answer.
   */
  private assumeEntries(spec: TargetSpec): IndexEntry[] {
    const { parts } = this;
    const target = spec.target();
    const seeds = new Map<string, { caller: Caller; level: Level }>();
    const grants = new Map<string, GrantSummary>();
    for (const edge of parts.assumeGraph.incoming(target.resource)) {
      const caller = parts.candidates.universe.byArn.get(edge.from);
      if (!caller) continue;
      seeds.set(edge.from, { caller, level: edge.level });
      grants.set(edge.from, { arn: edge.from, level: edge.level, conditions: edge.hop.conditions ?? [], formula: null, patterns: null });
    }
    // The role itself is no edge of the role graph (a chain never assumes a role it already is), but a
    // role may be allowed to assume itself: asked like any other candidate.
    const self = parts.candidates.universe.principal(target.resource);
    if (self) {
      const grant = decideCaller(parts, self, target, undefined, new Map());
      if (grant.level > Level.DENIED) {
        seeds.set(target.resource, { caller: self, level: grant.level });
        grants.set(target.resource, summarise(target.resource, grant));
      }
    }
    return this.entriesOf(walkBackwards(parts, seeds, this.maxHops).reached, grants);
  }

  private entriesOf(reached: ReadonlyMap<string, Reached>, grants: ReadonlyMap<string, GrantSummary>): IndexEntry[] {
    const entries: IndexEntry[] = [];
    for (const [arn, r] of reached) {
      if (r.level === Level.DENIED) continue;
      // The own grant (0 assumptions) is kept apart from the best decision, which a role may improve:
      // its decision, and what it depends on.
      const grant = r.hops === 0 ? grants.get(arn) : undefined;
      const own = grant && grant.level > Level.DENIED ? grant.level : Level.DENIED;
      const conditional = grant && (own === Level.CONDITIONAL || own === Level.PARTIAL) && grant.conditions.length > 0;
      entries.push({
        arn,
        decision: decisionOfLevel(r.level) as IndexEntry['decision'],
        hops: r.hops,
        bestHops: r.bestHops,
        direct: own > Level.DENIED ? (decisionOfLevel(own) as IndexEntry['decision']) : null,
        conditions: conditional ? grant.conditions : null,
        formula: conditional && own === Level.CONDITIONAL ? grant.formula : null,
        patterns: grant?.patterns && own === Level.PARTIAL ? grant.patterns : null,
      });
      this.note(r.caller);
    }
    entries.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    return entries;
  }

  private note(caller: Caller): void {
    const arn = callerArn(caller);
    if (this.accessors.has(arn)) return;
    const model = this.parts.model;
    const account = callerAccount(caller) ?? null;
    const row = account === null ? undefined : model.accounts.get(account);
    this.accessors.set(arn, {
      arn,
      type: callerType(caller),
      account,
      inOrganization: model.hasOrganization && account !== null ? row?.inOrganization === true : null,
    });
  }
}

function hashEntries(entries: readonly IndexEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.arn}\u0000${entryText(e)}\n`);
  return hash.digest('hex');
}
