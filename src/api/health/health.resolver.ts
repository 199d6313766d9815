import { Ctx, Extensions, Query, Resolver, UseMiddleware } from 'type-graphql';
import type { ApiContext } from '../context';
import { COST_FIELD, NEO4J_FIELD_COST, enforceDeadline } from '../limits';
import { HealthService } from '../../services';
import { Health } from './health.type';

@UseMiddleware(enforceDeadline)
@Resolver(() => Health)
export class HealthResolver {
  constructor(private readonly healthService: HealthService) {}

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => Health, { description: 'Checks Neo4j and the schema migrations; answers from the real database.' })
  async health(@Ctx() ctx: ApiContext): Promise<Health> {
    return this.healthService.check(ctx.scope.txOptions());
  }
}
