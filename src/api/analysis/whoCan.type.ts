import { Field, ObjectType } from 'type-graphql';
import { AnalysisStats } from './answer.type';

/**
 * The answer of who can (whoCan, whoCanInvoke): the resource and method
 * asked about and the work it took; its principals are a connection of
 * PrincipalAccess (answer.type.ts), paged by whoCan.resolver.ts.
 */

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
