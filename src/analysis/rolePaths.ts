/**
 * "How can FROM become TO?": the chains of `sts:AssumeRole` from a caller to
 * a role, shortest first, each hop with the trust statement, the caller's own
 * statement and any conditions (the CAN_ASSUME relationships).
 */
import { NotFoundError, UserInputError } from '../errors';
import { dedupeConditions, type AccessDecision, type AccessPath, type ConditionSummary, type PathHop } from './answer';
import type { AssumeEdge } from './assumeGraph';
import { callerArn, callerType, type Caller, type CallerType, type RequestContextValues } from './decide';
import { chainTo, forwardReach, type Reachable } from './forward';
import { stepsFrom, walkLattice, type WalkStep } from './latticeWalk';
import { Level } from './levels';
import { DEFAULT_MAX_HOPS, DEFAULT_MAX_PATHS, type AnalysisInputs } from './whoCan';

export interface RolePathsAnswer {
  from: string;
  fromType: CallerType;
  to: string;
  /** Whether any chain of at most maxHops assumptions exists. */
  reachable: boolean;
  /** The best decision over the chains: allowed, or conditional (some hop has conditions). */
  decision: AccessDecision;
  /** Assumptions on the shortest chain (0 when FROM is TO). */
  hops: number | null;
  conditions: ConditionSummary[];
  paths: AccessPath[];
  morePaths?: boolean;
}

export interface RolePathOptions {
  context?: RequestContextValues | undefined;
  maxHops?: number | undefined;
  maxPaths?: number | undefined;
}

/** The caller an answer names, by ARN: an ingested principal, an account stand-in, a service, an external principal. */
export function resolveCaller(parts: AnalysisInputs, arn: string, what = 'principal'): Caller {
  const value = arn.trim();
  const universe = parts.candidates.universe;
  const found = universe.byArn.get(value);
  if (found) return found;
  if (!/^arn:aws[a-z-]*:(iam|sts)::(\d{12}|\*):/.test(value) && !/^[a-z0-9.-]+\.amazonaws\.com$/.test(value) && value !== 'anonymous') {
    throw new UserInputError(
      `${JSON.stringify(arn)} is not a ${what} ARN: expected arn:aws:iam::ACCOUNT:user/NAME, …:role/NAME, arn:aws:iam::ACCOUNT:root, or a service such as apigateway.amazonaws.com.`,
    );
  }
  throw new NotFoundError(
    `${value} is not in the snapshot: no ingested user or role has this ARN, and no trust or resource policy names it.`,
  );
}

export function rolePaths(parts: AnalysisInputs, fromArn: string, toArn: string, options: RolePathOptions = {}): RolePathsAnswer {
  const from = resolveCaller(parts, fromArn);
  const target = parts.model.principals.get(toArn.trim());
  if (!target || target.kind !== 'role') {
    if (/^arn:aws[a-z-]*:iam::\d{12}:role\//.test(toArn.trim())) throw new NotFoundError(`No role ${toArn.trim()} in the snapshot.`);
    throw new UserInputError(`${JSON.stringify(toArn)} is not a role ARN: expected arn:aws:iam::ACCOUNT:role/NAME.`);
  }
  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  const limit = options.maxPaths ?? DEFAULT_MAX_PATHS;
  const start = callerArn(from);
  const base = { from: start, fromType: callerType(from), to: target.arn };
  if (start === target.arn) return { ...base, reachable: true, decision: 'allowed', hops: 0, conditions: [], paths: [[]] };

  // Backwards from the role (latticeWalk.ts): the fewest assumptions from each caller to it, and
  // the best level over its chains (a chain is as good as its weakest hop).
  const distance = walkLattice(
    new Map<string, WalkStep>([[target.arn, { hops: 0, level: Level.ALLOWED, bestHops: 0 }]]),
    stepsFrom((role) => parts.assumeGraph.incoming(role, options.context)),
    (_arn, hops, level) => ({ hops, level, bestHops: hops }),
    maxHops,
  );
  const shortest = distance.get(start);
  if (!shortest) return { ...base, reachable: false, decision: 'denied', hops: null, conditions: [], paths: [] };

  // Forwards from the caller: simple paths, shortest first, pruned by the distance to the role.
  const paths: AccessPath[] = [];
  let more = false;
  let budget = 20_000;
  for (let length = shortest.hops; length <= maxHops && !more; length++) {
    const visited = new Set([start]);
    const walk = (arn: string, prefix: PathHop[], left: number): boolean => {
      if (--budget < 0) {
        more = true;
        return false;
      }
      for (const edge of parts.assumeGraph.outgoing(arn, options.context) as AssumeEdge[]) {
        const d = distance.get(edge.to);
        if (!d || d.hops > left - 1 || visited.has(edge.to)) continue;
        const hops = [...prefix, edge.hop];
        if (left === 1) {
          if (edge.to !== target.arn) continue;
          if (paths.length >= limit) {
            more = true;
            return false;
          }
          paths.push(hops);
          continue;
        }
        visited.add(edge.to);
        const ok = walk(edge.to, hops, left - 1);
        visited.delete(edge.to);
        if (!ok) return false;
      }
      return true;
    };
    walk(start, [], length);
  }
  const allowed = shortest.level === Level.ALLOWED;
  const conditions = allowed ? [] : dedupeConditions(paths.flatMap((p) => p.flatMap((h) => h.conditions ?? [])));
  return {
    ...base,
    reachable: true,
    decision: allowed ? 'allowed' : 'conditional',
    hops: shortest.hops,
    conditions,
    paths,
    ...(more ? { morePaths: true } : {}),
  };
}

/**
 * "Which roles can this principal become?": every role reached through
 * chains of at most `maxHops` assumptions, each with the fewest assumptions,
 * the best decision over its chains (allowed, or conditional when every chain
 * has a hop with conditions) and its shortest chain. The same walk `can`
 * and `invocableMethods` use for "through roles" (forward.ts).
 */
export interface ReachableRolesAnswer {
  principal: string;
  principalType: CallerType;
  roles: { role: string; hops: number; decision: AccessDecision; conditions: ConditionSummary[]; path: AccessPath }[];
}

export function reachableRoles(
  parts: AnalysisInputs,
  principalArn: string,
  options: { context?: RequestContextValues | undefined; maxHops?: number | undefined } = {},
): ReachableRolesAnswer {
  const caller = resolveCaller(parts, principalArn);
  const start = callerArn(caller);
  // As `can` does for its "through roles": root users and anonymous callers are not followed into roles.
  const reached =
    caller.type === 'root' || caller.type === 'anonymous'
      ? new Map<string, Reachable>()
      : forwardReach(parts, caller, start, options.maxHops ?? DEFAULT_MAX_HOPS, options.context);
  const roles: ReachableRolesAnswer['roles'] = [];
  for (const [arn, r] of reached) {
    if (r.hops === 0) continue;
    const path = chainTo(reached, arn);
    roles.push({
      role: arn,
      hops: r.hops,
      decision: r.level === Level.ALLOWED ? 'allowed' : 'conditional',
      conditions: r.level === Level.ALLOWED ? [] : dedupeConditions(path.flatMap((h) => h.conditions ?? [])),
      path,
    });
  }
  roles.sort((a, b) => a.hops - b.hops || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  return { principal: start, principalType: callerType(caller), roles };
}
