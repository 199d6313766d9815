import type { SnapshotRows } from '../../model';
import { IngestReport } from '../report';
import { RowCollector } from '../rowCollector';
import type { TransformContext } from '../transformContext';

type RowKind = keyof SnapshotRows;
type RowOf<K extends RowKind> = SnapshotRows[K][number];

interface StagedAdd {
  kind: RowKind;
  row: unknown;
  where: { file: string; path: string };
}

/**
 * A RowCollector that only records what is added, so that one entity's rows
 * (the user, its inline policies and their statements, its links) can be
 * dropped together when any part of the entity is wrong. `has` and `get`
 * see nothing: an entity must not depend on its own staged rows.
 */
class StagingRows extends RowCollector {
  readonly staged: StagedAdd[] = [];

  override add<K extends RowKind>(kind: K, row: RowOf<K>, where: { file: string; path: string }): void {
    this.staged.push({ kind, row, where: { file: where.file, path: where.path } });
  }
}

export type Staged<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs `build` against a private context and then, all or nothing: when it
 * reported no problem, its rows go to `ctx.rows` (in the order it added them)
 * and its warnings to `ctx.report`; otherwise only its problems and warnings
 * go to `ctx.report` and its rows are dropped.
 */
export function allOrNothing<T>(ctx: TransformContext, build: (staging: TransformContext) => T): Staged<T> {
  const report = new IngestReport();
  const rows = new StagingRows(report);
  const value = build({ report, rows });
  for (const w of report.warnings) ctx.report.warn(w.file, w.path, w.message);
  if (report.problems.length > 0) {
    for (const p of report.problems) ctx.report.problem(p.file, p.path, p.message);
    return { ok: false };
  }
  for (const add of rows.staged) ctx.rows.add(add.kind, add.row as RowOf<typeof add.kind>, add.where);
  return { ok: true, value };
}
