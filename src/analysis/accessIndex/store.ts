import { cypher, type CypherQuery, type Graph, type TxOptions } from '../../db';
import { Label, Rel } from '../../model';
import type { AccessIndexRows } from '.';

/**
 * The access index in Neo4j (docs/graph-model.md, "The access index"):
 *
 * ```
 * (:Accessor)-[:IN_ACCESS_CLASS]->(:AccessClass)-[:HAS_ACCESS {decision, hops, bestHops, direct, …}]->(:AccessSet)<-[:ANSWERED_BY]-(:AccessTarget)
 * ```
 *
 * Every node carries its snapshot and the id of the build that wrote it
 * (`build`). A build writes beside the build questions read (the snapshot's
 * `indexBuild`) and only while it holds the snapshot's build lock
 * (`indexBuilding`, src/services/index/indexBuild.ts): each batch checks the
 * lock in the transaction that writes it, so a build whose lock was taken
 * over, or whose snapshot is being deleted, writes nothing more. Every value
 * is a parameter; labels and relationship types come from src/model.
 */
export const INDEX_LABELS = [Label.Accessor, Label.AccessClass, Label.AccessSet, Label.AccessTarget] as const;

/** Holds the snapshot's build lock for the batch (set and remove a marker: the node's write lock), or matches nothing when `$build` lost it. */
const FENCE = `MATCH (snap:${Label.Snapshot} {id: $snapshot}) WHERE snap.indexBuilding = $build AND snap.deleting IS NULL
   SET snap._whocanLock = true REMOVE snap._whocanLock
   WITH snap
   UNWIND $rows AS row`;
/** One batch: how many rows it wrote (0 when the build no longer holds the lock). */
const WRITTEN = 'RETURN count(*) AS written';

const upsert = (name: string, label: string): CypherQuery =>
  cypher(
    `accessIndex.upsert.${name}`,
    `${FENCE} MERGE (n:${label} {snapshot: $snapshot, build: $build, key: row.key}) SET n += row ${WRITTEN}`,
  );

const WRITE_STEPS: readonly { name: string; query: CypherQuery; rows: (r: AccessIndexRows) => readonly unknown[] }[] = [
  { name: 'accessors', query: upsert('accessors', Label.Accessor), rows: (r) => r.accessors },
  { name: 'access classes', query: upsert('classes', Label.AccessClass), rows: (r) => r.classes },
  { name: 'access sets', query: upsert('sets', Label.AccessSet), rows: (r) => r.sets },
  { name: 'access targets', query: upsert('targets', Label.AccessTarget), rows: (r) => r.targets },
  {
    name: 'class memberships',
    query: cypher(
      'accessIndex.link.classes',
      `${FENCE}
       MATCH (a:${Label.Accessor} {snapshot: $snapshot, build: $build, key: row.key})
       MATCH (c:${Label.AccessClass} {snapshot: $snapshot, build: $build, key: row.accessClass})
       MERGE (a)-[:${Rel.IN_ACCESS_CLASS}]->(c)
       ${WRITTEN}`,
    ),
    rows: (r) => r.accessors.map(({ key, accessClass }) => ({ key, accessClass })),
  },
  {
    name: 'access',
    query: cypher(
      'accessIndex.link.access',
      `${FENCE}
       MATCH (c:${Label.AccessClass} {snapshot: $snapshot, build: $build, key: row.from})
       MATCH (s:${Label.AccessSet} {snapshot: $snapshot, build: $build, key: row.to})
       MERGE (c)-[r:${Rel.HAS_ACCESS}]->(s)
       SET r.decision = row.decision, r.hops = row.hops, r.bestHops = row.bestHops, r.direct = row.direct, r.conditions = row.conditions, r.formula = row.formula, r.patterns = row.patterns
       ${WRITTEN}`,
    ),
    rows: (r) => r.access,
  },
  {
    name: 'answers',
    query: cypher(
      'accessIndex.link.answers',
      `${FENCE}
       MATCH (t:${Label.AccessTarget} {snapshot: $snapshot, build: $build, key: row.key})
       MATCH (s:${Label.AccessSet} {snapshot: $snapshot, build: $build, key: row.accessSet})
       MERGE (t)-[:${Rel.ANSWERED_BY}]->(s)
       ${WRITTEN}`,
    ),
    rows: (r) => r.targets.map(({ key, accessSet }) => ({ key, accessSet })),
  },
];

const INDEX_STATE = cypher(
  'accessIndex.state',
  `MATCH (s:${Label.Snapshot} {id: $snapshot}) RETURN s.index AS state, s.indexMaxHops AS maxHops, s.indexStats AS stats, s.indexBuild AS build`,
);

/** The builds that have nodes in a snapshot (the one questions read, and any other: replaced, or left by a killed build). */
const BUILDS = (label: string) =>
  cypher(
    `accessIndex.builds.${label}`,
    `MATCH (n:${label}) WHERE n.snapshot = $snapshot AND n.build IS NOT NULL RETURN DISTINCT n.build AS build LIMIT 1000`,
  );

/** Removes the nodes of some builds of a snapshot, 10,000 per inner transaction. */
const DELETE_BUILDS = (label: string) =>
  cypher(
    `accessIndex.deleteBuilds.${label}`,
    `MATCH (n:${label}) WHERE n.snapshot = $snapshot AND n.build IN $builds CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
  );

export interface IndexWriteProgress {
  step: string;
  written: number;
  total: number;
}

/** Thrown when a batch wrote nothing: the build lost the snapshot's build lock (taken over as stale) or the snapshot is being deleted. */
export class IndexBuildFencedError extends Error {
  constructor(
    readonly snapshot: string,
    readonly build: string,
  ) {
    super(
      `index build ${build} of snapshot ${snapshot} no longer holds the snapshot's build lock (another build took it over, or the snapshot is being deleted)`,
    );
  }
}

/**
 * Writes the index rows of a snapshot as build `build` (MERGEs: a retried
 * batch changes nothing). The caller holds the snapshot's build lock; a batch
 * that finds the lock gone writes nothing and fails with
 * IndexBuildFencedError.
 */
export async function writeAccessIndex(
  graph: Graph,
  snapshot: string,
  build: string,
  rows: AccessIndexRows,
  options: { batchSize?: number; onProgress?: (p: IndexWriteProgress) => void; onBatch?: (step: string) => void } = {},
): Promise<void> {
  const size = options.batchSize ?? 5_000;
  for (const step of WRITE_STEPS) {
    const list = step.rows(rows);
    options.onProgress?.({ step: step.name, written: 0, total: list.length });
    for (let start = 0; start < list.length; start += size) {
      const batch = list.slice(start, start + size);
      const result = await graph.writeTx(step.query.name, (t) => graph.run(t, step.query, { snapshot, build, rows: batch }));
      if (((result.records[0]?.get('written') as number | undefined) ?? 0) === 0) throw new IndexBuildFencedError(snapshot, build);
      options.onProgress?.({ step: step.name, written: Math.min(start + size, list.length), total: list.length });
      options.onBatch?.(step.name);
    }
  }
}

/** The builds with nodes in the snapshot. */
export async function accessIndexBuilds(graph: Graph, snapshot: string): Promise<string[]> {
  const builds = new Set<string>();
  for (const label of INDEX_LABELS)
    for (const row of await graph.read<{ build: string }>(BUILDS(label), { snapshot })) builds.add(row.build);
  return [...builds].sort();
}

/** Removes the nodes of these builds of the snapshot, label by label, in batches. */
export async function deleteAccessIndexBuilds(graph: Graph, snapshot: string, builds: readonly string[]): Promise<void> {
  if (builds.length === 0) return;
  for (const label of INDEX_LABELS) await graph.runAutoCommit(DELETE_BUILDS(label), { snapshot, builds });
}

export type IndexState = 'complete';

/** Whether the snapshot has a complete index: its maxHops, and the build questions read. */
export async function accessIndexState(
  graph: Graph,
  snapshot: string,
  tx: TxOptions = {},
): Promise<{ state: IndexState | null; maxHops: number | null; stats: Record<string, number> | null; build: string | null }> {
  const row = (
    await graph.read<{ state: IndexState | null; maxHops: number | null; stats: string | null; build: string | null }>(
      INDEX_STATE,
      { snapshot },
      tx,
    )
  )[0];
  const complete = row?.state === 'complete' && row.build !== null;
  return {
    state: complete ? 'complete' : null,
    maxHops: complete ? (row.maxHops ?? null) : null,
    stats: complete && row.stats ? (JSON.parse(row.stats) as Record<string, number>) : null,
    build: complete ? row.build : null,
  };
}
