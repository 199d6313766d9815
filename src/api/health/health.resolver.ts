import { Query, Resolver, UseMiddleware } from 'type-graphql';
import { enforceDeadline } from '../limits';
import { HealthService } from '../../services';
import { Health } from './health.type';

@UseMiddleware(enforceDeadline)
@Resolver(() => Health)
export class HealthResolver {
  constructor(private readonly healthService: HealthService) {}

  @Query(() => Health, { description: 'Checks Neo4j and the schema migrations; answers from the real database.' })
  async health(): Promise<Health> {
    return this.healthService.check();
  }
}
