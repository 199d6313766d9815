import type { CompiledPolicy } from '../compiled';
import { actionElementApplies } from '../match/action';

/**
 * The policy as it stands for one action: only the statements whose Action
 * (or NotAction) covers it. A statement that does not cover the action
 * neither allows nor denies it (IUG, "Policy evaluation logic": a statement
 * applies only when the request matches its Action, Resource and
 * Condition), so every decision on that action is the same with either
 * policy; evaluating many principals on one action then skips the rest of
 * their statements. Unknown policies are returned as they are. Views are
 * cached per policy and action.
 */
const views = new WeakMap<CompiledPolicy, Map<string, CompiledPolicy>>();

export function policyForAction(policy: CompiledPolicy, action: string): CompiledPolicy {
  if (policy.unknown) return policy;
  const actionLower = action.toLowerCase();
  let byAction = views.get(policy);
  if (!byAction) {
    byAction = new Map();
    views.set(policy, byAction);
  }
  let view = byAction.get(actionLower);
  if (!view) {
    const statements = policy.statements.filter((s) => actionElementApplies(s.action, actionLower));
    view = statements.length === policy.statements.length ? policy : Object.freeze({ ...policy, statements });
    byAction.set(actionLower, view);
  }
  return view;
}
