import { Arg, Args, Ctx, Extensions, Query, Resolver, UseMiddleware } from 'type-graphql';
import type { AccessIndexService } from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { RankedPrincipal, RankedPrincipalConnection } from './accessIndex.type';

/** Dashboard questions answered from the stored access index (docs/graph-model.md, "The access index"). */
@UseMiddleware(enforceDeadline)
@Resolver()
export class AccessIndexResolver {
  constructor(private readonly index: AccessIndexService) {}

  @Extensions({ [COST_FIELD]: 50 })
  @Query(() => RankedPrincipalConnection, {
    description:
      'Principals ranked by how many API methods (method × stage) they can invoke, directly or through roles, most first (then by ARN), read from the access index of the snapshot. The index is opt-in (`whocan ingest --index` or `whocan index` builds it): a snapshot without one gives NOT_FOUND.',
  })
  async principalsByInvocableMethods(
    @Args() page: PageArgs,
    @Arg('snapshot', () => String, {
      nullable: true,
      description: 'Id of the snapshot to ask about (the snapshots query lists them); default: the current snapshot.',
    })
    snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionValue<RankedPrincipal>> {
    const request = pageRequest(page, 'principalsByInvocableMethods', ctx);
    const { id } = await ctx.browse.snapshot(snapshot);
    return toConnection(await this.index.principalsByInvocableMethods(id, request), 'principalsByInvocableMethods');
  }
}
