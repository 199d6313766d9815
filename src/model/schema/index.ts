/**
 * Every node kind of the snapshot graph, declared once (one file each):
 * labels, key, properties with types and descriptions, how the loader writes
 * it, and its relationships. The access index's labels are not here: the
 * access index store (src/analysis/accessIndex/store.ts) owns them.
 */
import { account } from './account';
import { api } from './api';
import { apiResource } from './apiResource';
import { canAssumeRows } from './canAssume';
import { externalPrincipal } from './externalPrincipal';
import { group } from './group';
import { integration } from './integration';
import { lambdaFunction } from './lambdaFunction';
import { method } from './method';
import type { LinkRowsSchema, NodeSchema, RelationshipSchema } from './node';
import { orgNode, orgParentRows } from './orgNode';
import {
  boundaryRows,
  endpointPolicyRows,
  orgPolicyTargetRows,
  policy,
  policyAttachmentRows,
  resourcePolicyRows,
  trustPolicyRows,
} from './policy';
import { role } from './role';
import { servicePrincipal } from './servicePrincipal';
import { stage } from './stage';
import { statement } from './statement';
import { membershipRows, user } from './user';
import { vpcEndpoint } from './vpcEndpoint';

export { account, api, apiResource, externalPrincipal, group, integration, lambdaFunction, method, orgNode, policy, role };
export { servicePrincipal, stage, statement, user, vpcEndpoint };
export { canAssumeRows, boundaryRows, endpointPolicyRows, membershipRows, orgParentRows, orgPolicyTargetRows };
export { policyAttachmentRows, resourcePolicyRows, trustPolicyRows };
export { ASSUMER_LABELS, type AssumerLabel } from './canAssume';
export { POLICY_KINDS, type PolicyKind } from './policy';
export type { LinkRowsSchema, NodeLoadStep, NodeSchema, RelationshipLoadStep, RelationshipSchema, RowFilter } from './node';
export type { Property, PropertyType, RowOf } from './property';

/** Every node kind, in the order the loader writes them. */
export const NODE_SCHEMAS: readonly NodeSchema[] = [
  account,
  orgNode,
  user,
  group,
  role,
  policy,
  statement,
  api,
  stage,
  apiResource,
  method,
  integration,
  lambdaFunction,
  vpcEndpoint,
  externalPrincipal,
  servicePrincipal,
];

/** The row kinds that are relationships, not nodes. */
export const LINK_ROWS = {
  orgParents: orgParentRows,
  orgPolicyTargets: orgPolicyTargetRows,
  memberships: membershipRows,
  policyAttachments: policyAttachmentRows,
  boundaries: boundaryRows,
  trustPolicies: trustPolicyRows,
  resourcePolicies: resourcePolicyRows,
  endpointPolicies: endpointPolicyRows,
  canAssume: canAssumeRows,
} as const satisfies Record<string, LinkRowsSchema>;

/**
 * Every relationship, in the order the loader writes them (each after every
 * node). A unit test checks that every declared relationship is here once.
 */
export const RELATIONSHIPS_IN_LOAD_ORDER: readonly RelationshipSchema[] = [
  orgNode.relationships.CHILD_OF,
  policy.relationships.ATTACHED_TO,
  user.relationships.IN_ACCOUNT,
  group.relationships.IN_ACCOUNT,
  role.relationships.IN_ACCOUNT,
  api.relationships.IN_ACCOUNT,
  lambdaFunction.relationships.IN_ACCOUNT,
  vpcEndpoint.relationships.IN_ACCOUNT,
  user.relationships.MEMBER_OF,
  user.relationships.HAS_POLICY,
  group.relationships.HAS_POLICY,
  role.relationships.HAS_POLICY,
  user.relationships.HAS_BOUNDARY,
  role.relationships.HAS_BOUNDARY,
  role.relationships.HAS_TRUST_POLICY,
  api.relationships.HAS_RESOURCE_POLICY,
  lambdaFunction.relationships.HAS_RESOURCE_POLICY,
  vpcEndpoint.relationships.HAS_ENDPOINT_POLICY,
  statement.relationships.HAS_STATEMENT,
  statement.relationships.NAMES_SERVICE,
  stage.relationships.HAS_STAGE,
  apiResource.relationships.HAS_RESOURCE,
  method.relationships.HAS_METHOD,
  integration.relationships.INTEGRATES_WITH,
  integration.relationships.RUNS_AS,
  integration.relationships.CALLS,
  lambdaFunction.relationships.EXECUTES_AS,
  externalPrincipal.relationships.IN_ACCOUNT,
  user.relationships.CAN_ASSUME,
  role.relationships.CAN_ASSUME,
  account.relationships.CAN_ASSUME,
  servicePrincipal.relationships.CAN_ASSUME,
  externalPrincipal.relationships.CAN_ASSUME,
];
