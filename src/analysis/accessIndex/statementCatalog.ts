/** How the snapshot's Resource and NotResource patterns treat each target: the class keys of the plan and the memo keys of the decisions. */
import {
  compileResidual,
  parsePolicy,
  statementMatchesAction,
  type CompiledPolicy,
  type CompiledStatement,
  type Residual,
} from '../../policy';
import type { AccessModel } from '../accessModel';
import { literalPrefixAgrees } from '../candidates';
import { type Target } from '../targets';

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
