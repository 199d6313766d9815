/**
 * API Gateway output in AWS CLI shapes: `get-rest-apis`, `get-resources --embed methods`,
 * `get-stages` (REST), and `apigatewayv2 get-apis / get-routes / get-stages / get-integrations`.
 */
import { CIDRS, isoDate, shortId } from './names';
import type { AccountPlan, HttpApiPlan, MethodPlan, Plan, RestApiPlan } from './planTypes';
import { doc, type PolicyDocument, type Statement } from './policies';
import type { Rng } from './prng';

/** get-rest-apis prints `policy` as a string whose quotes and slashes are backslash-escaped ("{\"Version\":…\/…}"). */
export function apiGatewayPolicyString(document: PolicyDocument): string {
  return JSON.stringify(JSON.stringify(document)).slice(1, -1).replace(/\//g, '\\/');
}

/** A resource policy for a REST API: cross-account allows, partner allows, role allows, IP denies, or the private-API VPC endpoint pattern. */
export function restApiPolicy(plan: Plan, api: RestApiPlan, rng: Rng): PolicyDocument {
  const statements: Statement[] = [];
  const stage = rng.pick(api.stages);
  if (api.endpoint === 'PRIVATE') {
    statements.push({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `${api.arn}/*` });
    statements.push({
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: `${api.arn}/*`,
      Condition: { StringNotEquals: { 'aws:SourceVpce': api.vpce ?? '' } },
    });
    return doc(...statements);
  }
  const others = plan.accounts.filter((a) => a.id !== api.accountId && a.users.length + a.roles.length > 0);
  const n = rng.range(1, 3);
  for (let i = 0; i < n; i++) {
    switch (
      rng.weighted([
        ['account', 30],
        ['partner', 20],
        ['role', 20],
        ['denyIp', 20],
        ['ipAllow', 10],
      ] as const)
    ) {
      case 'account':
        if (others.length > 0) {
          const a = rng.pick(others);
          statements.push({
            Sid: `AllowAccount${a.id}`,
            Effect: 'Allow',
            Principal: { AWS: rng.chance(0.7) ? `arn:aws:iam::${a.id}:root` : a.id },
            Action: 'execute-api:Invoke',
            Resource: rng.chance(0.5) ? `${api.arn}/*` : `${api.arn}/${stage}/*`,
          });
        }
        break;
      case 'partner':
        if (plan.partners.length > 0) {
          statements.push({
            Sid: 'AllowPartner',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${rng.pick(plan.partners)}:root` },
            Action: 'execute-api:Invoke',
            Resource: [`${api.arn}/${stage}/GET/*`],
          });
        }
        break;
      case 'role': {
        const acct = rng.chance(0.5) ? plan.byId.get(api.accountId) : others.length > 0 ? rng.pick(others) : undefined;
        const candidates = acct?.roles.filter((r) => r.kind === 'human' || r.kind === 'ec2' || r.kind === 'lambda') ?? [];
        if (candidates.length > 0) {
          const roles = rng.sample(candidates, rng.range(1, 2)).map((r) => r.arn);
          const m = rng.pick(api.methods);
          statements.push({
            Sid: 'AllowNamedRoles',
            Effect: 'Allow',
            Principal: { AWS: roles.length === 1 ? roles[0] : roles },
            Action: 'execute-api:Invoke',
            Resource: `${api.arn}/${stage}/${m.verb === 'ANY' ? '*' : m.verb}${m.path.replace(/\{[^}]+\}/g, '*')}`,
          });
        }
        break;
      }
      case 'denyIp':
        statements.push({
          Sid: 'DenyOutsideCorporateNetwork',
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: `${api.arn}/*`,
          Condition: { NotIpAddress: { 'aws:SourceIp': rng.sample(CIDRS, rng.range(1, 2)) } },
        });
        break;
      default:
        statements.push({
          Sid: 'AllowFromOfficeIps',
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: `${api.arn}/*`,
          Condition: { IpAddress: { 'aws:SourceIp': rng.sample(CIDRS, rng.range(1, 2)) } },
        });
    }
  }
  if (statements.length === 0)
    statements.push({
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: `${api.arn}/*/DELETE/*`,
      Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
  return doc(...statements);
}

/** One `get-rest-apis` item. */
export function restApiItem(plan: Plan, api: RestApiPlan, rng: Rng): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: api.id,
    name: api.name,
    description: `${api.domain} API`,
    createdDate: isoDate(rng, 2020, 2025),
  };
  if (rng.chance(0.4)) item.version = `${rng.range(1, 4)}.${rng.range(0, 9)}.${rng.range(0, 20)}`;
  item.apiKeySource = 'HEADER';
  const endpointConfiguration: Record<string, unknown> = { types: [api.endpoint] };
  if (api.vpce) endpointConfiguration.vpcEndpointIds = [api.vpce];
  endpointConfiguration.ipAddressType = 'ipv4';
  item.endpointConfiguration = endpointConfiguration;
  if (api.hasPolicy) item.policy = apiGatewayPolicyString(restApiPolicy(plan, api, rng));
  item.tags = { domain: api.domain };
  item.disableExecuteApiEndpoint = false;
  item.rootResourceId = api.rootId;
  return item;
}

function methodJson(api: RestApiPlan, m: MethodPlan, rng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = { httpMethod: m.verb, authorizationType: m.auth };
  if (m.authorizerId) out.authorizerId = m.authorizerId;
  if (m.auth === 'COGNITO_USER_POOLS' && rng.chance(0.5)) out.authorizationScopes = [`${api.domain}/read`];
  out.apiKeyRequired = rng.chance(0.05);
  const params = [...m.path.matchAll(/\{([^}+]+)\+?\}/g)].map((x) => x[1] as string);
  if (params.length > 0) out.requestParameters = Object.fromEntries(params.map((p) => [`method.request.path.${p}`, true]));
  out.methodResponses = { 200: { statusCode: '200' } };
  const integ: Record<string, unknown> = {};
  const i = m.integration;
  if (i.type === 'lambda') {
    integ.type = 'AWS_PROXY';
    integ.httpMethod = 'POST';
    const region = i.fn.split(':')[3];
    integ.uri = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${i.fn}/invocations`;
    if (i.credentials) integ.credentials = i.credentials;
    integ.passthroughBehavior = 'WHEN_NO_MATCH';
    integ.contentHandling = 'CONVERT_TO_TEXT';
  } else if (i.type === 'http') {
    integ.type = 'HTTP_PROXY';
    integ.httpMethod = m.verb;
    integ.uri = `https://backend.${api.domain}.example.com${m.path}`;
    if (rng.chance(0.3)) {
      integ.connectionType = 'VPC_LINK';
      integ.connectionId = shortId(rng, 6);
    } else integ.connectionType = 'INTERNET';
    integ.passthroughBehavior = 'WHEN_NO_MATCH';
  } else if (i.type === 'aws-service') {
    integ.type = 'AWS';
    integ.httpMethod = 'POST';
    integ.uri = `arn:aws:apigateway:${api.region}:dynamodb:action/Query`;
    if (i.credentials) integ.credentials = i.credentials;
    integ.requestTemplates = { 'application/json': `{"TableName": "${api.domain}"}` };
    integ.passthroughBehavior = 'WHEN_NO_TEMPLATES';
  } else {
    integ.type = 'MOCK';
    integ.requestTemplates = { 'application/json': '{"statusCode": 200}' };
    integ.passthroughBehavior = 'WHEN_NO_MATCH';
  }
  integ.timeoutInMillis = 29000;
  integ.cacheNamespace = m.resourceId;
  integ.cacheKeyParameters = [];
  out.methodIntegration = integ;
  return out;
}

/** `get-resources --embed methods` for one REST API. */
export function resourcesJson(api: RestApiPlan, rng: Rng): { items: unknown[] } {
  const byResource = new Map<string, MethodPlan[]>();
  for (const m of api.methods) {
    const list = byResource.get(m.resourceId) ?? [];
    list.push(m);
    byResource.set(m.resourceId, list);
  }
  return {
    items: api.resources.map((r) => {
      const item: Record<string, unknown> = { id: r.id };
      if (r.parentId) item.parentId = r.parentId;
      if (r.pathPart) item.pathPart = r.pathPart;
      item.path = r.path;
      const methods = byResource.get(r.id);
      if (methods) item.resourceMethods = Object.fromEntries(methods.map((m) => [m.verb, methodJson(api, m, rng)]));
      return item;
    }),
  };
}

/** `get-stages` for one REST API (note: the list key is `item`). */
export function restStagesJson(api: RestApiPlan, rng: Rng): { item: unknown[] } {
  return {
    item: api.stages.map((stageName) => {
      const created = isoDate(rng, 2020, 2024);
      const s: Record<string, unknown> = {
        deploymentId: shortId(rng, 6),
        stageName,
        description: `${stageName} stage`,
        cacheClusterEnabled: false,
        cacheClusterStatus: 'NOT_AVAILABLE',
        methodSettings: {},
        tracingEnabled: rng.chance(0.3),
        createdDate: created,
        lastUpdatedDate: isoDate(rng, 2025, 2026),
      };
      if (rng.chance(0.3)) s.variables = { env: stageName };
      return s;
    }),
  };
}

/** One `apigatewayv2 get-apis` item. */
export function httpApiItem(api: HttpApiPlan, rng: Rng): Record<string, unknown> {
  return {
    ApiEndpoint: `https://${api.id}.execute-api.${api.region}.amazonaws.com`,
    ApiId: api.id,
    ApiKeySelectionExpression: '$request.header.x-api-key',
    CreatedDate: isoDate(rng, 2021, 2025),
    DisableExecuteApiEndpoint: false,
    IpAddressType: 'ipv4',
    Name: api.name,
    ProtocolType: 'HTTP',
    RouteSelectionExpression: '$request.method $request.path',
    Tags: { domain: api.domain },
  };
}

export function routesJson(api: HttpApiPlan): { Items: unknown[] } {
  return {
    Items: api.routes.map((r) => {
      const out: Record<string, unknown> = { ApiKeyRequired: false };
      if (r.auth === 'JWT') out.AuthorizationScopes = [`${api.domain}/access`];
      out.AuthorizationType = r.auth;
      if (r.authorizerId) out.AuthorizerId = r.authorizerId;
      out.RouteId = r.id;
      out.RouteKey = r.key;
      out.Target = `integrations/${r.integrationId}`;
      return out;
    }),
  };
}

export function integrationsJson(api: HttpApiPlan): { Items: unknown[] } {
  return {
    Items: api.integrations.map((i) => {
      if (i.url) {
        return {
          ConnectionType: 'INTERNET',
          IntegrationId: i.id,
          IntegrationMethod: 'ANY',
          IntegrationType: 'HTTP_PROXY',
          IntegrationUri: i.url,
          PayloadFormatVersion: '1.0',
          TimeoutInMillis: 30000,
        };
      }
      const out: Record<string, unknown> = { ConnectionType: 'INTERNET' };
      if (i.credentials) out.CredentialsArn = i.credentials;
      Object.assign(out, {
        IntegrationId: i.id,
        IntegrationMethod: 'POST',
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: i.fn,
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 30000,
      });
      return out;
    }),
  };
}

export function httpStagesJson(api: HttpApiPlan, rng: Rng): { Items: unknown[] } {
  return {
    Items: api.stages.map((StageName) => {
      const deploymentId = shortId(rng, 6);
      return {
        AutoDeploy: StageName === '$default',
        CreatedDate: isoDate(rng, 2021, 2025),
        DefaultRouteSettings: { DetailedMetricsEnabled: false },
        DeploymentId: deploymentId,
        LastDeploymentStatusMessage: `Successfully deployed stage with deployment ID '${deploymentId}'`,
        LastUpdatedDate: isoDate(rng, 2025, 2026),
        RouteSettings: {},
        StageName,
        StageVariables: {},
        Tags: {},
      };
    }),
  };
}

export function restApisOfRegion(account: AccountPlan, region: string): RestApiPlan[] {
  return account.restApis.filter((a) => a.region === region);
}
export function httpApisOfRegion(account: AccountPlan, region: string): HttpApiPlan[] {
  return account.httpApis.filter((a) => a.region === region);
}
