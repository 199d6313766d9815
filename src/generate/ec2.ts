/**
 * EC2 output in AWS CLI shape: `aws ec2 describe-vpc-endpoints` for the
 * account and region of private REST APIs. Each private API's endpoint
 * (the one its resource policy admits by `aws:SourceVpce`) gets a policy
 * of one of four kinds, as in AWS's examples: only principals of the
 * organization (`aws:PrincipalOrgID`, no anonymous callers), only GET on
 * one stage of the API, only some named roles, or the default policy (no
 * PolicyDocument: full access). Beside them, an execute-api endpoint in
 * another VPC with the default policy (which the resource policies refuse)
 * and an S3 gateway endpoint (which whocan passes over).
 */
import { isoDate } from './names';
import type { AccountPlan, Plan, RestApiPlan } from './planTypes';
import { doc, type PolicyDocument, type Statement } from './policies';
import type { Rng } from './prng';

const HEX = '0123456789abcdef';

type EndpointPolicyKind = 'org' | 'stage-get' | 'roles' | 'default';

/** The endpoint policy for a private API's endpoint; undefined for the default policy. */
export function endpointPolicy(plan: Plan, account: AccountPlan, api: RestApiPlan, rng: Rng): PolicyDocument | undefined {
  const kind = rng.weighted<EndpointPolicyKind>([
    ['org', 35],
    ['stage-get', 25],
    ['roles', 20],
    ['default', 20],
  ]);
  const invoke = (statement: Statement): Statement => ({ Effect: 'Allow', Action: 'execute-api:Invoke', ...statement });
  switch (kind) {
    case 'org':
      return doc(
        invoke({
          Sid: 'OnlyOurOrganization',
          Principal: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': plan.orgId } },
        }),
      );
    case 'stage-get':
      return doc(invoke({ Sid: 'ReadOnlyOneStage', Principal: '*', Resource: `${api.arn}/${rng.pick(api.stages)}/GET/*` }));
    case 'roles': {
      const roles = account.roles.filter((r) => r.kind === 'human' || r.kind === 'ec2' || r.kind === 'lambda');
      if (roles.length === 0)
        return doc(invoke({ Sid: 'OnlyThisAccount', Principal: { AWS: `arn:aws:iam::${account.id}:root` }, Resource: `${api.arn}/*` }));
      const named = rng.sample(roles, Math.min(roles.length, rng.range(1, 3))).map((r) => r.arn);
      return doc(invoke({ Sid: 'OnlyNamedRoles', Principal: { AWS: named.length === 1 ? named[0] : named }, Resource: `${api.arn}/*` }));
    }
    default:
      return undefined;
  }
}

function vpcId(rng: Rng): string {
  return `vpc-0${rng.chars(HEX, 16)}`;
}

function interfaceEndpoint(
  account: AccountPlan,
  region: string,
  id: string,
  vpc: string,
  privateDns: boolean,
  policy: PolicyDocument | undefined,
  rng: Rng,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    VpcEndpointId: id,
    VpcEndpointType: 'Interface',
    VpcId: vpc,
    ServiceName: `com.amazonaws.${region}.execute-api`,
    State: 'available',
  };
  if (policy) out.PolicyDocument = JSON.stringify(policy, null, 4);
  Object.assign(out, {
    RouteTableIds: [],
    SubnetIds: [`subnet-0${rng.chars(HEX, 16)}`, `subnet-0${rng.chars(HEX, 16)}`],
    Groups: [{ GroupId: `sg-0${rng.chars(HEX, 16)}`, GroupName: 'execute-api-clients' }],
    IpAddressType: 'ipv4',
    DnsOptions: { DnsRecordIpType: 'ipv4' },
    PrivateDnsEnabled: privateDns,
    RequesterManaged: false,
    NetworkInterfaceIds: [`eni-0${rng.chars(HEX, 16)}`],
    DnsEntries: [
      {
        DnsName: `${id}-${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 8)}.execute-api.${region}.vpce.amazonaws.com`,
        HostedZoneId: 'Z7HUB22UULQXV',
      },
    ],
    CreationTimestamp: isoDate(rng, 2021, 2025),
    Tags: [],
    OwnerId: account.id,
  });
  return out;
}

/** `describe-vpc-endpoints` for one account and region; undefined when the region has no private API. */
export function vpcEndpointsJson(
  plan: Plan,
  account: AccountPlan,
  region: string,
  apis: readonly RestApiPlan[],
  rng: Rng,
): { json: { VpcEndpoints: unknown[] }; executeApi: number; policies: number } | undefined {
  const privateApis = apis.filter((a) => a.endpoint === 'PRIVATE' && a.vpce !== undefined);
  if (privateApis.length === 0) return undefined;
  const endpoints: Record<string, unknown>[] = [];
  let policies = 0;
  const mainVpc = vpcId(rng);
  for (const api of privateApis) {
    const policy = endpointPolicy(plan, account, api, rng);
    if (policy) policies++;
    endpoints.push(interfaceEndpoint(account, region, api.vpce!, mainVpc, rng.chance(0.8), policy, rng));
  }
  // An endpoint of another VPC that no resource policy admits, with the default policy.
  endpoints.push(interfaceEndpoint(account, region, `vpce-0${rng.chars(HEX, 16)}`, vpcId(rng), false, undefined, rng));
  endpoints.push({
    VpcEndpointId: `vpce-0${rng.chars(HEX, 16)}`,
    VpcEndpointType: 'Gateway',
    VpcId: mainVpc,
    ServiceName: `com.amazonaws.${region}.s3`,
    State: 'available',
    PolicyDocument: JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }),
    RouteTableIds: [`rtb-0${rng.chars(HEX, 16)}`],
    SubnetIds: [],
    Groups: [],
    PrivateDnsEnabled: false,
    RequesterManaged: false,
    NetworkInterfaceIds: [],
    DnsEntries: [],
    CreationTimestamp: isoDate(rng, 2021, 2025),
    Tags: [],
    OwnerId: account.id,
  });
  return { json: { VpcEndpoints: endpoints }, executeApi: privateApis.length + 1, policies };
}
