/**
 * EC2: `aws ec2 describe-vpc-endpoints` (`<region>/ec2/vpc-endpoints.json`)
 * to VpcEndpointRow and the endpoint's policy. Only interface endpoints for
 * API Gateway (`com.amazonaws.<region>.execute-api`) are loaded: they are the
 * way into private REST APIs, and their policy is one more layer that must
 * allow each call (AGDG, "Use VPC endpoint policies for private APIs in API
 * Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-endpoint-policies.html).
 * Endpoints for other services take part in no answer and are passed over.
 * Pure: one file in, rows and issues out (docs/generator.md has the layout).
 */
import { decodeDocument, parsePolicy, statementMatchesAction } from '../../policy';
import type { VpcEndpointRow } from '../../model';
import { addPolicyDocument } from '../policyRows';
import { JsonReader } from '../reader';
import type { JsonFile, TransformContext } from '../transformContext';

const ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const EXECUTE_API = /^com\.amazonaws\.([a-z0-9-]+)\.execute-api$/;

/** `arn:aws:ec2:<region>:<account>:vpc-endpoint/<id>`: the endpoint's key. */
export function vpcEndpointKey(region: string, account: string, id: string): string {
  return `arn:aws:ec2:${region}:${account}:vpc-endpoint/${id}`;
}

/** `<endpoint key>#endpoint-policy`: the key of its policy. */
export function endpointPolicyKey(endpointKey: string): string {
  return `${endpointKey}#endpoint-policy`;
}

/**
 * Transforms the execute-api endpoints of one account and region. An entry
 * with a problem is skipped with its policy (the ingest then refuses the
 * snapshot, naming the file and JSON path); a policy AWS accepts but that
 * lets no call through is loaded with a warning.
 */
export function transformVpcEndpoints(ctx: TransformContext, account: string, region: string, file: JsonFile): void {
  const root = new JsonReader(ctx.report, file.file, file.data);
  if (!root.expectObject()) return;
  for (const item of root.list('VpcEndpoints')) vpcEndpoint(ctx, account, region, item);
}

function vpcEndpoint(ctx: TransformContext, account: string, region: string, item: JsonReader): void {
  if (!item.expectObject()) return;
  const service = item.str('ServiceName');
  if (service === undefined) return;
  const match = EXECUTE_API.exec(service);
  if (!match) return; // another service's endpoint: no answer reads it
  const before = ctx.report.problems.length;
  if (match[1] !== region) item.at('ServiceName').problem(`names region ${match[1]}, but the file is in the directory of region ${region}`);
  const id = item.str('VpcEndpointId');
  if (id !== undefined && !ENDPOINT_ID.test(id))
    item.at('VpcEndpointId').problem(`expected a VPC endpoint id vpce-<8 to 17 hex digits>, got ${JSON.stringify(id)}`);
  const vpcId = item.str('VpcId');
  if (vpcId !== undefined && !VPC_ID.test(vpcId))
    item.at('VpcId').problem(`expected a VPC id vpc-<8 to 17 hex digits>, got ${JSON.stringify(vpcId)}`);
  const state = item.str('State');
  const type = item.optStr('VpcEndpointType');
  if (type !== null && type !== 'Interface')
    item.at('VpcEndpointType').problem(`expected Interface (API Gateway has interface endpoints only), got ${JSON.stringify(type)}`);
  const privateDns = item.optBool('PrivateDnsEnabled');
  const owner = item.optStr('OwnerId');
  if (owner !== null && owner !== account)
    item.at('OwnerId').problem(`the endpoint belongs to account ${owner}, but the file is in the directory of account ${account}`);
  const policy = item.at('PolicyDocument');
  const hasPolicy = policy.value !== undefined && policy.value !== null;
  if (hasPolicy && typeof policy.value !== 'string' && !policy.isObject()) policy.problem('expected the policy document as a JSON string');
  if (id === undefined || vpcId === undefined || state === undefined || ctx.report.problems.length > before) return;

  const row: VpcEndpointRow = {
    key: vpcEndpointKey(region, account, id),
    id,
    account,
    region,
    vpcId,
    serviceName: service,
    endpointType: type,
    state,
    privateDnsEnabled: privateDns,
    defaultPolicy: !hasPolicy,
  };
  if (hasPolicy) {
    const decoded = decodeDocument(policy.value);
    if (!decoded.ok) {
      ctx.report.problem(item.file, policy.path + decoded.problem.path.slice(1), decoded.problem.message);
      return;
    }
    const document = new JsonReader(ctx.report, item.file, decoded.document, policy.path);
    const key = endpointPolicyKey(row.key);
    if (!addPolicyDocument(ctx, document, { key, kind: 'endpoint', name: null, arn: null, account, versionId: null })) return;
    warnIfNothingPasses(document, decoded.document, key);
    ctx.rows.add('endpointPolicies', { from: row.key, to: key }, { file: item.file, path: policy.path });
  }
  ctx.rows.add('vpcEndpoints', row, { file: item.file, path: item.path });
}

/**
 * A policy AWS stores but under which no call to an API can pass: no Allow
 * statement covers execute-api:Invoke. Loaded as it is (every call through
 * the endpoint is then denied), with a warning, since it is more likely a
 * mistake than a wish.
 */
function warnIfNothingPasses(document: JsonReader, decoded: unknown, key: string): void {
  const policy = parsePolicy(decoded, { type: 'vpcEndpoint', id: key });
  if (!policy.statements.some((s) => s.effect === 'Allow' && statementMatchesAction(s, 'execute-api:invoke'))) {
    document.warn(
      'no Allow statement of this endpoint policy covers execute-api:Invoke: every call to a private API through the endpoint is denied',
    );
  }
}
