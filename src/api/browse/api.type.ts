import { Field, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import type { ApiRecord } from '../../services';
import { connectionType } from '../connection';
import { Policy } from './policy.type';
import { Role } from './principal.type';

export enum CredentialsModeValue {
  ROLE = 'role',
  CALLER = 'caller',
  NONE = 'none',
}
registerEnumType(CredentialsModeValue, {
  name: 'CredentialsMode',
  description: 'Whose identity API Gateway uses to call an integration backend.',
  valuesConfig: {
    ROLE: { description: 'API Gateway assumes the role in roleArn (the integration runs as that role).' },
    CALLER: {
      description:
        "The caller's own credentials are passed through (credentials arn:aws:iam::*:user/*): the caller needs the backend permission.",
    },
    NONE: {
      description: "No credentials: the backend's resource policy (e.g. a Lambda function policy) decides whether API Gateway may call it.",
    },
  },
});

@ObjectType({ description: 'A deployment stage of an API (prod, staging, $default…).' })
export class Stage {
  @Field(() => String, { description: 'The stage name; it is the second part of every request ARN (…:<api-id>/<stage>/<VERB>/<path>).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The deployment the stage serves.' })
  deploymentId!: string | null;

  @Field(() => Boolean, { description: 'True when the stage has a cache cluster (execute-api:InvalidateCache matters then).' })
  cacheClusterEnabled!: boolean;
}

@ObjectType({ description: 'An AWS Lambda function.' })
export class LambdaFunction {
  @Field(() => String, { description: 'The function ARN (unqualified).' })
  arn!: string;

  @Field(() => String, { description: 'The function name.' })
  name!: string;

  @Field(() => String, { description: 'The 12-digit id of the account the function belongs to.' })
  account!: string;

  @Field(() => String, { description: 'The AWS region.' })
  region!: string;

  @Field(() => String, {
    nullable: true,
    name: 'executionRoleArn',
    description: 'ARN of the execution role (what the function code runs as).',
  })
  roleArn!: string | null;

  @Field(() => Role, { nullable: true, description: 'The execution role, when it is in the snapshot.' })
  executionRole!: Role | null;

  @Field(() => Policy, {
    nullable: true,
    description:
      "The function's resource-based policy (who may invoke it, e.g. API Gateway for a given source ARN); null when it has none.",
  })
  resourcePolicy!: Policy | null;
}

@ObjectType({ description: 'How a method reaches its backend: the integration API Gateway calls.' })
export class Integration {
  @Field(() => String, { description: 'AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK.' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The backend URI as AWS prints it.' })
  uri!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The credentials as AWS prints them: a role ARN, arn:aws:iam::*:user/* (caller pass-through), or null.',
  })
  credentials!: string | null;

  @Field(() => CredentialsModeValue, { description: 'Whose identity API Gateway uses to call the backend.' })
  credentialsMode!: CredentialsModeValue;

  @Field(() => String, { nullable: true, description: 'The role API Gateway assumes to call the backend (credentialsMode ROLE).' })
  roleArn!: string | null;

  @Field(() => String, { nullable: true, description: 'The Lambda function the URI names, without version or alias.' })
  lambdaArn!: string | null;

  @Field(() => Role, {
    nullable: true,
    description:
      'The role the integration runs as, when it is in the snapshot (null for other credentials modes, or a role outside the snapshot: roleArn still names it).',
  })
  role!: Role | null;

  @Field(() => LambdaFunction, {
    nullable: true,
    description: 'The Lambda function the integration calls, when it is in the snapshot (lambdaArn still names it otherwise).',
  })
  lambdaFunction!: LambdaFunction | null;
}

@InterfaceType('Api', {
  description: 'An API Gateway API: a REST API or an HTTP API.',
  resolveType: (value: ApiRecord) => (value.kind === 'REST' ? 'RestApi' : 'HttpApi'),
})
export abstract class Api {
  @Field(() => String, { description: 'The API id (a1b2c3d4e5).' })
  id!: string;

  @Field(() => String, {
    name: 'arn',
    description:
      "The API's management ARN (arn:aws:apigateway:<region>::/restapis/<id> or …::/apis/<id>), the resource of apigateway:* actions.",
  })
  key!: string;

  @Field(() => String, { nullable: true, description: 'The API name.' })
  name!: string | null;

  @Field(() => String, { description: 'The 12-digit id of the account the API belongs to.' })
  account!: string;

  @Field(() => String, { description: 'The AWS region.' })
  region!: string;

  @Field(() => String, { description: 'REGIONAL, EDGE or PRIVATE (HTTP APIs are REGIONAL).' })
  endpointType!: string;

  @Field(() => String, {
    description:
      'arn:aws:execute-api:<region>:<account>:<api-id>: the start of every request ARN of this API (the resource of execute-api:Invoke).',
  })
  executeApiArn!: string;

  @Field(() => Boolean, { description: 'True when the default execute-api endpoint is turned off (only custom domains serve the API).' })
  disableExecuteApiEndpoint!: boolean;

  @Field(() => [Stage], { description: 'The deployment stages.' })
  stages!: Stage[];
}

@ObjectType('RestApi', { implements: Api, description: 'An API Gateway REST API.' })
export class RestApi extends Api {
  @Field(() => [String], { description: 'The VPC endpoints a PRIVATE API is bound to.' })
  vpcEndpointIds!: string[];

  @Field(() => Policy, { nullable: true, description: "The API's resource policy (who may invoke it, from where); null when it has none." })
  resourcePolicy!: Policy | null;
}

@ObjectType('HttpApi', { implements: Api, description: 'An API Gateway HTTP API (API Gateway v2; HTTP APIs have no resource policy).' })
export class HttpApi extends Api {}

@ObjectType({ description: 'A method of a REST API (a verb on a resource path) or a route of an HTTP API.' })
export class ApiMethod {
  @Field(() => String, { description: 'GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ANY; * for an HTTP API $default route.' })
  verb!: string;

  @Field(() => String, { description: 'The path template (/pets/{id}, /{proxy+}); * for an HTTP API $default route.' })
  path!: string;

  @Field(() => String, {
    nullable: true,
    description: 'HTTP API routes: the route key as AWS prints it (GET /pets/{id}, $default); null for REST methods.',
  })
  routeKey!: string | null;

  @Field(() => String, {
    description: 'How callers are authorized: NONE, AWS_IAM, CUSTOM (Lambda authorizer), COGNITO_USER_POOLS (REST) or JWT (HTTP).',
  })
  authorizationType!: string;

  @Field(() => String, { nullable: true, description: 'The authorizer id, for CUSTOM, COGNITO_USER_POOLS and JWT.' })
  authorizerId!: string | null;

  @Field(() => Boolean, { description: 'True when callers must also send an API key.' })
  apiKeyRequired!: boolean;

  @Field(() => Api, { description: 'The API the method belongs to.' })
  api!: Api;

  @Field(() => Policy, {
    nullable: true,
    description: "The resource policy of the method's API (document and statements); null when the API has none (always for HTTP APIs).",
  })
  resourcePolicy!: Policy | null;

  @Field(() => Integration, {
    nullable: true,
    description: 'The integration: the backend, whose identity calls it, the role it runs as and the Lambda function it calls.',
  })
  integration!: Integration | null;
}

export const ApiMethodConnection = connectionType(() => ApiMethod, 'ApiMethod', 'API method');
export const RestApiConnection = connectionType(() => RestApi, 'RestApi', 'REST API');
export const HttpApiConnection = connectionType(() => HttpApi, 'HttpApi', 'HTTP API');
