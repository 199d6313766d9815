import { Extensions, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CredentialsModeValue } from '../browse/api.type';
import { StatementEffectValue } from '../browse/policy.type';
import { connectionType } from '../connection';
import { COST_LIST_SIZE } from '../limits';
import { SimulateDecisionValue, TristateValue } from '../simulate/simulate.type';

/**
 * The answers of the access-analysis questions, as GraphQL types. They mirror
 * the service's answer shapes (src/analysis: answer.ts, can.ts, invocable.ts,
 * rolePaths.ts, integrations.ts, findings.ts, diff.ts), which are a contract:
 * enum values are the service's own strings, so answers are returned as the
 * service gives them; lists of principals, methods, functions, findings and
 * changes are Relay connections paged over the computed answer.
 */

// ------------------------------------------------------------ enums

export enum AccessDecisionValue {
  ALLOWED = 'allowed',
  CONDITIONAL = 'conditional',
  PARTIAL = 'partial',
  DENIED = 'denied',
}
registerEnumType(AccessDecisionValue, {
  name: 'AccessDecision',
  description: 'How far a principal has an access (docs/analysis.md, "The answer").',
  valuesConfig: {
    ALLOWED: { description: 'Allowed whatever the request context.' },
    CONDITIONAL: {
      description:
        'Allowed only under the conditions listed (request context not given), or depending on a policy whose document is not in the snapshot.',
    },
    PARTIAL: { description: 'A method template of which only some requests are allowed (partial says which).' },
    DENIED: {
      description:
        'Denied: a grant exists but a deny, boundary, SCP or the resource side stops it (listed only with includeDenied, and in can).',
    },
  },
});

export enum HopKindValue {
  MEMBER_OF = 'member-of',
  POLICY = 'policy',
  STATEMENT = 'statement',
  RESOURCE_POLICY = 'resource-policy',
  ASSUME_ROLE = 'assume-role',
  UNSIGNED = 'unsigned',
  AUTHORIZER = 'authorizer',
  ROOT = 'root',
  INTEGRATION = 'integration',
}
registerEnumType(HopKindValue, {
  name: 'HopKind',
  description: 'What one step of an access path is.',
  valuesConfig: {
    MEMBER_OF: { description: "A user's membership of a group (from the user, to the group)." },
    POLICY: { description: 'A user, group or role holds an identity policy (to: the policy).' },
    STATEMENT: { description: "That policy's statement grants the action on the resource (policy and statement name it)." },
    RESOURCE_POLICY: {
      description: "A statement of the resource's own policy (API resource policy, function policy, role trust policy) grants the caller.",
    },
    ASSUME_ROLE: {
      description:
        "The caller can assume the role (to): the trust statement in policy/statement; the caller's own statement, when AWS requires one, in identityPolicy/identityStatement.",
    },
    UNSIGNED: { description: 'An unsigned caller of a method without IAM authorization.' },
    AUTHORIZER: { description: "A caller accepted by the method's Lambda, Cognito or JWT authorizer." },
    ROOT: { description: "The account's root user, which has full access in its own account." },
    INTEGRATION: {
      description:
        "API Gateway calls the method's backend (from the method, to the Lambda function): as the role it runs as (role; policy/statement: the role's statement), with the caller's credentials, or as the service the function's resource policy allows.",
    },
  },
});

export enum CallerKindValue {
  USER = 'user',
  ROLE = 'role',
  SESSION = 'session',
  ACCOUNT = 'account',
  ROOT = 'root',
  SERVICE = 'service',
  ANONYMOUS = 'anonymous',
}
registerEnumType(CallerKindValue, {
  name: 'CallerKind',
  description: 'What kind of caller an answer names (docs/analysis.md, "Who the callers are").',
  valuesConfig: {
    USER: { description: 'An ingested IAM user.' },
    ROLE: { description: 'An ingested IAM role: any session of it.' },
    SESSION: { description: 'An assumed-role session named by ARN.' },
    ACCOUNT: {
      description:
        'An account outside the snapshot (arn:aws:iam::ACCOUNT:root): some principal of it whose own, unknown, policies allow; arn:aws:iam::*:root stands for every other account.',
    },
    ROOT: { description: 'The root user of an ingested account (listed only with includeRoot).' },
    SERVICE: { description: 'An AWS service principal, such as ec2.amazonaws.com.' },
    ANONYMOUS: { description: 'Anyone: the unsigned caller of a method whose authorization ignores the signature.' },
  },
});

export enum PolicyTypeValue {
  IDENTITY = 'identity',
  RESOURCE = 'resource',
  TRUST = 'trust',
  PERMISSIONS_BOUNDARY = 'permissionsBoundary',
  SESSION = 'session',
  SCP = 'scp',
  RCP = 'rcp',
  VPC_ENDPOINT = 'vpcEndpoint',
}
registerEnumType(PolicyTypeValue, {
  name: 'PolicyType',
  description: 'The type of a policy, as the IAM evaluation logic reads it.',
  valuesConfig: {
    IDENTITY: { description: 'An identity policy of the user, its groups, or the role (managed or inline).' },
    RESOURCE: { description: "The resource's own policy (API resource policy, Lambda function policy)." },
    TRUST: { description: "A role's trust policy." },
    PERMISSIONS_BOUNDARY: { description: 'The permissions boundary of the user or role.' },
    SESSION: { description: 'A session policy.' },
    SCP: { description: 'An AWS Organizations service control policy.' },
    RCP: { description: 'An AWS Organizations resource control policy.' },
    VPC_ENDPOINT: { description: 'The policy of the VPC endpoint a private API is called through.' },
  },
});

export enum PolicyLayerValue {
  IDENTITY = 'identity',
  PERMISSIONS_BOUNDARY = 'permissionsBoundary',
  SESSION_POLICY = 'sessionPolicy',
  RESOURCE_POLICY = 'resourcePolicy',
  VPC_ENDPOINT_POLICY = 'vpcEndpointPolicy',
  SCP = 'scp',
  RCP = 'rcp',
}
registerEnumType(PolicyLayerValue, {
  name: 'PolicyLayer',
  description: 'A layer of the IAM evaluation that votes on a request.',
  valuesConfig: {
    IDENTITY: { description: "The principal's identity policies." },
    PERMISSIONS_BOUNDARY: { description: 'Its permissions boundary.' },
    SESSION_POLICY: { description: 'Its session policy.' },
    RESOURCE_POLICY: { description: "The resource's own policy." },
    VPC_ENDPOINT_POLICY: { description: 'The VPC endpoint policy (private APIs).' },
    SCP: { description: 'The service control policies of the principal’s account.' },
    RCP: { description: 'The resource control policies of the resource’s account.' },
  },
});

export enum IntegrationAccessValue {
  ALLOWED = 'allowed',
  CONDITIONAL = 'conditional',
  PARTIAL = 'partial',
  DENIED = 'denied',
  DEPENDS_ON_CALLER = 'depends on the caller',
}
registerEnumType(IntegrationAccessValue, {
  name: 'IntegrationAccess',
  description: "Whether API Gateway itself can call a method's backend.",
  valuesConfig: {
    ALLOWED: { description: 'It can, whatever the request context.' },
    CONDITIONAL: { description: 'Only under conditions (or a function policy that is not in the snapshot).' },
    PARTIAL: { description: 'For some requests of the method only.' },
    DENIED: { description: 'It cannot: the integration is broken.' },
    DEPENDS_ON_CALLER: {
      description:
        "The caller's own credentials are passed through (credentials mode CALLER): each caller needs lambda:InvokeFunction itself.",
    },
  },
});

export enum ApiKindValue {
  REST = 'REST',
  HTTP = 'HTTP',
}
registerEnumType(ApiKindValue, {
  name: 'ApiKind',
  description: 'The kind of an API Gateway API.',
  valuesConfig: { REST: { description: 'A REST API (API Gateway v1).' }, HTTP: { description: 'An HTTP API (API Gateway v2).' } },
});

export enum FindingKindValue {
  PUBLIC_METHOD = 'public-method',
  OPEN_RESOURCE_POLICY = 'open-resource-policy',
  CROSS_ACCOUNT_GRANT = 'cross-account-grant',
  WILDCARD_INVOKE = 'wildcard-invoke',
  WILDCARD_MANAGE = 'wildcard-manage',
  ESCALATION_VIA_APIGATEWAY = 'escalation-via-apigateway',
  BROAD_INTEGRATION_ROLE = 'broad-integration-role',
  BROKEN_INTEGRATION = 'broken-integration',
}
registerEnumType(FindingKindValue, {
  name: 'FindingKind',
  description: 'What a finding is about (docs/analysis.md, "Findings").',
  valuesConfig: {
    PUBLIC_METHOD: { description: 'A method anonymous callers may invoke.' },
    OPEN_RESOURCE_POLICY: {
      description:
        'An API resource policy that allows "*" (every AWS account, and anonymous callers on methods without IAM authorization).',
    },
    CROSS_ACCOUNT_GRANT: { description: 'An API resource policy that allows another account.' },
    WILDCARD_INVOKE: { description: 'A principal allowed execute-api:Invoke on every API of its account, present and future.' },
    WILDCARD_MANAGE: { description: 'A principal allowed API Gateway changes on every API of its account, present and future.' },
    ESCALATION_VIA_APIGATEWAY: {
      description:
        "A principal who can make API Gateway act for it: pass a role trusted by API Gateway and point an integration at it, open a method's authorization, or rewrite an API's resource policy.",
    },
    BROAD_INTEGRATION_ROLE: { description: 'An integration role allowed to invoke more Lambda functions than its integrations call.' },
    BROKEN_INTEGRATION: { description: 'A method whose backend API Gateway may not call.' },
  },
});

export enum SeverityValue {
  HIGH = 'high',
  MEDIUM = 'medium',
  LOW = 'low',
}
registerEnumType(SeverityValue, {
  name: 'Severity',
  description: 'How urgent a finding is.',
  valuesConfig: {
    HIGH: { description: 'Look at it first.' },
    MEDIUM: { description: 'Worth a look.' },
    LOW: { description: 'Informational, or already covered by broader rights.' },
  },
});

export enum AccessKindValue {
  INVOKE = 'invoke',
  MANAGE = 'manage',
  ASSUME = 'assume',
}
registerEnumType(AccessKindValue, {
  name: 'AccessKind',
  description: 'The kinds of access an access diff compares.',
  valuesConfig: {
    INVOKE: { description: 'Who can invoke each API method (execute-api:Invoke), on every stage.' },
    MANAGE: { description: "Who can change each API (apigateway:POST, PUT, PATCH, DELETE on the API's management ARN)." },
    ASSUME: { description: 'Who can assume each role directly (sts:AssumeRole; chains show up as changes of the roles they go through).' },
  },
});

export enum AccessChangeKindValue {
  GAINED = 'gained',
  LOST = 'lost',
  CHANGED = 'changed',
}
registerEnumType(AccessChangeKindValue, {
  name: 'AccessChangeKind',
  description: 'How an access changed between two snapshots.',
  valuesConfig: {
    GAINED: { description: 'No access before, some access after.' },
    LOST: { description: 'Some access before, none after.' },
    CHANGED: { description: 'Access on both sides, with a different decision (e.g. conditional → allowed).' },
  },
});

// ------------------------------------------------------------ conditions and paths

@ObjectType({ description: 'One clause of a policy condition that an access depends on.' })
export class ConditionClause {
  @Field(() => String, { description: 'The condition key as written in the policy, such as aws:SourceIp.' })
  key!: string;

  @Field(() => String, { description: 'The condition operator, such as IpAddress or StringEquals.' })
  operator!: string;

  @Field(() => [String], { description: 'The values the policy compares the key with.' })
  values!: string[];

  @Field(() => StatementEffectValue, {
    description: 'The effect of the statement the clause belongs to: an Allow that needs it to hold, or a Deny that needs it not to.',
  })
  effect!: StatementEffectValue;

  @Field(() => String, {
    description:
      'The policy key: managed policy ARN, <owner>#inline/<name>, <role>#trust, <api>#resource-policy, <function>#resource-policy, or an SCP/RCP id.',
  })
  policy!: string;

  @Field(() => String, { description: 'The statement: its Sid, or its zero-based index as #N.' })
  statement!: string;
}

@ObjectType({
  description: 'What a conditional access depends on: the engine’s formula over the request context keys that decide it, and its clauses.',
})
export class AccessCondition {
  @Field(() => String, { description: 'The condition as text, such as IpAddress aws:SourceIp ["198.51.100.0/24"].' })
  when!: string;

  @Field(() => [String], {
    description: 'The request context keys that decide it, in lower case (give them as context to decide the question).',
  })
  keys!: string[];

  @Extensions({ [COST_LIST_SIZE]: 4 })
  @Field(() => [ConditionClause], { description: 'Each clause with its key, operator, values and statement.' })
  clauses!: ConditionClause[];
}

@ObjectType({
  description: 'One step of an access path, so that a dashboard can draw it: from → to, of a kind, granted by a policy statement.',
})
export class PathHop {
  @Field(() => HopKindValue, { description: 'What the step is.' })
  kind!: HopKindValue;

  @Field(() => String, { description: 'Where the step starts: a principal, group, policy or method ARN (or key).' })
  from!: string;

  @Field(() => String, { description: 'Where the step ends: a group, policy, role, resource or Lambda function.' })
  to!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The policy that grants this step (managed policy ARN, <owner>#inline/<name>, <role>#trust, <api>#resource-policy, <function>#resource-policy); null for steps no policy grants (member-of, unsigned, root…).',
  })
  policy!: string | null;

  @Field(() => String, { nullable: true, description: 'The statement of that policy: its Sid, or its zero-based index as #N.' })
  statement!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "assume-role steps that need the caller's own permission too: the caller's identity policy that allows sts:AssumeRole.",
  })
  identityPolicy!: string | null;

  @Field(() => String, { nullable: true, description: 'The statement of identityPolicy.' })
  identityStatement!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'integration steps: the role API Gateway assumes to call the backend (credentials mode ROLE).',
  })
  role!: string | null;

  @Extensions({ [COST_LIST_SIZE]: 2 })
  @Field(() => [AccessCondition], {
    description: 'This step holds only under these conditions; empty when it holds whatever the request context.',
  })
  conditions!: AccessCondition[];
}

@ObjectType({ description: 'Which requests of a method template are allowed, when only some are (decision PARTIAL).' })
export class PartialCoverage {
  @Field(() => [String], { description: 'Requests of the method that are allowed (or conditionally allowed), as request ARNs.' })
  allowedRequests!: string[];

  @Field(() => [String], { description: 'Requests of the method that are denied.' })
  deniedRequests!: string[];

  @Field(() => [String], { description: 'The statement resource patterns that split the method.' })
  patterns!: string[];
}

const PATHS_COST = { [COST_LIST_SIZE]: 20 };
const CONDITIONS_COST = { [COST_LIST_SIZE]: 2 };
const PATHS_DESCRIPTION =
  'The paths to the access, shortest first (at most maxPaths): each a list of hops from the principal to the grant. A path is as good as its weakest hop; its conditions are its hops’.';

// ------------------------------------------------------------ who can

@ObjectType({ description: "A principal's own access (0 role assumptions), which may be weaker than its best access through roles." })
export class DirectAccess {
  @Field(() => AccessDecisionValue, { description: 'The decision of the principal’s own access.' })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL or PARTIAL own access depends on; empty otherwise.' })
  conditions!: AccessCondition[];

  @Field(() => PartialCoverage, { nullable: true, description: 'For a PARTIAL own access: which requests of the method are allowed.' })
  partial!: PartialCoverage | null;
}

@ObjectType({
  description: 'Private API methods: how far a principal gets through one interface VPC endpoint (whose policy must also allow the call).',
})
export class EndpointAccess {
  @Field(() => String, {
    description:
      'The endpoint id (vpce-…), or * for an interface endpoint outside the snapshot (any other), decided with aws:SourceVpce and aws:SourceVpc unknown.',
  })
  endpoint!: string;

  @Field(() => String, { nullable: true, description: 'Its VPC: the aws:SourceVpc of calls through it; null for *.' })
  vpc!: string | null;

  @Field(() => String, { nullable: true, description: 'The account that owns the endpoint; null for *.' })
  account!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Its private DNS setting; null when unknown.' })
  privateDns!: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The key of its policy (<endpoint ARN>#endpoint-policy); null for the default policy, which allows full access, and for *.',
  })
  policy!: string | null;

  @Field(() => AccessDecisionValue, {
    description: 'The best decision through this endpoint, over every path of at most maxHops role assumptions.',
  })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'The fewest role assumptions that give that decision through this endpoint.' })
  hops!: number;
}

@ObjectType({ description: 'One principal that has the access asked about, how far, and through which paths.' })
export class PrincipalAccess {
  @Field(() => String, {
    description:
      'The principal: an IAM user or role ARN, arn:aws:iam::ACCOUNT:root for an account outside the snapshot, a service such as ec2.amazonaws.com, or anonymous.',
  })
  arn!: string;

  @Field(() => CallerKindValue, { name: 'kind', description: 'What kind of caller it is.' })
  type!: CallerKindValue;

  @Field(() => AccessDecisionValue, { description: 'The best decision over every path of at most maxHops role assumptions.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Role assumptions on the shortest path to any access (0: the principal’s own policies).' })
  hops!: number;

  @Field(() => Int, {
    description:
      'Role assumptions on the shortest path that gives the best decision: more than hops when a longer path is better than the shortest.',
  })
  bestHops!: number;

  @Field(() => DirectAccess, {
    nullable: true,
    description:
      'The principal’s own access (0 role assumptions), when it has any: it may be weaker than decision. Null when its access is only through roles.',
  })
  direct!: DirectAccess | null;

  @Extensions({ [COST_LIST_SIZE]: 3 })
  @Field(() => [EndpointAccess], {
    nullable: true,
    description:
      'Private API methods: the VPC endpoints through which the principal gets access, each with its decision. Null for other questions.',
  })
  endpoints!: EndpointAccess[] | null;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on; empty otherwise.' })
  conditions!: AccessCondition[];

  @Field(() => PartialCoverage, { nullable: true, description: 'For a PARTIAL decision: which requests of the method are allowed.' })
  partial!: PartialCoverage | null;

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], { description: PATHS_DESCRIPTION })
  paths!: PathHop[][];

  @Field(() => Boolean, { description: 'True when more paths exist than maxPaths let through.' })
  morePaths!: boolean;
}

export const PrincipalAccessConnection = connectionType(() => PrincipalAccess, 'PrincipalAccess', 'principal');

@ObjectType({ description: 'The API method an execute-api question is about, as the analysis resolved it.' })
export class TargetMethod {
  @Field(() => String, { description: 'The API id.' })
  api!: string;

  @Field(() => String, { nullable: true, description: 'The API name.' })
  apiName!: string | null;

  @Field(() => String, { description: 'The stage.' })
  stage!: string;

  @Field(() => String, { description: 'The method verb: GET, …, ANY, or $default.' })
  verb!: string;

  @Field(() => String, { description: 'The resource path template, such as /pets/{id}.' })
  path!: string;

  @Field(() => String, { description: 'The authorization type: NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS or JWT.' })
  authorizationType!: string;

  @Field(() => [String], {
    description:
      'The request ARNs the analysis decided for this method (one per verb for ANY; the template itself for a template question).',
  })
  requests!: string[];
}

@ObjectType({ description: 'How much work an answer took.' })
export class AnalysisStats {
  @Field(() => Int, { description: 'Callers (or methods) that could have the access and were decided.' })
  candidates!: number;

  @Field(() => Int, { description: 'Policy engine decisions made.' })
  decisions!: number;

  @Field(() => Float, { name: 'milliseconds', description: 'Time spent computing the answer, in milliseconds.' })
  ms!: number;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True when the answer was read from the snapshot’s access index (who-can questions; docs/analysis.md, “Answers from the access index”); null when the policy engine decided it.',
  })
  fromIndex?: boolean | null;
}

@ObjectType({
  description: 'Who can perform an action on a resource (or invoke an API method), directly or through chains of roles, and how.',
})
export class WhoCanAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The action asked about, such as execute-api:Invoke or apigateway:PATCH.' })
  action!: string;

  @Field(() => String, { description: 'The resource ARN asked about, as the analysis resolved it.' })
  resource!: string;

  @Field(() => Boolean, {
    description:
      'True when the method is open to anonymous callers from the internet: authorization NONE, not a private API, and the resource policy may allow them.',
  })
  public!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Why AWS refuses this action on this resource to everybody whatever the policies say (a service-linked or IAM Identity Center role, an AWS managed policy); null otherwise.',
  })
  refused?: string | null;

  @Field(() => TargetMethod, { nullable: true, description: 'The method, for execute-api questions; null for other actions.' })
  method!: TargetMethod | null;

  @Field(() => AnalysisStats, { description: 'How much work the answer took.' })
  stats!: AnalysisStats;
}

// ------------------------------------------------------------ can

@ObjectType({ description: 'A statement that took part in a decision.' })
export class DecidingStatement {
  @Field(() => PolicyTypeValue, { description: 'The type of the statement’s policy.' })
  policyType!: PolicyTypeValue;

  @Field(() => String, {
    description: 'The policy key (managed policy ARN, <owner>#inline/<name>, <role>#trust, <api>#resource-policy, SCP id).',
  })
  policy!: string;

  @Field(() => String, { nullable: true, description: 'The policy name, when it has one.' })
  policyName!: string | null;

  @Field(() => String, { description: 'The statement: its Sid, #N, or "(document unknown)" for a policy missing from the snapshot.' })
  statement!: string;

  @Field(() => StatementEffectValue, { description: 'The statement’s effect.' })
  effect!: StatementEffectValue;

  @Field(() => Boolean, { description: 'True when the statement applies only under conditions that were not given.' })
  conditional!: boolean;
}

@ObjectType({ description: 'How one layer of the IAM evaluation voted on a request.' })
export class LayerVote {
  @Field(() => PolicyLayerValue, { description: 'The layer.' })
  layer!: PolicyLayerValue;

  @Field(() => Boolean, { description: 'True when the layer takes part in this decision.' })
  applies!: boolean;

  @Field(() => TristateValue, { description: 'Whether it allows the request: YES, NO, or CONDITIONAL.' })
  allows!: TristateValue;

  @Field(() => String, {
    nullable: true,
    description: 'Why an organization policy did not apply (management account, service-linked role, service not covered).',
  })
  exemptReason!: string | null;
}

@ObjectType({ description: 'The policy engine’s full evaluation of one concrete request.' })
export class RequestEvaluation {
  @Field(() => String, { description: 'The request ARN evaluated.' })
  request!: string;

  @Field(() => SimulateDecisionValue, { description: 'The engine’s decision on it.' })
  decision!: SimulateDecisionValue;

  @Field(() => String, {
    nullable: true,
    description: "execute-api questions: API Gateway's authorization flow (iam, public, resourcePolicyOnly, lambdaAuthorizer, cognito, …).",
  })
  flow!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Private API methods: the VPC endpoint the request was evaluated through (the one that lets the principal through best; * for an endpoint outside the snapshot); null otherwise.',
  })
  endpoint!: string | null;

  @Extensions({ [COST_LIST_SIZE]: 5 })
  @Field(() => [DecidingStatement], { description: 'The statements that decided it, of every policy type.' })
  statements!: DecidingStatement[];

  @Extensions({ [COST_LIST_SIZE]: 5 })
  @Field(() => [LayerVote], {
    description: 'How each layer that takes part (identity, boundary, session, resource policy, VPC endpoint, SCPs, RCPs) voted.',
  })
  layers!: LayerVote[];

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on.' })
  conditions!: AccessCondition[];

  @Field(() => [String], { description: 'Context keys the decision reads that were not given.' })
  missingContextKeys!: string[];

  @Field(() => [String], { description: 'Remarks of the engine about this evaluation.' })
  notes!: string[];
}

@ObjectType({ description: 'A role the principal can become that has the access.' })
export class RoleAccess {
  @Field(() => String, { description: 'The role ARN.' })
  role!: string;

  @Field(() => Int, { description: 'Role assumptions from the principal to this role.' })
  hops!: number;

  @Field(() => AccessDecisionValue, { description: 'The access through this role: the weakest of the chain and the role’s own access.' })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What the access through this role depends on (the chain’s and the grant’s conditions).' })
  conditions!: AccessCondition[];

  @Extensions({ [COST_LIST_SIZE]: 6 })
  @Field(() => [PathHop], { description: 'The chain of assumptions to the role, then the role’s grant.' })
  path!: PathHop[];
}

@ObjectType({ description: 'What a principal reaches by assuming roles.' })
export class AccessThroughRoles {
  @Field(() => AccessDecisionValue, { description: 'The best decision over the roles.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Assumptions to the nearest role with access.' })
  hops!: number;

  @Field(() => [RoleAccess], { description: 'The roles with access, nearest and best first (at most maxPaths).' })
  roles!: RoleAccess[];
}

@ObjectType({ description: 'The best of a principal’s own access and its access through roles.' })
export class OverallAccess {
  @Field(() => AccessDecisionValue, { description: 'What the principal can do, directly or through roles.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { nullable: true, description: 'Role assumptions needed (0: its own policies); null when denied.' })
  hops!: number | null;
}

@ObjectType({
  description:
    'Whether a principal can perform an action on a resource, with the explanation: the deciding statements and every layer’s vote, its paths, and what it reaches through roles (the IAM policy simulator on the ingested data).',
})
export class CanAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The principal asked about, as the analysis resolved it.' })
  principal!: string;

  @Field(() => CallerKindValue, { name: 'principalKind', description: 'What kind of caller the principal is.' })
  principalType!: CallerKindValue;

  @Field(() => String, { description: 'The action asked about.' })
  action!: string;

  @Field(() => String, { description: 'The resource asked about, as the analysis resolved it.' })
  resource!: string;

  @Field(() => AccessDecisionValue, { description: "The principal's own access, without assuming roles." })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on.' })
  conditions!: AccessCondition[];

  @Field(() => PartialCoverage, { nullable: true, description: 'For a PARTIAL decision: which requests are allowed.' })
  partial!: PartialCoverage | null;

  @Extensions({ [COST_LIST_SIZE]: 2 })
  @Field(() => [RequestEvaluation], {
    description: 'The engine’s evaluation of each concrete request of the question (one per verb for a method template).',
  })
  requests!: RequestEvaluation[];

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], { description: `The principal's own paths to the access (empty when denied). ${PATHS_DESCRIPTION}` })
  paths!: PathHop[][];

  @Field(() => AccessThroughRoles, {
    nullable: true,
    description: 'What the principal reaches by assuming roles; null when no role it can assume has the access.',
  })
  throughRoles!: AccessThroughRoles | null;

  @Field(() => OverallAccess, { description: 'The best of both: what the principal can do, directly or through roles.' })
  overall!: OverallAccess;
}

@ObjectType({ description: 'A role a principal can become, by a chain of sts:AssumeRole.' })
export class ReachableRole {
  @Field(() => String, { description: 'The role ARN.' })
  role!: string;

  @Field(() => Int, { description: 'Assumptions on the shortest chain from the principal to this role.' })
  hops!: number;

  @Field(() => AccessDecisionValue, { description: 'ALLOWED when some chain holds whatever the request context, else CONDITIONAL.' })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What the shortest chain depends on; empty when ALLOWED.' })
  conditions!: AccessCondition[];

  @Extensions({ [COST_LIST_SIZE]: 6 })
  @Field(() => [PathHop], {
    description: 'The shortest chain: assume-role hops, each with its trust statement, the caller’s own statement and any conditions.',
  })
  path!: PathHop[];
}

@ObjectType({ description: 'The roles a principal can become, nearest first.' })
export class ReachableRolesAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The principal asked about, as the analysis resolved it.' })
  principal!: string;

  @Field(() => CallerKindValue, { name: 'principalKind', description: 'What kind of caller it is.' })
  principalType!: CallerKindValue;

  @Extensions({ [COST_LIST_SIZE]: 20 })
  @Field(() => [ReachableRole], { description: 'Every role reached within maxHops assumptions, by hops then ARN.' })
  roles!: ReachableRole[];
}

// ------------------------------------------------------------ invocable methods

@ObjectType({ description: 'An API method (on one stage) a principal can invoke, itself or as a role it becomes.' })
export class InvocableMethod {
  @Field(() => String, { description: 'The API id.' })
  api!: string;

  @Field(() => String, { nullable: true, description: 'The API name.' })
  apiName!: string | null;

  @Field(() => ApiKindValue, { description: 'REST or HTTP API.' })
  apiKind!: ApiKindValue;

  @Field(() => String, { description: 'The stage.' })
  stage!: string;

  @Field(() => String, { description: 'GET, …, ANY, or $default.' })
  verb!: string;

  @Field(() => String, { description: 'The resource path template.' })
  path!: string;

  @Field(() => String, {
    description: 'The method template ARN, such as arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets/{id}.',
  })
  methodArn!: string;

  @Field(() => String, { description: 'The authorization type: NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS or JWT.' })
  authorizationType!: string;

  @Field(() => AccessDecisionValue, { description: 'How far the principal can invoke it: the best (chain, grant) pair.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Assumptions on the shortest chain to a principal with access (0: the principal itself).' })
  hops!: number;

  @Field(() => String, { description: 'Who holds the grant: the principal itself or the role it becomes.' })
  via!: string;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on.' })
  conditions!: AccessCondition[];

  @Field(() => PartialCoverage, { nullable: true, description: 'For a PARTIAL decision: which requests are allowed.' })
  partial!: PartialCoverage | null;

  @Extensions({ [COST_LIST_SIZE]: 6 })
  @Field(() => [PathHop], { description: 'The shortest chain of assumptions, then the grant.' })
  accessPath!: PathHop[];
}

export const InvocableMethodConnection = connectionType(() => InvocableMethod, 'InvocableMethod', 'invocable method');

@ObjectType({ description: 'Every API method a principal, or a role it becomes, may invoke.' })
export class InvocableMethodsAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The principal asked about.' })
  principal!: string;

  @Field(() => CallerKindValue, { name: 'principalKind', description: 'What kind of caller the principal is.' })
  principalType!: CallerKindValue;

  @Field(() => Int, { description: 'Roles the principal can become within maxHops (each was decided on every candidate method).' })
  rolesReached!: number;

  @Field(() => AnalysisStats, { description: 'How much work the answer took.' })
  stats!: AnalysisStats;
}

// ------------------------------------------------------------ role paths

@ObjectType({ description: 'How a principal can become a role: the chains of sts:AssumeRole, shortest first.' })
export class RolePathsAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The principal the chains start from.' })
  from!: string;

  @Field(() => CallerKindValue, { name: 'fromKind', description: 'What kind of caller it is.' })
  fromType!: CallerKindValue;

  @Field(() => String, { description: 'The role the chains end at.' })
  to!: string;

  @Field(() => Boolean, { description: 'True when a chain of at most maxHops assumptions exists.' })
  reachable!: boolean;

  @Field(() => AccessDecisionValue, {
    description: 'The best decision over the chains: ALLOWED, CONDITIONAL (some hop has conditions), or DENIED when unreachable.',
  })
  decision!: AccessDecisionValue;

  @Field(() => Int, { nullable: true, description: 'Assumptions on the shortest chain (0 when from is to); null when unreachable.' })
  hops!: number | null;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What the best chain depends on.' })
  conditions!: AccessCondition[];

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], {
    description:
      'The chains, shortest first (at most maxPaths), each a list of assume-role hops with the trust statement, the caller’s own statement and any conditions.',
  })
  paths!: PathHop[][];

  @Field(() => Boolean, { description: 'True when more chains exist than maxPaths let through.' })
  morePaths!: boolean;
}

// ------------------------------------------------------------ reach through integrations

@ObjectType({ description: 'An API method on one stage.' })
export class MethodOnStage {
  @Field(() => String, { description: 'The API id.' })
  api!: string;

  @Field(() => String, { nullable: true, description: 'The API name.' })
  apiName!: string | null;

  @Field(() => String, { description: 'The stage.' })
  stage!: string;

  @Field(() => String, { description: 'GET, …, ANY, or $default.' })
  verb!: string;

  @Field(() => String, { description: 'The resource path template.' })
  path!: string;

  @Field(() => String, { description: 'The method template ARN (…/<stage>/<VERB>/<path template>).' })
  methodArn!: string;

  @Field(() => String, { description: 'The authorization type: NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS or JWT.' })
  authorizationType!: string;
}

@ObjectType({ description: 'A Lambda function a caller reaches through an API method whose integration calls it.' })
export class ReachedFunction {
  @Field(() => String, { description: 'The Lambda function ARN.' })
  function!: string;

  @Field(() => String, { nullable: true, description: 'The function name.' })
  functionName!: string | null;

  @Field(() => Boolean, { description: 'True when the function is in the snapshot (its resource policy known).' })
  ingested!: boolean;

  @Field(() => MethodOnStage, { description: 'The method whose integration calls the function.' })
  method!: MethodOnStage;

  @Field(() => CredentialsModeValue, { name: 'credentialsMode', description: 'Whose identity API Gateway uses to call the function.' })
  mode!: CredentialsModeValue;

  @Field(() => String, { nullable: true, description: 'The role API Gateway assumes (credentials mode ROLE).' })
  role!: string | null;

  @Field(() => AccessDecisionValue, {
    description: 'The caller reaching the function through this method: the weakest of its call and the integration hop.',
  })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Role assumptions before the call (0: the caller itself).' })
  hops!: number;

  @Field(() => String, { description: 'Who calls the method: the principal itself or the role it becomes.' })
  via!: string;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on.' })
  conditions!: AccessCondition[];

  @Field(() => AccessDecisionValue, {
    description: 'Whether the caller can invoke the function without the API (lambda:InvokeFunction, itself or through roles).',
  })
  directly!: AccessDecisionValue;

  @Extensions({ [COST_LIST_SIZE]: 7 })
  @Field(() => [PathHop], { description: 'The path: the caller’s grant on the method, then the integration hop to the function.' })
  path!: PathHop[];
}

export const ReachedFunctionConnection = connectionType(() => ReachedFunction, 'ReachedFunction', 'reached function');

@ObjectType({
  description:
    'The Lambda functions a caller reaches through API methods (itself or as the roles it becomes), even when it cannot call them directly.',
})
export class FunctionsReachableAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The caller asked about.' })
  principal!: string;

  @Field(() => CallerKindValue, { name: 'principalKind', description: 'What kind of caller it is.' })
  principalType!: CallerKindValue;
}

@ObjectType({ description: 'A method (on one stage) whose integration calls the function, and who reaches the function that way.' })
export class FunctionRoute {
  @Field(() => MethodOnStage, { description: 'The method.' })
  method!: MethodOnStage;

  @Field(() => CredentialsModeValue, { name: 'credentialsMode', description: 'Whose identity API Gateway uses to call the function.' })
  mode!: CredentialsModeValue;

  @Field(() => String, { nullable: true, description: 'The role API Gateway assumes (credentials mode ROLE).' })
  role!: string | null;

  @Field(() => IntegrationAccessValue, {
    description: "API Gateway's own ability to call the function; DEPENDS_ON_CALLER when the caller's credentials are passed through.",
  })
  integration!: IntegrationAccessValue;

  @Field(() => [String], { description: 'Remarks on how the integration hop was decided.' })
  notes!: string[];
}

@ObjectType({ description: 'A principal that reaches a function, directly or through APIs.' })
export class FunctionCaller {
  @Field(() => String, { description: 'The principal.' })
  arn!: string;

  @Field(() => CallerKindValue, { name: 'kind', description: 'What kind of caller it is.' })
  type!: CallerKindValue;

  @Field(() => AccessDecisionValue, { description: 'Its best decision over every way.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Role assumptions on its shortest way.' })
  hops!: number;

  @Field(() => [String], {
    description: 'How it reaches the function: "direct" (lambda:InvokeFunction) or the method template ARNs it goes through.',
  })
  ways!: string[];
}

export const FunctionCallerConnection = connectionType(() => FunctionCaller, 'FunctionCaller', 'function caller');

@ObjectType({
  description: 'Who can reach a Lambda function: directly (lambda:InvokeFunction) and through every API method whose integration calls it.',
})
export class FunctionReachAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The function ARN.' })
  function!: string;

  @Field(() => String, { nullable: true, description: 'The function name.' })
  functionName!: string | null;

  @Field(() => WhoCanAnswer, { description: 'Who can call the function directly (lambda:InvokeFunction).' })
  direct!: WhoCanAnswer;

  @Extensions({ [COST_LIST_SIZE]: 5 })
  @Field(() => [FunctionRoute], {
    description: 'Each method (on each stage) whose integration calls the function, with who reaches it that way.',
  })
  throughApis!: FunctionRoute[];
}

// ------------------------------------------------------------ findings

@ObjectType({ description: 'Something a security review should look at, found on the whole snapshot and decided by the engine.' })
export class Finding {
  @Field(() => String, { description: 'Stable across runs on the same data: kind, resource and principal.' })
  id!: string;

  @Field(() => FindingKindValue, { description: 'What the finding is about.' })
  kind!: FindingKindValue;

  @Field(() => SeverityValue, { description: 'How urgent it is.' })
  severity!: SeverityValue;

  @Field(() => String, { description: 'One line.' })
  title!: string;

  @Field(() => String, { description: 'What it means and what to check.' })
  detail!: string;

  @Field(() => String, { description: 'The method, API, role or principal the finding is about.' })
  resource!: string;

  @Field(() => String, { nullable: true, description: 'The principal concerned, when there is one.' })
  principal!: string | null;

  @Field(() => AccessDecisionValue, { description: 'How far the access behind the finding holds.' })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on.' })
  conditions!: AccessCondition[];

  @Field(() => [String], { description: 'Other ARNs involved (functions reached, APIs, accounts).' })
  related!: string[];

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], { description: PATHS_DESCRIPTION })
  paths!: PathHop[][];
}

@ObjectType({ description: 'How many findings there are of each severity.' })
export class SeverityCounts {
  @Field(() => Int, { description: 'Findings of severity HIGH.' })
  high!: number;

  @Field(() => Int, { description: 'Findings of severity MEDIUM.' })
  medium!: number;

  @Field(() => Int, { description: 'Findings of severity LOW.' })
  low!: number;
}

/** What a page of findings carries beside the page: the snapshot and the counts of the whole answer. */
@ObjectType('FindingConnectionHead')
export class FindingConnectionHead {
  @Field(() => String, { description: 'Id of the snapshot the findings were computed on.' })
  snapshot!: string;

  @Field(() => SeverityCounts, {
    description: 'How many findings of the kinds asked for there are of each severity (whatever minimumSeverity).',
  })
  counts!: SeverityCounts;
}

export const FindingConnection = connectionType(() => Finding, 'Finding', 'finding', {
  head: FindingConnectionHead,
  descriptions: {
    connection: 'A page of findings, most severe first (then by kind and id), with the counts of the whole answer.',
    nodes: 'The findings of this page, in order (the same as edges’ nodes, without cursors).',
    totalCount: 'How many findings match (every page, not only this one).',
  },
});

// ------------------------------------------------------------ access diff

@ObjectType({ description: 'An access on one side of a diff.' })
export class AccessState {
  @Field(() => AccessDecisionValue, { description: 'The decision on that snapshot.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Role assumptions on the shortest path on that snapshot.' })
  hops!: number;
}

@ObjectType({ description: 'One principal whose access to one resource changed between the two snapshots.' })
export class AccessChange {
  @Field(() => AccessKindValue, { description: 'The kind of access.' })
  kind!: AccessKindValue;

  @Field(() => String, { description: 'The action: execute-api:Invoke, apigateway:POST/PUT/PATCH/DELETE, or sts:AssumeRole.' })
  action!: string;

  @Field(() => String, { description: "The method template ARN, the API's management ARN, or the role ARN." })
  resource!: string;

  @Field(() => String, { description: 'The principal whose access changed.' })
  principal!: string;

  @Field(() => CallerKindValue, { name: 'principalKind', description: 'What kind of caller it is.' })
  principalType!: CallerKindValue;

  @Field(() => AccessChangeKindValue, { description: 'Gained, lost, or changed.' })
  change!: AccessChangeKindValue;

  @Field(() => AccessState, { nullable: true, description: 'The access on the from snapshot; null when gained.' })
  before!: AccessState | null;

  @Field(() => AccessState, { nullable: true, description: 'The access on the to snapshot; null when lost.' })
  after!: AccessState | null;

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], {
    description: 'The paths of the side that has the access: the new paths for a gain or a change, the old ones for a loss.',
  })
  paths!: PathHop[][];
}

@ObjectType({ description: 'How many changes there are of each kind.' })
export class AccessChangeCounts {
  @Field(() => Int, { description: 'Accesses gained.' })
  gained!: number;

  @Field(() => Int, { description: 'Accesses lost.' })
  lost!: number;

  @Field(() => Int, { description: 'Accesses whose decision changed.' })
  changed!: number;
}

@ObjectType({ description: 'How many changes there are of one kind of access.' })
export class AccessKindCounts {
  @Field(() => AccessKindValue, { description: 'The kind of access.' })
  kind!: AccessKindValue;

  @Field(() => Int, { description: 'Accesses of this kind gained.' })
  gained!: number;

  @Field(() => Int, { description: 'Accesses of this kind lost.' })
  lost!: number;

  @Field(() => Int, { description: 'Accesses of this kind whose decision changed.' })
  changed!: number;
}

/** What a page of access changes carries beside the page: the snapshots compared and the counts of the whole diff. */
@ObjectType('AccessChangeConnectionHead')
export class AccessChangeConnectionHead {
  @Field(() => String, { description: 'Id of the older snapshot compared.' })
  from!: string;

  @Field(() => String, { description: 'Id of the newer snapshot compared.' })
  to!: string;

  @Field(() => AccessChangeCounts, { description: 'How many accesses were gained, lost and changed in all.' })
  counts!: AccessChangeCounts;

  @Field(() => [AccessKindCounts], {
    description: 'The counts of each kind of access (INVOKE, MANAGE, ASSUME; every kind listed, zeros included).',
  })
  countsByKind!: AccessKindCounts[];

  @Field(() => Int, { description: 'Questions compared (methods × stages, APIs × actions, roles).' })
  compared!: number;
}

export const AccessChangeConnection = connectionType(() => AccessChange, 'AccessChange', 'access change', {
  head: AccessChangeConnectionHead,
  descriptions: {
    connection:
      'A page of the access changes between two snapshots (ordered by resource, action, principal), with the counts of the whole diff.',
    node: 'The change.',
    edges: 'The changes of this page with their cursors, in order.',
    nodes: 'The changes of this page, in order (the same as edges’ nodes, without cursors).',
    totalCount: 'How many changes there are (every page, not only this one).',
  },
});
