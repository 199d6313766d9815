/**
 * API Gateway REST APIs: `aws apigateway get-rest-apis`, and per API
 * `get-resources --embed methods` and `get-stages`, to ApiRow, ApiResourceRow,
 * MethodRow, IntegrationRow, StageRow and the API's resource policy.
 * Pure: files in, rows and issues out (docs/generator.md has the layout).
 */
import { expandExecuteApiShortForm, parseExecuteApiArn, usesExecuteApiShortForm } from '../../policy';
import type { ApiResourceRow, ApiRow, IntegrationRow, MethodRow, StageRow } from '../../model';
import { addPolicyDocument } from '../policyRows';
import { JsonReader, statementResources } from '../reader';
import { RowCollector } from '../rowCollector';
import type { JsonFile, TransformContext } from '../transformContext';
import {
  apiKey,
  credentialsOf,
  decodeApiPolicy,
  executeApiArn,
  integrationKey,
  INTEGRATION_TYPES,
  lambdaOfUri,
  methodKey,
  partitionOf,
  resourceKey,
  resourcePolicyKey,
  stageKey,
  VERBS,
} from './common';

export interface RestApiFiles {
  /** `get-resources --rest-api-id <id> --embed methods` */
  resources?: JsonFile;
  /** `get-stages --rest-api-id <id>` */
  stages?: JsonFile;
}

const ENDPOINT_TYPES: ReadonlySet<string> = new Set(['REGIONAL', 'EDGE', 'PRIVATE']);
const AUTHORIZATION_TYPES: ReadonlySet<string> = new Set(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']);

/**
 * Transforms the REST APIs of one account and region. `perApi` maps an API
 * id (the directory name `apigateway/<id>/`) to its files.
 *
 * An API entry with a problem is skipped with everything below it (its
 * files are still checked, so every problem is reported in one run). An API
 * without a resources or stages file is loaded with what it has (warning); a
 * per-API directory whose id is not in rest-apis.json is skipped (warning).
 */
export function transformRestApis(
  ctx: TransformContext,
  account: string,
  region: string,
  restApis: JsonFile,
  perApi: ReadonlyMap<string, RestApiFiles>,
): void {
  const root = new JsonReader(ctx.report, restApis.file, restApis.data);
  const listed = new Set<string>();
  if (root.expectObject()) {
    // API Gateway omits an empty list (`{}`), so a missing `items` is no API.
    for (const item of root.optList('items')) {
      const id = item.isObject() && typeof item.at('id').value === 'string' ? (item.at('id').value as string) : undefined;
      const first = id !== undefined && !listed.has(id);
      if (id !== undefined) listed.add(id);
      const api = restApi(ctx, account, region, item);
      if (!first || id === undefined) continue;
      const files = perApi.get(id) ?? {};
      // An API with problems is not loaded: its files are checked into a throwaway collector.
      const target: TransformContext = api ? ctx : { report: ctx.report, rows: new RowCollector(ctx.report) };
      const key = api?.key ?? apiKey('REST', region, id);
      const dir = `${restApis.file.replace(/[^/\\]*$/, '')}${id}`;
      if (files.resources) resources(target, id, key, files.resources, api ? rootResourceId(item) : null);
      else if (api)
        item.warn(
          `no ${dir}/resources.json (aws apigateway get-resources --rest-api-id ${id} --embed methods): the API is loaded without resources and methods`,
        );
      if (files.stages) stages(target, key, files.stages);
      else if (api) item.warn(`no ${dir}/stages.json (aws apigateway get-stages --rest-api-id ${id}): the API is loaded without stages`);
    }
  }
  for (const [id, files] of perApi) {
    if (listed.has(id)) continue;
    for (const file of [files.resources, files.stages]) {
      if (file) ctx.report.warn(file.file, '$', `REST API ${id} is not in ${restApis.file}: skipped`);
    }
  }
}

function rootResourceId(item: JsonReader): string | null {
  const v = item.at('rootResourceId').value;
  return typeof v === 'string' && v !== '' ? v : null;
}

/** One get-rest-apis item: the API row and its resource policy; undefined (nothing added) on a problem. */
function restApi(ctx: TransformContext, account: string, region: string, item: JsonReader): ApiRow | undefined {
  const before = ctx.report.problems.length;
  if (!item.expectObject()) return undefined;
  const id = item.str('id');
  const name = item.optStr('name');
  const endpoint = item.at('endpointConfiguration');
  let endpointType: string | undefined;
  let vpcEndpointIds: string[] = [];
  if (endpoint.expectObject()) {
    const types = endpoint.at('types');
    endpoint.list('types');
    if (Array.isArray(types.value)) {
      const [only, ...more] = types.value as unknown[];
      if (typeof only === 'string' && ENDPOINT_TYPES.has(only) && more.length === 0) endpointType = only;
      else types.problem(`expected exactly one endpoint type of REGIONAL, EDGE, PRIVATE, got ${JSON.stringify(types.value)}`);
    }
    vpcEndpointIds = endpoint.optList('vpcEndpointIds').flatMap((v) => {
      if (typeof v.value === 'string' && /^vpce-[0-9a-z]+$/.test(v.value)) return [v.value];
      v.problem(`expected a VPC endpoint id (vpce-…), got ${JSON.stringify(v.value)}`);
      return [];
    });
  }
  const disableExecuteApiEndpoint = item.optBool('disableExecuteApiEndpoint') ?? false;
  const policyText = item.optStr('policy');
  if (id === undefined || endpointType === undefined || ctx.report.problems.length > before) return undefined;

  const key = apiKey('REST', region, id);
  const row: ApiRow = {
    key,
    id,
    kind: 'REST',
    name,
    account,
    region,
    endpointType,
    executeApiArn: executeApiArn(region, account, id),
    vpcEndpointIds,
    disableExecuteApiEndpoint,
  };
  if (policyText !== null && !resourcePolicy(ctx, row, item.at('policy'), policyText)) return undefined;
  ctx.rows.add('apis', row, { file: item.file, path: item.path });
  return row;
}

/** Decodes, checks and adds the API's resource policy and its link; false (nothing added) on a problem. */
function resourcePolicy(ctx: TransformContext, api: ApiRow, at: JsonReader, text: string): boolean {
  const decoded = decodeApiPolicy(text);
  if (!decoded.ok) {
    at.problem(decoded.message);
    return false;
  }
  let document = decoded.document;
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    const doc = document as Record<string, unknown>;
    // API Gateway expands `execute-api:/stage/VERB/path` when the policy is saved (rule 8); do the same if one slipped through.
    if (usesExecuteApiShortForm(doc))
      document = expandExecuteApiShortForm(doc, {
        partition: partitionOf(api.region),
        region: api.region,
        accountId: api.account,
        apiId: api.id,
      });
  }
  const reader = new JsonReader(ctx.report, at.file, document, at.path);
  const policyKey = resourcePolicyKey(api.key);
  if (!addPolicyDocument(ctx, reader, { key: policyKey, kind: 'resource', name: null, arn: null, account: api.account, versionId: null }))
    return false;
  warnForeignResources(reader, api);
  ctx.rows.add('resourcePolicies', { from: api.key, to: policyKey, ownerLabel: 'Api' }, { file: at.file, path: at.path });
  return true;
}

/** A statement whose Resource is an execute-api ARN of another API, account or region never matches this API's requests. */
function warnForeignResources(document: JsonReader, api: ApiRow): void {
  for (const r of statementResources(document)) {
    if (typeof r.value !== 'string') continue;
    const arn = parseExecuteApiArn(r.value);
    if (!arn) continue;
    const differs = (pattern: string, actual: string) => !/[*?]/.test(pattern) && pattern !== actual;
    if (differs(arn.apiId, api.id) || differs(arn.accountId, api.account) || differs(arn.region, api.region)) {
      r.warn(
        `names ${arn.apiId} in ${arn.accountId}/${arn.region}, not this API (${api.id} in ${api.account}/${api.region}): the statement never matches its requests`,
      );
    }
  }
}

/** get-resources --embed methods: resources, their methods and the methods' integrations. */
function resources(ctx: TransformContext, apiId: string, api: string, file: JsonFile, expectedRootId: string | null): void {
  const root = new JsonReader(ctx.report, file.file, file.data);
  if (!root.expectObject()) return;
  const items = root.optList('items');
  // A root resource with another id than rest-apis.json's rootResourceId: the file belongs to another API.
  if (expectedRootId !== null) {
    for (const item of items) {
      const id = item.at('id').value;
      if (item.isObject() && item.at('path').value === '/' && typeof id === 'string' && id !== expectedRootId) {
        item
          .at('id')
          .problem(
            `the root resource is ${id}, but rest-apis.json gives rootResourceId ${expectedRootId} for this API: is this the resources file of another API?`,
          );
        return;
      }
    }
  }
  // Without --embed methods every resourceMethods entry is `{}`: one problem for the file, not one per method.
  const unembedded = items.flatMap((item) => {
    const methods = item.at('resourceMethods');
    return methods.isObject()
      ? Object.keys(methods.value as object)
          .map((verb) => methods.at(verb))
          .filter((m) => m.isObject() && !m.has('authorizationType'))
      : [];
  });
  if (unembedded[0]) {
    unembedded[0].problem(
      `${unembedded.length} method(s) in this file have no authorizationType: it was fetched without --embed methods; re-run \`aws apigateway get-resources --rest-api-id ${apiId} --embed methods\``,
    );
  }
  const ids = new Set(items.map((i) => i.at('id').value).filter((v): v is string => typeof v === 'string'));
  for (const item of items) {
    const before = ctx.report.problems.length;
    if (!item.expectObject()) continue;
    const id = item.str('id');
    const path = item.str('path');
    const parentId = item.optStr('parentId');
    item.optStr('pathPart');
    if (path !== undefined && !path.startsWith('/'))
      item.at('path').problem(`expected a path starting with "/", got ${JSON.stringify(path)}`);
    const methods = item.at('resourceMethods');
    if (methods.value !== undefined && methods.value !== null) methods.expectObject();
    if (id === undefined || path === undefined || ctx.report.problems.length > before) continue;
    if (parentId !== null && !ids.has(parentId)) item.at('parentId').warn(`parent resource ${parentId} is not in this file`);
    const key = resourceKey(api, id);
    const row: ApiResourceRow = { key, apiKey: api, id, parentId, path };
    ctx.rows.add('apiResources', row, { file: item.file, path: item.path });
    if (!methods.isObject()) continue;
    for (const verb of Object.keys(methods.value as object)) method(ctx, api, key, path, verb, methods.at(verb));
  }
}

/** One resourceMethods entry and its methodIntegration; nothing is added on a problem. */
function method(ctx: TransformContext, api: string, resource: string, path: string, verb: string, m: JsonReader): void {
  const before = ctx.report.problems.length;
  if (!VERBS.has(verb)) {
    m.problem(`unknown HTTP method ${JSON.stringify(verb)} (expected one of ${[...VERBS].join(', ')})`);
    return;
  }
  if (!m.expectObject()) return;
  if (!m.has('authorizationType')) return; // reported once for the file
  const httpMethod = m.optStr('httpMethod');
  if (httpMethod !== null && httpMethod !== verb)
    m.at('httpMethod').problem(`expected ${verb} (the resourceMethods key), got ${JSON.stringify(httpMethod)}`);
  const authorizationType = m.str('authorizationType');
  if (authorizationType !== undefined && !AUTHORIZATION_TYPES.has(authorizationType)) {
    m.at('authorizationType').problem(`expected one of ${[...AUTHORIZATION_TYPES].join(', ')}, got ${JSON.stringify(authorizationType)}`);
  }
  const authorizerId = m.optStr('authorizerId');
  const apiKeyRequired = m.optBool('apiKeyRequired') ?? false;
  const key = methodKey(api, verb, path);
  const integration = m.has('methodIntegration') ? restIntegration(key, m.at('methodIntegration')) : null;
  if (authorizationType === undefined || integration === undefined || ctx.report.problems.length > before) return;
  const row: MethodRow = {
    key,
    apiKey: api,
    resourceKey: resource,
    verb,
    path,
    routeKey: null,
    authorizationType,
    authorizerId,
    apiKeyRequired,
  };
  ctx.rows.add('methods', row, { file: m.file, path: m.path });
  if (integration) ctx.rows.add('integrations', integration, { file: m.file, path: m.at('methodIntegration').path });
}

/** A methodIntegration; undefined after a problem. */
function restIntegration(method: string, i: JsonReader): IntegrationRow | undefined {
  if (!i.expectObject()) return undefined;
  const type = i.str('type');
  if (type !== undefined && !INTEGRATION_TYPES.has(type))
    i.at('type').problem(`expected one of ${[...INTEGRATION_TYPES].join(', ')}, got ${JSON.stringify(type)}`);
  const uri = i.optStr('uri');
  const lambdaArn = type === 'AWS' || type === 'AWS_PROXY' ? lambdaOfUri(i.at('uri')) : null;
  const credentials = credentialsOf(i.at('credentials'));
  if (type === undefined || !INTEGRATION_TYPES.has(type) || lambdaArn === undefined || credentials === undefined) return undefined;
  return { key: integrationKey(method), methodKey: method, type, uri, lambdaArn, ...credentials };
}

/** get-stages: the list is under `item` (singular). */
function stages(ctx: TransformContext, api: string, file: JsonFile): void {
  const root = new JsonReader(ctx.report, file.file, file.data);
  if (!root.expectObject()) return;
  for (const item of root.optList('item')) {
    const before = ctx.report.problems.length;
    if (!item.expectObject()) continue;
    const name = item.str('stageName');
    const deploymentId = item.optStr('deploymentId');
    const cacheClusterEnabled = item.optBool('cacheClusterEnabled') ?? false;
    if (name === undefined || ctx.report.problems.length > before) continue;
    const row: StageRow = { key: stageKey(api, name), apiKey: api, name, deploymentId, cacheClusterEnabled };
    ctx.rows.add('stages', row, { file: item.file, path: item.path });
  }
}
