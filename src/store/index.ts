/**
 * Data access: one module per node family, each the only place whose Cypher
 * reads or changes those nodes (through the one executor, src/db).
 *
 * - snapshots.ts: the (:Snapshot) nodes, their life cycle and their catalogue.
 * - testHooks.ts: named points in that life cycle where a test may stop the process.
 */
export {
  beginSnapshot,
  completeSnapshot,
  currentSnapshot,
  currentSnapshotId,
  deleteMarkedSnapshot,
  deleteSnapshot,
  heartbeat,
  listSnapshots,
  markSnapshotDeleting,
  newSnapshotId,
  pruneSnapshots,
  setCurrentSnapshot,
  snapshotById,
  snapshotRows,
  SNAPSHOT_FIELDS,
  type SetCurrentOutcome,
  type SnapshotInfo,
} from './snapshots';
export { testStep } from './testHooks';
