/**
 * Over HTTP: the real server (`node dist/src/main.js`, as `npm start` runs
 * it, production mode, with an API token) on the bench's Neo4j, and
 * autocannon sending the who-can-invoke questions of the sample as GraphQL
 * requests, at several concurrency levels, the whole sample at each level. Everything
 * runs on this machine: the load generator shares the two cores with the
 * server and Neo4j, which the report says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { schemaFile } from '../src/config/paths';
import { freePort } from '../src/localNeo4j/proc';
import { createApiToken } from '../src/security/apiTokens';
import { summariseProfileFile, type ProfileSummary } from './profile';
import { log } from './shared';

export interface HttpLevel {
  connections: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  /** Requests per second, averaged over the run. */
  throughput: number;
  /** autocannon's percentiles (it has no p95: p90 and p97.5 bracket it). */
  latencyMs: { median: number; p90: number; p97_5: number; p99: number; max: number; mean: number };
  /** Mean response size (bytes). */
  bytesPerResponse: number;
}

export interface HttpBenchResult {
  available: boolean;
  reason?: string;
  query?: string;
  serverLoadMs?: number;
  /** Each question of the sample this many times per level. */
  rounds?: number;
  levels?: HttpLevel[];
  /** The sustained load: the sample's questions in turn for `seconds` at `connections` (the hostile-input issue's load test). */
  load?: HttpLevel & { seconds: number };
  serverMaxRssMiB?: number;
  profile?: ProfileSummary;
}

/** The GraphQL who-can-invoke query of schema/schema.graphql, when the schema has one. */
export function invokeQuery(): string | undefined {
  const sdl = readFileSync(schemaFile(), 'utf8');
  if (!/\bwhoCanInvoke\s*\(/.test(sdl)) return undefined;
  // The first page of principals (the server's largest page, WHOCAN_MAX_PAGE_SIZE 100) with their paths, as a client reads it.
  return `query Bench($arn: String!) {
  whoCanInvoke(requestArn: $arn) {
    public
    stats { candidates decisions }
    principals(first: 100) {
      totalCount
      nodes { arn kind decision hops morePaths paths { kind from to policy statement } }
    }
  }
}`;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error: unknown, result) =>
      error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolve(result),
    );
  });
}

/** VmHWM (peak RSS) of a live process, in MiB. */
function peakRss(pid: number | undefined): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export async function benchHttp(options: {
  neo4jUri: string;
  neo4jPassword: string;
  arns: string[];
  connections: number[];
  /** Each question this many times per concurrency level. */
  rounds: number;
  /** Write a CPU profile of the server here (--cpu-prof), summarised in the result. */
  profileFile?: string;
  /** After the levels, a sustained load: this many seconds at this many connections (0 seconds: none). */
  load?: { seconds: number; connections: number };
}): Promise<HttpBenchResult> {
  const query = invokeQuery();
  if (!query)
    return { available: false, reason: 'schema/schema.graphql has no whoCanInvoke query yet (branch graphql-analysis not merged)' };
  const port = await freePort();
  const { token, entry } = createApiToken('reader');
  const main = path.resolve(__dirname, '..', 'src', 'main.js');
  const profileArgs = options.profileFile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${path.dirname(options.profileFile)}`,
        `--cpu-prof-name=${path.basename(options.profileFile)}`,
        '--cpu-prof-interval=1000',
      ]
    : [];
  const server = spawn(process.execPath, [...profileArgs, main], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEO4J_URI: options.neo4jUri,
      NEO4J_PASSWORD: options.neo4jPassword,
      HOST: '127.0.0.1',
      PORT: String(port),
      WHOCAN_API_TOKENS: entry,
      WHOCAN_LOAD_DEMO: 'false',
      WHOCAN_REQUEST_TIMEOUT_MS: '600000',
      WHOCAN_TX_TIMEOUT_MS: '600000',
      WHOCAN_MAX_QUERY_COST: '10000000',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
  });
  let stderr = '';
  server.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-8000);
  });
  let stopped: Promise<unknown> | undefined;
  const stop = () =>
    (stopped ??= new Promise((r) => {
      if (server.exitCode !== null || server.signalCode !== null) return r(undefined);
      server.once('exit', r);
      server.kill('SIGTERM');
    }));
  const url = `http://127.0.0.1:${port}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const body = (arn: string) => JSON.stringify({ query, variables: { arn } });
  try {
    await waitReady(url, server, 120_000);
    // The first question loads the snapshot's analysis from the graph (read + build), unless the access index answers it.
    const t = performance.now();
    const first = await fetch(`${url}/graphql`, { method: 'POST', headers, body: body(options.arns[0] as string) });
    const firstJson = (await first.json()) as { errors?: { message: string }[] };
    if (!first.ok || firstJson.errors)
      throw new Error(`the first request failed: HTTP ${first.status} ${JSON.stringify(firstJson.errors ?? firstJson).slice(0, 500)}`);
    const serverLoadMs = Math.round(performance.now() - t);
    log(`http: server ready, first request answered in ${serverLoadMs} ms`);
    // Warm-up: a few questions once.
    for (const arn of options.arns.slice(0, 10))
      await fetch(`${url}/graphql`, { method: 'POST', headers, body: body(arn) }).then((r) => r.arrayBuffer());
    // Every level asks the same questions: the sample, each once per round, handed out in turn to whichever
    // connection is free (a counter shared by the connections), so that every level has the same mix.
    const bodies = options.arns.map(body);
    const level = async (connections: number, limit: { amount: number } | { duration: number }): Promise<HttpLevel> => {
      let next = 0;
      const started = performance.now();
      const r = await run({
        url,
        connections,
        ...limit,
        timeout: 600,
        requests: [
          { method: 'POST', path: '/graphql', headers, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) },
        ],
      });
      const seconds = (performance.now() - started) / 1000;
      return {
        connections,
        requests: r.requests.total,
        errors: r.errors,
        non2xx: r.non2xx,
        timeouts: r.timeouts,
        throughput: Math.round((r.requests.total / seconds) * 10) / 10,
        latencyMs: {
          median: r.latency.p50,
          p90: r.latency.p90,
          p97_5: r.latency.p97_5,
          p99: r.latency.p99,
          max: r.latency.max,
          mean: Math.round(r.latency.average * 10) / 10,
        },
        bytesPerResponse: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
      };
    };
    const levels: HttpLevel[] = [];
    for (const connections of options.connections) {
      // At least one request per connection (autocannon refuses fewer), in whole rounds so the mix stays the same.
      const amount = bodies.length * Math.max(options.rounds, Math.ceil(connections / Math.max(bodies.length, 1)));
      log(`http: ${connections} connection(s), ${amount} requests`);
      levels.push(await level(connections, { amount }));
    }
    let load: (HttpLevel & { seconds: number }) | undefined;
    if (options.load && options.load.seconds > 0) {
      log(`http: sustained load, ${options.load.seconds} s at ${options.load.connections} connections`);
      load = { ...(await level(options.load.connections, { duration: options.load.seconds })), seconds: options.load.seconds };
      log(
        `http: sustained load: ${load.requests} requests, ${load.throughput} req/s, p99 ${load.latencyMs.p99} ms, errors/non-2xx/timeouts ${load.errors}/${load.non2xx}/${load.timeouts}`,
      );
    }
    const rss = peakRss(server.pid);
    await stop();
    const profile = options.profileFile && existsSync(options.profileFile) ? summariseProfileFile(options.profileFile) : undefined;
    return {
      available: true,
      query,
      serverLoadMs,
      rounds: options.rounds,
      levels,
      ...(load ? { load } : {}),
      ...(rss ? { serverMaxRssMiB: rss } : {}),
      ...(profile ? { profile } : {}),
    };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nserver stderr: ${stderr.slice(-2000)}`, { cause: error });
  } finally {
    await stop();
  }
}
