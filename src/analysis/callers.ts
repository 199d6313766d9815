import { accountOfArn, principalFromArn, type CompiledPolicy } from '../policy';
import type { AccessModel } from './accessModel';
import { ANY_ACCOUNT, callerArn, type Caller } from './decide';

/**
 * Every caller a "who can …?" answer may name, built once per snapshot. Each
 * caller is one object for the life of the analysis, so per-caller work (the
 * engine request's caller side) is cached on it.
 *
 * - every ingested user and role;
 * - `external`: users, roles and role sessions of accounts that were not
 *   ingested, named by ARN in a trust or resource policy;
 * - `account`: each account that is not ingested but known (a member of the
 *   organization without IAM data) or named by a trust or resource policy;
 *   and `ANY_ACCOUNT` (every other AWS account, for policies that name `"*"`);
 * - `service`: AWS services named by a trust or resource policy;
 * - the root user of each ingested account (answers include them only on request);
 * - anonymous (unsigned) callers.
 */
export class CallerUniverse {
  /** Callers that are always candidates of the brute-force reference (no roots, no anonymous). */
  readonly all: readonly Caller[];
  readonly byArn = new Map<string, Caller>();
  readonly accountsByKey = new Map<string, Caller>();
  readonly anyAccount: Caller = { type: 'account', account: ANY_ACCOUNT };
  readonly anonymous: Caller = { type: 'anonymous' };
  readonly roots: readonly Caller[];
  private readonly principalCallers = new Map<string, Caller>();
  private readonly serviceCallers = new Map<string, Caller>();

  constructor(model: AccessModel) {
    const all: Caller[] = [];
    for (const entry of [...model.users, ...model.roles]) {
      const caller: Caller = { type: 'principal', entry };
      this.principalCallers.set(entry.arn, caller);
      all.push(caller);
    }
    const ingested = new Set([...model.accounts.values()].filter((a) => a.ingested).map((a) => a.id));
    const externals = new Map<string, Caller>();
    const accounts = new Set<string>();
    for (const account of model.accounts.values()) if (!account.ingested && account.id !== ANY_ACCOUNT) accounts.add(account.id);
    const services = new Set<string>();
    for (const policy of resourceSidePolicies(model)) {
      for (const statement of policy.statements) {
        const el = statement.principal;
        if (!el) continue;
        for (const account of el.accounts) if (!ingested.has(account)) accounts.add(account);
        for (const arn of el.arns) {
          const account = accountOfArn(arn) ?? '';
          if (ingested.has(account) || externals.has(arn)) continue;
          const orgId = model.orgIdOf(account);
          const parsed = principalFromArn(arn, orgId !== undefined ? { orgId } : {});
          if (parsed.ok) externals.set(arn, { type: 'external', arn, account, principal: parsed.principal });
        }
        for (const service of el.services) services.add(service);
      }
    }
    for (const caller of externals.values()) all.push(caller);
    for (const account of [...accounts].sort()) {
      const caller: Caller = { type: 'account', account };
      this.accountsByKey.set(account, caller);
      all.push(caller);
    }
    all.push(this.anyAccount);
    for (const service of [...services].sort()) {
      const caller: Caller = { type: 'service', service };
      this.serviceCallers.set(service, caller);
      all.push(caller);
    }
    this.all = all;
    this.roots = [...ingested].sort().map((account): Caller => ({ type: 'root', account }));
    for (const caller of [...all, ...this.roots, this.anonymous]) this.byArn.set(callerArn(caller), caller);
  }

  private ranks: Map<string, number> | undefined;

  /**
   * Each caller ARN's position in ARN order (JavaScript string order, the
   * order answers list principals in within a hop count and decision): sorting
   * an answer of 12,000 principals compares integers instead of ARNs.
   */
  arnRanks(): ReadonlyMap<string, number> {
    if (!this.ranks) {
      const arns = [...this.byArn.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.ranks = new Map(arns.map((arn, i) => [arn, i]));
    }
    return this.ranks;
  }

  principal(arn: string): Caller | undefined {
    return this.principalCallers.get(arn);
  }

  service(name: string): Caller | undefined {
    return this.serviceCallers.get(name);
  }

  /** A service as a caller even when no policy names it (API Gateway calling an integration's backend). */
  serviceCaller(name: string): Caller {
    let caller = this.serviceCallers.get(name) ?? this.extraServices.get(name);
    if (!caller) {
      caller = { type: 'service', service: name };
      this.extraServices.set(name, caller);
    }
    return caller;
  }

  private readonly extraServices = new Map<string, Caller>();

  /** The stand-in for the principals of a non-ingested account (`ANY_ACCOUNT` included). */
  account(account: string): Caller | undefined {
    return account === ANY_ACCOUNT ? this.anyAccount : this.accountsByKey.get(account);
  }

  /** Every account stand-in (non-ingested accounts and ANY_ACCOUNT). */
  accountStandIns(): Caller[] {
    return [...this.accountsByKey.values(), this.anyAccount];
  }

  externalCallers(): Caller[] {
    return this.all.filter((c) => c.type === 'external');
  }
}

/** Trust policies and API and function resource policies: the policies whose Principal element names callers. */
export function resourceSidePolicies(model: AccessModel): CompiledPolicy[] {
  const out: CompiledPolicy[] = [...model.trustPolicies.values()];
  for (const api of model.apis.values()) if (api.resourcePolicy) out.push(api.resourcePolicy);
  for (const fn of model.functions.values()) if (fn.resourcePolicy) out.push(fn.resourcePolicy);
  return out;
}
