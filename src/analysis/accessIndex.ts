import { createHash } from 'node:crypto';
import {
  compileResidual,
  parsePolicy,
  statementMatchesAction,
  truthToJson,
  type CompiledPolicy,
  type CompiledStatement,
  type Residual,
} from '../policy';
import type { AccessModel, ApiEntry } from './accessModel';
import type { AccessDecision, ConditionSummary } from './answer';
import { literalPrefixAgrees } from './candidates';
import { callerAccount, callerArn, callerPolicyViews, callerType, targetEquivalence, type Caller, type CallerType } from './decide';
import { endpointNamedCallers } from './endpoints';
import { decisionOfLevel, Level } from './levels';
import { methodStageTarget, methodTemplateArn, resolveTarget, type Target } from './targets';
import {
  DEFAULT_MAX_HOPS,
  candidateCallers,
  decideCaller,
  decideGrants,
  sharingAllowed,
  walkBackwards,
  type AnalysisInputs,
  type DecisionInputs,
  type CallerGrant,
  type Reached,
} from './whoCan';
import { runToEnd, type Work } from './work';

/**
 * The organization-wide access index: for every indexed action and
 * resource, everyone with access within `maxHops` role assumptions, with the
 * decision and the shortest hop count. Computed once per snapshot by the
 * per-question analysis itself (`decideGrants` and `walkBackwards` of
 * whoCan/, the same engine calls and the same rules; the jobs may be
 * decided on worker threads, accessIndexThreads.ts), and kept compact:
 *
 * - **Targets treated alike share one answer.** Before anything is decided,
 *   the plan (`planAccessIndex`) gives each target a class key from the
 *   Resource and NotResource patterns of every statement that covers its
 *   action (StatementCatalog): the patterns that match a single request, or
 *   for a method template their residuals after `<API ARN>/<stage>/`, with
 *   the account, region, resource policy, authorization and endpoint type.
 *   Targets with one key get the same decision from the engine for every
 *   caller (IUG, "Policy evaluation logic": a statement takes part in a
 *   decision only when the request matches its Action and Resource), so one
 *   of them (a job) is decided and the others reuse its answer. Answers that
 *   come out equal are stored once as well (an `AccessSet`).
 * - **Principals treated alike share one entry.** Callers whose rows over
 *   every answer are the same (same answers, decisions, hop counts and
 *   conditions) form one `AccessClass`; an answer lists classes.
 *
 * Covered: `execute-api:Invoke` and `execute-api:InvalidateCache` on every
 * method × stage; `apigateway:POST|PUT|PATCH|DELETE` on every API;
 * `sts:AssumeRole` on every role (the stored CAN_ASSUME relationships walked
 * backwards); `lambda:InvokeFunction` on every function; `iam:PassRole` on
 * every role an integration runs as. Root users are left out (as answers
 * leave them out by default); request context is not given (conditional
 * entries keep their formula).
 */

export const INDEXED_MANAGEMENT_ACTIONS = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'] as const;
export const INDEXED_METHOD_ACTIONS = ['execute-api:Invoke', 'execute-api:InvalidateCache'] as const;

export type IndexTargetKind = 'method' | 'api' | 'role' | 'function';

export interface IndexTarget {
  /** `<action> <resource>`: unique within the snapshot. */
  key: string;
  action: string;
  /** The method template ARN, the API's management ARN, the role or function ARN. */
  resource: string;
  kind: IndexTargetKind;
  /** The account the resource belongs to. */
  account: string;
  apiKey: string | null;
  apiId: string | null;
  apiName: string | null;
  apiType: 'REST' | 'HTTP' | null;
  endpointType: string | null;
  stage: string | null;
  methodKey: string | null;
  /** GET, …, ANY, `$default`. */
  verb: string | null;
  path: string | null;
  authorizationType: string | null;
  /** Open to anonymous callers from the internet (authorization NONE, not private, and the resource policy may allow them). */
  public: boolean;
  /** The answer it shares. */
  set: number;
}

export interface IndexEntry {
  /** The caller's ARN (as answers name it). */
  arn: string;
  decision: Exclude<AccessDecision, 'denied'>;
  hops: number;
  /** The fewest assumptions that give the best decision (hops gives the first access, perhaps a weaker one). */
  bestHops: number;
  /** The caller's own grant on the target (0 assumptions), which may be weaker than its best decision; null without one. */
  direct: Exclude<AccessDecision, 'denied'> | null;
  /** Own grants that hold only under conditions: what they depend on, as answers show it. */
  conditions: ConditionSummary[] | null;
  /** The engine's formula for the own grant (policy/logic/truth.ts TruthJson), for conditional grants decided on one request. */
  formula: unknown;
  /** Partial own grants: the statement patterns that split the method. */
  patterns: string[] | null;
}

export interface IndexAccessor {
  arn: string;
  type: CallerType;
  account: string | null;
  /** The caller's account is a member of the snapshot's organization (null: no organization in the snapshot, or no account). */
  inOrganization: boolean | null;
}

export interface AccessIndex {
  maxHops: number;
  targets: IndexTarget[];
  /** Answers, by set id (index in the array): their entries, sorted by ARN. */
  sets: IndexEntry[][];
  accessors: Map<string, IndexAccessor>;
  /**
   * `decided`: targets decided (the others `shared` a decided target's answer); `decisions`: engine
   * decisions made on them, `reusedDecisions`: decisions reused from another target (DecisionMemo).
   */
  stats: {
    targets: number;
    sets: number;
    decided: number;
    shared: number;
    entries: number;
    decisions: number;
    reusedDecisions: number;
    threads: number;
    ms: number;
  };
}

export interface IndexProgress {
  done: number;
  total: number;
  step: string;
}

export interface IndexOptions {
  maxHops?: number;
  onProgress?: (progress: IndexProgress) => void;
}

/**
 * A caller decided on a target itself (0 assumptions), as plain data: what
 * the index keeps of a grant. It crosses threads (accessIndexThreads.ts).
 */
export interface GrantSummary {
  arn: string;
  level: Level;
  conditions: ConditionSummary[];
  /** The engine's formula for a conditional grant (TruthJson), when it has one. */
  formula: unknown;
  /** The statement patterns that split a partially allowed method. */
  patterns: string[] | null;
}

/**
 * What the build does, decided before any caller is: every target in a
 * stable order, and for each the job (the first target of its class, see
 * StatementCatalog) whose decisions it shares; role assumptions are walked
 * on the role graph instead (job -1).
 */
export interface IndexPlan {
  specs: TargetSpec[];
  /** How the snapshot's patterns match each target (memo keys of DecisionMemo). */
  catalog: StatementCatalog;
  /** The job of each spec, or -1 (sts:AssumeRole). */
  jobOf: Int32Array;
  /** Spec index of each job's target. */
  jobs: number[];
}

export function planAccessIndex(model: AccessModel): IndexPlan {
  const specs = indexTargets(model);
  const statements = new StatementCatalog(model);
  const jobOf = new Int32Array(specs.length);
  const jobs: number[] = [];
  const jobByClass = new Map<string, number>();
  specs.forEach((spec, i) => {
    if (isAssume(spec)) {
      jobOf[i] = -1;
      return;
    }
    const classKey = statements.classKey(spec.target());
    let job = classKey === undefined ? undefined : jobByClass.get(classKey);
    if (job === undefined) {
      job = jobs.length;
      jobs.push(i);
      if (classKey !== undefined) jobByClass.set(classKey, job);
    }
    jobOf[i] = job;
  });
  return { specs, catalog: statements, jobOf, jobs };
}

/**
 * Decisions kept across the targets one thread decides. A caller's decision
 * on a target depends on the caller (its ARN, or the key of callers the
 * engine cannot tell apart on this target, `targetEquivalence`), the
 * target's head (action, account, region, resource policy, authorization,
 * endpoint type and channels; a method template's shape), and how each
 * Resource and NotResource pattern of the policies read for it (its own
 * statements that may apply, its boundary and SCPs, the resource policy, the
 * RCPs and VPC endpoint policies) matches the target's requests: matched or
 * not for a single request, the residual after `<API ARN>/<stage>/` for a
 * template (TargetTokens). Equal keys, equal decisions, so a caller class
 * decided on one method is not decided again on the next method that its
 * patterns treat alike, even where other callers' patterns tell the two
 * methods apart. Bounded: cleared when it holds `limit` decisions.
 */
export class DecisionMemo {
  private readonly decisions = new Map<string, Omit<GrantSummary, 'arn'>>();
  /** Engine decisions made, and reused from another target. */
  made = 0;
  reused = 0;

  constructor(private readonly limit = 300_000) {}

  get(key: string): Omit<GrantSummary, 'arn'> | undefined {
    const found = this.decisions.get(key);
    if (found) this.reused++;
    return found;
  }

  set(key: string, decision: Omit<GrantSummary, 'arn'>): void {
    if (this.decisions.size >= this.limit) this.decisions.clear();
    this.decisions.set(key, decision);
  }
}

/**
 * The engine's decisions on one target of the plan: the candidates decided
 * on it (callers it cannot tell apart decided once, as decideGrants does),
 * those with access. With a memo, decisions are reused across targets.
 */
export function decideJob(parts: DecisionInputs, plan: IndexPlan, specIndex: number, memo?: DecisionMemo): GrantSummary[] {
  const target = plan.specs[specIndex]!.target();
  const out: GrantSummary[] = [];
  if (!memo) {
    for (const [arn, grant] of decideGrants(parts, target, {}).grants) if (grant.level > Level.DENIED) out.push(summarise(arn, grant));
    return out;
  }
  const { model } = parts;
  const sharing = sharingAllowed(parts, target);
  const namedOneByOne = sharing ? parts.candidates.namedCallers(target.resourcePolicy, target.action).callers : undefined;
  const endpointNamed = sharing && target.method?.endpoints ? endpointNamedCallers(target.method.endpoints) : undefined;
  const tokens = plan.catalog.tokens(target);
  const probeMemo = new Map<string, string[]>();
  const byClass = new Map<string, Omit<GrantSummary, 'arn'>>();
  for (const caller of candidateCallers(parts, target, {})) {
    const arn = callerArn(caller);
    const eq =
      sharing && !namedOneByOne!.has(caller) && !endpointNamed?.has(arn)
        ? targetEquivalence(model, caller, target.action, target.resourceMayMatch)
        : undefined;
    let decision = eq ? byClass.get(eq.key) : undefined;
    if (!decision) {
      const views = callerPolicyViews(model, caller, target.action);
      const key = tokens.memoKey(
        eq ? `class ${eq.key}` : `caller ${arn}`,
        eq ? eq.statements : views.identity.flatMap((p) => p.statements),
        views.limits,
      );
      decision = key === undefined ? undefined : memo.get(key);
      if (!decision) {
        const { arn: _arn, ...decided } = summarise(arn, decideCaller(parts, caller, target, undefined, probeMemo));
        decision = decided;
        memo.made++;
        if (key !== undefined) memo.set(key, decision);
      }
      if (eq) byClass.set(eq.key, decision);
    }
    if (decision.level > Level.DENIED) out.push({ arn, ...decision });
  }
  return out;
}

function summarise(arn: string, grant: CallerGrant): GrantSummary {
  const allowedWhen = grant.decision.conditional?.allowedWhen;
  return {
    arn,
    level: grant.level,
    conditions: grant.conditions,
    formula: allowedWhen !== undefined ? truthToJson(allowedWhen) : null,
    patterns: grant.partial ? grant.partial.patterns : null,
  };
}

/** The index of a snapshot, computed straight through on this thread. */
export function buildAccessIndex(parts: AnalysisInputs, options: IndexOptions = {}): AccessIndex {
  return runToEnd(buildAccessIndexWork(parts, options));
}

/** The same as work that yields between targets (see work.ts). */
export function* buildAccessIndexWork(parts: AnalysisInputs, options: IndexOptions = {}): Work<AccessIndex> {
  const started = performance.now();
  const plan = planAccessIndex(parts.model);
  const assembly = new IndexAssembly(parts, plan, options);
  const memo = new DecisionMemo();
  for (let job = 0; job < plan.jobs.length; job++) {
    yield;
    assembly.decided(job, decideJob(parts, plan, plan.jobs[job]!, memo));
  }
  assembly.countDecisions(memo.made, memo.reused);
  return yield* assembly.finish(started, 1);
}

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

function isAssume(spec: TargetSpec): boolean {
  return spec.kind === 'role' && spec.action === 'sts:AssumeRole';
}

function hashEntries(entries: readonly IndexEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.arn}\u0000${entryText(e)}\n`);
  return hash.digest('hex');
}

export interface TargetSpec {
  kind: IndexTargetKind;
  action: string;
  target(): Target;
  describe(entries: readonly IndexEntry[], set: number): IndexTarget;
}

function managementArn(api: ApiEntry): string {
  return `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}`;
}

const NO_API = {
  apiKey: null,
  apiId: null,
  apiName: null,
  apiType: null,
  endpointType: null,
  stage: null,
  methodKey: null,
  verb: null,
  path: null,
  authorizationType: null,
} as const;

/** Every target the index covers, in a stable order. */
function indexTargets(model: AccessModel): TargetSpec[] {
  const specs: TargetSpec[] = [];
  const apis = [...model.apis.values()].sort((a, b) => (a.row.key < b.row.key ? -1 : 1));
  for (const api of apis) {
    const apiFields = {
      apiKey: api.row.key,
      apiId: api.row.id,
      apiName: api.row.name,
      apiType: api.row.kind === 'HTTP' ? ('HTTP' as const) : ('REST' as const),
      endpointType: api.row.endpointType,
    };
    for (const stage of api.stages) {
      for (const method of api.methods) {
        for (const action of INDEXED_METHOD_ACTIONS) {
          specs.push({
            kind: 'method',
            action,
            target: () => methodStageTarget(model, action, api, stage, method),
            describe: (entries, set) => ({
              key: `${action} ${methodTemplateArn(api, stage, method)}`,
              action,
              resource: methodTemplateArn(api, stage, method),
              kind: 'method',
              account: api.row.account,
              ...apiFields,
              stage: stage.name,
              methodKey: method.key,
              verb: method.verb === '*' ? '$default' : method.verb,
              path: method.path,
              authorizationType: method.authorizationType,
              public:
                action === 'execute-api:Invoke' &&
                method.authorizationType === 'NONE' &&
                api.row.endpointType !== 'PRIVATE' &&
                entries.some((e) => e.arn === 'anonymous'),
              set,
            }),
          });
        }
      }
    }
    for (const action of INDEXED_MANAGEMENT_ACTIONS) {
      const resource = managementArn(api);
      specs.push({
        kind: 'api',
        action,
        target: () => resolveTarget(model, action, resource),
        describe: (_e, set) => ({
          key: `${action} ${resource}`,
          action,
          resource,
          kind: 'api',
          account: api.row.account,
          ...NO_API,
          ...apiFields,
          public: false,
          set,
        }),
      });
    }
  }
  const roleSpec = (action: string, arn: string, account: string): TargetSpec => ({
    kind: 'role',
    action,
    target: () => resolveTarget(model, action, arn),
    describe: (_e, set) => ({ key: `${action} ${arn}`, action, resource: arn, kind: 'role', account, ...NO_API, public: false, set }),
  });
  for (const role of [...model.roles].sort((a, b) => (a.arn < b.arn ? -1 : 1)))
    specs.push(roleSpec('sts:AssumeRole', role.arn, role.account));
  const integrationRoles = new Set<string>();
  for (const integration of model.integrationsByMethod.values())
    if (integration.roleArn && model.principals.get(integration.roleArn)?.kind === 'role') integrationRoles.add(integration.roleArn);
  for (const arn of [...integrationRoles].sort()) specs.push(roleSpec('iam:PassRole', arn, model.principals.get(arn)!.account));
  for (const fn of [...model.functions.values()].sort((a, b) => (a.row.key < b.row.key ? -1 : 1))) {
    const arn = fn.row.key;
    specs.push({
      kind: 'function',
      action: 'lambda:InvokeFunction',
      target: () => resolveTarget(model, 'lambda:InvokeFunction', arn),
      describe: (_e, set) => ({
        key: `lambda:InvokeFunction ${arn}`,
        action: 'lambda:InvokeFunction',
        resource: arn,
        kind: 'function',
        account: fn.row.account,
        ...NO_API,
        public: false,
        set,
      }),
    });
  }
  return specs;
}

/**
 * The Resource and NotResource patterns of every statement of the snapshot
 * that covers an action, as distinct texts (a statement applies to a
 * request when one of its patterns matches it, or, for NotResource, when
 * none does, so requests that every pattern text treats alike are treated
 * alike by every statement). Grouped so that the patterns that may touch one
 * API are found without scanning the others: by the API prefix they name
 * literally; the rest (a wildcard before the API id) apart.
 */
interface ActionPatterns {
  /** Patterns that start with a literal execute-api API prefix (`arn:aws:execute-api:REGION:ACCOUNT:ID/`), by that prefix in lower case. */
  byApiPrefix: Map<string, string[]>;
  /** The other patterns. */
  loose: string[];
}

const API_PREFIX = /^(arn:[^:*?$]+:execute-api:[^:*?$]+:[^:*?$]+:[^/*?$]+\/)/;

/**
 * Classifies targets so that those the engine cannot tell apart share one
 * set of decisions (IUG, "Policy evaluation logic": a statement takes part
 * in a decision only when the request matches its Action and Resource).
 */
export class StatementCatalog {
  private readonly byAction = new Map<string, ActionPatterns>();
  private readonly matchers = new Map<string, (resource: string) => boolean>();
  private readonly residuals = new Map<string, Residual>();
  private readonly prefixSignatures = new Map<string, string>();
  private readonly ids = new Map<string, string>();
  private readonly policies: CompiledPolicy[];

  constructor(readonly model: AccessModel) {
    const policies = new Set<CompiledPolicy>();
    for (const entry of model.principals.values()) {
      for (const ref of entry.identityPolicies) policies.add(ref.policy);
      if (entry.boundary) policies.add(entry.boundary);
    }
    for (const account of model.accounts.keys()) {
      for (const level of model.scpLevels(account) ?? []) for (const p of level) policies.add(p);
      for (const level of model.rcpLevels(account) ?? []) for (const p of level) policies.add(p);
    }
    for (const api of model.apis.values()) if (api.resourcePolicy) policies.add(api.resourcePolicy);
    for (const fn of model.functions.values()) if (fn.resourcePolicy) policies.add(fn.resourcePolicy);
    for (const trust of model.trustPolicies.values()) policies.add(trust);
    // The policies of the VPC endpoints private APIs are called through: one more layer of their decisions.
    for (const endpoint of model.vpcEndpoints) if (endpoint.policy) policies.add(endpoint.policy);
    this.policies = [...policies];
  }

  private patternsFor(action: string): ActionPatterns {
    const key = action.toLowerCase();
    let index = this.byAction.get(key);
    if (!index) {
      const byApiPrefix = new Map<string, Set<string>>();
      const loose = new Set<string>();
      for (const policy of this.policies) {
        for (const statement of policy.statements) {
          if (!statement.resource || !statementMatchesAction(statement, key)) continue;
          const el = statement.resource;
          for (const raw of [...el.values, ...el.dynamic.map((d) => d.raw)]) {
            const m = API_PREFIX.exec(raw);
            if (!m) {
              loose.add(raw);
              continue;
            }
            const prefix = m[1]!.toLowerCase();
            let set = byApiPrefix.get(prefix);
            if (!set) byApiPrefix.set(prefix, (set = new Set()));
            set.add(raw);
          }
        }
      }
      index = { byApiPrefix: new Map([...byApiPrefix].map(([k, v]) => [k, [...v]])), loose: [...loose] };
      this.byAction.set(key, index);
    }
    return index;
  }

  /** The patterns that may touch a target: the loose ones, and for an API method those naming its API. */
  private patternsOf(target: Target): string[] {
    const index = this.patternsFor(target.action);
    const method = target.method;
    if (!method) return index.loose;
    return [...index.loose, ...(index.byApiPrefix.get(`${method.api.row.executeApiArn}/`.toLowerCase()) ?? [])];
  }

  private matcher(pattern: string): (resource: string) => boolean {
    let m = this.matchers.get(pattern);
    if (!m) {
      // The engine's own Resource matching, for one pattern on its own.
      const el = parsePolicy(
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: pattern }] },
        { type: 'identity', id: 'pattern' },
      ).statements[0]!.resource!;
      m = (resource) => el.staticMatches(resource);
      this.matchers.set(pattern, m);
    }
    return m;
  }

  private readonly patternIds = new Map<string, number>();
  private readonly policyPatterns = new Map<string, Map<CompiledPolicy, string[]>>();

  /** The Resource and NotResource patterns of a policy's statements that cover the action. */
  patternsOfPolicy(policy: CompiledPolicy, action: string): string[] {
    const key = action.toLowerCase();
    let byPolicy = this.policyPatterns.get(key);
    if (!byPolicy) this.policyPatterns.set(key, (byPolicy = new Map<CompiledPolicy, string[]>()));
    let list = byPolicy.get(policy);
    if (!list) {
      list = [];
      for (const statement of policy.statements)
        if (statement.resource && statementMatchesAction(statement, key)) list.push(...patternsOfStatement(statement));
      byPolicy.set(policy, list);
    }
    return list;
  }

  patternId(pattern: string): number {
    let id = this.patternIds.get(pattern);
    if (id === undefined) this.patternIds.set(pattern, (id = this.patternIds.size));
    return id;
  }

  /** How every pattern matches one target (see DecisionMemo). */
  tokens(target: Target): TargetTokens {
    return new TargetTokens(this, target);
  }

  /** A single request: does the pattern match it? */
  matches(pattern: string, request: string): boolean {
    return this.matcher(pattern)(request);
  }

  /** The pattern's residual after a prefix (see compileResidual). */
  residual(pattern: string, prefix: string): string | undefined {
    let residual = this.residuals.get(pattern);
    if (!residual) this.residuals.set(pattern, (residual = compileResidual(pattern, 'resource')));
    return residual(prefix);
  }

  /** A short id for a long text (keys stay small; equal texts, equal ids). */
  private intern(text: string): string {
    let id = this.ids.get(text);
    if (id === undefined) this.ids.set(text, (id = `k${this.ids.size}`));
    return id;
  }

  /**
   * What decides the target besides the caller: the head (action, account,
   * region, resource policy; a method's authorization, endpoint type and
   * private channels) and the patterns that match its requests. Undefined
   * when a pattern with a policy variable may match (the target is decided
   * on its own).
   */
  classKey(target: Target): string | undefined {
    const method = target.method;
    // A method template serving several requests (an ANY verb, path parameters): by residuals.
    if (method && (target.requests.length !== 1 || target.requests[0] !== target.resource)) return this.methodClassKey(target, method);
    // A single request, matched exactly against every pattern that may touch it.
    const request = target.requests[0]!;
    const matching: string[] = [];
    for (const pattern of this.patternsOf(target)) {
      if (pattern.includes('${')) {
        if (literalPrefixAgrees(pattern, request)) return undefined;
        continue;
      }
      if (this.matcher(pattern)(request)) matching.push(pattern);
    }
    return `${this.head(target)}|${method ? `${method.api.row.kind}|` : ''}${this.intern(matching.sort().join('\u0000'))}`;
  }

  /** The part of a class key that is not about patterns (TargetTokens starts its keys with it too). */
  head(target: Target): string {
    const policyId = target.resourcePolicy ? target.resourcePolicy.source.id : '-';
    // The partition, service and region of the resource ARN: the engine derives request keys from them
    // (aws:RequestedRegion is the region of an execute-api, apigateway or lambda resource; IAM's endpoint
    // region follows the partition), so targets in different regions are never treated alike.
    const arnScope = target.resource.split(':').slice(1, 4).join(':');
    const method = target.method;
    if (!method) return `${target.action}|${target.resourceAccount}|${arnScope}|${policyId}`;
    // A private API's VPC endpoint channels are its own.
    const channels = method.endpoints !== undefined || method.api.row.endpointType === 'PRIVATE' ? method.api.row.key : '-';
    return `${target.action}|${target.resourceAccount}|${arnScope}|${policyId}|${method.authorizationType}|${method.endpointType}|${channels}`;
  }

  /**
   * Method templates. Every request of a method on a stage is `<api
   * ARN>/<stage>/` followed by a suffix from the method's template. When
   * every pattern has the same residual after two such prefixes
   * (`compileResidual`: the pattern positions still alive), every pattern
   * matches `p1 + x` exactly when it matches `p2 + x`, for every suffix `x`:
   * the engine sees the same statements apply to corresponding requests,
   * whatever the caller. So the stages of an API, and the APIs of one
   * account, region and resource policy, that no pattern tells apart share
   * the answer of each method template they have in common. A pattern with a
   * policy variable, or one whose residual is too large to compute cheaply,
   * makes its prefix unique.
   */
  private methodClassKey(target: Target, method: NonNullable<Target['method']>): string {
    const prefix = `${method.api.row.executeApiArn}/${method.stage.name}/`;
    const shape = `${method.api.row.kind}|${method.method.verb} ${method.method.path}`;
    return `${this.head(target)}|${shape}|${this.prefixSignature(target, prefix)}`;
  }

  /** The residuals of every pattern that may touch the target after the prefix, as one short interned id. */
  private prefixSignature(target: Target, prefix: string): string {
    const key = `${target.action.toLowerCase()}|${prefix}`;
    let id = this.prefixSignatures.get(key);
    if (id !== undefined) return id;
    const parts: string[] = [];
    let unique = false;
    for (const pattern of this.patternsOf(target)) {
      if (pattern.includes('${')) {
        if (literalPrefixAgrees(pattern, prefix)) unique = true;
        continue;
      }
      const state = this.residual(pattern, prefix);
      if (state === undefined) unique = true;
      else if (state !== '') parts.push(`${pattern}\u0000${state}`);
      if (unique) break;
    }
    id = this.intern(unique ? `unique\u0000${prefix}` : parts.sort().join('\u0001'));
    this.prefixSignatures.set(key, id);
    return id;
  }
}

function patternsOfStatement(statement: CompiledStatement): string[] {
  const el = statement.resource;
  return el ? [...el.values, ...el.dynamic.map((d) => d.raw)] : [];
}

/**
 * How the patterns of the snapshot match one target: a token per pattern
 * (empty: matches no request of the target), computed once per pattern.
 * A single request's token is whether the pattern matches it; a method
 * template's, the pattern's residual after `<API ARN>/<stage>/` (the
 * template's shape is part of the head). A pattern with a policy variable
 * that may match, or a residual too large to compute, has no token: the
 * decisions that read it are not reused.
 */
class TargetTokens {
  private readonly byPattern = new Map<string, string | undefined>();
  private readonly byPolicy = new Map<CompiledPolicy, string | undefined>();
  private readonly head: string;
  private readonly resourceSide: string | undefined;
  private readonly request: string | undefined;
  private readonly prefix: string | undefined;

  constructor(
    private readonly catalog: StatementCatalog,
    private readonly target: Target,
  ) {
    const method = target.method;
    const template = method !== undefined && (target.requests.length !== 1 || target.requests[0] !== target.resource);
    this.request = template ? undefined : target.requests[0];
    this.prefix = template ? `${method.api.row.executeApiArn}/${method.stage.name}/` : undefined;
    this.head = `${catalog.head(target)}|${template ? `${method.api.row.kind}|${method.method.verb} ${method.method.path}` : 'single'}`;
    const resourceSide: CompiledPolicy[] = [];
    if (target.resourcePolicy) resourceSide.push(target.resourcePolicy);
    // The RCPs of the resource's account, as the engine reads them; the VPC endpoint policies of a private API.
    if (target.resourceAccount !== undefined)
      for (const level of catalog.model.rcpLevels(target.resourceAccount) ?? []) resourceSide.push(...level);
    for (const channel of method?.endpoints ?? []) if (channel.policy) resourceSide.push(channel.policy);
    this.resourceSide = this.tokensOf(resourceSide.flatMap((p) => catalog.patternsOfPolicy(p, target.action)));
  }

  /** The memo key of a caller on this target; undefined when a pattern it reads has no token. */
  memoKey(caller: string, identity: readonly CompiledStatement[], limits: readonly CompiledPolicy[]): string | undefined {
    if (this.resourceSide === undefined) return undefined;
    const own = this.tokensOf(identity.flatMap(patternsOfStatement));
    if (own === undefined) return undefined;
    const parts: string[] = [];
    for (const policy of limits) {
      let text = this.byPolicy.get(policy);
      if (!this.byPolicy.has(policy))
        this.byPolicy.set(policy, (text = this.tokensOf(this.catalog.patternsOfPolicy(policy, this.target.action))));
      if (text === undefined) return undefined;
      if (text !== '') parts.push(text);
    }
    return `${caller}\u0002${this.head}\u0002${this.resourceSide}\u0002${own}\u0002${parts.join(';')}`;
  }

  private tokensOf(patterns: readonly string[]): string | undefined {
    const live: string[] = [];
    for (const pattern of patterns) {
      const token = this.token(pattern);
      if (token === undefined) return undefined;
      if (token !== '') live.push(`${this.catalog.patternId(pattern)}=${token}`);
    }
    return [...new Set(live)].sort().join(',');
  }

  private token(pattern: string): string | undefined {
    if (this.byPattern.has(pattern)) return this.byPattern.get(pattern);
    let token: string | undefined;
    if (pattern.includes('${')) token = literalPrefixAgrees(pattern, this.request ?? this.prefix!) ? undefined : '';
    else if (this.request !== undefined) token = this.catalog.matches(pattern, this.request) ? '1' : '';
    else token = this.catalog.residual(pattern, this.prefix!);
    this.byPattern.set(pattern, token);
    return token;
  }
}

/** The index as rows for the graph (accessIndexStore.ts writes them). */
export interface AccessIndexRows {
  accessors: { key: string; arn: string; type: CallerType; account: string | null; inOrganization: boolean | null; accessClass: string }[];
  classes: { key: string; size: number }[];
  sets: { key: string; principals: number; action: string }[];
  targets: (Omit<IndexTarget, 'set'> & { accessSet: string })[];
  access: {
    from: string;
    to: string;
    decision: IndexEntry['decision'];
    hops: number;
    bestHops: number;
    direct: IndexEntry['direct'];
    conditions: string | null;
    formula: string | null;
    patterns: string[] | null;
  }[];
}

/**
 * Groups callers whose rows over every answer are the same into classes (an
 * answer then lists classes, not callers), and turns the index into rows.
 */
export function accessIndexRows(index: AccessIndex): AccessIndexRows {
  const setKey = (id: number) => `set:${id}`;
  const rowsOf = new Map<string, { set: number; entry: IndexEntry }[]>();
  index.sets.forEach((entries, set) => {
    for (const entry of entries) {
      let list = rowsOf.get(entry.arn);
      if (!list) rowsOf.set(entry.arn, (list = []));
      list.push({ set, entry });
    }
  });
  const classBySignature = new Map<string, { key: string; size: number; rows: { set: number; entry: IndexEntry }[] }>();
  const accessors: AccessIndexRows['accessors'] = [];
  for (const arn of [...rowsOf.keys()].sort()) {
    const rows = rowsOf.get(arn)!;
    const signature = rows.map(({ set, entry }) => `${set}\u0000${entryText(entry)}`).join('\n');
    let cls = classBySignature.get(signature);
    if (!cls) classBySignature.set(signature, (cls = { key: `class:${classBySignature.size}`, size: 0, rows }));
    cls.size++;
    const a = index.accessors.get(arn);
    accessors.push({
      key: arn,
      arn,
      type: a?.type ?? 'anonymous',
      account: a?.account ?? null,
      inOrganization: a?.inOrganization ?? null,
      accessClass: cls.key,
    });
  }
  const classes: AccessIndexRows['classes'] = [];
  const access: AccessIndexRows['access'] = [];
  for (const cls of classBySignature.values()) {
    classes.push({ key: cls.key, size: cls.size });
    for (const { set, entry } of cls.rows) {
      access.push({
        from: cls.key,
        to: setKey(set),
        decision: entry.decision,
        hops: entry.hops,
        bestHops: entry.bestHops,
        direct: entry.direct,
        conditions: entry.conditions ? JSON.stringify(entry.conditions) : null,
        formula: entry.formula ? JSON.stringify(entry.formula) : null,
        patterns: entry.patterns,
      });
    }
  }
  const actionOfSet = new Map<number, string>();
  for (const t of index.targets) actionOfSet.set(t.set, t.action);
  const sets = index.sets.map((entries, id) => ({ key: setKey(id), principals: entries.length, action: actionOfSet.get(id) ?? '' }));
  const targets = index.targets.map(({ set, ...t }) => ({ ...t, accessSet: setKey(set) }));
  return { accessors, classes, sets, targets, access };
}

function entryText(e: IndexEntry): string {
  return `${e.direct ?? ''}\u0000${e.decision}\u0000${e.hops}\u0000${e.bestHops}\u0000${e.conditions ? JSON.stringify(e.conditions) : ''}\u0000${e.formula ? JSON.stringify(e.formula) : ''}\u0000${e.patterns ? e.patterns.join('\u0001') : ''}`;
}
