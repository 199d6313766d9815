import { Extensions, Field, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../connection';
import { COST_LIST_SIZE } from '../limits';
import {
  AccessCondition,
  AccessDecisionValue,
  AnalysisStats,
  ApiKindValue,
  CallerKindValue,
  CONDITIONS_COST,
  PartialCoverage,
  PathHop,
} from './answer.type';

/**
 * The answer of invocableMethods: every API method (on every stage) a
 * principal, or a role it becomes, may invoke, as a connection.
 */

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
