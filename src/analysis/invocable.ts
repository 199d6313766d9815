/**
 * "What can this principal invoke?": every API method (on every stage) that
 * the principal, or a role it reaches through chains of `sts:AssumeRole`, is
 * allowed to invoke. Each method is decided by the engine for the principal
 * and for every role it can become; a method is as open to the principal as
 * its best (chain, grant) pair.
 *
 * Methods whose authorization ignores the signature (NONE, Lambda, Cognito
 * and JWT authorizers) are open to whoever the authorizer accepts, not to
 * this principal in particular; they are listed only with `includeUnsigned`.
 */
import { statementMatchesAction } from '../policy';
import type { ApiEntry } from './accessModel';
import type { AccessDecision, AccessPath, ConditionSummary, PartialCoverage } from './answer';
import { callerArn, callerType, type Caller, type CallerType, type RequestContextValues } from './decide';
import { chainTo, forwardReach, type Reachable } from './forward';
import { literalPrefixAgrees } from './candidates';
import { patternMayMatchTemplate } from './methods';
import { resolveCaller } from './rolePaths';
import { methodStageTarget, type Target } from './targets';
import { decisionOfLevel, Level, weakest } from './levels';
import { DEFAULT_MAX_HOPS, decideCaller, grantPaths, type AnalysisInputs } from './whoCan';
import { runToEnd, type Work } from './work';

export interface InvocableMethod {
  api: string;
  apiName: string | null;
  apiKind: 'REST' | 'HTTP';
  stage: string;
  /** GET, …, ANY, or `$default`. */
  verb: string;
  path: string;
  /** The method template ARN (`…/prod/GET/pets/{id}`). */
  methodArn: string;
  /** The method's key in the graph (`<api key>/methods/<VERB> <path>`). */
  methodKey: string;
  authorizationType: string;
  decision: AccessDecision;
  /** Assumptions on the shortest chain to a principal with access (0: the principal itself). */
  hops: number;
  /** Who holds the grant: the principal itself or the role it becomes. */
  via: string;
  conditions: ConditionSummary[];
  partial?: PartialCoverage;
  /** The shortest chain of assumptions, then the grant. */
  accessPath: AccessPath;
}

export interface InvocableAnswer {
  principal: string;
  principalType: CallerType;
  /** Roles the principal can become within maxHops (each was decided on every candidate method). */
  rolesReached: number;
  methods: InvocableMethod[];
  stats: { candidates: number; decisions: number; ms: number };
}

export interface InvocableOptions {
  context?: RequestContextValues | undefined;
  maxHops?: number | undefined;
  includeUnsigned?: boolean | undefined;
}

const INVOKE = 'execute-api:invoke';

export function invocableMethods(parts: AnalysisInputs, principalArn: string, options: InvocableOptions = {}): InvocableAnswer {
  return runToEnd(invocableMethodsWork(parts, principalArn, options));
}

/** The question as work that yields between APIs (see work.ts). */
export function* invocableMethodsWork(parts: AnalysisInputs, principalArn: string, options: InvocableOptions = {}): Work<InvocableAnswer> {
  const started = performance.now();
  const start = resolveCaller(parts, principalArn);
  const context = options.context;
  const reached: ReadonlyMap<string, Reachable> =
    start.type === 'root' || start.type === 'anonymous'
      ? new Map([[callerArn(start), { caller: start, hops: 0, level: Level.ALLOWED, bestHops: 0, via: undefined }]])
      : forwardReach(parts, start, callerArn(start), options.maxHops ?? DEFAULT_MAX_HOPS, context);
  const best = new Map<string, InvocableMethod & { level: Level }>();
  // Probe requests depend on the method template: one memo per method and stage, shared by the subjects.
  const probeMemos = new Map<string, Map<string, string[]>>();
  let candidates = 0;
  let decisions = 0;
  const namedMemo = new Map<ApiEntry, Set<Caller>>();
  const named = (api: ApiEntry): Set<Caller> => {
    let set = namedMemo.get(api);
    if (!set) {
      set = parts.candidates.callersNamed(parts.candidates.namedCallers(api.resourcePolicy, INVOKE));
      namedMemo.set(api, set);
    }
    return set;
  };

  for (const [subjectArn, subject] of reached) {
    const patterns = invokePatterns(subject.caller);
    for (const api of parts.model.apis.values()) {
      yield;
      const rpNames = named(api).has(subject.caller);
      // Across accounts both sides must allow (IUG, "Cross-account policy evaluation logic"): a principal
      // of another account that the API's resource policy does not name (by ARN, account or "*") cannot
      // be allowed a signed method, whatever its own policies say. The same rule as candidateCallers.
      const otherAccountUnnamed = !rpNames && subject.caller.type === 'principal' && subject.caller.entry.account !== api.row.account;
      const apiPrefix = `${api.row.executeApiArn}/`;
      const mayIdentity = !otherAccountUnnamed && (patterns === 'any' || patterns.some((p) => literalPrefixAgrees(p, apiPrefix)));
      if (!rpNames && !mayIdentity && !options.includeUnsigned) continue;
      for (const stage of api.stages) {
        for (const method of api.methods) {
          const signed = method.authorizationType === 'AWS_IAM';
          if (!signed && (!options.includeUnsigned || subject.hops > 0)) continue;
          if (signed && otherAccountUnnamed) continue;
          let target: Target | undefined;
          if (signed && !rpNames && patterns !== 'any') {
            target = methodStageTarget(parts.model, 'execute-api:Invoke', api, stage, method);
            const template = target.method!.template;
            if (!patterns.some((p) => literalPrefixAgrees(p, apiPrefix) && patternMayMatchTemplate(p, template))) continue;
          }
          target ??= methodStageTarget(parts.model, 'execute-api:Invoke', api, stage, method);
          candidates++;
          // Unsigned methods: everyone is the same unsigned caller.
          const caller = signed ? subject.caller : parts.candidates.universe.anonymous;
          let probeMemo = probeMemos.get(target.resource);
          if (!probeMemo) probeMemos.set(target.resource, (probeMemo = new Map<string, string[]>()));
          const grant = decideCaller(parts, caller, target, context, probeMemo);
          decisions++;
          const level = weakest(grant.level, subject.level);
          if (level === Level.DENIED) continue;
          const key = target.resource;
          const current = best.get(key);
          if (current && (current.level > level || (current.level === level && current.hops <= subject.hops))) continue;
          const chain = chainTo(reached, subjectArn);
          best.set(key, {
            api: api.row.id,
            apiName: api.row.name,
            apiKind: api.row.kind === 'HTTP' ? 'HTTP' : 'REST',
            stage: stage.name,
            verb: method.verb === '*' ? '$default' : method.verb,
            path: method.path,
            methodArn: key,
            methodKey: method.key,
            authorizationType: method.authorizationType,
            decision: decisionOfLevel(level),
            hops: subject.hops,
            via: subjectArn,
            conditions: level === Level.ALLOWED ? [] : [...chain.flatMap((h) => h.conditions ?? []), ...grant.conditions],
            ...(grant.partial ? { partial: grant.partial } : {}),
            accessPath: [...chain, ...(grantPaths(parts, grant, target)[0] ?? [])],
            level,
          });
        }
      }
    }
  }
  const methods = [...best.values()]
    .map(({ level: _level, ...m }) => m)
    .sort((a, b) => (a.methodArn < b.methodArn ? -1 : a.methodArn > b.methodArn ? 1 : 0));
  return {
    principal: callerArn(start),
    principalType: callerType(start),
    rolesReached: reached.size - 1,
    methods,
    stats: { candidates, decisions, ms: Math.round((performance.now() - started) * 100) / 100 },
  };
}

/** The Resource patterns of the caller's identity Allow statements for execute-api:Invoke; `any` when one has no Resource limit. */
function invokePatterns(caller: Caller): string[] | 'any' {
  if (caller.type !== 'principal') return [];
  const out: string[] = [];
  for (const ref of caller.entry.identityPolicies) {
    if (ref.policy.unknown) return 'any';
    for (const statement of ref.policy.statements) {
      if (statement.effect !== 'Allow' || !statementMatchesAction(statement, INVOKE)) continue;
      const el = statement.resource;
      if (el === undefined || el.negated) return 'any';
      out.push(...el.values);
    }
  }
  return out;
}
