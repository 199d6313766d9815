/**
 * Rows: what the transforms produce from AWS CLI output and the loaders write
 * to the graph, one row per node or relationship. Pure data; optional fields
 * are `null` when absent (never ""), so a row reads the same in Neo4j Browser.
 * Every row has a `key`, unique within its kind in one snapshot.
 *
 * Each row type is inferred from its declaration in src/model/schema/.
 */
import {
  account,
  api,
  apiResource,
  boundaryRows,
  canAssumeRows,
  externalPrincipal,
  group,
  integration,
  lambdaFunction,
  LINK_ROWS,
  method,
  NODE_SCHEMAS,
  orgNode,
  orgParentRows,
  policy,
  policyAttachmentRows,
  resourcePolicyRows,
  role,
  stage,
  statement,
  user,
  vpcEndpoint,
  type PolicyKind,
  type RowOf,
} from './schema';

export type { AssumerLabel, PolicyKind } from './schema';

/** The policy engine's policy type for each kind of stored policy (it decides which elements are allowed and how it is evaluated). */
export const ENGINE_POLICY_TYPE = {
  managed: 'identity',
  inline: 'identity',
  trust: 'trust',
  resource: 'resource',
  scp: 'scp',
  rcp: 'rcp',
  endpoint: 'vpcEndpoint',
} as const satisfies Record<PolicyKind, string>;

export type AccountRow = RowOf<typeof account.properties>;
export type OrgNodeRow = RowOf<typeof orgNode.properties>;
export type UserRow = RowOf<typeof user.properties>;
export type GroupRow = RowOf<typeof group.properties>;
export type RoleRow = RowOf<typeof role.properties>;
export type PolicyRow = RowOf<typeof policy.properties>;
export type StatementRow = RowOf<typeof statement.properties>;
export type ApiRow = RowOf<typeof api.properties>;
export type StageRow = RowOf<typeof stage.properties>;
export type ApiResourceRow = RowOf<typeof apiResource.properties>;
export type MethodRow = RowOf<typeof method.properties>;
export type IntegrationRow = RowOf<typeof integration.properties>;
export type LambdaFunctionRow = RowOf<typeof lambdaFunction.properties>;
export type VpcEndpointRow = RowOf<typeof vpcEndpoint.properties>;
export type ExternalPrincipalRow = RowOf<typeof externalPrincipal.properties>;
/** A relationship between two keyed nodes; the loader knows the labels from the relationship kind. */
export type LinkRow = RowOf<typeof orgParentRows.fields>;
export type PolicyAttachmentRow = RowOf<typeof policyAttachmentRows.fields>;
export type BoundaryRow = RowOf<typeof boundaryRows.fields>;
export type ResourcePolicyRow = RowOf<typeof resourcePolicyRows.fields>;
export type CanAssumeRow = RowOf<typeof canAssumeRows.fields>;
/** The labels that own identity policies. */
export type OwnerLabel = PolicyAttachmentRow['ownerLabel'];

/** Every row of one snapshot, by kind. */
export interface SnapshotRows {
  accounts: AccountRow[];
  orgNodes: OrgNodeRow[];
  users: UserRow[];
  groups: GroupRow[];
  roles: RoleRow[];
  policies: PolicyRow[];
  statements: StatementRow[];
  apis: ApiRow[];
  stages: StageRow[];
  apiResources: ApiResourceRow[];
  methods: MethodRow[];
  integrations: IntegrationRow[];
  functions: LambdaFunctionRow[];
  vpcEndpoints: VpcEndpointRow[];
  /** (Account|OrgUnit) CHILD_OF (OrgUnit|OrgRoot): from = account id or OU id, to = parent id. */
  orgParents: LinkRow[];
  /** SCP/RCP (policy key) ATTACHED_TO target id (root, OU or account id). */
  orgPolicyTargets: LinkRow[];
  /** user ARN → group ARN */
  memberships: LinkRow[];
  /** owner ARN → policy key, with the owner's label. */
  policyAttachments: PolicyAttachmentRow[];
  /** user/role ARN → boundary policy key */
  boundaries: BoundaryRow[];
  /** role ARN → trust policy key */
  trustPolicies: LinkRow[];
  /** API key or function ARN → resource policy key */
  resourcePolicies: ResourcePolicyRow[];
  /** VPC endpoint key → its policy key (absent for an endpoint with the default policy). */
  endpointPolicies: LinkRow[];
  /** Derived at ingest by the analysis (empty in what the transforms produce). */
  externalPrincipals: ExternalPrincipalRow[];
  canAssume: CanAssumeRow[];
}

export function emptySnapshotRows(): SnapshotRows {
  return {
    accounts: [],
    orgNodes: [],
    users: [],
    groups: [],
    roles: [],
    policies: [],
    statements: [],
    apis: [],
    stages: [],
    apiResources: [],
    methods: [],
    integrations: [],
    functions: [],
    vpcEndpoints: [],
    orgParents: [],
    orgPolicyTargets: [],
    memberships: [],
    policyAttachments: [],
    boundaries: [],
    trustPolicies: [],
    resourcePolicies: [],
    endpointPolicies: [],
    externalPrincipals: [],
    canAssume: [],
  };
}

/**
 * Every field of every row kind, for code that rebuilds rows at run time (the
 * graph reader: Neo4j stores no null properties, so a field absent from a
 * node must come back as `null`). Derived from the declarations in
 * src/model/schema/, in the order of `emptySnapshotRows`.
 */
export const ROW_FIELDS = Object.fromEntries(
  Object.keys(emptySnapshotRows()).map((kind) => {
    const fields = NODE_SCHEMAS.find((schema) => schema.rows === kind)?.properties ?? LINK_ROWS[kind as keyof typeof LINK_ROWS].fields;
    return [kind, Object.fromEntries(Object.keys(fields).map((field) => [field, true]))];
  }),
) as { readonly [K in keyof SnapshotRows]: Readonly<Record<keyof SnapshotRows[K][number], true>> };

/** The field names of one row kind, in ROW_FIELDS order. */
export function rowFieldNames<K extends keyof SnapshotRows>(kind: K): (keyof SnapshotRows[K][number] & string)[] {
  return Object.keys(ROW_FIELDS[kind]) as (keyof SnapshotRows[K][number] & string)[];
}
