// What the analysis derives at ingest (src/analysis/derive.ts): principals of
// accounts that were not ingested, named by ARN in trust or resource policies,
// start CAN_ASSUME relationships like users, roles, accounts and services.
CREATE CONSTRAINT external_principal_snapshot_key IF NOT EXISTS FOR (n:ExternalPrincipal) REQUIRE (n.snapshot, n.key) IS UNIQUE;
