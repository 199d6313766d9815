import type { IngestReport } from './report';
import type { RowCollector } from './rowCollector';

/** What every transform gets: where to report problems and where to put rows. */
export interface TransformContext {
  report: IngestReport;
  rows: RowCollector;
}

/** One JSON file of the snapshot, parsed. `file` is relative to the snapshot directory. */
export interface JsonFile {
  file: string;
  data: unknown;
}
