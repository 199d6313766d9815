import { isIamPrincipal, principalArnKey, type Principal } from '../principal/principal';
import type { EvaluationMode } from '../types';
import { requestKey, type RequestFacts } from './requestKeys';

/**
 * The request context: the context keys a policy condition (or a policy
 * variable) can read. Key names are case-insensitive.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-reqcontext.html
 *
 * Keys come from three places, in this order:
 * 1. values given with the request (they always win);
 * 2. global keys derived from the caller, the resource owner and the request
 *    time: `aws:PrincipalArn` (the role ARN for a role session),
 *    `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username` (users only),
 *    `aws:userid`, `aws:PrincipalTag/…`, `aws:PrincipalOrgID`,
 *    `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName`,
 *    `aws:ResourceAccount`, `aws:CurrentTime`, `aws:EpochTime`
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html);
 *    and the keys AWS sets from the request itself (`aws:RequestedRegion`,
 *    `aws:SecureTransport`, `aws:ViaAWSService`, `aws:CalledVia`, …) when the
 *    context knows the request's action and resource (see `requestKeys.ts`);
 * 3. otherwise the key is absent (concrete mode) or unknown (analysis mode).
 */
export interface ContextValue {
  readonly values: readonly string[];
  /** True for list-typed keys (`aws:TagKeys`, `…List` types). */
  readonly isList: boolean;
}

export type ContextLookup =
  { readonly state: 'present'; readonly value: ContextValue } | { readonly state: 'absent' } | { readonly state: 'unknown' };

/** A value given with the request: a string (or number/boolean) or a list of them. */
export type ContextInputValue = string | number | boolean | readonly (string | number | boolean)[];

export interface RequestContextInit {
  readonly principal: Principal;
  /** Account that owns the resource (`aws:ResourceAccount`). */
  readonly resourceAccount?: string;
  /** Given context keys (any case). */
  readonly values?: Readonly<Record<string, ContextInputValue>> | ReadonlyMap<string, ContextValue>;
  /** The request time, for `aws:CurrentTime` and `aws:EpochTime`. */
  readonly currentTime?: Date;
  readonly mode?: EvaluationMode;
  /**
   * Keys known to be absent from the request even in analysis mode (any
   * case). An entry ending in `/*` (e.g. `aws:PrincipalTag/*`) covers every key
   * with that prefix.
   */
  readonly absentKeys?: readonly string[];
  /**
   * The request's action and resource, from which the keys AWS sets for
   * every request are derived (`aws:RequestedRegion`, `aws:SecureTransport`,
   * …; see `requestKeys.ts`). Without it those keys stay open.
   */
  readonly request?: RequestFacts;
}

const PRESENT_TRUE: ContextLookup = { state: 'present', value: { values: ['true'], isList: false } };
const PRESENT_FALSE: ContextLookup = { state: 'present', value: { values: ['false'], isList: false } };
const ABSENT: ContextLookup = { state: 'absent' };
const UNKNOWN: ContextLookup = { state: 'unknown' };

function present(value: string): ContextLookup {
  return { state: 'present', value: { values: [value], isList: false } };
}

/** Normalizes given values into a map keyed by lower-case key name. */
export function toContextMap(values: RequestContextInit['values']): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  if (values === undefined) return map;
  if (values instanceof Map) {
    for (const [k, v] of values as ReadonlyMap<string, ContextValue>) map.set(k.toLowerCase(), v);
    return map;
  }
  for (const [k, v] of Object.entries(values as Readonly<Record<string, ContextInputValue>>)) {
    map.set(k.toLowerCase(), Array.isArray(v) ? { values: v.map(String), isList: true } : { values: [String(v)], isList: false });
  }
  return map;
}

function allLowerCase(map: ReadonlyMap<string, unknown>): boolean {
  for (const k of map.keys()) if (k !== k.toLowerCase()) return false;
  return true;
}

export class RequestContext {
  readonly mode: EvaluationMode;
  readonly principal: Principal;
  readonly resourceAccount: string | undefined;
  readonly currentTime: Date | undefined;
  readonly request: RequestFacts | undefined;
  private readonly given: ReadonlyMap<string, ContextValue>;
  private readonly absent: ReadonlySet<string>;
  private readonly absentPrefixes: readonly string[];
  /**
   * Keys read during the last evaluation that were neither given nor
   * derivable (lower case). `authorize` clears it when it starts, so a context
   * can be reused for many decisions.
   */
  readonly missing = new Set<string>();
  private readonly derived = new Map<readonly string[], Map<Principal, RequestContext>>();

  constructor(init: RequestContextInit) {
    this.mode = init.mode ?? 'concrete';
    this.principal = init.principal;
    this.resourceAccount = init.resourceAccount;
    this.currentTime = init.currentTime;
    this.request = init.request;
    this.given = init.values instanceof Map && allLowerCase(init.values) ? init.values : toContextMap(init.values);
    const absent = (init.absentKeys ?? []).map((k) => k.toLowerCase());
    this.absent = new Set(absent.filter((k) => !k.endsWith('/*')));
    this.absentPrefixes = absent.filter((k) => k.endsWith('/*')).map((k) => k.slice(0, -1));
  }

  /** The given values (lower-case keys). */
  givenValues(): ReadonlyMap<string, ContextValue> {
    return this.given;
  }

  /**
   * A copy for another caller, with some keys removed and declared absent
   * (entries ending in `/*` are prefixes). Used by the API Gateway flow; the
   * copy is cached per key list (by identity) and principal, so repeated
   * decisions on one context do not rebuild it.
   */
  withAbsentKeys(keys: readonly string[], principal?: Principal): RequestContext {
    const who = principal ?? this.principal;
    let byKeys = this.derived.get(keys);
    if (byKeys === undefined) {
      byKeys = new Map();
      this.derived.set(keys, byKeys);
    }
    const cached = byKeys.get(who);
    if (cached !== undefined) return cached;
    const lower = keys.map((k) => k.toLowerCase());
    const removed = (k: string) => lower.some((a) => (a.endsWith('/*') ? k.startsWith(a.slice(0, -1)) : k === a));
    let values: ReadonlyMap<string, ContextValue> = this.given;
    if ([...this.given.keys()].some(removed)) {
      const copy = new Map(this.given);
      for (const k of [...copy.keys()]) if (removed(k)) copy.delete(k);
      values = copy;
    }
    const ctx = new RequestContext({
      principal: who,
      values,
      mode: this.mode,
      absentKeys: [...this.absent, ...this.absentPrefixes.map((p) => `${p}*`), ...lower],
      ...(this.resourceAccount !== undefined ? { resourceAccount: this.resourceAccount } : {}),
      ...(this.currentTime !== undefined ? { currentTime: this.currentTime } : {}),
      ...(this.request !== undefined ? { request: this.request } : {}),
    });
    byKeys.set(who, ctx);
    return ctx;
  }

  /** Reads a key (lower case). */
  get(keyLower: string): ContextLookup {
    const v = this.given.get(keyLower);
    if (v !== undefined) return { state: 'present', value: v };
    if (this.absent.has(keyLower)) return ABSENT;
    for (const prefix of this.absentPrefixes) if (keyLower.startsWith(prefix)) return ABSENT;
    const derived = this.derive(keyLower);
    if (derived !== undefined) return derived;
    this.missing.add(keyLower);
    return this.mode === 'concrete' ? ABSENT : UNKNOWN;
  }

  /** The derived value of a global key, or `undefined` when the key cannot be derived. */
  private derive(key: string): ContextLookup | undefined {
    if (!key.startsWith('aws:')) return undefined;
    const p = this.principal;
    // Some principal of an account, which one unknown: only its account and organization are known.
    if (p.kind === 'accountPrincipal' && /^aws:(principalarn|principaltype|username|userid|principaltag\/.*)$/.test(key)) return undefined;
    switch (key) {
      case 'aws:principalarn': {
        const arn = principalArnKey(p);
        return arn === undefined ? ABSENT : present(arn);
      }
      case 'aws:principalaccount':
        return isIamPrincipal(p) ? present(p.accountId) : ABSENT;
      case 'aws:principaltype':
        switch (p.kind) {
          case 'user':
            return present('User');
          case 'roleSession':
          case 'role':
            return present('AssumedRole');
          case 'federatedUser':
            return present('FederatedUser');
          case 'root':
            return present('Account');
          case 'anonymous':
            return present('Anonymous');
          default:
            return ABSENT;
        }
      case 'aws:username':
        return p.kind === 'user' ? present(p.name) : ABSENT;
      case 'aws:userid':
        switch (p.kind) {
          case 'user':
            return p.userId !== undefined ? present(p.userId) : undefined;
          case 'roleSession':
            return p.roleId !== undefined ? present(`${p.roleId}:${p.sessionName}`) : undefined;
          case 'role':
            return undefined;
          case 'federatedUser':
            return present(`${p.accountId}:${p.name}`);
          case 'root':
            return present(p.accountId);
          case 'anonymous':
            return present('anonymous');
          default:
            return ABSENT;
        }
      case 'aws:principalisawsservice':
        return p.kind === 'service' ? PRESENT_TRUE : PRESENT_FALSE;
      case 'aws:principalservicename':
        return p.kind === 'service' ? present(p.service) : ABSENT;
      case 'aws:principalorgid':
        if (!isIamPrincipal(p)) return ABSENT;
        if (p.orgId === null) return ABSENT;
        return p.orgId === undefined ? undefined : present(p.orgId);
      case 'aws:principalorgpaths':
        if (!isIamPrincipal(p)) return ABSENT;
        if (p.orgId === null) return ABSENT;
        return p.orgPaths === undefined ? undefined : { state: 'present', value: { values: p.orgPaths, isList: true } };
      case 'aws:resourceaccount':
        return this.resourceAccount === undefined ? undefined : present(this.resourceAccount);
      case 'aws:currenttime':
        return this.currentTime === undefined ? undefined : present(this.currentTime.toISOString().replace(/\.\d{3}Z$/, 'Z'));
      case 'aws:epochtime':
        return this.currentTime === undefined ? undefined : present(String(Math.floor(this.currentTime.getTime() / 1000)));
      default:
        break;
    }
    if (key.startsWith('aws:principaltag/')) {
      if (!isIamPrincipal(p)) return ABSENT;
      if (p.tags === undefined) return undefined;
      const tagKey = key.slice('aws:principaltag/'.length);
      for (const [k, v] of Object.entries(p.tags)) if (k.toLowerCase() === tagKey) return present(v);
      return ABSENT;
    }
    const fromRequest = requestKey(key, this.request, p);
    if (fromRequest === undefined) return undefined;
    return fromRequest.state === 'absent'
      ? ABSENT
      : { state: 'present', value: { values: fromRequest.values, isList: fromRequest.isList } };
  }
}
