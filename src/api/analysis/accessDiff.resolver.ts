import { Arg, Args, Ctx, Extensions, Query, Resolver, UseMiddleware } from 'type-graphql';
import { countsByKind } from '../../services';
import type { AccessChange as AccessChangeValue, AccessDiff, AccessKind } from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { AccessChangeConnection, AccessChangeConnectionHead, AccessKindCounts, AccessKindValue } from './accessDiff.type';
import { pageOfList } from './listPage';
import { PathQuestionArgs, checkText, nonEmpty, toQuestionOptions } from './question.input';
import { ANALYSIS_COSTS, AnalysisQuestion } from './question';

@UseMiddleware(enforceDeadline)
@Resolver()
export class AccessDiffResolver extends AnalysisQuestion {
  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.accessDiff })
  @Query(() => AccessChangeConnection, {
    description:
      'Who gained and who lost which access between two snapshots, for access reviews: invoking each API method (every stage), changing each API, assuming each role. Each side is answered on its own snapshot; a change carries the paths of the side that has the access. Unknown snapshot or API id: NOT_FOUND.',
  })
  async accessDiff(
    @Arg('from', () => String, {
      nullable: true,
      description: 'Id of the older snapshot; default: the newest complete snapshot before to.',
    })
    from: string | null | undefined,
    @Arg('to', () => String, { nullable: true, description: 'Id of the newer snapshot; default: the current snapshot.' })
    to: string | null | undefined,
    @Arg('kinds', () => [AccessKindValue], { nullable: true, description: 'Only these kinds of access; default: every kind.' })
    kinds: AccessKindValue[] | null,
    @Arg('apis', () => [String], { nullable: true, description: 'Only these APIs (ids), for INVOKE and MANAGE; default: every API.' })
    apis: string[] | null,
    @Args() args: PathQuestionArgs,
    @Args() page: PageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<AccessChangeConnectionHead & ConnectionValue<AccessChangeValue>> {
    const request = pageRequest(page, 'accessDiff', ctx);
    const options = toQuestionOptions(args);
    const onlyKinds = nonEmpty(kinds, 'kinds') as readonly AccessKind[] | undefined;
    const onlyApis = nonEmpty(apis, 'apis');
    onlyApis?.forEach((id, i) => checkText(id, `apis[${i}]`, 64));
    const snapshots = {
      from: from === null || from === undefined ? undefined : await this.ready(ctx, from, 'from', { load: false }),
      to: to === null || to === undefined ? undefined : await this.ready(ctx, to, 'to', { load: false }),
    };
    const diff: AccessDiff & { from: string; to: string } = await this.analysis.accessDiff(snapshots, {
      ...options,
      ...(onlyKinds ? { kinds: onlyKinds } : {}),
      ...(onlyApis ? { apis: onlyApis } : {}),
      // The diff asks many questions in one go: it runs in slices and stops at the request's deadline.
      signal: ctx.scope.signal,
    });
    const key = (c: AccessChangeValue) => `${c.kind} ${c.action} ${c.resource} ${c.principal}`;
    return {
      from: diff.from,
      to: diff.to,
      counts: diff.counts,
      countsByKind: countsByKind(diff.changes) as AccessKindCounts[],
      compared: diff.compared,
      ...toConnection(pageOfList(diff.changes, key, request), 'accessDiff'),
    };
  }
}
