/**
 * Benchmark (not a test): authorization decisions per second on one core for
 * realistic policies — several statements, wildcards, conditions, an API
 * resource policy and a permissions boundary — with compiled, cached
 * matchers. Run on its own: `node dist/bench/policyEngine.js`.
 */
import {
  authorize,
  authorizeApiGatewayInvoke,
  parsePolicy,
  principalFromArn,
  RequestContext,
  type AuthorizationRequest,
  type CompiledPolicy,
  type Principal,
} from '../src/policy';

export interface PolicyEngineBenchResult {
  readonly decisionsPerSecond: number;
  readonly decisions: number;
  readonly elapsedMs: number;
  /** Decisions per second through the API Gateway flow (AWS_IAM with a resource policy). */
  readonly apiGatewayDecisionsPerSecond: number;
  /** Decisions per second in analysis mode with an unknown context key. */
  readonly analysisDecisionsPerSecond: number;
  /** Share of allowed decisions in the workload (a sanity check that it is not all denies). */
  readonly allowedShare: number;
}

const A = '111111111111';
const B = '222222222222';
const API = `arn:aws:execute-api:us-east-1:${A}:abc123`;

function identityPolicies(): CompiledPolicy[] {
  return [
    parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'InvokeReads',
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: [`${API}/*/GET/*`, `arn:aws:execute-api:*:${A}:xyz*/prod/GET/*`],
          },
          {
            Sid: 'InvokeWritesFromOffice',
            Effect: 'Allow',
            Action: ['execute-api:Invoke'],
            Resource: `${API}/*/POST/orders/*`,
            Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] }, Bool: { 'aws:SecureTransport': 'true' } },
          },
          {
            Sid: 'ManageOwnApis',
            Effect: 'Allow',
            Action: ['apigateway:GET', 'apigateway:PATCH', 'apigateway:Update*'],
            Resource: 'arn:aws:apigateway:*::/restapis/*',
          },
          { Sid: 'S3Home', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::home/${aws:username}/*' },
          { Sid: 'NoAdminPaths', Effect: 'Deny', Action: 'execute-api:*', Resource: `${API}/*/*/admin/*` },
          {
            Sid: 'TaggedOnly',
            Effect: 'Deny',
            Action: 'apigateway:DELETE',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } },
          },
        ],
      },
      { type: 'identity', id: 'team-policy' },
    ),
    parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['logs:*', 'cloudwatch:Get*', 'cloudwatch:List*'], Resource: '*' },
          {
            Effect: 'Allow',
            NotAction: ['iam:*', 'organizations:*', 'account:*'],
            Resource: `arn:aws:lambda:us-east-1:${A}:function:pets-*`,
          },
        ],
      },
      { type: 'identity', id: 'observability' },
    ),
  ];
}

function boundary(): CompiledPolicy {
  return parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['execute-api:*', 'apigateway:*', 's3:*', 'logs:*', 'cloudwatch:*', 'lambda:*'], Resource: '*' },
        { Effect: 'Deny', Action: 'apigateway:UpdateRestApiPolicy', Resource: '*' },
      ],
    },
    { type: 'permissionsBoundary', id: 'boundary' },
  );
}

function resourcePolicy(): CompiledPolicy {
  return parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${B}:root`, `arn:aws:iam::${A}:role/app`] },
          Action: 'execute-api:Invoke',
          Resource: `${API}/prod/*`,
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: `${API}/*`,
          Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32'] } },
        },
      ],
    },
    { type: 'resource', id: 'api-policy' },
  );
}

function principal(arn: string, tags?: Record<string, string>): Principal {
  const r = principalFromArn(arn, tags ? { tags } : {});
  if (!r.ok) throw new Error(r.message);
  return r.principal;
}

/** A fixed mix of requests: several callers, actions and resources, allowed and denied. */
function workload(): AuthorizationRequest[] {
  const ids = identityPolicies();
  const pb = boundary();
  const rp = resourcePolicy();
  const callers = [
    principal(`arn:aws:iam::${A}:user/alice`, { team: 'platform' }),
    principal(`arn:aws:sts::${A}:assumed-role/app/run-1`),
    principal(`arn:aws:iam::${B}:user/bob`),
  ];
  const targets: [string, string][] = [
    ['execute-api:Invoke', `${API}/prod/GET/pets/a1b2`],
    ['execute-api:Invoke', `${API}/prod/POST/orders/o-17`],
    ['execute-api:Invoke', `${API}/prod/GET/admin/users`],
    ['execute-api:Invoke', `arn:aws:execute-api:eu-west-1:${A}:xyz789/prod/GET/status`],
    ['apigateway:PATCH', 'arn:aws:apigateway:us-east-1::/restapis/abc123/resources/r1/methods/GET'],
    ['apigateway:DELETE', 'arn:aws:apigateway:us-east-1::/restapis/abc123'],
    ['s3:GetObject', 'arn:aws:s3:::home/alice/notes.txt'],
    ['lambda:InvokeFunction', `arn:aws:lambda:us-east-1:${A}:function:pets-api`],
  ];
  const ips = ['10.1.2.3', '198.51.100.9', '192.0.2.77'];
  const requests: AuthorizationRequest[] = [];
  let i = 0;
  for (const caller of callers) {
    for (const [action, resource] of targets) {
      const sourceIp = ips[i % ips.length] as string;
      i += 1;
      const context = new RequestContext({
        principal: caller,
        values: { 'aws:SourceIp': sourceIp, 'aws:SecureTransport': 'true' },
        currentTime: new Date('2026-01-15T12:00:00Z'),
      });
      requests.push({
        principal: caller,
        action,
        resource,
        context,
        identityPolicies: ids,
        permissionsBoundaries: [pb],
        ...(resource.startsWith(API) ? { resourcePolicy: rp } : {}),
      });
    }
  }
  return requests;
}

function measure(
  durationMs: number,
  decide: (i: number) => string,
): { perSecond: number; count: number; elapsedMs: number; allowed: number } {
  // Warm up (JIT, matcher caches).
  for (let i = 0; i < 20_000; i += 1) decide(i);
  let count = 0;
  let allowed = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(durationMs) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let j = 0; j < 1000; j += 1) {
      if (decide(count) === 'allowed') allowed += 1;
      count += 1;
    }
    elapsed = process.hrtime.bigint() - start;
  }
  const elapsedMs = Number(elapsed) / 1e6;
  return { perSecond: Math.round((count / elapsedMs) * 1000), count, elapsedMs, allowed };
}

export async function benchPolicyEngine(options: { durationMs?: number } = {}): Promise<PolicyEngineBenchResult> {
  const durationMs = options.durationMs ?? 2000;
  const requests = workload();
  const n = requests.length;
  const core = measure(durationMs, (i) => authorize(requests[i % n] as AuthorizationRequest).decision);

  const apiRequests = requests.filter((r) => r.action === 'execute-api:Invoke');
  const api = measure(Math.max(200, durationMs / 2), (i) => {
    const r = apiRequests[i % apiRequests.length] as AuthorizationRequest;
    return authorizeApiGatewayInvoke({ ...r, authorizationType: 'AWS_IAM' }).decision;
  });

  const analysisRequests = requests.map((r) => ({
    ...r,
    mode: 'analysis' as const,
    context: new RequestContext({
      principal: r.principal,
      mode: 'analysis',
      values: { 'aws:SecureTransport': 'true' },
      currentTime: new Date('2026-01-15T12:00:00Z'),
    }),
  }));
  const analysis = measure(Math.max(200, durationMs / 2), (i) => authorize(analysisRequests[i % n] as AuthorizationRequest).decision);

  return {
    decisionsPerSecond: core.perSecond,
    decisions: core.count,
    elapsedMs: Math.round(core.elapsedMs),
    apiGatewayDecisionsPerSecond: api.perSecond,
    analysisDecisionsPerSecond: analysis.perSecond,
    allowedShare: Math.round((core.allowed / core.count) * 100) / 100,
  };
}

if (require.main === module) {
  const durationMs = Number(process.argv[2] ?? 3000);
  void benchPolicyEngine({ durationMs }).then((r) => {
    const rows: [string, string][] = [
      ['authorize (concrete)', `${r.decisionsPerSecond.toLocaleString('en-US')} decisions/s`],
      ['API Gateway invoke (AWS_IAM + RP)', `${r.apiGatewayDecisionsPerSecond.toLocaleString('en-US')} decisions/s`],
      ['authorize (analysis, unknown key)', `${r.analysisDecisionsPerSecond.toLocaleString('en-US')} decisions/s`],
      ['decisions measured', `${r.decisions.toLocaleString('en-US')} in ${r.elapsedMs} ms (allowed: ${Math.round(r.allowedShare * 100)}%)`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`policy engine benchmark (one core, node ${process.version})\n`);
    for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
    process.stdout.write(`  target: 200,000 decisions/s — ${r.decisionsPerSecond >= 200_000 ? 'met' : 'NOT met'}\n`);
  });
}
