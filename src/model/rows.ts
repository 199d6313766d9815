/**
 * Rows: what the transforms produce from AWS CLI output and the loaders write
 * to the graph, one row per node or relationship. Pure data; optional fields
 * are `null` when absent (never ""), so a row reads the same in Neo4j Browser.
 * Every row has a `key`, unique within its kind in one snapshot.
 */

export type PolicyKind = 'managed' | 'inline' | 'trust' | 'resource' | 'scp' | 'rcp' | 'endpoint';

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

export interface AccountRow {
  key: string; // the 12-digit account id
  id: string;
  name: string | null;
  /** False for accounts only named by policies (not in the snapshot). */
  ingested: boolean;
  /** Member of the ingested organization. */
  inOrganization: boolean;
  /** The organization id (o-…), for `aws:PrincipalOrgID`; null outside the ingested organization. */
  organizationId: string | null;
  isManagement: boolean;
}

export interface OrgNodeRow {
  key: string; // r-xxxx or ou-xxxx
  id: string;
  kind: 'root' | 'ou';
  name: string | null;
  /** The parent root or OU id; null for a root. */
  parentId: string | null;
}

interface IamEntityBase {
  key: string; // the ARN
  arn: string;
  name: string;
  /** AWS's unique id (AIDA…, AGPA…, AROA…). */
  uniqueId: string | null;
  path: string;
  account: string;
  createDate: string | null;
}

export interface UserRow extends IamEntityBase {
  /** JSON object of tag key → value. */
  tags: string;
}

export type GroupRow = IamEntityBase;

export interface RoleRow extends IamEntityBase {
  tags: string;
  maxSessionDuration: number | null;
  /** Path starts with /aws-service-role/: exempt from SCPs. */
  serviceLinked: boolean;
}

export interface PolicyRow {
  /**
   * managed: the policy ARN; inline: `<owner ARN>#inline/<name>`; trust:
   * `<role ARN>#trust`; resource: `<API or function key>#resource-policy`;
   * scp/rcp: the organization policy id (p-…); endpoint: `<endpoint key>#endpoint-policy`.
   */
  key: string;
  kind: PolicyKind;
  name: string | null;
  arn: string | null;
  /** Account that owns the policy; null for AWS managed and organization policies. */
  account: string | null;
  /** The document in force, as compact JSON (decoded); null when `missing`. */
  document: string | null;
  /** Managed policies: the default version id. */
  versionId: string | null;
  /** Referenced (e.g. as a boundary) but not in the snapshot: what it allows is unknown. */
  missing: boolean;
}

export interface StatementRow {
  key: string; // `<policy key>#<index>`
  policyKey: string;
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  /** Exactly one of actions/notActions is non-null; lists keep the document's spelling. */
  actions: string[] | null;
  notActions: string[] | null;
  resources: string[] | null;
  notResources: string[] | null;
  /** The Principal / NotPrincipal element as JSON, when present. */
  principal: string | null;
  notPrincipal: string | null;
  /** The Condition element as JSON, when present. */
  condition: string | null;
  /** AWS service principals the Principal element names (e.g. apigateway.amazonaws.com). */
  servicePrincipals: string[];
}

export interface ApiRow {
  /** `arn:aws:apigateway:<region>::/restapis/<id>` or `…::/apis/<id>` (the management ARN). */
  key: string;
  id: string;
  kind: 'REST' | 'HTTP';
  name: string | null;
  account: string;
  region: string;
  /** REGIONAL, EDGE or PRIVATE (REST); REGIONAL for HTTP APIs. */
  endpointType: string;
  /** `arn:aws:execute-api:<region>:<account>:<id>`: the prefix of every invoke ARN. */
  executeApiArn: string;
  /** The VPC endpoints a PRIVATE API is bound to, if any. */
  vpcEndpointIds: string[];
  disableExecuteApiEndpoint: boolean;
}

export interface StageRow {
  key: string; // `<api key>/stages/<name>`
  apiKey: string;
  name: string;
  deploymentId: string | null;
  cacheClusterEnabled: boolean;
}

export interface ApiResourceRow {
  key: string; // `<api key>/resources/<id>`
  apiKey: string;
  id: string;
  parentId: string | null;
  path: string;
}

export interface MethodRow {
  /** `<api key>/methods/<VERB> <path template>` (HTTP API `$default` route: `<api key>/methods/$default`). */
  key: string;
  apiKey: string;
  /** REST: the resource this method hangs off; null for HTTP API routes. */
  resourceKey: string | null;
  /** GET, POST, …, ANY; `*` for an HTTP API `$default` route. */
  verb: string;
  /** Path template such as /pets/{id} or /{proxy+}; `*` for `$default`. */
  path: string;
  /** HTTP API route key as AWS prints it (`GET /pets/{id}`, `$default`); null for REST. */
  routeKey: string | null;
  /** NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS (REST); NONE, AWS_IAM, JWT, CUSTOM (HTTP). */
  authorizationType: string;
  authorizerId: string | null;
  apiKeyRequired: boolean;
}

export interface IntegrationRow {
  key: string; // `<method key>#integration`
  methodKey: string;
  /** AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK. */
  type: string;
  uri: string | null;
  /** The Lambda function the integration calls, when its URI names one (without version/alias). */
  lambdaArn: string | null;
  /** As AWS prints it: a role ARN, `arn:aws:iam::*:user/*`, or null. */
  credentials: string | null;
  /** `role`: API Gateway assumes `roleArn`; `caller`: the caller's identity is passed through; `none`: the function's resource policy decides. */
  credentialsMode: 'role' | 'caller' | 'none';
  roleArn: string | null;
}

export interface LambdaFunctionRow {
  key: string; // the function ARN (unqualified)
  arn: string;
  name: string;
  account: string;
  region: string;
  /** Execution role ARN. */
  roleArn: string | null;
}

/**
 * An interface VPC endpoint for API Gateway (`com.amazonaws.<region>.execute-api`),
 * from `aws ec2 describe-vpc-endpoints`: the way into private REST APIs. Its
 * policy (HAS_ENDPOINT_POLICY) must also allow every call made through it.
 */
export interface VpcEndpointRow {
  /** `arn:aws:ec2:<region>:<account>:vpc-endpoint/<id>`. */
  key: string;
  /** `vpce-…`: the value of `aws:SourceVpce` for calls through it. */
  id: string;
  /** The owner account (OwnerId). */
  account: string;
  region: string;
  /** `vpc-…`: the value of `aws:SourceVpc`. */
  vpcId: string;
  /** `com.amazonaws.<region>.execute-api`. */
  serviceName: string;
  /** As AWS prints it (Interface); null when not printed. */
  endpointType: string | null;
  /** As AWS prints it: available, pending, pendingAcceptance, deleting, deleted, rejected, failed, expired. Only `available` endpoints carry calls. */
  state: string;
  /** Private DNS: the API's default host name resolves to the endpoint inside the VPC; null when not printed. */
  privateDnsEnabled: boolean | null;
  /** True when the output has no PolicyDocument: the endpoint has the default policy, which allows full access. */
  defaultPolicy: boolean;
}

/** A relationship between two keyed nodes; the loader knows the labels from the relationship kind. */
export interface LinkRow {
  from: string;
  to: string;
}

export interface PolicyLinkRow extends LinkRow {
  /** For HAS_POLICY: managed or inline. */
  attachment: 'managed' | 'inline';
}

export type OwnerLabel = 'User' | 'Group' | 'Role';

/**
 * A user, role or role session of an account that was not ingested, named by
 * ARN in a trust or resource policy. Written by the analysis at ingest so
 * that its `CAN_ASSUME` relationships have a start node.
 */
export interface ExternalPrincipalRow {
  key: string; // the ARN
  arn: string;
  account: string;
  kind: 'user' | 'role' | 'session';
}

/** The labels a `CAN_ASSUME` relationship may start from. */
export type AssumerLabel = 'User' | 'Role' | 'Account' | 'ServicePrincipal' | 'ExternalPrincipal';

/**
 * `(caller)-[:CAN_ASSUME]->(role)`: the policy engine decided at ingest that
 * the caller may assume the role (see src/analysis/assumeGraph.ts). Carries
 * the deciding statements and, when the decision depends on request context,
 * the conditions and the context keys they read.
 */
export interface CanAssumeRow {
  /** The caller as answers name it: a principal ARN, `arn:aws:iam::ACCOUNT:root` for an account's principals, or a service name. */
  from: string;
  /** The key of the start node and its label. */
  fromKey: string;
  fromLabel: AssumerLabel;
  /** The role ARN. */
  to: string;
  decision: 'allowed' | 'conditional';
  trustPolicy: string | null;
  trustStatement: string | null;
  identityPolicy: string | null;
  identityStatement: string | null;
  /** JSON list of condition summaries (src/analysis/answer.ts ConditionSummary); null when allowed. */
  conditions: string | null;
  /** Request context keys (lower case) the decision depends on. */
  keys: string[];
}

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
  policyAttachments: (PolicyLinkRow & { ownerLabel: OwnerLabel })[];
  /** user/role ARN → boundary policy key */
  boundaries: (LinkRow & { ownerLabel: 'User' | 'Role' })[];
  /** role ARN → trust policy key */
  trustPolicies: LinkRow[];
  /** API key or function ARN → resource policy key */
  resourcePolicies: (LinkRow & { ownerLabel: 'Api' | 'LambdaFunction' })[];
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
 * node must come back as `null`). The compiler checks each list against its
 * interface: a missing or an extra field name is a type error.
 */
export const ROW_FIELDS = {
  accounts: { key: true, id: true, name: true, ingested: true, inOrganization: true, organizationId: true, isManagement: true },
  orgNodes: { key: true, id: true, kind: true, name: true, parentId: true },
  users: { key: true, arn: true, name: true, uniqueId: true, path: true, account: true, createDate: true, tags: true },
  groups: { key: true, arn: true, name: true, uniqueId: true, path: true, account: true, createDate: true },
  roles: {
    key: true,
    arn: true,
    name: true,
    uniqueId: true,
    path: true,
    account: true,
    createDate: true,
    tags: true,
    maxSessionDuration: true,
    serviceLinked: true,
  },
  policies: { key: true, kind: true, name: true, arn: true, account: true, document: true, versionId: true, missing: true },
  statements: {
    key: true,
    policyKey: true,
    index: true,
    sid: true,
    effect: true,
    actions: true,
    notActions: true,
    resources: true,
    notResources: true,
    principal: true,
    notPrincipal: true,
    condition: true,
    servicePrincipals: true,
  },
  apis: {
    key: true,
    id: true,
    kind: true,
    name: true,
    account: true,
    region: true,
    endpointType: true,
    executeApiArn: true,
    vpcEndpointIds: true,
    disableExecuteApiEndpoint: true,
  },
  stages: { key: true, apiKey: true, name: true, deploymentId: true, cacheClusterEnabled: true },
  apiResources: { key: true, apiKey: true, id: true, parentId: true, path: true },
  methods: {
    key: true,
    apiKey: true,
    resourceKey: true,
    verb: true,
    path: true,
    routeKey: true,
    authorizationType: true,
    authorizerId: true,
    apiKeyRequired: true,
  },
  integrations: {
    key: true,
    methodKey: true,
    type: true,
    uri: true,
    lambdaArn: true,
    credentials: true,
    credentialsMode: true,
    roleArn: true,
  },
  functions: { key: true, arn: true, name: true, account: true, region: true, roleArn: true },
  vpcEndpoints: {
    key: true,
    id: true,
    account: true,
    region: true,
    vpcId: true,
    serviceName: true,
    endpointType: true,
    state: true,
    privateDnsEnabled: true,
    defaultPolicy: true,
  },
  orgParents: { from: true, to: true },
  orgPolicyTargets: { from: true, to: true },
  memberships: { from: true, to: true },
  policyAttachments: { from: true, to: true, attachment: true, ownerLabel: true },
  boundaries: { from: true, to: true, ownerLabel: true },
  trustPolicies: { from: true, to: true },
  resourcePolicies: { from: true, to: true, ownerLabel: true },
  endpointPolicies: { from: true, to: true },
  externalPrincipals: { key: true, arn: true, account: true, kind: true },
  canAssume: {
    from: true,
    fromKey: true,
    fromLabel: true,
    to: true,
    decision: true,
    trustPolicy: true,
    trustStatement: true,
    identityPolicy: true,
    identityStatement: true,
    conditions: true,
    keys: true,
  },
} as const satisfies { readonly [K in keyof SnapshotRows]: Readonly<Record<keyof SnapshotRows[K][number], true>> };

/** The field names of one row kind, in ROW_FIELDS order. */
export function rowFieldNames<K extends keyof SnapshotRows>(kind: K): (keyof SnapshotRows[K][number] & string)[] {
  return Object.keys(ROW_FIELDS[kind]) as (keyof SnapshotRows[K][number] & string)[];
}
