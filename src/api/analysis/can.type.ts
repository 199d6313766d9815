import { Extensions, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { StatementEffectValue } from '../browse/policy.type';
import { COST_LIST_SIZE } from '../limits';
import { SimulateDecisionValue, TristateValue } from '../simulate/simulate.type';
import {
  AccessCondition,
  AccessDecisionValue,
  CallerKindValue,
  CONDITIONS_COST,
  PartialCoverage,
  PathHop,
  PATHS_COST,
  PATHS_DESCRIPTION,
} from './answer.type';

/**
 * The answer of can: the decision on a principal's own access with the
 * engine's explanation (the deciding statements and every layer's vote for
 * each request), its paths, and what it reaches through roles.
 */

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
