/**
 * The hop behind an API method: API Gateway calling the Lambda function its
 * integration names (AGDG, "Set up Lambda integrations"; the rule 11 of
 * the evaluation reference):
 * - `role`: API Gateway assumes the integration's credentials role, whose
 *   trust policy must allow `apigateway.amazonaws.com` and whose permissions
 *   must allow `lambda:InvokeFunction` on the function;
 * - `caller` (`arn:aws:iam::*:user/*`): the caller's own credentials are
 *   passed through, so the caller needs `lambda:InvokeFunction` itself;
 * - `none`: the function's resource policy must allow
 *   `apigateway.amazonaws.com`, usually scoped by `aws:SourceArn`.
 *
 * Which `aws:SourceArn` API Gateway presents for a templated resource is not
 * documented (the console writes permissions such as `…/*\/GET/pets/{id}`,
 * others use `…/GET/pets/*`; for ANY methods the verb is `ANY`,
 * aws-sam-cli#289). whocan decides the hop on each form it may take, the
 * resource path template and a concrete request path, and takes the best:
 * it never hides a backend that works (a false "no access" is the worst bug
 * a tool like this can have), and says so in the hop's notes.
 */
import { accountOfArn, unknownPolicy, type CompiledPolicy } from '../policy';
import type { MethodRow, StageRow } from '../model';
import type { ApiEntry } from './accessModel';
import {
  conditionSummary,
  statementLabel,
  type AccessDecision,
  type AccessPath,
  type ConditionSummary,
  type PathHop,
  type PrincipalAccess,
  type WhoCanAnswer,
} from './answer';
import { decideAssume } from './assumeGraph';
import { callerArn, callerType, decide, type Caller, type CallerType, type Decision, type RequestContextValues } from './decide';
import { chainTo, forwardReach, type Reachable } from './forward';
import { invocableMethodsWork } from './invocable';
import { genericRequestArn } from './methods';
import { decisionOfLevel, Level, levelOf, levelOfDecision, strongest, weakest } from './levels';
import { resolveCaller } from './rolePaths';
import { methodStageTarget, methodTemplateArn, resolveTarget } from './targets';
import {
  DEFAULT_MAX_HOPS,
  answerOf,
  answerPaths,
  decideCaller,
  decideGrants,
  grantPaths,
  propagate,
  reach,
  type AnalysisInputs,
  type CallerGrant,
  type WhoCanOptions,
} from './whoCan';
import { runToEnd, type Work } from './work';

export const APIGATEWAY_SERVICE = 'apigateway.amazonaws.com';

export interface MethodInfo {
  api: string;
  apiName: string | null;
  stage: string;
  verb: string;
  path: string;
  methodArn: string;
  authorizationType: string;
}

export interface IntegrationHop {
  method: MethodInfo;
  function: string;
  functionName: string | null;
  /** The function is in the snapshot (its resource policy known). */
  ingested: boolean;
  mode: 'role' | 'caller' | 'none';
  role: string | null;
  /** API Gateway's own ability to call the backend; null for `caller` mode, where it depends on the caller. */
  level: Level | null;
  hop: PathHop;
  notes: string[];
}

export function methodInfo(api: ApiEntry, stage: StageRow, method: MethodRow): MethodInfo {
  return {
    api: api.row.id,
    apiName: api.row.name,
    stage: stage.name,
    verb: method.verb === '*' ? '$default' : method.verb,
    path: method.path,
    methodArn: methodTemplateArn(api, stage, method),
    authorizationType: method.authorizationType,
  };
}

/** The `aws:SourceArn` forms API Gateway may present when it calls the backend of a method on a stage. */
export function sourceArnForms(api: ApiEntry, stage: StageRow, method: MethodRow): string[] {
  const base = `${api.row.executeApiArn}/${stage.name}`;
  if (method.verb === '*') return [`${base}/$default`, `${base}/*/$default`];
  const verb = method.verb;
  const template = `${base}/${verb}${method.path}`;
  const concrete = genericRequestArn(
    { apiArn: api.row.executeApiArn, stage: stage.name, verb, path: method.path, key: method.key },
    verb === 'ANY' ? 'GET' : verb,
  );
  const concreteWithVerb = verb === 'ANY' ? concrete.replace(`${base}/GET/`, `${base}/ANY/`) : concrete;
  return [...new Set([template, concreteWithVerb])];
}

/** The function's resource policy: known when ingested; unknown (never assumed to allow or deny) when its account was not ingested. */
function functionPolicy(parts: AnalysisInputs, fnArn: string): { policy: CompiledPolicy | undefined; ingested: boolean; exists: boolean } {
  const fn = parts.model.functions.get(fnArn);
  if (fn) return { policy: fn.resourcePolicy, ingested: true, exists: true };
  const account = accountOfArn(fnArn) ?? '';
  if (parts.model.accounts.get(account)?.ingested) return { policy: undefined, ingested: true, exists: false };
  return {
    policy: unknownPolicy({
      type: 'resource',
      id: `${fnArn}#resource-policy`,
      reason: 'the function is in an account that was not ingested',
    }),
    ingested: false,
    exists: true,
  };
}

/** Can `caller` call the function (lambda:InvokeFunction)? */
export function decideLambda(parts: AnalysisInputs, caller: Caller, fnArn: string, context?: RequestContextValues): Decision {
  const fp = functionPolicy(parts, fnArn);
  return decide(parts.model, caller, {
    action: 'lambda:InvokeFunction',
    resource: fnArn,
    resourceAccount: accountOfArn(fnArn),
    resourcePolicy: fp.policy,
    context,
  });
}

function best(decisions: Decision[]): Decision {
  return decisions.reduce((a, b) => (levelOf(b) > levelOf(a) ? b : a));
}

/** The integration hop of a method on a stage, decided by the engine; undefined when the method does not call a Lambda function. */
export function integrationHop(
  parts: AnalysisInputs,
  api: ApiEntry,
  stage: StageRow,
  method: MethodRow,
  context?: RequestContextValues,
): IntegrationHop | undefined {
  const integration = parts.model.integrationsByMethod.get(method.key);
  if (!integration?.lambdaArn) return undefined;
  const info = methodInfo(api, stage, method);
  const fnArn = integration.lambdaArn;
  const fn = parts.model.functions.get(fnArn);
  const fp = functionPolicy(parts, fnArn);
  const notes: string[] = [];
  const base = {
    method: info,
    function: fnArn,
    functionName: fn?.row.name ?? fnArn.split(':')[6] ?? null,
    ingested: fp.ingested,
    mode: integration.credentialsMode,
    role: integration.roleArn,
  };
  if (!fp.exists) notes.push('no such function in its (ingested) account: the integration is broken');
  const sourceContexts = sourceArnForms(api, stage, method).map((arn): RequestContextValues => ({
    ...context,
    'aws:SourceArn': arn,
    'aws:SourceAccount': api.row.account,
  }));
  const service = parts.candidates.universe.serviceCaller(APIGATEWAY_SERVICE);
  if (integration.credentialsMode === 'caller') {
    notes.push("API Gateway calls the function with the caller's own credentials: the caller needs lambda:InvokeFunction on it");
    return { ...base, level: fp.exists ? null : Level.DENIED, hop: { kind: 'integration', from: info.methodArn, to: fnArn }, notes };
  }
  if (integration.credentialsMode === 'role') {
    const roleArn = integration.roleArn ?? '';
    const role = parts.candidates.universe.principal(roleArn);
    if (!role) {
      notes.push(`the integration role ${roleArn} is not in the snapshot: whether API Gateway may assume it is unknown`);
      return {
        ...base,
        level: fp.exists ? Level.CONDITIONAL : Level.DENIED,
        hop: { kind: 'integration', from: info.methodArn, to: fnArn, role: roleArn },
        notes,
      };
    }
    const trust = best(sourceContexts.map((c) => decideAssume(parts.model, service, roleArn, c) ?? NOT_ALLOWED));
    const permission = decideLambda(parts, role, fnArn, context);
    const level = fp.exists ? weakest(levelOf(trust), levelOf(permission)) : Level.DENIED;
    if (levelOf(trust) === Level.DENIED) notes.push(`the trust policy of ${roleArn} does not let API Gateway assume it`);
    if (levelOf(permission) === Level.DENIED) notes.push(`${roleArn} may not invoke the function`);
    const allow = permission.matchedStatements.find(
      (s) => s.effect === 'Allow' && (s.policyType === 'identity' || s.policyType === 'resource'),
    );
    const conditions = [
      ...(trust.decision === 'conditional' ? conditionSummary(trust.conditional) : []),
      ...(permission.decision === 'conditional' ? conditionSummary(permission.conditional) : []),
    ];
    return {
      ...base,
      level,
      hop: {
        kind: 'integration',
        from: info.methodArn,
        to: fnArn,
        role: roleArn,
        ...(allow ? { policy: allow.policyId, statement: statementLabel(allow) } : {}),
        ...(conditions.length ? { conditions } : {}),
      },
      notes,
    };
  }
  const viaPolicy = best(
    sourceContexts.map((c) =>
      decide(parts.model, service, {
        action: 'lambda:InvokeFunction',
        resource: fnArn,
        resourceAccount: accountOfArn(fnArn),
        resourcePolicy: fp.policy,
        context: c,
      }),
    ),
  );
  const level = fp.exists ? levelOf(viaPolicy) : Level.DENIED;
  if (level === Level.DENIED && fp.exists) notes.push("the function's resource policy does not let API Gateway invoke it from this method");
  notes.push(
    `decided on aws:SourceArn ${sourceArnForms(api, stage, method).join(' and ')} (the form API Gateway presents for templated paths is not documented; the best is taken)`,
  );
  const allow = viaPolicy.matchedStatements.find((s) => s.effect === 'Allow');
  const conditions = viaPolicy.decision === 'conditional' ? conditionSummary(viaPolicy.conditional) : [];
  return {
    ...base,
    level,
    hop: {
      kind: 'integration',
      from: info.methodArn,
      to: fnArn,
      ...(allow ? { policy: allow.policyId, statement: statementLabel(allow) } : {}),
      ...(conditions.length ? { conditions } : {}),
    },
    notes,
  };
}

const NOT_ALLOWED: Decision = { decision: 'implicitDeny', conditional: undefined, matchedStatements: [], notes: [] };

export interface BackendAccess {
  function: string;
  functionName: string | null;
  ingested: boolean;
  method: MethodInfo;
  mode: 'role' | 'caller' | 'none';
  role: string | null;
  /** The caller reaching the function through this method: the weakest of the call and the integration hop. */
  decision: AccessDecision;
  hops: number;
  /** Who calls the method: the principal itself or the role it becomes. */
  via: string;
  conditions: ConditionSummary[];
  /** Whether the caller can invoke the function without the API (lambda:InvokeFunction, itself or through roles). */
  directly: AccessDecision;
  path: AccessPath;
}

export interface CallerReachAnswer {
  principal: string;
  principalType: CallerType;
  backends: BackendAccess[];
  stats: { methods: number; ms: number };
}

/** "Which backends can this caller reach through API methods?", even when it cannot call them directly. */
export function callerReach(
  parts: AnalysisInputs,
  principalArn: string,
  options: { context?: RequestContextValues; maxHops?: number } = {},
): CallerReachAnswer {
  return runToEnd(callerReachWork(parts, principalArn, options));
}

/** The question as work that yields between APIs and methods (see work.ts). */
export function* callerReachWork(
  parts: AnalysisInputs,
  principalArn: string,
  options: { context?: RequestContextValues; maxHops?: number } = {},
): Work<CallerReachAnswer> {
  const started = performance.now();
  const start = resolveCaller(parts, principalArn);
  const context = options.context;
  const invocable = yield* invocableMethodsWork(parts, principalArn, { context, maxHops: options.maxHops, includeUnsigned: true });
  const reached: ReadonlyMap<string, Reachable> =
    start.type === 'root' || start.type === 'anonymous'
      ? new Map([[callerArn(start), { caller: start, hops: 0, level: Level.ALLOWED, bestHops: 0, via: undefined }]])
      : forwardReach(parts, start, callerArn(start), options.maxHops ?? DEFAULT_MAX_HOPS, context);
  const directMemo = new Map<string, Level>();
  const directly = (fnArn: string): Level => {
    let level = directMemo.get(fnArn);
    if (level === undefined) {
      level = Level.DENIED;
      for (const r of reached.values()) level = strongest(level, weakest(r.level, levelOf(decideLambda(parts, r.caller, fnArn, context))));
      directMemo.set(fnArn, level);
    }
    return level;
  };
  const backends: BackendAccess[] = [];
  for (const m of invocable.methods) {
    yield;
    const api = [...parts.model.apis.values()].find((a) => a.row.id === m.api);
    const method = api?.methods.find((x) => x.key === m.methodKey);
    const stage = api?.stages.find((s) => s.name === m.stage);
    if (!api || !method || !stage) continue;
    const hop = integrationHop(parts, api, stage, method, context);
    if (!hop) continue;
    let level: Level;
    let via = m.via;
    let hops = m.hops;
    let path: AccessPath = [...m.accessPath, hop.hop];
    const conditions = [...m.conditions, ...(hop.hop.conditions ?? [])];
    if (hop.level !== null) level = weakest(levelOfDecision(m.decision), hop.level);
    else {
      // Caller credentials: the same principal must both call the method and invoke the function.
      level = Level.DENIED;
      const target = methodStageTarget(parts.model, 'execute-api:Invoke', api, stage, method);
      for (const [arn, r] of reached) {
        const grant = decideCaller(parts, r.caller, target, context, new Map());
        const lambda = decideLambda(parts, r.caller, hop.function, context);
        const l = weakest(weakest(r.level, grant.level), levelOf(lambda));
        if (l > level || (l === level && l > Level.DENIED && r.hops < hops)) {
          level = l;
          via = arn;
          hops = r.hops;
          const allow = lambda.matchedStatements.find((s) => s.effect === 'Allow');
          path = [
            ...chainTo(reached, arn),
            ...(grantPaths(parts, grant, target)[0] ?? []),
            { ...hop.hop, from: m.methodArn, ...(allow ? { policy: allow.policyId, statement: statementLabel(allow) } : {}) },
          ];
        }
      }
    }
    if (level === Level.DENIED) continue;
    backends.push({
      function: hop.function,
      functionName: hop.functionName,
      ingested: hop.ingested,
      method: hop.method,
      mode: hop.mode,
      role: hop.role,
      decision: decisionOfLevel(level),
      hops,
      via,
      conditions: level === Level.ALLOWED ? [] : conditions,
      directly: decisionOfLevel(directly(hop.function)),
      path,
    });
  }
  backends.sort((a, b) => (a.function < b.function ? -1 : a.function > b.function ? 1 : a.method.methodArn < b.method.methodArn ? -1 : 1));
  return {
    principal: callerArn(start),
    principalType: callerType(start),
    backends,
    stats: { methods: invocable.methods.length, ms: Math.round((performance.now() - started) * 100) / 100 },
  };
}

export interface FunctionReachAnswer {
  function: string;
  functionName: string | null;
  /** Who can call the function directly (lambda:InvokeFunction). */
  direct: WhoCanAnswer;
  /** Each method (on each stage) whose integration calls the function, with who reaches it that way. */
  throughApis: {
    method: MethodInfo;
    mode: 'role' | 'caller' | 'none';
    role: string | null;
    /** API Gateway's own ability to call the function; `caller` mode: it depends on the caller. */
    integration: AccessDecision | 'depends on the caller';
    notes: string[];
    principals: PrincipalAccess[];
  }[];
  /** Everyone who reaches the function, directly or through an API, best first. */
  principals: { arn: string; type: CallerType; decision: AccessDecision; hops: number; ways: string[] }[];
}

/** "Who can reach this Lambda function?", directly and through every API method whose integration calls it. */
export function functionReach(parts: AnalysisInputs, fnArn: string, options: WhoCanOptions = {}): FunctionReachAnswer {
  return runToEnd(functionReachWork(parts, fnArn, options));
}

/** The question as work that yields between the methods that call the function (see work.ts). */
export function* functionReachWork(parts: AnalysisInputs, fnArn: string, options: WhoCanOptions = {}): Work<FunctionReachAnswer> {
  const started = performance.now();
  const target = resolveTarget(parts.model, 'lambda:InvokeFunction', fnArn);
  const fnKey = target.resource.split(':').slice(0, 7).join(':');
  const reached = reach(parts, target, options);
  const direct = answerOf(parts, target, reached, answerPaths(parts, target, reached, options), options, started);
  const throughApis: FunctionReachAnswer['throughApis'] = [];
  let lambdaGrants: Map<string, CallerGrant> | undefined;
  for (const api of parts.model.apis.values()) {
    for (const method of api.methods) {
      if (parts.model.integrationsByMethod.get(method.key)?.lambdaArn !== fnKey) continue;
      for (const stage of api.stages) {
        yield;
        const hop = integrationHop(parts, api, stage, method, options.context)!;
        const methodTarget = methodStageTarget(parts.model, 'execute-api:Invoke', api, stage, method);
        const grants = decideGrants(parts, methodTarget, options);
        if (hop.level === null) {
          // Caller credentials: a caller needs both rights itself.
          lambdaGrants ??= decideGrants(parts, target, options).grants;
          for (const [arn, g] of grants.grants) {
            const lambda = lambdaGrants.get(arn);
            const level = weakest(g.level, lambda?.level ?? Level.DENIED);
            grants.grants.set(arn, { ...g, level, conditions: [...g.conditions, ...(lambda?.conditions ?? [])] } satisfies CallerGrant);
          }
        } else {
          for (const [arn, g] of grants.grants) grants.grants.set(arn, { ...g, level: weakest(g.level, hop.level) });
        }
        const walked = propagate(parts, grants, options);
        const answer = answerOf(parts, methodTarget, walked, answerPaths(parts, methodTarget, walked, options), options, started);
        for (const p of answer.principals) for (const path of p.paths) path.push(hop.hop);
        throughApis.push({
          method: hop.method,
          mode: hop.mode,
          role: hop.role,
          integration: hop.level === null ? 'depends on the caller' : decisionOfLevel(hop.level),
          notes: hop.notes,
          principals: answer.principals,
        });
      }
    }
  }
  const merged = new Map<string, FunctionReachAnswer['principals'][number]>();
  const add = (p: PrincipalAccess, way: string) => {
    const m = merged.get(p.arn);
    if (!m) merged.set(p.arn, { arn: p.arn, type: p.type, decision: p.decision, hops: p.hops, ways: [way] });
    else {
      if (levelOfDecision(p.decision) > levelOfDecision(m.decision)) m.decision = p.decision;
      m.hops = Math.min(m.hops, p.hops);
      if (!m.ways.includes(way)) m.ways.push(way);
    }
  };
  for (const p of direct.principals) add(p, 'direct');
  for (const t of throughApis) for (const p of t.principals) add(p, t.method.methodArn);
  const principals = [...merged.values()].sort(
    (a, b) => a.hops - b.hops || levelOfDecision(b.decision) - levelOfDecision(a.decision) || (a.arn < b.arn ? -1 : 1),
  );
  return { function: fnKey, functionName: parts.model.functions.get(fnKey)?.row.name ?? null, direct, throughApis, principals };
}
