/**
 * The bench's report: Markdown tables (pasted as they are into
 * docs/performance.md) and the targets of the performance issue.
 */
import type { BenchResult, IndexBench } from './run';
import { percentiles, type Percentiles } from './shared';

export interface TargetCheck {
  target: string;
  measured: string;
  /** 'estimate': judged on an extrapolation only (labelled in `measured`). */
  met: boolean | 'estimate';
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A machine or settings value of the JSON report, as text. */
const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? 'unknown');
const ms = (x: number) => (x >= 100 ? `${n(x)} ms` : `${x.toFixed(x >= 10 ? 1 : 2)} ms`);

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The per-question analysis' figures for the questions the index answered (same ARNs, same run). */
export function analysisBeside(
  r: Omit<BenchResult, 'targets'>,
  ix: IndexBench,
): { analysis: Percentiles; medianRatio: number; p99Ratio: number; medianOfRatios: number } {
  const byResource = new Map(r.queries.invoke.questions.map((q) => [q.resource, q.ms]));
  const pairs = ix.questions.whoCanInvoke.questions.flatMap((q) => {
    const a = byResource.get(q.resource);
    return a === undefined ? [] : [{ analysis: a, index: q.ms }];
  });
  const analysis = percentiles(pairs.map((p) => p.analysis));
  const index = percentiles(pairs.map((p) => p.index));
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    analysis,
    medianRatio: r2(analysis.median / Math.max(index.median, 0.001)),
    p99Ratio: r2(analysis.p99 / Math.max(index.p99, 0.001)),
    medianOfRatios: r2(percentiles(pairs.map((p) => p.analysis / Math.max(p.index, 0.001))).median),
  };
}

/** The access index's targets (the issue gives them for the large preset; they are judged on whatever preset ran). */
function indexTargets(r: Omit<BenchResult, 'targets'>, ix: IndexBench): TargetCheck[] {
  const b = ix.build;
  const buildMs = b.computeMs + b.writeMs;
  const vi = ix.variant.ingest;
  const first = ix.questions.whoCanInvoke.firstPage;
  const beside = analysisBeside(r, ix);
  const inv = ix.questions.invocable;
  const diff = ix.questions.accessDiff;
  const serverRss = ix.http.serverMaxRssMiB;
  return [
    {
      target: 'index build ≤ 60 s (compute + write)',
      measured: `${s(buildMs)} (compute ${s(b.computeMs)} on ${b.threads} threads, write ${s(b.writeMs)}; reading the snapshot first ${s(b.loadMs)}); within ingest --index: ${vi.index ? `${s(vi.index.computeMs + vi.index.writeMs)}` : 'n/a'}`,
      met: buildMs <= 60_000,
    },
    {
      target: 'whole ingest with the index ≤ 3 min',
      measured: `${s(vi.wallMs)} (ingest --index of the variant snapshot)`,
      met: vi.wallMs <= 180_000,
    },
    {
      target: 'store with the index ≤ 2 × the snapshot',
      measured: `${ix.size.ratio.bytes} × bytes (${mib(ix.size.snapshot.bytes)} + ${mib(ix.size.index.bytes)}), ${ix.size.ratio.relationships} × relationships, ${ix.size.ratio.nodes} × nodes`,
      met: ix.size.ratio.bytes <= 2 && ix.size.ratio.relationships <= 2,
    },
    {
      target: 'whoCanInvoke first page (100 principals with paths) from the index: median ≤ 5 ms',
      measured: `${ms(first.median)} (${first.count} questions; the analysis: ${ms(beside.analysis.median)}, ${beside.medianRatio} ×)`,
      met: first.count > 0 && first.median <= 5,
    },
    {
      target: 'whoCanInvoke first page from the index: p99 ≤ 25 ms',
      measured: `${ms(first.p99)} (the analysis: ${ms(beside.analysis.p99)}, ${beside.p99Ratio} ×)`,
      met: first.count > 0 && first.p99 <= 25,
    },
    ...(inv
      ? [
          {
            target: 'invocable from the index: p99 ≤ 250 ms',
            measured: `${ms(inv.overall.p99)} (${inv.answered} principals, up to ${n(Math.max(0, ...inv.questions.map((q) => q.rolesReached)))} roles reached)`,
            met: inv.answered > 0 && inv.overall.p99 <= 250,
          },
        ]
      : []),
    {
      target: 'whole-organization review (not-public + no-outside-org, every method) ≤ 30 s',
      measured: s(ix.questions.review.wallMs),
      met: ix.questions.review.wallMs <= 30_000,
    },
    'skipped' in diff
      ? { target: 'accessDiff between two indexed snapshots ≤ 30 s', measured: `not measured: ${diff.skipped}`, met: false }
      : {
          target: 'accessDiff between two indexed snapshots (1 % of the policies changed) ≤ 30 s',
          measured: s(diff.wallMs),
          met: diff.wallMs <= 30_000,
        },
    {
      target: 'one-shot CLI who-can-invoke ≤ 2 s wall',
      measured: `median ${s(ix.cli.wall.median)}, max ${s(ix.cli.wall.max)} (${ix.cli.wall.count} questions)`,
      met: ix.cli.wall.count > 0 && ix.cli.failures === 0 && ix.cli.wall.max <= 2000,
    },
    {
      target: 'peak RSS of the serving process answering from the index ≤ 1.5 GiB',
      measured: `GraphQL server ${serverRss !== undefined ? `${n(serverRss)} MiB` : 'not measured'}; index-questions process ${n(ix.questions.maxRssMiB)} MiB`,
      met: serverRss !== undefined && serverRss <= 1536 && ix.questions.maxRssMiB <= 1536,
    },
  ];
}

export function targetsOf(r: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const ratio = r.ingest.wallMs / Math.max(1, r.floor.wallMs);
  const inv = r.queries.invoke.overall;
  const peak = Math.max(r.ingest.maxRssMiB, r.queries.measuredPass.rssAfterQuestionsMiB);
  return [
    {
      target: 'ingest within 3 × the floor',
      measured: `${ratio.toFixed(2)} × (${s(r.ingest.wallMs)} / ${s(r.floor.wallMs)})`,
      met: ratio <= 3,
    },
    { target: 'ingest under 3 minutes', measured: s(r.ingest.wallMs), met: r.ingest.wallMs < 180_000 },
    {
      target: 'peak Node memory under 2 GiB',
      measured: `ingest ${n(r.ingest.maxRssMiB)} MiB, questions ${n(r.queries.measuredPass.rssAfterQuestionsMiB)} MiB${
        r.queries.measuredPass.liveHeapMiB !== undefined ? ` (live heap ${n(r.queries.measuredPass.liveHeapMiB)} MiB)` : ''
      }${r.http.serverMaxRssMiB ? `, server ${n(r.http.serverMaxRssMiB)} MiB` : ''} (brute-force process ${n(r.queries.maxRssMiB)} MiB, not whocan)`,
      met: peak < 2048 && (r.http.serverMaxRssMiB ?? 0) < 2048,
    },
    { target: 'whoCanInvoke median under 20 ms (service layer, paths, maxHops 5)', measured: ms(inv.median), met: inv.median < 20 },
    { target: 'whoCanInvoke p99 under 100 ms', measured: ms(inv.p99), met: inv.p99 < 100 },
    (() => {
      const bf = r.queries.bruteForce;
      const measured = `median per question, signed (AWS_IAM) methods: ${bf.signed.verified ? `${n(bf.signed.medianSpeedup)} × measured (${bf.signed.verified} verified)` : 'none verified within the budget'}${
        bf.signed.extrapolated ? `, ${n(bf.signed.medianSpeedupWithExtrapolated)} × with ${bf.signed.extrapolated} extrapolated` : ''
      }; all methods ${n(bf.medianSpeedup)} × measured (${bf.verified} verified)`;
      const met: boolean | 'estimate' =
        bf.signed.extrapolated === 0
          ? bf.signed.medianSpeedup >= 1000
          : bf.signed.medianSpeedupWithExtrapolated >= 1000
            ? 'estimate'
            : false;
      return { target: 'at least 1,000 × faster than brute force', measured, met };
    })(),
    {
      target: 'policy engine ≥ 200,000 decisions/s (one core)',
      measured: `${n(r.policyEngine.decisionsPerSecond)}/s`,
      met: r.policyEngine.decisionsPerSecond >= 200_000,
    },
    ...(r.http.load
      ? [
          (() => {
            const l = r.http.load;
            const failures = l.errors + l.non2xx + l.timeouts;
            return {
              target: `sustained load: ${l.seconds} s at ${l.connections} connections, zero errors`,
              measured: `${n(l.requests)} requests, ${l.throughput} req/s, p99 ${l.latencyMs.p99} ms, errors/non-2xx/timeouts ${l.errors}/${l.non2xx}/${l.timeouts}`,
              met: failures === 0,
            };
          })(),
        ]
      : []),
    ...(r.index ? indexTargets(r, r.index) : []),
  ];
}

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const pRow = (name: string, p: Percentiles) => [name, p.count, ms(p.median), ms(p.p95), ms(p.p99), ms(p.max)];

function renderIndex(r: BenchResult, ix: IndexBench): string[] {
  const b = ix.build;
  const vi = ix.variant.ingest;
  const q = ix.questions;
  const w = q.whoCanInvoke;
  const beside = analysisBeside(r, ix);
  const size = (x: { nodes: number; relationships: number; bytes: number }) => [n(x.nodes), n(x.relationships), mib(x.bytes)];
  const misses = Object.entries(w.misses)
    .map(([why, count]) => `${count} ${why}`)
    .join(', ');
  const out: string[] = [
    '### Access index\n',
    `Built for the measured snapshot as \`whocan index\` builds it (bench/indexWorker.ts): snapshot read from the graph ${s(b.loadMs)}, computed in ${s(b.computeMs)} on ${b.threads} threads (${n(b.decisions)} engine decisions, ${n(b.reusedDecisions)} reused; ${n(b.targets)} targets, ${n(b.decided)} decided, ${n(b.sets)} distinct answers, ${n(b.classes)} caller classes), written in ${s(b.writeMs)} (${n(b.accessRelationships)} class × answer relationships); peak RSS ${n(b.maxRssMiB)} MiB. ` +
      `The variant snapshot (${ix.variant.changed} of ${n(ix.variant.policies)} identity policies changed: ${ix.variant.conditionAdded} Allow statements got a condition, ${ix.variant.conditionRemoved} lost theirs) ingested with the index as \`whocan ingest --index\` runs: ${s(vi.wallMs)} (read+validate ${s(vi.readMs)}, derive ${s(vi.deriveMs)}, write ${s(vi.writeMs)}${vi.index ? `, of which the index: compute ${s(vi.index.computeMs)} on ${vi.index.threads} threads, write ${s(vi.index.writeMs)}` : ''}), peak RSS ${n(vi.maxRssMiB)} MiB.\n`,
    table(
      ['store', 'nodes', 'relationships', 'bytes on disk'],
      [
        ['the snapshot (plain ingest)', ...size(ix.size.snapshot)],
        ['its access index', ...size(ix.size.index)],
        ['(snapshot + index) / snapshot', `${ix.size.ratio.nodes} ×`, `${ix.size.ratio.relationships} ×`, `${ix.size.ratio.bytes} ×`],
      ],
    ),
    '',
    `The questions, through the service layer, in a process that never loads the analysis (bench/indexQueryWorker.ts)${q.analysisLoaded.length ? `; **the analysis was loaded by: ${q.analysisLoaded.join(', ')}**` : ''}. ` +
      `whoCanInvoke: ${w.answered} of the ${w.asked} sampled questions answered by the index${misses ? ` (left to the analysis: ${misses})` : ''}, each timed as GraphQL asks it (the answer with lazy paths, then the paths of the first ${100} principals); beside it, the same questions answered by the per-question analysis earlier in this run (whole answer, every principal's paths).\n`,
    table(
      ['question', 'count', 'median', 'p95', 'p99', 'max'],
      [
        pRow('**whoCanInvoke first page, from the index**', w.firstPage),
        pRow('whoCanInvoke, the same questions by the analysis', beside.analysis),
        pRow('answerFromIndex alone (warm-up pass, no paths)', w.warmUp),
        ...(q.invocable
          ? [
              pRow('**invocable, from the index**', q.invocable.overall),
              pRow('invocable: principals with the most CAN_ASSUME', q.invocable.mostAssume),
              pRow('invocable: random principals', q.invocable.random),
            ]
          : []),
      ],
    ),
    '',
    `Analysis / index: medians ${beside.medianRatio} ×, p99 ${beside.p99Ratio} ×, median per question ${beside.medianOfRatios} ×.` +
      (q.invocable
        ? ` invocable: ${q.invocable.answered} of ${q.invocable.asked} principals answered by the index${q.invocable.misses.length ? ` (${q.invocable.misses.length} left to the analysis)` : ''}; roles reached up to ${n(Math.max(0, ...q.invocable.questions.map((x) => x.rolesReached)))}, methods up to ${n(Math.max(0, ...q.invocable.questions.map((x) => x.methods)))}.`
        : '') +
      '\n',
    table(
      ['whole-organization question', 'wall', 'detail'],
      [
        [
          'review: not-public + no-outside-org on `invoke: { api: "*" }` (IndexAccessSource)',
          s(q.review.wallMs),
          `${q.review.rules.map((x) => `${x.id}: ${x.status}, ${n(x.questions)} questions, ${n(x.violations)} violations, from the ${x.answeredFrom}`).join('; ')}; JSON report ${n(q.review.jsonBytes / 1024)} KiB`,
        ],
        'skipped' in q.accessDiff
          ? ['accessDiff', 'not measured', q.accessDiff.skipped]
          : [
              'accessDiff, variant → measured snapshot (both indexed)',
              s(q.accessDiff.wallMs),
              `${n(q.accessDiff.gained)} gained, ${n(q.accessDiff.lost)} lost, ${n(q.accessDiff.changed)} changed`,
            ],
        [
          `one-shot CLI: \`${ix.cli.command}\` (a new process each)`,
          `median ${s(ix.cli.wall.median)}, max ${s(ix.cli.wall.max)}`,
          `${ix.cli.wall.count} questions, ${ix.cli.failures} failed, ${ix.cli.questions.filter((x) => x.loadedSnapshot).length} read the whole snapshot`,
        ],
      ],
    ),
    '',
  ];
  if (!ix.http.available) out.push(`GraphQL server answering from the index: not measured (${ix.http.reason}).\n`);
  else {
    out.push(
      `GraphQL server answering from the index (the same server and query as above, the ${n(q.whoCanInvoke.answered)} questions the index answers): first request ${s(ix.http.serverLoadMs ?? 0)}; **peak RSS ${n(ix.http.serverMaxRssMiB ?? 0)} MiB**.\n`,
      table(
        ['connections', 'requests', 'req/s', 'median', 'p99', 'max', 'errors/non-2xx/timeouts'],
        [...(ix.http.levels ?? []), ...(ix.http.load ? [ix.http.load] : [])].map((l) => [
          'seconds' in l ? `${l.connections} (sustained, ${text(l.seconds)} s)` : l.connections,
          n(l.requests),
          l.throughput,
          `${l.latencyMs.median} ms`,
          `${l.latencyMs.p99} ms`,
          `${l.latencyMs.max} ms`,
          `${l.errors}/${l.non2xx}/${l.timeouts}`,
        ]),
      ),
      '',
    );
  }
  return out;
}

export function renderReport(r: BenchResult): string {
  const q = r.queries;
  const bf = q.bruteForce;
  const out: string[] = [];
  out.push(
    `\n## whocan benchmark: ${r.preset} preset (seed ${r.seed}), ${r.measuredAt}\n`,
    `Machine: ${text(r.machine['cpus'])} cores (${text(r.machine['cpuModel'])}), ${text(r.machine['memoryGiB'])} GiB, Node ${text(r.machine['node'])}. ` +
      `Load average (1/5/15 min): start ${r.load.atStart.join(' ')}, before ingest ${r.load.beforeIngest.join(' ')}, before questions ${r.load.beforeQueries.join(' ')}, end ${r.load.atEnd.join(' ')}. ` +
      `Neo4j: heap ${text(r.settings['neo4jHeap'])}, page cache ${text(r.settings['neo4jPageCache'])}. Bench wall time ${s(r.wallMs)}.\n`,
    '### Ingest and floor\n',
    table(
      ['', 'wall', 'entities/s', 'peak RSS', 'GC', 'phases'],
      [
        [
          'whocan ingest',
          s(r.ingest.wallMs),
          n((r.ingest.nodes + r.ingest.relationships) / (r.ingest.wallMs / 1000)),
          `${n(r.ingest.maxRssMiB)} MiB`,
          s(r.ingest.gcMs),
          `read+validate ${s(r.ingest.readMs)}, derive ${s(r.ingest.deriveMs)}, write ${s(r.ingest.writeMs)}${r.ingest.index ? ` (of which access index: compute ${s(r.ingest.index.computeMs)}, write ${s(r.ingest.index.writeMs)}; ${r.ingest.index.targets.toLocaleString('en-US')} targets, ${r.ingest.index.decided.toLocaleString('en-US')} decided, ${r.ingest.index.sets.toLocaleString('en-US')} answers, ${r.ingest.index.accessRelationships.toLocaleString('en-US')} class × answer relationships)` : ''}`,
        ],
        [
          'floor (UNWIND … CREATE)',
          s(r.floor.wallMs),
          n((r.floor.nodes + r.floor.relationships) / (r.floor.wallMs / 1000)),
          `${n(r.floor.maxRssMiB)} MiB`,
          s(r.floor.gcMs),
          `nodes ${s(r.floor.nodeMs)}, relationships ${s(r.floor.relationshipMs)}`,
        ],
        [
          'ratio ingest / floor',
          `${(r.ingest.wallMs / r.floor.wallMs).toFixed(2)} ×`,
          '',
          '',
          '',
          `write phase alone / floor: ${(r.ingest.writeMs / r.floor.wallMs).toFixed(2)} ×`,
        ],
      ],
    ),
    '',
    `${n(r.ingest.nodes)} nodes, ${n(r.ingest.relationships)} relationships (${n(r.ingest.canAssume)} CAN_ASSUME), ${n(r.ingest.principals)} principals, ${n(r.ingest.methods)} methods; ` +
      `stored properties ≈ ${r.ingest.nodePropertyBytes} B per node, ${r.ingest.relationshipPropertyBytes} B per relationship (the floor writes the same). ` +
      `Slowest write steps: ${r.ingest.steps
        .slice(0, 4)
        .map((st) => `${st.name} ${s(st.ms)} (${n(st.rows)} rows)`)
        .join(', ')}.\n`,
    '### Questions through the service layer (AnalysisService, one at a time, after a warm-up)\n',
    `Analysis load from the graph: ${s(q.load.ms)} (read ${s(q.load.readMs)}, build ${s(q.load.buildMs)}), RSS after load ${n(q.load.rssAfterLoadMiB)} MiB. ` +
      `${n(q.universe.callers)} callers, ${n(q.universe.roles)} roles, ${n(q.universe.methods)} methods.\n`,
    table(
      ['question', 'count', 'median', 'p95', 'p99', 'max'],
      [
        pRow('**whoCanInvoke, all**', q.invoke.overall),
        ...Object.entries(q.invoke.byTag).map(([tag, p]) => pRow(`whoCanInvoke: ${tag}`, p)),
        pRow('whoCanInvoke, first ask of the warm-up questions (cold)', q.invoke.cold),
        pRow('whoCanInvoke without paths (decisions + role walk only)', q.invoke.reachOnly),
        pRow('whoCanInvoke again, interleaved with the line above', q.invoke.fullAgain),
        pRow('**whoCan, all**', q.whoCan.overall),
        ...Object.entries(q.whoCan.byTag).map(([tag, p]) => pRow(`whoCan: ${tag}`, p)),
      ],
    ),
    '',
    `Throughput on one core: whoCanInvoke ${q.invoke.throughputPerSecond}/s, whoCan ${q.whoCan.throughputPerSecond}/s. ` +
      `Cost per principal listed (answers of 100 principals or more): median ${q.invoke.msPerThousandPrincipals.median} ms per 1,000 principals. ` +
      `Measured passes: ${s(q.measuredPass.wallMs)}, of which GC ${s(q.measuredPass.gcMs)} (${Math.round((q.measuredPass.gcMs / Math.max(1, q.measuredPass.wallMs)) * 100)} %); ` +
      `peak RSS ${n(q.measuredPass.rssAfterQuestionsMiB)} MiB after the questions${q.measuredPass.liveHeapMiB !== undefined ? ` (live heap after a full GC: ${n(q.measuredPass.liveHeapMiB)} MiB)` : ''}, ${n(q.maxRssMiB)} MiB with brute force.\n`,
    '### Brute force (the engine asked about every principal, role by role, memoised across questions)\n',
    table(
      ['', 'value'],
      [
        ['questions verified / identical', `${bf.verified} / ${bf.identical}${bf.verified !== bf.identical ? ' — DIFFERENCES' : ''}`],
        ['questions past the budget (extrapolated)', `${bf.extrapolated} (budget ${s(bf.budgetMs)}, spent ${s(bf.spentMs)})`],
        ['engine calls', n(bf.engineCalls)],
        ['roles decided (every caller asked)', `${n(bf.rolesDecided)}, mean ${ms(bf.meanRoleMs)} per role`],
        ['every caller on the method itself', `mean ${ms(bf.meanGrantMs)} per question`],
        ['speed-up, median per question (measured, cold)', `${n(bf.medianSpeedup)} ×`],
        ['speed-up, median brute force / median whocan', `${n(bf.speedupOfMedians)} ×`],
        ['speed-up, total as run (memoised roles)', `${n(bf.amortisedSpeedup)} ×`],
        ['speed-up, median incl. extrapolated questions (estimate)', bf.extrapolated ? `${n(bf.medianSpeedupWithExtrapolated)} ×` : '—'],
        [
          'signed (AWS_IAM) methods: speed-up, median per question (measured)',
          `${n(bf.signed.medianSpeedup)} × (${bf.signed.verified} verified)`,
        ],
        [
          'signed methods: median incl. extrapolated (estimate)',
          bf.signed.extrapolated ? `${n(bf.signed.medianSpeedupWithExtrapolated)} × (${bf.signed.extrapolated} extrapolated)` : '—',
        ],
      ],
    ),
    '',
  );
  out.push('### GraphQL over HTTP (autocannon, real server, API token)\n');
  if (!r.http.available) out.push(`Not measured: ${r.http.reason}.\n`);
  else {
    out.push(
      `Server: analysis loaded by its first request in ${s(r.http.serverLoadMs ?? 0)}; each level sends the ${n(r.queries.invoke.questions.length)} who-can-invoke questions of the sample ${r.http.rounds ?? 1} time(s), handed out in turn to the free connections; server peak RSS ${n(r.http.serverMaxRssMiB ?? 0)} MiB. autocannon runs on the same 2 cores.\n`,
      table(
        ['connections', 'requests', 'req/s', 'median', 'p90', 'p97.5', 'p99', 'max', 'errors/non-2xx/timeouts', 'bytes/response'],
        (r.http.levels ?? []).map((l) => [
          l.connections,
          n(l.requests),
          l.throughput,
          `${l.latencyMs.median} ms`,
          `${l.latencyMs.p90} ms`,
          `${l.latencyMs.p97_5} ms`,
          `${l.latencyMs.p99} ms`,
          `${l.latencyMs.max} ms`,
          `${l.errors}/${l.non2xx}/${l.timeouts}`,
          n(l.bytesPerResponse),
        ]),
      ),
      '',
    );
    const l = r.http.load;
    if (l) {
      out.push(
        `Sustained load: ${l.seconds} s at ${l.connections} connections, the sample's questions in turn: ${n(l.requests)} requests, ${l.throughput} req/s, median ${l.latencyMs.median} ms, p99 ${l.latencyMs.p99} ms, max ${l.latencyMs.max} ms; errors/non-2xx/timeouts ${l.errors}/${l.non2xx}/${l.timeouts}.\n`,
      );
    }
  }
  if (r.index) out.push(...renderIndex(r, r.index));
  const pc = r.storeAtEnd.pageCache;
  out.push(
    '### Policy engine and Neo4j\n',
    table(
      ['', 'value'],
      [
        ['policy engine, concrete decisions/s (one core)', n(r.policyEngine.decisionsPerSecond)],
        ['policy engine, API Gateway flow decisions/s', n(r.policyEngine.apiGatewayDecisionsPerSecond)],
        ['policy engine, analysis-mode decisions/s', n(r.policyEngine.analysisDecisionsPerSecond)],
        [
          'Neo4j store after the ingest (database / transaction logs)',
          `${((r.storeAfterIngest.storeBytes ?? 0) / 2 ** 20).toFixed(0)} MiB / ${((r.storeAfterIngest.transactionLogBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`,
        ],
        [
          "Neo4j store at the end (with the floor's data)",
          `${((r.storeAtEnd.storeBytes ?? 0) / 2 ** 20).toFixed(0)} MiB / ${((r.storeAtEnd.transactionLogBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`,
        ],
        [
          'page-cache hit ratio',
          !pc
            ? 'n/a'
            : 'unavailable' in pc
              ? `not exposed: ${pc.unavailable}`
              : `${(pc.hitRatio * 100).toFixed(2)} % (${n(pc.hits)} hits, ${n(pc.faults)} faults)`,
        ],
      ],
    ),
    '',
    '### Targets (2 cores, 24 GiB)\n',
    table(
      ['target', 'measured', 'met'],
      r.targets.map((t) => [t.target, t.measured, t.met === 'estimate' ? 'yes, on the estimate' : t.met ? 'yes' : '**no**']),
    ),
    '',
  );
  for (const [name, p] of [
    ['ingest', r.ingest.profile],
    ['questions (measured pass)', q.profile],
    ['GraphQL server (whole run of the server)', r.http.profile],
  ] as const) {
    if (!p) continue;
    out.push(
      `### CPU profile: ${name} (${p.file})\n`,
      `${s(p.totalMs)} profiled; GC ${p.gcShare} %, idle ${p.idleShare} % (waiting on Neo4j or I/O).\n`,
      table(
        ['function', 'where', 'self', 'share'],
        p.top.map((t) => [t.fn, t.where, ms(t.selfMs), `${t.share} %`]),
      ),
      '',
      table(
        ['file', 'self', 'share'],
        p.byFile.map((f) => [f.file, ms(f.selfMs), `${f.share} %`]),
      ),
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
