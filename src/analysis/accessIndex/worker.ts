import { parentPort, workerData } from 'node:worker_threads';
import type { SnapshotRows } from '../../model';
import { AccessModel } from '../accessModel';
import { DecisionMemo, decideJob, planAccessIndex } from '.';
import { CallerUniverse } from '../callers';
import { CandidateIndex } from '../candidates';
import type { JobRequest, WorkerData, WorkerReply } from './threads';

/**
 * One thread of the access index build (threads.ts): builds the
 * model and the candidate indexes from the snapshot's rows, plans the index
 * exactly as the main thread does (the plan is a function of the model),
 * then decides the jobs it is sent and replies with their grants.
 */
const data = workerData as WorkerData;
const port = parentPort!;
try {
  const model = AccessModel.fromRows(data.rows as SnapshotRows, { rcpSupportedServices: new Set(data.rcpSupportedServices) });
  const parts = { model, candidates: new CandidateIndex(model, new CallerUniverse(model)) };
  const plan = planAccessIndex(model);
  if (plan.specs.length !== data.specs || plan.jobs.length !== data.jobs) {
    throw new Error(
      `the thread planned ${plan.specs.length} targets and ${plan.jobs.length} jobs, the main thread ${data.specs} and ${data.jobs}`,
    );
  }
  const memo = new DecisionMemo();
  port.on('message', (request: JobRequest) => {
    try {
      const [made, reused] = [memo.made, memo.reused];
      const results = request.jobs.map((job) => ({ job, grants: decideJob(parts, plan, plan.jobs[job]!, memo) }));
      port.postMessage({
        type: 'decided',
        results,
        decisions: memo.made - made,
        reusedDecisions: memo.reused - reused,
      } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({
        type: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerReply);
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({
    type: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies WorkerReply);
}
