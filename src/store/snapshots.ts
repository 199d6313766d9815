import { hostname } from 'node:os';
import { cypher, type Graph, type TxOptions } from '../db';
import { AppError } from '../errors';
import { Label } from '../model';
import { testStep } from './testHooks';

/**
 * The (:Snapshot) nodes: the one module that reads or changes them (the
 * access index's build lock and switch on the same node are
 * src/services/index/indexBuild.ts's).
 *
 *   loading ──complete──▶ complete (current) ──another completes / setCurrent──▶ complete
 *      │                        │
 *      └──── marked deleting ◀──┘ (never the current one)
 *
 * An ingest writes a (:Snapshot {state: 'loading'}) and stamps every node
 * with its id. Queries read only the snapshot marked `current: true`, or a
 * complete one they name, and the switch from the old current snapshot to a
 * newly complete one happens in one transaction, so readers see either the
 * whole previous snapshot or the whole new one.
 *
 * Deleting (pruning old snapshots, an admin's deleteSnapshot, an abandoned
 * ingest) first sets `deleting: true` in a transaction that holds the
 * snapshot's lock and refuses the current snapshot; only then is any node
 * removed. A snapshot marked deleting is never listed as complete, never
 * queried, never made current, and its state cannot go back. A process
 * killed in the middle of a deletion leaves a hidden snapshot that the next
 * ingest (or deleting it again) finishes removing. A killed ingest leaves a
 * 'loading' snapshot nobody reads; the next ingest deletes it the same way.
 */
export interface SnapshotInfo {
  id: string;
  /** `deleting`: marked for deletion; hidden from queries, its data being removed. */
  state: 'loading' | 'complete' | 'deleting';
  current: boolean;
  source: string | null;
  startedAt: string;
  completedAt: string | null;
  nodes: number | null;
  links: number | null;
  warnings: number | null;
}

const S = Label.Snapshot;
const DATA_LABELS = Object.values(Label).filter((l) => l !== Label.Snapshot);

/** A snapshot id that sorts by time and reads well in a command line: 20261125T051500Z-3fa1. */
export function newSnapshotId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

/** The fields of a snapshot as every reader sees them: a snapshot marked for deletion is `deleting`, whatever it was before. */
export const SNAPSHOT_FIELDS = `s.id AS id,
  CASE WHEN s.deleting = true THEN 'deleting' ELSE s.state END AS state,
  coalesce(s.current, false) AS current, s.source AS source,
  toString(s.startedAt) AS startedAt, toString(s.completedAt) AS completedAt,
  s.nodes AS nodes, s.links AS links, s.warnings AS warnings`;

const LIST = cypher(
  'snapshots.list',
  `MATCH (s:${S})
   RETURN ${SNAPSHOT_FIELDS},
          s.pid AS pid, s.host AS host, toString(s.heartbeat) AS heartbeat,
          duration.inSeconds(s.heartbeat, datetime()).seconds AS heartbeatAgeSeconds
   ORDER BY s.startedAt DESC`,
);
const CREATE = cypher(
  'snapshots.create',
  `CREATE (s:${S} {id: $id, state: 'loading', current: false, source: $source, startedAt: datetime(), heartbeat: datetime(), pid: $pid, host: $host})`,
);
const HEARTBEAT = cypher('snapshots.heartbeat', `MATCH (s:${S} {id: $id}) SET s.heartbeat = datetime()`);
/**
 * Locks a snapshot node before its state is checked: set and remove a marker
 * property (Neo4j's documented way to take a node's write lock), so a
 * concurrent transition's change is seen by the check that follows.
 */
const LOCK = 'SET s._whocanLock = true REMOVE s._whocanLock';
const COMPLETE = cypher(
  'snapshots.complete',
  `MATCH (s:${S} {id: $id})
   ${LOCK}
   WITH s WHERE s.state = 'loading' AND s.deleting IS NULL
   OPTIONAL MATCH (old:${S} {current: true}) WHERE old <> s
   WITH s, collect(old) AS previous
   FOREACH (p IN previous | SET p.current = false)
   SET s.state = 'complete', s.current = true, s.completedAt = datetime(), s.nodes = $nodes, s.links = $links, s.warnings = $warnings
   RETURN s.id AS id`,
);
/** Ingests writing right now: a loading snapshot whose process reported within the last 2 minutes (LIVE_SECONDS). */
const LIVE_INGESTS = cypher(
  'snapshots.liveIngests',
  `MATCH (s:${S} {state: 'loading'})
   WHERE s.deleting IS NULL AND s.heartbeat IS NOT NULL AND duration.inSeconds(s.heartbeat, datetime()).seconds <= $liveSeconds
   RETURN s.id AS id ORDER BY s.id`,
);
/** Makes a complete snapshot that is not being deleted current, and every other one not current, in one transaction. */
const SET_CURRENT = cypher(
  'snapshots.setCurrent',
  `MATCH (s:${S} {id: $id})
   ${LOCK}
   WITH s WHERE s.state = 'complete' AND s.deleting IS NULL
   OPTIONAL MATCH (old:${S} {current: true}) WHERE old <> s
   WITH s, collect(old) AS previous
   FOREACH (p IN previous | SET p.current = false)
   SET s.current = true
   RETURN ${SNAPSHOT_FIELDS}`,
);
/**
 * Marks a snapshot for deletion unless it is current: "set deleting unless
 * current", under its lock. A loading snapshot is marked only when the caller
 * judged it abandoned (`loading: true`).
 */
const MARK_DELETING = cypher(
  'snapshots.markDeleting',
  `MATCH (s:${S} {id: $id})
   ${LOCK}
   WITH s WHERE NOT coalesce(s.current, false) AND (s.state = 'complete' OR s.deleting = true OR ($loading AND s.state = 'loading'))
   SET s.deleting = true
   RETURN ${SNAPSHOT_FIELDS}`,
);
/** Deletes one label's nodes of a snapshot, 10,000 per inner transaction (bounded memory on large snapshots). */
const DELETE_NODES = (label: string) =>
  cypher(
    `snapshots.deleteNodes.${label}`,
    `MATCH (n:${label}) WHERE n.snapshot = $id AND n.key IS NOT NULL
     CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
  );
const DELETE_SNAPSHOT_NODE = cypher('snapshots.deleteMarkedNode', `MATCH (s:${S} {id: $id}) WHERE s.deleting = true DETACH DELETE s`);
const CURRENT = cypher('snapshots.current', `MATCH (s:${S} {current: true}) WHERE s.deleting IS NULL RETURN s.id AS id`);
const PAGE = cypher(
  'snapshots.page',
  `MATCH (s:${S}) WHERE $after IS NULL OR s.id < $after
   RETURN ${SNAPSHOT_FIELDS}
   ORDER BY s.id DESC LIMIT toInteger($limit)`,
);
const COUNT = cypher('snapshots.count', `MATCH (s:${S}) RETURN count(s) AS total`);
const BY_ID = cypher('snapshots.byId', `MATCH (s:${S} {id: $id}) RETURN ${SNAPSHOT_FIELDS}`);
const CURRENT_ENTRY = cypher(
  'snapshots.currentEntry',
  `MATCH (s:${S} {current: true}) WHERE s.deleting IS NULL RETURN ${SNAPSHOT_FIELDS} ORDER BY s.id DESC LIMIT 1`,
);

/** How long an ingest may stay silent before it counts as abandoned (it reports every 15 s while writing). */
const LIVE_SECONDS = 120;

interface SnapshotRecord extends SnapshotInfo {
  pid: number | null;
  host: string | null;
  heartbeatAgeSeconds: number | null;
}

export async function listSnapshots(graph: Graph): Promise<SnapshotInfo[]> {
  const rows = await graph.read<SnapshotRecord>(LIST);
  return rows.map(({ id, state, current, source, startedAt, completedAt, nodes, links, warnings }) => ({
    id,
    state,
    current,
    source,
    startedAt,
    completedAt,
    nodes,
    links,
    warnings,
  }));
}

export async function currentSnapshotId(graph: Graph): Promise<string | undefined> {
  return (await graph.read<{ id: string }>(CURRENT))[0]?.id;
}

/** Up to `limit` snapshots older than `after` (ids sort by time), newest first, with how many there are in all, read together. */
export async function snapshotRows(
  graph: Graph,
  page: { after: string | null; limit: number },
  tx: TxOptions,
): Promise<{ rows: SnapshotInfo[]; total: number }> {
  return graph.readTx(
    PAGE.name,
    async (t) => ({
      rows: (await graph.run(t, PAGE, page)).records.map((r) => r.toObject() as SnapshotInfo),
      total: (await graph.run(t, COUNT)).records[0]?.get('total') as number,
    }),
    tx,
  );
}

export async function snapshotById(graph: Graph, id: string, tx: TxOptions): Promise<SnapshotInfo | undefined> {
  return (await graph.read<SnapshotInfo & Record<string, unknown>>(BY_ID, { id }, tx))[0];
}

/** The current snapshot, with its fields. */
export async function currentSnapshot(graph: Graph, tx: TxOptions): Promise<SnapshotInfo | undefined> {
  return (await graph.read<SnapshotInfo & Record<string, unknown>>(CURRENT_ENTRY, {}, tx))[0];
}

/** True when the loading snapshot's process is gone (same host, dead pid) or silent for too long. */
function isAbandoned(snapshot: SnapshotRecord, staleAfterSeconds: number): boolean {
  if (snapshot.host === hostname() && snapshot.pid !== null && snapshot.pid !== process.pid) {
    try {
      process.kill(snapshot.pid, 0);
    } catch {
      return true;
    }
  }
  return (snapshot.heartbeatAgeSeconds ?? Number.POSITIVE_INFINITY) > staleAfterSeconds;
}

/**
 * Starts a snapshot: removes what earlier runs left behind (abandoned
 * ingests, interrupted deletions), refuses when another ingest is alive,
 * then creates the 'loading' snapshot.
 */
export async function beginSnapshot(
  graph: Graph,
  source: string,
  options: { staleAfterSeconds?: number; onCleanup?: (id: string) => void } = {},
): Promise<string> {
  for (const snapshot of await graph.read<SnapshotRecord>(LIST)) {
    if (snapshot.state === 'deleting') {
      options.onCleanup?.(snapshot.id);
      // Another process may be deleting it right now (an admin's deleteSnapshot): then it stays hidden and one of the two finishes it.
      await deleteMarkedSnapshot(graph, snapshot.id).catch(() => undefined);
      continue;
    }
    if (snapshot.state !== 'loading') continue;
    if (!isAbandoned(snapshot, options.staleAfterSeconds ?? LIVE_SECONDS)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `Another ingest is in progress (snapshot ${snapshot.id}, process ${snapshot.pid ?? '?'} on ${snapshot.host ?? '?'}, started ${snapshot.startedAt}). Wait for it to finish, or stop it; an ingest that died is cleaned up automatically once it has been silent for 2 minutes.`,
      );
    }
    options.onCleanup?.(snapshot.id);
    await deleteSnapshot(graph, snapshot.id, { loading: true });
  }
  const id = newSnapshotId();
  await graph.write(CREATE, { id, source, pid: process.pid, host: hostname() });
  testStep('ingest:created');
  return id;
}

export async function heartbeat(graph: Graph, id: string): Promise<void> {
  await graph.write(HEARTBEAT, { id });
}

/** Makes a loaded snapshot the current one, atomically. */
export async function completeSnapshot(graph: Graph, id: string, stats: { nodes: number; links: number; warnings: number }): Promise<void> {
  const rows = await graph.write(COMPLETE, { id, ...stats });
  if (rows.length !== 1)
    throw new AppError('GRAPH_ERROR', `Snapshot ${id} is no longer loading (another process deleted it?); nothing was switched.`);
  testStep('ingest:completed');
}

/** What `setCurrentSnapshot` found: the snapshot made current, or why not. */
export type SetCurrentOutcome =
  | { ok: true; snapshot: SnapshotInfo }
  | { ok: false; reason: 'ingest-running'; liveIngests: string[] }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'not-complete'; state: SnapshotInfo['state'] };

/**
 * Makes a complete snapshot current again (a rollback), in one transaction.
 * Refused while an ingest is writing (it makes its own snapshot current when
 * it completes, and the two switches must not interleave), and for a snapshot
 * that is loading or marked for deletion.
 */
export async function setCurrentSnapshot(graph: Graph, id: string, tx: TxOptions = {}): Promise<SetCurrentOutcome> {
  return graph.writeTx(
    SET_CURRENT.name,
    async (t): Promise<SetCurrentOutcome> => {
      const live = (await graph.run(t, LIVE_INGESTS, { liveSeconds: LIVE_SECONDS })).records.map((r) => r.get('id') as string);
      if (live.length > 0) return { ok: false, reason: 'ingest-running', liveIngests: live };
      const updated = (await graph.run(t, SET_CURRENT, { id })).records[0]?.toObject() as SnapshotInfo | undefined;
      if (updated) return { ok: true, snapshot: updated };
      const entry = (await graph.run(t, BY_ID, { id })).records[0]?.toObject() as SnapshotInfo | undefined;
      return entry ? { ok: false, reason: 'not-complete', state: entry.state } : { ok: false, reason: 'unknown' };
    },
    tx,
  );
}

/**
 * Marks a snapshot for deletion ("set deleting unless current"), atomically.
 * Returns the snapshot as marked, or undefined when it is unknown, current,
 * or loading (unless `loading` says the caller judged that ingest abandoned).
 */
export async function markSnapshotDeleting(
  graph: Graph,
  id: string,
  options: { loading?: boolean; tx?: TxOptions } = {},
): Promise<SnapshotInfo | undefined> {
  const marked = (
    await graph.write<SnapshotInfo & Record<string, unknown>>(MARK_DELETING, { id, loading: options.loading ?? false }, options.tx ?? {})
  )[0];
  if (marked) testStep('delete:marked');
  return marked;
}

/**
 * Removes a snapshot already marked for deletion: every node of it, label by
 * label, then the snapshot node itself (only while it is still marked).
 * `tx` is asked again before each statement, so a request deadline bounds
 * the whole deletion; interrupted, it leaves a hidden snapshot that calling
 * this again finishes.
 */
export async function deleteMarkedSnapshot(graph: Graph, id: string, tx: () => TxOptions = () => ({ timeoutMs: 600_000 })): Promise<void> {
  for (const label of DATA_LABELS) {
    await graph.runAutoCommit(DELETE_NODES(label), { id }, tx());
    testStep(`delete:nodes:${label}`);
  }
  await graph.write(DELETE_SNAPSHOT_NODE, { id }, tx());
}

/** Marks a snapshot for deletion, then deletes it. Returns false (and deletes nothing) when it could not be marked. */
export async function deleteSnapshot(graph: Graph, id: string, options: { loading?: boolean } = {}): Promise<boolean> {
  if (!(await markSnapshotDeleting(graph, id, options))) return false;
  await deleteMarkedSnapshot(graph, id);
  return true;
}

/**
 * Keeps the newest `keep` complete snapshots (the current one always);
 * deletes the rest. Every doomed snapshot is marked for deletion before any
 * node is removed. Returns the deleted ids.
 */
export async function pruneSnapshots(graph: Graph, keep: number): Promise<string[]> {
  const complete = (await graph.read<SnapshotRecord>(LIST)).filter((s) => s.state === 'complete');
  const doomed: string[] = [];
  for (const snapshot of complete.filter((s, index) => index >= keep && !s.current)) {
    // Made current in the meantime (a rollback): kept.
    if (await markSnapshotDeleting(graph, snapshot.id)) doomed.push(snapshot.id);
  }
  for (const id of doomed) await deleteMarkedSnapshot(graph, id);
  return doomed;
}
