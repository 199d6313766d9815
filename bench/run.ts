/**
 * `npm run bench`: whocan against the floor and against brute force, on a
 * generated snapshot, in one run; prints a table, and JSON with `--json FILE`.
 * Benchmarks measure, tests assert: nothing here fails a build, and `npm test`
 * never runs it. See docs/performance.md.
 *
 *   npm run bench                                   # small preset (a few minutes)
 *   npm run bench -- --preset medium|large          # medium: about an hour with the access index (--no-index: minutes)
 *   npm run bench -- --preset large --json out.json --profile prof/
 *
 * Options: --seed N (1), --methods N / --other N (questions sampled),
 * --brute-budget SECONDS, --http-rounds N, --connections 1,4,16,
 * --load-seconds S (60; 0: none) --load-connections N (16): the sustained load,
 * --duration MS (policy engine, per workload), --data DIR (where generated
 * snapshots are kept; default $TMPDIR/whocan-bench), --heap 4g --pagecache 6g
 * (the bench's Neo4j), --batch-size N (ingest and floor), --skip-http,
 * --profile DIR (CPU profiles of the ingest and of the measured questions),
 * --no-index (skip the access index part), --invocable N / --invocable-random N
 * (principals asked `invocable` from the index: those with the most
 * CAN_ASSUME relationships, and at random), --cli N (one-shot CLI questions),
 * --variant-share F (share of policies changed in the diff's second snapshot).
 *
 * Steps: generate (or reuse) the snapshot; start a throwaway Neo4j (own
 * temporary directory and port, never the local database on 7687); ingest in
 * a child process (peak RSS of its own); the floor in another child; the
 * questions through the service layer and brute force in a third; the real
 * GraphQL server under autocannon; the policy engine; Neo4j's store size and
 * page cache. Then the access index (unless --no-index): built for the
 * snapshot as `whocan index` builds it (the store measured again); the index
 * questions through the service layer (whoCanInvoke first page, invocable, a
 * whole-organization review) in a fourth child; one-shot CLI questions; the
 * GraphQL server again, now answering from the index (its peak RSS); a
 * variant snapshot (1 % of the policies changed) ingested with the index, as
 * `whocan ingest --index` runs (the whole ingest's time); the snapshot made
 * current again, and accessDiff between the two. Stop Neo4j.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDir } from '../src/config/paths';
import { cypher, type Graph } from '../src/db';
import { PRESET_NAMES, isPresetName, type PresetName } from '../src/generate';
import { startThrowawayNeo4j, type ThrowawayNeo4j } from '../src/localNeo4j';
import { benchHttp, type HttpBenchResult } from './http';
import type { FloorBenchResult } from './floorWorker';
import type { IngestBenchResult } from './ingestWorker';
import { benchPolicyEngine, type PolicyEngineBenchResult } from './policyEngine';
import type { QueryBenchResult } from './queryWorker';
import { summariseProfileFile, type ProfileSummary } from './profile';
import { log, openBenchGraph, runWorker } from './shared';
import { renderReport, targetsOf } from './report';
import { benchCli, type CliBenchResult } from './cliOneShot';
import type { IndexBuildBenchResult } from './indexWorker';
import type { IndexDiffBenchResult, IndexQueryBenchResult, IndexQuestionsInput } from './indexQueryWorker';
import { ensureVariant, type VariantInfo } from './variant';
import { makeSnapshotCurrent } from '../src/services/snapshotCatalog';

const DEFAULTS: Record<
  PresetName,
  { methods: number; other: number; bruteSeconds: number; httpRounds: number; invocable: number; invocableRandom: number }
> = {
  small: { methods: 60, other: 20, bruteSeconds: 120, httpRounds: 2, invocable: 10, invocableRandom: 30 },
  medium: { methods: 100, other: 25, bruteSeconds: 420, httpRounds: 1, invocable: 10, invocableRandom: 40 },
  large: { methods: 60, other: 15, bruteSeconds: 450, httpRounds: 1, invocable: 10, invocableRandom: 40 },
};

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export interface StoreInfo {
  /** Bytes on disk of the database directory and of its transaction logs. */
  storeBytes?: number;
  transactionLogBytes?: number;
  /** From dbms.queryJmx where Neo4j exposes it. */
  pageCache?: { hits: number; faults: number; hitRatio: number; usageRatio?: number } | { unavailable: string };
  nodes?: number;
  relationships?: number;
}

/** The access index part of a run (null with --no-index). */
export interface IndexBench {
  /** Built for the measured snapshot as `whocan index` builds it (its analysis read from the graph first). */
  build: IndexBuildBenchResult & { processWallMs: number };
  /** The store just before the build and just after it; the index's share is the difference. */
  storeBefore: StoreInfo;
  storeAfter: StoreInfo;
  /** The snapshot alone (the store after its plain ingest less the store after the warm-up), and its index (after less before the build). */
  size: {
    snapshot: { nodes: number; relationships: number; bytes: number };
    index: { nodes: number; relationships: number; bytes: number };
    /** (snapshot + index) / snapshot. */
    ratio: { nodes: number; relationships: number; bytes: number };
  };
  /** The diff's second snapshot, ingested with the index as `whocan ingest --index` runs: the whole ingest's time. */
  variant: VariantInfo & { ingest: IngestBenchResult & { processWallMs: number } };
  questions: IndexQueryBenchResult;
  cli: CliBenchResult;
  http: HttpBenchResult;
}

export interface BenchResult {
  machine: Record<string, unknown>;
  preset: PresetName;
  seed: string;
  settings: Record<string, unknown>;
  measuredAt: string;
  wallMs: number;
  load: { atStart: number[]; beforeIngest: number[]; beforeQueries: number[]; atEnd: number[] };
  generated: { dir: string; reused: boolean; counts?: Record<string, number> };
  ingest: IngestBenchResult & { processWallMs: number; profile?: ProfileSummary };
  floor: FloorBenchResult & { processWallMs: number };
  /** After the warm-up (seed/ and a small floor), before the measured ingest. */
  storeAfterWarmUp: StoreInfo;
  storeAfterIngest: StoreInfo;
  storeAtEnd: StoreInfo;
  queries: QueryBenchResult;
  http: HttpBenchResult;
  policyEngine: PolicyEngineBenchResult;
  index: IndexBench | null;
  targets: ReturnType<typeof targetsOf>;
}

const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

function du(dir: string): number | undefined {
  try {
    return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
  } catch {
    return undefined;
  }
}

async function storeInfo(neo4j: ThrowawayNeo4j): Promise<StoreInfo> {
  const data = path.join(neo4j.home, 'data');
  const info: StoreInfo = {};
  // Written pages reach the store files at a checkpoint (Neo4j Community has no procedure for it: the launcher does it).
  await neo4j.checkpoint();
  const store = du(path.join(data, 'databases', 'neo4j'));
  const tx = du(path.join(data, 'transactions', 'neo4j'));
  if (store !== undefined) info.storeBytes = store;
  if (tx !== undefined) info.transactionLogBytes = tx;
  const graph = await openBenchGraph({ uri: neo4j.uri, password: neo4j.password });
  try {
    const [counts] = await graph.read<{ nodes: number; relationships: number }>(
      cypher(
        'bench.counts',
        'CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
      ),
    );
    if (counts) Object.assign(info, counts);
    info.pageCache = await pageCache(graph);
  } finally {
    await graph.close();
  }
  return info;
}

/** Page-cache hits and faults from JMX, if this Neo4j edition registers the bean. */
async function pageCache(graph: Graph): Promise<StoreInfo['pageCache']> {
  try {
    const beans = await graph.read<{ name: string; attributes: Record<string, { value: unknown }> }>(
      cypher('bench.jmx', "CALL dbms.queryJmx('*:*') YIELD name, attributes RETURN name, attributes"),
    );
    const bean = beans.find((b) => /page ?cache/i.test(b.name));
    if (!bean)
      return {
        unavailable: `no page-cache bean among the ${beans.length} JMX beans Neo4j Community exposes (page-cache metrics are an Enterprise feature)`,
      };
    const value = (k: string) =>
      Number(Object.entries(bean.attributes).find(([name]) => name.toLowerCase() === k.toLowerCase())?.[1]?.value ?? NaN);
    const hits = value('Hits');
    const faults = value('Faults');
    const hitRatio = value('HitRatio');
    const usageRatio = value('UsageRatio');
    return {
      hits,
      faults,
      hitRatio: Number.isFinite(hitRatio) ? hitRatio : hits / (hits + faults),
      ...(Number.isFinite(usageRatio) ? { usageRatio } : {}),
    };
  } catch (error) {
    return { unavailable: `dbms.queryJmx failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}` };
  }
}

function ensureSnapshot(
  dataDir: string,
  preset: PresetName,
  seed: string,
): { dir: string; reused: boolean; counts?: Record<string, number> } {
  const dir = path.join(dataDir, `${preset}-${seed}`);
  const manifest = path.join(dir, 'generated.json');
  let reused = true;
  if (!existsSync(manifest)) {
    reused = false;
    mkdirSync(dataDir, { recursive: true });
    log(`generating the ${preset} preset (seed ${seed}) into ${dir}`);
    execFileSync(
      process.execPath,
      [path.resolve(__dirname, '..', '..', 'bin', 'whocan.js'), 'generate', '--preset', preset, '--seed', seed, '--out', dir, '--force'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const m = JSON.parse(readFileSync(manifest, 'utf8')) as { preset?: string; seed?: unknown; counts?: Record<string, number> };
  if (m.preset !== preset || String(m.seed) !== seed)
    throw new Error(`${dir} holds preset ${m.preset} seed ${JSON.stringify(m.seed)}, not ${preset} ${seed}: remove it`);
  return { dir, reused, ...(m.counts ? { counts: m.counts } : {}) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const preset = argValue(args, '--preset') ?? 'small';
  if (!isPresetName(preset)) throw new Error(`--preset expects one of ${PRESET_NAMES.join(', ')}`);
  const d = DEFAULTS[preset];
  const seed = argValue(args, '--seed') ?? '1';
  const jsonFile = argValue(args, '--json');
  const profileDir = argValue(args, '--profile');
  const durationMs = Number(argValue(args, '--duration') ?? '3000');
  const methods = Number(argValue(args, '--methods') ?? d.methods);
  const other = Number(argValue(args, '--other') ?? d.other);
  const bruteSeconds = Number(argValue(args, '--brute-budget') ?? d.bruteSeconds);
  const httpRounds = Number(argValue(args, '--http-rounds') ?? d.httpRounds);
  const connections = (argValue(args, '--connections') ?? '1,4,16').split(',').map(Number);
  const batchSize = Number(argValue(args, '--batch-size') ?? '5000');
  const heap = argValue(args, '--heap') ?? '4g';
  const pageCacheSize = argValue(args, '--pagecache') ?? '6g';
  const dataDir = argValue(args, '--data') ?? path.join(os.tmpdir(), 'whocan-bench');
  const skipHttp = args.includes('--skip-http');
  const loadSeconds = Number(argValue(args, '--load-seconds') ?? '60');
  const loadConnections = Number(argValue(args, '--load-connections') ?? '16');
  const withIndex = !args.includes('--no-index');
  const invocableTop = Number(argValue(args, '--invocable') ?? d.invocable);
  const invocableRandom = Number(argValue(args, '--invocable-random') ?? d.invocableRandom);
  const cliQuestions = Number(argValue(args, '--cli') ?? '5');
  const variantShare = Number(argValue(args, '--variant-share') ?? '0.01');
  for (const [name, v] of Object.entries({
    durationMs,
    methods,
    other,
    bruteSeconds,
    httpRounds,
    batchSize,
    loadSeconds,
    loadConnections,
    invocableTop,
    invocableRandom,
    cliQuestions,
    variantShare,
  })) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`bad --${name}`);
  }
  if (variantShare <= 0 || variantShare > 0.5)
    throw new Error('--variant-share expects a share of the policies between 0 and 0.5 (0.01: 1 %)');
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const started = performance.now();
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
  const load = { atStart: loadavg(), beforeIngest: [] as number[], beforeQueries: [] as number[], atEnd: [] as number[] };
  log(
    `machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${load.atStart.join(' ')}`,
  );

  const generated = ensureSnapshot(dataDir, preset, seed);
  log(`neo4j: starting a throwaway Neo4j (heap ${heap}, page cache ${pageCacheSize})`);
  const neo4j = await startThrowawayNeo4j({ heap, pageCache: pageCacheSize, onProgress: (m) => log(`neo4j: ${m}`) });
  const stopOnSignal = () => void neo4j.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const env = { ...process.env, BENCH_NEO4J_URI: neo4j.uri, BENCH_NEO4J_PASSWORD: neo4j.password, BENCH_BATCH_SIZE: String(batchSize) };
    const worker = (name: string) => path.join(__dirname, `${name}.js`);

    // Warm-up: a fresh JVM plans and compiles every statement once; a Neo4j in service has done that long ago.
    // The demo snapshot (seed/) through the same ingest, and a tiny floor, before anything is measured.
    log(`warm-up: ingest of seed/${withIndex ? ' with the access index' : ''} and a small floor (not measured)`);
    const warmIngest = await runWorker<IngestBenchResult>(worker('ingestWorker'), [seedDir()], {
      env: withIndex ? { ...env, BENCH_INDEX: 'true' } : env,
    });
    const warmFloor = await runWorker<FloorBenchResult>(
      worker('floorWorker'),
      ['2000', '4000', '400', '100', String(batchSize), 'bench-floor-warmup'],
      { env },
    );
    log(`warm-up: ingest ${warmIngest.result.wallMs} ms, floor ${warmFloor.result.wallMs} ms`);
    const storeAfterWarmUp = await storeInfo(neo4j);

    load.beforeIngest = loadavg();
    log(`ingest: ${generated.dir}`);
    const ingestProfile = profileDir ? path.join(profileDir, `ingest-${preset}.cpuprofile`) : undefined;
    const ingestRun = await runWorker<IngestBenchResult>(worker('ingestWorker'), [generated.dir], {
      env,
      ...(ingestProfile
        ? {
            nodeArgs: [
              '--cpu-prof',
              `--cpu-prof-dir=${path.dirname(ingestProfile)}`,
              `--cpu-prof-name=${path.basename(ingestProfile)}`,
              '--cpu-prof-interval=1000',
            ],
          }
        : {}),
    });
    const ingest = { ...ingestRun.result, processWallMs: ingestRun.wallMs };
    if (ingestProfile && existsSync(ingestProfile)) Object.assign(ingest, { profile: summariseProfileFile(ingestProfile) });
    log(
      `ingest: ${ingest.wallMs} ms (read ${ingest.readMs}, derive ${ingest.deriveMs}, write ${ingest.writeMs}), ${ingest.nodes} nodes, ${ingest.relationships} relationships, peak RSS ${ingest.maxRssMiB} MiB`,
    );
    const storeAfterIngest = await storeInfo(neo4j);

    log(
      `floor: ${ingest.nodes} nodes (${ingest.nodePropertyBytes} B), ${ingest.relationships} relationships (${ingest.relationshipPropertyBytes} B)`,
    );
    const floorRun = await runWorker<FloorBenchResult>(
      worker('floorWorker'),
      [ingest.nodes, ingest.relationships, ingest.nodePropertyBytes, ingest.relationshipPropertyBytes, batchSize].map(String),
      { env },
    );
    const floor = { ...floorRun.result, processWallMs: floorRun.wallMs };
    log(`floor: ${floor.wallMs} ms, peak RSS ${floor.maxRssMiB} MiB`);

    load.beforeQueries = loadavg();
    const queryRun = await runWorker<QueryBenchResult>(worker('queryWorker'), [], {
      env: {
        ...env,
        BENCH_SEED: seed,
        BENCH_METHODS: String(methods),
        BENCH_OTHER: String(other),
        BENCH_BRUTE_BUDGET_MS: String(bruteSeconds * 1000),
        ...(profileDir ? { BENCH_PROFILE_QUERIES: path.join(profileDir, `queries-${preset}.cpuprofile`) } : {}),
      },
    });
    const queries = queryRun.result;
    log(
      `queries: whoCanInvoke median ${queries.invoke.overall.median} ms, p99 ${queries.invoke.overall.p99} ms; brute force ${queries.bruteForce.identical}/${queries.bruteForce.verified} identical`,
    );

    let http: HttpBenchResult;
    if (skipHttp) http = { available: false, reason: '--skip-http' };
    else {
      const arns = queries.invoke.questions.map((q) => q.resource);
      http = await benchHttp({
        neo4jUri: neo4j.uri,
        neo4jPassword: neo4j.password,
        arns,
        connections,
        rounds: httpRounds,
        load: { seconds: loadSeconds, connections: loadConnections },
        ...(profileDir ? { profileFile: path.resolve(profileDir, `server-${preset}.cpuprofile`) } : {}),
      });
      if (!http.available) log(`http: skipped: ${http.reason}`);
    }

    log(`policy engine: ${durationMs} ms per workload`);
    const policyEngine = await benchPolicyEngine({ durationMs });
    const storeAtEnd = await storeInfo(neo4j);

    let index: IndexBench | null = null;
    if (withIndex) {
      index = await benchIndex({
        neo4j,
        env,
        worker,
        generatedDir: generated.dir,
        seed,
        variantShare,
        storeBefore: storeAtEnd,
        snapshotSize: delta(storeAfterIngest, storeAfterWarmUp),
        arns: queries.invoke.questions.map((q) => q.resource),
        invocableTop,
        invocableRandom,
        cliQuestions,
        http: skipHttp ? undefined : { connections, rounds: httpRounds, load: { seconds: loadSeconds, connections: loadConnections } },
      });
    }
    load.atEnd = loadavg();

    const result: BenchResult = {
      machine,
      preset,
      seed,
      settings: {
        methods,
        other,
        bruteSeconds,
        httpRounds,
        connections,
        loadSeconds,
        loadConnections,
        batchSize,
        neo4jHeap: heap,
        neo4jPageCache: pageCacheSize,
        policyEngineDurationMs: durationMs,
        index: withIndex,
        ...(withIndex ? { invocableTop, invocableRandom, cliQuestions, variantShare } : {}),
      },
      measuredAt: new Date().toISOString(),
      wallMs: 0,
      load,
      generated,
      ingest,
      floor,
      storeAfterWarmUp,
      storeAfterIngest,
      storeAtEnd,
      queries,
      http,
      policyEngine,
      index,
      targets: [],
    };
    result.targets = targetsOf(result);
    result.wallMs = Math.round(performance.now() - started);
    process.stdout.write(renderReport(result));
    if (jsonFile) {
      writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
      log(`wrote ${jsonFile}`);
    }
  } finally {
    log('neo4j: stopping');
    await neo4j.stop();
  }
}

type Size = { nodes: number; relationships: number; bytes: number };

function delta(after: StoreInfo, before: StoreInfo): Size {
  return {
    nodes: (after.nodes ?? 0) - (before.nodes ?? 0),
    relationships: (after.relationships ?? 0) - (before.relationships ?? 0),
    bytes: (after.storeBytes ?? 0) - (before.storeBytes ?? 0),
  };
}

/** The access index part of a run: build, store size, the variant ingested with the index, the index questions, the CLI and the server. */
async function benchIndex(o: {
  neo4j: ThrowawayNeo4j;
  env: NodeJS.ProcessEnv;
  worker: (name: string) => string;
  generatedDir: string;
  seed: string;
  variantShare: number;
  storeBefore: StoreInfo;
  snapshotSize: Size;
  arns: string[];
  invocableTop: number;
  invocableRandom: number;
  cliQuestions: number;
  http: { connections: number[]; rounds: number; load: { seconds: number; connections: number } } | undefined;
}): Promise<IndexBench> {
  log('index: building the access index of the snapshot (as `whocan index`)');
  const buildRun = await runWorker<IndexBuildBenchResult>(o.worker('indexWorker'), [], { env: o.env });
  const build = { ...buildRun.result, processWallMs: buildRun.wallMs };
  log(
    `index: read ${build.loadMs} ms, computed in ${build.computeMs} ms on ${build.threads} thread(s), written in ${build.writeMs} ms; ${build.accessRelationships} class × answer relationships; peak RSS ${build.maxRssMiB} MiB`,
  );
  const storeAfter = await storeInfo(o.neo4j);
  const indexSize = delta(storeAfter, o.storeBefore);
  const r = (a: number, b: number) => Math.round(((a + b) / Math.max(1, a)) * 100) / 100;
  const size = {
    snapshot: o.snapshotSize,
    index: indexSize,
    ratio: {
      nodes: r(o.snapshotSize.nodes, indexSize.nodes),
      relationships: r(o.snapshotSize.relationships, indexSize.relationships),
      bytes: r(o.snapshotSize.bytes, indexSize.bytes),
    },
  };
  log(`index: store ${size.ratio.bytes} × the snapshot's bytes, ${size.ratio.relationships} × its relationships`);

  // The questions first (the slowest part, the variant's ingest with its index, comes last).
  const ask = async <T>(input: IndexQuestionsInput): Promise<T> => {
    const inputFile = path.join(os.tmpdir(), `whocan-bench-index-questions-${process.pid}.json`);
    writeFileSync(inputFile, JSON.stringify(input));
    try {
      return (await runWorker<T>(o.worker('indexQueryWorker'), [inputFile], { env: o.env })).result;
    } finally {
      rmSync(inputFile, { force: true });
    }
  };
  const questions = await ask<IndexQueryBenchResult>({
    arns: o.arns,
    seed: o.seed,
    invocableTop: o.invocableTop,
    invocableRandom: o.invocableRandom,
  });
  const first = questions.whoCanInvoke.firstPage;
  log(
    `index questions: whoCanInvoke first page median ${first.median} ms, p99 ${first.p99} ms; review ${questions.review.wallMs} ms; peak RSS ${questions.maxRssMiB} MiB`,
  );

  // The CLI: the first questions the index answered, one process each.
  const cliArns = questions.whoCanInvoke.questions.slice(0, o.cliQuestions).map((q) => q.resource);
  log(`cli: ${cliArns.length} one-shot who-can-invoke questions`);
  const cli = await benchCli({ neo4jUri: o.neo4j.uri, neo4jPassword: o.neo4j.password, arns: cliArns });
  log(`cli: median ${cli.wall.median} ms, max ${cli.wall.max} ms`);

  let http: HttpBenchResult;
  if (!o.http) http = { available: false, reason: '--skip-http' };
  else if (questions.whoCanInvoke.questions.length === 0)
    http = { available: false, reason: 'the index answered none of the sampled who-can-invoke questions' };
  else {
    log('http: the server again, now answering from the access index');
    // The questions the index answered (a miss would load the analysis into the server).
    http = await benchHttp({
      neo4jUri: o.neo4j.uri,
      neo4jPassword: o.neo4j.password,
      arns: questions.whoCanInvoke.questions.map((q) => q.resource),
      ...o.http,
    });
    log(`http: server peak RSS ${http.serverMaxRssMiB ?? '?'} MiB`);
  }

  const variantInfo = ensureVariant(o.generatedDir, `${o.generatedDir}-variant`, o.seed, o.variantShare);
  log(
    `ingest --index: the variant snapshot (${variantInfo.changed} of ${variantInfo.policies} identity policies changed), ${variantInfo.dir}`,
  );
  const variantRun = await runWorker<IngestBenchResult>(o.worker('ingestWorker'), [variantInfo.dir], {
    env: { ...o.env, BENCH_INDEX: 'true' },
  });
  const variant = { ...variantInfo, ingest: { ...variantRun.result, processWallMs: variantRun.wallMs } };
  log(
    `ingest --index: ${variant.ingest.wallMs} ms (index compute ${variant.ingest.index?.computeMs} ms, write ${variant.ingest.index?.writeMs} ms)`,
  );
  // The measured snapshot is the one the questions read: current again (the variant is only the diff's other side).
  const graph = await openBenchGraph({ uri: o.neo4j.uri, password: o.neo4j.password });
  try {
    await makeSnapshotCurrent(graph, build.snapshot, {});
  } finally {
    await graph.close();
  }
  const diff = await ask<IndexDiffBenchResult>({
    arns: [],
    from: variant.ingest.snapshotId,
    seed: o.seed,
    invocableTop: 0,
    invocableRandom: 0,
    onlyDiff: true,
  });
  questions.accessDiff = diff.accessDiff;
  questions.analysisLoaded.push(...diff.analysisLoaded);
  return { build, storeBefore: o.storeBefore, storeAfter, size, variant, questions, cli, http };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
