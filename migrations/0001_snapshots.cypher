// Snapshots: every ingest writes one (:Snapshot) and only a complete snapshot
// becomes current. Later migrations add the constraints of the IAM and API
// Gateway model.
CREATE CONSTRAINT snapshot_id IF NOT EXISTS FOR (s:Snapshot) REQUIRE s.id IS UNIQUE;
CREATE INDEX snapshot_state IF NOT EXISTS FOR (s:Snapshot) ON (s.state);
