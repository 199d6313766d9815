import { Arg, Ctx, Extensions, Query, Resolver, UseMiddleware } from 'type-graphql';
import type { AnalysisService } from '../../services';
import { LocalAccessSource } from '../../services/review';
import type { ApiContext } from '../context';
import { COST_FIELD, NEO4J_FIELD_COST, enforceDeadline } from '../limits';
import { Organization } from './organization.type';

/**
 * The snapshot's accounts and organization, for access reviews run against
 * this server (`whocan review --server`): which principals are outside the
 * organization. Read from the snapshot's analysis, as the local review reads it.
 */
@Resolver()
@UseMiddleware(enforceDeadline)
export class OrganizationResolver {
  constructor(private readonly analysis: AnalysisService) {}

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => Organization, {
    description:
      "The snapshot's accounts and organization (members, ingested accounts, accounts only named by policies). Unknown snapshot: NOT_FOUND.",
  })
  async organization(
    @Arg('snapshot', () => String, {
      nullable: true,
      description: 'Id of the snapshot to ask about (the snapshots query lists them); default: the current snapshot.',
    })
    snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Organization> {
    const { id } = await ctx.browse.snapshot(snapshot);
    const accounts = await new LocalAccessSource(this.analysis).accounts(id);
    ctx.scope.assertTimeLeft();
    return { snapshot: id, ...accounts };
  }
}
