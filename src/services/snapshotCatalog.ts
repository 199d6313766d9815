import { cypher, type Graph, type TxOptions } from '../db';
import { NotFoundError, TimeoutError, UserInputError } from '../errors';
import { Label } from '../model';
import type { SnapshotInfo } from '../ingest';
import { pageFromRows, type Page, type PageRequest } from './paging';

/**
 * The snapshots as the API sees them: paging, resolving the `snapshot`
 * argument of a query, switching the current snapshot back, and deleting one.
 *
 * The invariant kept here is the ingest's (src/ingest/snapshots.ts): exactly
 * one complete snapshot is current, and queries read only complete ones. A
 * snapshot being deleted is first marked `deleting` in a transaction that
 * holds its lock, so it can never become current afterwards, and it is hidden
 * from queries from then on; an interrupted deletion is finished by deleting
 * it again.
 */
export type SnapshotState = 'loading' | 'complete' | 'deleting';

/** A snapshot as the ingest records it, with the deletion state the catalog adds. */
export interface SnapshotEntry extends Omit<SnapshotInfo, 'state'> {
  state: SnapshotState;
}

/** The snapshot a query reads. */
export interface SnapshotRef {
  id: string;
  current: boolean;
}

const S = Label.Snapshot;
const FIELDS = `s.id AS id,
  CASE WHEN s.deleting = true THEN 'deleting' ELSE s.state END AS state,
  coalesce(s.current, false) AS current, s.source AS source,
  toString(s.startedAt) AS startedAt, toString(s.completedAt) AS completedAt,
  s.nodes AS nodes, s.links AS links, s.warnings AS warnings`;

const PAGE = cypher(
  'snapshots.page',
  `MATCH (s:${S}) WHERE $after IS NULL OR s.id < $after
   RETURN ${FIELDS}
   ORDER BY s.id DESC LIMIT toInteger($limit)`,
);
const COUNT = cypher('snapshots.count', `MATCH (s:${S}) RETURN count(s) AS total`);
const BY_ID = cypher('snapshots.byId', `MATCH (s:${S} {id: $id}) RETURN ${FIELDS}`);
const CURRENT = cypher('snapshots.currentEntry', `MATCH (s:${S} {current: true}) RETURN ${FIELDS} ORDER BY s.id DESC LIMIT 1`);
/** Ingests that are writing right now (a loading snapshot whose process reported within the last 2 minutes, as the ingest itself judges). */
const LIVE_INGESTS = cypher(
  'snapshots.liveIngests',
  `MATCH (s:${S} {state: 'loading'})
   WHERE s.heartbeat IS NOT NULL AND duration.inSeconds(s.heartbeat, datetime()).seconds <= 120
   RETURN s.id AS id ORDER BY s.id`,
);
/**
 * Makes a complete snapshot current and every other one not current, in one
 * transaction. The target's write lock is taken first (set and remove a
 * marker property: Neo4j's documented way to lock a node), so a concurrent
 * deletion's mark is seen before the check.
 */
const SET_CURRENT = cypher(
  'snapshots.setCurrent',
  `MATCH (s:${S} {id: $id})
   SET s._whocanLock = true REMOVE s._whocanLock
   WITH s WHERE s.state = 'complete' AND s.deleting IS NULL
   OPTIONAL MATCH (old:${S} {current: true}) WHERE old <> s
   WITH s, collect(old) AS previous
   FOREACH (p IN previous | SET p.current = false)
   SET s.current = true
   RETURN ${FIELDS}`,
);
/** Marks a complete, non-current snapshot as being deleted (under its lock, like SET_CURRENT). */
const MARK_DELETING = cypher(
  'snapshots.markDeleting',
  `MATCH (s:${S} {id: $id})
   SET s._whocanLock = true REMOVE s._whocanLock
   WITH s WHERE (s.state = 'complete' OR s.deleting = true) AND NOT coalesce(s.current, false)
   SET s.deleting = true
   RETURN ${FIELDS}`,
);
const DATA_LABELS = Object.values(Label).filter((l) => l !== Label.Snapshot);
/** Deletes one label's nodes of a snapshot, 10,000 per inner transaction (bounded memory on large snapshots). */
const DELETE_NODES = (label: string) =>
  cypher(
    `snapshots.deleteNodes.${label}`,
    `MATCH (n:${label}) WHERE n.snapshot = $id AND n.key IS NOT NULL
     CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
  );
const DELETE_SNAPSHOT_NODE = cypher('snapshots.deleteMarkedNode', `MATCH (s:${S} {id: $id}) WHERE s.deleting = true DETACH DELETE s`);

/** One page of snapshots, newest first (ids sort by time). */
export async function snapshotPage(graph: Graph, page: PageRequest, tx: TxOptions): Promise<Page<SnapshotEntry>> {
  return graph.readTx(
    PAGE.name,
    async (t) => {
      const rows = (await graph.run(t, PAGE, { after: page.after ?? null, limit: page.first + 1 })).records.map((r) => r.toObject() as SnapshotEntry);
      const total = (await graph.run(t, COUNT)).records[0]?.get('total') as number;
      return pageFromRows(
        rows.map((node) => ({ node, sortKey: node.id })),
        page,
        total,
      );
    },
    tx,
  );
}

export async function snapshotById(graph: Graph, id: string, tx: TxOptions): Promise<SnapshotEntry | undefined> {
  return (await graph.read<SnapshotEntry & Record<string, unknown>>(BY_ID, { id }, tx))[0];
}

export async function currentSnapshot(graph: Graph, tx: TxOptions): Promise<SnapshotEntry | undefined> {
  return (await graph.read<SnapshotEntry & Record<string, unknown>>(CURRENT, {}, tx))[0];
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
    if (!current) throw new NotFoundError('The graph has no current snapshot yet: load one with `whocan ingest DIR` (npm start loads the demo from seed/).');
    return { id: current.id, current: true };
  }
  const entry = await snapshotById(graph, id, tx);
  if (!entry) throw new NotFoundError(`snapshot: no snapshot ${quote(id)}; the snapshots query lists them.`);
  if (entry.state !== 'complete') {
    throw new NotFoundError(`snapshot: snapshot ${quote(id)} is ${entry.state === 'loading' ? 'still loading' : 'being deleted'}; only complete snapshots can be queried.`);
  }
  return { id: entry.id, current: entry.current };
}

/**
 * Makes an older complete snapshot current again (a rollback). Refused while
 * an ingest is writing: it would make its own snapshot current when it
 * completes, and the two switches must not interleave.
 */
export async function makeSnapshotCurrent(graph: Graph, id: string, tx: TxOptions): Promise<SnapshotEntry> {
  return graph.writeTx(
    SET_CURRENT.name,
    async (t) => {
      const live = (await graph.run(t, LIVE_INGESTS)).records.map((r) => r.get('id') as string);
      if (live.length > 0) {
        throw new UserInputError(`id: an ingest is writing snapshot ${live.join(', ')} right now; try again once it has completed (it will become current itself).`);
      }
      const updated = (await graph.run(t, SET_CURRENT, { id })).records[0]?.toObject() as SnapshotEntry | undefined;
      if (updated) return updated;
      const entry = (await graph.run(t, BY_ID, { id })).records[0]?.toObject() as SnapshotEntry | undefined;
      if (!entry) throw new NotFoundError(`id: no snapshot ${quote(id)}; the snapshots query lists them.`);
      throw new UserInputError(`id: snapshot ${quote(id)} is ${entry.state === 'loading' ? 'still loading' : 'being deleted'}; only a complete snapshot can become current.`);
    },
    tx,
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
  const marked = (await graph.write(MARK_DELETING, { id }, txOptions()))[0];
  if (!marked) {
    const entry = await snapshotById(graph, id, txOptions());
    if (!entry) throw new NotFoundError(`id: no snapshot ${quote(id)}; the snapshots query lists them.`);
    if (entry.current) throw new UserInputError(`id: snapshot ${quote(id)} is the current snapshot; make another one current first (setCurrentSnapshot), then delete it.`);
    throw new UserInputError(`id: snapshot ${quote(id)} is still loading; an ingest that died is cleaned up by the next ingest.`);
  }
  try {
    for (const label of DATA_LABELS) await graph.runAutoCommit(DELETE_NODES(label), { id }, txOptions());
    await graph.write(DELETE_SNAPSHOT_NODE, { id }, txOptions());
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new TimeoutError(`Deleting snapshot ${id} did not finish in time. It is marked as being deleted and hidden from queries; call deleteSnapshot again to finish.`, error);
    }
    throw error;
  }
  return { ...before, current: false };
}
