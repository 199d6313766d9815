/**
 * Shapes of GraphQL answers that several test files read (schema/schema.graphql
 * describes each field). A test declares the data it asks for with these, or
 * with its own small interfaces; fields a query leaves out are simply not read.
 * Where remote mode selects the same fields (src/services/remote/answerFragments.ts),
 * the shape is that declaration's.
 */
import type { RemoteChange, RemoteCondition, RemoteFinding, RemoteHop } from '../../../src/services/remote/answerFragments';

/** Relay's page information. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A Relay connection of `T`. */
export interface Connection<T> {
  totalCount: number;
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** One clause of a condition: which policy statement asks for which key. */
export type ClauseView = RemoteCondition['clauses'][number];

/** A condition an access depends on. */
export type ConditionView = RemoteCondition;

/** One hop of an access path. */
export type HopView = RemoteHop;

/** A principal in a who-can answer. */
export interface PrincipalAccessView {
  arn: string;
  kind: string;
  decision: string;
  hops: number;
  bestHops: number;
  morePaths: boolean;
  conditions: ConditionView[];
  paths: HopView[][];
  direct: { decision: string; conditions: ConditionView[] } | null;
  endpoints: Record<string, unknown>[] | null;
  ways: string[];
}

/** whoCan / whoCanInvoke. */
export interface AccessAnswerView {
  snapshot: string;
  action: string;
  resource: string;
  public: boolean;
  method: {
    api: string;
    apiName: string;
    stage: string;
    verb: string;
    path: string;
    authorizationType: string;
    requests: string[];
  } | null;
  principals: Connection<PrincipalAccessView>;
  stats: { fromIndex: boolean };
}

/** A role reached on the way to an access. */
export interface RoleReachView {
  role: string;
  hops: number;
  decision: string;
  conditions: ConditionView[];
  path: HopView[];
}

/** One evaluated request of `can`. */
export interface RequestEvaluationView {
  request: string;
  decision: string;
  flow: string;
  statements: Record<string, unknown>[];
  layers: { layer: string; applies: boolean; allows: string; exemptReason: string | null }[];
  missingContextKeys: string[];
}

/** can(principal, action, resource). */
export interface CanView {
  snapshot: string;
  principal: string;
  principalKind: string;
  action: string;
  resource: string;
  decision: string;
  conditions: ConditionView[];
  requests: RequestEvaluationView[];
  paths: HopView[][];
  throughRoles: { decision: string; hops: number; roles: RoleReachView[] } | null;
  overall: { decision: string; hops: number | null };
}

/** invocableMethods(principal). */
export interface InvocableView {
  principal: string;
  principalKind: string;
  rolesReached: number;
  methods: Connection<{
    methodArn: string;
    apiKind: string;
    verb: string;
    path: string;
    stage: string;
    decision: string;
    hops: number;
    via: string | null;
    conditions: ConditionView[];
    accessPath: HopView[];
  }>;
}

/** rolePaths(from, to). */
export interface RolePathsView {
  from: string;
  fromKind: string;
  to: string;
  reachable: boolean;
  decision: string;
  hops: number | null;
  morePaths: boolean;
  conditions: ConditionView[];
  paths: HopView[][];
}

/** A method as the reach questions name it. */
export interface ReachedMethodView {
  methodArn: string;
  stage: string;
  verb: string;
  path: string;
  apiName: string;
  authorizationType: string;
}

/** functionsReachableBy(principal). */
export interface FunctionsReachableView {
  principal: string;
  principalKind: string;
  functions: Connection<{
    function: string;
    functionName: string;
    ingested: boolean;
    credentialsMode: string;
    role: string | null;
    decision: string;
    hops: number;
    via: string;
    directly: string;
    method: ReachedMethodView;
    path: HopView[];
  }>;
}

/** whoCanReachFunction(function). */
export interface WhoCanReachFunctionView {
  snapshot: string;
  function: string;
  functionName: string;
  direct: AccessAnswerView;
  throughApis: {
    method: ReachedMethodView;
    credentialsMode: string;
    role: string | null;
    integration: string;
    notes: string[];
    principals: Connection<PrincipalAccessView>;
  }[];
  principals: Connection<PrincipalAccessView>;
}

/** A page of findings. */
export interface FindingsView extends Connection<RemoteFinding> {
  snapshot: string;
  counts: { high: number; medium: number; low: number };
}

/** A page of accessDiff. */
export interface AccessDiffView extends Connection<RemoteChange> {
  from: string;
  to: string;
  compared: number;
  counts: { gained: number; lost: number; changed: number };
}
