/**
 * whocan's IAM policy engine: the single source of IAM semantics for the
 * project. Pure: no I/O, no database, no logger, no imports outside this
 * folder. See docs/policy-engine.md.
 */

// Types
export type { Decision, Effect, EvaluationDecision, EvaluationMode, PolicySource, PolicyType, PolicyVersion, StatementRef } from './types';
export { POLICY_TYPES, POLICY_TYPE_LABELS } from './types';
export { PolicyValidationError, isPolicyValidationError, type PolicyProblem } from './errors';

// Parsing
export type { CompiledPolicy, CompiledStatement } from './compiled';
export { parsePolicy, validatePolicy, type ParsePolicyOptions, type ValidationResult } from './parse/parsePolicy';
export { decodeDocument } from './parse/decode';
export { unknownPolicy, isUnknownPolicy, type UnknownPolicyOptions, type UnknownPolicyUse } from './evaluate/unknownPolicy';
export { policyForAction } from './evaluate/forAction';
export { readsCallerIdentity, statementReadsCallerIdentity } from './evaluate/callerIdentity';

// Principals and context
export {
  principalFromArn,
  principalAccount,
  principalArnKey,
  isIamPrincipal,
  isServiceLinked,
  type Principal,
  type PrincipalFacts,
  type PrincipalFromArnOptions,
  type PrincipalParseResult,
  type UserPrincipal,
  type RoleSessionPrincipal,
  type RolePrincipal,
  type FederatedUserPrincipal,
  type RootPrincipal,
  type ServicePrincipal,
  type FederatedIdentityPrincipal,
  type AnonymousPrincipal,
  type IamPrincipal,
} from './principal/principal';
export { RequestContext, type ContextInputValue, type ContextLookup, type ContextValue, type RequestContextInit } from './context/context';
export {
  isAwsManagedPolicyArn,
  needsNoPermission,
  protectedResourceReason,
  protectedRoleKind,
  type ProtectedRoleKind,
} from './evaluate/outsidePolicies';
export { REQUEST_KEYS, requestedRegion, type RequestFacts } from './context/requestKeys';

// Matching primitives
export {
  accountIdOfArn,
  accountOfArn,
  isAwsPartition,
  parseArn,
  principalAccountOf,
  splitArnComponents,
  type ParsedArn,
} from './match/arn';
export type { PrincipalMatch } from './match/principal';
export { compileResidual, compileWildcard, type GlobStyle, type Residual, type StringMatcher } from './match/glob';
export {
  evaluateStatement,
  evaluateStatementConditions,
  statementMatchesAction,
  statementMatchesPrincipal,
  statementMatchesResource,
  type StatementEvaluation,
  type StatementRequest,
} from './evaluate/statement';
export { parseOperator, OPERATOR_NAMES, type ParsedOperator, type SetOperator } from './conditions/operators';
export { parseIpRange, ipRangeContains, type IpRange } from './conditions/ip';
export { parseDate } from './conditions/date';

// Symbolic outcomes (analysis mode)
export {
  and,
  or,
  not,
  andAll,
  orAll,
  isUnknown,
  evaluateTruth,
  assumeAtoms,
  collectAtoms,
  describeTruth,
  describeAtom,
  truthToJson,
  type Truth,
  type Unknown,
  type Atom,
  type ConditionAtom,
  type ResourceVariableAtom,
  type SessionNameAtom,
  type AuthorizerAtom,
  type UnknownPolicyAtom,
  type TruthJson,
} from './logic/truth';
export { assumeContext, truthFromJson } from './logic/truthJson';

// Evaluation
export {
  authorize,
  resolveResourceAccount,
  type AuthorizationRequest,
  type AuthorizationResult,
  type ContextInit,
  type ControlPolicyDetail,
  type LayerDetail,
  type OrganizationFacts,
} from './evaluate/authorize';
export {
  conditionalToJson,
  type ConditionalOutcome,
  type ConditionalOutcomeJson,
  type MatchedStatement,
  type TruthSummary,
} from './evaluate/result';
export { isTrustAction, ROLE_CHAINING_MAX_SECONDS } from './evaluate/sts';

// API Gateway
export {
  authorizeApiGatewayInvoke,
  AUTHORIZATION_TYPES,
  ENDPOINT_TYPES,
  AUTHORIZER_DECISIONS,
  type ApiGatewayFlow,
  type ApiGatewayInvokeRequest,
  type ApiGatewayInvokeResult,
  type AuthorizationType,
  type AuthorizerDecision,
  type EndpointType,
} from './apigateway/invoke';
export { expandExecuteApiShortForm, parseExecuteApiArn, usesExecuteApiShortForm, type ExecuteApiArn } from './apigateway/executeApiArn';

// Explanations
export { explainAuthorization, explainApiGatewayInvoke, describeMatchedStatement } from './explain/explain';
