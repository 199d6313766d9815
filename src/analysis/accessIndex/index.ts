/**
 * The organization-wide access index: for every indexed action and
 * resource, everyone with access within `maxHops` role assumptions, with the
 * decision and the shortest hop count. Computed once per snapshot by the
 * per-question analysis itself (`decideGrants` and `walkBackwards` of
 * whoCan/, the same engine calls and the same rules; the jobs may be
 * decided on worker threads, threads.ts), and kept compact:
 *
 * - **Targets treated alike share one answer.** Before anything is decided,
 *   the plan (`planAccessIndex`) gives each target a class key from the
 *   Resource and NotResource patterns of every statement that covers its
 *   action (StatementCatalog): the patterns that match a single request, or
 *   for a method template their residuals after `<API ARN>/<stage>/`, with
 *   the account, region, resource policy, authorization and endpoint type.
 *   Targets with one key get the same decision from the engine for every
 *   caller (IUG, "Policy evaluation logic": a statement takes part in a
 *   decision only when the request matches its Action and Resource), so one
 *   of them (a job) is decided and the others reuse its answer. Answers that
 *   come out equal are stored once as well (an `AccessSet`).
 * - **Principals treated alike share one entry.** Callers whose rows over
 *   every answer are the same (same answers, decisions, hop counts and
 *   conditions) form one `AccessClass`; an answer lists classes.
 *
 * The files: types.ts (what it is made of), plan.ts (targets and jobs),
 * statementCatalog.ts (how the patterns treat each target), decisions.ts (the
 * engine's decisions on a job, DecisionMemo), assembly.ts (the role walk and
 * the answers), rows.ts (classes and the rows for the graph), threads.ts and
 * worker.ts (the jobs on worker threads), store.ts (the graph).
 *
 * Covered: `execute-api:Invoke` and `execute-api:InvalidateCache` on every
 * method × stage; `apigateway:POST|PUT|PATCH|DELETE` on every API;
 * `sts:AssumeRole` on every role (the stored CAN_ASSUME relationships walked
 * backwards); `lambda:InvokeFunction` on every function; `iam:PassRole` on
 * every role an integration runs as. Root users are left out (as answers
 * leave them out by default); request context is not given (conditional
 * entries keep their formula).
 */
import { type AnalysisInputs } from '../whoCan';
import { runToEnd, type Work } from '../work';
import type { AccessIndex, IndexOptions } from './types';
import { DecisionMemo, decideJob } from './decisions';
import { planAccessIndex } from './plan';
import { IndexAssembly } from './assembly';

export {
  INDEXED_MANAGEMENT_ACTIONS,
  INDEXED_METHOD_ACTIONS,
  type AccessIndex,
  type AccessIndexRows,
  type GrantSummary,
  type IndexAccessor,
  type IndexEntry,
  type IndexOptions,
  type IndexPlan,
  type IndexProgress,
  type IndexTarget,
  type IndexTargetKind,
  type TargetSpec,
} from './types';
export { planAccessIndex } from './plan';
export { DecisionMemo, decideJob } from './decisions';
export { IndexAssembly } from './assembly';
export { StatementCatalog } from './statementCatalog';
export { accessIndexRows } from './rows';

/** The index of a snapshot, computed straight through on this thread. */
export function buildAccessIndex(parts: AnalysisInputs, options: IndexOptions = {}): AccessIndex {
  return runToEnd(buildAccessIndexWork(parts, options));
}

/** The same as work that yields between targets (see work.ts). */
export function* buildAccessIndexWork(parts: AnalysisInputs, options: IndexOptions = {}): Work<AccessIndex> {
  const started = performance.now();
  const plan = planAccessIndex(parts.model);
  const assembly = new IndexAssembly(parts, plan, options);
  const memo = new DecisionMemo();
  for (let job = 0; job < plan.jobs.length; job++) {
    yield;
    assembly.decided(job, decideJob(parts, plan, plan.jobs[job]!, memo));
  }
  assembly.countDecisions(memo.made, memo.reused);
  return yield* assembly.finish(started, 1);
}
