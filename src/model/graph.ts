/**
 * The graph model: node labels, relationship types and the rows the ingest
 * writes. Cypher cannot take labels or relationship types as parameters, so
 * every query builds them from these constants, never from input.
 *
 * Every node carries `snapshot` (the id of the snapshot it belongs to) and a
 * `key` unique within that snapshot; uniqueness constraints on
 * (snapshot, key) come from migrations/. Queries always filter on the
 * current snapshot, so an ingest in progress is invisible until it completes.
 * docs/graph-model.md describes the model with pictures and example queries.
 */

export const Label = {
  Snapshot: 'Snapshot',
  Account: 'Account',
  OrgRoot: 'OrgRoot',
  OrgUnit: 'OrgUnit',
  User: 'User',
  Group: 'Group',
  Role: 'Role',
  Policy: 'Policy',
  Statement: 'Statement',
  ServicePrincipal: 'ServicePrincipal',
  RestApi: 'RestApi',
  HttpApi: 'HttpApi',
  Stage: 'Stage',
  ApiResource: 'ApiResource',
  Method: 'Method',
  Integration: 'Integration',
  LambdaFunction: 'LambdaFunction',
  /** An interface VPC endpoint for execute-api: the way into private REST APIs. */
  VpcEndpoint: 'VpcEndpoint',
  /** A user, role or session of an account that was not ingested, named by ARN in a trust or resource policy. */
  ExternalPrincipal: 'ExternalPrincipal',
  /** The access index (src/analysis/accessIndex.ts): a caller that has some indexed access (users, roles, accounts, external and service principals, `anonymous`). */
  Accessor: 'Accessor',
  /** The access index: callers whose rows over every indexed answer are the same. */
  AccessClass: 'AccessClass',
  /** The access index: one answer (who has access, with decisions and hops), shared by every target answered alike. */
  AccessSet: 'AccessSet',
  /** The access index: one indexed action on one resource (a method on a stage, an API, a role, a function). */
  AccessTarget: 'AccessTarget',
} as const;
export type LabelName = (typeof Label)[keyof typeof Label];

/** Extra labels shared by several node kinds, for queries that span them. */
export const SharedLabel = {
  /** Users and roles: what can make a request. */
  Principal: 'Principal',
  /** REST and HTTP APIs. */
  Api: 'Api',
} as const;
export type SharedLabelName = (typeof SharedLabel)[keyof typeof SharedLabel];

export const Rel = {
  /** (Account|OrgUnit)-[:CHILD_OF]->(OrgUnit|OrgRoot) */
  CHILD_OF: 'CHILD_OF',
  /** (Policy {kind: scp|rcp})-[:ATTACHED_TO]->(OrgRoot|OrgUnit|Account) */
  ATTACHED_TO: 'ATTACHED_TO',
  /** (User)-[:MEMBER_OF]->(Group) */
  MEMBER_OF: 'MEMBER_OF',
  /** (User|Group|Role)-[:HAS_POLICY {attachment: managed|inline}]->(Policy) */
  HAS_POLICY: 'HAS_POLICY',
  /** (User|Role)-[:HAS_BOUNDARY]->(Policy) */
  HAS_BOUNDARY: 'HAS_BOUNDARY',
  /** (Role)-[:HAS_TRUST_POLICY]->(Policy {kind: trust}) */
  HAS_TRUST_POLICY: 'HAS_TRUST_POLICY',
  /** (Api|LambdaFunction)-[:HAS_RESOURCE_POLICY]->(Policy {kind: resource}) */
  HAS_RESOURCE_POLICY: 'HAS_RESOURCE_POLICY',
  /** (Policy)-[:HAS_STATEMENT]->(Statement) */
  HAS_STATEMENT: 'HAS_STATEMENT',
  /** (Statement)-[:NAMES_SERVICE]->(ServicePrincipal): a Principal element names an AWS service */
  NAMES_SERVICE: 'NAMES_SERVICE',
  /** (User|Group|Role|Api|LambdaFunction|VpcEndpoint)-[:IN_ACCOUNT]->(Account) */
  IN_ACCOUNT: 'IN_ACCOUNT',
  /** (Api)-[:HAS_STAGE]->(Stage) */
  HAS_STAGE: 'HAS_STAGE',
  /** (RestApi)-[:HAS_RESOURCE]->(ApiResource) */
  HAS_RESOURCE: 'HAS_RESOURCE',
  /** (ApiResource)-[:HAS_METHOD]->(Method) for REST; (HttpApi)-[:HAS_METHOD]->(Method) for HTTP API routes */
  HAS_METHOD: 'HAS_METHOD',
  /** (Method)-[:INTEGRATES_WITH]->(Integration) */
  INTEGRATES_WITH: 'INTEGRATES_WITH',
  /** (Integration)-[:RUNS_AS]->(Role): API Gateway assumes this role to call the backend */
  RUNS_AS: 'RUNS_AS',
  /** (Integration)-[:CALLS]->(LambdaFunction) */
  CALLS: 'CALLS',
  /** (LambdaFunction)-[:EXECUTES_AS]->(Role) */
  EXECUTES_AS: 'EXECUTES_AS',
  /** (VpcEndpoint)-[:HAS_ENDPOINT_POLICY]->(Policy {kind: endpoint}) */
  HAS_ENDPOINT_POLICY: 'HAS_ENDPOINT_POLICY',
  /**
   * (User|Role|Account|ServicePrincipal|ExternalPrincipal)-[:CAN_ASSUME]->(Role): derived at
   * ingest by the policy engine (trust policy, the caller's own permission, boundaries, SCPs,
   * RCPs), with the deciding statements and any conditions. See src/analysis/assumeGraph.ts.
   */
  CAN_ASSUME: 'CAN_ASSUME',
  /** (Accessor)-[:IN_ACCESS_CLASS]->(AccessClass) */
  IN_ACCESS_CLASS: 'IN_ACCESS_CLASS',
  /** (AccessClass)-[:HAS_ACCESS {decision, hops, conditions, formula, patterns}]->(AccessSet) */
  HAS_ACCESS: 'HAS_ACCESS',
  /** (AccessTarget)-[:ANSWERED_BY]->(AccessSet) */
  ANSWERED_BY: 'ANSWERED_BY',
} as const;
export type RelName = (typeof Rel)[keyof typeof Rel];
