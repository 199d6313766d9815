export { ingestSnapshot, IngestInputError, type IngestEvent, type IngestOptions, type IngestResult } from './run';
export { readSnapshot } from './readSnapshot';
export type { LoadProgress } from './load';
export { formatIssue, MAX_ISSUES_SHOWN, type IngestIssue } from './report';
export { readSnapshotRowsFromGraph } from './graphRows';
