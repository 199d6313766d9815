/**
 * Access analysis: who can invoke, who can manage, and through which path.
 * Depends on the policy engine and the model only; every decision is the
 * engine's (docs/analysis.md).
 */
export * from './answer';
export {
  AccessModel,
  type ApiEntry,
  type FunctionEntry,
  type IdentityPolicyRef,
  type PrincipalEntry,
  type VpcEndpointEntry,
} from './accessModel';
export { AssumeGraph, assumeCandidates, decideAssume, type AssumeEdge } from './assumeGraph';
export { CallerUniverse, resourceSidePolicies } from './callers';
export { CandidateIndex, globMayMatch, literalPrefixAgrees } from './candidates';
export {
  ANONYMOUS_ARN,
  ANY_ACCOUNT,
  callerAccount,
  callerArn,
  callerType,
  decide,
  decideInvoke,
  engineRequest,
  mayBeAllowed,
  targetEquivalenceKey,
  type Caller,
  type Decision,
  type RequestContextValues,
} from './decide';
export {
  bruteForceAssumeLevels,
  bruteForceWalk,
  bruteForceWhoCan,
  decisionLevel,
  type BruteForceOptions,
  type ReachedCaller,
} from './bruteForce';
export {
  engineAuthorizationType,
  normaliseAction,
  resolveMethodRef,
  resolveTarget,
  type MethodRef,
  type ResolvedMethodTarget,
  type Target,
} from './targets';
export {
  DEFAULT_MAX_HOPS,
  DEFAULT_MAX_PATHS,
  candidateCallers,
  decideCaller,
  decideRequest,
  reach,
  whoCan,
  type AnalysisInputs,
  type EndpointGrant,
  type CallerGrant,
  type WhoCanOptions,
} from './whoCan';
export { OUTSIDE_ENDPOINT, endpointChannels, usableChannels, type EndpointChannel } from './endpoints';
export { AccessAnalysis, type AnalysisSettings } from './accessAnalysis';
export { deriveAccessRows } from './derive';
export {
  can,
  evaluateRequest,
  type CanAnswer,
  type CanOptions,
  type DecidingStatement,
  type LayerVote,
  type RequestEvaluation,
} from './can';
export {
  FINDING_KIND_DESCRIPTIONS,
  FINDING_KINDS,
  SEVERITY_DESCRIPTIONS,
  atLeastAsSevere,
  findings,
  findingsWork,
  type Finding,
  type FindingKind,
  type FindingsAnswer,
  type FindingsOptions,
  type Severity,
} from './findings';
export { forwardReach, chainTo, type Reachable } from './forward';
export {
  APIGATEWAY_SERVICE,
  callerReach,
  functionReach,
  integrationHop,
  type BackendAccess,
  type CallerReachAnswer,
  type FunctionReachAnswer,
  type IntegrationHop,
  type MethodInfo,
} from './integrations';
export { invocableMethods, type InvocableAnswer, type InvocableMethod, type InvocableOptions } from './invocable';
export {
  reachableRoles,
  resolveCaller,
  rolePaths,
  type ReachableRolesAnswer,
  type RolePathOptions,
  type RolePathsAnswer,
} from './rolePaths';
export { methodStageTarget, methodTemplateArn } from './targets';
export {
  ACCESS_CHANGE_DESCRIPTIONS,
  ACCESS_KIND_DESCRIPTIONS,
  ACCESS_KINDS,
  accessDiff,
  accessDiffWork,
  improved,
  type AccessChange,
  type AccessChangeKind,
  type AccessDiff,
  type AccessDiffOptions,
  type AccessKind,
} from './diff';
export { runInSlices, runToEnd, type Work } from './work';
export {
  INDEXED_MANAGEMENT_ACTIONS,
  INDEXED_METHOD_ACTIONS,
  accessIndexRows,
  buildAccessIndex,
  type AccessIndex,
  type AccessIndexRows,
  type IndexAccessor,
  type IndexEntry,
  type IndexOptions,
  type IndexProgress,
  type IndexTarget,
  type IndexTargetKind,
} from './accessIndex';
export { buildAccessIndexThreaded, indexThreads, type ThreadedIndexOptions } from './accessIndex/threads';
export {
  INDEX_LABELS,
  IndexBuildFencedError,
  accessIndexBuilds,
  accessIndexState,
  deleteAccessIndexBuilds,
  writeAccessIndex,
  type IndexState,
  type IndexWriteProgress,
} from './accessIndex/store';
export { PathEnumerator, type PathGraph } from './pathEnumeration';
export { compactSteps, stepsFrom, walkLattice, type LatticeGraph, type WalkEdge, type WalkStep } from './latticeWalk';
export { Level, assumeLevelOf, decisionOfLevel, levelOf, levelOfDecision, strongest, weakest, type AssumeLevel } from './levels';
