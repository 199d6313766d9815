// The IAM, Organizations, API Gateway and Lambda model (src/model/graph.ts,
// docs/graph-model.md). Every node belongs to one snapshot and has a key unique
// within it; the uniqueness constraint on (snapshot, key) also serves lookups.
// Neo4j Community has uniqueness constraints and range/text indexes (no
// existence or node key constraints), which is all this needs.

CREATE CONSTRAINT account_snapshot_key IF NOT EXISTS FOR (n:Account) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT org_root_snapshot_key IF NOT EXISTS FOR (n:OrgRoot) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT org_unit_snapshot_key IF NOT EXISTS FOR (n:OrgUnit) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT user_snapshot_key IF NOT EXISTS FOR (n:User) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT group_snapshot_key IF NOT EXISTS FOR (n:Group) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT role_snapshot_key IF NOT EXISTS FOR (n:Role) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT policy_snapshot_key IF NOT EXISTS FOR (n:Policy) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT statement_snapshot_key IF NOT EXISTS FOR (n:Statement) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT service_principal_snapshot_key IF NOT EXISTS FOR (n:ServicePrincipal) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT rest_api_snapshot_key IF NOT EXISTS FOR (n:RestApi) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT http_api_snapshot_key IF NOT EXISTS FOR (n:HttpApi) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT stage_snapshot_key IF NOT EXISTS FOR (n:Stage) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT api_resource_snapshot_key IF NOT EXISTS FOR (n:ApiResource) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT method_snapshot_key IF NOT EXISTS FOR (n:Method) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT integration_snapshot_key IF NOT EXISTS FOR (n:Integration) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE CONSTRAINT lambda_function_snapshot_key IF NOT EXISTS FOR (n:LambdaFunction) REQUIRE (n.snapshot, n.key) IS UNIQUE;

// Cross-cutting lookups: principals and APIs by ARN or name, policies by kind,
// methods by API, statements by policy.
CREATE INDEX principal_snapshot_arn IF NOT EXISTS FOR (n:Principal) ON (n.snapshot, n.arn);
CREATE INDEX principal_snapshot_name IF NOT EXISTS FOR (n:Principal) ON (n.snapshot, n.name);
CREATE INDEX api_snapshot_id IF NOT EXISTS FOR (n:Api) ON (n.snapshot, n.id);
CREATE INDEX policy_snapshot_kind IF NOT EXISTS FOR (n:Policy) ON (n.snapshot, n.kind);
CREATE INDEX method_snapshot_api IF NOT EXISTS FOR (n:Method) ON (n.snapshot, n.apiKey);
CREATE INDEX statement_snapshot_policy IF NOT EXISTS FOR (n:Statement) ON (n.snapshot, n.policyKey);
CREATE INDEX snapshot_current IF NOT EXISTS FOR (n:Snapshot) ON (n.current);
