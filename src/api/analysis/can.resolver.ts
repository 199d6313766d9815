import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import type { CanAnswer as CanAnswerValue } from '../../services';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { TristateValue } from '../simulate/simulate.type';
import { CanAnswer, LayerVote } from './can.type';
import { INPUT_LIMITS, PathQuestionArgs, checkText, toQuestionOptions } from './question.input';
import { ANALYSIS_COSTS, AnalysisQuestion, SNAPSHOT_ARG, type WithSnapshot } from './question';

@UseMiddleware(enforceDeadline)
@Resolver()
export class CanResolver extends AnalysisQuestion {
  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.can })
  @Query(() => CanAnswer, {
    description:
      'Can this principal perform this action on this resource? The policy simulator on the ingested data: the decision with the deciding statements of every policy type and each layer’s vote, the principal’s paths, and what it reaches by assuming roles. Malformed: BAD_USER_INPUT; principal or resource not in the snapshot: NOT_FOUND.',
  })
  async can(
    @Arg('principal', () => String, {
      description:
        'The principal ARN: arn:aws:iam::ACCOUNT:user/NAME, …:role/NAME, arn:aws:iam::ACCOUNT:root, or a service such as apigateway.amazonaws.com.',
    })
    principal: string,
    @Arg('action', () => String, { description: 'service:Action without wildcards, such as execute-api:Invoke.' }) action: string,
    @Arg('resource', () => String, { description: 'The resource ARN (for execute-api: a request ARN or a method template ARN).' })
    resource: string,
    @Args() args: PathQuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<WithSnapshot<CanAnswerValue>> {
    checkText(principal, 'principal');
    checkText(action, 'action', INPUT_LIMITS.action);
    checkText(resource, 'resource');
    const options = toQuestionOptions(args);
    return this.analysis.can(principal, action, resource, {
      ...options,
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
    });
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => LayerVote)
export class LayerVoteResolver {
  @FieldResolver(() => TristateValue)
  allows(@Root() vote: CanAnswerValue['requests'][number]['layers'][number]): TristateValue {
    return vote.allows === 'conditional' ? TristateValue.CONDITIONAL : vote.allows ? TristateValue.YES : TristateValue.NO;
  }
}
