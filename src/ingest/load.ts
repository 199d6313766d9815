import { cypher, type CypherQuery, type Graph } from '../db';
import { schema, type SnapshotRows } from '../model';

/**
 * Writes the rows of one snapshot: nodes first, then relationships, each in
 * `UNWIND $rows` batches. Writes are MERGEs on (snapshot, key), so a retried
 * batch changes nothing. The steps derive from the node declarations in
 * src/model/schema/ (labels, relationship types, row fields), never from
 * input; every value is a parameter.
 */

export interface LoadStep {
  /** Shown in progress output. */
  name: string;
  query: CypherQuery;
  rows: (rows: SnapshotRows) => readonly unknown[];
}

type Row = Record<string, unknown>;

const upsert = (name: string, labels: string, extra = ''): CypherQuery =>
  cypher(`ingest.upsert.${name}`, `UNWIND $rows AS row MERGE (n:${labels} {snapshot: $snapshot, key: row.key}) SET n += row ${extra}`);

/** Matches one end of a relationship by key: with its label, or (several labels) with any of them. */
const matchEnd = (variable: string, labels: readonly string[], field: string): string =>
  labels.length === 1
    ? `MATCH (${variable}:${labels[0]} {snapshot: $snapshot, key: row.${field}})`
    : `MATCH (${variable} {snapshot: $snapshot, key: row.${field}}) WHERE (${labels.map((label) => `${variable}:${label}`).join(' OR ')}) AND ${variable}.key IS NOT NULL`;

/** Relationship between two nodes of the snapshot found by key (missing endpoints are skipped: e.g. a role in an account that was not ingested). */
const link = (step: schema.RelationshipLoadStep, relationship: schema.RelationshipSchema): CypherQuery => {
  const properties = Object.keys(relationship.properties);
  return cypher(
    `ingest.link.${step.query}`,
    `UNWIND $rows AS row
     ${matchEnd('a', step.from, step.rows.fromField)}
     ${matchEnd('b', step.to, step.rows.toField)}
     MERGE (a)-[r:${relationship.type}]->(b) ${properties.length > 0 ? `SET ${properties.map((p) => `r.${p} = row.${p}`).join(', ')}` : ''}`,
  );
};

const matches = (row: Row, filter: schema.RowFilter): boolean => {
  const value = row[filter.field];
  if ('equals' in filter) return value === filter.equals;
  if ('contains' in filter) return String(value).includes(filter.contains);
  if ('isNull' in filter) return value === null || value === undefined;
  return value !== null && value !== undefined;
};

/** The rows a step writes: its row kind, filtered, each list value of `expand` made a `{from, to}` row. */
export function stepRows(rows: SnapshotRows, spec: schema.RelationshipLoadStep['rows']): readonly Row[] {
  const all = (rows as unknown as Record<string, readonly Row[]>)[spec.kind] ?? [];
  const kept = all.filter((row) => (spec.where ?? []).every((filter) => matches(row, filter)));
  const { expand } = spec;
  return expand === undefined ? kept : kept.flatMap((row) => (row[expand] as string[]).map((value) => ({ from: row.key, to: value })));
}

/**
 * Service principals have no rows of their own: those named by statements,
 * and those the analysis found assuming roles (always named by a trust
 * statement, listed for safety).
 */
const servicePrincipalRows = (r: SnapshotRows) =>
  [
    ...new Set([
      ...r.statements.flatMap((s) => s.servicePrincipals),
      ...r.canAssume.filter((c) => c.fromLabel === 'ServicePrincipal').map((c) => c.fromKey),
    ]),
  ]
    .sort()
    .map((key) => ({ key }));

export const NODE_STEPS: readonly LoadStep[] = schema.NODE_SCHEMAS.flatMap((node) =>
  node.load.map((step): LoadStep => {
    const { rows: kind } = node;
    if (kind === null) {
      const query = cypher(
        `ingest.upsert.${step.query}`,
        `UNWIND $rows AS row MERGE (n:${step.labels.join(':')} {snapshot: $snapshot, key: row.key}) SET n.name = row.key`,
      );
      return { name: step.name, query, rows: servicePrincipalRows };
    }
    return {
      name: step.name,
      query: upsert(step.query, step.labels.join(':')),
      rows: (r) => stepRows(r, { kind, fromField: 'key', toField: 'key', where: step.where ? [step.where] : [] }),
    };
  }),
);

export const LINK_STEPS: readonly LoadStep[] = schema.RELATIONSHIPS_IN_LOAD_ORDER.flatMap((relationship) =>
  relationship.load.map((step): LoadStep => ({ name: step.name, query: link(step, relationship), rows: (r) => stepRows(r, step.rows) })),
);

export interface LoadProgress {
  step: string;
  stepIndex: number;
  stepCount: number;
  written: number;
  total: number;
  /** Rows written so far over every step, and the total over every step. */
  overallWritten: number;
  overallTotal: number;
}

/** Writes every row of a snapshot; calls `onProgress` after each batch and `beforeBatch` before (heartbeat). */
export async function loadSnapshotRows(
  graph: Graph,
  snapshot: string,
  rows: SnapshotRows,
  options: { batchSize?: number; onProgress?: (p: LoadProgress) => void; beforeStep?: (step: string) => Promise<void> } = {},
): Promise<{ nodes: number; links: number }> {
  const steps = [...NODE_STEPS, ...LINK_STEPS].map((step) => ({ step, data: step.rows(rows) }));
  const overallTotal = steps.reduce((sum, s) => sum + s.data.length, 0);
  let overallWritten = 0;
  let nodes = 0;
  let links = 0;
  for (const [index, { step, data }] of steps.entries()) {
    await options.beforeStep?.(step.name);
    const before = overallWritten;
    await graph.writeBatches(step.query, data, {
      batchSize: options.batchSize ?? 5_000,
      params: { snapshot },
      tx: { timeoutMs: 300_000, metadata: { snapshot } },
      onBatch: (written) => {
        overallWritten = before + written;
        options.onProgress?.({
          step: step.name,
          stepIndex: index,
          stepCount: steps.length,
          written,
          total: data.length,
          overallWritten,
          overallTotal,
        });
      },
    });
    if (index < NODE_STEPS.length) nodes += data.length;
    else links += data.length;
  }
  return { nodes, links };
}
