/**
 * Child process of `npm run bench`: the floor. Writes N nodes and M
 * relationships to the bench's Neo4j with plain batched `UNWIND … CREATE`,
 * no reading, no validation, no analysis: the least work any ingest of a
 * snapshot of that size must do. Nodes carry a (snapshot, key) pair under a
 * uniqueness constraint (as the model's do, so relationships find their ends
 * through the index) and a payload of the ingest's average stored property
 * bytes; relationships carry the ingest's average relationship property bytes.
 *
 *   node dist/bench/floorWorker.js NODES RELATIONSHIPS NODE_BYTES REL_BYTES BATCH_SIZE [SNAPSHOT]
 */
import { cypher } from '../src/db';
import { gcMeter, log, maxRssMiB, openBenchGraph, reportResult } from './shared';

export interface FloorBenchResult {
  wallMs: number;
  nodeMs: number;
  relationshipMs: number;
  nodes: number;
  relationships: number;
  batchSize: number;
  maxRssMiB: number;
  gcMs: number;
}

const key = (i: number) => `arn:aws:iam::000000000000:floor/node-${i}`;
/** A fixed scatter of relationship ends over the nodes (a multiplicative hash: not sequential, like real links). */
const endOf = (i: number, n: number) => Number((BigInt(i) * 2654435761n + 97n) % BigInt(n));

async function main(): Promise<void> {
  const [nodes, relationships, nodeBytes, relBytes, batch] = process.argv.slice(2, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (![nodes, relationships, nodeBytes, relBytes, batch].every((x) => Number.isFinite(x) && x >= 0))
    throw new Error('usage: floorWorker NODES RELATIONSHIPS NODE_BYTES REL_BYTES BATCH_SIZE');
  const SNAPSHOT = process.argv[7] ?? 'bench-floor';
  const graph = await openBenchGraph();
  await graph.writeTx('bench.floor.constraint', (t) =>
    t.run('CREATE CONSTRAINT bench_floor_key IF NOT EXISTS FOR (n:FloorNode) REQUIRE (n.snapshot, n.key) IS UNIQUE'),
  );
  await graph.writeTx('bench.floor.awaitIndexes', (t) => t.run('CALL db.awaitIndexes(300)'));
  const nodePayload = 'x'.repeat(Math.max(0, nodeBytes - 70)); // the key and snapshot are ~70 bytes of JSON
  const relPayload = relBytes > 12 ? 'y'.repeat(relBytes - 12) : undefined;
  const createNodes = cypher(
    'bench.floor.nodes',
    'UNWIND $rows AS row CREATE (n:FloorNode {snapshot: $snapshot, key: row.key, payload: row.payload})',
  );
  const createRels = cypher(
    'bench.floor.relationships',
    `UNWIND $rows AS row
     MATCH (a:FloorNode {snapshot: $snapshot, key: row.from})
     MATCH (b:FloorNode {snapshot: $snapshot, key: row.to})
     CREATE (a)-[r:FLOOR]->(b) ${relPayload ? 'SET r.payload = row.payload' : ''}`,
  );
  const gc = gcMeter();
  const started = performance.now();
  // Rows are made batch by batch (the ingest has all its rows in memory; the floor needs none of that).
  for (let start = 0; start < nodes; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(nodes, start + batch); i++) rows.push({ key: key(i), payload: nodePayload });
    await graph.writeBatches(createNodes, rows, { batchSize: batch, params: { snapshot: SNAPSHOT }, tx: { timeoutMs: 300_000 } });
  }
  const nodesDone = performance.now();
  log(`floor: ${nodes} nodes in ${Math.round(nodesDone - started)} ms`);
  for (let start = 0; start < relationships; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(relationships, start + batch); i++) {
      const from = i % nodes;
      let to = endOf(i, nodes);
      if (to === from) to = (to + 1) % nodes;
      rows.push({ from: key(from), to: key(to), ...(relPayload ? { payload: relPayload } : {}) });
    }
    await graph.writeBatches(createRels, rows, { batchSize: batch, params: { snapshot: SNAPSHOT }, tx: { timeoutMs: 300_000 } });
  }
  const done = performance.now();
  log(`floor: ${relationships} relationships in ${Math.round(done - nodesDone)} ms`);
  const out: FloorBenchResult = {
    wallMs: Math.round(done - started),
    nodeMs: Math.round(nodesDone - started),
    relationshipMs: Math.round(done - nodesDone),
    nodes,
    relationships,
    batchSize: batch,
    maxRssMiB: maxRssMiB(),
    gcMs: gc.stop().gcMs,
  };
  await graph.close();
  reportResult(out);
}

main().catch((error: unknown) => {
  process.stderr.write(`floorWorker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
