import { AccessAnalysis, accessDiff, deriveAccessRows } from '../../../src/analysis';
import { seedDir } from '../../../src/config/paths';
import { NotFoundError } from '../../../src/errors';
import { readSnapshot } from '../../../src/ingest';
import { loadAnalysisSettings } from '../../../src/services';
import { LocalAccessSource, type AnalysisQuestions } from '../../../src/services/review';

export { modifiedSeedCopy, seedCopy } from '../../support/seedCopies';

/**
 * The review machinery on snapshots built in memory from snapshot
 * directories (no Neo4j): a LocalAccessSource over an AnalysisService
 * stand-in that answers from AccessAnalysis objects, exactly as the real
 * service does once a snapshot is loaded.
 */
export async function analysisOf(dir: string): Promise<AccessAnalysis> {
  const { rows, report } = readSnapshot(dir);
  if (report.problems.length > 0) throw new Error(`${dir}: ${report.problems.map((p) => p.message).join('; ')}`);
  const settings = await loadAnalysisSettings();
  deriveAccessRows(rows, settings);
  return AccessAnalysis.fromRows(rows, settings);
}

/** Snapshots by id, the last one current (newest last, as ingests make them). */
export function sourceOf(snapshots: [id: string, analysis: AccessAnalysis][]): LocalAccessSource {
  const byId = new Map(snapshots);
  const current = snapshots[snapshots.length - 1]![0];
  const get = (id: string | undefined) => {
    const snapshot = id ?? current;
    const analysis = byId.get(snapshot);
    if (!analysis) throw new NotFoundError(`No snapshot ${snapshot}.`);
    return { snapshot, analysis };
  };
  const service: AnalysisQuestions = {
    analysis: async (o = {}) => get(o.snapshot),
    whoCan: async (action, resource, o = {}) => {
      const { snapshot, analysis } = get(o.snapshot);
      return { ...analysis.whoCan(action, resource, o), snapshot };
    },
    can: async (principal, action, resource, o = {}) => {
      const { snapshot, analysis } = get(o.snapshot);
      return { ...analysis.can(principal, action, resource, o), snapshot };
    },
    findings: async (o = {}) => {
      const { snapshot, analysis } = get(o.snapshot);
      return { ...analysis.findings(o), snapshot };
    },
    accessDiff: async (s, o = {}) => {
      const to = get(s.to);
      const ids = snapshots.map(([id]) => id);
      const previous = ids[ids.indexOf(to.snapshot) - 1];
      if (s.from === undefined && previous === undefined) throw new NotFoundError(`No snapshot before ${to.snapshot} to compare with.`);
      const from = get(s.from ?? previous);
      return { from: from.snapshot, to: to.snapshot, ...accessDiff(from.analysis, to.analysis, o) };
    },
  };
  return new LocalAccessSource(service);
}

let seed: Promise<AccessAnalysis> | undefined;

/** seed/ (Petstore Inc.), built once per test file. */
export function seedAnalysis(): Promise<AccessAnalysis> {
  seed ??= analysisOf(seedDir());
  return seed;
}

export async function seedSource(): Promise<LocalAccessSource> {
  return sourceOf([['seed', await seedAnalysis()]]);
}
