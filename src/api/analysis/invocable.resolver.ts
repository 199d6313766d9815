import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import type { InvocableAnswer, InvocableMethod as InvocableMethodValue } from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { InvocableMethodConnection, InvocableMethodsAnswer } from './invocable.type';
import { pageOfList } from './listPage';
import { QuestionArgs, checkText, toQuestionOptions } from './question.input';
import { ANALYSIS_COSTS, AnalysisQuestion, SNAPSHOT_ARG, type WithSnapshot } from './question';

@UseMiddleware(enforceDeadline)
@Resolver()
export class InvocableMethodsResolver extends AnalysisQuestion {
  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.invocableMethods })
  @Query(() => InvocableMethodsAnswer, {
    description:
      'Every API method (on every stage) a principal, or a role it becomes, may invoke. Methods whose authorization ignores the signature (NONE, Lambda, Cognito, JWT authorizers) are open to whoever the authorizer accepts, and listed only with includeUnsigned. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async invocableMethods(
    @Arg('principal', () => String, { description: 'The principal ARN, such as arn:aws:iam::333344445555:user/bob-caller.' })
    principal: string,
    @Arg('includeUnsigned', () => Boolean, {
      nullable: true,
      description: 'Also list the methods open to unsigned callers (NONE, Lambda, Cognito and JWT authorizers); default false.',
    })
    includeUnsigned: boolean | null,
    @Args() args: QuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<InvocableAnswer>> {
    checkText(principal, 'principal');
    const options = toQuestionOptions(args);
    return this.analysis.invocableMethods(principal, {
      ...options,
      includeUnsigned: includeUnsigned === true,
      snapshot: await this.ready(ctx, snapshot, 'snapshot', { load: false }),
      tx: ctx.scope.txOptions(),
      signal: ctx.scope.signal,
    });
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => InvocableMethodsAnswer)
export class InvocableMethodsAnswerResolver {
  @FieldResolver(() => InvocableMethodConnection, { description: 'The methods, on every stage, in the analysis’ order.' })
  methods(@Root() answer: InvocableAnswer, @Args() page: PageArgs, @Ctx() ctx: ApiContext): ConnectionValue<InvocableMethodValue> {
    return toConnection(
      pageOfList(answer.methods, (m) => m.methodArn, pageRequest(page, 'invocableMethods', ctx)),
      'invocableMethods',
    );
  }
}
