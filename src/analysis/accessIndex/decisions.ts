/** The engine's decisions on one job of the plan, kept across the targets one thread decides (DecisionMemo). */
import { truthToJson } from '../../policy';
import { callerArn, callerPolicyViews, targetEquivalence } from '../decide';
import { endpointNamedCallers } from '../endpoints';
import { Level } from '../levels';
import { candidateCallers, decideCaller, decideGrants, sharingAllowed, type DecisionInputs, type CallerGrant } from '../whoCan';
import type { GrantSummary, IndexPlan } from './types';

/**
 * Decisions kept across the targets one thread decides. A caller's decision
 * on a target depends on the caller (its ARN, or the key of callers the
 * engine cannot tell apart on this target, `targetEquivalence`), the
 * target's head (action, account, region, resource policy, authorization,
 * endpoint type and channels; a method template's shape), and how each
 * Resource and NotResource pattern of the policies read for it (its own
 * statements that may apply, its boundary and SCPs, the resource policy, the
 * RCPs and VPC endpoint policies) matches the target's requests: matched or
 * not for a single request, the residual after `<API ARN>/<stage>/` for a
 * template (TargetTokens). Equal keys, equal decisions, so a caller class
 * decided on one method is not decided again on the next method that its
 * patterns treat alike, even where other callers' patterns tell the two
 * methods apart. Bounded: cleared when it holds `limit` decisions.
 */
export class DecisionMemo {
  private readonly decisions = new Map<string, Omit<GrantSummary, 'arn'>>();
  /** Engine decisions made, and reused from another target. */
  made = 0;
  reused = 0;

  constructor(private readonly limit = 300_000) {}

  get(key: string): Omit<GrantSummary, 'arn'> | undefined {
    const found = this.decisions.get(key);
    if (found) this.reused++;
    return found;
  }

  set(key: string, decision: Omit<GrantSummary, 'arn'>): void {
    if (this.decisions.size >= this.limit) this.decisions.clear();
    this.decisions.set(key, decision);
  }
}

/**
 * The engine's decisions on one target of the plan: the candidates decided
 * on it (callers it cannot tell apart decided once, as decideGrants does),
 * those with access. With a memo, decisions are reused across targets.
 */
export function decideJob(parts: DecisionInputs, plan: IndexPlan, specIndex: number, memo?: DecisionMemo): GrantSummary[] {
  const target = plan.specs[specIndex]!.target();
  const out: GrantSummary[] = [];
  if (!memo) {
    for (const [arn, grant] of decideGrants(parts, target, {}).grants) if (grant.level > Level.DENIED) out.push(summarise(arn, grant));
    return out;
  }
  const { model } = parts;
  const sharing = sharingAllowed(parts, target);
  const namedOneByOne = sharing ? parts.candidates.namedCallers(target.resourcePolicy, target.action).callers : undefined;
  const endpointNamed = sharing && target.method?.endpoints ? endpointNamedCallers(target.method.endpoints) : undefined;
  const tokens = plan.catalog.tokens(target);
  const probeMemo = new Map<string, string[]>();
  const byClass = new Map<string, Omit<GrantSummary, 'arn'>>();
  for (const caller of candidateCallers(parts, target, {})) {
    const arn = callerArn(caller);
    const eq =
      sharing && !namedOneByOne!.has(caller) && !endpointNamed?.has(arn)
        ? targetEquivalence(model, caller, target.action, target.resourceMayMatch)
        : undefined;
    let decision = eq ? byClass.get(eq.key) : undefined;
    if (!decision) {
      const views = callerPolicyViews(model, caller, target.action);
      const key = tokens.memoKey(
        eq ? `class ${eq.key}` : `caller ${arn}`,
        eq ? eq.statements : views.identity.flatMap((p) => p.statements),
        views.limits,
      );
      decision = key === undefined ? undefined : memo.get(key);
      if (!decision) {
        const { arn: _arn, ...decided } = summarise(arn, decideCaller(parts, caller, target, undefined, probeMemo));
        decision = decided;
        memo.made++;
        if (key !== undefined) memo.set(key, decision);
      }
      if (eq) byClass.set(eq.key, decision);
    }
    if (decision.level > Level.DENIED) out.push({ arn, ...decision });
  }
  return out;
}

export function summarise(arn: string, grant: CallerGrant): GrantSummary {
  const allowedWhen = grant.decision.conditional?.allowedWhen;
  return {
    arn,
    level: grant.level,
    conditions: grant.conditions,
    formula: allowedWhen !== undefined ? truthToJson(allowedWhen) : null,
    patterns: grant.partial ? grant.partial.patterns : null,
  };
}
