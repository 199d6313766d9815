/**
 * Child process of `npm run bench`: one ingest of DIR into the bench's Neo4j,
 * as `whocan ingest` does it (SnapshotService.ingest: migrations, read and
 * validate, the analysis's derive step, then the UNWIND batches), in a process
 * of its own so that its peak RSS is the ingest's alone.
 *
 *   node dist/bench/ingestWorker.js DIR
 *
 * Reports the phase times, the per-step write times, the counts, peak RSS,
 * GC time, and the stored property bytes per node and per relationship (the
 * floor writes the same).
 */
import { migrate } from '../src/db';
import { deriveAccessRows, type AccessAnalysis } from '../src/analysis';
import { computeAccessIndex, storeAccessIndex } from '../src/services';
import { migrationsDir } from '../src/config/paths';
import { ingestSnapshot } from '../src/ingest';
import { LINK_STEPS, NODE_STEPS } from '../src/ingest/load';
import type { SnapshotRows } from '../src/model';
import { loadAnalysisSettings } from '../src/services';
import { gcMeter, log, maxRssMiB, openBenchGraph, reportResult } from './shared';

export interface IngestBenchResult {
  snapshotId: string;
  wallMs: number;
  readMs: number;
  deriveMs: number;
  /** The access index (built as SnapshotService.ingest builds it, inside the write phase): compute and write times, and its size; built only with BENCH_INDEX=true (as `whocan ingest --index`), null otherwise. */
  index: {
    computeMs: number;
    writeMs: number;
    threads: number;
    targets: number;
    decided: number;
    sets: number;
    classes: number;
    accessRelationships: number;
  } | null;
  writeMs: number;
  /** Write time per load step (the steps of src/ingest/load.ts), slowest first. */
  steps: { name: string; rows: number; ms: number }[];
  nodes: number;
  relationships: number;
  canAssume: number;
  principals: number;
  methods: number;
  maxRssMiB: number;
  gcMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Average stored property bytes (JSON) of a node and of a relationship. */
  nodePropertyBytes: number;
  relationshipPropertyBytes: number;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: ingestWorker DIR');
  const batchSize = process.env['BENCH_BATCH_SIZE'] ? Number(process.env['BENCH_BATCH_SIZE']) : undefined;
  const graph = await openBenchGraph();
  const gc = gcMeter();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  // What SnapshotService.ingest does, with a hand on the rows to measure them afterwards.
  await migrate(graph, migrationsDir());
  const settings = await loadAnalysisSettings();
  let derived: SnapshotRows | undefined;
  const stepEnds: { name: string; rows: number; at: number }[] = [];
  let writeStarted = 0;
  let analysis: AccessAnalysis | undefined;
  let index: IngestBenchResult['index'] = null;
  const result = await ingestSnapshot(graph, dir, {
    keep: 3,
    // The generated organization replaces the warm-up's seed snapshot: a shrink by design.
    allowShrink: true,
    ...(batchSize ? { batchSize } : {}),
    derive: (rows) => {
      analysis = deriveAccessRows(rows, settings);
      derived = rows;
    },
    ...(process.env['BENCH_INDEX'] !== 'true'
      ? {}
      : {
          afterLoad: async (snapshotId: string, beat: () => Promise<void>) => {
            const t0 = performance.now();
            const computed = await computeAccessIndex(analysis!, () => undefined, beat);
            const computeMs = Math.round(performance.now() - t0);
            const stored = await storeAccessIndex(graph, snapshotId, computed, () => undefined, {
              ...(batchSize ? { batchSize } : {}),
              beat,
              computeMs,
            });
            const st = stored.stats;
            index = {
              computeMs,
              writeMs: st.writeMs,
              threads: st.threads,
              targets: st.targets,
              decided: st.decided,
              sets: st.sets,
              classes: st.classes,
              accessRelationships: st.accessRelationships,
            };
            log(`ingest: access index computed in ${computeMs} ms, written in ${st.writeMs} ms`);
          },
        }),
    onEvent: (event) => {
      if (event.type === 'phase') {
        if (event.message.startsWith('writing')) writeStarted = performance.now();
        log(`ingest: ${event.message}`);
      } else if (event.type === 'progress' && event.progress.written === event.progress.total) {
        stepEnds.push({ name: event.progress.step, rows: event.progress.total, at: performance.now() });
      }
    },
  });
  const wallMs = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpu0);
  const rss = maxRssMiB();
  const gcTotals = gc.stop();
  await graph.close();

  const steps = stepEnds.map((s, i) => ({
    name: s.name,
    rows: s.rows,
    ms: Math.round(s.at - (i === 0 ? writeStarted : (stepEnds[i - 1] as { at: number }).at)),
  }));
  steps.sort((a, b) => b.ms - a.ms);
  const rows = derived as SnapshotRows;
  let nodeBytes = 0;
  for (const step of NODE_STEPS) for (const row of step.rows(rows)) nodeBytes += JSON.stringify(row).length;
  let relBytes = 0;
  for (const step of LINK_STEPS) {
    for (const row of step.rows(rows) as Record<string, unknown>[]) {
      if (step.name.includes('CAN_ASSUME')) {
        const { from, decision, trustPolicy, trustStatement, identityPolicy, identityStatement, conditions, keys } = row;
        relBytes += JSON.stringify({
          from,
          decision,
          trustPolicy,
          trustStatement,
          identityPolicy,
          identityStatement,
          conditions,
          keys,
        }).length;
      } else if ('attachment' in row) relBytes += JSON.stringify({ attachment: row['attachment'] }).length;
    }
  }
  const out: IngestBenchResult = {
    snapshotId: result.snapshotId,
    wallMs,
    readMs: result.readMs,
    deriveMs: result.deriveMs,
    index,
    writeMs: result.loadMs,
    steps,
    nodes: result.nodes,
    relationships: result.links,
    canAssume: result.counts.canAssume,
    principals: result.counts.users + result.counts.roles,
    methods: result.counts.methods,
    maxRssMiB: rss,
    gcMs: gcTotals.gcMs,
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
    nodePropertyBytes: Math.round(nodeBytes / Math.max(1, result.nodes)),
    relationshipPropertyBytes: Math.round(relBytes / Math.max(1, result.links)),
  };
  reportResult(out);
}

main().catch((error: unknown) => {
  process.stderr.write(`ingestWorker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
