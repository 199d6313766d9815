/**
 * API Gateway HTTP APIs: `aws apigatewayv2 get-apis`, and per API
 * `get-routes`, `get-stages` and `get-integrations`, to ApiRow (kind HTTP),
 * MethodRow (one per route), IntegrationRow and StageRow. HTTP APIs have no
 * resource policies (rule 9). WebSocket APIs are not analysed.
 * Pure: files in, rows and issues out (docs/generator.md has the layout).
 */
import type { ApiRow, IntegrationRow, MethodRow, StageRow } from '../../model';
import { JsonReader } from '../reader';
import { RowCollector } from '../rowCollector';
import type { JsonFile, TransformContext } from '../transformContext';
import {
  apiKey,
  credentialsOf,
  executeApiArn,
  integrationKey,
  INTEGRATION_TYPES,
  lambdaOfUri,
  methodKey,
  stageKey,
  VERBS,
} from '../apigateway/common';

export interface HttpApiFiles {
  /** `get-routes --api-id <id>` */
  routes?: JsonFile;
  /** `get-stages --api-id <id>` */
  stages?: JsonFile;
  /** `get-integrations --api-id <id>` */
  integrations?: JsonFile;
}

const AUTHORIZATION_TYPES: ReadonlySet<string> = new Set(['NONE', 'AWS_IAM', 'JWT', 'CUSTOM']);

/** An integration as read from integrations.json, before it is attached to a route's method. */
type ParsedIntegration = Omit<IntegrationRow, 'key' | 'methodKey'>;

/**
 * Transforms the HTTP APIs of one account and region. `perApi` maps an API id
 * (the directory name `apigatewayv2/<id>/`) to its files.
 *
 * An API entry with a problem is skipped with everything below it (its files
 * are still checked). A route whose integration has a problem is skipped. An
 * API without one of its files is loaded with what it has (warning); a
 * per-API directory whose id is not in apis.json is skipped (warning).
 */
export function transformHttpApis(
  ctx: TransformContext,
  account: string,
  region: string,
  apis: JsonFile,
  perApi: ReadonlyMap<string, HttpApiFiles>,
): void {
  const root = new JsonReader(ctx.report, apis.file, apis.data);
  const listed = new Set<string>();
  if (root.expectObject()) {
    for (const item of root.list('Items')) {
      const id = item.isObject() && typeof item.at('ApiId').value === 'string' ? (item.at('ApiId').value as string) : undefined;
      const first = id !== undefined && !listed.has(id);
      if (id !== undefined) listed.add(id);
      const api = httpApi(ctx, account, region, item);
      if (api === 'websocket' || !first || id === undefined) continue;
      const files = perApi.get(id) ?? {};
      const target: TransformContext = api ? ctx : { report: ctx.report, rows: new RowCollector(ctx.report) };
      const key = api?.key ?? apiKey('HTTP', region, id);
      const dir = `${apis.file.replace(/[^/\\]*$/, '')}${id}`;
      const missing = (name: string, command: string, what: string): void => {
        if (api) item.warn(`no ${dir}/${name} (aws apigatewayv2 ${command} --api-id ${id}): the API is loaded without ${what}`);
      };
      let integrations: Map<string, ParsedIntegration | null> | undefined;
      if (files.integrations) integrations = integrationsOf(target, files.integrations);
      else missing('integrations.json', 'get-integrations', 'integrations (no route is linked to a backend)');
      if (files.routes) routes(target, key, files.routes, integrations);
      else missing('routes.json', 'get-routes', 'routes');
      if (files.stages) stages(target, key, files.stages);
      else missing('stages.json', 'get-stages', 'stages');
    }
  }
  for (const [id, files] of perApi) {
    if (listed.has(id)) continue;
    for (const file of [files.routes, files.stages, files.integrations]) {
      if (file) ctx.report.warn(file.file, '$', `HTTP API ${id} is not in ${apis.file}: skipped`);
    }
  }
}

/** One get-apis item: the API row; 'websocket' (warning) for WebSocket APIs; undefined (nothing added) on a problem. */
function httpApi(ctx: TransformContext, account: string, region: string, item: JsonReader): ApiRow | 'websocket' | undefined {
  const before = ctx.report.problems.length;
  if (!item.expectObject()) return undefined;
  const id = item.str('ApiId');
  const protocol = item.str('ProtocolType');
  if (protocol === 'WEBSOCKET') {
    item.warn(`WebSocket API ${id ?? '(no ApiId)'} is not analysed: skipped`);
    return 'websocket';
  }
  if (protocol !== undefined && protocol !== 'HTTP')
    item.at('ProtocolType').problem(`expected HTTP or WEBSOCKET, got ${JSON.stringify(protocol)}`);
  const name = item.optStr('Name');
  const disableExecuteApiEndpoint = item.optBool('DisableExecuteApiEndpoint') ?? false;
  const endpoint = item.optStr('ApiEndpoint');
  // The default endpoint carries the API id and the region: both must be this directory's.
  const m = endpoint === null ? null : /^https:\/\/([^.]+)\.execute-api\.([^.]+)\.amazonaws\.com(?:\.cn)?\/?$/.exec(endpoint);
  if (m && id !== undefined && (m[1] !== id || m[2] !== region)) {
    item
      .at('ApiEndpoint')
      .problem(
        `endpoint ${endpoint ?? ''} is of API ${m[1] ?? ''} in ${m[2] ?? ''}, but this entry is API ${id} in the ${region} directory`,
      );
  }
  if (id === undefined || protocol === undefined || ctx.report.problems.length > before) return undefined;
  const row: ApiRow = {
    key: apiKey('HTTP', region, id),
    id,
    kind: 'HTTP',
    name,
    account,
    region,
    endpointType: 'REGIONAL',
    executeApiArn: executeApiArn(region, account, id),
    vpcEndpointIds: [],
    disableExecuteApiEndpoint,
  };
  ctx.rows.add('apis', row, { file: item.file, path: item.path });
  return row;
}

/** get-integrations: integration id → integration (null when it has a problem). */
function integrationsOf(ctx: TransformContext, file: JsonFile): Map<string, ParsedIntegration | null> {
  const out = new Map<string, ParsedIntegration | null>();
  const root = new JsonReader(ctx.report, file.file, file.data);
  if (!root.expectObject()) return out;
  for (const item of root.list('Items')) {
    const before = ctx.report.problems.length;
    if (!item.expectObject()) continue;
    const id = item.str('IntegrationId');
    const type = item.str('IntegrationType');
    if (type !== undefined && !INTEGRATION_TYPES.has(type))
      item.at('IntegrationType').problem(`expected one of ${[...INTEGRATION_TYPES].join(', ')}, got ${JSON.stringify(type)}`);
    const uri = item.optStr('IntegrationUri');
    const lambdaArn = type === 'AWS' || type === 'AWS_PROXY' ? lambdaOfUri(item.at('IntegrationUri')) : null;
    const credentials = credentialsOf(item.at('CredentialsArn'));
    item.optStr('PayloadFormatVersion');
    if (id === undefined) continue;
    if (type === undefined || lambdaArn === undefined || credentials === undefined || ctx.report.problems.length > before) {
      out.set(id, null);
      continue;
    }
    out.set(id, { type, uri, lambdaArn, ...credentials });
  }
  return out;
}

/** get-routes: one method per route, with the integration its Target names. */
function routes(ctx: TransformContext, api: string, file: JsonFile, integrations: Map<string, ParsedIntegration | null> | undefined): void {
  const root = new JsonReader(ctx.report, file.file, file.data);
  if (!root.expectObject()) return;
  for (const item of root.list('Items')) {
    const before = ctx.report.problems.length;
    if (!item.expectObject()) continue;
    item.str('RouteId');
    const routeKey = item.str('RouteKey');
    const parsed = routeKey === undefined ? undefined : parseRouteKey(routeKey);
    if (routeKey !== undefined && !parsed) {
      item
        .at('RouteKey')
        .problem(`expected "$default" or "<VERB> /<path>" with VERB one of ${[...VERBS].join(', ')}, got ${JSON.stringify(routeKey)}`);
    }
    // AWS prints AuthorizationType on every route; when absent it is the API's default, NONE.
    const authorizationType = item.optStr('AuthorizationType') ?? 'NONE';
    if (!AUTHORIZATION_TYPES.has(authorizationType)) {
      item
        .at('AuthorizationType')
        .problem(`expected one of ${[...AUTHORIZATION_TYPES].join(', ')}, got ${JSON.stringify(authorizationType)}`);
    }
    const authorizerId = item.optStr('AuthorizerId');
    const apiKeyRequired = item.optBool('ApiKeyRequired') ?? false;
    const target = item.optStr('Target');
    let integration: ParsedIntegration | null = null;
    if (target !== null) {
      const t = /^integrations\/(.+)$/.exec(target);
      if (!t) item.at('Target').problem(`expected "integrations/<IntegrationId>", got ${JSON.stringify(target)}`);
      else if (integrations) {
        const found = integrations.get(t[1] as string);
        if (found === undefined) item.at('Target').problem(`integration ${t[1] ?? ''} is not in the API's integrations.json`);
        else if (found === null)
          continue; // the integration has a problem (reported there): skip the route too
        else integration = found;
      }
    }
    if (!parsed || ctx.report.problems.length > before) continue;
    const key = methodKey(api, parsed.verb, parsed.path);
    const row: MethodRow = {
      key,
      apiKey: api,
      resourceKey: null,
      verb: parsed.verb,
      path: parsed.path,
      routeKey: routeKey ?? null,
      authorizationType,
      authorizerId,
      apiKeyRequired,
    };
    ctx.rows.add('methods', row, { file: item.file, path: item.path });
    if (integration)
      ctx.rows.add(
        'integrations',
        { key: integrationKey(key), methodKey: key, ...integration },
        { file: item.file, path: item.at('Target').path },
      );
  }
}

/** `GET /pets/{id}` → GET, /pets/{id}; `$default` → `*`, `*`. */
function parseRouteKey(routeKey: string): { verb: string; path: string } | undefined {
  if (routeKey === '$default') return { verb: '*', path: '*' };
  const m = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  if (!m || !VERBS.has(m[1] as string)) return undefined;
  return { verb: m[1] as string, path: m[2] as string };
}

/** get-stages (v2): StageName, DeploymentId. HTTP APIs have no stage cache. */
function stages(ctx: TransformContext, api: string, file: JsonFile): void {
  const root = new JsonReader(ctx.report, file.file, file.data);
  if (!root.expectObject()) return;
  for (const item of root.list('Items')) {
    const before = ctx.report.problems.length;
    if (!item.expectObject()) continue;
    const name = item.str('StageName');
    const deploymentId = item.optStr('DeploymentId');
    if (name === undefined || ctx.report.problems.length > before) continue;
    const row: StageRow = { key: stageKey(api, name), apiKey: api, name, deploymentId, cacheClusterEnabled: false };
    ctx.rows.add('stages', row, { file: item.file, path: item.path });
  }
}
