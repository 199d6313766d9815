/**
 * Child process of `npm run bench`: the access index of the current
 * snapshot, built as `whocan index` builds it (rebuildAccessIndex: the
 * snapshot's analysis read from the graph, the index computed on worker
 * threads, written, marked complete), in a process of its own so that its
 * peak RSS is the build's alone.
 *
 *   node dist/bench/indexWorker.js
 *
 * Reports the read, compute and write times, the threads, the index's size
 * (targets, answers, caller classes, class × answer relationships) and peak
 * RSS.
 */
import { AnalysisService, rebuildAccessIndex } from '../src/services';
import { gcMeter, log, maxRssMiB, openBenchGraph, reportResult } from './shared';

export interface IndexBuildBenchResult {
  snapshot: string;
  /** From the first read to the index marked complete. */
  wallMs: number;
  /** Reading the snapshot's rows from the graph and building its analysis (what `ingest --index` already has in memory). */
  loadMs: number;
  /** The policy engine over every indexed target, on `threads` worker threads. */
  computeMs: number;
  /** Writing the index (UNWIND batches) and marking it complete. */
  writeMs: number;
  threads: number;
  targets: number;
  decided: number;
  shared: number;
  sets: number;
  entries: number;
  decisions: number;
  reusedDecisions: number;
  accessors: number;
  classes: number;
  accessRelationships: number;
  maxRssMiB: number;
  gcMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

async function main(): Promise<void> {
  const graph = await openBenchGraph();
  const gc = gcMeter();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let loadMs = 0;
  const analyses = new AnalysisService(graph, {
    onEvent: (e) => {
      if (e.type === 'loaded') loadMs = e.ms;
    },
  });
  let lastLog = 0;
  const built = await rebuildAccessIndex(graph, analyses, {
    onEvent: (event) => {
      if (event.type === 'phase') log(`index: ${event.message}`);
      else if (event.type === 'step' && performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`index: ${event.step} ${event.done}/${event.total}`);
      }
    },
  });
  const wallMs = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpu0);
  const st = built.stats;
  const out: IndexBuildBenchResult = {
    snapshot: built.snapshot,
    wallMs,
    loadMs,
    computeMs: st.computeMs,
    writeMs: st.writeMs,
    threads: st.threads,
    targets: st.targets,
    decided: st.decided,
    shared: st.shared,
    sets: st.sets,
    entries: st.entries,
    decisions: st.decisions,
    reusedDecisions: st.reusedDecisions,
    accessors: st.accessors,
    classes: st.classes,
    accessRelationships: st.accessRelationships,
    maxRssMiB: maxRssMiB(),
    gcMs: gc.stop().gcMs,
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
  };
  await graph.close();
  reportResult(out);
}

main().catch((error: unknown) => {
  process.stderr.write(`indexWorker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
