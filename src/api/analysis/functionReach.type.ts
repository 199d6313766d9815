import { Extensions, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CredentialsModeValue } from '../browse/api.type';
import { connectionType } from '../connection';
import { COST_LIST_SIZE } from '../limits';
import { AccessCondition, AccessDecisionValue, CallerKindValue, CONDITIONS_COST, PathHop } from './answer.type';
import { WhoCanAnswer } from './whoCan.type';

/**
 * The answers about reaching Lambda functions through API Gateway
 * integrations: the functions a caller reaches (functionsReachableBy), and
 * who reaches a function, directly and through every method that calls it
 * (whoCanReachFunction).
 */

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
