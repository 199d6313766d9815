import { emptySnapshotRows, type SnapshotRows } from '../model';
import type { IngestReport } from './report';

type RowKind = keyof SnapshotRows;
type RowOf<K extends RowKind> = SnapshotRows[K][number];

/**
 * Collects the rows of one snapshot. The same entity seen twice (paginated
 * output split over several files, an AWS managed policy attached in several
 * accounts) is merged into one row when both copies are identical. Copies
 * that differ are a problem naming both places: nobody can tell which one is
 * true, and letting either win would let a planted file override the real
 * one (a trust policy turned into Principal "*"). The statements of a
 * conflicting policy are not reported again.
 */
export class RowCollector {
  private readonly byKind = new Map<RowKind, Map<string, { row: unknown; json: string; where: string }>>();
  private readonly conflictingPolicies = new Set<string>();

  constructor(private readonly report: IngestReport) {}

  add<K extends RowKind>(kind: K, row: RowOf<K>, where: { file: string; path: string }): void {
    const key = rowKey(row);
    let rows = this.byKind.get(kind);
    if (!rows) {
      rows = new Map();
      this.byKind.set(kind, rows);
    }
    const json = JSON.stringify(row);
    const existing = rows.get(key);
    if (existing) {
      if (existing.json !== json) this.conflict(kind, key, existing, row, where);
      return;
    }
    rows.set(key, { row, json, where: `${where.file} ${where.path}` });
  }

  private conflict(
    kind: RowKind,
    key: string,
    existing: { row: unknown; where: string },
    row: unknown,
    where: { file: string; path: string },
  ): void {
    if (kind === 'policies') this.conflictingPolicies.add(key);
    if (kind === 'statements' && this.conflictingPolicies.has((row as { policyKey?: string }).policyKey ?? '')) return;
    const before = existing.row as Record<string, unknown>;
    const after = row as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]),
    );
    this.report.problem(
      where.file,
      where.path,
      `${singular(kind)} ${key} also appears at ${existing.where} with different content (${fields.join(', ')}): it is unclear which one is true, so neither is used. Collect the snapshot again so each entity appears once or identically (overlapping pages are fine)`,
    );
  }

  has(kind: RowKind, key: string): boolean {
    return this.byKind.get(kind)?.has(key) ?? false;
  }

  get<K extends RowKind>(kind: K, key: string): RowOf<K> | undefined {
    return this.byKind.get(kind)?.get(key)?.row as RowOf<K> | undefined;
  }

  rows(): SnapshotRows {
    const out = emptySnapshotRows();
    for (const [kind, rows] of this.byKind) {
      (out[kind] as unknown[]) = [...rows.values()].map((r) => r.row);
    }
    return out;
  }
}

/** `policies` → `policy`, `users` → `user`: the kind as one entity is named in messages. */
function singular(kind: RowKind): string {
  return kind.endsWith('ies') ? `${kind.slice(0, -3)}y` : kind.replace(/s$/, '');
}

function rowKey(row: unknown): string {
  const r = row as { key?: string; from?: string; to?: string };
  return r.key ?? `${r.from ?? ''}→${r.to ?? ''}`;
}
