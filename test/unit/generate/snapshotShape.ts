/**
 * Test helper: checks that a snapshot directory (seed/ or a generator output)
 * has the layout and the AWS CLI shapes whocan reads. Returns a list of
 * problems (empty when all is well) and what it saw.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ShapeReport {
  problems: string[];
  files: number;
  users: number;
  groups: number;
  roles: number;
  customerManagedPolicies: number;
  restApis: number;
  methods: number;
  restStages: number;
  httpApis: number;
  routes: number;
  functions: number;
  functionPolicies: number;
  /** Interface VPC endpoints for execute-api, and how many of them print a PolicyDocument. */
  executeApiEndpoints: number;
  endpointPolicies: number;
  /** IAM entity ARNs seen more than once across the pages of one account. */
  duplicateArns: string[];
  urlEncodedDocuments: number;
  nonDefaultVersions: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** An IAM policy document as found in get-account-authorization-details: an object, or a URL-encoded JSON string. */
export function decodeIamDocument(value: unknown): Obj | undefined {
  if (isObj(value)) return value;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(decodeURIComponent(value));
      return isObj(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** get-rest-apis `policy`: a string with backslash-escaped quotes and slashes. */
export function decodeRestApiPolicy(value: string): Obj | undefined {
  try {
    const once: unknown = JSON.parse(`"${value}"`);
    const parsed: unknown = typeof once === 'string' ? JSON.parse(once) : undefined;
    return isObj(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isPolicyDocument(d: Obj | undefined): boolean {
  return (
    d !== undefined &&
    Array.isArray(d.Statement) &&
    (d.Statement as unknown[]).every((s) => isObj(s) && (s.Effect === 'Allow' || s.Effect === 'Deny'))
  );
}

const AUTH_TYPES = new Set(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']);
const ROUTE_AUTH_TYPES = new Set(['NONE', 'AWS_IAM', 'CUSTOM', 'JWT']);
const VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);

export function checkSnapshot(dir: string): ShapeReport {
  const r: ShapeReport = {
    problems: [],
    files: 0,
    users: 0,
    groups: 0,
    roles: 0,
    customerManagedPolicies: 0,
    restApis: 0,
    methods: 0,
    restStages: 0,
    httpApis: 0,
    routes: 0,
    functions: 0,
    functionPolicies: 0,
    executeApiEndpoints: 0,
    endpointPolicies: 0,
    duplicateArns: [],
    urlEncodedDocuments: 0,
    nonDefaultVersions: 0,
  };
  const problem = (file: string, what: string) => r.problems.push(`${file}: ${what}`);
  const need = (file: string, o: unknown, keys: readonly string[], where = ''): o is Obj => {
    if (!isObj(o)) {
      problem(file, `${where || 'document'} is not an object`);
      return false;
    }
    for (const k of keys) if (!(k in o)) problem(file, `${where ? `${where}: ` : ''}missing ${k}`);
    return true;
  };
  const list = (file: string, o: Obj, key: string): unknown[] => {
    const v = o[key];
    if (!Array.isArray(v)) {
      problem(file, `${key} is not a list`);
      return [];
    }
    return v;
  };
  const iamDoc = (file: string, where: string, value: unknown) => {
    if (typeof value === 'string') r.urlEncodedDocuments++;
    if (!isPolicyDocument(decodeIamDocument(value))) problem(file, `${where}: not a policy document`);
  };

  const seenArns = new Map<string, Set<string>>();
  const functionNames = new Map<string, Set<string>>();
  const functionPolicyFiles: string[] = [];
  const restApiIds = new Map<string, Set<string>>();
  const restApiDirs = new Set<string>();

  for (const file of listFiles(dir)) {
    if (file.endsWith('.md') || file.startsWith('rules/')) continue;
    r.files++;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (e) {
      problem(file, `not valid JSON (${(e as Error).message})`);
      continue;
    }
    const parts = file.split('/');
    if (file === 'generated.json') {
      need(file, json, ['preset', 'seed', 'counts']);
    } else if (file === 'organization.json') {
      if (!need(file, json, ['ManagementAccountId', 'Roots', 'OrganizationalUnits', 'Accounts', 'Policies'])) continue;
      for (const ou of list(file, json, 'OrganizationalUnits')) need(file, ou, ['Id', 'Name', 'ParentId'], 'OU');
      for (const a of list(file, json, 'Accounts')) need(file, a, ['Id', 'Name', 'ParentId'], 'account');
      for (const p of list(file, json, 'Policies')) {
        if (!need(file, p, ['Id', 'Name', 'Type', 'Content', 'Targets'], 'policy')) continue;
        if (p.Type !== 'SERVICE_CONTROL_POLICY' && p.Type !== 'RESOURCE_CONTROL_POLICY') problem(file, `policy ${String(p.Id)}: bad Type`);
        try {
          if (!isPolicyDocument(JSON.parse(String(p.Content)) as Obj)) problem(file, `policy ${String(p.Id)}: Content is not a policy`);
        } catch {
          problem(file, `policy ${String(p.Id)}: Content is not JSON`);
        }
        for (const t of list(file, p, 'Targets')) need(file, t, ['TargetId', 'Type'], `policy ${String(p.Id)} target`);
      }
    } else if (parts.length === 3 && parts[1] === 'iam' && /^authorization-details(-\d+)?\.json$/.test(parts[2] as string)) {
      const account = parts[0] as string;
      if (!/^\d{12}$/.test(account)) problem(file, 'account directory is not a 12-digit id');
      if (!need(file, json, ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'])) continue;
      const seen = seenArns.get(account) ?? new Set<string>();
      seenArns.set(account, seen);
      const note = (arn: unknown) => {
        const a = String(arn);
        if (seen.has(a)) r.duplicateArns.push(a);
        seen.add(a);
      };
      for (const u of list(file, json, 'UserDetailList')) {
        if (!need(file, u, ['UserName', 'UserId', 'Arn', 'CreateDate', 'UserPolicyList', 'GroupList', 'AttachedManagedPolicies'], 'user'))
          continue;
        r.users++;
        note(u.Arn);
        for (const p of list(file, u, 'UserPolicyList'))
          if (need(file, p, ['PolicyName', 'PolicyDocument'], `user ${String(u.UserName)} policy`))
            iamDoc(file, `user ${String(u.UserName)}`, p.PolicyDocument);
        if (u.PermissionsBoundary !== undefined)
          need(file, u.PermissionsBoundary, ['PermissionsBoundaryType', 'PermissionsBoundaryArn'], 'boundary');
      }
      for (const g of list(file, json, 'GroupDetailList')) {
        if (!need(file, g, ['GroupName', 'GroupId', 'Arn', 'GroupPolicyList', 'AttachedManagedPolicies'], 'group')) continue;
        r.groups++;
        note(g.Arn);
        for (const p of list(file, g, 'GroupPolicyList'))
          if (need(file, p, ['PolicyName', 'PolicyDocument'], 'group policy'))
            iamDoc(file, `group ${String(g.GroupName)}`, p.PolicyDocument);
      }
      for (const ro of list(file, json, 'RoleDetailList')) {
        if (
          !need(
            file,
            ro,
            ['RoleName', 'RoleId', 'Arn', 'AssumeRolePolicyDocument', 'RolePolicyList', 'AttachedManagedPolicies', 'InstanceProfileList'],
            'role',
          )
        )
          continue;
        r.roles++;
        note(ro.Arn);
        iamDoc(file, `role ${String(ro.RoleName)} trust`, ro.AssumeRolePolicyDocument);
        for (const p of list(file, ro, 'RolePolicyList'))
          if (need(file, p, ['PolicyName', 'PolicyDocument'], 'role policy')) iamDoc(file, `role ${String(ro.RoleName)}`, p.PolicyDocument);
      }
      for (const p of list(file, json, 'Policies')) {
        if (!need(file, p, ['PolicyName', 'PolicyId', 'Arn', 'DefaultVersionId', 'AttachmentCount', 'PolicyVersionList'], 'managed policy'))
          continue;
        if (!String(p.Arn).startsWith('arn:aws:iam::aws:')) r.customerManagedPolicies++;
        note(p.Arn);
        const versions = list(file, p, 'PolicyVersionList').filter(isObj);
        const defaults = versions.filter((v) => v.IsDefaultVersion === true);
        r.nonDefaultVersions += versions.length - defaults.length;
        if (defaults.length !== 1 || defaults[0]?.VersionId !== p.DefaultVersionId)
          problem(file, `policy ${String(p.PolicyName)}: exactly one default version must match DefaultVersionId`);
        for (const v of versions) iamDoc(file, `policy ${String(p.PolicyName)} ${String(v.VersionId)}`, v.Document);
      }
    } else if (parts.length === 4 && parts[2] === 'apigateway' && parts[3] === 'rest-apis.json') {
      if (!need(file, json, ['items'])) continue;
      const ids = new Set<string>();
      restApiIds.set(`${parts[0]}/${parts[1]}`, ids);
      for (const a of list(file, json, 'items')) {
        if (!need(file, a, ['id', 'name', 'endpointConfiguration', 'rootResourceId'], 'rest api')) continue;
        r.restApis++;
        ids.add(String(a.id));
        if (!isObj(a.endpointConfiguration) || !Array.isArray(a.endpointConfiguration.types))
          problem(file, `api ${String(a.id)}: endpointConfiguration.types missing`);
        if (a.policy !== undefined && (typeof a.policy !== 'string' || !isPolicyDocument(decodeRestApiPolicy(a.policy))))
          problem(file, `api ${String(a.id)}: policy is not an escaped policy string`);
      }
    } else if (parts.length === 5 && parts[2] === 'apigateway' && parts[4] === 'resources.json') {
      restApiDirs.add(`${parts[0]}/${parts[1]}/${parts[3]}`);
      if (!need(file, json, ['items'])) continue;
      for (const res of list(file, json, 'items')) {
        if (!need(file, res, ['id', 'path'], 'resource')) continue;
        if (res.path !== '/' && !('parentId' in res && 'pathPart' in res))
          problem(file, `resource ${String(res.id)}: missing parentId/pathPart`);
        if (res.resourceMethods === undefined) continue;
        if (!isObj(res.resourceMethods)) {
          problem(file, 'resourceMethods is not an object');
          continue;
        }
        for (const [verb, m] of Object.entries(res.resourceMethods)) {
          if (!need(file, m, ['httpMethod', 'authorizationType', 'apiKeyRequired'], `${verb} ${String(res.path)}`)) continue;
          r.methods++;
          if (!VERBS.has(verb) || m.httpMethod !== verb) problem(file, `${verb} ${String(res.path)}: bad httpMethod`);
          if (!AUTH_TYPES.has(String(m.authorizationType))) problem(file, `${verb} ${String(res.path)}: bad authorizationType`);
          if ((m.authorizationType === 'CUSTOM' || m.authorizationType === 'COGNITO_USER_POOLS') && !m.authorizerId)
            problem(file, `${verb} ${String(res.path)}: authorizer without authorizerId`);
          if (m.methodIntegration !== undefined && need(file, m.methodIntegration, ['type'], `${verb} ${String(res.path)} integration`)) {
            const i = m.methodIntegration;
            if (
              i.type === 'AWS_PROXY' &&
              !/^arn:aws:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/arn:aws:lambda:[^/]+\/invocations$/.test(String(i.uri))
            ) {
              problem(file, `${verb} ${String(res.path)}: bad Lambda integration uri ${String(i.uri)}`);
            }
          }
        }
      }
    } else if (parts.length === 5 && parts[2] === 'apigateway' && parts[4] === 'stages.json') {
      if (!need(file, json, ['item'])) continue;
      for (const s of list(file, json, 'item')) if (need(file, s, ['stageName', 'deploymentId'], 'stage')) r.restStages++;
    } else if (parts.length === 4 && parts[2] === 'apigatewayv2' && parts[3] === 'apis.json') {
      if (!need(file, json, ['Items'])) continue;
      for (const a of list(file, json, 'Items'))
        if (need(file, a, ['ApiId', 'Name', 'ProtocolType', 'ApiEndpoint'], 'http api')) r.httpApis++;
    } else if (parts.length === 5 && parts[2] === 'apigatewayv2' && parts[4] === 'routes.json') {
      if (!need(file, json, ['Items'])) continue;
      let integrationIds = new Set<string>();
      try {
        const integ = JSON.parse(fs.readFileSync(path.join(dir, parts.slice(0, 4).join('/'), 'integrations.json'), 'utf8')) as {
          Items: { IntegrationId: string }[];
        };
        integrationIds = new Set(integ.Items.map((i) => i.IntegrationId));
      } catch {
        problem(file, 'no readable integrations.json beside it');
      }
      for (const rt of list(file, json, 'Items')) {
        if (!need(file, rt, ['RouteId', 'RouteKey', 'AuthorizationType'], 'route')) continue;
        r.routes++;
        if (!ROUTE_AUTH_TYPES.has(String(rt.AuthorizationType))) problem(file, `route ${String(rt.RouteKey)}: bad AuthorizationType`);
        if (
          rt.Target !== undefined &&
          !integrationIds.has(
            JSON.stringify(rt.Target)
              .slice(1, -1)
              .replace(/^integrations\//, ''),
          )
        )
          problem(file, `route ${String(rt.RouteKey)}: Target ${JSON.stringify(rt.Target)} not in integrations.json`);
      }
    } else if (parts.length === 5 && parts[2] === 'apigatewayv2' && parts[4] === 'integrations.json') {
      if (!need(file, json, ['Items'])) continue;
      for (const i of list(file, json, 'Items')) need(file, i, ['IntegrationId', 'IntegrationType'], 'integration');
    } else if (parts.length === 5 && parts[2] === 'apigatewayv2' && parts[4] === 'stages.json') {
      if (!need(file, json, ['Items'])) continue;
      for (const s of list(file, json, 'Items')) need(file, s, ['StageName'], 'stage');
    } else if (parts.length === 4 && parts[2] === 'lambda' && parts[3] === 'functions.json') {
      if (!need(file, json, ['Functions'])) continue;
      const names = new Set<string>();
      functionNames.set(`${parts[0]}/${parts[1]}`, names);
      for (const f of list(file, json, 'Functions')) {
        if (!need(file, f, ['FunctionName', 'FunctionArn', 'Role', 'Runtime'], 'function')) continue;
        r.functions++;
        names.add(String(f.FunctionName));
      }
    } else if (parts.length === 4 && parts[2] === 'ec2' && parts[3] === 'vpc-endpoints.json') {
      if (!need(file, json, ['VpcEndpoints'])) continue;
      for (const e of list(file, json, 'VpcEndpoints')) {
        if (!need(file, e, ['VpcEndpointId', 'VpcEndpointType', 'VpcId', 'ServiceName', 'State', 'OwnerId'], 'endpoint')) continue;
        if (e.OwnerId !== parts[0]) problem(file, `endpoint ${String(e.VpcEndpointId)}: OwnerId is not the account`);
        if (e.ServiceName !== `com.amazonaws.${parts[1]}.execute-api`) continue;
        r.executeApiEndpoints++;
        if (e.PolicyDocument === undefined) continue;
        r.endpointPolicies++;
        try {
          if (typeof e.PolicyDocument !== 'string' || !isPolicyDocument(JSON.parse(e.PolicyDocument) as Obj))
            problem(file, `endpoint ${String(e.VpcEndpointId)}: PolicyDocument is not a policy as a JSON string`);
        } catch {
          problem(file, `endpoint ${String(e.VpcEndpointId)}: PolicyDocument is not JSON`);
        }
      }
    } else if (parts.length === 5 && parts[2] === 'lambda' && parts[3] === 'policies') {
      functionPolicyFiles.push(file);
      if (!need(file, json, ['Policy', 'RevisionId'])) continue;
      r.functionPolicies++;
      let policy: Obj | undefined;
      try {
        policy = typeof json.Policy === 'string' ? (JSON.parse(json.Policy) as Obj) : undefined;
      } catch {
        policy = undefined;
      }
      if (!isPolicyDocument(policy)) problem(file, 'Policy is not a JSON policy string');
    } else {
      problem(file, 'unexpected file in the layout');
    }
  }
  for (const f of functionPolicyFiles) {
    const [acct, region, , , name] = f.split('/');
    if (!functionNames.get(`${acct}/${region}`)?.has((name as string).replace(/\.json$/, '')))
      problem(f, 'policy for a function not in functions.json');
  }
  for (const [key, ids] of restApiIds)
    for (const id of ids) if (!restApiDirs.has(`${key}/${id}`)) problem(`${key}/apigateway`, `API ${id} has no resources.json`);
  for (const d of restApiDirs) {
    const [acct, region, id] = d.split('/');
    if (!restApiIds.get(`${acct}/${region}`)?.has(id as string)) problem(d, 'resources.json for an API not in rest-apis.json');
  }
  return r;
}
