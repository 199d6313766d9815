import { hostname } from 'node:os';
import { cypher, type Graph } from '../db';
import { AppError } from '../errors';
import { Label } from '../model';

/**
 * Snapshot lifecycle. An ingest writes a (:Snapshot {state: 'loading'}) and
 * stamps every node with its id. Queries read only the snapshot marked
 * `current: true`, and the switch from the old current snapshot to a newly
 * complete one happens in one transaction, so readers see either the whole
 * previous snapshot or the whole new one. A killed ingest leaves a 'loading'
 * snapshot nobody reads; the next ingest deletes it.
 */
export interface SnapshotInfo {
  id: string;
  /** `deleting`: marked for deletion (snapshotCatalog.deleteSnapshot); hidden from queries, its data being removed. */
  state: 'loading' | 'complete' | 'deleting';
  current: boolean;
  source: string | null;
  startedAt: string;
  completedAt: string | null;
  nodes: number | null;
  links: number | null;
  warnings: number | null;
}

const DATA_LABELS = Object.values(Label).filter((l) => l !== Label.Snapshot);

/** A snapshot id that sorts by time and reads well in a command line: 20261125T051500Z-3fa1. */
export function newSnapshotId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0')}`;
}

const LIST = cypher(
  'snapshots.list',
  `MATCH (s:${Label.Snapshot})
   RETURN s.id AS id, CASE WHEN s.deleting = true THEN 'deleting' ELSE s.state END AS state, coalesce(s.current, false) AS current, s.source AS source,
          toString(s.startedAt) AS startedAt, toString(s.completedAt) AS completedAt,
          s.nodes AS nodes, s.links AS links, s.warnings AS warnings,
          s.pid AS pid, s.host AS host, toString(s.heartbeat) AS heartbeat,
          duration.inSeconds(s.heartbeat, datetime()).seconds AS heartbeatAgeSeconds
   ORDER BY s.startedAt DESC`,
);
const CREATE = cypher(
  'snapshots.create',
  `CREATE (s:${Label.Snapshot} {id: $id, state: 'loading', current: false, source: $source, startedAt: datetime(), heartbeat: datetime(), pid: $pid, host: $host})`,
);
const HEARTBEAT = cypher('snapshots.heartbeat', `MATCH (s:${Label.Snapshot} {id: $id}) SET s.heartbeat = datetime()`);
const COMPLETE = cypher(
  'snapshots.complete',
  `MATCH (s:${Label.Snapshot} {id: $id, state: 'loading'})
   OPTIONAL MATCH (old:${Label.Snapshot} {current: true})
   WITH s, collect(old) AS previous
   FOREACH (p IN previous | SET p.current = false)
   SET s.state = 'complete', s.current = true, s.completedAt = datetime(), s.nodes = $nodes, s.links = $links, s.warnings = $warnings
   RETURN s.id AS id`,
);
const DELETE_NODE_BATCHES = (label: string) =>
  cypher(
    `snapshots.deleteNodes.${label}`,
    `MATCH (n:${label}) WHERE n.snapshot = $id AND n.key IS NOT NULL
     CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
  );
const DELETE_SNAPSHOT_NODE = cypher('snapshots.deleteSnapshotNode', `MATCH (s:${Label.Snapshot} {id: $id}) DETACH DELETE s`);
const CURRENT = cypher('snapshots.current', `MATCH (s:${Label.Snapshot} {current: true}) RETURN s.id AS id`);

interface SnapshotRecord extends SnapshotInfo {
  pid: number | null;
  host: string | null;
  heartbeatAgeSeconds: number | null;
}

export async function listSnapshots(graph: Graph): Promise<SnapshotInfo[]> {
  const rows = await graph.read<SnapshotRecord>(LIST);
  return rows.map(({ id, state, current, source, startedAt, completedAt, nodes, links, warnings }) => ({ id, state, current, source, startedAt, completedAt, nodes, links, warnings }));
}

export async function currentSnapshotId(graph: Graph): Promise<string | undefined> {
  return (await graph.read<{ id: string }>(CURRENT))[0]?.id;
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
 * Starts a snapshot: deletes abandoned ones first, refuses when another
 * ingest is alive, then creates the 'loading' snapshot.
 */
export async function beginSnapshot(graph: Graph, source: string, options: { staleAfterSeconds?: number; onCleanup?: (id: string) => void } = {}): Promise<string> {
  for (const snapshot of await graph.read<SnapshotRecord>(LIST)) {
    if (snapshot.state !== 'loading') continue;
    if (!isAbandoned(snapshot, options.staleAfterSeconds ?? 120)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `Another ingest is in progress (snapshot ${snapshot.id}, process ${snapshot.pid ?? '?'} on ${snapshot.host ?? '?'}, started ${snapshot.startedAt}). Wait for it to finish, or stop it; an ingest that died is cleaned up automatically once it has been silent for 2 minutes.`,
      );
    }
    options.onCleanup?.(snapshot.id);
    await deleteSnapshot(graph, snapshot.id);
  }
  const id = newSnapshotId();
  await graph.write(CREATE, { id, source, pid: process.pid, host: hostname() });
  return id;
}

export async function heartbeat(graph: Graph, id: string): Promise<void> {
  await graph.write(HEARTBEAT, { id });
}

/** Makes a loaded snapshot the current one, atomically. */
export async function completeSnapshot(graph: Graph, id: string, stats: { nodes: number; links: number; warnings: number }): Promise<void> {
  const rows = await graph.write(COMPLETE, { id, ...stats });
  if (rows.length !== 1) throw new AppError('GRAPH_ERROR', `Snapshot ${id} is no longer loading (another process deleted it?); nothing was switched.`);
}

/** Deletes every node of a snapshot, in batches, then the snapshot itself. */
export async function deleteSnapshot(graph: Graph, id: string): Promise<void> {
  for (const label of DATA_LABELS) {
    await graph.runAutoCommit(DELETE_NODE_BATCHES(label), { id }, { timeoutMs: 600_000 });
  }
  await graph.write(DELETE_SNAPSHOT_NODE, { id });
}

/** Keeps the newest `keep` complete snapshots (the current one always); deletes the rest. Returns the deleted ids. */
export async function pruneSnapshots(graph: Graph, keep: number): Promise<string[]> {
  const complete = (await graph.read<SnapshotRecord>(LIST)).filter((s) => s.state === 'complete');
  const doomed = complete.filter((s, index) => index >= keep && !s.current);
  for (const snapshot of doomed) await deleteSnapshot(graph, snapshot.id);
  return doomed.map((s) => s.id);
}
