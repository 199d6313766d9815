import { AUTHORIZATION_TYPES, AUTHORIZER_DECISIONS, ENDPOINT_TYPES } from '../../policy';
import type { AuthorizationType, AuthorizerDecision, EndpointType } from '../../policy';
import {
  CONTEXT_KEY_TYPES,
  type ApiGatewaySettings,
  type ContextEntry,
  type ContextKeyType,
  type PolicyInput,
  type SimulateRequest,
} from './types';

/**
 * Reads an untrusted JSON value into a `SimulateRequest`, collecting every
 * problem as `path: message` (paths like `$.ContextEntries[1].ContextKeyType`).
 */
export class Problems {
  readonly lines: string[] = [];
  /** Things accepted with a warning (policy text AWS stores but that matches nothing), `path: message`. */
  readonly warnings: string[] = [];
  private readonly paths: string[] = [];
  warn(path: string, message: string): void {
    const line = `${path}: ${message}`;
    if (!this.warnings.includes(line)) this.warnings.push(line);
  }
  add(path: string, message: string): void {
    const line = `${path}: ${message}`;
    if (this.lines.includes(line)) return;
    this.lines.push(line);
    this.paths.push(path);
  }
  /** True when a problem was already reported at `path` or below it. */
  reportedAt(path: string): boolean {
    return this.paths.some((x) => x === path || x.startsWith(`${path}.`) || x.startsWith(`${path}[`));
  }
}

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const TOP_LEVEL = new Set([
  'CallerArn',
  'ActionNames',
  'ResourceArns',
  'ResourceOwner',
  'PolicyInputList',
  'PermissionsBoundaryPolicyInputList',
  'ResourcePolicy',
  'ContextEntries',
  'SessionPolicy',
  'ServiceControlPolicies',
  'ResourceControlPolicies',
  'ManagementAccountId',
  'ApiGateway',
  'EvaluationMode',
  'CallerType',
  'CallerTags',
  'CurrentTime',
  // AWS pagination/handling fields: accepted, no effect on a local simulation.
  'MaxItems',
  'Marker',
  'ResourceHandlingOption',
]);

function string(v: unknown, path: string, p: Problems): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  p.add(path, `expected a non-empty string, got ${describe(v)}`);
  return undefined;
}

function stringList(v: unknown, path: string, p: Problems, allowEmpty = false): string[] | undefined {
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) {
    p.add(path, `expected a ${allowEmpty ? '' : 'non-empty '}list of strings, got ${describe(v)}`);
    return undefined;
  }
  const out: string[] = [];
  v.forEach((x, i) => {
    if (typeof x === 'string') out.push(x);
    else p.add(childPath(path, i), `expected a string, got ${describe(x)}`);
  });
  return out.length === v.length ? out : undefined;
}

function policy(v: unknown, path: string, p: Problems): PolicyInput | undefined {
  if (typeof v === 'string' || isObject(v)) return v;
  p.add(path, `expected a policy document (a JSON string or an object), got ${describe(v)}`);
  return undefined;
}

function policyList(v: unknown, path: string, p: Problems): PolicyInput[] | undefined {
  if (!Array.isArray(v)) {
    p.add(path, `expected a list of policy documents, got ${describe(v)}`);
    return undefined;
  }
  const out: PolicyInput[] = [];
  v.forEach((x, i) => {
    const d = policy(x, childPath(path, i), p);
    if (d !== undefined) out.push(d);
  });
  return out.length === v.length ? out : undefined;
}

function levels(v: unknown, path: string, p: Problems): PolicyInput[][] | undefined {
  if (!Array.isArray(v)) {
    p.add(path, `expected a list of organization levels (root first), each a list of policy documents, got ${describe(v)}`);
    return undefined;
  }
  const out: PolicyInput[][] = [];
  v.forEach((level, i) => {
    const l = policyList(level, childPath(path, i), p);
    if (l !== undefined) out.push(l);
  });
  return out.length === v.length ? out : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string, p: Problems): T | undefined {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  p.add(path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(v)}`);
  return undefined;
}

function contextEntries(v: unknown, path: string, p: Problems): ContextEntry[] | undefined {
  if (!Array.isArray(v)) {
    p.add(path, `expected a list of context entries, got ${describe(v)}`);
    return undefined;
  }
  const out: ContextEntry[] = [];
  v.forEach((e, i) => {
    const ePath = childPath(path, i);
    if (!isObject(e)) {
      p.add(ePath, `expected {"ContextKeyName", "ContextKeyValues", "ContextKeyType"}, got ${describe(e)}`);
      return;
    }
    for (const k of Object.keys(e)) {
      if (!['ContextKeyName', 'ContextKeyValues', 'ContextKeyType'].includes(k))
        p.add(childPath(ePath, k), 'unknown field (expected ContextKeyName, ContextKeyValues, ContextKeyType)');
    }
    const name = string(e['ContextKeyName'], childPath(ePath, 'ContextKeyName'), p);
    const values = stringList(e['ContextKeyValues'], childPath(ePath, 'ContextKeyValues'), p, true);
    const type = oneOf<ContextKeyType>(e['ContextKeyType'], CONTEXT_KEY_TYPES, childPath(ePath, 'ContextKeyType'), p);
    if (name !== undefined && values !== undefined && type !== undefined)
      out.push({ ContextKeyName: name, ContextKeyValues: values, ContextKeyType: type });
  });
  return out;
}

function apiGateway(v: unknown, path: string, p: Problems): ApiGatewaySettings | undefined {
  if (!isObject(v)) {
    p.add(path, `expected {"AuthorizationType", "EndpointType", "AuthorizerDecision"}, got ${describe(v)}`);
    return undefined;
  }
  const known = ['AuthorizationType', 'EndpointType', 'AuthorizerDecision', 'RequireAuthorizationForCacheControl', 'VpcEndpointPolicy'];
  for (const k of Object.keys(v)) if (!known.includes(k)) p.add(childPath(path, k), `unknown field (expected ${known.join(', ')})`);
  const authorizationType = oneOf<AuthorizationType>(v['AuthorizationType'], AUTHORIZATION_TYPES, childPath(path, 'AuthorizationType'), p);
  const endpointType =
    v['EndpointType'] === undefined
      ? undefined
      : oneOf<EndpointType>(v['EndpointType'], ENDPOINT_TYPES, childPath(path, 'EndpointType'), p);
  const decision =
    v['AuthorizerDecision'] === undefined
      ? undefined
      : oneOf<AuthorizerDecision>(v['AuthorizerDecision'], AUTHORIZER_DECISIONS, childPath(path, 'AuthorizerDecision'), p);
  const require = v['RequireAuthorizationForCacheControl'];
  if (require !== undefined && typeof require !== 'boolean')
    p.add(childPath(path, 'RequireAuthorizationForCacheControl'), `expected true or false, got ${describe(require)}`);
  const vpce = v['VpcEndpointPolicy'] === undefined ? undefined : policy(v['VpcEndpointPolicy'], childPath(path, 'VpcEndpointPolicy'), p);
  if (authorizationType === undefined) return undefined;
  return {
    AuthorizationType: authorizationType,
    ...(endpointType !== undefined ? { EndpointType: endpointType } : {}),
    ...(decision !== undefined ? { AuthorizerDecision: decision } : {}),
    ...(typeof require === 'boolean' ? { RequireAuthorizationForCacheControl: require } : {}),
    ...(vpce !== undefined ? { VpcEndpointPolicy: vpce } : {}),
  };
}

/** Reads one request; problems are added to `p` with paths under `path`. */
export function readSimulateRequest(raw: unknown, path: string, p: Problems): SimulateRequest | undefined {
  if (!isObject(raw)) {
    p.add(path, `expected a simulate request object, got ${describe(raw)}`);
    return undefined;
  }
  for (const k of Object.keys(raw)) if (!TOP_LEVEL.has(k)) p.add(childPath(path, k), 'unknown field');
  const at = (k: string) => childPath(path, k);

  const callerArn = string(raw['CallerArn'], at('CallerArn'), p);
  const actionNames = stringList(raw['ActionNames'], at('ActionNames'), p);
  const resourceArns = raw['ResourceArns'] === undefined ? undefined : stringList(raw['ResourceArns'], at('ResourceArns'), p);
  let resourceOwner: string | undefined;
  if (raw['ResourceOwner'] !== undefined) {
    resourceOwner = string(raw['ResourceOwner'], at('ResourceOwner'), p);
    if (resourceOwner !== undefined && !/^arn:[a-z-]+:iam::\d{12}:root$/.test(resourceOwner)) {
      p.add(
        at('ResourceOwner'),
        `expected an account root ARN such as "arn:aws:iam::111122223333:root", got ${JSON.stringify(resourceOwner)}`,
      );
    }
  }
  const policyInputList = raw['PolicyInputList'] === undefined ? undefined : policyList(raw['PolicyInputList'], at('PolicyInputList'), p);
  const boundaries =
    raw['PermissionsBoundaryPolicyInputList'] === undefined
      ? undefined
      : policyList(raw['PermissionsBoundaryPolicyInputList'], at('PermissionsBoundaryPolicyInputList'), p);
  const resourcePolicy = raw['ResourcePolicy'] === undefined ? undefined : policy(raw['ResourcePolicy'], at('ResourcePolicy'), p);
  const entries = raw['ContextEntries'] === undefined ? undefined : contextEntries(raw['ContextEntries'], at('ContextEntries'), p);
  const sessionRaw = raw['SessionPolicy'];
  const sessionPolicy =
    sessionRaw === undefined
      ? undefined
      : Array.isArray(sessionRaw)
        ? policyList(sessionRaw, at('SessionPolicy'), p)
        : policy(sessionRaw, at('SessionPolicy'), p);
  const scps =
    raw['ServiceControlPolicies'] === undefined ? undefined : levels(raw['ServiceControlPolicies'], at('ServiceControlPolicies'), p);
  const rcps =
    raw['ResourceControlPolicies'] === undefined ? undefined : levels(raw['ResourceControlPolicies'], at('ResourceControlPolicies'), p);
  let managementAccountId: string | undefined;
  if (raw['ManagementAccountId'] !== undefined) {
    managementAccountId = string(raw['ManagementAccountId'], at('ManagementAccountId'), p);
    if (managementAccountId !== undefined && !/^\d{12}$/.test(managementAccountId))
      p.add(at('ManagementAccountId'), 'expected a 12-digit account id');
  }
  const api = raw['ApiGateway'] === undefined ? undefined : apiGateway(raw['ApiGateway'], at('ApiGateway'), p);
  const mode =
    raw['EvaluationMode'] === undefined
      ? undefined
      : oneOf(raw['EvaluationMode'], ['concrete', 'analysis'] as const, at('EvaluationMode'), p);
  const callerType =
    raw['CallerType'] === undefined ? undefined : oneOf(raw['CallerType'], ['Service', 'Federated'] as const, at('CallerType'), p);
  let callerTags: Record<string, string> | undefined;
  if (raw['CallerTags'] !== undefined) {
    const t = raw['CallerTags'];
    if (!isObject(t) || Object.values(t).some((x) => typeof x !== 'string'))
      p.add(at('CallerTags'), `expected an object of tag names to string values, got ${describe(t)}`);
    else callerTags = t as Record<string, string>;
  }
  let currentTime: string | undefined;
  if (raw['CurrentTime'] !== undefined) {
    currentTime = string(raw['CurrentTime'], at('CurrentTime'), p);
    if (currentTime !== undefined && Number.isNaN(Date.parse(currentTime)))
      p.add(at('CurrentTime'), `expected an ISO 8601 date-time, got ${JSON.stringify(currentTime)}`);
  }

  // Returned even when some fields are wrong (with placeholders), so that the
  // policies are checked too and every problem is reported at once.
  return {
    CallerArn: callerArn ?? '',
    ActionNames: actionNames ?? [],
    ...(resourceArns !== undefined ? { ResourceArns: resourceArns } : {}),
    ...(resourceOwner !== undefined ? { ResourceOwner: resourceOwner } : {}),
    ...(policyInputList !== undefined ? { PolicyInputList: policyInputList } : {}),
    ...(boundaries !== undefined ? { PermissionsBoundaryPolicyInputList: boundaries } : {}),
    ...(resourcePolicy !== undefined ? { ResourcePolicy: resourcePolicy } : {}),
    ...(entries !== undefined ? { ContextEntries: entries } : {}),
    ...(sessionPolicy !== undefined ? { SessionPolicy: sessionPolicy } : {}),
    ...(scps !== undefined ? { ServiceControlPolicies: scps } : {}),
    ...(rcps !== undefined ? { ResourceControlPolicies: rcps } : {}),
    ...(managementAccountId !== undefined ? { ManagementAccountId: managementAccountId } : {}),
    ...(api !== undefined ? { ApiGateway: api } : {}),
    ...(mode !== undefined ? { EvaluationMode: mode } : {}),
    ...(callerType !== undefined ? { CallerType: callerType } : {}),
    ...(callerTags !== undefined ? { CallerTags: callerTags } : {}),
    ...(currentTime !== undefined ? { CurrentTime: currentTime } : {}),
  };
}
