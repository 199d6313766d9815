import type { Graph } from '../db';
import { HealthService } from './health';
import { SnapshotService } from './snapshots';

export { HealthService, type HealthReport } from './health';
export { SnapshotService, IngestInputError, type IngestEvent, type IngestResult, type SnapshotInfo } from './snapshots';

/** Every service the API and the CLI use, built once per process by the entry point. */
export interface Services {
  health: HealthService;
  snapshots: SnapshotService;
}

export function createServices(graph: Graph, options: { migrationsDir: string; keepSnapshots: number }): Services {
  return {
    health: new HealthService(graph, options.migrationsDir),
    snapshots: new SnapshotService(graph, options),
  };
}
