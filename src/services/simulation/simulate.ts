import { UserInputError } from '../../errors';
import {
  accountOfArn,
  authorize,
  authorizeApiGatewayInvoke,
  conditionalToJson,
  decodeDocument,
  explainApiGatewayInvoke,
  explainAuthorization,
  expandExecuteApiShortForm,
  parseArn,
  parseExecuteApiArn,
  principalFromArn,
  RequestContext,
  unknownPolicy,
  usesExecuteApiShortForm,
  validatePolicy,
  isAwsManagedPolicyArn,
  type ApiGatewayInvokeResult,
  type AuthorizationResult,
  type CompiledPolicy,
  type ConditionalOutcome,
  type ContextValue,
  type MatchedStatement,
  type PolicyType,
  type Principal,
} from '../../policy';
import { expandActionNames, rcpSupportedServices } from './catalogue';
import { contextValuesFromEntries } from './contextEntries';
import { childPath, Problems, readSimulateRequest } from './readRequest';
import type { EvaluationResultOutput, MatchedStatementOutput, PolicyInput, SimulateRequest, SimulateResponse } from './types';

/**
 * `whocan simulate`: runs SimulateCustomPolicy-style requests through the
 * policy engine and formats AWS-style results. Used by the CLI and (later)
 * the GraphQL `simulate(input)`. Bad input raises `UserInputError`, one detail
 * line per problem, each naming the field's JSON path.
 */

const SOURCE_POLICY_TYPE: Record<PolicyType, string> = {
  identity: 'IAM Policy',
  resource: 'Resource Policy',
  trust: 'Resource Policy',
  permissionsBoundary: 'Permissions Boundary Policy',
  session: 'Session Policy',
  scp: 'Service Control Policy',
  rcp: 'Resource Control Policy',
  vpcEndpoint: 'VPC Endpoint Policy',
};

interface PreparedRequest {
  readonly request: SimulateRequest;
  readonly path: string;
  readonly principal: Principal;
  readonly actions: readonly string[];
  readonly identity: readonly CompiledPolicy[];
  readonly boundaries: readonly CompiledPolicy[];
  readonly session: readonly CompiledPolicy[];
  readonly scps: readonly (readonly CompiledPolicy[])[];
  readonly rcps: readonly (readonly CompiledPolicy[])[];
  /** The resource policy, per API when it uses the `execute-api:/…` short form. */
  readonly resourcePolicyFor: (resource: string) => CompiledPolicy | undefined;
  readonly vpcEndpointPolicy: CompiledPolicy | undefined;
  readonly context: ReadonlyMap<string, ContextValue>;
  readonly keyCase: ReadonlyMap<string, string>;
}

/** The fields of a policy declared unknown: `{"Unknown": true, "Id": "arn:…", "Name"?, "Reason"?}`. */
const UNKNOWN_POLICY_FIELDS = ['Unknown', 'Id', 'Name', 'Reason'];

/**
 * A policy input declared unknown (its document is not known, e.g. an AWS
 * managed policy used only as a permissions boundary): compiled with
 * `unknownPolicy`, so that answers that depend on it come back conditional.
 * Returns `null` when the input is not such a declaration (no `Unknown` field).
 */
function compileUnknown(input: PolicyInput, type: PolicyType, path: string, p: Problems): CompiledPolicy | undefined | null {
  const decoded = typeof input === 'string' ? decodeDocument(input) : ({ ok: true, document: input } as const);
  if (!decoded.ok || !Object.prototype.hasOwnProperty.call(decoded.document, 'Unknown')) return null;
  const doc = decoded.document;
  const before = p.lines.length;
  if (doc['Unknown'] !== true) {
    p.add(
      childPath(path, 'Unknown'),
      `expected true (declares a policy whose document is not known), got ${JSON.stringify(doc['Unknown'])}; give the policy document itself when it is known`,
    );
  }
  for (const k of Object.keys(doc)) {
    if (!UNKNOWN_POLICY_FIELDS.includes(k))
      p.add(
        childPath(path, k),
        `not allowed in a policy declared unknown (expected only ${UNKNOWN_POLICY_FIELDS.join(', ')}): an unknown policy has no document`,
      );
  }
  const text = (k: string, required: boolean): string | undefined => {
    const v = doc[k];
    if (v === undefined && !required) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v;
    p.add(
      childPath(path, k),
      k === 'Id'
        ? `expected a non-empty string naming the unknown policy (its ARN or id, used in explanations), got ${v === undefined ? 'nothing' : JSON.stringify(v)}`
        : `expected a non-empty string, got ${JSON.stringify(v)}`,
    );
    return undefined;
  };
  const id = text('Id', true);
  const name = text('Name', false);
  const reason = text('Reason', false);
  if (p.lines.length > before || id === undefined) return undefined;
  return unknownPolicy({ type, id, ...(name !== undefined ? { name } : {}), ...(reason !== undefined ? { reason } : {}) });
}

function compile(input: PolicyInput, type: PolicyType, id: string, path: string, p: Problems): CompiledPolicy | undefined {
  const unknown = compileUnknown(input, type, path, p);
  if (unknown !== null) return unknown;
  const r = validatePolicy(input, { type, id });
  if (r.ok) {
    for (const w of r.warnings) p.warn(`${path}${w.path.slice(1)}`, w.message);
    return r.policy;
  }
  for (const problem of r.problems) p.add(`${path}${problem.path.slice(1)}`, problem.message);
  return undefined;
}

function compileList(
  inputs: readonly PolicyInput[] | undefined,
  type: PolicyType,
  idPrefix: string,
  path: string,
  p: Problems,
): CompiledPolicy[] {
  const out: CompiledPolicy[] = [];
  (inputs ?? []).forEach((input, i) => {
    const c = compile(input, type, `${idPrefix}.${i + 1}`, childPath(path, i), p);
    if (c) out.push(c);
  });
  return out;
}

/** Maps lower-case context keys to the case used in the policies, for output. */
function collectKeyCase(policies: readonly CompiledPolicy[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const policy of policies) {
    for (const s of policy.statements) for (const c of s.condition?.clauses ?? []) if (!map.has(c.keyLower)) map.set(c.keyLower, c.key);
    for (const m of JSON.stringify(policy.document).matchAll(/\$\{([^}, ]+)/g)) {
      const key = m[1];
      if (key !== undefined && !map.has(key.toLowerCase())) map.set(key.toLowerCase(), key);
    }
  }
  return map;
}

async function prepare(request: SimulateRequest, path: string, p: Problems, warnings: string[]): Promise<PreparedRequest | undefined> {
  const before = p.lines.length;
  const at = (k: string) => childPath(path, k);
  const parsed = principalFromArn(request.CallerArn, {
    ...(request.CallerType !== undefined ? { callerType: request.CallerType === 'Service' ? 'service' : 'federated' } : {}),
    ...(request.CallerTags !== undefined ? { tags: request.CallerTags } : {}),
  });
  if (!parsed.ok && !p.reportedAt(at('CallerArn'))) p.add(at('CallerArn'), parsed.message);
  const actions = await expandActionNames(request.ActionNames, at('ActionNames'), p, warnings);
  for (const [i, r] of (request.ResourceArns ?? []).entries()) {
    if (r !== '*' && parseArn(r) === undefined) p.add(childPath(at('ResourceArns'), i), `expected "*" or an ARN, got ${JSON.stringify(r)}`);
  }

  const identity = compileList(request.PolicyInputList, 'identity', 'PolicyInputList', at('PolicyInputList'), p);
  const boundaries = compileList(
    request.PermissionsBoundaryPolicyInputList,
    'permissionsBoundary',
    'PermissionsBoundaryPolicyInputList',
    at('PermissionsBoundaryPolicyInputList'),
    p,
  );
  const sessionInputs =
    request.SessionPolicy === undefined
      ? []
      : Array.isArray(request.SessionPolicy)
        ? (request.SessionPolicy as readonly PolicyInput[])
        : [request.SessionPolicy as PolicyInput];
  const session = Array.isArray(request.SessionPolicy)
    ? compileList(sessionInputs, 'session', 'SessionPolicy', at('SessionPolicy'), p)
    : sessionInputs.flatMap((input) => compile(input, 'session', 'SessionPolicy', at('SessionPolicy'), p) ?? []);
  const levels = (inputs: SimulateRequest['ServiceControlPolicies'], type: PolicyType, name: string): CompiledPolicy[][] =>
    (inputs ?? []).map((level, i) => compileList(level, type, `${name}.${i + 1}`, childPath(at(name), i), p));
  const scps = levels(request.ServiceControlPolicies, 'scp', 'ServiceControlPolicies');
  const rcps = levels(request.ResourceControlPolicies, 'rcp', 'ResourceControlPolicies');
  const vpceInput = request.ApiGateway?.VpcEndpointPolicy;
  const vpcEndpointPolicy =
    vpceInput === undefined
      ? undefined
      : compile(vpceInput, 'vpcEndpoint', 'ApiGateway.VpcEndpointPolicy', childPath(at('ApiGateway'), 'VpcEndpointPolicy'), p);

  // The resource policy: compiled once, or once per API when it uses the execute-api short form.
  let resourcePolicyFor: PreparedRequest['resourcePolicyFor'] = () => undefined;
  const allPolicies: CompiledPolicy[] = [
    ...identity,
    ...boundaries,
    ...session,
    ...scps.flat(),
    ...rcps.flat(),
    ...(vpcEndpointPolicy ? [vpcEndpointPolicy] : []),
  ];
  if (request.ResourcePolicy !== undefined) {
    const rpPath = at('ResourcePolicy');
    const decoded = decodeDocument(request.ResourcePolicy);
    if (!decoded.ok) p.add(`${rpPath}${decoded.problem.path.slice(1)}`, decoded.problem.message);
    else if (Object.prototype.hasOwnProperty.call(decoded.document, 'Unknown') || !usesExecuteApiShortForm(decoded.document)) {
      const rp = compile(decoded.document, 'resource', 'ResourcePolicy', rpPath, p);
      if (rp) allPolicies.push(rp);
      resourcePolicyFor = () => rp;
    } else {
      const cache = new Map<string, CompiledPolicy | undefined>();
      const apis = new Set<string>();
      for (const [i, r] of (request.ResourceArns ?? ['*']).entries()) {
        const api = parseExecuteApiArn(r);
        if (api === undefined) {
          p.add(
            childPath(at('ResourceArns'), i),
            'the resource policy uses the "execute-api:/…" short form, so every resource must be an execute-api ARN',
          );
          continue;
        }
        const key = `${api.partition}:${api.region}:${api.accountId}:${api.apiId}`;
        if (apis.has(key)) continue;
        apis.add(key);
        const rp = compile(expandExecuteApiShortForm(decoded.document, api), 'resource', 'ResourcePolicy', rpPath, p);
        if (rp) allPolicies.push(rp);
        cache.set(key, rp);
      }
      resourcePolicyFor = (resource) => {
        const api = parseExecuteApiArn(resource);
        return api === undefined ? undefined : cache.get(`${api.partition}:${api.region}:${api.accountId}:${api.apiId}`);
      };
    }
  }

  const context = contextValuesFromEntries(request.ContextEntries ?? [], at('ContextEntries'), p);
  if (p.lines.length > before || !parsed.ok) return undefined;
  warnings.push(...p.warnings.splice(0));
  return {
    request,
    path,
    principal: parsed.principal,
    actions,
    identity,
    boundaries,
    session,
    scps,
    rcps,
    resourcePolicyFor,
    vpcEndpointPolicy,
    context,
    keyCase: collectKeyCase(allPolicies),
  };
}

function matchedOutput(s: MatchedStatement): MatchedStatementOutput {
  return {
    SourcePolicyId: s.policyId,
    SourcePolicyType: SOURCE_POLICY_TYPE[s.policyType],
    StatementIndex: s.index,
    ...(s.sid !== undefined ? { Sid: s.sid } : {}),
    Effect: s.effect,
    ...(s.conditional ? { Conditional: true as const } : {}),
    ...(s.unknownPolicy ? { UnknownPolicy: true as const } : {}),
  };
}

function conditionalDetail(c: ConditionalOutcome | undefined): unknown {
  return c === undefined ? undefined : conditionalToJson(c);
}

function formatResult(
  prepared: PreparedRequest,
  action: string,
  resource: string,
  r: AuthorizationResult | undefined,
  api: ApiGatewayInvokeResult | undefined,
): EvaluationResultOutput {
  const core = api?.evaluation ?? r;
  const decision = api?.decision ?? r?.decision ?? 'implicitDeny';
  const matched = api?.matchedStatements ?? r?.matchedStatements ?? [];
  const missing = (api?.missingContextKeys ?? r?.missingContextKeys ?? []).map((k) => prepared.keyCase.get(k) ?? k);
  const conditional = api?.conditional ?? r?.conditional;
  const req = prepared.request;
  const scp = core?.organizations.scp;
  const rcp = core?.organizations.rcp;
  const explanation = api ? explainApiGatewayInvoke(api) : r ? explainAuthorization(r) : [];
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: decision,
    MatchedStatements: matched.map(matchedOutput),
    MissingContextValues: missing,
    ...(req.ServiceControlPolicies !== undefined
      ? { OrganizationsDecisionDetail: { AllowedByOrganizations: scp === undefined ? true : scp.allowed } }
      : {}),
    ...(req.PermissionsBoundaryPolicyInputList !== undefined && req.PermissionsBoundaryPolicyInputList.length > 0
      ? {
          PermissionsBoundaryDecisionDetail: {
            AllowedByPermissionsBoundary: core?.permissionsBoundary.present ? core.permissionsBoundary.allowed : true,
          },
        }
      : {}),
    ...(req.ResourceControlPolicies !== undefined
      ? { ResourceControlPolicyDecisionDetail: { AllowedByResourceControlPolicies: rcp === undefined ? true : rcp.allowed } }
      : {}),
    ...(api && req.ApiGateway
      ? {
          ApiGatewayDecisionDetail: {
            Flow: api.flow,
            AuthorizationType: req.ApiGateway.AuthorizationType,
            EndpointType: req.ApiGateway.EndpointType ?? 'REGIONAL',
            ...(api.authorizerDecision !== undefined ? { AuthorizerDecision: api.authorizerDecision } : {}),
          },
        }
      : {}),
    ...(conditional !== undefined ? { ConditionalDetail: conditionalDetail(conditional) } : {}),
    Explanation: explanation,
  };
}

async function run(prepared: PreparedRequest, now: Date): Promise<EvaluationResultOutput[]> {
  const req = prepared.request;
  const mode = req.EvaluationMode ?? 'concrete';
  const rcpServices = prepared.rcps.length > 0 ? await rcpSupportedServices() : undefined;
  const ownerAccount = req.ResourceOwner ? accountOfArn(req.ResourceOwner) : undefined;
  const currentTime = req.CurrentTime !== undefined ? new Date(req.CurrentTime) : now;
  const results: EvaluationResultOutput[] = [];
  for (const resource of req.ResourceArns ?? ['*']) {
    // SimulateCustomPolicy: ResourceOwner is the owner of a resource "that does not identify its owner in the resource ARN";
    // without it, the caller's account.
    // An AWS managed policy (account "aws") is a global resource, not another account's (the engine decides its owner).
    const arnAccount = isAwsManagedPolicyArn(resource) ? undefined : accountOfArn(resource);
    const resourceAccount = arnAccount ? arnAccount : (ownerAccount ?? undefined);
    for (const action of prepared.actions) {
      const context = new RequestContext({
        principal: prepared.principal,
        values: prepared.context,
        mode,
        currentTime,
        request: { action, resource },
        ...(resourceAccount !== undefined ? { resourceAccount } : {}),
      });
      const resourcePolicy = prepared.resourcePolicyFor(resource);
      const common = {
        principal: prepared.principal,
        action,
        resource,
        mode,
        context,
        identityPolicies: prepared.identity,
        permissionsBoundaries: prepared.boundaries,
        sessionPolicies: prepared.session,
        serviceControlPolicies: prepared.scps,
        resourceControlPolicies: prepared.rcps,
        organization: {
          ...(req.ManagementAccountId !== undefined ? { managementAccountId: req.ManagementAccountId } : {}),
          ...(rcpServices !== undefined ? { rcpSupportedServices: rcpServices } : {}),
        },
        ...(resourceAccount !== undefined ? { resourceAccount } : {}),
        ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
      };
      const apiSettings = req.ApiGateway;
      if (apiSettings !== undefined && action.toLowerCase().startsWith('execute-api:')) {
        const api = authorizeApiGatewayInvoke({
          ...common,
          authorizationType: apiSettings.AuthorizationType,
          ...(apiSettings.EndpointType !== undefined ? { endpointType: apiSettings.EndpointType } : {}),
          ...(apiSettings.AuthorizerDecision !== undefined ? { authorizerDecision: apiSettings.AuthorizerDecision } : {}),
          ...(apiSettings.RequireAuthorizationForCacheControl !== undefined
            ? { requireAuthorizationForCacheControl: apiSettings.RequireAuthorizationForCacheControl }
            : {}),
          ...(prepared.vpcEndpointPolicy !== undefined ? { vpcEndpointPolicy: prepared.vpcEndpointPolicy } : {}),
        });
        results.push(formatResult(prepared, action, resource, undefined, api));
      } else {
        results.push(formatResult(prepared, action, resource, authorize(common), undefined));
      }
    }
  }
  return results;
}

export interface SimulationOptions {
  /** The request time when the request gives none (default: now). */
  readonly now?: Date;
}

function fail(p: Problems): never {
  throw new UserInputError(`Invalid simulate request (${p.lines.length} problem${p.lines.length === 1 ? '' : 's'}):`, p.lines);
}

/** Runs one request (an untrusted JSON value). */
export async function runSimulation(raw: unknown, options: SimulationOptions = {}): Promise<SimulateResponse> {
  const p = new Problems();
  const warnings: string[] = [];
  const request = readSimulateRequest(raw, '$', p);
  const prepared = request ? await prepare(request, '$', p, warnings) : undefined;
  if (p.lines.length > 0 || prepared === undefined) fail(p);
  const results = await run(prepared, options.now ?? new Date());
  return { EvaluationResults: results, ...(warnings.length > 0 ? { Warnings: warnings } : {}) };
}

/** Runs a JSON array of requests; every request is checked before any runs. Outputs are in input order. */
export async function runSimulationBatch(raw: unknown, options: SimulationOptions = {}): Promise<SimulateResponse[]> {
  const p = new Problems();
  if (!Array.isArray(raw)) {
    p.add(
      '$',
      `expected a JSON array of simulate requests, got ${raw === null ? 'null' : typeof raw === 'object' ? 'an object' : typeof raw}`,
    );
    fail(p);
  }
  const prepared: { prepared: PreparedRequest; warnings: string[] }[] = [];
  for (const [i, item] of raw.entries()) {
    const warnings: string[] = [];
    const request = readSimulateRequest(item, `$[${i}]`, p);
    const ready = request ? await prepare(request, `$[${i}]`, p, warnings) : undefined;
    if (ready) prepared.push({ prepared: ready, warnings });
  }
  if (p.lines.length > 0) fail(p);
  const now = options.now ?? new Date();
  const out: SimulateResponse[] = [];
  for (const { prepared: pr, warnings } of prepared) {
    out.push({ EvaluationResults: await run(pr, now), ...(warnings.length > 0 ? { Warnings: warnings } : {}) });
  }
  return out;
}
