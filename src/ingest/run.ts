import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Graph } from '../db';
import { UserInputError } from '../errors';
import type { SnapshotRows } from '../model';
import { loadSnapshotRows, type LoadProgress } from './load';
import { formatIssue, MAX_ISSUES_SHOWN, type IngestIssue } from './report';
import { readSnapshot } from './readSnapshot';
import { checkShrink } from './shrinkGuard';
import { beginSnapshot, completeSnapshot, currentSnapshotId, deleteSnapshot, heartbeat, pruneSnapshots, testStep } from '../store';

/**
 * `whocan ingest DIR`: validate everything first, then write. The snapshot
 * becomes current only once every row is written; a failure at any point
 * leaves the previous snapshot current and intact.
 */
export type IngestEvent =
  | { type: 'phase'; message: string }
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'cleanup'; snapshot: string }
  /** A long step counted in units (the access index: targets decided, rows written). */
  | { type: 'step'; step: string; done: number; total: number };

export interface IngestOptions {
  /** How many complete snapshots to keep (the new one included). */
  keep: number;
  onEvent?: (event: IngestEvent) => void;
  batchSize?: number;
  /**
   * Adds derived rows (the analysis's CAN_ASSUME relationships) after the
   * input is validated and before anything is written, so the snapshot
   * becomes current with them or not at all. Wired by the service layer.
   */
  derive?: (rows: SnapshotRows) => void;
  /**
   * Accepts a snapshot that removes more than half of the current snapshot's
   * principals or APIs (src/ingest/shrinkGuard.ts); refused otherwise.
   */
  allowShrink?: boolean;
  /**
   * Writes what else belongs to the snapshot (the access index) after its
   * rows and before it becomes current, so a failure or a kill leaves the
   * previous snapshot current. `beat` keeps the loading snapshot alive
   * (another ingest deletes a loading snapshot silent for 2 minutes).
   */
  afterLoad?: (snapshotId: string, beat: () => Promise<void>) => Promise<void>;
}

export interface IngestResult {
  snapshotId: string;
  counts: Record<keyof SnapshotRows, number>;
  nodes: number;
  links: number;
  warnings: IngestIssue[];
  pruned: string[];
  readMs: number;
  /** Time spent deriving rows (0 without `derive`). */
  deriveMs: number;
  loadMs: number;
}

/**
 * Bad input: one report listing the problems (file and JSON path); nothing
 * was written. The message shows the first MAX_ISSUES_SHOWN and counts the
 * rest (one broken file can hold hundreds of thousands); `problems` keeps
 * them all.
 */
export class IngestInputError extends UserInputError {
  constructor(
    dir: string,
    readonly problems: readonly IngestIssue[],
  ) {
    const rest = problems.length - MAX_ISSUES_SHOWN;
    super(`${dir} is not a valid snapshot: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was written:`, [
      ...problems.slice(0, MAX_ISSUES_SHOWN).map(formatIssue),
      ...(rest > 0 ? [`… and ${rest} more problem${rest === 1 ? '' : 's'} (the first ${MAX_ISSUES_SHOWN} are shown)`] : []),
    ]);
  }
}

export async function ingestSnapshot(graph: Graph, dir: string, options: IngestOptions): Promise<IngestResult> {
  const emit = options.onEvent ?? (() => undefined);
  const absolute = path.resolve(dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new UserInputError(`${dir} is not a directory: expected a snapshot directory (see "Snapshot layout" in the README).`);
  }

  emit({ type: 'phase', message: `reading and validating ${absolute}` });
  const readStarted = Date.now();
  const { rows, report } = readSnapshot(absolute);
  const readMs = Date.now() - readStarted;
  if (!report.ok) throw new IngestInputError(dir, report.problems);
  if (!options.allowShrink) await checkShrink(graph, await currentSnapshotId(graph), rows, dir);
  let deriveMs = 0;
  if (options.derive) {
    emit({ type: 'phase', message: 'deciding who can assume which role (policy engine)' });
    const started = Date.now();
    options.derive(rows);
    deriveMs = Date.now() - started;
  }
  const counts = Object.fromEntries(Object.entries(rows).map(([kind, list]) => [kind, (list as unknown[]).length])) as Record<
    keyof SnapshotRows,
    number
  >;

  const loadStarted = Date.now();
  const snapshotId = await beginSnapshot(graph, absolute, { onCleanup: (id) => emit({ type: 'cleanup', snapshot: id }) });
  emit({ type: 'phase', message: `writing snapshot ${snapshotId}` });
  let lastBeat = Date.now();
  try {
    const { nodes, links } = await loadSnapshotRows(graph, snapshotId, rows, {
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      onProgress: (progress) => {
        emit({ type: 'progress', progress });
        testStep('ingest:loading');
      },
      beforeStep: async () => {
        if (Date.now() - lastBeat > 15_000) {
          await heartbeat(graph, snapshotId);
          lastBeat = Date.now();
        }
      },
    });
    testStep('ingest:loaded');
    if (options.afterLoad) {
      await options.afterLoad(snapshotId, async () => {
        if (Date.now() - lastBeat > 15_000) {
          await heartbeat(graph, snapshotId);
          lastBeat = Date.now();
        }
      });
    }
    emit({ type: 'phase', message: `making ${snapshotId} the current snapshot` });
    await completeSnapshot(graph, snapshotId, { nodes, links, warnings: report.warnings.length });
    const loadMs = Date.now() - loadStarted;
    const pruned = await pruneSnapshots(graph, options.keep);
    if (pruned.length > 0) emit({ type: 'phase', message: `deleted old snapshot${pruned.length === 1 ? '' : 's'} ${pruned.join(', ')}` });
    return { snapshotId, counts, nodes, links, warnings: report.warnings, pruned, readMs, deriveMs, loadMs };
  } catch (error) {
    // Best effort: the next ingest also removes abandoned snapshots.
    await deleteSnapshot(graph, snapshotId, { loading: true }).catch(() => undefined);
    throw error;
  }
}
