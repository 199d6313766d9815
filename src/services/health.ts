import type { Graph, TxOptions } from '../db';
import { migrationStatus } from '../db';
import { isAppError } from '../errors';

export interface HealthReport {
  ok: boolean;
  neo4jVersion: string;
  neo4jEdition: string;
  migrationsApplied: number;
  migrationsPending: number;
}

/** What /readyz says: nothing about where the database is or what it answered. */
export type Readiness =
  | { readonly state: 'ready'; readonly migrationsApplied: number }
  | { readonly state: 'migrations pending'; readonly migrationsApplied: number; readonly migrationsPending: number }
  | { readonly state: 'unavailable'; readonly reason: string; readonly error?: unknown };

/** Answers "is the graph reachable and up to date?" for the health query and /readyz. */
export class HealthService {
  private inFlight: Promise<HealthReport> | undefined;

  constructor(
    private readonly graph: Graph,
    private readonly migrationsDir: string,
  ) {}

  async check(tx: TxOptions = {}): Promise<HealthReport> {
    const server = await this.graph.serverInfo(tx);
    const status = await migrationStatus(this.graph, this.migrationsDir, tx);
    return {
      ok: status.pending.length === 0,
      neo4jVersion: server.version,
      neo4jEdition: server.edition,
      migrationsApplied: status.applied.length,
      migrationsPending: status.pending.length,
    };
  }

  /**
   * A readiness check that answers within `withinMs` whatever the database
   * does: past it, or when Neo4j cannot be reached, the answer is
   * `unavailable` (the error is kept for the log, never for the caller).
   * Concurrent calls share one check, so probes cannot pile up connections.
   */
  async readiness(withinMs: number): Promise<Readiness> {
    if (!this.inFlight) {
      const controller = new AbortController();
      const check = this.check({ timeoutMs: withinMs, signal: controller.signal });
      this.inFlight = check;
      const stop = setTimeout(() => controller.abort(), withinMs);
      const clear = (): void => {
        clearTimeout(stop);
        controller.abort();
        if (this.inFlight === check) this.inFlight = undefined;
      };
      check.then(clear, clear);
    }
    const check = this.inFlight;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), withinMs);
    });
    try {
      const report = await Promise.race([check, late]);
      if (report === 'late') return { state: 'unavailable', reason: `Neo4j did not answer within ${withinMs} ms` };
      return report.ok
        ? { state: 'ready', migrationsApplied: report.migrationsApplied }
        : { state: 'migrations pending', migrationsApplied: report.migrationsApplied, migrationsPending: report.migrationsPending };
    } catch (error) {
      if (isAppError(error) && error.code === 'MIGRATION_CONFLICT')
        return { state: 'unavailable', reason: 'the applied schema migrations do not match the migration files', error };
      return { state: 'unavailable', reason: 'Neo4j cannot be reached', error };
    } finally {
      clearTimeout(timer);
    }
  }
}
