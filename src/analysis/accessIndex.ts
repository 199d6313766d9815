import { createHash } from 'node:crypto';
import { parsePolicy, statementMatchesAction, truthToJson, type CompiledPolicy, type CompiledStatement } from '../policy';
import type { AccessModel, ApiEntry } from './accessModel';
import type { AccessDecision, ConditionSummary } from './answer';
import { literalPrefixAgrees } from './candidates';
import { callerAccount, callerArn, callerType, type Caller, type CallerType } from './decide';
import { methodStageTarget, methodTemplateArn, resolveTarget, type Target } from './targets';
import { DEFAULT_MAX_HOPS, decideCaller, decideGrants, patternCoversPrefix, propagate, type AnalysisParts, type Grant, type Level } from './whoCan';
import type { Work } from './work';

/**
 * The organization-wide access index: for every indexed action and
 * resource, everyone with access within `maxHops` role assumptions, with the
 * decision and the shortest hop count. Computed once per snapshot by the
 * per-question analysis itself (`decideGrants` and `propagate` of
 * whoCan.ts, the same engine calls and the same rules), and kept compact:
 *
 * - **Targets treated alike share one answer.** Before a target is decided,
 *   every statement of the snapshot that covers its action (identity
 *   policies, boundaries, SCPs, RCPs, the resource policy) is classified
 *   against it: its Resource element matches every request of the target, or
 *   none of them. Targets of one account and region (the engine derives
 *   `aws:RequestedRegion` from the resource ARN) with the same resource
 *   policy, authorization and endpoint type whose matching statements are
 *   the same statements get the same decision from the engine for every
 *   caller (IUG, "Policy evaluation logic": a statement takes part in a
 *   decision only when the request matches its Action and Resource), so the
 *   first one is decided and the others reuse its answer. Methods of private
 *   APIs are decided one by one: the VPC endpoint policies they are called
 *   through may name single methods. A statement that matches only some
 *   requests of a method template (a `partial` answer), or a Resource with a
 *   policy variable, leaves the target to be decided on its own. Answers that
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
  /** Own grants (hops 0) that hold only under conditions: what they depend on, as answers show it. */
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
  stats: { targets: number; sets: number; decided: number; shared: number; entries: number; ms: number };
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

/** The index of a snapshot, computed straight through. */
export function buildAccessIndex(parts: AnalysisParts, options: IndexOptions = {}): AccessIndex {
  const work = buildAccessIndexWork(parts, options);
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/** The same as work that yields between targets (see work.ts). */
export function* buildAccessIndexWork(parts: AnalysisParts, options: IndexOptions = {}): Work<AccessIndex> {
  const started = performance.now();
  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  const model = parts.model;
  const specs = indexTargets(model);
  const sets: IndexEntry[][] = [];
  const setByHash = new Map<string, number>();
  const setByClass = new Map<string, number>();
  const targets: IndexTarget[] = [];
  const accessors = new Map<string, IndexAccessor>();
  const statements = new StatementCatalog(model);
  let decided = 0;
  let shared = 0;
  let done = 0;
  let lastReport = 0;
  const report = (step: string) => {
    const now = performance.now();
    if (options.onProgress && (now - lastReport > 200 || done === specs.length)) {
      lastReport = now;
      options.onProgress({ done, total: specs.length, step });
    }
  };

  const store = (entries: IndexEntry[]): number => {
    const hash = hashEntries(entries);
    let id = setByHash.get(hash);
    if (id === undefined) {
      id = sets.length;
      sets.push(entries);
      setByHash.set(hash, id);
    }
    return id;
  };
  const note = (caller: Caller) => {
    const arn = callerArn(caller);
    if (accessors.has(arn)) return;
    const account = callerAccount(caller) ?? null;
    const row = account === null ? undefined : model.accounts.get(account);
    accessors.set(arn, { arn, type: callerType(caller), account, inOrganization: model.hasOrganization && account !== null ? row?.inOrganization === true : null });
  };

  for (const spec of specs) {
    yield;
    const target = spec.target();
    const classKey = isAssume(spec) ? undefined : statements.classKey(target);
    let set = classKey === undefined ? undefined : setByClass.get(classKey);
    if (set === undefined) {
      const { entries, callers } = isAssume(spec) ? assumeEntries(parts, target, maxHops) : targetEntries(parts, target, maxHops);
      for (const caller of callers) note(caller);
      set = store(entries);
      if (classKey !== undefined) setByClass.set(classKey, set);
      decided++;
    } else shared++;
    targets.push(spec.describe(target, sets[set]!, set));
    done++;
    report(spec.kind);
  }
  report('done');
  const entries = sets.reduce((n, s) => n + s.length, 0);
  return { maxHops, targets, sets, accessors, stats: { targets: targets.length, sets: sets.length, decided, shared, entries, ms: Math.round(performance.now() - started) } };
}

function isAssume(spec: TargetSpec): boolean {
  return spec.kind === 'role' && spec.action === 'sts:AssumeRole';
}

const DECISION_OF: Record<Level, AccessDecision> = { 0: 'denied', 1: 'conditional', 2: 'partial', 3: 'allowed' };

/** The answer of one target: the per-question analysis' grants and role walk, without paths. */
function targetEntries(parts: AnalysisParts, target: Target, maxHops: number): { entries: IndexEntry[]; callers: Caller[] } {
  const grants = decideGrants(parts, target, {});
  const result = propagate(parts, grants, { maxHops });
  return entriesOf(result.reached, grants.grants);
}

/**
 * Who can assume a role: the stored CAN_ASSUME relationships into it are the
 * engine's decisions for every caller its trust policy names (assumeGraph.ts),
 * and the role itself is asked; then the same walk backwards as any other
 * answer.
 */
function assumeEntries(parts: AnalysisParts, target: Target, maxHops: number): { entries: IndexEntry[]; callers: Caller[] } {
  const grants = new Map<string, Grant>();
  for (const edge of parts.assumeGraph.incoming(target.resource)) {
    const caller = parts.candidates.universe.byArn.get(edge.from);
    if (!caller) continue;
    grants.set(edge.from, { caller, level: edge.level, decision: { decision: edge.level === 3 ? 'allowed' : 'conditional', conditional: undefined, matchedStatements: [], notes: [] }, conditions: edge.hop.conditions ?? [] });
  }
  // The role itself is no edge of the role graph (a chain never assumes a role it already is), but a
  // role may be allowed to assume itself: asked like any other candidate.
  const self = parts.candidates.universe.principal(target.resource);
  if (self) {
    const grant = decideCaller(parts, self, target, undefined, new Map());
    if (grant.level > 0) grants.set(target.resource, grant);
  }
  const result = propagate(parts, { grants, decisions: 0, candidates: grants.size }, { maxHops });
  return entriesOf(result.reached, grants);
}

function entriesOf(reached: ReadonlyMap<string, { caller: Caller; hops: number; level: Level }>, grants: ReadonlyMap<string, Grant>): { entries: IndexEntry[]; callers: Caller[] } {
  const entries: IndexEntry[] = [];
  const callers: Caller[] = [];
  for (const [arn, r] of reached) {
    if (r.level === 0) continue;
    const grant = r.hops === 0 ? grants.get(arn) : undefined;
    const conditional = grant && (r.level === 1 || r.level === 2) && grant.conditions.length > 0;
    const allowedWhen = grant?.decision.conditional?.allowedWhen;
    entries.push({
      arn,
      decision: DECISION_OF[r.level] as IndexEntry['decision'],
      hops: r.hops,
      conditions: conditional ? grant.conditions : null,
      formula: conditional && r.level === 1 && allowedWhen !== undefined ? truthToJson(allowedWhen) : null,
      patterns: grant?.partial && r.level === 2 ? grant.partial.patterns : null,
    });
    callers.push(r.caller);
  }
  entries.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return { entries, callers };
}

function hashEntries(entries: readonly IndexEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.arn}\u0000${entryText(e)}\n`);
  return hash.digest('hex');
}

interface TargetSpec {
  kind: IndexTargetKind;
  action: string;
  target(): Target;
  describe(target: Target, entries: readonly IndexEntry[], set: number): IndexTarget;
}

function managementArn(api: ApiEntry): string {
  return `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}`;
}

const NO_API = { apiKey: null, apiId: null, apiName: null, apiType: null, endpointType: null, stage: null, methodKey: null, verb: null, path: null, authorizationType: null } as const;

/** Every target the index covers, in a stable order. */
function indexTargets(model: AccessModel): TargetSpec[] {
  const specs: TargetSpec[] = [];
  const apis = [...model.apis.values()].sort((a, b) => (a.row.key < b.row.key ? -1 : 1));
  for (const api of apis) {
    const apiFields = { apiKey: api.row.key, apiId: api.row.id, apiName: api.row.name, apiType: api.row.kind === 'HTTP' ? ('HTTP' as const) : ('REST' as const), endpointType: api.row.endpointType };
    for (const stage of api.stages) {
      for (const method of api.methods) {
        for (const action of INDEXED_METHOD_ACTIONS) {
          specs.push({
            kind: 'method',
            action,
            target: () => methodStageTarget(model, action, api, stage, method),
            describe: (target, entries, set) => ({
              key: `${action} ${target.resource}`,
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
              public: action === 'execute-api:Invoke' && method.authorizationType === 'NONE' && api.row.endpointType !== 'PRIVATE' && entries.some((e) => e.arn === 'anonymous'),
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
        describe: (_t, _e, set) => ({ key: `${action} ${resource}`, action, resource, kind: 'api', account: api.row.account, ...NO_API, ...apiFields, public: false, set }),
      });
    }
  }
  const roleSpec = (action: string, arn: string, account: string): TargetSpec => ({
    kind: 'role',
    action,
    target: () => resolveTarget(model, action, arn),
    describe: (_t, _e, set) => ({ key: `${action} ${arn}`, action, resource: arn, kind: 'role', account, ...NO_API, public: false, set }),
  });
  for (const role of [...model.roles].sort((a, b) => (a.arn < b.arn ? -1 : 1))) specs.push(roleSpec('sts:AssumeRole', role.arn, role.account));
  const integrationRoles = new Set<string>();
  for (const integration of model.integrationsByMethod.values()) if (integration.roleArn && model.principals.get(integration.roleArn)?.kind === 'role') integrationRoles.add(integration.roleArn);
  for (const arn of [...integrationRoles].sort()) specs.push(roleSpec('iam:PassRole', arn, model.principals.get(arn)!.account));
  for (const fn of [...model.functions.values()].sort((a, b) => (a.row.key < b.row.key ? -1 : 1))) {
    const arn = fn.row.key;
    specs.push({
      kind: 'function',
      action: 'lambda:InvokeFunction',
      target: () => resolveTarget(model, 'lambda:InvokeFunction', arn),
      describe: (_t, _e, set) => ({ key: `lambda:InvokeFunction ${arn}`, action: 'lambda:InvokeFunction', resource: arn, kind: 'function', account: fn.row.account, ...NO_API, public: false, set }),
    });
  }
  return specs;
}

/**
 * Every statement of the snapshot that covers an action, with a Resource
 * element, grouped so that the statements that may touch one API are found
 * without scanning the others: by the API prefix their patterns name
 * literally, the rest (patterns with a wildcard before the API id) apart.
 */
interface ActionStatements {
  /** Statement ids (policy object, index) as strings, by statement. */
  ids: Map<CompiledStatement, string>;
  /** Statements whose patterns start with a literal execute-api API prefix (`arn:aws:execute-api:REGION:ACCOUNT:ID/`), by that prefix. */
  byApiPrefix: Map<string, Set<CompiledStatement>>;
  /** The other statements with a Resource element. */
  loose: Set<CompiledStatement>;
}

interface Scope {
  ids: Map<CompiledStatement, string>;
  /** The statements matching every target of the scope, as one short key part (equal lists, equal parts). */
  uniform: string;
  /** The statements to classify per target. */
  rest: CompiledStatement[];
}

const API_PREFIX = /^(arn:[^:*?$]+:execute-api:[^:*?$]+:[^:*?$]+:[^/*?$]+\/)/;

class StatementCatalog {
  private readonly byAction = new Map<string, ActionStatements>();
  private readonly patternMatchers = new Map<string, (resource: string) => boolean>();
  private readonly policies: CompiledPolicy[];

  constructor(private readonly model: AccessModel) {
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
    this.policies = [...policies];
  }

  private statementsFor(action: string): ActionStatements {
    const key = action.toLowerCase();
    let index = this.byAction.get(key);
    if (!index) {
      index = { ids: new Map(), byApiPrefix: new Map(), loose: new Set() };
      let policyId = 0;
      for (const policy of this.policies) {
        policyId++;
        for (let i = 0; i < policy.statements.length; i++) {
          const statement = policy.statements[i]!;
          if (!statement.resource || !statementMatchesAction(statement, key)) continue;
          index.ids.set(statement, `${policyId}.${i}`);
          const el = statement.resource;
          const raws = [...el.values, ...el.dynamic.map((d) => d.raw)];
          for (const raw of raws) {
            const m = API_PREFIX.exec(raw);
            if (m) {
              const prefix = m[1]!.toLowerCase();
              let set = index.byApiPrefix.get(prefix);
              if (!set) index.byApiPrefix.set(prefix, (set = new Set()));
              set.add(statement);
            } else index.loose.add(statement);
          }
        }
      }
      this.byAction.set(key, index);
    }
    return index;
  }

  private matcher(pattern: string): (resource: string) => boolean {
    let m = this.patternMatchers.get(pattern);
    if (!m) {
      // The engine's own Resource matching, for one pattern on its own.
      const el = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: pattern }] }, { type: 'identity', id: 'pattern' }).statements[0]!.resource!;
      m = (resource) => el.staticMatches(resource);
      this.patternMatchers.set(pattern, m);
    }
    return m;
  }

  /** The statements that may be relevant to the target by their literal text alone, and the target's kind: targets with equal class keys have equal rough keys. */
  private readonly scopes = new Map<string, Scope>();
  private readonly uniformIds = new Map<string, string>();

  /**
   * The statements that may touch targets of one scope (the methods of one
   * API; the resources of one service, region and account), found once per
   * scope: those with a pattern `L*` covering the whole scope match every
   * target in it alike (`uniform`); the others (`rest`) are classified per
   * target.
   */
  private scope(target: Target): Scope {
    const index = this.statementsFor(target.action);
    const method = target.method;
    const prefix = method ? `${method.api.row.executeApiArn}/` : target.resource.split(':').slice(0, 5).join(':') + ':';
    const key = `${target.action.toLowerCase()}|${prefix}`;
    let scope = this.scopes.get(key);
    if (!scope) {
      const candidates = new Set<CompiledStatement>(index.loose);
      if (method) for (const st of index.byApiPrefix.get(prefix.toLowerCase()) ?? []) candidates.add(st);
      else for (const set of index.byApiPrefix.values()) for (const st of set) candidates.add(st);
      const uniform: string[] = [];
      const rest: CompiledStatement[] = [];
      for (const statement of candidates) {
        const el = statement.resource!;
        if (el.values.some((p) => patternCoversPrefix(p, prefix))) uniform.push(index.ids.get(statement)!);
        else if (el.values.some((p) => literalPrefixAgrees(p, prefix)) || el.dynamic.some((d) => literalPrefixAgrees(d.raw, prefix))) rest.push(statement);
      }
      // Interned: the list may be long, and every target's key carries it.
      const text = uniform.sort().join(',');
      let id = this.uniformIds.get(text);
      if (id === undefined) this.uniformIds.set(text, (id = `u${this.uniformIds.size}`));
      scope = { ids: index.ids, uniform: id, rest };
      this.scopes.set(key, scope);
    }
    return scope;
  }

  private head(target: Target): string {
    const method = target.method;
    const policyId = target.resourcePolicy ? target.resourcePolicy.source.id : '-';
    // The partition, service and region of the resource ARN: the engine derives request keys from them
    // (aws:RequestedRegion is the region of an execute-api, apigateway or lambda resource; IAM's endpoint
    // region follows the partition), so targets in different regions are never treated alike.
    const arnScope = target.resource.split(':').slice(1, 4).join(':');
    return method
      ? `${target.action}|${target.resourceAccount}|${arnScope}|${policyId}|${method.authorizationType}|${method.endpointType}`
      : `${target.action}|${target.resourceAccount}|${arnScope}|${policyId}`;
  }

  /**
   * What decides the target on the resource side of matching: the
   * statements whose Resource element matches every request of it, with the
   * account, the resource policy, and (for methods) the authorization and
   * endpoint type. Undefined when a statement matches only some requests or
   * has a policy variable that may match: the target is decided on its own.
   */
  classKey(target: Target): string | undefined {
    const method = target.method;
    // A private API's method is decided through the VPC endpoints of its account and region, whose
    // policies may name single methods and are not among the statements classified here: each such
    // method is decided on its own.
    if (method && (method.api.row.endpointType === 'PRIVATE' || method.endpoints !== undefined)) return undefined;
    const scope = this.scope(target);
    // A method template serving several requests (an ANY verb, path parameters) is classified only where
    // it is cheap: a pattern covering its fixed prefix matches all of it, one disagreeing with the prefix
    // none; any other pattern would need the coverage automaton, so the target is decided on its own.
    // A single request (a template without parameters, or any other resource) is matched exactly.
    const manyRequests = method !== undefined && method.templateLevel && (method.method.verb === 'ANY' || method.method.verb === '*' || method.method.path.includes('{'));
    const matching: string[] = [];
    for (const statement of scope.rest) {
      const el = statement.resource!;
      for (const d of el.dynamic) if (literalPrefixAgrees(d.raw, target.literalPrefix)) return undefined;
      let all = false;
      let some = false;
      for (const pattern of el.values) {
        if (!literalPrefixAgrees(pattern, target.literalPrefix)) continue;
        if (patternCoversPrefix(pattern, target.literalPrefix)) all = true;
        else if (manyRequests) return undefined;
        else {
          const match = this.matcher(pattern);
          const hits = target.requests.filter(match).length;
          if (hits === target.requests.length) all = true;
          else if (hits > 0) some = true;
        }
      }
      if (!all && some) return undefined;
      if (all) matching.push(scope.ids.get(statement)!);
    }
    matching.sort();
    return `${this.head(target)}|${scope.uniform}|${matching.join(',')}`;
  }
}

/** The index as rows for the graph (accessIndexStore.ts writes them). */
export interface AccessIndexRows {
  accessors: { key: string; arn: string; type: CallerType; account: string | null; inOrganization: boolean | null; accessClass: string }[];
  classes: { key: string; size: number }[];
  sets: { key: string; principals: number; action: string }[];
  targets: (Omit<IndexTarget, 'set'> & { accessSet: string })[];
  access: { from: string; to: string; decision: IndexEntry['decision']; hops: number; conditions: string | null; formula: string | null; patterns: string[] | null }[];
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
    accessors.push({ key: arn, arn, type: a?.type ?? 'anonymous', account: a?.account ?? null, inOrganization: a?.inOrganization ?? null, accessClass: cls.key });
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
  return `${e.decision}\u0000${e.hops}\u0000${e.conditions ? JSON.stringify(e.conditions) : ''}\u0000${e.formula ? JSON.stringify(e.formula) : ''}\u0000${e.patterns ? e.patterns.join('\u0001') : ''}`;
}
