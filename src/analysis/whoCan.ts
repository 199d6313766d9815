/**
 * The fast "who can …?" answer, as a pipeline of five stages, one file each
 * in the folder whoCan/:
 *
 * 1. whoCan/candidates.ts: the callers worth asking (named by the resource policy,
 *    or holding policies that may allow);
 * 2. whoCan/decisions.ts: each candidate decided by the engine on the target itself
 *    (its grant), equivalent callers once;
 * 3. whoCan/roleWalk.ts: the role graph walked backwards from every grant, up to
 *    `maxHops` assumptions (the lattice walk of latticeWalk.ts);
 * 4. whoCan/paths.ts: each principal's paths, enumerated when first read;
 * 5. whoCan/answer.ts: the principals, sorted, with their own and per-endpoint access.
 *
 * The brute-force reference (bruteForce.ts) decides every caller with the
 * same `decideCaller`, so the answers can differ only if a candidate filter
 * leaves someone out, which the differential tests look for.
 */
import type { WhoCanAnswer } from './answer';
import type { Target } from './targets';
import { answerOf } from './whoCan/answer';
import { candidateCallers } from './whoCan/candidates';
import { decideCallers, decideGrants } from './whoCan/decisions';
import type { AnalysisInputs, WhoCanOptions } from './whoCan/inputs';
import { answerPaths } from './whoCan/paths';
import { propagate, type ReachResult } from './whoCan/roleWalk';

/** Who can do the target's action: everyone with access within maxHops, with decisions, conditions and paths. */
export function whoCan(parts: AnalysisInputs, target: Target, options: WhoCanOptions = {}): WhoCanAnswer {
  const started = performance.now();
  const callers = candidateCallers(parts, target, options);
  const grants = decideCallers(parts, target, callers, options.context);
  const walked = propagate(parts, grants, options);
  const paths = answerPaths(parts, target, walked, options);
  return answerOf(parts, target, walked, paths, options, started);
}

/** Stages 1 to 3 alone (no paths, no answer): the role walk's result. */
export function reach(parts: AnalysisInputs, target: Target, options: WhoCanOptions): ReachResult {
  return propagate(parts, decideGrants(parts, target, options), options);
}

// The stages other analyses reuse.
export { DEFAULT_MAX_HOPS, DEFAULT_MAX_PATHS, type AnalysisInputs, type DecisionInputs, type WhoCanOptions } from './whoCan/inputs';
export { callersAreUnsigned, candidateCallers } from './whoCan/candidates';
export {
  bestEndpointFor,
  decideCaller,
  decideCallers,
  decideGrants,
  decideRequest,
  patternCoversPrefix,
  sharingAllowed,
  type EndpointGrant,
  type CallerGrant,
  type DecidedCallers,
} from './whoCan/decisions';
export { propagate, walkBackwards, type Reached, type ReachResult } from './whoCan/roleWalk';
export { answerPaths, grantPaths, type PrincipalPaths } from './whoCan/paths';
export { answerOf, endpointReach } from './whoCan/answer';
