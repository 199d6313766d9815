import { runInSlices, type AccessAnalysis } from '../../analysis';
import type { AnalysisService, SnapshotOption } from '../analysis';
import type { Graph } from '../../db';
import { accessSummaryFromIndex } from '../index/accessSummaryFromIndex';
import { accessSummaryWork, type AccessSummary } from './accessSummary';

export { accessSummaryWork, type AccessSummary, type AccessSummaryRow, type AccessSummaryTotals } from './accessSummary';

/**
 * Whole-snapshot figures for dashboards (the console's overview). Like the
 * findings, a summary depends on the snapshot alone: it is computed once per
 * snapshot, in slices that give the event loop back to other requests, and
 * kept as long as the snapshot's analysis is kept (it is keyed by the
 * analysis object, so a snapshot the analysis forgets is forgotten here too).
 * A request that times out leaves the work running; the next one gets it.
 */
export class DashboardService {
  private readonly summaries = new WeakMap<AccessAnalysis, Promise<AccessSummary>>();
  /** Read from the access index: kept per snapshot (a few), like the analysis' summaries. */
  private readonly fromIndex = new Map<string, Promise<AccessSummary | undefined>>();

  constructor(
    private readonly analysis: AnalysisService,
    private readonly graph?: Graph,
  ) {}

  /** Forgets what was read for a deleted snapshot. */
  forget(snapshot: string): void {
    this.fromIndex.delete(snapshot);
  }

  async accessSummary(options: SnapshotOption = {}): Promise<AccessSummary & { snapshot: string }> {
    // From the snapshot's access index when it has a complete one (src/services/index/accessSummaryFromIndex.ts).
    if (this.graph && options.snapshot !== undefined) {
      const graph = this.graph;
      const id = options.snapshot;
      let indexed = this.fromIndex.get(id);
      if (!indexed) {
        indexed = accessSummaryFromIndex(graph, id, options.tx);
        this.fromIndex.set(id, indexed);
        indexed.then((s) => s === undefined && this.fromIndex.delete(id)).catch(() => this.fromIndex.delete(id));
        while (this.fromIndex.size > 4) this.fromIndex.delete(this.fromIndex.keys().next().value!);
      }
      const summary = await indexed;
      if (summary) return { ...summary, snapshot: id };
    }
    const { snapshot, analysis } = await this.analysis.analysis(options);
    let pending = this.summaries.get(analysis);
    if (!pending) {
      pending = runInSlices(accessSummaryWork(analysis));
      this.summaries.set(analysis, pending);
      pending.catch(() => this.summaries.delete(analysis));
    }
    return { ...(await pending), snapshot };
  }
}
