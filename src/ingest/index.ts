export { ingestSnapshot, IngestInputError, type IngestEvent, type IngestOptions, type IngestResult } from './run';
export { readSnapshot } from './readSnapshot';
export {
  listSnapshots,
  currentSnapshotId,
  deleteSnapshot,
  deleteMarkedSnapshot,
  markSnapshotDeleting,
  setCurrentSnapshot,
  SNAPSHOT_FIELDS,
  type SetCurrentOutcome,
  type SnapshotInfo,
} from './snapshots';
export type { LoadProgress } from './load';
export { formatIssue, MAX_ISSUES_SHOWN, type IngestIssue } from './report';
export { readSnapshotRowsFromGraph } from './graphRows';
export { testStep } from './testHooks';
