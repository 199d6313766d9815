/**
 * Stage 4 of who-can: the paths that explain each principal's access. A
 * caller's own grant becomes the hops from it to the resource (member-of,
 * policy, statement, resource-policy…); role assumptions are the assume
 * edges the walk scanned.
 */
import { statementLabel, type AccessPath, type ConditionSummary, type PathHop } from '../answer';
import { callerArn } from '../decide';
import { Level } from '../levels';
import { PathEnumerator, type PathGraph } from '../pathEnumeration';
import type { Target } from '../targets';
import type { CallerGrant } from './decisions';
import { DEFAULT_MAX_HOPS, DEFAULT_MAX_PATHS, type AnalysisInputs, type WhoCanOptions } from './inputs';
import type { ReachResult } from './roleWalk';

/**
 * The hops from the caller to the resource through its own grant (0
 * assumptions). When the grant holds only under conditions, the last hop of
 * each path carries them (the engine's formula over every policy involved:
 * an Allow's condition, a Deny's, an unknown policy), so a path's conditions
 * are the union of its hops'.
 */
export function grantPaths(parts: AnalysisInputs, grant: CallerGrant, target: Target): AccessPath[] {
  const paths = grantHops(grant, target);
  if (grant.conditions.length > 0) {
    for (const path of paths) {
      const last = path[path.length - 1];
      if (last) path[path.length - 1] = { ...last, conditions: grant.conditions };
    }
  }
  return paths;
}

function grantHops(grant: CallerGrant, target: Target): AccessPath[] {
  const caller = grant.caller;
  const from = callerArn(caller);
  const to = target.resource;
  const matched = grant.decision.matchedStatements.filter((s) => s.effect === 'Allow');
  const resourceHops = (): PathHop[] =>
    matched
      .filter((s) => s.policyType === 'resource' || s.policyType === 'trust')
      .map((s) => ({ kind: 'resource-policy', from, to, policy: s.policyId, statement: statementLabel(s) }));
  if (caller.type === 'anonymous') {
    const kind = target.method?.authorizationType === 'NONE' ? 'unsigned' : 'authorizer';
    const rp = resourceHops();
    return rp.length === 0 ? [[{ kind, from, to }]] : rp.map((h) => [{ kind, from, to }, h]);
  }
  if (caller.type === 'root') {
    const rp = resourceHops();
    return caller.account === target.resourceAccount || rp.length === 0
      ? [[{ kind: 'root', from, to }]]
      : rp.map((h) => [{ kind: 'root', from, to }, h]);
  }
  if (caller.type !== 'principal') {
    const rp = resourceHops();
    return rp.length ? rp.map((h) => [h]) : [[{ kind: 'resource-policy', from, to }]];
  }
  const entry = caller.entry;
  const identityPaths: AccessPath[] = [];
  for (const s of matched) {
    if (s.policyType !== 'identity') continue;
    for (const ref of entry.identityPolicies) {
      if (ref.policy.source.id !== s.policyId) continue;
      const hops: PathHop[] = [];
      if (ref.viaGroup) hops.push({ kind: 'member-of', from, to: ref.viaGroup });
      hops.push({ kind: 'policy', from: ref.viaGroup ?? from, to: s.policyId, policy: s.policyId });
      hops.push({
        kind: 'statement',
        from: s.policyId,
        to,
        policy: s.policyId,
        statement: s.unknownPolicy ? '(document unknown)' : statementLabel(s),
      });
      identityPaths.push(hops);
    }
  }
  const sameAccount = entry.account === target.resourceAccount;
  const rp = resourceHops();
  if (sameAccount || identityPaths.length === 0 || rp.length === 0) {
    const paths = [...identityPaths, ...rp.map((h) => [h])];
    return paths.length ? paths : [[{ kind: 'statement', from, to }]];
  }
  // Cross-account: both sides must allow (IUG, "Cross-account policy evaluation logic").
  return identityPaths.flatMap((p) => resourceHops().map((h) => [...p, h]));
}

/** A principal's paths, shortest first, whether the limit left some out, and the conditions on them. */
export interface PrincipalPaths {
  paths: AccessPath[];
  more: boolean;
  conditions: ConditionSummary[];
}

/**
 * The paths of each principal reached: simple paths from it to a caller with
 * a grant, shortest first, at most `maxPaths`, and the conditions on them
 * (pathEnumeration.ts). Enumerated for a principal when asked, memoised for
 * the whole answer.
 */
export function answerPaths(
  parts: AnalysisInputs,
  target: Target,
  result: ReachResult,
  options: WhoCanOptions,
): (principal: string) => PrincipalPaths {
  const graph: PathGraph = {
    hopsOf: (arn) => result.reached.get(arn)?.hops,
    edgesFrom: (arn) => result.forwardEdges().get(arn) ?? [],
    ownPaths: (arn) => {
      const g = result.grants.get(arn);
      return g && g.level > Level.DENIED ? grantPaths(parts, g, target) : [];
    },
  };
  const enumerator = new PathEnumerator(graph, options.maxHops ?? DEFAULT_MAX_HOPS, options.maxPaths ?? DEFAULT_MAX_PATHS);
  return (principal) => {
    const { paths, more } = enumerator.pathsOf(principal);
    return { paths, more, conditions: paths.flatMap((p) => p.flatMap((h) => h.conditions ?? [])) };
  };
}
