import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import type { ReachableRolesAnswer as ReachableRolesAnswerValue, RolePathsAnswer as RolePathsAnswerValue } from '../../services';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { PathQuestionArgs, QuestionArgs, checkText, toQuestionOptions } from './question.input';
import { ANALYSIS_COSTS, AnalysisQuestion, SNAPSHOT_ARG, type WithSnapshot } from './question';
import { ReachableRolesAnswer, RolePathsAnswer } from './roles.type';

@UseMiddleware(enforceDeadline)
@Resolver()
export class RolesResolver extends AnalysisQuestion {
  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.rolePaths })
  @Query(() => RolePathsAnswer, {
    description:
      'How a principal can become a role: the chains of sts:AssumeRole, shortest first, each hop with its trust statement, the caller’s own statement and its conditions. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async rolePaths(
    @Arg('from', () => String, {
      description:
        'The principal the chains start from (user, role, arn:aws:iam::ACCOUNT:root of an account outside the snapshot, or a service).',
    })
    from: string,
    @Arg('to', () => String, { description: 'The role to reach, such as arn:aws:iam::333344445555:role/platform-admin.' }) to: string,
    @Args() args: PathQuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<RolePathsAnswerValue>> {
    checkText(from, 'from');
    checkText(to, 'to');
    const options = toQuestionOptions(args);
    return this.analysis.rolePaths(from, to, { ...options, snapshot: await this.ready(ctx, snapshot), tx: ctx.scope.txOptions() });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.reachableRoles })
  @Query(() => ReachableRolesAnswer, {
    description:
      'Every role a principal can become through chains of sts:AssumeRole (at most maxHops), nearest first, each with its shortest chain and conditions. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async reachableRoles(
    @Arg('principal', () => String, { description: 'The principal ARN, such as arn:aws:iam::222233334444:user/ivan-ops.' })
    principal: string,
    @Args() args: QuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<ReachableRolesAnswerValue>> {
    checkText(principal, 'principal');
    const options = toQuestionOptions(args);
    return this.analysis.reachableRoles(principal, { ...options, snapshot: await this.ready(ctx, snapshot) });
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => RolePathsAnswer)
export class RolePathsAnswerResolver {
  @FieldResolver(() => Boolean)
  morePaths(@Root() answer: RolePathsAnswerValue): boolean {
    return answer.morePaths === true;
  }
}
