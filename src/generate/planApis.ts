/** The REST and HTTP APIs of one account's plan: resources, methods, stages, authorization and integrations (called by plan.ts). */
import { DOMAINS, DOMAIN_NAMES, STAGE_PAIRS, apiId, resourceId, shortId } from './names';
import type {
  AccountPlan,
  AuthType,
  FunctionPlan,
  HttpApiPlan,
  HttpIntegrationPlan,
  MethodPlan,
  ResourcePlan,
  RestApiPlan,
  RoutePlan,
} from './planTypes';
import type { Preset } from './presets';
import type { Rng } from './prng';

/** The request path as it appears in an execute-api ARN for a template path: {param} → `*` (or a concrete value). */
export function arnPath(path: string, concrete?: string): string {
  return path.replace(/\{[^}]+\}/g, concrete ?? '*');
}

export function planRestApi(
  rng: Rng,
  acct: AccountPlan,
  preset: Preset,
  integrationRoles: readonly string[],
  execRole: () => string,
): RestApiPlan {
  const domain = rng.pick(DOMAIN_NAMES);
  const words = DOMAINS[domain] as readonly string[];
  const region = rng.pick(preset.regions);
  const id = apiId(rng);
  const arn = `arn:aws:execute-api:${region}:${acct.id}:${id}`;
  const endpoint = rng.weighted([
    ['REGIONAL', 70],
    ['EDGE', 22],
    ['PRIVATE', 8],
  ] as const);
  const name = `${domain}-${rng.pick(['api', 'service', 'backend', 'gateway'])}-${shortId(rng, 4)}`;
  const rootId = apiId(rng);
  const resources: ResourcePlan[] = [{ id: rootId, path: '/' }];
  const methods: MethodPlan[] = [];
  const profile = rng.weighted([
    ['iam', 60],
    ['public', 12],
    ['cognito', 14],
    ['custom', 14],
  ] as const);
  const authWeights: Record<typeof profile, readonly (readonly [AuthType, number])[]> = {
    iam: [
      ['AWS_IAM', 85],
      ['NONE', 5],
      ['CUSTOM', 5],
      ['COGNITO_USER_POOLS', 5],
    ],
    public: [
      ['NONE', 60],
      ['AWS_IAM', 30],
      ['CUSTOM', 10],
    ],
    cognito: [
      ['COGNITO_USER_POOLS', 70],
      ['AWS_IAM', 20],
      ['NONE', 10],
    ],
    custom: [
      ['CUSTOM', 70],
      ['AWS_IAM', 25],
      ['NONE', 5],
    ],
  };
  const customAuthorizer = shortId(rng, 6);
  const cognitoAuthorizer = shortId(rng, 6);
  const nFunctions = Math.max(1, Math.ceil(preset.methodsPerApi / 4));
  const fns: FunctionPlan[] = [];
  for (let f = 0; f < nFunctions; f++) {
    const fnName = `${name}-${words[f % words.length]}${f >= words.length ? `-${f}` : ''}`;
    fns.push({ name: fnName, arn: `arn:aws:lambda:${region}:${acct.id}:function:${fnName}`, region, execRole: execRole(), sources: [] });
  }
  const authorizerFn: FunctionPlan | undefined =
    profile === 'custom' || rng.chance(0.1)
      ? {
          name: `${name}-authorizer`,
          arn: `arn:aws:lambda:${region}:${acct.id}:function:${name}-authorizer`,
          region,
          execRole: execRole(),
          sources: [`${arn}/authorizers/${customAuthorizer}`],
        }
      : undefined;

  const addMethod = (res: ResourcePlan, verb: string): void => {
    if (methods.length >= preset.methodsPerApi) return;
    const auth = rng.weighted(authWeights[profile]);
    const m: MethodPlan = { resourceId: res.id, path: res.path, verb, auth, integration: { type: 'mock' } };
    if (auth === 'CUSTOM') m.authorizerId = customAuthorizer;
    if (auth === 'COGNITO_USER_POOLS') m.authorizerId = cognitoAuthorizer;
    const kind = rng.weighted([
      ['lambda', 72],
      ['http', 14],
      ['mock', 7],
      ['aws-service', 7],
    ] as const);
    if (kind === 'lambda') {
      const fn = rng.pick(fns);
      const cred = rng.weighted([
        ['none', 78],
        ['role', 16],
        ['passthrough', 6],
      ] as const);
      if (cred === 'role' && integrationRoles.length > 0)
        m.integration = { type: 'lambda', fn: fn.arn, credentials: rng.pick(integrationRoles) };
      else if (cred === 'passthrough' && auth === 'AWS_IAM')
        m.integration = { type: 'lambda', fn: fn.arn, credentials: 'arn:aws:iam::*:user/*' };
      else {
        m.integration = { type: 'lambda', fn: fn.arn };
        fn.sources.push(`${arn}/*/${verb === 'ANY' ? '*' : verb}${arnPath(res.path)}`);
      }
    } else if (kind === 'http') m.integration = { type: 'http' };
    else if (kind === 'aws-service')
      m.integration =
        integrationRoles.length > 0 ? { type: 'aws-service', credentials: rng.pick(integrationRoles) } : { type: 'aws-service' };
    methods.push(m);
  };
  const child = (parent: ResourcePlan, part: string): ResourcePlan => {
    const res: ResourcePlan = {
      id: resourceId(rng),
      parentId: parent.id,
      pathPart: part,
      path: `${parent.path === '/' ? '' : parent.path}/${part}`,
    };
    resources.push(res);
    return res;
  };
  if (rng.chance(0.3)) addMethod(resources[0] as ResourcePlan, 'GET');
  let round = 0;
  while (methods.length < preset.methodsPerApi) {
    for (const word of words) {
      if (methods.length >= preset.methodsPerApi) break;
      const part = round === 0 ? word : `${word}-v${round + 1}`;
      const coll = child(resources[0] as ResourcePlan, part);
      for (const verb of rng.sample(['GET', 'POST'], rng.range(1, 2)).sort()) addMethod(coll, verb);
      if (methods.length >= preset.methodsPerApi) break;
      const item = child(coll, `{${word.replace(/s$/, '')}Id}`);
      for (const verb of rng.sample(['GET', 'PUT', 'PATCH', 'DELETE'], rng.range(1, 3)).sort()) addMethod(item, verb);
      if (methods.length < preset.methodsPerApi && rng.chance(0.2)) addMethod(child(item, rng.pick(['history', 'status', 'notes'])), 'GET');
      if (methods.length < preset.methodsPerApi && rng.chance(0.12)) {
        const admin = resources.find((r) => r.path === '/admin') ?? child(resources[0] as ResourcePlan, 'admin');
        if (!resources.some((r) => r.parentId === admin.id)) addMethod(child(admin, '{proxy+}'), 'ANY');
      }
    }
    round++;
  }
  acct.functions.push(...fns);
  if (authorizerFn) acct.functions.push(authorizerFn);
  const stages = [...(rng.pick(STAGE_PAIRS) as readonly string[])].slice(0, preset.stagesPerApi);
  while (stages.length < preset.stagesPerApi) stages.push(`stage${stages.length + 1}`);
  return {
    accountId: acct.id,
    region,
    id,
    name,
    domain,
    endpoint,
    vpce: endpoint === 'PRIVATE' ? `vpce-0${rng.chars('0123456789abcdef', 16)}` : undefined,
    stages,
    rootId,
    resources,
    methods,
    hasPolicy: endpoint === 'PRIVATE' || rng.chance(0.42),
    arn,
  };
}

export function planHttpApi(
  rng: Rng,
  acct: AccountPlan,
  preset: Preset,
  integrationRoles: readonly string[],
  execRole: () => string,
): HttpApiPlan {
  const domain = rng.pick(DOMAIN_NAMES);
  const words = DOMAINS[domain] as readonly string[];
  const region = rng.pick(preset.regions);
  const id = apiId(rng);
  const arn = `arn:aws:execute-api:${region}:${acct.id}:${id}`;
  const name = `${domain}-http-${shortId(rng, 4)}`;
  const fns: FunctionPlan[] = [0, 1].map((f) => {
    const fnName = `${name}-${f === 0 ? 'handler' : 'worker'}`;
    return { name: fnName, arn: `arn:aws:lambda:${region}:${acct.id}:function:${fnName}`, region, execRole: execRole(), sources: [] };
  });
  const integrations: HttpIntegrationPlan[] = [];
  const nIntegrations = rng.range(1, 3);
  for (let i = 0; i < nIntegrations; i++) {
    const fn = fns[i % fns.length] as FunctionPlan;
    if (rng.chance(0.2)) integrations.push({ id: shortId(rng), url: `https://${words[i % words.length]}.internal.example.com` });
    else if (rng.chance(0.15) && integrationRoles.length > 0)
      integrations.push({ id: shortId(rng), fn: fn.arn, credentials: rng.pick(integrationRoles) });
    else {
      integrations.push({ id: shortId(rng), fn: fn.arn });
      if (!fn.sources.includes(`${arn}/*`)) fn.sources.push(rng.chance(0.5) ? `${arn}/*` : `${arn}/*/*/${words[0]}*`);
    }
  }
  const routes: RoutePlan[] = [];
  const jwtAuthorizer = shortId(rng, 6);
  const customAuthorizer = shortId(rng, 6);
  const keys: string[] = [];
  for (const word of words) {
    keys.push(`GET /${word}`, `POST /${word}`, `GET /${word}/{id}`, `DELETE /${word}/{id}`);
  }
  const chosen = keys.slice(0, preset.routesPerHttpApi - (rng.chance(0.15) ? 1 : 0));
  if (chosen.length < preset.routesPerHttpApi) chosen.push('$default');
  for (const key of chosen) {
    const auth = rng.weighted([
      ['AWS_IAM', 40],
      ['JWT', 30],
      ['NONE', 15],
      ['CUSTOM', 15],
    ] as const);
    routes.push({
      id: shortId(rng),
      key,
      auth,
      authorizerId: auth === 'JWT' ? jwtAuthorizer : auth === 'CUSTOM' ? customAuthorizer : undefined,
      integrationId: rng.pick<HttpIntegrationPlan>(integrations).id,
    });
  }
  acct.functions.push(...fns);
  const stages = rng.chance(0.6) ? ['$default'] : ['$default', 'prod'];
  return { accountId: acct.id, region, id, name, domain, stages, routes, integrations, arn };
}
