/**
 * Child process of `npm run bench`: the questions, through the service layer
 * (AnalysisService, as the CLI and GraphQL call it), on the snapshot the
 * ingest worker wrote.
 *
 *   node dist/bench/queryWorker.js   (settings in BENCH_* variables, see run.ts)
 *
 * 1. Loads the snapshot's analysis from the graph (read + build), timed.
 * 2. Samples questions with test/support/differential.ts's sampleQuestions
 *    (method templates and concrete requests of random methods, plus
 *    management, role and Lambda questions), asks each once (warm-up, and
 *    what tags it: public, authorizer, narrow or wildcard grant, deepest role
 *    hop), then asks them again, timed one by one: the latency figures.
 * 3. Brute force (bench/bruteForce.ts) on the who-can-invoke questions, those
 *    needing the fewest roles first, until its time budget is spent: every
 *    answer is compared with whocan's; the questions left get an extrapolated
 *    cost, labelled so.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { percentiles, gcMeter, log, maxRssMiB, openBenchGraph, reportResult, type Percentiles } from './shared';
import { AnalysisService, type WhoCanAnswer } from '../src/services';
import { differences, sampleQuestions, summarise, type Question, type Summary } from '../test/support/differential';
import { BruteForce } from './bruteForce';
import { profiled, type ProfileSummary } from './profile';
import { DEFAULT_MAX_HOPS, reach } from '../src/analysis';

export interface TimedQuestion {
  action: string;
  resource: string;
  tags: string[];
  principals: number;
  maxHops: number;
  candidates: number;
  decisions: number;
  /** The first ask (the warm-up questions only). */
  firstMs?: number;
  ms: number;
}

export interface BruteQuestion {
  resource: string;
  tags: string[];
  whocanMs: number;
  /** Measured: every caller on the method + every needed role's incoming row, as if nothing were cached. */
  coldMs?: number;
  /** Measured: what this question cost with the roles earlier questions had decided (memoised). */
  amortisedMs?: number;
  /** Extrapolated (budget spent): mean grant time + needed roles × mean measured role time. */
  extrapolatedMs?: number;
  rolesNeeded: number;
  identical?: boolean;
  differences?: string[];
}

export interface QueryBenchResult {
  load: { ms: number; readMs: number; buildMs: number; rssAfterLoadMiB: number; heapUsedMiB: number };
  universe: { callers: number; roles: number; users: number; methods: number };
  invoke: {
    overall: Percentiles;
    throughputPerSecond: number;
    cold: Percentiles;
    byTag: Record<string, Percentiles>;
    /** The same questions answered without paths (decisions and role walk only)… */
    reachOnly: Percentiles;
    /** …and, interleaved with it, the full answer again. */
    fullAgain: Percentiles;
    /** Latency per principal in the answer (ms per 1,000 principals), questions with at least 100 principals. */
    msPerThousandPrincipals: Percentiles;
    questions: TimedQuestion[];
  };
  /** GC time and peak RSS of the measured passes (before brute force). */
  measuredPass: { gcMs: number; wallMs: number; rssAfterQuestionsMiB: number; liveHeapMiB?: number };
  whoCan: { overall: Percentiles; throughputPerSecond: number; byTag: Record<string, Percentiles> };
  bruteForce: {
    budgetMs: number;
    spentMs: number;
    verified: number;
    identical: number;
    extrapolated: number;
    engineCalls: number;
    rolesDecided: number;
    meanRoleMs: number;
    meanGrantMs: number;
    /** Median over verified questions of (brute force cold ms / whocan ms). */
    medianSpeedup: number;
    /** median(brute force cold) / median(whocan) over the verified questions. */
    speedupOfMedians: number;
    /** Total measured brute-force time (memoised, as run) / total whocan time, verified questions. */
    amortisedSpeedup: number;
    /** The same median ratio with the extrapolated questions included (labelled as such). */
    medianSpeedupWithExtrapolated: number;
    /** Methods whose callers sign (AWS_IAM): the question the engine is asked about every principal. */
    signed: { verified: number; medianSpeedup: number; extrapolated: number; medianSpeedupWithExtrapolated: number };
    questions: BruteQuestion[];
  };
  gcMs: number;
  maxRssMiB: number;
  profile?: ProfileSummary;
}

/** The heap still in use after a full garbage collection (what the process needs, unlike RSS, which V8 lets grow up to its limit). */
function liveHeapAfterGc(): number | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc !== 'function') return undefined;
    gc();
    return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  } catch {
    return undefined;
  }
}

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

/** The statement resource patterns by policy id and statement label, to tell wildcard grants from narrow ones. */
function statementResources(service: {
  rows: {
    statements: { policyKey: string; sid: string | null; index: number; resources: string[] | null; notResources: string[] | null }[];
  };
}): Map<string, string[] | null> {
  const out = new Map<string, string[] | null>();
  for (const s of service.rows.statements) {
    const label = s.sid ?? `#${s.index}`;
    out.set(`${s.policyKey}|${label}`, s.notResources ? null : s.resources);
  }
  return out;
}

function tagsOf(q: Question, answer: WhoCanAnswer, resources: Map<string, string[] | null>): string[] {
  const tags: string[] = [q.why.startsWith('method template') ? 'template' : 'concrete request'];
  const auth = answer.method?.authorizationType;
  if (answer.public) tags.push('public (NONE)');
  else if (auth && auth !== 'AWS_IAM') tags.push(`unsigned (${auth}${auth === 'NONE' ? ', private' : ''})`);
  else {
    const apiId = answer.method?.api ?? '';
    let wildcard = false;
    let direct = 0;
    for (const p of answer.principals) {
      if (p.hops !== 0) continue;
      direct++;
      for (const path of p.paths) {
        for (const hop of path) {
          if ((hop.kind !== 'statement' && hop.kind !== 'resource-policy') || !hop.policy || !hop.statement) continue;
          const patterns = resources.get(`${hop.policy}|${hop.statement}`);
          // NotResource, or a pattern that does not name the API: a wildcard grant.
          if (patterns === null || patterns?.some((r) => !r.includes(apiId))) wildcard = true;
        }
      }
    }
    tags.push(direct === 0 ? 'no direct grant' : wildcard ? 'wildcard-granted' : 'narrow grants');
  }
  const deepest = answer.principals.reduce((m, p) => Math.max(m, p.hops), 0);
  tags.push(deepest === 0 ? 'no role hop' : deepest >= 4 ? 'role hops 4-5' : `role hops ${deepest}`);
  return tags;
}

function byTag(items: { tags: string[]; ms: number }[]): Record<string, Percentiles> {
  const groups = new Map<string, number[]>();
  for (const item of items) for (const tag of item.tags) groups.set(tag, [...(groups.get(tag) ?? []), item.ms]);
  return Object.fromEntries([...groups.entries()].sort().map(([tag, list]) => [tag, percentiles(list)]));
}

const median = (xs: number[]) => percentiles(xs).median;

async function main(): Promise<void> {
  const seed = process.env['BENCH_SEED'] ?? '1';
  const methodCount = num('BENCH_METHODS', 100);
  const otherCount = num('BENCH_OTHER', 30);
  const budgetMs = num('BENCH_BRUTE_BUDGET_MS', 120_000);
  const profileFile = process.env['BENCH_PROFILE_QUERIES'];
  const graph = await openBenchGraph();
  const gc = gcMeter();
  let loadTimes = { readMs: 0, buildMs: 0 };
  const service = new AnalysisService(graph, {
    onEvent: (e) => {
      if (e.type === 'loading') log(`queries: loading the analysis (${e.step})`);
      else loadTimes = { readMs: e.readMs, buildMs: e.buildMs };
    },
  });
  const loadStarted = performance.now();
  const { analysis } = await service.analysis();
  const loadMs = Math.round(performance.now() - loadStarted);
  const mem = process.memoryUsage();
  const load = {
    ms: loadMs,
    ...loadTimes,
    rssAfterLoadMiB: Math.round(mem.rss / 2 ** 20),
    heapUsedMiB: Math.round(mem.heapUsed / 2 ** 20),
  };
  log(
    `queries: analysis loaded in ${loadMs} ms (read ${loadTimes.readMs} ms, build ${loadTimes.buildMs} ms), RSS ${load.rssAfterLoadMiB} MiB`,
  );

  const questions = sampleQuestions(analysis, `bench/${seed}`, { methods: methodCount, other: otherCount });
  const invokeQs = questions.filter((q) => q.action === 'execute-api:Invoke');
  const otherQs = questions.filter((q) => q.action !== 'execute-api:Invoke');
  const resources = statementResources(analysis.model);

  // Warm-up (JIT, lazily compiled matchers): the first questions of the sample, once each, not measured.
  const warmCount = Math.min(num('BENCH_WARMUP', 20), invokeQs.length);
  log(`queries: ${invokeQs.length} who-can-invoke and ${otherQs.length} who-can questions; warm-up on ${warmCount}`);
  const coldMs: number[] = [];
  for (const q of invokeQs.slice(0, warmCount)) {
    const t = performance.now();
    await service.whoCanInvoke({ requestArn: q.resource });
    coldMs.push(performance.now() - t);
  }
  for (const q of otherQs.slice(0, Math.min(5, otherQs.length))) await service.whoCan(q.action, q.resource);

  // Measured pass: every question, one at a time (one core); the answers tag the questions.
  log('queries: measured pass');
  const timed: TimedQuestion[] = [];
  // Only what the bench needs of each answer is kept (its summary, tags and the roles it lists), so that the
  // live heap measured after the questions is whocan's, not answers the bench holds on to.
  const kept: { summary: Summary; rolesInAnswer: number }[] = [];
  const rolesOf = (answer: WhoCanAnswer) => answer.principals.filter((p) => p.type === 'role' && p.hops <= DEFAULT_MAX_HOPS - 1).length;
  const passGc = gcMeter();
  const measured = await profiled(profileFile, async () => {
    const started = performance.now();
    for (const [i, q] of invokeQs.entries()) {
      const t = performance.now();
      const answer = await service.whoCanInvoke({ requestArn: q.resource });
      const ms = performance.now() - t;
      kept.push({ summary: summarise(answer), rolesInAnswer: rolesOf(answer) });
      timed.push({
        action: q.action,
        resource: q.resource,
        tags: tagsOf(q, answer, resources),
        principals: answer.principals.length,
        maxHops: answer.principals.reduce((m, p) => Math.max(m, p.hops), 0),
        candidates: answer.stats.candidates,
        decisions: answer.stats.decisions,
        ...(i < warmCount ? { firstMs: coldMs[i] } : {}),
        ms,
      });
      if ((i + 1) % 25 === 0) log(`queries: ${i + 1}/${invokeQs.length}`);
    }
    const invokeTotal = performance.now() - started;
    const other: { tags: string[]; ms: number }[] = [];
    const otherStarted = performance.now();
    for (const q of otherQs) {
      const t = performance.now();
      await service.whoCan(q.action, q.resource);
      other.push({ tags: [q.why], ms: performance.now() - t });
    }
    return { invokeTotal, other, otherTotal: performance.now() - otherStarted };
  });
  const { invokeTotal, other, otherTotal } = measured.value;
  const measuredGc = passGc.stop();
  const rssAfterQuestionsMiB = maxRssMiB();
  const liveHeapMiB = liveHeapAfterGc();

  // The same who-can-invoke questions without the answer's paths: the decisions and the role-graph walk
  // only (src/analysis reach()), to show what path enumeration costs; each next to a full answer again, so
  // that both see the same machine load.
  log('queries: reach-only pass (no paths), interleaved with full answers');
  const reachMs: number[] = [];
  const againMs: number[] = [];
  for (const item of timed) {
    let t = performance.now();
    reach(analysis, analysis.target(item.action, item.resource), {});
    reachMs.push(performance.now() - t);
    t = performance.now();
    await service.whoCanInvoke({ requestArn: item.resource });
    againMs.push(performance.now() - t);
  }

  // Brute force, until the budget is spent.
  log(`queries: brute force (budget ${Math.round(budgetMs / 1000)} s)`);
  const brute = new BruteForce(analysis);
  const bruteStarted = performance.now();
  const deadline = bruteStarted + budgetMs;
  const bq: BruteQuestion[] = [];
  const grantTimes: number[] = [];
  // Cheapest first (the roles an answer needs are the roles whocan lists within maxHops - 1 hops), so that
  // the budget verifies as many questions as it can; the costly ones left are extrapolated, and labelled so.
  const order = timed.map((_, i) => i).sort((a, b) => (kept[a]?.rolesInAnswer ?? 0) - (kept[b]?.rolesInAnswer ?? 0) || a - b);
  for (const i of order) {
    const item = timed[i] as TimedQuestion;
    const { summary, rolesInAnswer } = kept[i] as { summary: Summary; rolesInAnswer: number };
    if (performance.now() > deadline) {
      bq.push({ resource: item.resource, tags: item.tags, whocanMs: item.ms, rolesNeeded: rolesInAnswer });
      continue;
    }
    const t = performance.now();
    const r = brute.answer(item.action, item.resource, DEFAULT_MAX_HOPS, deadline);
    const amortisedMs = performance.now() - t;
    grantTimes.push(r.grantMs);
    if (!r.summary) {
      bq.push({ resource: item.resource, tags: item.tags, whocanMs: item.ms, rolesNeeded: rolesInAnswer });
      continue;
    }
    const coldMs = r.grantMs + r.rolesNeeded.reduce((s, role) => s + (brute.roleCostMs.get(role) ?? 0), 0);
    const diff = differences(summary, r.summary);
    bq.push({
      resource: item.resource,
      tags: item.tags,
      whocanMs: item.ms,
      coldMs,
      amortisedMs,
      rolesNeeded: r.rolesNeeded.length,
      identical: diff.length === 0,
      ...(diff.length ? { differences: diff.slice(0, 10) } : {}),
    });
    if (diff.length) log(`queries: brute force DIFFERS on ${item.resource}: ${diff.slice(0, 3).join('; ')}`);
    if ((bq.length % 10 === 0 || bq.length < 5) && bq.length > 0)
      log(
        `queries: brute force ${bq.length}/${timed.length}, ${brute.rolesDecided} roles decided, ${Math.round((performance.now() - bruteStarted) / 1000)} s`,
      );
  }
  const spentMs = performance.now() - bruteStarted;
  const roleCosts = [...brute.roleCostMs.values()];
  const meanRoleMs = roleCosts.length ? roleCosts.reduce((s, x) => s + x, 0) / roleCosts.length : 0;
  const meanGrantMs = grantTimes.length ? grantTimes.reduce((s, x) => s + x, 0) / grantTimes.length : 0;
  for (const q of bq) if (q.coldMs === undefined) q.extrapolatedMs = meanGrantMs + q.rolesNeeded * meanRoleMs;
  const verified = bq.filter((q) => q.coldMs !== undefined);
  const ratio = (q: BruteQuestion) => (q.coldMs ?? q.extrapolatedMs ?? 0) / Math.max(q.whocanMs, 0.001);
  const signedAll = bq.filter((q) => !q.tags.some((t) => t.startsWith('unsigned') || t.startsWith('public')));
  const signedVerified = signedAll.filter((q) => q.coldMs !== undefined);
  const gcTotals = gc.stop();
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const out: QueryBenchResult = {
    load,
    universe: {
      callers: analysis.universe.all.length,
      roles: analysis.model.roles.length,
      users: analysis.model.users.length,
      methods: analysis.model.rows.methods.length,
    },
    invoke: {
      overall: percentiles(timed.map((t) => t.ms)),
      throughputPerSecond: Math.round((timed.length / invokeTotal) * 1000 * 10) / 10,
      cold: percentiles(coldMs),
      byTag: byTag(timed),
      reachOnly: percentiles(reachMs),
      fullAgain: percentiles(againMs),
      msPerThousandPrincipals: percentiles(timed.filter((t) => t.principals >= 100).map((t) => (t.ms / t.principals) * 1000)),
      questions: timed.map((t) => ({ ...t, ms: r2(t.ms), ...(t.firstMs !== undefined ? { firstMs: r2(t.firstMs) } : {}) })),
    },
    measuredPass: {
      gcMs: measuredGc.gcMs,
      wallMs: Math.round(invokeTotal + otherTotal),
      rssAfterQuestionsMiB,
      ...(liveHeapMiB !== undefined ? { liveHeapMiB } : {}),
    },
    whoCan: {
      overall: percentiles(other.map((o) => o.ms)),
      throughputPerSecond: Math.round((other.length / Math.max(otherTotal, 0.001)) * 1000 * 10) / 10,
      byTag: byTag(other),
    },
    bruteForce: {
      budgetMs,
      spentMs: Math.round(spentMs),
      verified: verified.length,
      identical: verified.filter((q) => q.identical).length,
      extrapolated: bq.length - verified.length,
      engineCalls: brute.engineCalls,
      rolesDecided: brute.rolesDecided,
      meanRoleMs: r2(meanRoleMs),
      meanGrantMs: r2(meanGrantMs),
      medianSpeedup: Math.round(median(verified.map(ratio))),
      speedupOfMedians: Math.round(
        median(verified.map((q) => q.coldMs as number)) / Math.max(0.001, median(verified.map((q) => q.whocanMs))),
      ),
      amortisedSpeedup: Math.round(
        verified.reduce((s, q) => s + (q.amortisedMs ?? 0), 0) /
          Math.max(
            0.001,
            verified.reduce((s, q) => s + q.whocanMs, 0),
          ),
      ),
      medianSpeedupWithExtrapolated: Math.round(median(bq.map(ratio))),
      signed: {
        verified: signedVerified.length,
        medianSpeedup: Math.round(median(signedVerified.map(ratio))),
        extrapolated: signedAll.length - signedVerified.length,
        medianSpeedupWithExtrapolated: Math.round(median(signedAll.map(ratio))),
      },
      questions: bq.map((q) => ({
        ...q,
        whocanMs: r2(q.whocanMs),
        ...(q.coldMs !== undefined ? { coldMs: Math.round(q.coldMs) } : {}),
        ...(q.amortisedMs !== undefined ? { amortisedMs: Math.round(q.amortisedMs) } : {}),
        ...(q.extrapolatedMs !== undefined ? { extrapolatedMs: Math.round(q.extrapolatedMs) } : {}),
      })),
    },
    gcMs: gcTotals.gcMs,
    maxRssMiB: maxRssMiB(),
    ...(measured.profile ? { profile: measured.profile } : {}),
  };
  await graph.close();
  reportResult(out);
}

main().catch((error: unknown) => {
  process.stderr.write(`queryWorker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
