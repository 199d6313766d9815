import { Query, Resolver } from 'type-graphql';
import { HealthService } from '../../services';
import { Health } from './health.type';

@Resolver(() => Health)
export class HealthResolver {
  constructor(private readonly healthService: HealthService) {}

  @Query(() => Health, { description: 'Checks Neo4j and the schema migrations; answers from the real database.' })
  async health(): Promise<Health> {
    return this.healthService.check();
  }
}
