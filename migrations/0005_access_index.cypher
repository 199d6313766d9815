// The access index (src/analysis/accessIndex.ts, docs/graph-model.md): who has
// which indexed access, computed once per snapshot. Nodes are keyed like the
// rest of the model; targets are looked up by action and resource, or by API
// and stage, and callers by ARN.
CREATE CONSTRAINT accessor_snapshot_key IF NOT EXISTS FOR (n:Accessor) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT access_class_snapshot_key IF NOT EXISTS FOR (n:AccessClass) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT access_set_snapshot_key IF NOT EXISTS FOR (n:AccessSet) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT access_target_snapshot_key IF NOT EXISTS FOR (n:AccessTarget) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE INDEX access_target_snapshot_resource IF NOT EXISTS FOR (n:AccessTarget) ON (n.snapshot, n.resource);
CREATE INDEX access_target_snapshot_action IF NOT EXISTS FOR (n:AccessTarget) ON (n.snapshot, n.action);
CREATE INDEX access_target_snapshot_api IF NOT EXISTS FOR (n:AccessTarget) ON (n.snapshot, n.apiId);
CREATE INDEX accessor_snapshot_arn IF NOT EXISTS FOR (n:Accessor) ON (n.snapshot, n.arn);
