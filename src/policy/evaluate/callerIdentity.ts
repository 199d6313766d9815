import type { CompiledPolicy, CompiledStatement } from '../compiled';

/**
 * Does the policy's verdict depend on which principal of an account asks,
 * beyond its kind (user or role)? It does when a statement reads a context
 * key derived from the caller itself (`aws:PrincipalArn`, `aws:PrincipalTag/…`,
 * `aws:username`, `aws:userid`; see RequestContext) or uses a policy variable
 * (`${aws:username}`, `${aws:PrincipalTag/team}` …), which may resolve to one.
 * Keys that are the same for every principal of an account
 * (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`)
 * do not count. The Principal element of a resource-based policy is not
 * looked at: callers check who it names. An unknown policy may read anything.
 *
 * Used to decide once for principals that are otherwise alike (same account,
 * kind and policies): when no policy involved reads the caller's identity,
 * the engine's decision is the same for each of them.
 */
const CALLER_KEY = /^aws:(principalarn|principaltag\/.*|username|userid)$/i;
const cache = new WeakMap<CompiledPolicy, boolean>();

export function readsCallerIdentity(policy: CompiledPolicy): boolean {
  if (policy.unknown) return true;
  let result = cache.get(policy);
  if (result === undefined) {
    result = policy.statements.some(statementReadsCallerIdentity);
    cache.set(policy, result);
  }
  return result;
}

const statementCache = new WeakMap<CompiledStatement, boolean>();

/** `readsCallerIdentity` for one statement: a policy variable anywhere, or a condition on a caller-derived key. */
export function statementReadsCallerIdentity(statement: CompiledStatement): boolean {
  let result = statementCache.get(statement);
  if (result === undefined) {
    result = JSON.stringify(statement.raw).includes('${') || conditionReadsCaller(statement.raw['Condition']);
    statementCache.set(statement, result);
  }
  return result;
}

function conditionReadsCaller(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  return Object.values(condition as Record<string, unknown>).some(
    (block) => block !== null && typeof block === 'object' && Object.keys(block).some((key) => CALLER_KEY.test(key)),
  );
}
