import { Arg, Args, Ctx, Extensions, Query, Resolver, UseMiddleware } from 'type-graphql';
import type { AccessSummaryRow as AccessSummaryRowValue, DashboardService } from '../../services';
import { ANALYSIS_COSTS } from '../analysis';
import { pageOfList } from '../analysis/listPage';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { AccessSummaryConnection } from './accessSummary.type';

/** Cost of the summary on its own: it asks who can invoke every method on every stage, as findings do. */
export const ACCESS_SUMMARY_COST = ANALYSIS_COSTS.findings;

/** Dashboard figures over GraphQL (thin: arguments → DashboardService → a page). */
@UseMiddleware(enforceDeadline)
@Resolver()
export class DashboardResolver {
  constructor(private readonly dashboard: DashboardService) {}

  @Extensions({ [COST_FIELD]: ACCESS_SUMMARY_COST })
  @Query(() => AccessSummaryConnection, {
    description:
      'The exposure of a snapshot at a glance, one row per API and stage: methods, public methods, principals with access, principals from other accounts, and the accounts outside the organization with access; with totals. Read from the snapshot’s access index when it has a complete one (whocan ingest --index, whocan index); otherwise computed once per snapshot from the who-can-invoke answers of every method on every stage. Then served from memory. Unknown snapshot: NOT_FOUND.',
  })
  async accessSummary(
    @Args() page: PageArgs,
    @Arg('snapshot', () => String, {
      nullable: true,
      description: 'Id of the snapshot to summarise (the snapshots query lists them); default: the current snapshot.',
    })
    snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Omit<AccessSummaryConnection, 'edges' | 'nodes'> & ConnectionValue<AccessSummaryRowValue>> {
    const request = pageRequest(page, 'accessSummary', ctx);
    const { id } = await ctx.browse.snapshot(snapshot);
    const summary = await this.dashboard.accessSummary({ snapshot: id });
    const key = (r: AccessSummaryRowValue) => `${r.accountId}/${r.apiId}/${r.stage}`;
    return { snapshot: summary.snapshot, totals: summary.totals, ...toConnection(pageOfList(summary.rows, key, request), 'accessSummary') };
  }
}
