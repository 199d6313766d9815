import { Arg, Args, Ctx, Extensions, Query, Resolver, UseMiddleware } from 'type-graphql';
import { atLeastAsSevere, type Finding as FindingValue, type FindingKind } from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { FindingConnection, FindingConnectionHead, FindingKindValue, SeverityValue } from './findings.type';
import { pageOfList } from './listPage';
import { nonEmpty } from './question.input';
import { ANALYSIS_COSTS, AnalysisQuestion, SNAPSHOT_ARG } from './question';

@UseMiddleware(enforceDeadline)
@Resolver()
export class FindingsResolver extends AnalysisQuestion {
  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.findings })
  @Query(() => FindingConnection, {
    description:
      'What a security review should look at first, on the whole snapshot: public methods, open and cross-account resource policies, wildcard rights, escalation through API Gateway, broad integration roles, broken integrations. Most severe first; counts are per severity.',
  })
  async findings(
    @Arg('kinds', () => [FindingKindValue], { nullable: true, description: 'Only these kinds; default: every kind.' })
    kinds: FindingKindValue[] | null,
    @Arg('minimumSeverity', () => SeverityValue, {
      nullable: true,
      description: 'Only findings at least this severe (LOW: all); counts still cover every severity.',
    })
    minimumSeverity: SeverityValue | null,
    @Args() page: PageArgs,
    @Arg('snapshot', () => String, SNAPSHOT_ARG) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<FindingConnectionHead & ConnectionValue<FindingValue>> {
    const request = pageRequest(page, 'findings', ctx);
    const only = nonEmpty(kinds, 'kinds') as readonly FindingKind[] | undefined;
    const answer = await this.analysis.findings({
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
      ...(only ? { kinds: only } : {}),
    });
    const shown = minimumSeverity ? answer.findings.filter((f) => atLeastAsSevere(f.severity, minimumSeverity)) : answer.findings;
    return {
      snapshot: answer.snapshot,
      counts: answer.counts,
      ...toConnection(
        pageOfList(shown, (f) => f.id, request),
        'findings',
      ),
    };
  }
}
