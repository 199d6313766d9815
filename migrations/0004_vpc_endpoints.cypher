// Interface VPC endpoints for execute-api (aws ec2 describe-vpc-endpoints):
// the way into private REST APIs; their policies are one more layer that must
// allow each call (src/model/graph.ts VpcEndpoint, docs/graph-model.md).
CREATE CONSTRAINT vpc_endpoint_snapshot_key IF NOT EXISTS FOR (n:VpcEndpoint) REQUIRE (n.snapshot, n.key) IS UNIQUE;
CREATE INDEX vpc_endpoint_snapshot_id IF NOT EXISTS FOR (n:VpcEndpoint) ON (n.snapshot, n.id);
