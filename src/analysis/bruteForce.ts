import type { AccessModel } from './accessModel';
import { callerArn, decide, mayBeAllowed, type Caller, type Decision, type RequestContextValues } from './decide';

/**
 * The reference answer to "who can …?": ask the policy engine about every
 * caller directly, then follow role chains breadth-first. It is what
 * per-request simulators do and it is slow (callers × roles assume checks),
 * which is the point: the fast analysis must give exactly the same answers,
 * and the differential tests and the benchmark compare the two.
 */
export interface ReachedCaller {
  caller: Caller;
  /** 0: the caller itself is allowed; n: through a chain of n role assumptions. */
  hops: number;
  /** The roles assumed, in order, ending at the role that is allowed (empty for hops 0). */
  chain: string[];
}

/** Accounts named by the AWS principals of trust and resource policies but not ingested. */
export function externalAccounts(model: AccessModel): string[] {
  const ingested = new Set(model.rows.accounts.filter((a) => a.ingested).map((a) => a.id));
  const found = new Set<string>();
  const policyKeys = new Set([...model.rows.trustPolicies.map((l) => l.to), ...model.rows.resourcePolicies.map((l) => l.to)]);
  for (const statement of model.rows.statements) {
    if (!policyKeys.has(statement.policyKey) || statement.principal === null) continue;
    for (const match of statement.principal.matchAll(/(?:arn:aws[a-z-]*:(?:iam|sts)::)?(\d{12})(?=[:"])/g)) {
      const account = match[1];
      if (account && !ingested.has(account)) found.add(account);
    }
  }
  return [...found].sort();
}

/** Every caller the analysis knows: users, roles and external accounts (anonymous is added by invoke questions). */
export function allCallers(model: AccessModel): Caller[] {
  return [
    ...model.users.map((entry): Caller => ({ type: 'principal', entry })),
    ...model.roles.map((entry): Caller => ({ type: 'principal', entry })),
    ...externalAccounts(model).map((account): Caller => ({ type: 'account', account })),
  ];
}

/** Can `caller` assume `roleArn`? The role's trust policy and, where AWS requires it, the caller's own permission. */
export function decideAssume(model: AccessModel, caller: Caller, roleArn: string, context?: RequestContextValues): Decision | undefined {
  const role = model.principals.get(roleArn);
  const trust = model.trustPolicies.get(roleArn);
  if (!role || role.kind !== 'role' || !trust) return undefined;
  return decide(model, caller, { action: 'sts:AssumeRole', resource: roleArn, resourceAccount: role.account, resourcePolicy: trust, ...(context ? { context } : {}) });
}

export function bruteForceWhoCan(
  model: AccessModel,
  isAllowed: (caller: Caller) => Decision,
  options: { maxHops: number; context?: RequestContextValues; extraCallers?: Caller[] },
): Map<string, ReachedCaller> {
  const callers = [...allCallers(model), ...(options.extraCallers ?? [])];
  const reached = new Map<string, ReachedCaller>();
  for (const caller of callers) {
    if (mayBeAllowed(isAllowed(caller))) reached.set(callerArn(caller), { caller, hops: 0, chain: [] });
  }
  if (options.maxHops <= 0) return reached;

  // Every assume-role edge, decided by the engine.
  const canAssume = new Map<string, string[]>(); // role ARN → callers that can assume it
  for (const caller of callers) {
    if (caller.type === 'anonymous') continue;
    for (const role of model.roles) {
      if (caller.type === 'principal' && caller.entry.arn === role.arn) continue;
      const decision = decideAssume(model, caller, role.arn, options.context);
      if (decision && mayBeAllowed(decision)) canAssume.set(role.arn, [...(canAssume.get(role.arn) ?? []), callerArn(caller)]);
    }
  }
  const byArn = new Map(callers.map((c) => [callerArn(c), c]));
  let frontier = [...reached.values()].filter((r) => r.caller.type === 'principal' && r.caller.entry.kind === 'role');
  for (let hop = 1; hop <= options.maxHops && frontier.length > 0; hop++) {
    const next: ReachedCaller[] = [];
    for (const target of frontier) {
      const roleArn = callerArn(target.caller);
      for (const arn of canAssume.get(roleArn) ?? []) {
        if (reached.has(arn)) continue;
        const caller = byArn.get(arn);
        if (!caller) continue;
        const entry: ReachedCaller = { caller, hops: hop, chain: [roleArn, ...target.chain] };
        reached.set(arn, entry);
        if (caller.type === 'principal' && caller.entry.kind === 'role') next.push(entry);
      }
    }
    frontier = next;
  }
  return reached;
}
