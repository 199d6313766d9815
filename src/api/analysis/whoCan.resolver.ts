import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { prepareIndexPaths } from '../../services';
import type { PrincipalAccess as PrincipalAccessValue, WhoCanAnswer as WhoCanAnswerValue } from '../../services';
import { PageArgs, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { principalsPage } from './answer.resolver';
import { PrincipalAccessConnection } from './answer.type';
import { INPUT_LIMITS, WhoCanArgs, checkText, toQuestionOptions } from './question.input';
import { ANALYSIS_COSTS, AnalysisQuestion, SNAPSHOT_ARG, type WithSnapshot } from './question';
import { MethodReference, toInvokeTarget } from './whoCan.input';
import { WhoCanAnswer } from './whoCan.type';

/** Who-can questions: answered from the access index when it can (paths read per page), else by the analysis once loaded and within the deadline. */
function whoCanOptions(ctx: ApiContext) {
  return { tx: ctx.scope.txOptions(), lazyPaths: true, analysisReady: () => ctx.scope.assertTimeLeft() };
}

@UseMiddleware(enforceDeadline)
@Resolver()
export class WhoCanResolver extends AnalysisQuestion {
  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.whoCanInvoke })
  @Query(() => WhoCanAnswer, {
    description:
      'Who can invoke an API method, directly or through chains of roles, with decisions, conditions and typed paths. Name the method by requestArn (a concrete request …/prod/GET/pets/42, or a method template …/prod/GET/pets/{id}) or by method ({apiId, stage, verb, path}), not both. Malformed: BAD_USER_INPUT; API, stage or method not in the snapshot: NOT_FOUND.',
  })
  async whoCanInvoke(
    @Arg('requestArn', () => String, {
      nullable: true,
      description:
        'arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<VERB>/<path>, such as arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets.',
    })
    requestArn: string | null,
    @Arg('method', () => MethodReference, { nullable: true, description: 'The method by its parts, instead of requestArn.' })
    method: MethodReference | null,
    @Args() args: WhoCanArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<WhoCanAnswerValue>> {
    const target = toInvokeTarget(requestArn, method);
    const options = toQuestionOptions(args);
    // The access index may answer without the snapshot's analysis in memory; paths are read per page (principals below).
    return this.analysis.whoCanInvoke(target, {
      ...options,
      ...whoCanOptions(ctx),
      snapshot: await this.ready(ctx, snapshot, 'snapshot', { load: false }),
    });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.whoCan })
  @Query(() => WhoCanAnswer, {
    description:
      'Who can perform an action on a resource, directly or through chains of roles: who can change an API (apigateway:PATCH on arn:aws:apigateway:<region>::/restapis/<id>), assume or pass a role (sts:AssumeRole, iam:PassRole), invoke a function (lambda:InvokeFunction), invoke a method (execute-api:Invoke), or any other action. Malformed action or ARN: BAD_USER_INPUT; resource not in the snapshot: NOT_FOUND.',
  })
  async whoCan(
    @Arg('action', () => String, {
      description: 'service:Action without wildcards, such as apigateway:PATCH, sts:AssumeRole or execute-api:Invoke.',
    })
    action: string,
    @Arg('resource', () => String, {
      description:
        'The resource ARN, such as arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5 or arn:aws:iam::333344445555:role/platform-admin.',
    })
    resource: string,
    @Args() args: WhoCanArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<WhoCanAnswerValue>> {
    checkText(action, 'action', INPUT_LIMITS.action);
    checkText(resource, 'resource');
    const options = toQuestionOptions(args);
    return this.analysis.whoCan(action, resource, {
      ...options,
      ...whoCanOptions(ctx),
      snapshot: await this.ready(ctx, snapshot, 'snapshot', { load: false }),
    });
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => WhoCanAnswer)
export class WhoCanAnswerResolver {
  @FieldResolver(() => PrincipalAccessConnection, {
    description: 'The principals with the access, in the analysis’ order (fewest hops, then best decision, first).',
  })
  async principals(
    @Root() answer: WhoCanAnswerValue,
    @Args() page: PageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionValue<PrincipalAccessValue>> {
    const connection = principalsPage(answer.principals, page, ctx);
    // An answer from the access index reads the paths of this page's principals only.
    await prepareIndexPaths(connection.nodes);
    return connection;
  }
}
