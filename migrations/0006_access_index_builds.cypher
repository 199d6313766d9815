// Access index builds (src/services/index/indexBuild.ts, docs/graph-model.md):
// every index node carries the id of the build that wrote it (`build`), and
// the snapshot's `indexBuild` names the build questions read. A rebuild writes
// a new build beside the one being read and switches the pointer in one
// transaction, so two builds of one snapshot coexist for a while: the keys are
// unique per snapshot and build.
DROP CONSTRAINT accessor_snapshot_key IF EXISTS;
DROP CONSTRAINT access_class_snapshot_key IF EXISTS;
DROP CONSTRAINT access_set_snapshot_key IF EXISTS;
DROP CONSTRAINT access_target_snapshot_key IF EXISTS;
CREATE CONSTRAINT accessor_snapshot_build_key IF NOT EXISTS FOR (n:Accessor) REQUIRE (n.snapshot, n.build, n.key) IS UNIQUE;
CREATE CONSTRAINT access_class_snapshot_build_key IF NOT EXISTS FOR (n:AccessClass) REQUIRE (n.snapshot, n.build, n.key) IS UNIQUE;
CREATE CONSTRAINT access_set_snapshot_build_key IF NOT EXISTS FOR (n:AccessSet) REQUIRE (n.snapshot, n.build, n.key) IS UNIQUE;
CREATE CONSTRAINT access_target_snapshot_build_key IF NOT EXISTS FOR (n:AccessTarget) REQUIRE (n.snapshot, n.build, n.key) IS UNIQUE;
// Finding and removing the nodes of one build (a replaced one, or what a killed build left).
CREATE INDEX accessor_snapshot_build IF NOT EXISTS FOR (n:Accessor) ON (n.snapshot, n.build);
CREATE INDEX access_class_snapshot_build IF NOT EXISTS FOR (n:AccessClass) ON (n.snapshot, n.build);
CREATE INDEX access_set_snapshot_build IF NOT EXISTS FOR (n:AccessSet) ON (n.snapshot, n.build);
CREATE INDEX access_target_snapshot_build IF NOT EXISTS FOR (n:AccessTarget) ON (n.snapshot, n.build);
// Indexes built before this migration: their nodes become the build 'legacy',
// which a complete index points to; an index left 'building' by a killed
// rebuild of the earlier version is shown as an interrupted build, and its
// nodes are removed by the next `whocan index`.
MATCH (n:Accessor) WHERE n.build IS NULL CALL (n) { SET n.build = 'legacy' } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:AccessClass) WHERE n.build IS NULL CALL (n) { SET n.build = 'legacy' } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:AccessSet) WHERE n.build IS NULL CALL (n) { SET n.build = 'legacy' } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:AccessTarget) WHERE n.build IS NULL CALL (n) { SET n.build = 'legacy' } IN TRANSACTIONS OF 10000 ROWS;
MATCH (s:Snapshot) WHERE s.index = 'complete' AND s.indexBuild IS NULL SET s.indexBuild = 'legacy';
MATCH (s:Snapshot) WHERE s.index = 'building'
SET s.index = null, s.indexBuilding = 'legacy', s.indexBuildHeartbeat = datetime('1970-01-01T00:00:00Z');
