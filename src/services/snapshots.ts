import { deriveAccessRows, type AccessAnalysis } from '../analysis';
import type { Graph } from '../db';
import { loadAnalysisSettings } from './analysis';
import { computeAccessIndex, storeAccessIndex, type IndexBuildResult } from './accessIndex';
import { indexStatuses, type IndexStatus } from './index/indexBuild';
import { migrate } from '../db';
import { ingestSnapshot, type IngestEvent, type IngestResult } from '../ingest';
import { currentSnapshotId, listSnapshots, type SnapshotInfo } from '../store';
import { checkPageRequest, type Page, type PageRequest } from './paging';
import type { RequestScope } from './requestScope';
import { deleteSnapshotById, makeSnapshotCurrent, snapshotPage, type SnapshotEntry } from './snapshotCatalog';

export type { IngestEvent, IngestResult } from '../ingest';
export type { SnapshotInfo } from '../store';
export { formatIssue, IngestInputError, MAX_ISSUES_SHOWN } from '../ingest';

/** Loading snapshots and listing them: what `whocan ingest`, `whocan snapshots` and `npm start` ask. */
export class SnapshotService {
  constructor(
    private readonly graph: Graph,
    private readonly options: { migrationsDir: string; keepSnapshots: number; onDeleted?: (snapshot: string) => void },
  ) {}

  /**
   * Applies pending migrations (the constraints the load relies on), then
   * ingests the directory. The analysis decides who can assume which role
   * before anything is written (the CAN_ASSUME relationships); `onAnalysis`
   * receives what it built, for a process that asks questions next.
   */
  async ingest(
    dir: string,
    onEvent?: (event: IngestEvent) => void,
    options: {
      keep?: number;
      batchSize?: number;
      allowShrink?: boolean;
      index?: boolean;
      onAnalysis?: (snapshot: string, analysis: AccessAnalysis) => void;
    } = {},
  ): Promise<IngestResult & { index: IndexBuildResult['stats'] | null }> {
    await migrate(this.graph, this.options.migrationsDir);
    const settings = await loadAnalysisSettings();
    const emit = onEvent ?? (() => undefined);
    let analysis: AccessAnalysis | undefined;
    let index: IndexBuildResult['stats'] | null = null;
    const result = await ingestSnapshot(this.graph, dir, {
      keep: options.keep ?? this.options.keepSnapshots,
      ...(onEvent ? { onEvent } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.allowShrink ? { allowShrink: true } : {}),
      derive: (rows) => {
        analysis = deriveAccessRows(rows, settings);
      },
      // The access index (opt-in: it is slow to build on large organizations), computed by the analysis the derive step built, and written before the snapshot becomes current.
      ...(options.index !== true
        ? {}
        : {
            afterLoad: async (snapshotId: string, beat: () => Promise<void>) => {
              emit({ type: 'phase', message: 'computing the access index (policy engine)' });
              const started = performance.now();
              const computed = await computeAccessIndex(analysis!, emit, beat);
              const computeMs = Math.round(performance.now() - started);
              emit({ type: 'phase', message: 'writing the access index' });
              index = (
                await storeAccessIndex(this.graph, snapshotId, computed, emit, {
                  ...(options.batchSize ? { batchSize: options.batchSize } : {}),
                  beat,
                  computeMs,
                })
              ).stats;
            },
          }),
    });
    if (analysis && options.onAnalysis) options.onAnalysis(result.snapshotId, analysis);
    return { ...result, index };
  }

  /** The snapshots, newest first, each with its access index: complete or not, and a build running or interrupted. */
  async list(): Promise<(SnapshotInfo & { index: IndexStatus })[]> {
    const snapshots = await listSnapshots(this.graph);
    const statuses = await indexStatuses(this.graph);
    const none: IndexStatus = { state: null, build: null, maxHops: null, builtAt: null, building: null };
    return snapshots.map((s) => ({ ...s, index: statuses.get(s.id) ?? none }));
  }

  current(): Promise<string | undefined> {
    return currentSnapshotId(this.graph);
  }

  /** A page of snapshots, newest first, for the API (every state, with deletions in progress shown as such). */
  page(page: PageRequest, scope: RequestScope, maxPageSize: number): Promise<Page<SnapshotEntry>> {
    return snapshotPage(this.graph, checkPageRequest(page, maxPageSize), this.txOptions(scope));
  }

  /** Makes an older complete snapshot current again (admin). */
  setCurrent(id: string, scope: RequestScope): Promise<SnapshotEntry> {
    return makeSnapshotCurrent(this.graph, id, this.txOptions(scope));
  }

  /** Deletes a snapshot that is not current (admin); bounded by the request's deadline. */
  async delete(id: string, scope: RequestScope): Promise<SnapshotEntry> {
    const deleted = await deleteSnapshotById(this.graph, id, () => this.txOptions(scope));
    this.options.onDeleted?.(id);
    return deleted;
  }

  private txOptions(scope: RequestScope) {
    return scope.txOptions(this.graph.options.defaultTimeoutMs);
  }
}
