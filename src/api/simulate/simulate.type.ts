import { GraphQLJSON } from 'graphql-scalars';
import { Extensions, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { StatementEffectValue } from '../browse/policy.type';
import { COST_LIST_SIZE } from '../limits';
import { AuthorizationTypeValue, EndpointTypeValue } from './simulate.input';

export enum SimulateDecisionValue {
  ALLOWED = 'allowed',
  EXPLICIT_DENY = 'explicitDeny',
  IMPLICIT_DENY = 'implicitDeny',
  CONDITIONAL = 'conditional',
}
registerEnumType(SimulateDecisionValue, {
  name: 'SimulateDecision',
  description: 'The decision for one action on one resource.',
  valuesConfig: {
    ALLOWED: { description: 'Allowed.' },
    EXPLICIT_DENY: { description: 'A statement denies it.' },
    IMPLICIT_DENY: { description: 'Nothing that must allow it does.' },
    CONDITIONAL: { description: 'Allowed only under conditions (analysis mode, or an unknown policy decides): see conditionalDetail.' },
  },
});

export enum TristateValue {
  YES = 'yes',
  NO = 'no',
  CONDITIONAL = 'conditional',
}
registerEnumType(TristateValue, {
  name: 'Tristate',
  description: 'Yes, no, or only under conditions.',
  valuesConfig: {
    YES: { description: 'Yes.' },
    NO: { description: 'No.' },
    CONDITIONAL: { description: 'Only under conditions (analysis mode or an unknown policy).' },
  },
});

@ObjectType({ description: 'A statement that matched the request.' })
export class MatchedStatement {
  @Field(() => String, {
    description:
      'Which input policy: PolicyInputList.N, PermissionsBoundaryPolicyInputList.N, ResourcePolicy, SessionPolicy, ServiceControlPolicies.L.N, ResourceControlPolicies.L.N, ApiGateway.VpcEndpointPolicy, or the Id of an unknown policy.',
  })
  sourcePolicyId!: string;

  @Field(() => String, {
    description:
      'IAM Policy, Resource Policy, Permissions Boundary Policy, Session Policy, Service Control Policy, Resource Control Policy or VPC Endpoint Policy.',
  })
  sourcePolicyType!: string;

  @Field(() => Int, { description: 'Position of the statement in its policy, from 0 (-1 for an unknown policy).' })
  statementIndex!: number;

  @Field(() => String, { nullable: true, description: "The statement's Sid." })
  sid!: string | null;

  @Field(() => StatementEffectValue, { description: "The statement's effect." })
  effect!: StatementEffectValue;

  @Field(() => Boolean, {
    description: 'True when the statement applies only under conditions not known (analysis mode), or stands for an unknown policy.',
  })
  conditional!: boolean;

  @Field(() => Boolean, { description: 'True when the entry stands for a policy declared unknown.' })
  unknownPolicy!: boolean;
}

@ObjectType({ description: 'Whether the SCPs allow the request.' })
export class OrganizationsDecisionDetail {
  @Field(() => TristateValue, { description: 'Whether every SCP level allows the request.' })
  allowedByOrganizations!: TristateValue;
}

@ObjectType({ description: 'Whether the permissions boundary allows the request.' })
export class PermissionsBoundaryDecisionDetail {
  @Field(() => TristateValue, { description: 'Whether the permissions boundary allows the request.' })
  allowedByPermissionsBoundary!: TristateValue;
}

@ObjectType({ description: 'Whether the RCPs allow the request.' })
export class ResourceControlPolicyDecisionDetail {
  @Field(() => TristateValue, { description: 'Whether every RCP level allows the request.' })
  allowedByResourceControlPolicies!: TristateValue;
}

@ObjectType({ description: 'How API Gateway decided an execute-api request.' })
export class ApiGatewayDecisionDetail {
  @Field(() => String, {
    description:
      'The authorization flow API Gateway followed: iam, public, resourcePolicyOnly, lambdaAuthorizer, cognito, privateApiWithoutResourcePolicy, cacheInvalidation or cacheInvalidationUnrestricted.',
  })
  flow!: string;

  @Field(() => AuthorizationTypeValue, { description: "The method's authorization type." })
  authorizationType!: AuthorizationTypeValue;

  @Field(() => EndpointTypeValue, { description: "The API's endpoint type." })
  endpointType!: EndpointTypeValue;

  @Field(() => String, { nullable: true, description: "The authorizer's decision, when one was involved." })
  authorizerDecision!: string | null;
}

@ObjectType({ description: 'The decision for one action on one resource, with the statements and details behind it.' })
export class EvaluationResult {
  @Field(() => String, { description: 'The action decided.' })
  evalActionName!: string;

  @Field(() => String, { description: 'The resource decided.' })
  evalResourceName!: string;

  @Field(() => SimulateDecisionValue, { description: 'The decision.' })
  evalDecision!: SimulateDecisionValue;

  @Field(() => [MatchedStatement], { description: 'The statements that matched.' })
  matchedStatements!: MatchedStatement[];

  @Field(() => [String], { description: "Context keys the policies read that were not given, in the policies' spelling." })
  missingContextValues!: string[];

  @Field(() => OrganizationsDecisionDetail, { nullable: true, description: 'Present when SCPs were given.' })
  organizationsDecisionDetail!: OrganizationsDecisionDetail | null;

  @Field(() => PermissionsBoundaryDecisionDetail, { nullable: true, description: 'Present when a permissions boundary was given.' })
  permissionsBoundaryDecisionDetail!: PermissionsBoundaryDecisionDetail | null;

  @Field(() => ResourceControlPolicyDecisionDetail, { nullable: true, description: 'Present when RCPs were given.' })
  resourceControlPolicyDecisionDetail!: ResourceControlPolicyDecisionDetail | null;

  @Field(() => ApiGatewayDecisionDetail, { nullable: true, description: 'Present for execute-api actions when apiGateway was given.' })
  apiGatewayDecisionDetail!: ApiGatewayDecisionDetail | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'For a CONDITIONAL decision: possibleDecisions, allowedWhen / explicitDenyWhen as JSON formulas ({atom}, {allOf}, {anyOf}, {not}), missingKeys.',
  })
  conditionalDetail!: unknown;

  @Field(() => [String], { description: 'How the decision was reached, line by line.' })
  explanation!: string[];
}

@ObjectType({ description: 'What simulate answers: one result per action and resource, and warnings.' })
export class SimulateResult {
  @Extensions({ [COST_LIST_SIZE]: 50 })
  @Field(() => [EvaluationResult], { description: 'One result per resource × action, resources in the order given.' })
  evaluationResults!: EvaluationResult[];

  @Field(() => [String], { description: 'Warnings, such as actions unknown to the IAM catalogue.' })
  warnings!: string[];
}
