/**
 * What a security review should look at first, found on the whole snapshot
 * and decided by the engine: FINDING_KIND_DESCRIPTIONS says what each kind
 * of finding is.
 */
import { statementMatchesAction, type CompiledStatement } from '../policy';
import type { ApiEntry, PrincipalEntry } from './accessModel';
import { conditionSummary, statementLabel, type AccessDecision, type AccessPath, type ConditionSummary } from './answer';
import { callerArn, decide, equivalenceKey, type Caller, type Decision } from './decide';
import { APIGATEWAY_SERVICE, decideLambda, integrationHop, methodInfo } from './integrations';
import { methodStageTarget } from './targets';
import { runToEnd, type Work } from './work';
import { decisionOfLevel, Level, levelOf, strongest } from './levels';
import { decideCaller, grantPaths, type AnalysisInputs } from './whoCan';

export type FindingKind =
  | 'public-method'
  | 'open-resource-policy'
  | 'cross-account-grant'
  | 'wildcard-invoke'
  | 'wildcard-manage'
  | 'escalation-via-apigateway'
  | 'broad-integration-role'
  | 'broken-integration';

/** What each kind of finding is about (the GraphQL enum FindingKind describes its values with it). */
export const FINDING_KIND_DESCRIPTIONS: Readonly<Record<FindingKind, string>> = {
  'public-method': 'A method anonymous callers may invoke.',
  'open-resource-policy':
    'An API resource policy that allows "*" (every AWS account, and anonymous callers on methods without IAM authorization).',
  'cross-account-grant': 'An API resource policy that allows another account.',
  // The wildcard kinds are decided on a probe API that does not exist.
  'wildcard-invoke': 'A principal allowed execute-api:Invoke on every API of its account, present and future.',
  'wildcard-manage': 'A principal allowed API Gateway changes on every API of its account, present and future.',
  'escalation-via-apigateway':
    "A principal who can make API Gateway act for it: pass a role trusted by API Gateway and point an integration at it, open a method's authorization, or rewrite an API's resource policy.",
  'broad-integration-role': 'An integration role allowed to invoke more Lambda functions than its integrations call.',
  'broken-integration': 'A method whose backend API Gateway may not call.',
};

/** Every kind of finding, in the order of FINDING_KIND_DESCRIPTIONS. */
export const FINDING_KINDS = Object.keys(FINDING_KIND_DESCRIPTIONS) as readonly FindingKind[];

/** How urgent a finding is: SEVERITY_DESCRIPTIONS says what each severity asks of the reader. */
export type Severity = 'high' | 'medium' | 'low';

/** What each severity asks of the reader (the GraphQL enum Severity describes its values with it). */
export const SEVERITY_DESCRIPTIONS: Readonly<Record<Severity, string>> = {
  high: 'Look at it first.',
  medium: 'Worth a look.',
  low: 'Informational, or already covered by broader rights.',
};

export interface Finding {
  /** Stable across runs on the same data: kind, resource and principal. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  /** One line. */
  title: string;
  /** What it means and what to check. */
  detail: string;
  /** The method, API, role or principal the finding is about. */
  resource: string;
  principal: string | null;
  decision: AccessDecision;
  conditions: ConditionSummary[];
  /** Other ARNs involved (functions reached, APIs, accounts). */
  related: string[];
  paths: AccessPath[];
}

export interface FindingsAnswer {
  findings: Finding[];
  counts: Record<Severity, number>;
  stats: { ms: number; decisions: number };
}

export interface FindingsOptions {
  kinds?: readonly FindingKind[] | undefined;
}

/** Severities by rank, the more severe the higher: the one order of findings, of minimum severities (GraphQL, reviews) and of review thresholds. */
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 1, medium: 2, high: 3 };

/** Is `severity` at least as severe as `minimum`? */
export function atLeastAsSevere(severity: Severity, minimum: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
}
const RELATED_LIMIT = 50;

export function findings(parts: AnalysisInputs, options: FindingsOptions = {}): FindingsAnswer {
  return runToEnd(findingsWork(parts, options));
}

/** The findings as work that yields between APIs, accounts and roles (see work.ts). */
export function* findingsWork(parts: AnalysisInputs, options: FindingsOptions = {}): Work<FindingsAnswer> {
  const started = performance.now();
  const kinds = new Set(options.kinds ?? FINDING_KINDS);
  const out: Finding[] = [];
  const counter = { decisions: 0 };
  if (kinds.has('public-method') || kinds.has('broken-integration')) out.push(...(yield* methodFindings(parts, kinds, counter)));
  if (kinds.has('open-resource-policy') || kinds.has('cross-account-grant')) out.push(...resourcePolicyFindings(parts, kinds));
  if (kinds.has('wildcard-invoke')) out.push(...(yield* wildcardFindings(parts, 'invoke', counter)));
  if (kinds.has('wildcard-manage')) out.push(...(yield* wildcardFindings(parts, 'manage', counter)));
  const functions = kinds.has('escalation-via-apigateway') || kinds.has('broad-integration-role') ? new FunctionIndex(parts) : undefined;
  if (kinds.has('escalation-via-apigateway')) out.push(...(yield* escalationFindings(parts, functions!, counter)));
  if (kinds.has('broad-integration-role')) out.push(...(yield* broadIntegrationRoleFindings(parts, functions!, counter)));
  out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of out) counts[f.severity]++;
  return { findings: out, counts, stats: { ms: Math.round(performance.now() - started), decisions: counter.decisions } };
}

function finding(
  f: Omit<Finding, 'id' | 'conditions' | 'related' | 'paths'> & Partial<Pick<Finding, 'conditions' | 'related' | 'paths'>>,
): Finding {
  return { id: `${f.kind}:${f.resource}${f.principal ? `:${f.principal}` : ''}`, conditions: [], related: [], paths: [], ...f };
}

function limited(list: readonly string[]): string[] {
  return list.length <= RELATED_LIMIT ? [...list] : [...list.slice(0, RELATED_LIMIT), `… and ${list.length - RELATED_LIMIT} more`];
}

/** Public methods (anonymous callers allowed) and broken integrations, method by method, stage by stage. */
function* methodFindings(parts: AnalysisInputs, kinds: Set<FindingKind>, counter: { decisions: number }): Work<Finding[]> {
  const out: Finding[] = [];
  const anonymous = parts.candidates.universe.anonymous;
  for (const api of parts.model.apis.values()) {
    yield;
    for (const stage of api.stages) {
      for (const method of api.methods) {
        const info = methodInfo(api, stage, method);
        if (kinds.has('public-method') && method.authorizationType === 'NONE') {
          const target = methodStageTarget(parts.model, 'execute-api:Invoke', api, stage, method);
          const grant = decideCaller(parts, anonymous, target, undefined, new Map());
          counter.decisions++;
          if (grant.level > Level.DENIED) {
            const privateApi = api.row.endpointType === 'PRIVATE';
            const hop = integrationHop(parts, api, stage, method);
            out.push(
              finding({
                kind: 'public-method',
                // High when the open method runs a backend function; a mock or an HTTP proxy is rated medium.
                severity:
                  grant.level === Level.ALLOWED && !privateApi && hop !== undefined && hop.level !== Level.DENIED ? 'high' : 'medium',
                title: `${info.verb} ${info.path} on ${api.row.name ?? api.row.id}/${stage.name} is open to anonymous callers${grant.level === Level.ALLOWED ? '' : ' under conditions'}`,
                detail: privateApi
                  ? 'A private API: reachable only through VPC endpoints, but there by anyone whose request the resource policy allows.'
                  : 'Authorization NONE: no signature, token or authorizer is needed. Check that the method is meant to be public and that its backend does not expose data or actions.',
                resource: info.methodArn,
                principal: null,
                decision: decisionOfLevel(grant.level),
                conditions: grant.conditions,
                related: hop && hop.level !== Level.DENIED ? [hop.function] : [],
                paths: grantPaths(parts, grant, target),
              }),
            );
          }
        }
        if (kinds.has('broken-integration')) {
          const hop = integrationHop(parts, api, stage, method);
          counter.decisions++;
          if (hop && hop.level === Level.DENIED) {
            out.push(
              finding({
                kind: 'broken-integration',
                severity: 'low',
                title: `${info.verb} ${info.path} on ${api.row.name ?? api.row.id}/${stage.name} cannot call its backend ${hop.functionName ?? hop.function}`,
                detail: `${hop.notes.join('; ')}. Every call API Gateway authorizes fails at the backend; a stale function permission may also let another API call the function.`,
                resource: info.methodArn,
                principal: null,
                decision: 'denied',
                related: [hop.function, ...(hop.role ? [hop.role] : [])],
              }),
            );
          }
        }
      }
    }
  }
  return out;
}

/** Resource policy statements that allow everyone, or other accounts, to invoke. */
function resourcePolicyFindings(parts: AnalysisInputs, kinds: Set<FindingKind>): Finding[] {
  const out: Finding[] = [];
  for (const api of parts.model.apis.values()) {
    const policy = api.resourcePolicy;
    if (!policy || policy.unknown) continue;
    const apiArn = api.row.key;
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !statementMatchesAction(statement, 'execute-api:invoke')) continue;
      const el = statement.principal;
      if (!el) continue;
      const label = statementLabel(statement.ref);
      const conditions = statementConditions(statement, policy.source.id, label);
      const resources = statement.resource?.values ?? ['*'];
      if (kinds.has('open-resource-policy') && (el.bareWildcard || el.awsWildcard || el.negated)) {
        const privateApi = api.row.endpointType === 'PRIVATE';
        out.push(
          finding({
            kind: 'open-resource-policy',
            // A private API is reachable only through VPC endpoints; its policy's denies usually narrow it further.
            severity: conditions.length === 0 && !privateApi ? 'high' : 'medium',
            title: `${api.row.name ?? api.row.id}: resource policy statement ${label} allows ${el.negated ? 'everyone but the principals it lists' : 'every principal ("*")'}`,
            detail: `Allows execute-api:Invoke on ${resources.join(', ')} to any AWS account's principals (and, on methods without IAM authorization, to anonymous callers)${conditions.length ? ', under its conditions' : ''}. Check the conditions (aws:SourceIp, aws:SourceVpce, aws:PrincipalOrgID) that are meant to narrow it.`,
            resource: `${apiArn}#${label}`,
            principal: null,
            decision: conditions.length ? 'conditional' : 'allowed',
            conditions,
            related: [...resources],
          }),
        );
      }
      if (kinds.has('cross-account-grant')) {
        const accounts = new Set<string>([...el.accounts, ...[...el.arns].map((arn) => arn.split(':')[4] ?? '')]);
        for (const account of [...accounts].sort()) {
          if (!account || account === api.row.account) continue;
          const row = parts.model.accounts.get(account);
          const inOrg = row?.inOrganization ?? false;
          out.push(
            finding({
              kind: 'cross-account-grant',
              severity: inOrg ? 'low' : 'medium',
              title: `${api.row.name ?? api.row.id}: resource policy statement ${label} allows account ${account}${inOrg ? ' (in the organization)' : ' (outside the organization)'}`,
              detail: `Principals of ${account} whose own policies allow may invoke ${resources.join(', ')}. Cross-account access needs both sides; whocan cannot see that account's policies unless it was ingested.`,
              resource: `${apiArn}#${label}`,
              principal: `arn:aws:iam::${account}:root`,
              decision: conditions.length ? 'conditional' : 'allowed',
              conditions,
              related: [...resources],
            }),
          );
        }
      }
    }
  }
  return out;
}

function statementConditions(statement: CompiledStatement, policy: string, label: string): ConditionSummary[] {
  const raw = statement.raw['Condition'];
  if (!raw || typeof raw !== 'object') return [];
  const clauses: ConditionSummary['clauses'] = [];
  for (const [operator, block] of Object.entries(raw as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      clauses.push({
        key,
        operator,
        values: (Array.isArray(values) ? values : [values]).map(String),
        effect: statement.effect,
        policy,
        statement: label,
      });
    }
  }
  return clauses.length
    ? [
        {
          when: clauses.map((c) => `${c.operator} ${c.key} ${JSON.stringify(c.values)}`).join(' AND '),
          keys: clauses.map((c) => c.key.toLowerCase()),
          clauses,
        },
      ]
    : [];
}

/** Regions (per account) that have APIs: where a wildcard grant matters. */
function apiRegionsByAccount(parts: AnalysisInputs): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const api of parts.model.apis.values()) {
    const set = out.get(api.row.account) ?? new Set();
    set.add(api.row.region);
    out.set(api.row.account, set);
  }
  return out;
}

const PROBE = 'whocan-probe';

/** Principals allowed to invoke, or to change, every API of their own account: decided on an API id that does not exist. */
function* wildcardFindings(parts: AnalysisInputs, what: 'invoke' | 'manage', counter: { decisions: number }): Work<Finding[]> {
  const out: Finding[] = [];
  const regions = apiRegionsByAccount(parts);
  const actions =
    what === 'invoke' ? ['execute-api:Invoke'] : ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];
  const verbs = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  // Invoke probes: an API id that does not exist, on a stage that does not exist (every stage), then on
  // each stage name the account uses (grants such as `*/prod/*` cover that stage of every API).
  const stagesOf = new Map<string, Set<string>>();
  for (const api of parts.model.apis.values()) {
    const key = `${api.row.account}/${api.row.region}`;
    const set = stagesOf.get(key) ?? new Set();
    for (const stage of api.stages) set.add(stage.name);
    stagesOf.set(key, set);
  }
  // One probe per verb (a grant may cover only GETs), named by the verb in what is reported.
  const probes = (account: string, region: string): { resources: { resource: string; label: string }[]; scope: string }[] =>
    what === 'invoke'
      ? [PROBE, ...[...(stagesOf.get(`${account}/${region}`) ?? [])].sort()].map((stage) => ({
          resources: verbs.map((verb) => ({
            resource: `arn:aws:execute-api:${region}:${account}:${PROBE}/${stage}/${verb}/${PROBE}`,
            label: verb,
          })),
          scope: stage === PROBE ? 'every API method' : `every API's ${stage} stage`,
        }))
      : [{ resources: [{ resource: `arn:aws:apigateway:${region}::/restapis/${PROBE}`, label: '' }], scope: 'every API' }];
  const model = parts.model;
  for (const [account, accountRegions] of regions) {
    for (const region of [...accountRegions].sort()) {
      const reported = new Set<string>();
      for (const { resources, scope } of probes(account, region)) {
        yield;
        const resource = resources[0]!.resource;
        // Only the account's own principals: a probe API has no resource policy.
        const candidates = new Set<string>();
        for (const action of actions)
          for (const { resource: r } of resources)
            for (const arn of parts.candidates.accountCandidates(account, action, r)) candidates.add(arn);
        for (const arn of [...candidates].sort()) {
          const entry = model.principals.get(arn);
          if (!entry || reported.has(arn)) continue;
          const caller = parts.candidates.universe.principal(arn)!;
          const allowed: { action: string; decision: Decision; label: string }[] = [];
          for (const action of actions) {
            for (const { resource: r, label } of resources) {
              const decision = decide(model, caller, { action, resource: r, resourceAccount: account });
              counter.decisions++;
              if (levelOf(decision) > Level.DENIED)
                allowed.push({ action, decision, label: what === 'invoke' ? label : action.split(':')[1]! });
            }
          }
          if (allowed.length === 0) continue;
          // The broadest scope first: a principal allowed on every stage is not reported again per stage.
          reported.add(arn);
          const level = Math.max(...allowed.map((a) => levelOf(a.decision))) as Level;
          const first = allowed[0]!.decision;
          out.push(
            finding({
              kind: what === 'invoke' ? 'wildcard-invoke' : 'wildcard-manage',
              severity: level === Level.ALLOWED && (what === 'manage' || entry.kind === 'user') ? 'high' : 'medium',
              title: `${entry.kind} ${entry.name} may ${what === 'invoke' ? `invoke ${allowed.length === verbs.length ? '' : `(${allowed.map((a) => a.label).join('/')}) `}${scope}` : `${allowed.map((a) => a.label).join('/')} ${scope}`} in ${account} ${region}, present and future`,
              detail:
                what === 'invoke'
                  ? 'An identity policy grants execute-api:Invoke without naming APIs (decided on an API id that does not exist). Narrow the Resource to the APIs and stages the principal needs.'
                  : 'An identity policy grants API Gateway changes without naming APIs: this principal can change integrations, authorization and resource policies of every API. Narrow it, or check who can become it.',
              resource: resource,
              principal: arn,
              decision: decisionOfLevel(level),
              conditions: first.decision === 'conditional' ? conditionSummary(first.conditional) : [],
              related: allowed.map((a) => (what === 'invoke' ? `${a.action} ${a.label}` : a.action)),
              paths: identityPaths(entry, first),
            }),
          );
        }
      }
    }
  }
  return out;
}

/** user → group → policy → statement paths of a decision's identity allows. */
function identityPaths(entry: PrincipalEntry, decision: Decision): AccessPath[] {
  const paths: AccessPath[] = [];
  for (const s of decision.matchedStatements) {
    if (s.effect !== 'Allow' || s.policyType !== 'identity') continue;
    for (const ref of entry.identityPolicies.filter((p) => p.policy.source.id === s.policyId)) {
      paths.push([
        ...(ref.viaGroup ? [{ kind: 'member-of' as const, from: entry.arn, to: ref.viaGroup }] : []),
        { kind: 'policy', from: ref.viaGroup ?? entry.arn, to: s.policyId, policy: s.policyId },
        { kind: 'statement', from: s.policyId, to: '*', policy: s.policyId, statement: statementLabel(s) },
      ]);
    }
  }
  return paths;
}

const managementArn = (api: ApiEntry, suffix = ''): string =>
  `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}${suffix}`;

/** The management ARNs of an API's integrations and methods (REST: per method; HTTP: a probe id). */
function changeTargets(parts: AnalysisInputs, api: ApiEntry): { integrations: string[]; methods: string[] } {
  if (api.row.kind === 'HTTP')
    return { integrations: [managementArn(api, `/integrations/${PROBE}`)], methods: [managementArn(api, `/routes/${PROBE}`)] };
  const resourceIds = new Map(parts.model.rows.apiResources.filter((r) => r.apiKey === api.row.key).map((r) => [r.key, r.id]));
  const methods = api.methods.flatMap((m) => {
    const id = m.resourceKey ? resourceIds.get(m.resourceKey) : undefined;
    return id ? [managementArn(api, `/resources/${id}/methods/${m.verb === '*' ? 'ANY' : m.verb}`)] : [];
  });
  return { integrations: methods.map((m) => `${m}/integration`), methods };
}

/**
 * The functions a role may invoke, found without asking about every function:
 * functions of its own account, and functions whose resource policy names
 * its account, the role, or everyone (a function of another account needs
 * its resource policy to allow; IUG, "Cross-account policy evaluation logic").
 */
class FunctionIndex {
  private readonly byAccount = new Map<string, string[]>();
  private readonly namingAccount = new Map<string, Set<string>>();
  private readonly namingCaller = new Map<Caller, Set<string>>();
  private readonly namingEveryone = new Set<string>();

  constructor(private readonly parts: AnalysisInputs) {
    for (const [arn, fn] of parts.model.functions) {
      const list = this.byAccount.get(fn.row.account) ?? [];
      list.push(arn);
      this.byAccount.set(fn.row.account, list);
      const named = parts.candidates.namedCallers(fn.resourcePolicy, 'lambda:InvokeFunction');
      if (named.everyone) this.namingEveryone.add(arn);
      for (const account of named.accounts) add(this.namingAccount, account, arn);
      for (const caller of named.callers) add(this.namingCaller, caller, arn);
    }
  }

  /** Candidate functions for a principal (then decided by the engine). */
  candidates(caller: Caller, account: string): string[] {
    const out = new Set<string>(this.byAccount.get(account) ?? []);
    for (const fn of this.namingEveryone) out.add(fn);
    for (const fn of this.namingAccount.get(account) ?? []) out.add(fn);
    for (const fn of this.namingCaller.get(caller) ?? []) out.add(fn);
    return [...out].sort();
  }

  /** The functions `caller` may invoke (the engine's decision on each candidate). */
  invocable(caller: Caller, account: string, counter: { decisions: number }): string[] {
    return this.candidates(caller, account).filter((fn) => {
      counter.decisions++;
      return levelOf(decideLambda(this.parts, caller, fn)) > Level.DENIED;
    });
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/**
 * Principals who can make API Gateway act for them (rule 20 of the
 * evaluation reference: `iam:PassRole` is assumed to be checked when an
 * integration's credentials are set; AWS documents it for authorizers):
 * 1. pass a role API Gateway may assume, and change an integration of an API
 *    in the role's account to run as it: they reach every function the role
 *    may invoke;
 * 2. change a method's authorization (e.g. to NONE): anyone reaches its backend;
 * 3. rewrite a REST API's resource policy (`apigateway:PATCH` on the API and
 *    `apigateway:UpdateRestApiPolicy`).
 * Changes take effect after a deployment (`apigateway:POST …/deployments`);
 * the finding says whether the principal can also deploy. The management
 * plane has no resource policies: only an API's own account can change it,
 * so only that account's principals are candidates.
 */
function* escalationFindings(parts: AnalysisInputs, functions: FunctionIndex, counter: { decisions: number }): Work<Finding[]> {
  const model = parts.model;
  const universe = parts.candidates.universe;
  const out: Finding[] = [];
  // Principals the engine cannot tell apart on an action share its decisions (there is no resource policy on this side).
  const memo = new Map<string, Level>();
  const decideOn = (caller: Caller, action: string, resource: string, account: string, context?: Record<string, string>): Level => {
    const key = `${equivalenceKey(model, caller, action) ?? callerArn(caller)}|${action}|${resource}|${context ? JSON.stringify(context) : ''}`;
    let level = memo.get(key);
    if (level === undefined) {
      counter.decisions++;
      level = levelOf(decide(model, caller, { action, resource, resourceAccount: account, context }));
      memo.set(key, level);
    }
    return level;
  };
  const apisByAccount = new Map<string, ApiEntry[]>();
  for (const api of model.apis.values()) apisByAccount.set(api.row.account, [...(apisByAccount.get(api.row.account) ?? []), api]);
  const targetsMemo = new Map<ApiEntry, { integrations: string[]; methods: string[] }>();
  const targets = (api: ApiEntry) => {
    let t = targetsMemo.get(api);
    if (!t) targetsMemo.set(api, (t = changeTargets(parts, api)));
    return t;
  };
  /** Principals of the API's account whose own policies may allow changing one of these resources. */
  const changers = (api: ApiEntry, resources: readonly string[]): string[] => {
    const set = new Set<string>();
    for (const action of ['apigateway:PATCH', 'apigateway:PUT'])
      for (const arn of parts.candidates.accountCandidates(api.row.account, action, resources)) set.add(arn);
    return [...set].sort();
  };
  const canChange = (caller: Caller, resources: readonly string[], account: string): Level => {
    let level: Level = Level.DENIED;
    for (const resource of resources) {
      for (const action of ['apigateway:PATCH', 'apigateway:PUT']) level = strongest(level, decideOn(caller, action, resource, account));
      if (level === Level.ALLOWED) break;
    }
    return level;
  };
  const canDeploy = (caller: Caller, api: ApiEntry) =>
    decideOn(caller, 'apigateway:POST', managementArn(api, '/deployments'), api.row.account) > 0;

  // 1. Integration roles: roles API Gateway may assume.
  const integrationRoles = parts.assumeGraph
    .outgoing(APIGATEWAY_SERVICE)
    .map((e) => model.principals.get(e.to))
    .filter((r): r is PrincipalEntry => r !== undefined);
  for (const role of integrationRoles) {
    yield;
    const roleCaller = universe.principal(role.arn)!;
    const reachable = functions.invocable(roleCaller, role.account, counter);
    if (reachable.length === 0) continue;
    const changersOf = new Map(
      (apisByAccount.get(role.account) ?? []).map((api) => [api, new Set(changers(api, targets(api).integrations))]),
    );
    for (const arn of parts.candidates.accountCandidates(role.account, 'iam:PassRole', role.arn)) {
      const entry = model.principals.get(arn)!;
      if (entry.arn === role.arn) continue;
      const caller = universe.principal(arn)!;
      if (decideOn(caller, 'iam:PassRole', role.arn, role.account, { 'iam:PassedToService': APIGATEWAY_SERVICE }) === 0) continue;
      const apis = [...changersOf]
        .filter(([api, set]) => set.has(arn) && canChange(caller, targets(api).integrations, api.row.account) > 0)
        .map(([api]) => api);
      if (apis.length === 0) continue;
      const gained = reachable.filter((fn) => {
        counter.decisions++;
        return levelOf(decideLambda(parts, caller, fn)) === Level.DENIED;
      });
      const deploy = apis.some((api) => canDeploy(caller, api));
      out.push(
        finding({
          kind: 'escalation-via-apigateway',
          severity: gained.length > 0 ? (deploy ? 'high' : 'medium') : 'low',
          title: `${entry.kind} ${entry.name} can run API integrations as ${role.name}${gained.length ? `, reaching ${gained.length} function(s) it cannot invoke itself` : ' (no function it cannot already invoke)'}`,
          detail: `Has iam:PassRole on ${role.arn} (passed to ${APIGATEWAY_SERVICE}) and may change integrations of ${apis.length} API(s) in ${role.account}${deploy ? ' and deploy them' : ', though not deploy them'}: it can make API Gateway call, as ${role.name}, any function that role may invoke. (That iam:PassRole is checked for integration credentials is an assumption; see docs/analysis.md.)`,
          resource: role.arn,
          principal: arn,
          decision: 'allowed',
          related: limited([...gained, ...apis.map((a) => a.row.key)]),
        }),
      );
    }
  }

  // 2 and 3: opening methods, rewriting resource policies; one finding per principal, listing the APIs.
  const openers = new Map<string, { apis: ApiEntry[]; backends: Set<string>; deploy: boolean }>();
  const rewriters = new Map<string, { apis: ApiEntry[]; backends: Set<string>; deploy: boolean }>();
  const note = (into: typeof openers, arn: string, api: ApiEntry, backends: readonly string[], caller: Caller) => {
    const entry = into.get(arn) ?? { apis: [], backends: new Set<string>(), deploy: false };
    entry.apis.push(api);
    for (const fn of backends) entry.backends.add(fn);
    entry.deploy ||= canDeploy(caller, api);
    into.set(arn, entry);
  };
  for (const api of model.apis.values()) {
    yield;
    const t = targets(api);
    const stage = api.stages[0];
    const backends = stage
      ? api.methods
          .map((m) => integrationHop(parts, api, stage, m))
          .filter((h): h is NonNullable<typeof h> => Boolean(h && h.level !== Level.DENIED && h.level !== null))
          .map((h) => h.function)
      : [];
    for (const arn of changers(api, t.methods)) {
      const caller = universe.principal(arn)!;
      if (canChange(caller, t.methods, api.row.account) > 0) note(openers, arn, api, backends, caller);
    }
    if (api.row.kind !== 'REST') continue;
    const apiArn = managementArn(api);
    for (const arn of changers(api, [apiArn])) {
      const caller = universe.principal(arn)!;
      if (
        decideOn(caller, 'apigateway:PATCH', apiArn, api.row.account) > 0 &&
        decideOn(caller, 'apigateway:UpdateRestApiPolicy', apiArn, api.row.account) > 0
      )
        note(rewriters, arn, api, backends, caller);
    }
  }
  const names = (apis: readonly ApiEntry[]) => apis.map((a) => a.row.name ?? a.row.id);
  for (const [arn, o] of [...openers].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = model.principals.get(arn)!;
    out.push(
      finding({
        kind: 'escalation-via-apigateway',
        severity: o.backends.size > 0 ? 'medium' : 'low',
        title: `${entry.kind} ${entry.name} can change the authorization of methods of ${o.apis.length === 1 ? names(o.apis)[0] : `${o.apis.length} APIs`}`,
        detail: `May change methods (e.g. authorizationType to NONE) of ${names(o.apis).slice(0, 10).join(', ')}${o.apis.length > 10 ? ', …' : ''}${o.deploy ? ' and deploy' : ''}: that opens a method, and its backend (${o.backends.size} function(s)), to anyone.`,
        resource: `${arn}#open-methods`,
        principal: arn,
        decision: 'allowed',
        related: limited([...o.apis.map((a) => a.row.key), ...o.backends]),
      }),
    );
  }
  for (const [arn, r] of [...rewriters].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = model.principals.get(arn)!;
    out.push(
      finding({
        kind: 'escalation-via-apigateway',
        severity: 'medium',
        title: `${entry.kind} ${entry.name} can rewrite the resource policy of ${r.apis.length === 1 ? names(r.apis)[0] : `${r.apis.length} APIs`}`,
        detail: `Has apigateway:PATCH and apigateway:UpdateRestApiPolicy on ${names(r.apis).slice(0, 10).join(', ')}${r.apis.length > 10 ? ', …' : ''}: it can allow any account, or anyone, to invoke them${r.deploy ? ' and deploy the change' : ''}.`,
        resource: `${arn}#rewrite-resource-policies`,
        principal: arn,
        decision: 'allowed',
        related: limited([...r.apis.map((a) => a.row.key), ...r.backends]),
      }),
    );
  }
  return out;
}

/** Integration roles that may invoke functions their integrations do not call. */
function* broadIntegrationRoleFindings(parts: AnalysisInputs, functions: FunctionIndex, counter: { decisions: number }): Work<Finding[]> {
  const model = parts.model;
  const served = new Map<string, Set<string>>();
  for (const integration of model.integrationsByMethod.values()) {
    if (integration.credentialsMode !== 'role' || !integration.roleArn || !integration.lambdaArn) continue;
    const set = served.get(integration.roleArn) ?? new Set();
    set.add(integration.lambdaArn);
    served.set(integration.roleArn, set);
  }
  const out: Finding[] = [];
  for (const [roleArn, calls] of [...served].sort(([a], [b]) => a.localeCompare(b))) {
    yield;
    const caller = parts.candidates.universe.principal(roleArn);
    const role = model.principals.get(roleArn);
    if (!caller || !role) continue;
    const extra = functions.invocable(caller, role.account, counter).filter((fn) => !calls.has(fn));
    if (extra.length === 0) continue;
    out.push(
      finding({
        kind: 'broad-integration-role',
        severity: extra.length > calls.size ? 'medium' : 'low',
        title: `integration role ${role.name} may invoke ${extra.length} function(s) its integrations do not call`,
        detail: `Its integrations call ${[...calls].map((f) => f.split(':')[6]).join(', ')}. Whoever can point an integration at this role (see escalation-via-apigateway) reaches the others too; narrow its lambda:InvokeFunction Resource to the functions it serves.`,
        resource: roleArn,
        principal: null,
        decision: 'allowed',
        related: limited(extra),
      }),
    );
  }
  return out;
}
