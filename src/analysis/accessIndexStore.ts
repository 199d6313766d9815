import { cypher, type CypherQuery, type Graph, type TxOptions } from '../db';
import { Label, Rel } from '../model';
import type { AccessIndexRows } from './accessIndex';

/**
 * The access index in Neo4j (docs/graph-model.md, "The access index"):
 *
 * ```
 * (:Accessor)-[:IN_ACCESS_CLASS]->(:AccessClass)-[:HAS_ACCESS {decision, hops, bestHops, direct, …}]->(:AccessSet)<-[:ANSWERED_BY]-(:AccessTarget)
 * ```
 *
 * Written by the ingest before the snapshot becomes current (or by
 * `whocan index` for an existing snapshot, which marks the snapshot's
 * `index` property `building` first and `complete` last: questions read the
 * index only when it is complete). Every value is a parameter; labels and
 * relationship types come from src/model.
 */
export const INDEX_LABELS = [Label.Accessor, Label.AccessClass, Label.AccessSet, Label.AccessTarget] as const;

const upsert = (name: string, label: string): CypherQuery =>
  cypher(`accessIndex.upsert.${name}`, `UNWIND $rows AS row MERGE (n:${label} {snapshot: $snapshot, key: row.key}) SET n += row`);

const WRITE_STEPS: readonly { name: string; query: CypherQuery; rows: (r: AccessIndexRows) => readonly unknown[] }[] = [
  { name: 'accessors', query: upsert('accessors', Label.Accessor), rows: (r) => r.accessors },
  { name: 'access classes', query: upsert('classes', Label.AccessClass), rows: (r) => r.classes },
  { name: 'access sets', query: upsert('sets', Label.AccessSet), rows: (r) => r.sets },
  { name: 'access targets', query: upsert('targets', Label.AccessTarget), rows: (r) => r.targets },
  {
    name: 'class memberships',
    query: cypher(
      'accessIndex.link.classes',
      `UNWIND $rows AS row
       MATCH (a:${Label.Accessor} {snapshot: $snapshot, key: row.key})
       MATCH (c:${Label.AccessClass} {snapshot: $snapshot, key: row.accessClass})
       MERGE (a)-[:${Rel.IN_ACCESS_CLASS}]->(c)`,
    ),
    rows: (r) => r.accessors.map(({ key, accessClass }) => ({ key, accessClass })),
  },
  {
    name: 'access',
    query: cypher(
      'accessIndex.link.access',
      `UNWIND $rows AS row
       MATCH (c:${Label.AccessClass} {snapshot: $snapshot, key: row.from})
       MATCH (s:${Label.AccessSet} {snapshot: $snapshot, key: row.to})
       MERGE (c)-[r:${Rel.HAS_ACCESS}]->(s)
       SET r.decision = row.decision, r.hops = row.hops, r.bestHops = row.bestHops, r.direct = row.direct, r.conditions = row.conditions, r.formula = row.formula, r.patterns = row.patterns`,
    ),
    rows: (r) => r.access,
  },
  {
    name: 'answers',
    query: cypher(
      'accessIndex.link.answers',
      `UNWIND $rows AS row
       MATCH (t:${Label.AccessTarget} {snapshot: $snapshot, key: row.key})
       MATCH (s:${Label.AccessSet} {snapshot: $snapshot, key: row.accessSet})
       MERGE (t)-[:${Rel.ANSWERED_BY}]->(s)`,
    ),
    rows: (r) => r.targets.map(({ key, accessSet }) => ({ key, accessSet })),
  },
];

const MARK = cypher(
  'accessIndex.mark',
  `MATCH (s:${Label.Snapshot} {id: $snapshot})
   SET s.index = $state, s.indexMaxHops = $maxHops, s.indexStats = $stats, s.indexBuiltAt = CASE WHEN $state = 'complete' THEN datetime() ELSE null END`,
);

const INDEX_STATE = cypher('accessIndex.state', `MATCH (s:${Label.Snapshot} {id: $snapshot}) RETURN s.index AS state, s.indexMaxHops AS maxHops, s.indexStats AS stats`);

const DELETE_INDEX = (label: string) =>
  cypher(`accessIndex.delete.${label}`, `MATCH (n:${label}) WHERE n.snapshot = $snapshot CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);

export interface IndexWriteProgress {
  step: string;
  written: number;
  total: number;
}

/** Writes the index rows of a snapshot (MERGEs: a retried batch changes nothing). */
export async function writeAccessIndex(
  graph: Graph,
  snapshot: string,
  rows: AccessIndexRows,
  options: { batchSize?: number; onProgress?: (p: IndexWriteProgress) => void } = {},
): Promise<void> {
  for (const step of WRITE_STEPS) {
    const list = step.rows(rows);
    options.onProgress?.({ step: step.name, written: 0, total: list.length });
    await graph.writeBatches(step.query, list, {
      batchSize: options.batchSize ?? 5_000,
      params: { snapshot },
      onBatch: (written) => options.onProgress?.({ step: step.name, written, total: list.length }),
    });
  }
}

/** Removes a snapshot's index (before a rebuild). */
export async function deleteAccessIndex(graph: Graph, snapshot: string): Promise<void> {
  for (const label of INDEX_LABELS) await graph.runAutoCommit(DELETE_INDEX(label), { snapshot });
}

export type IndexState = 'building' | 'complete';

export async function markAccessIndex(graph: Graph, snapshot: string, state: IndexState, info: { maxHops: number; stats: object }): Promise<void> {
  await graph.write(MARK, { snapshot, state, maxHops: info.maxHops, stats: JSON.stringify(info.stats) });
}

/** Whether the snapshot has a complete index, and with which maxHops. */
export async function accessIndexState(graph: Graph, snapshot: string, tx: TxOptions = {}): Promise<{ state: IndexState | null; maxHops: number | null; stats: Record<string, number> | null }> {
  const row = (await graph.read<{ state: IndexState | null; maxHops: number | null; stats: string | null }>(INDEX_STATE, { snapshot }, tx))[0];
  return { state: row?.state ?? null, maxHops: row?.maxHops ?? null, stats: row?.stats ? (JSON.parse(row.stats) as Record<string, number>) : null };
}
