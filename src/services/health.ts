import type { Graph } from '../db';
import { migrationStatus } from '../db';

export interface HealthReport {
  ok: boolean;
  neo4jVersion: string;
  neo4jEdition: string;
  migrationsApplied: number;
  migrationsPending: number;
}

/** Answers "is the graph reachable and up to date?" for the health query and /readyz. */
export class HealthService {
  constructor(
    private readonly graph: Graph,
    private readonly migrationsDir: string,
  ) {}

  async check(): Promise<HealthReport> {
    const server = await this.graph.serverInfo();
    const status = await migrationStatus(this.graph, this.migrationsDir);
    return {
      ok: status.pending.length === 0,
      neo4jVersion: server.version,
      neo4jEdition: server.edition,
      migrationsApplied: status.applied.length,
      migrationsPending: status.pending.length,
    };
  }
}
