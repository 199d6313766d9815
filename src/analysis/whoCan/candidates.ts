/**
 * Stage 1 of who-can: the callers worth asking. Only callers that could be
 * allowed are decided: those the resource policy names and principals whose
 * own policies may allow (the indexes of candidates.ts in the folder above).
 */
import type { Caller } from '../decide';
import type { Target } from '../targets';
import type { DecisionInputs, WhoCanOptions } from './inputs';

/** Does the target's authorization ignore who signed (every caller is the unsigned caller)? */
export function callersAreUnsigned(target: Target): boolean {
  return target.method !== undefined && target.method.authorizationType !== 'AWS_IAM' && target.action === 'execute-api:Invoke';
}

/**
 * The callers worth asking about the target itself: those the resource
 * policy names, and principals whose own policies may allow. A principal of
 * another account needs both: "the principal's account and the resource's
 * account must both allow" (IUG, "Cross-account policy evaluation logic"), so
 * one the resource policy does not name (by ARN, by account or by "*") is not
 * asked, and a resource without a resource policy is asked about by its own
 * account's principals only.
 */
export function candidateCallers(parts: DecisionInputs, target: Target, options: WhoCanOptions): Caller[] {
  const { candidates } = parts;
  const universe = candidates.universe;
  if (callersAreUnsigned(target)) return [universe.anonymous];
  const named = candidates.namedCallers(target.resourcePolicy, target.action);
  const out = named.everyone ? new Set<Caller>() : candidates.callersNamed(named);
  const account = target.resourceAccount;
  if (named.everyone) {
    // "*": every caller outside the snapshot, and every principal of the resource's account (it may grant them alone).
    for (const caller of universe.all)
      if (caller.type !== 'principal' || account === undefined || caller.entry.account === account) out.add(caller);
  }
  for (const arn of candidates.identityCandidates(target.action, target.resourceMayMatch, target.literalPrefix)) {
    const caller = universe.principal(arn)!;
    const entry = caller.type === 'principal' ? caller.entry : undefined;
    if (
      account === undefined ||
      entry?.account === account ||
      named.everyone ||
      named.accounts.has(entry?.account ?? '') ||
      out.has(caller)
    )
      out.add(caller);
  }
  if (options.includeRoot) for (const root of universe.roots) out.add(root);
  return [...out];
}
