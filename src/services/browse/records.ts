import type { PolicyKind } from '../../model';

/**
 * What the browsing queries return: plain data read from one snapshot. Every
 * record names its snapshot and its key, so nested fields (a method's
 * integration, a role's policies) are read from the same snapshot.
 */
export interface NodeRef {
  /** The snapshot the node belongs to. */
  snapshot: string;
  /** The node's key, unique within its label and snapshot (docs/graph-model.md). */
  key: string;
}

export interface Tag {
  key: string;
  value: string;
}

export type PrincipalKind = 'user' | 'role';

export interface PrincipalRecord extends NodeRef {
  kind: PrincipalKind;
  arn: string;
  name: string;
  path: string;
  account: string;
  uniqueId: string | null;
  createDate: string | null;
  tags: Tag[];
  /** Roles only. */
  maxSessionDuration: number | null;
  /** Roles only. */
  serviceLinked: boolean | null;
}

export interface GroupRecord extends NodeRef {
  arn: string;
  name: string;
  path: string;
  account: string;
  uniqueId: string | null;
  createDate: string | null;
}

export interface PolicyRecord extends NodeRef {
  kind: PolicyKind;
  name: string | null;
  arn: string | null;
  account: string | null;
  /** The document in force, decoded; null when the policy is missing from the snapshot. */
  document: Record<string, unknown> | null;
  versionId: string | null;
  missing: boolean;
}

export interface StatementRecord extends NodeRef {
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  actions: string[] | null;
  notActions: string[] | null;
  resources: string[] | null;
  notResources: string[] | null;
  /** The Principal element as written (a JSON value), or null. */
  principal: unknown;
  notPrincipal: unknown;
  /** The Condition element as written (a JSON object), or null. */
  condition: unknown;
}

export type ApiKind = 'REST' | 'HTTP';

export interface ApiRecord extends NodeRef {
  kind: ApiKind;
  id: string;
  name: string | null;
  account: string;
  region: string;
  endpointType: string;
  executeApiArn: string;
  vpcEndpointIds: string[];
  disableExecuteApiEndpoint: boolean;
}

export interface StageRecord extends NodeRef {
  apiKey: string;
  name: string;
  deploymentId: string | null;
  cacheClusterEnabled: boolean;
}

export interface MethodRecord extends NodeRef {
  apiKey: string;
  verb: string;
  path: string;
  routeKey: string | null;
  authorizationType: string;
  authorizerId: string | null;
  apiKeyRequired: boolean;
}

export interface IntegrationRecord extends NodeRef {
  methodKey: string;
  type: string;
  uri: string | null;
  lambdaArn: string | null;
  credentials: string | null;
  credentialsMode: 'role' | 'caller' | 'none';
  roleArn: string | null;
}

export interface LambdaFunctionRecord extends NodeRef {
  arn: string;
  name: string;
  account: string;
  region: string;
  roleArn: string | null;
}

export interface PrincipalFilter {
  /** 12-digit account id. */
  account?: string | undefined;
  kind?: PrincipalKind | undefined;
  /** Case-insensitive substring of the name. */
  nameContains?: string | undefined;
}
