/**
 * The bench's report: Markdown tables (pasted as they are into
 * docs/performance.md) and the targets of the performance issue.
 */
import type { BenchResult } from './run';
import type { Percentiles } from './shared';

export interface TargetCheck {
  target: string;
  measured: string;
  /** 'estimate': judged on an extrapolation only (labelled in `measured`). */
  met: boolean | 'estimate';
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (x: number) => (x >= 100 ? `${n(x)} ms` : `${x.toFixed(x >= 10 ? 1 : 2)} ms`);

export function targetsOf(r: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const ratio = r.ingest.wallMs / Math.max(1, r.floor.wallMs);
  const inv = r.queries.invoke.overall;
  const peak = Math.max(r.ingest.maxRssMiB, r.queries.measuredPass.rssAfterQuestionsMiB);
  return [
    { target: 'ingest within 3 × the floor', measured: `${ratio.toFixed(2)} × (${s(r.ingest.wallMs)} / ${s(r.floor.wallMs)})`, met: ratio <= 3 },
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
      const met: boolean | 'estimate' = bf.signed.extrapolated === 0 ? bf.signed.medianSpeedup >= 1000 : bf.signed.medianSpeedupWithExtrapolated >= 1000 ? 'estimate' : false;
      return { target: 'at least 1,000 × faster than brute force', measured, met };
    })(),
    { target: 'policy engine ≥ 200,000 decisions/s (one core)', measured: `${n(r.policyEngine.decisionsPerSecond)}/s`, met: r.policyEngine.decisionsPerSecond >= 200_000 },
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
  ];
}

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const pRow = (name: string, p: Percentiles) => [name, p.count, ms(p.median), ms(p.p95), ms(p.p99), ms(p.max)];

export function renderReport(r: BenchResult): string {
  const q = r.queries;
  const bf = q.bruteForce;
  const out: string[] = [];
  out.push(
    `\n## whocan benchmark: ${r.preset} preset (seed ${r.seed}), ${r.measuredAt}\n`,
    `Machine: ${r.machine['cpus']} cores (${r.machine['cpuModel']}), ${r.machine['memoryGiB']} GiB, Node ${r.machine['node']}. ` +
      `Load average (1/5/15 min): start ${r.load.atStart.join(' ')}, before ingest ${r.load.beforeIngest.join(' ')}, before questions ${r.load.beforeQueries.join(' ')}, end ${r.load.atEnd.join(' ')}. ` +
      `Neo4j: heap ${r.settings['neo4jHeap']}, page cache ${r.settings['neo4jPageCache']}. Bench wall time ${s(r.wallMs)}.\n`,
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
        ['ratio ingest / floor', `${(r.ingest.wallMs / r.floor.wallMs).toFixed(2)} ×`, '', '', '', `write phase alone / floor: ${(r.ingest.writeMs / r.floor.wallMs).toFixed(2)} ×`],
      ],
    ),
    '',
    `${n(r.ingest.nodes)} nodes, ${n(r.ingest.relationships)} relationships (${n(r.ingest.canAssume)} CAN_ASSUME), ${n(r.ingest.principals)} principals, ${n(r.ingest.methods)} methods; ` +
      `stored properties ≈ ${r.ingest.nodePropertyBytes} B per node, ${r.ingest.relationshipPropertyBytes} B per relationship (the floor writes the same). ` +
      `Slowest write steps: ${r.ingest.steps.slice(0, 4).map((st) => `${st.name} ${s(st.ms)} (${n(st.rows)} rows)`).join(', ')}.\n`,
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
        ['signed (AWS_IAM) methods: speed-up, median per question (measured)', `${n(bf.signed.medianSpeedup)} × (${bf.signed.verified} verified)`],
        ['signed methods: median incl. extrapolated (estimate)', bf.signed.extrapolated ? `${n(bf.signed.medianSpeedupWithExtrapolated)} × (${bf.signed.extrapolated} extrapolated)` : '—'],
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
  const pc = r.storeAtEnd.pageCache;
  out.push(
    '### Policy engine and Neo4j\n',
    table(
      ['', 'value'],
      [
        ['policy engine, concrete decisions/s (one core)', n(r.policyEngine.decisionsPerSecond)],
        ['policy engine, API Gateway flow decisions/s', n(r.policyEngine.apiGatewayDecisionsPerSecond)],
        ['policy engine, analysis-mode decisions/s', n(r.policyEngine.analysisDecisionsPerSecond)],
        ['Neo4j store after the ingest (database / transaction logs)', `${((r.storeAfterIngest.storeBytes ?? 0) / 2 ** 20).toFixed(0)} MiB / ${((r.storeAfterIngest.transactionLogBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`],
        ['Neo4j store at the end (with the floor\'s data)', `${((r.storeAtEnd.storeBytes ?? 0) / 2 ** 20).toFixed(0)} MiB / ${((r.storeAtEnd.transactionLogBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`],
        ['page-cache hit ratio', !pc ? 'n/a' : 'unavailable' in pc ? `not exposed: ${pc.unavailable}` : `${(pc.hitRatio * 100).toFixed(2)} % (${n(pc.hits)} hits, ${n(pc.faults)} faults)`],
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
