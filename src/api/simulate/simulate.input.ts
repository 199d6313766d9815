import { GraphQLJSON } from 'graphql-scalars';
import { Field, InputType, registerEnumType } from 'type-graphql';
import { UserInputError } from '../../errors';

/**
 * `simulate(input)`: the fields of `whocan simulate` (AWS SimulateCustomPolicy
 * plus whocan's extensions, docs/policy-engine.md), in GraphQL's camelCase.
 * The input is turned into the same request object the CLI reads and run by
 * the same code, so the semantics are the same; problems come back as one
 * BAD_USER_INPUT listing each by its path under `input`.
 */

export enum AuthorizationTypeValue {
  NONE = 'NONE',
  AWS_IAM = 'AWS_IAM',
  CUSTOM = 'CUSTOM',
  COGNITO_USER_POOLS = 'COGNITO_USER_POOLS',
}
registerEnumType(AuthorizationTypeValue, {
  name: 'AuthorizationType',
  description:
    "An API Gateway method's authorization type, as the policy engine evaluates it (an HTTP API's JWT authorizer behaves like COGNITO_USER_POOLS).",
  valuesConfig: {
    NONE: { description: "No authorization: only the resource policy (and a private API's VPC endpoint policy) decides." },
    AWS_IAM: { description: 'IAM (SigV4) authorization: identity policies and the resource policy decide.' },
    CUSTOM: { description: 'A Lambda authorizer decides (with the resource policy).' },
    COGNITO_USER_POOLS: { description: 'A Cognito user pool (or JWT) authorizer decides (with the resource policy).' },
  },
});

export enum EndpointTypeValue {
  REGIONAL = 'REGIONAL',
  EDGE = 'EDGE',
  PRIVATE = 'PRIVATE',
}
registerEnumType(EndpointTypeValue, {
  name: 'EndpointType',
  description: "An API's endpoint type.",
  valuesConfig: {
    REGIONAL: { description: 'Served in its region.' },
    EDGE: { description: 'Served through CloudFront.' },
    PRIVATE: { description: 'Reachable only through interface VPC endpoints.' },
  },
});

export enum AuthorizerDecisionValue {
  ALLOW = 'Allow',
  DENY = 'Deny',
  NONE = 'None',
}
registerEnumType(AuthorizerDecisionValue, {
  name: 'AuthorizerDecision',
  description: 'What a Lambda or Cognito authorizer decided about the request (CUSTOM and COGNITO_USER_POOLS methods).',
  valuesConfig: {
    ALLOW: { description: 'The authorizer allowed the request.' },
    DENY: { description: 'The authorizer denied it.' },
    NONE: { description: 'No authorizer decision (unknown).' },
  },
});

export enum EvaluationModeValue {
  CONCRETE = 'concrete',
  ANALYSIS = 'analysis',
}
registerEnumType(EvaluationModeValue, {
  name: 'EvaluationMode',
  description: 'How missing context keys are read.',
  valuesConfig: {
    CONCRETE: { description: 'Like AWS: a condition on a missing key is false (the default).' },
    ANALYSIS: {
      description: 'A condition on a missing key is unknown, so the decision may be CONDITIONAL, with the conditions that decide it.',
    },
  },
});

export enum CallerTypeValue {
  SERVICE = 'Service',
  FEDERATED = 'Federated',
}
registerEnumType(CallerTypeValue, {
  name: 'CallerType',
  description: 'How to read a callerArn that is a host name.',
  valuesConfig: {
    SERVICE: { description: 'An AWS service principal (apigateway.amazonaws.com).' },
    FEDERATED: { description: 'An identity provider (cognito-identity.amazonaws.com, accounts.google.com).' },
  },
});

export enum ContextKeyTypeValue {
  STRING = 'string',
  STRING_LIST = 'stringList',
  NUMERIC = 'numeric',
  NUMERIC_LIST = 'numericList',
  BOOLEAN = 'boolean',
  BOOLEAN_LIST = 'booleanList',
  IP = 'ip',
  IP_LIST = 'ipList',
  BINARY = 'binary',
  BINARY_LIST = 'binaryList',
  DATE = 'date',
  DATE_LIST = 'dateList',
}
registerEnumType(ContextKeyTypeValue, { name: 'ContextKeyType', description: "The type of a context key's values (AWS ContextKeyType)." });

@InputType({ description: 'A request context key and its values (AWS ContextEntry).' })
export class ContextEntryInput {
  @Field(() => String, { description: 'The key, such as aws:SourceIp or aws:PrincipalTag/team.' })
  contextKeyName!: string;

  @Field(() => [String], { description: 'Its values, as strings.' })
  contextKeyValues!: string[];

  @Field(() => ContextKeyTypeValue, { description: 'The type of the values.' })
  contextKeyType!: ContextKeyTypeValue;
}

@InputType({ description: 'A tag of the caller.' })
export class TagInput {
  @Field(() => String, { description: 'The tag key.' })
  key!: string;

  @Field(() => String, { description: 'The tag value.' })
  value!: string;
}

@InputType({ description: 'API Gateway settings; they apply to the execute-api actions.' })
export class ApiGatewayInput {
  @Field(() => AuthorizationTypeValue, { description: "The method's authorization type." })
  authorizationType!: AuthorizationTypeValue;

  @Field(() => EndpointTypeValue, { nullable: true, description: 'The API endpoint type; default REGIONAL.' })
  endpointType?: EndpointTypeValue | null;

  @Field(() => AuthorizerDecisionValue, { nullable: true, description: "The authorizer's decision (CUSTOM, COGNITO_USER_POOLS)." })
  authorizerDecision?: AuthorizerDecisionValue | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether execute-api:InvalidateCache needs authorization (default true).' })
  requireAuthorizationForCacheControl?: boolean | null;

  @Field(() => GraphQLJSON, { nullable: true, description: "A private API's VPC endpoint policy (a policy document)." })
  vpcEndpointPolicy?: unknown;
}

const POLICY =
  'A policy document: a JSON string (URL-encoded or not) or a JSON object; or {"Unknown": true, "Id": "<ARN>"} for a policy whose document is not known (answers that depend on it are CONDITIONAL).';

@InputType({
  description:
    "A simulate request: AWS SimulateCustomPolicy with whocan's extensions (docs/policy-engine.md), as `whocan simulate` reads it.",
})
export class SimulateInput {
  @Field(() => String, {
    description:
      'Who makes the request: a user, role, assumed-role session, federated-user or root ARN; anonymous; a service principal; or an identity provider.',
  })
  callerArn!: string;

  @Field(() => [String], {
    description: 'The actions to decide (execute-api:Invoke, apigateway:PATCH…); wildcards expand through the IAM catalogue.',
  })
  actionNames!: string[];

  @Field(() => [String], { nullable: true, description: 'The resources to decide each action on; default ["*"].' })
  resourceArns?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'An account root ARN (arn:aws:iam::111122223333:root): the owner of resources whose ARN names no account.',
  })
  resourceOwner?: string | null;

  @Field(() => [GraphQLJSON], { nullable: true, description: `The caller's identity policies. ${POLICY}` })
  policyInputList?: unknown[] | null;

  @Field(() => [GraphQLJSON], { nullable: true, description: `The caller's permissions boundary. ${POLICY}` })
  permissionsBoundaryPolicyInputList?: unknown[] | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: `The resource-based policy (the trust policy for sts:AssumeRole*); the execute-api:/… short form is expanded. ${POLICY}`,
  })
  resourcePolicy?: unknown;

  @Field(() => [ContextEntryInput], { nullable: true, description: 'The request context.' })
  contextEntries?: ContextEntryInput[] | null;

  @Field(() => [GraphQLJSON], { nullable: true, description: `Session policies passed when the caller's session was created. ${POLICY}` })
  sessionPolicies?: unknown[] | null;

  @Field(() => [[GraphQLJSON]], {
    nullable: true,
    description: "SCPs of the caller's account: one list of policies per organization level, root first.",
  })
  serviceControlPolicies?: unknown[][] | null;

  @Field(() => [[GraphQLJSON]], {
    nullable: true,
    description: "RCPs of the resource's account: one list of policies per organization level, root first.",
  })
  resourceControlPolicies?: unknown[][] | null;

  @Field(() => String, {
    nullable: true,
    description: "The organization's management account (12 digits): exempt from SCPs, its resources from RCPs.",
  })
  managementAccountId?: string | null;

  @Field(() => ApiGatewayInput, { nullable: true, description: 'API Gateway settings for the execute-api actions.' })
  apiGateway?: ApiGatewayInput | null;

  @Field(() => EvaluationModeValue, {
    nullable: true,
    description: 'CONCRETE (default, like AWS) or ANALYSIS (missing context makes a decision CONDITIONAL).',
  })
  evaluationMode?: EvaluationModeValue | null;

  @Field(() => CallerTypeValue, { nullable: true, description: 'How to read a callerArn that is a host name.' })
  callerType?: CallerTypeValue | null;

  @Field(() => [TagInput], { nullable: true, description: "The caller's tags (the complete set), for aws:PrincipalTag/…." })
  callerTags?: TagInput[] | null;

  @Field(() => String, { nullable: true, description: 'The request time (ISO 8601) for aws:CurrentTime and aws:EpochTime; default now.' })
  currentTime?: string | null;
}

const FIELD_NAMES: Record<string, string> = {
  CallerArn: 'callerArn',
  ActionNames: 'actionNames',
  ResourceArns: 'resourceArns',
  ResourceOwner: 'resourceOwner',
  PolicyInputList: 'policyInputList',
  PermissionsBoundaryPolicyInputList: 'permissionsBoundaryPolicyInputList',
  ResourcePolicy: 'resourcePolicy',
  ContextEntries: 'contextEntries',
  SessionPolicy: 'sessionPolicies',
  ServiceControlPolicies: 'serviceControlPolicies',
  ResourceControlPolicies: 'resourceControlPolicies',
  ManagementAccountId: 'managementAccountId',
  ApiGateway: 'apiGateway',
  EvaluationMode: 'evaluationMode',
  CallerType: 'callerType',
  CallerTags: 'callerTags',
  CurrentTime: 'currentTime',
};
const NESTED_NAMES: Record<string, string> = {
  ContextKeyName: 'contextKeyName',
  ContextKeyValues: 'contextKeyValues',
  ContextKeyType: 'contextKeyType',
  AuthorizationType: 'authorizationType',
  EndpointType: 'endpointType',
  AuthorizerDecision: 'authorizerDecision',
  RequireAuthorizationForCacheControl: 'requireAuthorizationForCacheControl',
  VpcEndpointPolicy: 'vpcEndpointPolicy',
};

/**
 * `$.ContextEntries[1].ContextKeyType: …` → `input.contextEntries[1].contextKeyType: …`.
 * Paths inside a policy document keep the document's own names (Statement, Effect…).
 */
export function toInputPath(line: string): string {
  const match = /^\$\.([A-Za-z]+)((?:\[\d+\])*)(?:\.([A-Za-z]+))?(.*)$/s.exec(line);
  if (!match) return line.startsWith('$') ? `input${line.slice(1)}` : line;
  const [, top = '', indexes = '', second, rest = ''] = match;
  const name = FIELD_NAMES[top] ?? top;
  const inRequest = top === 'ContextEntries' || top === 'ApiGateway';
  const next = second === undefined ? '' : `.${inRequest ? (NESTED_NAMES[second] ?? second) : second}`;
  return `input.${name}${indexes}${next}${rest}`;
}

/** The input as the request object `whocan simulate` reads (AWS field names); absent fields stay absent. */
export function toSimulateRequest(input: SimulateInput): Record<string, unknown> {
  const out: Record<string, unknown> = { CallerArn: input.callerArn, ActionNames: input.actionNames };
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) out[key] = value;
  };
  set('ResourceArns', input.resourceArns);
  set('ResourceOwner', input.resourceOwner);
  set('PolicyInputList', input.policyInputList);
  set('PermissionsBoundaryPolicyInputList', input.permissionsBoundaryPolicyInputList);
  set('ResourcePolicy', input.resourcePolicy);
  set(
    'ContextEntries',
    input.contextEntries?.map((e) => ({
      ContextKeyName: e.contextKeyName,
      ContextKeyValues: e.contextKeyValues,
      ContextKeyType: e.contextKeyType,
    })),
  );
  set('SessionPolicy', input.sessionPolicies);
  set('ServiceControlPolicies', input.serviceControlPolicies);
  set('ResourceControlPolicies', input.resourceControlPolicies);
  set('ManagementAccountId', input.managementAccountId);
  if (input.apiGateway) {
    const api: Record<string, unknown> = { AuthorizationType: input.apiGateway.authorizationType };
    if (input.apiGateway.endpointType) api['EndpointType'] = input.apiGateway.endpointType;
    if (input.apiGateway.authorizerDecision) api['AuthorizerDecision'] = input.apiGateway.authorizerDecision;
    if (typeof input.apiGateway.requireAuthorizationForCacheControl === 'boolean')
      api['RequireAuthorizationForCacheControl'] = input.apiGateway.requireAuthorizationForCacheControl;
    if (input.apiGateway.vpcEndpointPolicy !== undefined && input.apiGateway.vpcEndpointPolicy !== null)
      api['VpcEndpointPolicy'] = input.apiGateway.vpcEndpointPolicy;
    out['ApiGateway'] = api;
  }
  set('EvaluationMode', input.evaluationMode);
  set('CallerType', input.callerType);
  if (input.callerTags) {
    const tags: Record<string, string> = {};
    const duplicates: string[] = [];
    input.callerTags.forEach((tag, i) => {
      if (Object.prototype.hasOwnProperty.call(tags, tag.key))
        duplicates.push(
          `input.callerTags[${i}].key: the tag ${JSON.stringify(tag.key)} is given twice; a caller has one value per tag key`,
        );
      tags[tag.key] = tag.value;
    });
    if (duplicates.length > 0)
      throw new UserInputError(`Invalid simulate request (${duplicates.length} problem${duplicates.length === 1 ? '' : 's'}):`, duplicates);
    out['CallerTags'] = tags;
  }
  set('CurrentTime', input.currentTime);
  return out;
}
