import { emptySnapshotRows, type SnapshotRows } from '../model';
import type { IngestReport } from './report';

type RowKind = keyof SnapshotRows;
type RowOf<K extends RowKind> = SnapshotRows[K][number];

/**
 * Collects the rows of one snapshot. The same entity seen twice (paginated
 * output split over several files, an AWS managed policy attached in several
 * accounts) is merged into one row: identical copies silently, different
 * copies with a warning naming both places (the later one wins).
 */
export class RowCollector {
  private readonly byKind = new Map<RowKind, Map<string, { row: unknown; json: string; where: string }>>();

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
    if (existing && existing.json !== json) {
      this.report.warn(where.file, where.path, `${kind.replace(/s$/, '')} ${key} also appears at ${existing.where} with different content; using this one`);
    }
    rows.set(key, { row, json, where: `${where.file} ${where.path}` });
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

function rowKey(row: unknown): string {
  const r = row as { key?: string; from?: string; to?: string };
  return r.key ?? `${r.from ?? ''}→${r.to ?? ''}`;
}
