/**
 * Child process of `npm run bench`: the questions the access index answers,
 * through the service layer, on the current snapshot once its index is
 * complete, in a process of its own that never loads the snapshot's analysis
 * (its peak RSS is what answering from the index costs).
 *
 *   node dist/bench/indexQueryWorker.js QUESTIONS.json
 *
 * QUESTIONS.json: `{ arns, from?, seed }`: the who-can-invoke request ARNs of
 * the per-question sample (so both sides answer the same questions), the
 * other indexed snapshot to diff against, and the sampling seed.
 *
 * 1. `whoCanInvoke`, first page: each ARN once through `answerFromIndex`
 *    (warm-up; it also tells which questions the index answers and why not
 *    the others), then each answered one timed as GraphQL asks it:
 *    `AnalysisService.whoCanInvoke` with `lazyPaths`, then the paths of the
 *    first 100 principals (`preparePaths`).
 * 2. `invocable`: principals with the most outgoing CAN_ASSUME relationships
 *    (those that reach many roles) and a random sample, through
 *    `AnalysisService.invocableMethods` (which reads invocableFromIndex).
 * 3. A whole-organization review (`not-public` and `no-outside-org` on every
 *    method of every API) over `IndexAccessSource`, as `whocan review` runs it.
 * 4. `accessDiff` between the two indexed snapshots, through the service
 *    (with `onlyDiff`: that alone, once the second snapshot is indexed).
 *
 * Each figure says whether the analysis had to be loaded (it must not: the
 * index answers all of them).
 */
import { readFileSync } from 'node:fs';
import { cypher } from '../src/db';
import { Rng } from '../src/generate/prng';
import { AnalysisService } from '../src/services';
import { answerFromIndex } from '../src/services/index/whoCanFromIndex';
import { invocableFromIndex } from '../src/services/index/invocableFromIndex';
import { resolveSnapshot } from '../src/services/snapshotCatalog';
import { IndexAccessSource, parseRules, runReview } from '../src/services/review';
import { gcMeter, log, maxRssMiB, openBenchGraph, percentiles, reportResult, type Percentiles } from './shared';

/** The page GraphQL's `principals(first: 100)` reads paths for. */
export const FIRST_PAGE = 100;

export interface IndexQuestionsInput {
  arns: string[];
  from?: string;
  seed: string;
  /** Principals for invocable: the ones with the most CAN_ASSUME relationships, and a random sample. */
  invocableTop: number;
  invocableRandom: number;
  /** Only the accessDiff (asked once the second snapshot is indexed). */
  onlyDiff?: boolean;
}

export interface IndexDiffBenchResult {
  accessDiff: IndexQueryBenchResult['accessDiff'];
  analysisLoaded: string[];
  maxRssMiB: number;
}

export interface IndexWhoCanQuestion {
  resource: string;
  principals: number;
  /** Principals whose paths were read (the first page). */
  pagePrincipals: number;
  ms: number;
}

export interface IndexInvocableQuestion {
  principal: string;
  why: 'most CAN_ASSUME' | 'random';
  rolesReached: number;
  methods: number;
  ms: number;
}

export interface IndexQueryBenchResult {
  snapshot: string;
  whoCanInvoke: {
    /** Questions of the sample, answered from the index, and the misses by reason (those are left to the analysis, not timed here). */
    asked: number;
    answered: number;
    misses: Record<string, number>;
    firstPage: Percentiles;
    /** The warm-up pass: answerFromIndex alone, without paths. */
    warmUp: Percentiles;
    questions: IndexWhoCanQuestion[];
  };
  invocable: {
    asked: number;
    answered: number;
    misses: string[];
    overall: Percentiles;
    mostAssume: Percentiles;
    random: Percentiles;
    questions: IndexInvocableQuestion[];
  } | null;
  review: {
    wallMs: number;
    rules: { id: string; status: string; answeredFrom: string; questions: number; violations: number; durationMs: number }[];
    jsonBytes: number;
  };
  accessDiff: { from: string; to: string; wallMs: number; gained: number; lost: number; changed: number } | { skipped: string };
  /** The analysis was loaded by some question (it must not be: every figure above should come from the index). */
  analysisLoaded: string[];
  gcMs: number;
  maxRssMiB: number;
}

const REVIEW_RULES = `version: 1
rules:
  - id: no-public-method
    description: No method of any API is public.
    select:
      invoke: { api: "*" }
    expect:
      not-public: true
  - id: nobody-outside-the-organization
    description: Nobody outside the organization may invoke any method.
    select:
      invoke: { api: "*" }
    expect:
      no-outside-org: true
`;

const PRINCIPALS = cypher(
  'bench.index.principals',
  'MATCH (p:Principal {snapshot: $s}) RETURN p.arn AS arn, COUNT { (p)-[:CAN_ASSUME]->() } AS assume ORDER BY arn LIMIT 200000',
);

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: indexQueryWorker QUESTIONS.json');
  const input = JSON.parse(readFileSync(file, 'utf8')) as IndexQuestionsInput;
  const graph = await openBenchGraph();
  const gc = gcMeter();
  const analysisLoaded: string[] = [];
  let phase = '';
  const service = () =>
    new AnalysisService(graph, { onEvent: (e) => void (e.type === 'loaded' && analysisLoaded.push(`${phase} (${e.snapshot})`)) });
  const snapshot = (await resolveSnapshot(graph, undefined, {})).id;

  // accessDiff between the two indexed snapshots, through the service.
  const diffWith = async (from: string): Promise<IndexQueryBenchResult['accessDiff']> => {
    phase = 'accessDiff';
    log(`index questions: accessDiff ${from} → ${snapshot}`);
    const t = performance.now();
    const diff = await service().accessDiff({ from, to: snapshot });
    const result = {
      from: diff.from,
      to: diff.to,
      wallMs: Math.round(performance.now() - t),
      gained: diff.counts.gained,
      lost: diff.counts.lost,
      changed: diff.counts.changed,
    };
    log(
      `index questions: accessDiff ${result.wallMs} ms (${diff.counts.gained} gained, ${diff.counts.lost} lost, ${diff.counts.changed} changed)`,
    );
    return result;
  };
  if (input.onlyDiff) {
    if (!input.from) throw new Error('onlyDiff needs from');
    const accessDiff = await diffWith(input.from);
    await graph.close();
    reportResult({ accessDiff, analysisLoaded, maxRssMiB: maxRssMiB() } satisfies IndexDiffBenchResult);
    return;
  }

  // 1. whoCanInvoke, first page.
  phase = 'whoCanInvoke';
  const questions = service();
  const misses: Record<string, number> = {};
  const answered: string[] = [];
  const warmUp: number[] = [];
  log(`index questions: whoCanInvoke, ${input.arns.length} questions (warm-up and which the index answers)`);
  for (const arn of input.arns) {
    const t = performance.now();
    const result = await answerFromIndex(graph, snapshot, { action: 'execute-api:Invoke', resource: arn });
    warmUp.push(performance.now() - t);
    if (typeof result === 'string') misses[result] = (misses[result] ?? 0) + 1;
    else answered.push(arn);
  }
  log(`index questions: whoCanInvoke first page, ${answered.length} answered by the index, timed`);
  const timed: IndexWhoCanQuestion[] = [];
  for (const arn of answered) {
    const t = performance.now();
    const answer = await questions.whoCanInvoke({ requestArn: arn }, { lazyPaths: true });
    const page = answer.principals.slice(0, FIRST_PAGE);
    await questions.preparePaths(page);
    const ms = performance.now() - t;
    timed.push({ resource: arn, principals: answer.principals.length, pagePrincipals: page.length, ms });
  }

  const firstPage = percentiles(timed.map((q) => q.ms));
  log(
    `index questions: whoCanInvoke first page: ${timed.length} answered (misses: ${JSON.stringify(misses)}), median ${firstPage.median} ms, p95 ${firstPage.p95} ms, p99 ${firstPage.p99} ms`,
  );

  // 2. invocable.
  phase = 'invocable';
  let invocable: IndexQueryBenchResult['invocable'] = null;
  if (input.invocableTop + input.invocableRandom > 0) {
    const all = await graph.read<{ arn: string; assume: number }>(PRINCIPALS, { s: snapshot });
    const top = [...all].sort((a, b) => b.assume - a.assume || a.arn.localeCompare(b.arn)).slice(0, input.invocableTop);
    const chosen = new Set(top.map((p) => p.arn));
    const rest = all.filter((p) => !chosen.has(p.arn));
    const rng = new Rng(`bench-invocable/${input.seed}`);
    const sample: { arn: string; why: IndexInvocableQuestion['why'] }[] = top.map((p) => ({ arn: p.arn, why: 'most CAN_ASSUME' }));
    for (let i = 0; i < input.invocableRandom && rest.length > 0; i++)
      sample.push({ arn: rest.splice(rng.int(rest.length), 1)[0]!.arn, why: 'random' });
    log(
      `index questions: invocable, ${sample.length} principals (${top.length} with the most CAN_ASSUME, ${sample.length - top.length} at random)`,
    );
    const inv = service();
    const misses2: string[] = [];
    const timedInv: IndexInvocableQuestion[] = [];
    // Warm-up: the first few once, straight from the index.
    for (const p of sample.slice(0, 3)) await invocableFromIndex(graph, snapshot, p.arn, {});
    for (const p of sample) {
      // Only what the index answers is timed: the service would otherwise load the analysis for the others.
      if (!(await invocableFromIndex(graph, snapshot, p.arn, {}))) {
        misses2.push(p.arn);
        continue;
      }
      const t = performance.now();
      const answer = await inv.invocableMethods(p.arn);
      const ms = performance.now() - t;
      timedInv.push({ principal: p.arn, why: p.why, rolesReached: answer.rolesReached, methods: answer.methods.length, ms });
    }
    const overall = percentiles(timedInv.map((q) => q.ms));
    log(
      `index questions: invocable ${timedInv.length}/${sample.length} from the index: median ${overall.median} ms, p99 ${overall.p99} ms, max ${overall.max} ms; up to ${Math.max(0, ...timedInv.map((q) => q.rolesReached))} roles reached`,
    );
    invocable = {
      asked: sample.length,
      answered: timedInv.length,
      misses: misses2,
      overall,
      mostAssume: percentiles(timedInv.filter((q) => q.why === 'most CAN_ASSUME').map((q) => q.ms)),
      random: percentiles(timedInv.filter((q) => q.why === 'random').map((q) => q.ms)),
      questions: timedInv.map((q) => ({ ...q, ms: Math.round(q.ms * 100) / 100 })),
    };
  }

  // 3. The whole-organization review over the index.
  phase = 'review';
  log('index questions: review (not-public + no-outside-org on every method)');
  const rules = parseRules(REVIEW_RULES, 'bench-review.yaml');
  const reviewStarted = performance.now();
  const report = await runReview(new IndexAccessSource(graph, service()), rules, {});
  const reviewMs = Math.round(performance.now() - reviewStarted);
  const review: IndexQueryBenchResult['review'] = {
    wallMs: reviewMs,
    rules: report.results.map((r) => ({
      id: r.id,
      status: r.status,
      answeredFrom: String(r.answeredFrom),
      questions: r.questions,
      violations: r.violationCount,
      durationMs: r.durationMs,
    })),
    jsonBytes: Buffer.byteLength(JSON.stringify(report)),
  };
  log(
    `index questions: review ${reviewMs} ms (${review.rules.map((x) => `${x.id} ${x.status} from the ${x.answeredFrom}, ${x.questions} questions, ${x.violations} violations`).join('; ')}; ${review.jsonBytes} bytes of JSON)`,
  );

  // 4. accessDiff, when the other snapshot is already indexed (run.ts asks it separately, once it is).
  const accessDiff: IndexQueryBenchResult['accessDiff'] = input.from
    ? await diffWith(input.from)
    : { skipped: 'asked once the second snapshot is indexed' };

  const r2 = (x: number) => Math.round(x * 100) / 100;
  const out: IndexQueryBenchResult = {
    snapshot,
    whoCanInvoke: {
      asked: input.arns.length,
      answered: answered.length,
      misses,
      firstPage,
      warmUp: percentiles(warmUp),
      questions: timed.map((q) => ({ ...q, ms: r2(q.ms) })),
    },
    invocable,
    review,
    accessDiff,
    analysisLoaded,
    gcMs: gc.stop().gcMs,
    maxRssMiB: maxRssMiB(),
  };
  await graph.close();
  reportResult(out);
}

main().catch((error: unknown) => {
  process.stderr.write(`indexQueryWorker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
