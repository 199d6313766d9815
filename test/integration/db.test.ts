import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectGraph, cypher, type Graph } from '../../src/db';
import { GraphUnavailableError, TimeoutError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { resetGraph, testGraph, testNeo4j } from './support/graph';

describe('db: the Cypher choke point against a real Neo4j', () => {
  let graph: Graph;
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
  });

  it('reports the server version and edition', async () => {
    const info = await graph.serverInfo();
    assert.match(info.version, /^5\.26\./);
    assert.equal(info.edition, 'community');
  });

  it('writes in UNWIND batches and reads back, with hostile strings kept as data', async () => {
    const hostile = ["o'brien", 'back`tick', '"}) MATCH (n) DETACH DELETE n //', 'ünïcødé ✓', 'x'.repeat(10_000)];
    const rows = hostile.map((name, i) => ({ id: i, name }));
    const batches: number[] = [];
    await graph.writeBatches(
      cypher('testUpsertThings', 'UNWIND $rows AS row MERGE (t:TestThing {id: row.id}) SET t.name = row.name'),
      rows,
      { batchSize: 2, onBatch: (n) => batches.push(n) },
    );
    assert.deepEqual(batches, [2, 4, 5]);
    const back = await graph.read<{ name: string }>(cypher('testReadThings', 'MATCH (t:TestThing) RETURN t.name AS name ORDER BY t.id'));
    assert.deepEqual(
      back.map((r) => r.name),
      hostile,
    );
    // Idempotent: the same batch again changes nothing.
    await graph.writeBatches(
      cypher('testUpsertThings', 'UNWIND $rows AS row MERGE (t:TestThing {id: row.id}) SET t.name = row.name'),
      rows,
    );
    const count = await graph.read<{ n: number }>(cypher('testCountThings', 'MATCH (t:TestThing) RETURN count(t) AS n'));
    assert.equal(count[0]?.n, hostile.length, 'integers come back as plain numbers');
  });

  it('attaches transaction metadata naming the query', async () => {
    const rows = await graph.read<{ meta: Record<string, string> }>(
      cypher('testShowOwnTransaction', 'SHOW TRANSACTIONS YIELD metaData WHERE metaData.marker = $marker RETURN metaData AS meta'),
      { marker: 'testShowOwnTransaction-marker' },
      { metadata: { requestId: 'req-42', marker: 'testShowOwnTransaction-marker' } },
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.meta['app'], 'whocan');
    assert.equal(rows[0]?.meta['query'], 'testShowOwnTransaction');
    assert.equal(rows[0]?.meta['requestId'], 'req-42');
  });

  it('stops a query at its time limit with a TimeoutError', async () => {
    await assert.rejects(
      graph.read(
        cypher('testSlowQuery', 'UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n'),
        {},
        { timeoutMs: 200 },
      ),
      (error: unknown) => error instanceof TimeoutError && /testSlowQuery took longer than its time limit/.test(error.message),
    );
  });

  it('maps a wrong password to a clear GraphUnavailableError', async () => {
    const { uri, user } = testNeo4j();
    await assert.rejects(
      connectGraph({
        uri,
        user,
        password: 'definitely-wrong',
        database: 'neo4j',
        transactionTimeoutMs: 5_000,
        connectionTimeoutMs: 5_000,
        logger: silentLogger(),
      }),
      (error: unknown) => error instanceof GraphUnavailableError && /refused the credentials.*NEO4J_PASSWORD/s.test(error.message),
    );
  });

  it('maps an unreachable server to a clear GraphUnavailableError', async () => {
    await assert.rejects(
      connectGraph({
        uri: 'bolt://127.0.0.1:1',
        user: 'neo4j',
        password: 'whatever-pass',
        database: 'neo4j',
        transactionTimeoutMs: 5_000,
        connectionTimeoutMs: 3_000,
        logger: silentLogger(),
      }),
      (error: unknown) => error instanceof GraphUnavailableError && /bolt:\/\/127\.0\.0\.1:1 is not reachable/.test(error.message),
    );
  });
});
