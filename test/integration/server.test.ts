import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWhocanSchema } from '../../src/api/schema';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { migrationsDir } from '../../src/config/paths';
import { migrate, type Graph } from '../../src/db';
import { silentLogger } from '../../src/logging';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { createServices } from '../../src/services';
import { dataOf, firstError, type GraphQLBody } from './support/api';
import { resetGraph, testGraph } from './support/graph';

interface HealthData {
  health: { ok: boolean; neo4jVersion: string; neo4jEdition: string; migrationsPending: number };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: GraphQLBody<HealthData>; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as GraphQLBody<HealthData>, headers: response.headers };
}

describe('GraphQL server skeleton over HTTP', () => {
  let graph: Graph;
  let server: RunningApiServer;
  let base: string;
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    const services = createServices(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
    server = await startApiServer({
      schema: await buildWhocanSchema(services),
      services,
      logger: silentLogger(),
      host: '127.0.0.1',
      port: 0,
      introspection: false,
      maxBodyBytes: 4_096,
      apiTokens: [],
    });
    base = server.url.replace(/\/graphql$/, '');
  });
  after(async () => {
    await server.close();
    await resetGraph(graph);
    await graph.close();
  });

  it('/healthz answers while the process is alive', async () => {
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('/readyz is 503 while migrations are pending and 200 once they are applied', async () => {
    const before = await fetch(`${base}/readyz`);
    assert.equal(before.status, 503);
    assert.match(((await before.json()) as { reason: string }).reason, /migration\(s\) pending/);
    await migrate(graph, migrationsDir());
    const afterMigrate = await fetch(`${base}/readyz`);
    assert.equal(afterMigrate.status, 200);
    assert.equal(((await afterMigrate.json()) as { status: string }).status, 'ready');
  });

  it('answers { health { ok neo4jVersion } } from the real Neo4j', async () => {
    await migrate(graph, migrationsDir());
    const { status, json } = await post(server.url, { query: '{ health { ok neo4jVersion neo4jEdition migrationsPending } }' });
    assert.equal(status, 200);
    assert.equal(dataOf(json).health.ok, true);
    assert.match(dataOf(json).health.neo4jVersion, /^5\.26\./);
    assert.equal(dataOf(json).health.neo4jEdition, 'community');
    assert.equal(dataOf(json).health.migrationsPending, 0);
  });

  it('echoes a safe x-request-id and makes one up otherwise', async () => {
    const given = await post(server.url, { query: '{ health { ok } }' }, { 'x-request-id': 'abc-123' });
    assert.equal(given.headers.get('x-request-id'), 'abc-123');
    const hostile = await post(server.url, { query: '{ health { ok } }' }, { 'x-request-id': 'bad id; DROP <script>' });
    assert.match(hostile.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('refuses a body over the size limit with 413 before any work', async () => {
    const { status, json } = await post(server.url, { query: `{ health { ok } } # ${'x'.repeat(5_000)}` });
    assert.equal(status, 413);
    assert.equal(firstError(json).extensions.code, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a body that is not JSON with 400', async () => {
    const { status, json } = await post(server.url, '{not json');
    assert.equal(status, 400);
    assert.match(firstError(json).message, /not valid JSON/);
  });

  it('turns GraphQL mistakes into coded errors without stack traces', async () => {
    const { status, json } = await post(server.url, { query: '{ health { nope } }' });
    assert.equal(status, 400);
    assert.equal(firstError(json).extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(firstError(json).extensions.stacktrace, undefined);
  });

  it('refuses introspection when it is turned off', async () => {
    const { json } = await post(server.url, { query: '{ __schema { types { name } } }' });
    assert.ok((json.errors?.length ?? 0) > 0);
  });

  it('answers 404 for unknown routes', async () => {
    const response = await fetch(`${base}/nope`);
    assert.equal(response.status, 404);
  });
});

describe('GraphQL server with API tokens', () => {
  let graph: Graph;
  let server: RunningApiServer;
  const reader = createApiToken('reader');
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    await migrate(graph, migrationsDir());
    const services = createServices(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
    server = await startApiServer({
      schema: await buildWhocanSchema(services),
      services,
      logger: silentLogger(),
      host: '127.0.0.1',
      port: 0,
      introspection: false,
      maxBodyBytes: 4_096,
      apiTokens: parseApiTokenEntries(reader.entry).entries,
    });
  });
  after(async () => {
    await server.close();
    await resetGraph(graph);
    await graph.close();
  });

  it('refuses a request without a token: 401 UNAUTHENTICATED', async () => {
    const { status, json, headers } = await post(server.url, { query: '{ health { ok } }' });
    assert.equal(status, 401);
    assert.equal(firstError(json).extensions.code, 'UNAUTHENTICATED');
    assert.match(headers.get('www-authenticate') ?? '', /Bearer/);
  });

  it('refuses a wrong token: 401 UNAUTHENTICATED', async () => {
    const { status } = await post(
      server.url,
      { query: '{ health { ok } }' },
      { authorization: `Bearer ${createApiToken('reader').token}` },
    );
    assert.equal(status, 401);
  });

  it('answers with a valid token', async () => {
    const { status, json } = await post(server.url, { query: '{ health { ok } }' }, { authorization: `Bearer ${reader.token}` });
    assert.equal(status, 200);
    assert.equal(dataOf(json).health.ok, true);
  });

  it('keeps /healthz and /readyz open', async () => {
    assert.equal((await fetch(server.url.replace('/graphql', '/healthz'))).status, 200);
    assert.equal((await fetch(server.url.replace('/graphql', '/readyz'))).status, 200);
  });
});
