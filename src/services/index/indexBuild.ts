import { hostname } from 'node:os';
import { accessIndexBuilds, deleteAccessIndexBuilds, IndexBuildFencedError } from '../../analysis';
import { cypher, type Graph } from '../../db';
import { AppError } from '../../errors';
import { testStep } from '../../store';
import { Label } from '../../model';

/**
 * Building a snapshot's access index safely against concurrent builds and
 * killed processes (docs/graph-model.md, "Building and rebuilding the index").
 *
 * - A build takes the snapshot's build lock first: a compare-and-set of
 *   `indexBuilding` (the build's id, with its process, host and a heartbeat)
 *   on the (:Snapshot) node, in one write transaction. A second build of the
 *   same snapshot is refused while the first one is alive; a lock whose
 *   process is gone (same host, dead pid) or silent for STALE_SECONDS is
 *   taken over.
 * - It writes its nodes under its own id (`build` on every index node),
 *   beside the build questions read (`indexBuild`), and each write batch
 *   checks the lock in its own transaction (src/analysis/accessIndex/store.ts):
 *   a build whose lock was taken over writes nothing more.
 * - It switches `indexBuild` to itself in one transaction (only while it
 *   still holds the lock), then removes the replaced build in batches, after
 *   `retireAfterMs` so that questions already reading it can finish.
 * - What a killed build left (its nodes, a stale lock) is removed by the next
 *   build of the snapshot, before it writes; `whocan snapshots` shows the
 *   interrupted build meanwhile. Questions keep reading the previous build
 *   the whole time.
 */
export interface IndexBuildHolder {
  build: string;
  pid: number | null;
  host: string | null;
  startedAt: string | null;
  heartbeatAgeSeconds: number | null;
}

/** How long a build may stay silent before its lock counts as abandoned (it reports every HEARTBEAT_MS). */
export const STALE_SECONDS = 120;
const HEARTBEAT_MS = 15_000;

const S = Label.Snapshot;
/** Locks the snapshot node before its lock fields are checked (as src/store/snapshots.ts does): concurrent compare-and-sets serialize. */
const LOCK = 'SET s._whocanLock = true REMOVE s._whocanLock';
const HOLDER_FIELDS = `s.indexBuilding AS build, s.indexBuildPid AS pid, s.indexBuildHost AS host, toString(s.indexBuildStartedAt) AS startedAt,
  duration.inSeconds(s.indexBuildHeartbeat, datetime()).seconds AS heartbeatAgeSeconds`;

const HOLDER = cypher(
  'accessIndex.build.holder',
  `MATCH (s:${S} {id: $snapshot}) RETURN ${HOLDER_FIELDS}, s.deleting = true AS deleting LIMIT 1`,
);
const ACQUIRE = cypher(
  'accessIndex.build.acquire',
  `MATCH (s:${S} {id: $snapshot})
   ${LOCK}
   WITH s WHERE s.deleting IS NULL AND (s.indexBuilding = $expected OR (s.indexBuilding IS NULL AND $expected IS NULL))
   SET s.indexBuilding = $build, s.indexBuildPid = $pid, s.indexBuildHost = $host, s.indexBuildStartedAt = datetime(), s.indexBuildHeartbeat = datetime()
   RETURN s.indexBuild AS current`,
);
const HEARTBEAT = cypher(
  'accessIndex.build.heartbeat',
  `MATCH (s:${S} {id: $snapshot}) WHERE s.indexBuilding = $build SET s.indexBuildHeartbeat = datetime() RETURN s.id AS id`,
);
const SWITCH = cypher(
  'accessIndex.build.switch',
  `MATCH (s:${S} {id: $snapshot})
   ${LOCK}
   WITH s WHERE s.indexBuilding = $build AND s.deleting IS NULL
   WITH s, s.indexBuild AS previous
   SET s.index = 'complete', s.indexBuild = $build, s.indexMaxHops = $maxHops, s.indexStats = $stats, s.indexBuiltAt = datetime()
   RETURN previous`,
);
const RELEASE = cypher(
  'accessIndex.build.release',
  `MATCH (s:${S} {id: $snapshot})
   ${LOCK}
   WITH s WHERE s.indexBuilding = $build
   REMOVE s.indexBuilding, s.indexBuildPid, s.indexBuildHost, s.indexBuildStartedAt, s.indexBuildHeartbeat`,
);
const STATUSES = cypher(
  'accessIndex.build.statuses',
  `MATCH (s:${S})
   RETURN s.id AS snapshot, s.index AS state, s.indexBuild AS current, s.indexMaxHops AS maxHops, toString(s.indexBuiltAt) AS builtAt, ${HOLDER_FIELDS}
   ORDER BY s.id DESC LIMIT 10000`,
);

/** Whether the process holding a lock is gone: same host and a dead pid, or silent for longer than `staleAfterSeconds`. */
export function holderAbandoned(
  holder: Pick<IndexBuildHolder, 'pid' | 'host' | 'heartbeatAgeSeconds'>,
  staleAfterSeconds: number = STALE_SECONDS,
): boolean {
  if (holder.host === hostname() && holder.pid !== null && holder.pid !== process.pid) {
    try {
      process.kill(holder.pid, 0);
    } catch (error) {
      // EPERM: alive, owned by another user.
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
  }
  return (holder.heartbeatAgeSeconds ?? Number.POSITIVE_INFINITY) > staleAfterSeconds;
}

/** A build id that sorts by time: b20261207T162300Z-3fa1. */
function newBuildId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `b${stamp}-${Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

function refusal(snapshot: string, holder: IndexBuildHolder): AppError {
  return new AppError(
    'BAD_USER_INPUT',
    `Another build of the access index of snapshot ${snapshot} is in progress (build ${holder.build}, process ${holder.pid ?? '?'} on ${holder.host ?? '?'}, started ${holder.startedAt ?? '?'}). ` +
      `Questions keep reading the current index meanwhile. Wait for it to finish, or stop it; a build that died is taken over by the next \`whocan index --snapshot ${snapshot}\` once its process is gone or it has been silent for ${STALE_SECONDS / 60} minutes.`,
  );
}

export interface IndexBuildEvents {
  /** A phase of the build, for the progress display. */
  onPhase?: (message: string) => void;
}

/** A build holding the lock of a snapshot: the id its nodes carry, and what it replaces. */
export interface IndexBuildLease {
  snapshot: string;
  build: string;
  /** The build questions read when this one started (null: none). */
  current: string | null;
}

/**
 * Takes the snapshot's build lock (compare-and-set), taking over a lock
 * whose process is gone. Refuses (BAD_USER_INPUT, naming the other build)
 * while another build of the snapshot is alive.
 */
export async function acquireIndexBuild(
  graph: Graph,
  snapshot: string,
  options: IndexBuildEvents & { staleAfterSeconds?: number } = {},
): Promise<IndexBuildLease> {
  const build = newBuildId();
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder = (await graph.read<IndexBuildHolder & { deleting: boolean | null }>(HOLDER, { snapshot }))[0];
    if (!holder) throw new AppError('NOT_FOUND', `snapshot: no snapshot ${JSON.stringify(snapshot)}; \`whocan snapshots\` lists them.`);
    if (holder.deleting)
      throw new AppError('BAD_USER_INPUT', `snapshot: snapshot ${snapshot} is being deleted; its index cannot be built.`);
    if (holder.build !== null) {
      if (!holderAbandoned(holder, options.staleAfterSeconds)) throw refusal(snapshot, holder);
      options.onPhase?.(
        `taking over the interrupted index build ${holder.build} (process ${holder.pid ?? '?'} on ${holder.host ?? '?'}, started ${holder.startedAt ?? '?'})`,
      );
    }
    const rows = await graph.write<{ current: string | null }>(ACQUIRE, {
      snapshot,
      expected: holder.build,
      build,
      pid: process.pid,
      host: hostname(),
    });
    if (rows[0]) return { snapshot, build, current: rows[0].current };
    // Another build changed the lock between the read and the compare-and-set: look again.
  }
  const holder = (await graph.read<IndexBuildHolder>(HOLDER, { snapshot }))[0];
  if (holder?.build) throw refusal(snapshot, holder);
  throw new AppError('GRAPH_ERROR', `Could not take the index build lock of snapshot ${snapshot}; try again.`);
}

/** Reports the build alive; false when it no longer holds the lock. */
export async function indexBuildHeartbeat(graph: Graph, lease: IndexBuildLease): Promise<boolean> {
  return (await graph.write(HEARTBEAT, { snapshot: lease.snapshot, build: lease.build })).length === 1;
}

/**
 * Removes every build of the snapshot other than the one questions read and
 * this one: what killed or failed builds left. Run while holding the lock.
 */
export async function removeLeftoverBuilds(graph: Graph, lease: IndexBuildLease, events: IndexBuildEvents = {}): Promise<string[]> {
  const doomed = (await accessIndexBuilds(graph, lease.snapshot)).filter((b) => b !== lease.current && b !== lease.build);
  if (doomed.length === 0) return [];
  events.onPhase?.(`removing what interrupted index builds left (${doomed.join(', ')})`);
  await deleteAccessIndexBuilds(graph, lease.snapshot, doomed);
  return doomed;
}

/**
 * Makes the build the one questions read, in one transaction, while it still
 * holds the lock. Returns the build it replaced (null: none).
 */
export async function switchIndexBuild(
  graph: Graph,
  lease: IndexBuildLease,
  info: { maxHops: number; stats: object },
): Promise<string | null> {
  const rows = await graph.write<{ previous: string | null }>(SWITCH, {
    snapshot: lease.snapshot,
    build: lease.build,
    maxHops: info.maxHops,
    stats: JSON.stringify(info.stats),
  });
  if (!rows[0]) throw new IndexBuildFencedError(lease.snapshot, lease.build);
  return rows[0].previous;
}

export async function releaseIndexBuild(graph: Graph, lease: IndexBuildLease): Promise<void> {
  await graph.write(RELEASE, { snapshot: lease.snapshot, build: lease.build });
}

/** What the index of a snapshot is: the build questions read, and a build running or interrupted. */
export interface IndexStatus {
  /** `complete`: questions read it; null: the snapshot has no index. */
  state: 'complete' | null;
  /** The build questions read. */
  build: string | null;
  maxHops: number | null;
  builtAt: string | null;
  /** A build holding the lock: `running` (alive) or `interrupted` (its process died; the next `whocan index` takes over and cleans up). */
  building: (IndexBuildHolder & { status: 'running' | 'interrupted' }) | null;
}

/** The index status of every snapshot, by snapshot id. */
export async function indexStatuses(graph: Graph): Promise<Map<string, IndexStatus>> {
  const rows = await graph.read<
    IndexBuildHolder & { snapshot: string; state: string | null; current: string | null; maxHops: number | null; builtAt: string | null }
  >(STATUSES);
  return new Map(
    rows.map((r) => {
      const complete = r.state === 'complete' && r.current !== null;
      const { build, pid, host, startedAt, heartbeatAgeSeconds } = r;
      return [
        r.snapshot,
        {
          state: complete ? 'complete' : null,
          build: complete ? r.current : null,
          maxHops: complete ? r.maxHops : null,
          builtAt: complete ? r.builtAt : null,
          building:
            build === null
              ? null
              : {
                  build,
                  pid,
                  host,
                  startedAt,
                  heartbeatAgeSeconds,
                  status: holderAbandoned({ pid, host, heartbeatAgeSeconds }) ? 'interrupted' : 'running',
                },
        },
      ];
    }),
  );
}

/**
 * Runs one build of the snapshot's index under its lock: removes what
 * interrupted builds left, produces and writes the new build (`write`
 * receives the build id), switches questions to it, waits `retireAfterMs`
 * for questions still reading the replaced build, and removes that. On a
 * failure before the switch, the new build's nodes are removed and the
 * previous build stays the one questions read. A heartbeat keeps the lock
 * alive while it runs.
 */
export async function runIndexBuild<T extends { maxHops: number; stats: object }>(
  graph: Graph,
  snapshot: string,
  write: (lease: IndexBuildLease) => Promise<T>,
  options: IndexBuildEvents & { retireAfterMs?: number; staleAfterSeconds?: number } = {},
): Promise<T> {
  const lease = await acquireIndexBuild(graph, snapshot, options);
  testStep('index:locked');
  const timer = setInterval(() => void indexBuildHeartbeat(graph, lease).catch(() => undefined), HEARTBEAT_MS);
  timer.unref();
  let switched = false;
  try {
    await removeLeftoverBuilds(graph, lease, options);
    const result = await write(lease);
    const previous = await switchIndexBuild(graph, lease, result);
    switched = true;
    testStep('index:switched');
    if (previous !== null && previous !== lease.build) {
      const wait = options.retireAfterMs ?? 0;
      if (wait > 0) {
        options.onPhase?.(
          `questions now read the new index; removing the previous one in ${Math.round(wait / 1000)} s (questions still reading it finish first)`,
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      options.onPhase?.('removing the previous index');
      await deleteAccessIndexBuilds(graph, snapshot, [previous]);
      testStep('index:retired');
    }
    return result;
  } catch (error) {
    if (!switched && !(error instanceof IndexBuildFencedError))
      await deleteAccessIndexBuilds(graph, snapshot, [lease.build]).catch(() => undefined);
    if (error instanceof IndexBuildFencedError) {
      throw new AppError(
        'BAD_USER_INPUT',
        `The index build ${lease.build} of snapshot ${snapshot} stopped: another build took its lock over (this one was silent for over ${STALE_SECONDS / 60} minutes), or the snapshot is being deleted. The index questions read is unchanged; \`whocan snapshots\` shows its state.`,
      );
    }
    throw error;
  } finally {
    clearInterval(timer);
    await releaseIndexBuild(graph, lease).catch(() => undefined);
  }
}
