/** Findings on principals who can make API Gateway act for them, and on integration roles broader than their integrations. */
import type { ApiEntry, PrincipalEntry } from '../accessModel';
import { callerArn, decide, equivalenceKey, type Caller } from '../decide';
import { APIGATEWAY_SERVICE, decideLambda, integrationHop } from '../integrations';
import type { Work } from '../work';
import { Level, levelOf, strongest } from '../levels';
import type { AnalysisInputs } from '../whoCan';
import { finding, limited, PROBE, type Finding } from './finding';

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
export class FunctionIndex {
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
export function* escalationFindings(parts: AnalysisInputs, functions: FunctionIndex, counter: { decisions: number }): Work<Finding[]> {
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
export function* broadIntegrationRoleFindings(
  parts: AnalysisInputs,
  functions: FunctionIndex,
  counter: { decisions: number },
): Work<Finding[]> {
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
