import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import type {
  BackendAccess,
  CallerReachAnswer,
  FunctionReachAnswer as FunctionReachAnswerValue,
  PrincipalAccess as PrincipalAccessValue,
  WhoCanAnswer as WhoCanAnswerValue,
} from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { principalsPage } from './answer.resolver';
import { PrincipalAccessConnection } from './answer.type';
import {
  FunctionCallerConnection,
  FunctionReachAnswer,
  FunctionRoute,
  FunctionsReachableAnswer,
  ReachedFunctionConnection,
} from './functionReach.type';
import { pageOfList } from './listPage';
import { QuestionArgs, WhoCanArgs, checkText, toQuestionOptions } from './question.input';
import { ANALYSIS_COSTS, AnalysisQuestion, SNAPSHOT_ARG, type WithSnapshot } from './question';

@UseMiddleware(enforceDeadline)
@Resolver()
export class FunctionReachResolver extends AnalysisQuestion {
  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.functionsReachableBy })
  @Query(() => FunctionsReachableAnswer, {
    description:
      'The Lambda functions a caller reaches through API methods (caller → method → the role the integration runs as → function), itself or as the roles it becomes, even when it cannot invoke them directly. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async functionsReachableBy(
    @Arg('principal', () => String, { description: 'The caller ARN, such as arn:aws:iam::333344445555:user/bob-caller.' })
    principal: string,
    @Args() args: QuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<CallerReachAnswer>> {
    checkText(principal, 'principal');
    const options = toQuestionOptions(args);
    return this.analysis.callerReach(principal, {
      ...options,
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
      signal: ctx.scope.signal,
    });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.whoCanReachFunction })
  @Query(() => FunctionReachAnswer, {
    description:
      'Who can reach a Lambda function: directly (lambda:InvokeFunction), and through every API method whose integration calls it. Malformed: BAD_USER_INPUT; function not in the snapshot: NOT_FOUND.',
  })
  async whoCanReachFunction(
    @Arg('function', () => String, { description: 'The function ARN, such as arn:aws:lambda:us-east-1:333344445555:function:pets-list.' })
    fn: string,
    @Args() args: WhoCanArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<Omit<FunctionReachAnswerValue, 'direct'> & { direct: WithSnapshot<WhoCanAnswerValue> }>> {
    checkText(fn, 'function');
    const options = toQuestionOptions(args);
    const answer = await this.analysis.functionReach(fn, {
      ...options,
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
      signal: ctx.scope.signal,
    });
    return { ...answer, direct: { ...answer.direct, snapshot: answer.snapshot } };
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => FunctionsReachableAnswer)
export class FunctionsReachableAnswerResolver {
  @FieldResolver(() => ReachedFunctionConnection, {
    description:
      'Each function the caller reaches, once per method (on each stage) whose integration calls it; ordered by function, then method.',
  })
  functions(@Root() answer: CallerReachAnswer, @Args() page: PageArgs, @Ctx() ctx: ApiContext): ConnectionValue<BackendAccess> {
    return toConnection(
      pageOfList(answer.backends, (b) => `${b.method.methodArn} ${b.function}`, pageRequest(page, 'reachedFunctions', ctx)),
      'reachedFunctions',
    );
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => FunctionReachAnswer)
export class FunctionReachAnswerResolver {
  @FieldResolver(() => FunctionCallerConnection, {
    description: 'Everyone who reaches the function, directly or through an API: fewest hops, then best decision, first.',
  })
  principals(
    @Root() answer: FunctionReachAnswerValue,
    @Args() page: PageArgs,
    @Ctx() ctx: ApiContext,
  ): ConnectionValue<FunctionReachAnswerValue['principals'][number]> {
    return toConnection(
      pageOfList(answer.principals, (p) => p.arn, pageRequest(page, 'functionCallers', ctx)),
      'functionCallers',
    );
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => FunctionRoute)
export class FunctionRouteResolver {
  @FieldResolver(() => PrincipalAccessConnection, {
    description: 'Who reaches the function through this method, each path ending with the integration hop.',
  })
  principals(
    @Root() route: FunctionReachAnswerValue['throughApis'][number],
    @Args() page: PageArgs,
    @Ctx() ctx: ApiContext,
  ): ConnectionValue<PrincipalAccessValue> {
    return principalsPage(route.principals, page, ctx);
  }
}
