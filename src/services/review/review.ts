import {
  DEFAULT_MAX_HOPS,
  atLeastAsSevere,
  type AccessDecision,
  type AccessPath,
  type CallerType,
  type Finding,
  type PartialCoverage,
  type PrincipalAccess,
  type WhoCanAnswer,
} from '../../analysis';
import { isAppError, UserInputError } from '../../errors';
import { principalAccountOf } from '../../policy';
import { globMatches } from './glob';
import { escalationScope, resolveSelection, SelectionError, type Question, type SnapshotInventory } from './resolve';
import { describeExpectation, describeSelection, type PrincipalMatcher, type Rule, type RuleSet, type RuleSeverity } from './rules';
import { indexedAccessDetail, type IndexedHolder } from './indexPaths';
import type { AccessSource, AccountInventory, IndexedAnswers, IndexedEntry, IndexedMember } from './source';

/**
 * `whocan review`: every rule of a rules file checked on one snapshot.
 *
 * 1. Every rule's selection is resolved against the snapshot first; a
 *    selection that names nothing there is a mistake in the rules (reported
 *    with the rule's line, nothing evaluated).
 * 2. Each question is answered once ("who can ACTION on RESOURCE", the
 *    answers of src/analysis/answer.ts, shared by every rule that asks it)
 *    and the rule's expectation is checked on the principals of the answers.
 *    A principal counts when its decision is one the rule counts (`access`,
 *    by default allowed, conditional and partial) and `except` does not name it.
 * 3. Each violation names the principal, why it breaks the rule, and every
 *    access it has in the selection with its decision, conditions and paths.
 */
export interface ReviewOptions {
  /** The snapshot to review (default: the current one). */
  snapshot?: string | undefined;
  /** Role assumptions to follow (default 5; max-hops rules search at least as far as their limit). */
  maxHops?: number | undefined;
  /** Paths listed per violating access (default 3). */
  maxPaths?: number | undefined;
  /** Violations listed per rule (default 50; the rule still counts them all). */
  maxViolations?: number | undefined;
  /** Accesses listed per violation (default 10; the violation still counts them all). */
  maxAccess?: number | undefined;
  /** List every violation and every access (no maxViolations, no maxAccess). */
  all?: boolean | undefined;
  /**
   * Most accesses the whole report lists, over every rule (a server's cap,
   * WHOCAN_MAX_REVIEW_LISTED; default: no such cap). Once it is spent, the
   * remaining rules are still checked and counted but list fewer violations
   * (`truncated`).
   */
  maxListed?: number | undefined;
  /** Only the rules with these ids. */
  only?: readonly string[] | undefined;
  onRule?: ((rule: Rule, index: number, total: number) => void) | undefined;
  /** Questions of a rule answered so far. */
  onProgress?: ((rule: Rule, done: number, total: number) => void) | undefined;
}

/**
 * A principal's access that breaks a rule: its decision, hops, conditions and
 * paths as the answer gave them. Answered from the access index, `partial`
 * carries only the statement patterns that split the method, and each path
 * is the role chain from the stored CAN_ASSUME relationships ending with
 * the last principal's own access (the statements are left out; `whocan
 * paths` names them).
 */
export interface ViolatingAccess extends Pick<PrincipalAccess, 'decision' | 'hops' | 'conditions' | 'paths' | 'morePaths'> {
  partial?: Pick<PartialCoverage, 'patterns'> & Partial<Pick<PartialCoverage, 'allowedRequests' | 'deniedRequests'>>;
  action: string;
  resource: string;
  /** Short name of the resource for reports (`petstore-api/prod GET /pets`). */
  label: string;
  /** no-escalation: the finding. */
  finding?: Pick<Finding, 'id' | 'kind' | 'severity' | 'title' | 'detail' | 'related'>;
}

export interface Violation {
  principal: string;
  principalType: CallerType;
  /** Why this principal breaks the rule. */
  reason: string;
  /** Its accesses that break the rule, in the order of the selection (at most maxAccess unless `all`). */
  access: ViolatingAccess[];
  /** How many accesses break the rule (`access` may list fewer). */
  accessCount: number;
  /** Present when `access` lists fewer than accessCount. */
  truncated?: true;
}

export interface RuleResult {
  id: string;
  description: string | null;
  owner: string | null;
  severity: RuleSeverity;
  /** Where the rule is written. */
  file: string;
  line: number;
  column: number;
  selection: string;
  expectation: string;
  status: 'pass' | 'fail';
  /** One sentence: what was found. */
  summary: string;
  /** Questions asked (methods × stages, APIs × actions, roles; findings for no-escalation). */
  questions: number;
  /** Distinct principals with counted access in the selection. */
  principals: number;
  /** Violations, by principal ARN (at most maxViolations unless `all`). */
  violations: Violation[];
  /** How many violations the rule has (`violations` may list fewer). */
  violationCount: number;
  /** Present when `violations` lists fewer than violationCount, or a violation fewer accesses than it has. */
  truncated?: true;
  /** What answered the rule's questions: the access index (in bulk), or the analysis (one question at a time). */
  answeredFrom: 'index' | 'analysis';
  /** Time spent on this rule. */
  durationMs: number;
}

export interface ReviewReport {
  file: string;
  snapshot: string;
  /** `local database`, or the server URL. */
  origin: string;
  startedAt: string;
  durationMs: number;
  results: RuleResult[];
  /** What is listed: violations per rule and accesses per violation (null: all), paths per access; `total`: most accesses listed over the whole report, when capped (maxListed). */
  limits: { violations: number | null; access: number | null; paths: number; total?: number };
  /** True when some rule lists fewer violations, or some violation fewer accesses, than it has. */
  truncated: boolean;
  /** `violations`: every violation of every rule; `listed`: those the report lists. */
  counts: { rules: number; passed: number; failed: number; violations: number; listed: number };
}

/** Paths asked per principal: enough to tell whether every path goes through a role a rule allows. */
const PATHS_ASKED = 25;
/** What a report lists by default (docs/review.md): violations per rule, accesses per violation. */
export const DEFAULT_MAX_VIOLATIONS = 50;
export const DEFAULT_MAX_ACCESS = 10;

export async function runReview(source: AccessSource, ruleSet: RuleSet, options: ReviewOptions = {}): Promise<ReviewReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const rules = selectRules(ruleSet, options.only);
  const snapshot = await source.resolveSnapshot(options.snapshot);
  const needsApis = rules.some((r) => r.select?.kind === 'invoke' || r.select?.kind === 'manage' || r.expect.kind === 'no-escalation');
  const inventory: SnapshotInventory = {
    apis: needsApis ? await source.apis(snapshot) : [],
    roles: rules.some((r) => r.select?.kind === 'assume') ? await source.roles(snapshot) : [],
  };

  // 1. Resolve every selection before asking anything.
  const problems: string[] = [];
  const questions = new Map<Rule, Question[]>();
  for (const rule of rules) {
    if (!rule.select) continue;
    try {
      questions.set(rule, resolveSelection(rule.select, inventory));
    } catch (error) {
      if (!(error instanceof SelectionError)) throw error;
      const at = rule.selectPosition ?? rule.position;
      problems.push(`${at.file}:${at.line}:${at.column}: rule ${rule.id}: select: ${error.message}`);
    }
  }
  if (problems.length > 0) {
    throw new UserInputError(
      `The rules in ${ruleSet.file} do not fit snapshot ${snapshot} (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was evaluated):`,
      problems,
    );
  }

  // 2. Evaluate.
  const context = new EvaluationContext(source, snapshot, options, inventory);
  const results: RuleResult[] = [];
  for (const [index, rule] of rules.entries()) {
    options.onRule?.(rule, index, rules.length);
    const ruleStarted = Date.now();
    try {
      results.push({ ...(await context.evaluate(rule, questions.get(rule) ?? [])), durationMs: Date.now() - ruleStarted });
    } catch (error) {
      if (isAppError(error) && (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND')) {
        throw new UserInputError(
          `${rule.position.file}:${rule.position.line}:${rule.position.column}: rule ${rule.id}: ${error.message}`,
          error.details,
        );
      }
      throw error;
    }
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  return {
    file: ruleSet.file,
    snapshot,
    origin: source.origin,
    startedAt,
    durationMs: Date.now() - started,
    results,
    limits: {
      violations: finite(context.violationCap),
      access: finite(context.accessCap),
      paths: context.maxPaths,
      ...(options.maxListed !== undefined ? { total: options.maxListed } : {}),
    },
    truncated: results.some((r) => r.truncated === true),
    counts: {
      rules: results.length,
      passed: results.length - failed,
      failed,
      violations: results.reduce((n, r) => n + r.violationCount, 0),
      listed: results.reduce((n, r) => n + r.violations.length, 0),
    },
  };
}

/** The rules with these ids (every rule when none is given); an id the file does not have is a UserInputError naming `option`. */
export function selectRules(ruleSet: RuleSet, only: readonly string[] | undefined, option = '--rule'): Rule[] {
  if (!only || only.length === 0) return ruleSet.rules;
  const unknown = only.filter((id) => !ruleSet.rules.some((r) => r.id === id));
  if (unknown.length > 0)
    throw new UserInputError(
      `${option} ${unknown.join(', ')}: no such rule in ${ruleSet.file}; its rules: ${ruleSet.rules.map((r) => r.id).join(', ')}`,
    );
  return ruleSet.rules.filter((r) => only.includes(r.id));
}

/** What checking a rule found (the rest of a RuleResult describes the rule). */
type RuleOutcome = Pick<
  RuleResult,
  'status' | 'summary' | 'questions' | 'principals' | 'violations' | 'violationCount' | 'truncated' | 'answeredFrom'
>;

/**
 * A principal that breaks a rule, while the rule is checked: its first
 * accesses (at most the cap; answered by the analysis they are complete,
 * answered from the index they are filled in once the report's violations
 * are chosen), and how many it has.
 */
interface Flagged {
  type: CallerType;
  reason: string;
  access: ViolatingAccess[];
  /** From the index: where each listed access comes from (question index, the class entry). */
  held: { question: number; entry: IndexedEntry; set: string }[];
  /** From the index: the question indices of each set it breaks the rule on, with its entry there. */
  hits: { questions: readonly number[]; entry: IndexedEntry; set: string }[];
  accessCount: number;
  minHops: number;
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** The access index key of a question (`<action> <resource>`). */
function targetKey(q: Question): string {
  return `${q.action} ${q.resource}`;
}

/** Whether a rule counts a decision as access. */
function countsAsAccess(rule: Rule, decision: AccessDecision): boolean {
  return decision !== 'denied' && rule.access.includes(decision);
}

/** A principal's access on one question, as the answer gives it. */
interface HeldAccess {
  question: Question;
  access: PrincipalAccess;
}

class EvaluationContext {
  private readonly groups = new Map<string, Promise<string[]>>();
  private accountsMemo: Promise<AccountInventory> | undefined;
  private findingsMemo: Promise<Finding[]> | undefined;
  readonly maxPaths: number;
  /** Violations listed per rule, accesses per violation (Infinity: all). */
  readonly violationCap: number;
  readonly accessCap: number;
  /** Accesses the report may still list (maxListed; Infinity: no cap). */
  private listBudget: number;
  private readonly maxHops: number | undefined;
  private readonly concurrency: number;
  private readonly onProgress: ReviewOptions['onProgress'];

  constructor(
    private readonly source: AccessSource,
    private readonly snapshot: string,
    options: ReviewOptions,
    private readonly inventory: SnapshotInventory,
  ) {
    this.maxPaths = options.maxPaths ?? 3;
    this.violationCap = options.all ? Infinity : (options.maxViolations ?? DEFAULT_MAX_VIOLATIONS);
    this.accessCap = options.all ? Infinity : (options.maxAccess ?? DEFAULT_MAX_ACCESS);
    this.listBudget = options.maxListed ?? Infinity;
    this.maxHops = options.maxHops;
    this.concurrency = Math.max(1, source.concurrency ?? 1);
    this.onProgress = options.onProgress;
  }

  private ask(question: Question, rule: Rule, maxHops: number | undefined, maxPaths: number): Promise<WhoCanAnswer> {
    const hops = maxHops ?? this.maxHops;
    return this.source.whoCan(question.action, question.resource, {
      snapshot: this.snapshot,
      maxPaths,
      ...(rule.context ? { context: rule.context } : {}),
      ...(hops !== undefined ? { maxHops: hops } : {}),
    });
  }

  private groupsOf(arn: string): Promise<string[]> {
    let pending = this.groups.get(arn);
    if (!pending) {
      pending = this.source.groupsOf(arn, this.snapshot);
      this.groups.set(arn, pending);
    }
    return pending;
  }

  private accounts(): Promise<AccountInventory> {
    this.accountsMemo ??= this.source.accounts(this.snapshot);
    return this.accountsMemo;
  }

  private escalations(): Promise<Finding[]> {
    this.findingsMemo ??= this.source.findings({ snapshot: this.snapshot, kinds: ['escalation-via-apigateway'] }).then((a) => a.findings);
    return this.findingsMemo;
  }

  async matches(m: PrincipalMatcher, principal: { arn: string; type: CallerType }): Promise<boolean> {
    switch (m.kind) {
      case 'arn':
        return globMatches(m.pattern, principal.arn);
      case 'role':
        return principal.type === 'role' && globMatches(m.pattern, principal.arn);
      case 'group':
        return principal.type === 'user' && (await this.groupsOf(principal.arn)).some((g) => globMatches(m.pattern, g));
      case 'account':
        return accountOf(principal.arn) === m.account;
      case 'type':
        return principal.type === m.type;
    }
  }

  private async matchesAny(
    list: readonly PrincipalMatcher[],
    principal: { arn: string; type: CallerType },
  ): Promise<PrincipalMatcher | undefined> {
    for (const m of list) if (await this.matches(m, principal)) return m;
    return undefined;
  }

  private violatingAccess(held: HeldAccess): ViolatingAccess {
    const p = held.access;
    return {
      action: held.question.action,
      resource: held.question.resource,
      label: held.question.label,
      decision: p.decision,
      hops: p.hops,
      conditions: p.conditions,
      ...(p.partial ? { partial: p.partial } : {}),
      paths: p.paths.slice(0, this.maxPaths),
      ...(p.morePaths || p.paths.length > this.maxPaths ? { morePaths: true } : {}),
    };
  }

  async evaluate(rule: Rule, questions: Question[]): Promise<Omit<RuleResult, 'durationMs'>> {
    const base = {
      id: rule.id,
      description: rule.description,
      owner: rule.owner,
      severity: rule.severity,
      file: rule.position.file,
      line: rule.position.line,
      column: rule.position.column,
      selection: describeSelection(rule.select),
      expectation: describeExpectation(rule.expect),
    };
    const expect = rule.expect;
    if (expect.kind === 'no-escalation') return { ...base, ...(await this.escalation(rule, expect.minSeverity)) };

    const hopLimit = expect.kind === 'max-hops' ? Math.max(this.maxHops ?? DEFAULT_MAX_HOPS, expect.max) : undefined;
    // `only` looks at every path (is each one through an allowed role?); the others list a few.
    const pathsAsked = expect.kind === 'only' ? Math.max(PATHS_ASKED, this.maxPaths) : this.maxPaths;
    // Only a method with authorization NONE can be public (docs/analysis.md, "public"): the others need no question.
    const asked =
      expect.kind === 'not-public'
        ? questions.filter((q) => q.authorizationType === undefined || q.authorizationType === 'NONE')
        : questions;
    const accounts = expect.kind === 'no-outside-org' ? await this.accounts() : undefined;

    // Each answer is looked at once, as it comes, and dropped: only what a violation lists is kept.
    const seen = new Set<string>();
    const flagged = new Map<string, Flagged>();
    const flag = (question: Question, p: PrincipalAccess, reason: string) => {
      let entry = flagged.get(p.arn);
      if (!entry) flagged.set(p.arn, (entry = { type: p.type, reason, access: [], held: [], hits: [], accessCount: 0, minHops: p.hops }));
      entry.accessCount++;
      entry.minHops = Math.min(entry.minHops, p.hops);
      if (entry.access.length < this.accessCap) entry.access.push(this.violatingAccess({ question, access: p }));
    };
    let farthest = 0;
    let open = 0;
    const index = await this.indexFor(rule, asked, hopLimit);
    if (index) {
      ({ farthest, open } = await this.collectFromIndex(rule, asked, index, seen, flagged, accounts));
    } else {
      let done = 0;
      for await (const { question, answer } of this.answers(asked, rule, hopLimit, pathsAsked)) {
        this.onProgress?.(rule, ++done, asked.length);
        if (expect.kind === 'not-public') {
          const anonymous = answer.principals.find((p) => p.type === 'anonymous');
          if (answer.public && anonymous && countsAsAccess(rule, anonymous.decision)) {
            open++;
            flag(question, anonymous, '');
          }
          continue;
        }
        for (const p of answer.principals) {
          if (!countsAsAccess(rule, p.decision) || (await this.matchesAny(rule.except, p))) continue;
          seen.add(p.arn);
          switch (expect.kind) {
            case 'only':
              if (await this.matchesAny(expect.principals, p)) break;
              // Access through a role the rule allows is that role's access.
              if (p.hops > 0 && !p.morePaths && (await this.everyPathThroughAllowed(p.paths, expect.principals))) break;
              flag(
                question,
                p,
                `has access but is not allowed by the rule${p.morePaths ? ` (it has more paths than the ${pathsAsked} checked)` : ''}`,
              );
              break;
            case 'forbid': {
              const m = await this.matchesAny(expect.principals, p);
              if (m) flag(question, p, `is forbidden by the rule (${describeMatcherShort(m)})`);
              break;
            }
            case 'nobody':
              flag(question, p, 'has access; the rule allows nobody');
              break;
            case 'no-outside-org': {
              const why = outsideReason(p, accounts!);
              if (why) flag(question, p, why);
              break;
            }
            case 'max-principals':
              flag(question, p, '');
              break;
            case 'max-hops':
              farthest = Math.max(farthest, p.hops + 1);
              if (p.hops + 1 > expect.max) flag(question, p, '');
              break;
          }
        }
      }
    }

    const n = questions.length;
    const what = describeQuestions(questions);
    const flaggedCount = flagged.size;
    let chosen = [...flagged].sort(([a], [b]) => a.localeCompare(b));
    let reasonOf = (_arn: string, v: Flagged) => v.reason;
    let summary: string;
    switch (expect.kind) {
      case 'only':
        summary = flaggedCount
          ? `${plural(flaggedCount, 'principal')} ${flaggedCount === 1 ? 'has' : 'have'} access without being allowed (${what})`
          : `${plural(seen.size, 'principal')} ${seen.size === 1 ? 'has' : 'have'} access, all allowed by the rule (${what})`;
        break;
      case 'forbid':
        summary = flaggedCount
          ? `${plural(flaggedCount, 'forbidden principal')} ${flaggedCount === 1 ? 'has' : 'have'} access (${what})`
          : `no forbidden principal has access (${what})`;
        break;
      case 'nobody':
        summary = flaggedCount
          ? `${plural(flaggedCount, 'principal')} ${flaggedCount === 1 ? 'has' : 'have'} access (${what})`
          : `nobody has access (${what})`;
        break;
      case 'no-outside-org': {
        const org = accounts!.hasOrganization ? `organization ${accounts!.organizationId ?? ''}`.trim() : 'the ingested accounts';
        summary = flaggedCount
          ? `${plural(flaggedCount, 'principal')} outside ${org} ${flaggedCount === 1 ? 'has' : 'have'} access (${what})`
          : `nobody outside ${org} has access (${plural(seen.size, 'principal')}, ${what})`;
        break;
      }
      case 'max-principals':
        if (seen.size <= expect.max) chosen = [];
        else reasonOf = () => `one of ${seen.size} principals with access (at most ${expect.max} allowed)`;
        summary = `${plural(seen.size, 'principal')} ${seen.size === 1 ? 'has' : 'have'} access; at most ${expect.max} allowed (${what})`;
        break;
      case 'max-hops':
        reasonOf = (_arn, v) => `becomes the role in ${plural(v.minHops + 1, 'role assumption')} (at most ${expect.max} allowed)`;
        summary = chosen.length
          ? `${plural(chosen.length, 'principal')} ${chosen.length === 1 ? 'needs' : 'need'} more than ${plural(expect.max, 'role assumption')} (${what}; chains of up to ${hopLimit! + 1} assumptions followed)`
          : seen.size
            ? `every principal becomes the role in at most ${plural(farthest, 'role assumption')} (limit ${expect.max}; ${what})`
            : `nobody can become the role (${what})`;
        break;
      case 'not-public':
        reasonOf = (_arn, v) => `anonymous callers may invoke ${plural(v.accessCount, 'method')} (authorization NONE on a public endpoint)`;
        summary = open
          ? `${open} of ${plural(n, 'method')} ${open === 1 ? 'is' : 'are'} open to anonymous callers`
          : `none of the ${plural(n, 'method')} is open to anonymous callers`;
        break;
    }
    const violationCount = chosen.length;
    const listed = this.listing(chosen, (v) => v.accessCount);
    if (index) await this.fillFromIndex(index, asked, listed);
    const violations: Violation[] = listed.map(([principal, v, n]) => ({
      principal,
      principalType: v.type,
      reason: reasonOf(principal, v),
      access: v.access.slice(0, n),
      accessCount: v.accessCount,
      ...(v.accessCount > n ? { truncated: true as const } : {}),
    }));
    const truncated = violationCount > violations.length || violations.some((v) => v.truncated);
    return {
      ...base,
      status: violationCount ? 'fail' : 'pass',
      summary,
      questions: n,
      principals: expect.kind === 'not-public' ? (open > 0 ? 1 : 0) : seen.size,
      violations,
      violationCount,
      ...(truncated ? { truncated: true as const } : {}),
      answeredFrom: index ? 'index' : 'analysis',
    };
  }

  /**
   * The snapshot's access index, when it can answer every question of the
   * rule exactly: the rule has no request context (the index holds no
   * context; re-deciding conditional entries is the analysis' job here), its
   * expectation needs no more than decisions and hops (`only` looks at every
   * path, `no-escalation` at findings), the questions are asked with the
   * role assumptions the index followed (the index keeps the best decision
   * within its own depth, which a shallower question may not reach), and
   * the index holds every target asked about.
   */
  private async indexFor(
    rule: Rule,
    asked: readonly Question[],
    hopLimit: number | undefined,
  ): Promise<{ reader: IndexedAnswers; sets: string[] } | undefined> {
    if (!this.source.indexed || rule.context !== undefined || rule.expect.kind === 'only' || rule.expect.kind === 'no-escalation')
      return undefined;
    const reader = await this.source.indexed(this.snapshot);
    if (!reader || (hopLimit ?? this.maxHops ?? DEFAULT_MAX_HOPS) !== reader.maxHops) return undefined;
    const targets = await reader.targets(asked.map(targetKey));
    const sets: string[] = [];
    for (const q of asked) {
      const t = targets.get(targetKey(q));
      if (!t) return undefined;
      sets.push(t.set);
    }
    return { reader, sets };
  }

  /**
   * The rule checked on the index, without reading every answer into
   * memory: the classes of callers the selected answers list (each answer
   * once for every question that shares it, found by Neo4j), each class
   * checked once, then the answers of only the classes that break the rule.
   * A violation keeps the questions it breaks the rule on; its listed
   * accesses are filled in later (fillFromIndex) for the violations a report
   * lists.
   */
  private async collectFromIndex(
    rule: Rule,
    asked: readonly Question[],
    index: { reader: IndexedAnswers; sets: string[] },
    seen: Set<string>,
    flagged: Map<string, Flagged>,
    accounts: AccountInventory | undefined,
  ): Promise<{ farthest: number; open: number }> {
    const expect = rule.expect;
    const { reader } = index;
    const bySet = new Map<string, number[]>();
    index.sets.forEach((set, i) => {
      const list = bySet.get(set);
      if (list) list.push(i);
      else bySet.set(set, [i]);
    });
    const sets = [...bySet.keys()];
    // 1. The classes of callers the answers list with a decision the rule counts (read in Neo4j: the answers × classes stay there).
    const classHops = await reader.classesIn(sets, rule.access, {
      hops: expect.kind === 'max-hops',
      onProgress: (doneSets) =>
        this.onProgress?.(
          rule,
          sets.slice(0, doneSets).reduce((n, s) => n + bySet.get(s)!.length, 0),
          asked.length,
        ),
    });
    const members = await reader.members([...classHops.keys()]);

    // 2. Each class once: its members that count (not excepted), and why each breaks the rule (null: it does not, whatever it reaches).
    const classes = new Map<string, { member: IndexedMember; why: string | null }[]>();
    let farthest = 0;
    for (const [cls, hops] of classHops) {
      const list: { member: IndexedMember; why: string | null }[] = [];
      for (const m of members.get(cls) ?? []) {
        if (expect.kind === 'not-public') {
          // Only anonymous callers make a method public (and except does not apply to them here, as for answers).
          if (m.type === 'anonymous') list.push({ member: m, why: '' });
          continue;
        }
        if (await this.matchesAny(rule.except, m)) continue;
        seen.add(m.arn);
        let why: string | null = '';
        if (expect.kind === 'forbid') {
          const matcher = await this.matchesAny(expect.principals, m);
          why = matcher ? `is forbidden by the rule (${describeMatcherShort(matcher)})` : null;
        } else if (expect.kind === 'no-outside-org') why = outsideReason(m, accounts!) ?? null;
        else if (expect.kind === 'nobody') why = 'has access; the rule allows nobody';
        else if (expect.kind === 'max-hops' && hops + 1 <= expect.max) why = null;
        list.push({ member: m, why });
      }
      if (expect.kind === 'max-hops' && list.length > 0) farthest = Math.max(farthest, hops + 1);
      if (list.some((x) => x.why !== null)) classes.set(cls, list);
    }

    // 3. Where the classes that break the rule do: the questions of each answer that lists them, with their entry there.
    const targets = expect.kind === 'not-public' ? await reader.targets(asked.map(targetKey)) : undefined;
    const answers = await reader.answersOf([...classes.keys()]);
    let open = 0;
    for (const [cls, list] of classes) {
      const hits: Flagged['hits'] = [];
      for (const entry of answers.get(cls) ?? []) {
        const questions = bySet.get(entry.set);
        if (!questions || !countsAsAccess(rule, entry.decision)) continue;
        if (expect.kind === 'max-hops' && entry.hops + 1 <= expect.max) continue;
        if (expect.kind === 'not-public') {
          const publicOnes = questions.filter((i) => targets!.get(targetKey(asked[i]!))!.public);
          if (publicOnes.length === 0) continue;
          open += publicOnes.length;
          hits.push({ questions: publicOnes, entry, set: entry.set });
        } else hits.push({ questions, entry, set: entry.set });
      }
      if (hits.length === 0) continue;
      const accessCount = hits.reduce((n, h) => n + h.questions.length, 0);
      const minHops = hits.reduce((n, h) => Math.min(n, h.entry.hops), Infinity);
      for (const { member, why } of list) {
        if (why !== null) flagged.set(member.arn, { type: member.type, reason: why, access: [], held: [], hits, accessCount, minHops });
      }
    }
    this.onProgress?.(rule, asked.length, asked.length);
    return { farthest, open };
  }

  /** The listed accesses of the listed violations answered from the index: the first ones in the selection's order, with their conditions and paths. */
  private async fillFromIndex(
    index: { reader: IndexedAnswers },
    asked: readonly Question[],
    listed: [string, Flagged, number][],
  ): Promise<void> {
    for (const [, v, n] of listed) {
      const held = v.hits.flatMap((h) => h.questions.map((question) => ({ question, entry: h.entry, set: h.set })));
      held.sort((a, b) => a.question - b.question);
      v.held = held.slice(0, n);
    }
    const wanted: IndexedHolder[] = listed.flatMap(([arn, v]) =>
      v.held.map((h) => ({ arn, type: v.type, set: h.set, entry: h.entry, question: asked[h.question]! })),
    );
    const details = await indexedAccessDetail(index.reader, wanted, { maxPaths: this.maxPaths, accounts: await this.accounts() });
    let at = 0;
    for (const [, v] of listed) {
      v.access = v.held.map((h) => {
        const d = details[at++]!;
        const q = asked[h.question]!;
        return {
          action: q.action,
          resource: q.resource,
          label: q.label,
          decision: h.entry.decision,
          hops: h.entry.hops,
          conditions: d.conditions,
          ...(h.entry.hops === 0 && h.entry.decision === 'partial' && h.entry.patterns ? { partial: { patterns: h.entry.patterns } } : {}),
          paths: d.paths.slice(0, this.maxPaths),
          ...(d.more || d.paths.length > this.maxPaths ? { morePaths: true } : {}),
        };
      });
    }
  }

  /**
   * The answers to a rule's questions, in order, with up to `concurrency`
   * of them asked at once (a server answers several requests in parallel;
   * the local analysis is one thread either way).
   */
  private async *answers(
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

  /**
   * The violations a rule lists, in order, each with how many of its
   * accesses it lists: at most violationCap of them, at most accessCap
   * accesses each, within what is left of the report's maxListed (spent
   * here; a rule listed once it is gone lists no more violations).
   */
  private listing<T>(chosen: readonly (readonly [string, T])[], accessCount: (v: T) => number): [string, T, number][] {
    const out: [string, T, number][] = [];
    for (const [principal, v] of chosen.slice(0, this.violationCap)) {
      if (this.listBudget <= 0) break;
      const n = Math.min(accessCount(v), this.accessCap, this.listBudget);
      this.listBudget -= n;
      out.push([principal, v, n]);
    }
    return out;
  }

  /** What an escalation finding lets its principal do, in a few words: its title without the principal ("change the authorization of methods of 4 APIs"). */
  private escalationLabel(f: Finding): string {
    return f.title.replace(/^(?:user|role) \S+ can /, '');
  }

  /** Every path goes through a role (assume-role hop) that one of the matchers allows. */
  private async everyPathThroughAllowed(paths: readonly AccessPath[], allowed: readonly PrincipalMatcher[]): Promise<boolean> {
    if (paths.length === 0) return false;
    for (const path of paths) {
      let ok = false;
      for (const hop of path) {
        if (hop.kind === 'assume-role' && (await this.matchesAny(allowed, { arn: hop.to, type: 'role' }))) {
          ok = true;
          break;
        }
      }
      if (!ok) return false;
    }
    return true;
  }

  /**
   * escalation-via-apigateway findings (of the rule's APIs, at or above its
   * severity): the principal of each, and whoever can become that principal
   * when it is a role.
   */
  private async escalation(rule: Rule, minSeverity: RuleSeverity): Promise<RuleOutcome> {
    const scope = escalationScope(rule, this.inventory.apis);
    const findings = (await this.escalations()).filter(
      (f) =>
        f.principal !== null &&
        atLeastAsSevere(f.severity, minSeverity) &&
        (scope === null ||
          [...scope].some(
            (api) => f.resource === api || f.resource.startsWith(`${api}#`) || f.resource.startsWith(`${api}/`) || f.related.includes(api),
          )),
    );
    const byPrincipal = new Map<string, { type: CallerType; reason: string; access: ViolatingAccess[] }>();
    const add = (arn: string, type: CallerType, reason: string, access: ViolatingAccess) => {
      const entry = byPrincipal.get(arn) ?? { type, reason, access: [] };
      entry.access.push(access);
      byPrincipal.set(arn, entry);
    };
    let questions = 0;
    const principals = new Set<string>();
    for (const f of findings) {
      const arn = f.principal!;
      const type: CallerType = /:role\//.test(arn) ? 'role' : 'user';
      if (await this.matchesAny(rule.except, { arn, type })) continue;
      const finding = { id: f.id, kind: f.kind, severity: f.severity, title: f.title, detail: f.detail, related: f.related };
      const label = this.escalationLabel(f);
      if (countsAsAccess(rule, f.decision)) {
        principals.add(arn);
        add(arn, type, 'can escalate through API Gateway', {
          action: f.kind,
          resource: f.resource,
          label,
          decision: f.decision,
          hops: 0,
          conditions: f.conditions,
          paths: f.paths.slice(0, this.maxPaths),
          finding,
        });
      }
      if (type !== 'role') continue;
      // Whoever can become the role can do what it does.
      questions++;
      const chain = await this.ask({ action: 'sts:AssumeRole', resource: arn, label: `assume ${arn}` }, rule, undefined, this.maxPaths);
      for (const p of chain.principals) {
        if (!countsAsAccess(rule, p.decision) || (await this.matchesAny(rule.except, p))) continue;
        principals.add(p.arn);
        add(p.arn, p.type, 'can escalate through API Gateway by becoming a role that can', {
          action: f.kind,
          resource: f.resource,
          label: `${label}, as ${arn.replace(/^.*:role\/(?:.*\/)?/, 'role/')}`,
          decision: p.decision,
          hops: p.hops + 1,
          conditions: p.conditions,
          paths: p.paths.slice(0, this.maxPaths),
          ...(p.morePaths || p.paths.length > this.maxPaths ? { morePaths: true } : {}),
          finding,
        });
      }
    }
    const all = [...byPrincipal].sort(([a], [b]) => a.localeCompare(b));
    const violations: Violation[] = this.listing(all, (v) => v.access.length).map(([principal, v, n]) => ({
      principal,
      principalType: v.type,
      reason: v.reason,
      access: v.access.slice(0, n),
      accessCount: v.access.length,
      ...(v.access.length > n ? { truncated: true as const } : {}),
    }));
    const truncated = all.length > violations.length || violations.some((v) => v.truncated);
    const where = scope === null ? 'every API' : `${plural(scope.size, 'API')}`;
    return {
      status: all.length ? 'fail' : 'pass',
      summary: all.length
        ? `${plural(all.length, 'principal')} can escalate through API Gateway (${plural(findings.length, 'finding')} on ${where})`
        : `no escalation through API Gateway on ${where}${minSeverity === 'low' ? '' : ` at severity ${minSeverity} or higher`}`,
      questions: questions + 1,
      principals: principals.size,
      violations,
      violationCount: all.length,
      ...(truncated ? { truncated: true as const } : {}),
      answeredFrom: 'analysis',
    };
  }
}

/** The account of an IAM/STS ARN (`*` for "any account"), undefined for services and anonymous callers: `principalAccountOf`. */
export function accountOf(arn: string): string | undefined {
  return principalAccountOf(arn);
}

/** Why a principal is outside the organization (or, without one, outside the ingested accounts); undefined when it is not. */
export function outsideReason(p: { arn: string; type: CallerType }, accounts: AccountInventory): string | undefined {
  if (p.type === 'anonymous') return 'anonymous callers: anyone, inside the organization or not';
  const account = accountOf(p.arn);
  if (account === undefined) return undefined; // AWS services act for the account that granted them.
  if (account === '*') return 'any AWS account: the policy names "*"';
  const row = accounts.accounts.find((a) => a.id === account);
  if (accounts.hasOrganization) {
    return row?.inOrganization
      ? undefined
      : `account ${account}${row?.name ? ` (${row.name})` : ''} is not in organization ${accounts.organizationId ?? ''}`.trimEnd();
  }
  return row?.ingested ? undefined : `account ${account} is not one of the ingested accounts (the snapshot has no organization)`;
}

function describeMatcherShort(m: PrincipalMatcher): string {
  switch (m.kind) {
    case 'arn':
      return m.pattern;
    case 'group':
      return `member of ${m.pattern}`;
    case 'role':
      return `role ${m.pattern}`;
    case 'account':
      return `account ${m.account}`;
    case 'type':
      return `a ${m.type}`;
  }
}

function describeQuestions(questions: Question[]): string {
  const kinds = new Set(questions.map((q) => q.action));
  const n = questions.length;
  if (kinds.size === 1 && kinds.has('execute-api:Invoke')) return `${plural(n, 'method')} checked`;
  if (kinds.size === 1 && kinds.has('sts:AssumeRole')) return `${plural(n, 'role')} checked`;
  return `${plural(n, 'question')} checked`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
