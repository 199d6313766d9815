import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserInputError } from '../../errors';
import { DecisionMemo, IndexAssembly, decideJob, planAccessIndex, type AccessIndex, type GrantSummary, type IndexOptions } from '.';
import type { AnalysisInputs } from '../whoCan';

/**
 * The access index built on several threads. The decisions (the engine run
 * on every job's candidates, nearly all of the work) are spread over worker
 * threads, each with its own model built from the snapshot's rows; the main
 * thread walks each job's grants back on the role graph as they arrive and
 * assembles the index, so it stays free for the ingest's heartbeat and
 * progress. Jobs are handed out in small batches to whichever thread is
 * idle, so a thread that drew slow targets (private APIs, wide templates)
 * does not hold the others up. With one thread, or few jobs, everything
 * runs on the calling thread (starting a thread costs a model build).
 */
export interface WorkerData {
  rows: unknown;
  rcpSupportedServices: string[];
  specs: number;
  jobs: number;
}

export interface JobRequest {
  jobs: number[];
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'decided'; results: { job: number; grants: GrantSummary[] }[]; decisions: number; reusedDecisions: number }
  | { type: 'failed'; message: string };

export interface ThreadedIndexOptions extends IndexOptions {
  /** Threads deciding jobs (default: the machine's available parallelism, at most 8; `WHOCAN_INDEX_THREADS` overrides). */
  threads?: number;
  /** Called between batches on the main thread (the ingest's heartbeat). */
  beat?: () => Promise<void>;
}

/** Below this many jobs the build stays on the calling thread. */
const MIN_JOBS_FOR_THREADS = 400;
const BATCH = 16;

export function indexThreads(requested: number | undefined): number {
  const env = process.env.WHOCAN_INDEX_THREADS;
  if (requested === undefined && env !== undefined && env !== '') {
    if (!/^[1-8]$/.test(env))
      throw new UserInputError(
        `WHOCAN_INDEX_THREADS=${JSON.stringify(env.slice(0, 20))}: expected a number of threads from 1 to 8 (unset: the machine's cores).`,
      );
    return Number(env);
  }
  return Math.max(1, Math.min(requested ?? availableParallelism(), 8));
}

export async function buildAccessIndexThreaded(parts: AnalysisInputs, options: ThreadedIndexOptions = {}): Promise<AccessIndex> {
  const started = performance.now();
  const plan = planAccessIndex(parts.model);
  const assembly = new IndexAssembly(parts, plan, options);
  const threads = plan.jobs.length < MIN_JOBS_FOR_THREADS ? 1 : indexThreads(options.threads);
  if (threads <= 1) {
    const memo = new DecisionMemo();
    let slice = performance.now();
    for (let job = 0; job < plan.jobs.length; job++) {
      assembly.decided(job, decideJob(parts, plan, plan.jobs[job]!, memo));
      if (performance.now() - slice > 50) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await options.beat?.();
        slice = performance.now();
      }
    }
    assembly.countDecisions(memo.made, memo.reused);
  } else {
    await decideOnThreads(parts, plan.specs.length, plan.jobs.length, threads, assembly, options);
  }
  const work = assembly.finish(started, threads);
  let slice = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - slice > 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await options.beat?.();
      slice = performance.now();
    }
  }
}

async function decideOnThreads(
  parts: AnalysisInputs,
  specs: number,
  jobs: number,
  threads: number,
  assembly: IndexAssembly,
  options: ThreadedIndexOptions,
): Promise<void> {
  const data: WorkerData = {
    rows: parts.model.rows,
    rcpSupportedServices: [...(parts.model.organization.rcpSupportedServices ?? [])],
    specs,
    jobs,
  };
  let next = 0;
  let received = 0;
  const workers: Worker[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      const send = (worker: Worker) => {
        if (next >= jobs) return;
        const batch: number[] = [];
        while (batch.length < BATCH && next < jobs) batch.push(next++);
        worker.postMessage({ jobs: batch } satisfies JobRequest);
      };
      // The main thread only walks and waits: it keeps the loading snapshot alive meanwhile.
      if (options.beat) timer = setInterval(() => void options.beat!().catch((error: unknown) => fail(error as Error)), 5_000);
      for (let t = 0; t < threads; t++) {
        const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: data });
        workers.push(worker);
        worker.on('message', (reply: WorkerReply) => {
          if (failed) return;
          if (reply.type === 'failed') return fail(new Error(`access index thread: ${reply.message}`));
          if (reply.type === 'ready') {
            // Two batches in flight per thread: it starts the next while this thread walks the last one's grants.
            send(worker);
            send(worker);
            return;
          }
          send(worker);
          try {
            for (const { job, grants } of reply.results) assembly.decided(job, grants);
            assembly.countDecisions(reply.decisions, reply.reusedDecisions);
          } catch (error) {
            return fail(error as Error);
          }
          received += reply.results.length;
          if (received === jobs) resolve();
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (received < jobs) fail(new Error(`access index thread stopped (exit code ${code}) with ${jobs - received} jobs left`));
        });
      }
      if (jobs === 0) resolve();
    });
    await options.beat?.();
  } finally {
    if (timer) clearInterval(timer);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
