import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrationsDir } from '../../src/config/paths';
import { connectGraph, migrate, type Graph } from '../../src/db';
import { silentLogger } from '../../src/logging';
import { startThrowawayNeo4j, type ThrowawayNeo4j } from '../../src/localNeo4j';
import { ingest, startTestServer, type TestServer } from '../integration/support/api';

/**
 * A Neo4j restart while serving, on a Neo4j of this test's own (started here,
 * stopped, started again on the same port with the same password): while it
 * is down, /readyz answers 503 within 2 s without saying anything internal,
 * GraphQL requests fail fast with GRAPH_UNAVAILABLE, and /healthz answers
 * within 1 s; once it is back (migrated and loaded again: the throwaway
 * database starts empty), the same server answers again.
 */

const QUERY = '{ principals(first: 1) { totalCount } }';
/** What /readyz and GRAPH_UNAVAILABLE must never show to a caller: the address, the driver, its errors. */
const INTERNAL = /bolt|neo4j:\/\/|127\.0\.0\.1|localhost|:\d{4,5}\b|ECONNREFUSED|ServiceUnavailable|Neo4jError|Pool status|driver/i;

async function timedFetch(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown, ms: Date.now() - started };
}

describe('a Neo4j restart while serving', () => {
  let neo4j: ThrowawayNeo4j;
  let graph: Graph;
  let server: TestServer;
  let base: string;

  before(async () => {
    neo4j = await startThrowawayNeo4j({ heap: '512m', pageCache: '128m' });
    graph = await connectGraph({
      uri: neo4j.uri,
      user: neo4j.user,
      password: neo4j.password,
      database: 'neo4j',
      transactionTimeoutMs: 30_000,
      connectionTimeoutMs: 2_000,
      logger: silentLogger(),
    });
    await migrate(graph, migrationsDir());
    await ingest(graph);
    server = await startTestServer(graph);
    base = server.url.replace('/graphql', '');
  });
  after(async () => {
    await server?.close();
    await graph?.close();
    await neo4j?.stop();
  });

  const post = (query: string) =>
    timedFetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

  it('serves while Neo4j is up', async () => {
    assert.equal((await timedFetch(`${base}/readyz`)).status, 200);
    const answer = await post(QUERY);
    assert.deepEqual(answer.body, { data: { principals: { totalCount: 19 } } });
  });

  it('while Neo4j is down: /readyz 503 within 2 s saying nothing internal, GRAPH_UNAVAILABLE fast, /healthz within 1 s', async () => {
    const port = Number(new URL(neo4j.uri).port);
    const password = neo4j.password;
    await neo4j.stop();

    for (let round = 0; round < 3; round += 1) {
      const readyz = await timedFetch(`${base}/readyz`);
      assert.equal(readyz.status, 503);
      assert.ok(readyz.ms < 2_000, `/readyz took ${readyz.ms} ms`);
      const body = readyz.body as { status: string; reason: string };
      assert.equal(body.status, 'not ready');
      assert.match(body.reason, /^Neo4j (cannot be reached|did not answer within \d+ ms); the server log has the details$/);
      assert.doesNotMatch(JSON.stringify(body), INTERNAL);

      const answer = await post(QUERY);
      assert.ok(answer.ms < 5_000, `GRAPH_UNAVAILABLE took ${answer.ms} ms`);
      const errors = (answer.body as { errors: { message: string; extensions: { code: string } }[] }).errors;
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.extensions.code, 'GRAPH_UNAVAILABLE');
      assert.doesNotMatch(JSON.stringify(answer.body), INTERNAL);

      const healthz = await timedFetch(`${base}/healthz`);
      assert.equal(healthz.status, 200);
      assert.ok(healthz.ms < 1_000, `/healthz took ${healthz.ms} ms`);
    }

    // Several at once fail fast too (no request queues behind another's retries).
    const started = Date.now();
    const many = await Promise.all(Array.from({ length: 8 }, () => post(QUERY)));
    assert.ok(many.every((r) => JSON.stringify(r.body).includes('GRAPH_UNAVAILABLE')));
    assert.ok(Date.now() - started < 8_000, `8 concurrent requests took ${Date.now() - started} ms`);

    // Back on the same port with the same password: the server's driver reconnects by itself.
    neo4j = await startThrowawayNeo4j({ heap: '512m', pageCache: '128m', boltPort: port, password });
    const healthz = await timedFetch(`${base}/healthz`);
    assert.ok(healthz.ms < 1_000);
  });

  it('once Neo4j is back, the same server answers again (after the empty database is migrated and loaded)', async () => {
    // The throwaway database starts empty: not ready until migrated.
    const pending = await timedFetch(`${base}/readyz`);
    assert.ok(pending.ms < 2_000);
    assert.equal(pending.status, 503);
    await migrate(graph, migrationsDir());
    await ingest(graph);
    const deadline = Date.now() + 30_000;
    let readyz = await timedFetch(`${base}/readyz`);
    while (readyz.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      readyz = await timedFetch(`${base}/readyz`);
    }
    assert.equal(readyz.status, 200);
    const answer = await post(QUERY);
    assert.deepEqual(answer.body, { data: { principals: { totalCount: 19 } } });
  });
});
