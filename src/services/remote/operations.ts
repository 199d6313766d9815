import { CHANGE, FINDING, PRINCIPAL, withFragments } from './answerFragments';
import { REVIEW } from './remoteReview';

/**
 * The GraphQL documents remote mode sends to a whocan server: the browsing
 * queries for the inventory and the analysis questions, whose answers' parts
 * are the fragments of answerFragments.ts.
 */

const PAGE = 'totalCount pageInfo { hasNextPage endCursor }';

export const SNAPSHOTS = `query WhocanSnapshots($first: Int, $after: String) { snapshots(first: $first, after: $after) { nodes { id current state } ${PAGE} } }`;

export const apisQuery = (field: 'restApis' | 'httpApis') =>
  `query WhocanApis($snapshot: String, $first: Int, $after: String) { ${field}(snapshot: $snapshot, first: $first, after: $after) { nodes { id name account region arn executeApiArn stages { name } methods(first: 100) { nodes { verb path authorizationType } ${PAGE} } } ${PAGE} } }`;

export const apiMethodsQuery = (field: 'restApi' | 'httpApi') =>
  `query WhocanApiMethods($snapshot: String, $id: String!, $first: Int, $after: String) { ${field}(id: $id, snapshot: $snapshot) { methods(first: $first, after: $after) { nodes { verb path authorizationType } ${PAGE} } } }`;

export const ROLES = `query WhocanRoles($snapshot: String, $first: Int, $after: String) { principals(filter: { kind: ROLE }, snapshot: $snapshot, first: $first, after: $after) { nodes { arn } ${PAGE} } }`;

export const ORGANIZATION =
  'query WhocanOrganization($snapshot: String) { organization(snapshot: $snapshot) { hasOrganization organizationId accounts { id name ingested inOrganization } } }';

export const GROUPS =
  'query WhocanGroups($arn: String!, $snapshot: String) { principal(arn: $arn, snapshot: $snapshot) { ... on User { groups { arn } } } }';

export const WHO_CAN = withFragments(
  `query WhocanWhoCan($action: String!, $resource: String!, $snapshot: String, $context: [ContextEntry!], $maxHops: Int, $maxPaths: Int, $includeRoot: Boolean, $includeDenied: Boolean, $first: Int, $after: String) {
  whoCan(action: $action, resource: $resource, snapshot: $snapshot, context: $context, maxHops: $maxHops, maxPaths: $maxPaths, includeRoot: $includeRoot, includeDenied: $includeDenied) {
    resource action public refused snapshot
    method { api apiName stage verb path authorizationType requests }
    stats { candidates decisions milliseconds }
    principals(first: $first, after: $after) { nodes { ...WhocanPrincipal } ${PAGE} }
  }
}`,
  PRINCIPAL,
);

export const CAN = `query WhocanCan($principal: String!, $action: String!, $resource: String!, $snapshot: String, $context: [ContextEntry!], $maxHops: Int) {
  can(principal: $principal, action: $action, resource: $resource, snapshot: $snapshot, context: $context, maxHops: $maxHops) { principal principalKind snapshot overall { decision hops } }
}`;

export const FINDINGS = withFragments(
  `query WhocanFindings($snapshot: String, $kinds: [FindingKind!], $first: Int, $after: String) {
  findings(snapshot: $snapshot, kinds: $kinds, first: $first, after: $after) {
    snapshot counts { high medium low }
    nodes { ...WhocanFinding }
    ${PAGE}
  }
}`,
  FINDING,
);

export const ACCESS_DIFF = withFragments(
  `query WhocanAccessDiff($from: String, $to: String, $kinds: [AccessKind!], $apis: [String!], $context: [ContextEntry!], $maxHops: Int, $maxPaths: Int, $first: Int, $after: String) {
  accessDiff(from: $from, to: $to, kinds: $kinds, apis: $apis, context: $context, maxHops: $maxHops, maxPaths: $maxPaths, first: $first, after: $after) {
    from to compared counts { gained lost changed }
    nodes { ...WhocanChange }
    ${PAGE}
  }
}`,
  CHANGE,
);

/** Every operation this client sends (checked against schema/schema.graphql by a test), with sample variables. */
export const REMOTE_OPERATIONS: Record<string, string> = {
  snapshots: SNAPSHOTS,
  restApis: apisQuery('restApis'),
  httpApis: apisQuery('httpApis'),
  restApiMethods: apiMethodsQuery('restApi'),
  httpApiMethods: apiMethodsQuery('httpApi'),
  roles: ROLES,
  organization: ORGANIZATION,
  groups: GROUPS,
  whoCan: WHO_CAN,
  can: CAN,
  findings: FINDINGS,
  accessDiff: ACCESS_DIFF,
  review: REVIEW,
};
