import { NotFoundError, UserInputError } from '../errors';
import { isAwsManagedPolicyArn, parseArn, type AuthorizationType, type CompiledPolicy, type EndpointType } from '../policy';
import type { MethodRow, StageRow } from '../model';
import type { AccessModel, ApiEntry } from './accessModel';
import { commonPrefix, globMayMatch, literalPrefixAgrees } from './candidates';
import { endpointChannels, type EndpointChannel } from './endpoints';
import {
  genericRequestArns,
  inferApiKind,
  parseInvokeRequest,
  parsePathTemplate,
  patternMayMatchTemplate,
  resolveMethod,
  servedVerbs,
  type MethodTemplate,
} from './methods';

/**
 * What a question is about, resolved against one snapshot: the action, the
 * concrete request ARNs the engine is asked about, the resource-based policy
 * and account on the resource side, and (for API methods) the method, its
 * authorization type and endpoint type. Input that is malformed is a
 * BAD_USER_INPUT; input that names nothing ingested is NOT_FOUND. Both name
 * the value and say what was expected.
 */
export interface MethodRef {
  /** The API id (`a1b2c3d4e5`). */
  apiId: string;
  stage: string;
  /** GET, POST, …, ANY; `$default` for an HTTP API default route. */
  verb: string;
  /** The path template (`/pets/{id}`); ignored for `$default`. */
  path: string;
}

export interface ResolvedMethodTarget {
  api: ApiEntry;
  stage: StageRow;
  method: MethodRow;
  template: MethodTemplate;
  authorizationType: AuthorizationType;
  endpointType: EndpointType;
  /** The request ARNs that decide: one concrete request, or the generic request of each verb the method serves. */
  templateLevel: boolean;
  /** Private REST APIs: the VPC endpoints a call may come through (endpoints.ts); undefined for other APIs. */
  endpoints: EndpointChannel[] | undefined;
}

export interface Target {
  /** The action as the user spelled it, in canonical case when known (`execute-api:Invoke`). */
  action: string;
  /** The resource as asked: the ARN (request ARN, method template ARN, role, function, API). */
  resource: string;
  /** Concrete ARNs the engine is asked about; every one must be allowed for "allowed". */
  requests: string[];
  resourceAccount: string | undefined;
  resourcePolicy: CompiledPolicy | undefined;
  /** API method questions (execute-api actions). */
  method?: ResolvedMethodTarget;
  /** Necessary condition for an identity Resource pattern to match one of `requests` (or the template). */
  resourceMayMatch: (pattern: string) => boolean;
  /**
   * What every resource of the question starts with: a pattern whose text
   * before its first wildcard disagrees with it matches none of them (the
   * candidate index skips such patterns without looking at them).
   */
  literalPrefix: string;
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

const CANONICAL_ACTIONS = [
  'execute-api:Invoke',
  'execute-api:InvalidateCache',
  'execute-api:ManageConnections',
  'apigateway:GET',
  'apigateway:POST',
  'apigateway:PUT',
  'apigateway:PATCH',
  'apigateway:DELETE',
  'sts:AssumeRole',
  'iam:PassRole',
  'lambda:InvokeFunction',
];

export function normaliseAction(action: string): string {
  const trimmed = action.trim();
  if (!ACTION.test(trimmed)) {
    throw new UserInputError(
      `${JSON.stringify(action)} is not an action: expected service:Action without wildcards, e.g. execute-api:Invoke, apigateway:PATCH, sts:AssumeRole.`,
    );
  }
  return CANONICAL_ACTIONS.find((a) => a.toLowerCase() === trimmed.toLowerCase()) ?? trimmed;
}

/** API Gateway's authorization types as the engine knows them; an HTTP API's JWT authorizer validates a token like a Cognito user pool. */
export function engineAuthorizationType(type: string): AuthorizationType {
  switch (type) {
    case 'NONE':
    case 'AWS_IAM':
    case 'CUSTOM':
    case 'COGNITO_USER_POOLS':
      return type;
    case 'JWT':
      return 'COGNITO_USER_POOLS';
    default:
      throw new Error(`unknown authorization type ${type}`);
  }
}

function engineEndpointType(type: string): EndpointType {
  return type === 'PRIVATE' || type === 'EDGE' ? type : 'REGIONAL';
}

export const EXECUTE_API_FORMAT = 'arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH';

/** A method template ARN: the verb is ANY or `$default`, or the path has `{param}` segments. */
function isTemplateArn(rest: string): boolean {
  return /\/(ANY|\$default)(\/|$)/.test(rest) || /\{[^}]+\}/.test(rest);
}

export function resolveMethodRef(model: AccessModel, ref: MethodRef): ResolvedMethodTarget {
  const api = [...model.apis.values()].find((a) => a.row.id === ref.apiId);
  if (!api)
    throw new NotFoundError(
      `No API with id ${JSON.stringify(ref.apiId)} in the snapshot. List APIs with the GraphQL restApis/httpApis queries, or check the id in the API Gateway console.`,
    );
  return methodOf(model, api, ref.stage, ref.verb, ref.path);
}

function methodOf(model: AccessModel, api: ApiEntry, stageName: string, verb: string, path: string): ResolvedMethodTarget {
  const stage = api.stages.find((s) => s.name === stageName);
  if (!stage) {
    throw new NotFoundError(
      `API ${api.row.id} has no stage ${JSON.stringify(stageName)}; its stages: ${api.stages.map((s) => s.name).join(', ') || '(none)'}.`,
    );
  }
  const isDefault = verb === '$default' || verb === '*';
  if (!isDefault) {
    const parsed = parsePathTemplate(path);
    if (!parsed.ok) throw new UserInputError(`${JSON.stringify(path)} is not a path template: ${parsed.message}`);
  }
  const method = api.methods.find((m) => (isDefault ? m.verb === '*' : m.verb === verb.toUpperCase() && m.path === path));
  if (!method) {
    const known = api.methods.map((m) => (m.verb === '*' ? '$default' : `${m.verb} ${m.path}`)).sort();
    throw new NotFoundError(
      `API ${api.row.id} has no method ${isDefault ? '$default' : `${verb} ${path}`}; its methods: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}.`,
    );
  }
  return methodTarget(model, api, stage, method, true);
}

const channelsByApi = new WeakMap<ApiEntry, EndpointChannel[] | undefined>();

/** The API's endpoint channels, computed once per API of a model. */
function channelsOf(model: AccessModel, api: ApiEntry): EndpointChannel[] | undefined {
  if (!channelsByApi.has(api)) channelsByApi.set(api, endpointChannels(model, api));
  return channelsByApi.get(api);
}

function methodTarget(model: AccessModel, api: ApiEntry, stage: StageRow, method: MethodRow, templateLevel: boolean): ResolvedMethodTarget {
  return {
    api,
    stage,
    method,
    template: { apiArn: api.row.executeApiArn, stage: stage.name, verb: method.verb, path: method.path, key: method.key },
    authorizationType: engineAuthorizationType(method.authorizationType),
    endpointType: engineEndpointType(api.row.endpointType),
    templateLevel,
    endpoints: channelsOf(model, api),
  };
}

/** `arn:…:execute-api:…` → the API method and the request ARNs to decide. */
function executeApiTarget(model: AccessModel, action: string, arn: string): Target {
  const prefixMatch = /^(arn:aws[a-z-]*:execute-api:[^:]*:[^:]*:[^/]+)(?:\/(.*))?$/.exec(arn);
  if (!prefixMatch) throw new UserInputError(`${JSON.stringify(arn)} is not an execute-api ARN: expected ${EXECUTE_API_FORMAT}.`);
  const rest = prefixMatch[2] ?? '';
  let resolved: ResolvedMethodTarget;
  let requests: string[];
  if (isTemplateArn(rest)) {
    const parts = /^([^/]+)\/(ANY|\$default|[A-Z]+)(\/.*)?$/.exec(rest);
    if (!parts)
      throw new UserInputError(
        `${JSON.stringify(arn)} is not a method ARN: expected ${EXECUTE_API_FORMAT} with a concrete path or a path template such as /pets/{id}.`,
      );
    const api = model.apiByExecuteArn(prefixMatch[1]!);
    if (!api)
      throw new NotFoundError(`No API in the snapshot has the execute-api ARN ${prefixMatch[1]}. Check the region, account and API id.`);
    resolved = methodOf(model, api, parts[1]!, parts[2]!, parts[3] ?? '/');
    requests = genericRequestArns(resolved.template).map((r) => r.arn);
  } else {
    const parsed = parseInvokeRequest(arn);
    if (!parsed.ok)
      throw new UserInputError(
        `${parsed.message}. Expected ${EXECUTE_API_FORMAT} (a concrete request) or a method template such as …/prod/GET/pets/{id}.`,
      );
    const r = parsed.request;
    const api = model.apiByExecuteArn(`arn:${r.partition}:execute-api:${r.region}:${r.account}:${r.apiId}`);
    if (!api)
      throw new NotFoundError(
        `No API in the snapshot has the execute-api ARN arn:${r.partition}:execute-api:${r.region}:${r.account}:${r.apiId}. Check the region, account and API id.`,
      );
    const stage = api.stages.find((s) => s.name === r.stage);
    if (!stage)
      throw new NotFoundError(
        `API ${api.row.id} has no stage ${JSON.stringify(r.stage)}; its stages: ${api.stages.map((s) => s.name).join(', ') || '(none)'}.`,
      );
    const kind = api.row.kind === 'HTTP' ? 'HTTP' : inferApiKind(api.methods);
    const hit = resolveMethod(api.methods, r.verb, r.path, { kind, resourcePaths: api.resourcePaths });
    if (!hit)
      throw new NotFoundError(
        `No method of API ${api.row.id} serves ${r.verb} ${r.path} (API Gateway would answer 403 "Missing Authentication Token" / 404).`,
      );
    resolved = methodTarget(model, api, stage, hit.method, false);
    requests = [arn];
  }
  return methodQuestion(action, arn, resolved, requests);
}

function methodQuestion(action: string, arn: string, resolved: ResolvedMethodTarget, requests: string[]): Target {
  const template = resolved.template;
  const memo = new Map<string, boolean>();
  const resourceMayMatch = resolved.templateLevel
    ? (pattern: string): boolean => {
        let hit = memo.get(pattern);
        if (hit === undefined) {
          hit = literalPrefixAgrees(pattern, `${template.apiArn}/`) && patternMayMatchTemplate(pattern, template);
          memo.set(pattern, hit);
        }
        return hit;
      }
    : (pattern: string): boolean => {
        let hit = memo.get(pattern);
        if (hit === undefined) {
          hit = requests.some((request) => globMayMatch(pattern, request));
          memo.set(pattern, hit);
        }
        return hit;
      };
  // `{param}` starts the part of a template that varies; an ANY method varies from the verb on.
  const fixed = resolved.templateLevel
    ? `${template.apiArn}/${template.stage}/${template.verb === 'ANY' || template.verb === '*' ? '' : `${template.verb}${template.path.split('{')[0]}`}`
    : commonPrefix(requests);
  return {
    action,
    resource: arn,
    requests,
    resourceAccount: resolved.api.row.account,
    resourcePolicy: resolved.api.resourcePolicy,
    method: resolved,
    resourceMayMatch,
    literalPrefix: fixed,
  };
}

/** The method template ARN of a method on a stage: `…/prod/GET/pets/{id}`, `…/$default/$default` style for HTTP default routes. */
export function methodTemplateArn(api: ApiEntry, stage: StageRow, method: MethodRow): string {
  return method.verb === '*'
    ? `${api.row.executeApiArn}/${stage.name}/$default`
    : `${api.row.executeApiArn}/${stage.name}/${method.verb}${method.path}`;
}

/** A method on a stage as a template-level question (every request of the template), without parsing an ARN. */
export function methodStageTarget(model: AccessModel, action: string, api: ApiEntry, stage: StageRow, method: MethodRow): Target {
  const resolved = methodTarget(model, api, stage, method, true);
  return methodQuestion(
    action,
    methodTemplateArn(api, stage, method),
    resolved,
    genericRequestArns(resolved.template).map((r) => r.arn),
  );
}

/**
 * Resolves "who can ACTION on ARN". Known resource kinds (API Gateway APIs,
 * roles, Lambda functions) must exist in the snapshot and bring their
 * resource-based policy; other ARNs are decided on identity policies alone
 * and must belong to an ingested account.
 */
export function resolveTarget(model: AccessModel, actionInput: string, resourceInput: string): Target {
  const action = normaliseAction(actionInput);
  const resource = resourceInput.trim();
  const service = action.split(':')[0];
  const arn = parseArn(resource);
  if (!arn)
    throw new UserInputError(`${JSON.stringify(resourceInput)} is not an ARN: expected arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.`);
  if (/[*?]/.test(resource) && arn.service !== 'execute-api') {
    throw new UserInputError(
      `${JSON.stringify(resourceInput)} contains a wildcard: name one resource (a request is always for one resource).`,
    );
  }
  const plain = (resourceAccount: string | undefined, resourcePolicy: CompiledPolicy | undefined): Target => ({
    action,
    resource,
    requests: [resource],
    resourceAccount,
    resourcePolicy,
    resourceMayMatch: (pattern) => globMayMatch(pattern, resource),
    literalPrefix: resource,
  });

  if (arn.service === 'execute-api') {
    if (service !== 'execute-api')
      throw new UserInputError(`${action} does not apply to execute-api ARNs; use execute-api:Invoke or execute-api:InvalidateCache.`);
    return executeApiTarget(model, action, resource);
  }
  if (arn.service === 'apigateway') {
    const m = /^\/(restapis|apis)\/([^/]+)/.exec(arn.resource);
    if (!m)
      throw new UserInputError(
        `${JSON.stringify(resource)} names no API: expected arn:aws:apigateway:REGION::/restapis/API_ID[/…] or …::/apis/API_ID[/…].`,
      );
    const api = [...model.apis.values()].find((a) => a.row.id === m[2] && a.row.region === arn.region);
    if (!api) throw new NotFoundError(`No API with id ${JSON.stringify(m[2])} in region ${arn.region} in the snapshot.`);
    // API Gateway management has no resource-based policies: identity policies decide (AGDG, "Control access to API Gateway with IAM permissions").
    return plain(api.row.account, undefined);
  }
  if (arn.service === 'iam' && /^role\//.test(arn.resource)) {
    const role = model.principals.get(resource);
    if (!role || role.kind !== 'role') throw new NotFoundError(`No role ${resource} in the snapshot.`);
    return plain(role.account, action === 'sts:AssumeRole' ? model.trustPolicies.get(resource) : undefined);
  }
  if (arn.service === 'lambda') {
    const fnArn = resource.split(':').slice(0, 7).join(':');
    const fn = model.functions.get(fnArn);
    if (!fn) throw new NotFoundError(`No Lambda function ${fnArn} in the snapshot.`);
    return plain(fn.row.account, fn.resourcePolicy);
  }
  // An AWS managed policy is a global resource, not another account's: each caller's own policies decide (the engine's rule).
  if (isAwsManagedPolicyArn(resource)) return plain(undefined, undefined);
  if (model.principals.has(resource)) return plain(model.principals.get(resource)!.account, undefined);
  if (!arn.account || !model.accounts.get(arn.account)?.ingested) {
    throw new NotFoundError(`${resource} is not in an ingested account: whocan can only answer for resources of the snapshot's accounts.`);
  }
  return plain(arn.account, undefined);
}

/** Every verb an API method's template serves (seven for ANY). */
export function templateVerbs(target: ResolvedMethodTarget): readonly string[] {
  return servedVerbs(target.method.verb);
}

/**
 * Refuses anything but an execute-api ARN for "who can invoke": another
 * service's ARN would otherwise be answered as a who-can question about
 * `execute-api:Invoke` on it, which nobody asking about an API means.
 */
export function checkInvokeArn(arn: string): void {
  if (/^arn:aws[a-z-]*:execute-api:[^:]*:[^:]*:[^/:]+/.test(arn)) return;
  throw new UserInputError(
    `whoCanInvoke needs an execute-api ARN: expected ${EXECUTE_API_FORMAT} (a concrete request) or a method template such as …/prod/GET/pets/{id}, got ${JSON.stringify(arn.length > 200 ? `${arn.slice(0, 200)}…` : arn)}.`,
  );
}
