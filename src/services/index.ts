import type { Graph } from '../db';
import { HealthService } from './health';

export { HealthService, type HealthReport } from './health';

/** Every service the API and the CLI use, built once per process by the entry point. */
export interface Services {
  health: HealthService;
}

export function createServices(graph: Graph, options: { migrationsDir: string }): Services {
  return {
    health: new HealthService(graph, options.migrationsDir),
  };
}
