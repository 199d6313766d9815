import type {
  ApiRow,
  GroupRow,
  IntegrationRow,
  LambdaFunctionRow,
  MethodRow,
  PolicyRow,
  RoleRow,
  StageRow,
  StatementRow,
  UserRow,
} from '../../model';

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

/** A user or a role: the properties they declare (src/model/schema), tags decoded. */
export interface PrincipalRecord extends NodeRef, Omit<UserRow, 'key' | 'tags'> {
  kind: PrincipalKind;
  tags: Tag[];
  /** Roles only. */
  maxSessionDuration: RoleRow['maxSessionDuration'];
  /** Roles only. */
  serviceLinked: RoleRow['serviceLinked'] | null;
}

export interface GroupRecord extends NodeRef, Omit<GroupRow, 'key'> {}

export interface PolicyRecord extends NodeRef, Omit<PolicyRow, 'key' | 'document'> {
  /** The document in force, decoded; null when the policy is missing from the snapshot. */
  document: Record<string, unknown> | null;
}

/** Statement fields the browsing queries leave out. */
export const STATEMENT_NOT_BROWSED = ['policyKey', 'servicePrincipals'] as const;

export interface StatementRecord
  extends NodeRef, Omit<StatementRow, 'key' | (typeof STATEMENT_NOT_BROWSED)[number] | 'principal' | 'notPrincipal' | 'condition'> {
  /** The Principal element as written (a JSON value), or null. */
  principal: unknown;
  notPrincipal: unknown;
  /** The Condition element as written (a JSON object), or null. */
  condition: unknown;
}

export type ApiKind = ApiRow['kind'];

export interface ApiRecord extends NodeRef, Omit<ApiRow, 'key'> {}

export interface StageRecord extends NodeRef, Omit<StageRow, 'key'> {}

/** Method fields the browsing queries leave out. */
export const METHOD_NOT_BROWSED = ['resourceKey'] as const;

export interface MethodRecord extends NodeRef, Omit<MethodRow, 'key' | (typeof METHOD_NOT_BROWSED)[number]> {}

export interface IntegrationRecord extends NodeRef, Omit<IntegrationRow, 'key'> {}

export interface LambdaFunctionRecord extends NodeRef, Omit<LambdaFunctionRow, 'key'> {}

export interface PrincipalFilter {
  /** 12-digit account id. */
  account?: string | undefined;
  kind?: PrincipalKind | undefined;
  /** Case-insensitive substring of the name. */
  nameContains?: string | undefined;
}
