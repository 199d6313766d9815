import type { TxOptions, Graph } from '../db';
import { NotFoundError, TimeoutError, UserInputError } from '../errors';
import {
  currentSnapshot,
  deleteMarkedSnapshot,
  markSnapshotDeleting,
  setCurrentSnapshot,
  snapshotById,
  snapshotRows,
  type SnapshotInfo,
} from '../store';
import { pageFromRows, type Page, type PageRequest } from './paging';

/**
 * The snapshots as the API sees them: paging, resolving the `snapshot`
 * argument of a query, switching the current snapshot back, and deleting one,
 * with the errors a user is shown.
 *
 * The (:Snapshot) nodes themselves are src/store/snapshots.ts's, which keeps
 * the invariant: exactly one complete snapshot is current, queries read only
 * complete ones, and a snapshot marked for deletion is never current or
 * queried again; an interrupted deletion is finished by deleting it again (or
 * by the next ingest).
 */
export type SnapshotState = SnapshotInfo['state'];

/** A snapshot as the catalogue lists it. */
export type SnapshotEntry = SnapshotInfo;

/** The snapshot a query reads. */
export interface SnapshotRef {
  id: string;
  current: boolean;
}

/** One page of snapshots, newest first (ids sort by time). */
export async function snapshotPage(graph: Graph, page: PageRequest, tx: TxOptions): Promise<Page<SnapshotEntry>> {
  const { rows, total } = await snapshotRows(graph, { after: page.after ?? null, limit: page.first + 1 }, tx);
  return pageFromRows(
    rows.map((node) => ({ node, sortKey: node.id })),
    page,
    total,
  );
}

function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}

/**
 * The snapshot a query reads: the given id, which must be complete, or the
 * current snapshot. Unknown ids, snapshots still loading or being deleted,
 * and a graph with no snapshot at all are NOT_FOUND.
 */
export async function resolveSnapshot(graph: Graph, id: string | undefined, tx: TxOptions): Promise<SnapshotRef> {
  if (id === undefined) {
    const current = await currentSnapshot(graph, tx);
    if (!current)
      throw new NotFoundError(
        'The graph has no current snapshot yet: load one with `whocan ingest DIR` (npm start loads the demo from seed/).',
      );
    return { id: current.id, current: true };
  }
  const entry = await snapshotById(graph, id, tx);
  if (!entry) throw new NotFoundError(`snapshot: no snapshot ${quote(id)}; the snapshots query lists them.`);
  if (entry.state !== 'complete') {
    throw new NotFoundError(
      `snapshot: snapshot ${quote(id)} is ${entry.state === 'loading' ? 'still loading' : 'being deleted'}; only complete snapshots can be queried.`,
    );
  }
  return { id: entry.id, current: entry.current };
}

/**
 * Makes an older complete snapshot current again (a rollback). Refused while
 * an ingest is writing: it would make its own snapshot current when it
 * completes, and the two switches must not interleave.
 */
export async function makeSnapshotCurrent(graph: Graph, id: string, tx: TxOptions): Promise<SnapshotEntry> {
  const outcome = await setCurrentSnapshot(graph, id, tx);
  if (outcome.ok) return outcome.snapshot;
  if (outcome.reason === 'ingest-running') {
    throw new UserInputError(
      `id: an ingest is writing snapshot ${outcome.liveIngests.join(', ')} right now; try again once it has completed (it will become current itself).`,
    );
  }
  if (outcome.reason === 'unknown') throw new NotFoundError(`id: no snapshot ${quote(id)}; the snapshots query lists them.`);
  throw new UserInputError(
    `id: snapshot ${quote(id)} is ${outcome.state === 'loading' ? 'still loading' : 'being deleted'}; only a complete snapshot can become current.`,
  );
}

/**
 * Deletes a snapshot that is not current (complete, or a deletion that was
 * interrupted). Returns the snapshot as it was. The current snapshot is
 * refused (make another one current first), and so is one still loading (the
 * next ingest removes abandoned ones). `txOptions` is asked again before each
 * statement, so a request deadline bounds the whole deletion; when it runs
 * out, the snapshot stays marked as being deleted and hidden, and deleting it
 * again finishes the job.
 */
export async function deleteSnapshotById(graph: Graph, id: string, txOptions: () => TxOptions): Promise<SnapshotEntry> {
  const before = await snapshotById(graph, id, txOptions());
  if (!before) throw new NotFoundError(`id: no snapshot ${quote(id)}; the snapshots query lists them.`);
  const marked = await markSnapshotDeleting(graph, id, { tx: txOptions() });
  if (!marked) {
    const entry = await snapshotById(graph, id, txOptions());
    if (!entry) throw new NotFoundError(`id: no snapshot ${quote(id)}; the snapshots query lists them.`);
    if (entry.current)
      throw new UserInputError(
        `id: snapshot ${quote(id)} is the current snapshot; make another one current first (setCurrentSnapshot), then delete it.`,
      );
    throw new UserInputError(`id: snapshot ${quote(id)} is still loading; an ingest that died is cleaned up by the next ingest.`);
  }
  try {
    await deleteMarkedSnapshot(graph, id, txOptions);
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new TimeoutError(
        `Deleting snapshot ${id} did not finish in time. It is marked as being deleted and hidden from queries; call deleteSnapshot again to finish.`,
        error,
      );
    }
    throw error;
  }
  return { ...before, current: false };
}
