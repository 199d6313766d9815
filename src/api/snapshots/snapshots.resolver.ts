import { Arg, Args, Authorized, Ctx, Extensions, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { COST_FIELD, NEO4J_FIELD_COST, enforceDeadline } from '../limits';
import type { SnapshotEntry, SnapshotService } from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { Snapshot, SnapshotConnection } from './snapshot.type';

/** Listing snapshots (readers) and changing which one is current or deleting one (admins). */
@UseMiddleware(enforceDeadline)
@Resolver(() => Snapshot)
export class SnapshotResolver {
  constructor(private readonly snapshotService: SnapshotService) {}

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => SnapshotConnection, {
    description: 'The snapshots in the graph, newest first, whatever their state; `current` marks the one queries read by default.',
  })
  async snapshots(@Args() page: PageArgs, @Ctx() ctx: ApiContext): Promise<ConnectionValue<SnapshotEntry>> {
    return toConnection(
      await this.snapshotService.page(pageRequest(page, 'snapshots', ctx), ctx.scope, ctx.limits.maxPageSize),
      'snapshots',
    );
  }

  @Authorized('admin')
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Mutation(() => Snapshot, {
    description:
      'Admin: makes a complete snapshot the current one (e.g. roll back to an older one); the previous current snapshot stays, not current. Refused while an ingest is writing. Unknown id: NOT_FOUND; not complete: BAD_USER_INPUT.',
  })
  setCurrentSnapshot(
    @Arg('id', () => String, { description: 'Id of a complete snapshot (the snapshots query lists them).' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SnapshotEntry> {
    return this.snapshotService.setCurrent(id, ctx.scope);
  }

  @Authorized('admin')
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Mutation(() => Snapshot, {
    description:
      'Admin: deletes a snapshot that is not current, and returns it as it was. The current snapshot is refused (make another one current first), and so is one still loading. Unknown id: NOT_FOUND. When the request runs out of time, the snapshot stays hidden (DELETING) and calling this again finishes the job.',
  })
  deleteSnapshot(
    @Arg('id', () => String, { description: 'Id of the snapshot to delete.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SnapshotEntry> {
    return this.snapshotService.delete(id, ctx.scope);
  }
}
