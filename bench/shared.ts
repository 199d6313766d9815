/**
 * What the benchmark's processes share: percentiles, the GC observer, the
 * worker protocol (a child prints one `BENCH-RESULT <json>` line on stdout)
 * and the Graph connection of a worker.
 */
import { spawn } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { connectGraph, type Graph } from '../src/db';
import { silentLogger } from '../src/logging';

export interface Percentiles {
  count: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of a list of milliseconds (rounded to 0.01 ms). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (p: number) => (n === 0 ? 0 : (sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))] as number));
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    count: n,
    min: r(n ? (sorted[0] as number) : 0),
    median: r(at(50)),
    p95: r(at(95)),
    p99: r(at(99)),
    max: r(n ? (sorted[n - 1] as number) : 0),
    mean: r(n ? sorted.reduce((s, x) => s + x, 0) / n : 0),
  };
}

/** Sums the time spent in garbage collection from now on. */
export function gcMeter(): { stop(): { gcMs: number; count: number } } {
  let gcMs = 0;
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      count += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
      return { gcMs: Math.round(gcMs), count };
    },
  };
}

/** Peak resident set size of this process, in MiB (Linux: maxRSS is in KiB). */
export function maxRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export interface WorkerEnv {
  uri: string;
  password: string;
}

/** The Neo4j of the bench, as a worker reads it from its environment. */
export function workerEnv(): WorkerEnv {
  const uri = process.env['BENCH_NEO4J_URI'];
  const password = process.env['BENCH_NEO4J_PASSWORD'];
  if (!uri || !password) throw new Error('BENCH_NEO4J_URI and BENCH_NEO4J_PASSWORD must be set (workers are started by bench/run.ts)');
  return { uri, password };
}

export function openBenchGraph(env: WorkerEnv = workerEnv()): Promise<Graph> {
  return connectGraph({
    uri: env.uri,
    user: 'neo4j',
    password: env.password,
    database: 'neo4j',
    transactionTimeoutMs: 600_000,
    connectionTimeoutMs: 30_000,
    logger: silentLogger(),
  });
}

const RESULT = 'BENCH-RESULT ';

/** A worker's last word: its result on one stdout line. */
export function reportResult(result: unknown): void {
  process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`);
}

/** Runs `node [nodeArgs] script args` and returns what it reported; its stderr is passed through (progress). */
export function runWorker<T>(
  script: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; nodeArgs?: string[] },
): Promise<{ result: T; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: options.env,
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) {
        reject(
          new Error(
            `${script} ${signal ? `was killed (${signal})` : `exited with code ${code}`}${line ? '' : ' without a result'}: ${out.slice(-2000)}`,
          ),
        );
        return;
      }
      resolve({ result: JSON.parse(line.slice(RESULT.length)) as T, wallMs: Math.round(performance.now() - started) });
    });
  });
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
