import { cypher, type CypherQuery, type Graph } from '../db';
import { ROW_FIELDS, schema, type SnapshotRows } from '../model';

/**
 * The inverse of load.ts: reads one snapshot back from the graph as rows, so
 * the analysis decides from exactly what is stored. Neo4j keeps no null
 * properties, so every field a node lacks comes back as `null` (ROW_FIELDS
 * lists them). One streamed query per row kind, derived like the load steps
 * from the declarations in src/model/schema/; the snapshot id is a parameter.
 */

type Kind = keyof SnapshotRows;

/** A node kind's rows: every node with one of its labels (or its shared label). */
const nodeQuery = (kind: string, node: schema.NodeSchema): CypherQuery => {
  const label = node.labels.length === 1 ? node.labels[0] : (node.sharedLabel ?? node.labels.join('|'));
  return cypher(`graphRows.${kind}`, `MATCH (n:${label} {snapshot: $snapshot}) RETURN properties(n) AS p`);
};

/**
 * A relationship row kind's rows, from the load steps that write it: the
 * start and end keys, the relationship's properties, and the field the steps
 * are split by (the start's label, as the rows name it).
 */
const linkQuery = (kind: string): CypherQuery => {
  const steps = schema.RELATIONSHIPS_IN_LOAD_ORDER.flatMap((relationship) =>
    relationship.load.filter((step) => step.rows.kind === kind).map((step) => ({ relationship, step })),
  );
  const [first] = steps;
  if (!first) throw new Error(`no relationship is written from row kind ${kind}`);
  const { relationship, step } = first;
  const union = (labels: (s: schema.RelationshipLoadStep) => readonly string[]) => [...new Set(steps.flatMap(({ step: s }) => labels(s)))];
  const returned = [`a.key AS ${step.rows.fromField}`, `b.key AS ${step.rows.toField}`];
  returned.push(...Object.keys(relationship.properties).map((property) => `r.${property} AS ${property}`));
  const splitBy = step.rows.where?.find((filter) => 'equals' in filter)?.field;
  if (splitBy !== undefined) {
    const cases = steps.map(({ step: s }) => {
      const filter = s.rows.where?.find((f) => f.field === splitBy && 'equals' in f) as { equals: string };
      return `WHEN a:${s.from.join(' OR a:')} THEN '${filter.equals}'`;
    });
    returned.push(`CASE ${cases.join(' ')} END AS ${splitBy}`);
  }
  return cypher(
    `graphRows.${kind}`,
    `MATCH (a:${union((s) => s.from).join('|')} {snapshot: $snapshot})-[r:${relationship.type}]->(b:${union((s) => s.to).join('|')})
     RETURN ${returned.join(', ')}`,
  );
};

const QUERIES = Object.fromEntries(
  (Object.keys(ROW_FIELDS) as Kind[]).map((kind) => {
    const node = schema.NODE_SCHEMAS.find((n) => n.rows === kind);
    return [kind, node ? { query: nodeQuery(kind, node), node: true } : { query: linkQuery(kind), node: false }];
  }),
) as Record<Kind, { query: CypherQuery; node: boolean }>;

/** Every field of the row kind, `null` where the node has no such property. */
function toRow(kind: Kind, props: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of Object.keys(ROW_FIELDS[kind])) row[field] = props[field] ?? null;
  return row;
}

/**
 * Reads every row of a snapshot (complete or not: the caller checks the
 * state). A few kinds are read at once: Neo4j serves them in parallel while
 * this process turns records into rows.
 */
export async function readSnapshotRowsFromGraph(
  graph: Graph,
  snapshot: string,
  options: { timeoutMs?: number; onKind?: (kind: string) => void; parallel?: number } = {},
): Promise<SnapshotRows> {
  const tx = { timeoutMs: options.timeoutMs ?? 600_000, metadata: { snapshot } };
  const rows: Record<string, unknown[]> = {};
  const readKind = async (kind: Kind): Promise<void> => {
    options.onKind?.(kind);
    const { query, node } = QUERIES[kind];
    if (node) {
      const found = await graph.readAll<{ p: Record<string, unknown> }>(query, { snapshot }, tx);
      rows[kind] = found.map((r) => toRow(kind, r.p));
      return;
    }
    const found = await graph.readAll<Record<string, unknown>>(query, { snapshot }, tx);
    rows[kind] = found.map((r) => toRow(kind, r));
  };
  // The largest kinds first, so the parallel reads end together.
  const kinds = (Object.keys(ROW_FIELDS) as Kind[]).sort((a, b) => (LARGEST.indexOf(b) + 1 || 0) - (LARGEST.indexOf(a) + 1 || 0));
  const queue = [...kinds];
  await Promise.all(
    Array.from({ length: Math.max(1, options.parallel ?? 3) }, async () => {
      for (let kind = queue.shift(); kind !== undefined; kind = queue.shift()) await readKind(kind);
    }),
  );
  return rows as unknown as SnapshotRows;
}

/** Row kinds that are usually the largest, largest last (see readSnapshotRowsFromGraph). */
const LARGEST: readonly Kind[] = [
  'functions',
  'integrations',
  'apiResources',
  'methods',
  'policyAttachments',
  'policies',
  'statements',
  'canAssume',
];
