import { runInSlices, type AccessAnalysis } from '../../analysis';
import type { AnalysisService, SnapshotOption } from '../analysis';
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

  constructor(private readonly analysis: AnalysisService) {}

  async accessSummary(options: SnapshotOption = {}): Promise<AccessSummary & { snapshot: string }> {
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
