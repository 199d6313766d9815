/** The state one review shares across its rules: the source and snapshot, what the report lists (and what is left of its budget), and the lookups asked once for every rule. */
import type { Finding, WhoCanAnswer } from '../../analysis';
import { DEFAULT_MAX_ACCESS, DEFAULT_MAX_VIOLATIONS, type ReviewOptions, type ReviewReport } from './report';
import type { Question, SnapshotInventory } from './resolve';
import type { Rule } from './rules';
import type { AccessSource, AccountInventory } from './source';

/**
 * One review of one snapshot, passed to every stage that checks a rule
 * (evaluate.ts, fromAnswers.ts, fromIndex.ts, escalation.ts): its options,
 * the listing budget every rule spends from, and the memoised groups,
 * accounts and escalation findings.
 */
export class ReviewRun {
  private readonly groups = new Map<string, Promise<string[]>>();
  private accountsMemo: Promise<AccountInventory> | undefined;
  private findingsMemo: Promise<Finding[]> | undefined;
  readonly maxPaths: number;
  /** Violations listed per rule, accesses per violation (Infinity: all). */
  readonly violationCap: number;
  readonly accessCap: number;
  /** Accesses the report may still list (maxListed; Infinity: no cap). */
  private listBudget: number;
  private readonly maxListed: number | undefined;
  readonly maxHops: number | undefined;
  private readonly concurrency: number;
  readonly onProgress: ReviewOptions['onProgress'];

  constructor(
    readonly source: AccessSource,
    readonly snapshot: string,
    options: ReviewOptions,
    readonly inventory: SnapshotInventory,
  ) {
    this.maxPaths = options.maxPaths ?? 3;
    this.violationCap = options.all ? Infinity : (options.maxViolations ?? DEFAULT_MAX_VIOLATIONS);
    this.accessCap = options.all ? Infinity : (options.maxAccess ?? DEFAULT_MAX_ACCESS);
    this.listBudget = options.maxListed ?? Infinity;
    this.maxListed = options.maxListed;
    this.maxHops = options.maxHops;
    this.concurrency = Math.max(1, source.concurrency ?? 1);
    this.onProgress = options.onProgress;
  }

  /** What the report lists (ReviewReport.limits). */
  limits(): ReviewReport['limits'] {
    return {
      violations: finite(this.violationCap),
      access: finite(this.accessCap),
      paths: this.maxPaths,
      ...(this.maxListed !== undefined ? { total: this.maxListed } : {}),
    };
  }

  /** Who can do the question's action on its resource, in the rule's request context. */
  ask(question: Question, rule: Rule, maxHops: number | undefined, maxPaths: number): Promise<WhoCanAnswer> {
    const hops = maxHops ?? this.maxHops;
    return this.source.whoCan(question.action, question.resource, {
      snapshot: this.snapshot,
      maxPaths,
      ...(rule.context ? { context: rule.context } : {}),
      ...(hops !== undefined ? { maxHops: hops } : {}),
    });
  }

  /**
   * The answers to a rule's questions, in order, with up to `concurrency`
   * of them asked at once (a server answers several requests in parallel;
   * the local analysis is one thread either way).
   */
  async *answers(
    questions: readonly Question[],
    rule: Rule,
    maxHops: number | undefined,
    maxPaths: number,
  ): AsyncGenerator<{ question: Question; answer: WhoCanAnswer }> {
    const window: Promise<WhoCanAnswer>[] = [];
    let next = 0;
    const fill = () => {
      while (window.length < this.concurrency && next < questions.length) {
        const pending = this.ask(questions[next++]!, rule, maxHops, maxPaths);
        pending.catch(() => undefined); // awaited below, in order
        window.push(pending);
      }
    };
    fill();
    for (let i = 0; i < questions.length; i++) {
      const answer = await window.shift()!;
      fill();
      yield { question: questions[i]!, answer };
    }
  }

  /** The groups a user is in (asked once per user). */
  groupsOf(arn: string): Promise<string[]> {
    let pending = this.groups.get(arn);
    if (!pending) {
      pending = this.source.groupsOf(arn, this.snapshot);
      this.groups.set(arn, pending);
    }
    return pending;
  }

  /** The snapshot's accounts and organization (asked once). */
  accounts(): Promise<AccountInventory> {
    this.accountsMemo ??= this.source.accounts(this.snapshot);
    return this.accountsMemo;
  }

  /** The snapshot's escalation-via-apigateway findings (asked once). */
  escalations(): Promise<Finding[]> {
    this.findingsMemo ??= this.source.findings({ snapshot: this.snapshot, kinds: ['escalation-via-apigateway'] }).then((a) => a.findings);
    return this.findingsMemo;
  }

  /**
   * The violations a rule lists, in order, each with how many of its
   * accesses it lists: at most violationCap of them, at most accessCap
   * accesses each, within what is left of the report's maxListed (spent
   * here; a rule listed once it is gone lists no more violations).
   */
  listing<T>(chosen: readonly (readonly [string, T])[], accessCount: (v: T) => number): [string, T, number][] {
    const out: [string, T, number][] = [];
    for (const [principal, v] of chosen.slice(0, this.violationCap)) {
      if (this.listBudget <= 0) break;
      const n = Math.min(accessCount(v), this.accessCap, this.listBudget);
      this.listBudget -= n;
      out.push([principal, v, n]);
    }
    return out;
  }
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}
