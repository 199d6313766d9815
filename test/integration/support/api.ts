import 'reflect-metadata';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { buildWhocanSchema } from '../../../src/api/schema';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../../../src/api/server';
import { migrationsDir, seedDir } from '../../../src/config/paths';
import { cypher, type Graph, type GraphEvent } from '../../../src/db';
import { createLogger, silentLogger, type Logger } from '../../../src/logging';
import { createServices, type Services } from '../../../src/services';

/**
 * What the API tests share: the seed/ snapshot loaded with the real ingest
 * service, a server on a free loopback port, a GraphQL client over HTTP, and
 * a counter of the Cypher statements the server runs.
 */

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions: { code: string; stacktrace?: unknown; [key: string]: unknown };
}

/** A GraphQL response body; `T` is the shape of the `data` the test asked for. */
export interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

export interface GraphQLResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: GraphQLBody<T>;
}

/** The `data` of a response that has some (the test fails here otherwise). */
export function dataOf<T>(body: GraphQLBody<T>): T {
  assert.ok(body.data, `expected data, got ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

/** The first error of a response that has one (the test fails here otherwise). */
export function firstError(body: GraphQLBody<unknown>): GraphQLError {
  const error = body.errors?.[0];
  assert.ok(error, `expected an error, got ${JSON.stringify(body).slice(0, 500)}`);
  return error;
}

/**
 * POSTs a GraphQL request; `T` is the shape of the `data` the test reads. A
 * body that is not JSON is kept as its text (so a test's assertions on its
 * fields fail, and its message shows the text).
 */
export async function postGraphQL<T = unknown>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body: body as GraphQLBody<T> };
}

export function servicesFor(graph: Graph): Services {
  return createServices(graph, { migrationsDir: migrationsDir(), keepSnapshots: 5 });
}

/** Loads a snapshot directory (seed/ by default) with the real ingest service; returns its id. */
export async function ingest(graph: Graph, dir: string = seedDir()): Promise<string> {
  return (await servicesFor(graph).snapshots.ingest(dir)).snapshotId;
}

export interface TestServer extends RunningApiServer {
  /** POSTs a GraphQL request to /graphql. */
  gql<T = unknown>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

export async function startTestServer(graph: Graph, options: Partial<ApiServerOptions> = {}): Promise<TestServer> {
  const services = options.services ?? servicesFor(graph);
  const server = await startApiServer({
    schema: options.schema ?? (await buildWhocanSchema(services)),
    services,
    logger: options.logger ?? silentLogger(),
    host: '127.0.0.1',
    port: 0,
    introspection: options.introspection ?? false,
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    apiTokens: options.apiTokens ?? [],
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return {
    ...server,
    gql: <T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
      postGraphQL<T>(server.url, query, variables, headers),
  };
}

/** Counts the Cypher statements the graph runs while `work` runs. */
export async function countStatements<T>(
  graph: Graph,
  work: () => Promise<T>,
): Promise<{ result: T; statements: string[]; transactions: GraphEvent[] }> {
  const statements: string[] = [];
  const transactions: GraphEvent[] = [];
  const stop = graph.observe((event) => {
    if (event.kind === 'statement') statements.push(event.name);
    else if (event.kind === 'transaction') transactions.push(event);
  });
  try {
    return { result: await work(), statements, transactions };
  } finally {
    stop();
  }
}

/** How many nodes and relationships the whole graph has (to show that hostile input changed nothing). */
export async function graphSize(graph: Graph): Promise<{ nodes: number; relationships: number }> {
  const nodes = (await graph.read<{ n: number }>(cypher('testCountNodes', 'MATCH (n) RETURN count(n) AS n')))[0]?.n ?? -1;
  const relationships =
    (await graph.read<{ n: number }>(cypher('testCountRelationships', 'MATCH ()-[r]->() RETURN count(r) AS n')))[0]?.n ?? -1;
  return { nodes, relationships };
}

/** A pino logger that keeps every line it writes, parsed, for assertions on logs. */
export function capturingLogger(level = 'info'): { logger: Logger; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
      callback();
    },
  });
  const logger = createLogger({ level, format: 'json', stream });
  return {
    logger,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join('\n'),
  };
}
