export { ingestSnapshot, IngestInputError, type IngestEvent, type IngestOptions, type IngestResult } from './run';
export { readSnapshot } from './readSnapshot';
export { listSnapshots, currentSnapshotId, deleteSnapshot, type SnapshotInfo } from './snapshots';
export type { LoadProgress } from './load';
export { formatIssue, type IngestIssue } from './report';
export { readSnapshotRowsFromGraph } from './graphRows';
