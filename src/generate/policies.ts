/** Builds IAM policy documents (identity policies, boundaries, trust policies) for the synthetic organizations. */
import { CIDRS, TEAMS } from './names';
import { arnPath } from './planApis';
import type { AccountPlan, HttpApiPlan, Plan, PolicyTemplate, RestApiPlan, TrustEntry } from './planTypes';
import type { Rng } from './prng';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };
export interface Statement {
  [key: string]: Json | undefined;
}
export interface PolicyDocument {
  Version: string;
  Id?: string;
  Statement: Statement[];
}

export const VERSION = '2012-10-17';
export const doc = (...statements: Statement[]): PolicyDocument => ({ Version: VERSION, Statement: statements });

/** Makes identity-policy documents for one account, choosing targets from the whole plan. */
export class PolicyFactory {
  private readonly ownApis: readonly RestApiPlan[];
  private readonly ownHttp: readonly HttpApiPlan[];

  constructor(
    private readonly plan: Plan,
    private readonly account: AccountPlan,
    private readonly rng: Rng,
  ) {
    this.ownApis = account.restApis;
    this.ownHttp = account.httpApis;
  }

  private targetApi(): RestApiPlan | undefined {
    const { rng } = this;
    if (this.ownApis.length > 0 && rng.chance(0.7)) return rng.pick(this.ownApis);
    return this.plan.restApis.length > 0 ? rng.pick(this.plan.restApis) : undefined;
  }

  private condition(p: number): Statement | undefined {
    const { rng } = this;
    if (!rng.chance(p)) return undefined;
    switch (
      rng.weighted([
        ['ip', 40],
        ['tag', 30],
        ['mfa', 20],
        ['vpce', 10],
      ] as const)
    ) {
      case 'ip':
        return { IpAddress: { 'aws:SourceIp': rng.sample(CIDRS, rng.range(1, 2)) } };
      case 'tag':
        return { StringEquals: { 'aws:PrincipalTag/team': rng.pick(TEAMS) } };
      case 'mfa':
        return { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
      default:
        return { StringEquals: { 'aws:SourceVpce': `vpce-0${this.rng.chars('0123456789abcdef', 16)}` } };
    }
  }

  private invokeAction(): Json {
    return this.rng.weighted<Json>([
      ['execute-api:Invoke', 75],
      ['execute-api:*', 10],
      ['execute-api:Inv*', 7],
      [['execute-api:Invoke', 'execute-api:InvalidateCache'], 5],
      ['execute-api:invoke', 3],
    ]);
  }

  /** One execute-api resource pattern aimed at an API (every wildcard style appears). */
  invokeResource(api: RestApiPlan): string {
    const { rng } = this;
    const m = api.methods.length > 0 ? rng.pick(api.methods) : undefined;
    const stage = rng.pick(api.stages);
    const verb = m === undefined || m.verb === 'ANY' ? 'GET' : m.verb;
    const path = m === undefined ? '/' : m.path;
    const first = path.split('/')[1] ?? '';
    switch (
      rng.weighted([
        ['api', 15],
        ['stage', 20],
        ['verb', 10],
        ['prefix', 15],
        ['method', 20],
        ['concrete', 8],
        ['qmark', 4],
        ['account', 5],
        ['all', 3],
      ] as const)
    ) {
      case 'api':
        return `${api.arn}/*`;
      case 'stage':
        return `${api.arn}/${stage}/*`;
      case 'verb':
        return `${api.arn}/*/${verb}/*`;
      case 'prefix':
        return `${api.arn}/${stage}/${verb}/${first}*`;
      case 'method':
        return `${api.arn}/${stage}/${m?.verb === 'ANY' ? '*' : verb}${arnPath(path)}`;
      case 'concrete':
        return `${api.arn}/${stage}/${verb}${arnPath(path, String(rng.range(1, 999)))}`;
      case 'qmark':
        return `${api.arn}/${stage.slice(0, -1)}?/${verb}/*`;
      case 'account':
        return `arn:aws:execute-api:${api.region}:${api.accountId}:*/${stage}/*`;
      default:
        return 'arn:aws:execute-api:*:*:*';
    }
  }

  private httpResource(api: HttpApiPlan): string {
    const r = this.rng.pick(api.routes);
    if (r.key === '$default' || this.rng.chance(0.4)) return `${api.arn}/*`;
    const [verb, path] = r.key.split(' ') as [string, string];
    return `${api.arn}/${this.rng.pick(api.stages)}/${verb}${arnPath(path)}`;
  }

  invokeStatement(): Statement | undefined {
    const { rng } = this;
    const resources: string[] = [];
    const n = rng.range(1, 4);
    for (let i = 0; i < n; i++) {
      if (this.plan.httpApis.length > 0 && rng.chance(0.15)) {
        const h = this.ownHttp.length > 0 && rng.chance(0.7) ? rng.pick(this.ownHttp) : rng.pick(this.plan.httpApis);
        resources.push(this.httpResource(h));
      } else {
        const api = this.targetApi();
        if (api) resources.push(this.invokeResource(api));
      }
    }
    if (resources.length === 0) return undefined;
    const s: Statement = {
      Effect: 'Allow',
      Action: this.invokeAction(),
      Resource: resources.length === 1 ? resources[0] : [...new Set(resources)],
    };
    const c = this.condition(0.18);
    if (c) s.Condition = c;
    return s;
  }

  manageStatement(): Statement | undefined {
    const { rng } = this;
    const api = this.targetApi();
    if (!api) return undefined;
    const action = rng.weighted<Json>([
      ['apigateway:*', 30],
      ['apigateway:GET', 25],
      [['apigateway:PATCH', 'apigateway:PUT'], 15],
      ['apigateway:POST', 10],
      ['apigateway:DELETE', 5],
      [['apigateway:GET', 'apigateway:PATCH', 'apigateway:POST', 'apigateway:PUT'], 10],
      ['apigateway:UpdateRestApiPolicy', 5],
    ]);
    const base = `arn:aws:apigateway:${api.region}::`;
    const m = api.methods.length > 0 ? rng.pick(api.methods) : undefined;
    const resource = rng.weighted<Json>([
      [[`${base}/restapis/${api.id}`, `${base}/restapis/${api.id}/*`], 50],
      [`${base}/restapis/*`, 20],
      ['arn:aws:apigateway:*::/*', 10],
      [m ? `${base}/restapis/${api.id}/resources/${m.resourceId}/methods/${m.verb}` : `${base}/restapis/${api.id}`, 10],
      [this.ownHttp.length > 0 ? [`${base}/apis/${this.ownHttp[0]?.id}`, `${base}/apis/${this.ownHttp[0]?.id}/*`] : `${base}/apis/*`, 10],
    ]);
    return { Effect: 'Allow', Action: action, Resource: resource };
  }

  private functionArns(k: number): string[] {
    const all = this.account.functions.length > 0 ? this.account.functions : this.plan.accounts.flatMap((a) => a.functions.slice(0, 3));
    if (all.length === 0) return [`arn:aws:lambda:*:${this.account.id}:function:*`];
    return this.rng.sample(all, k).map((f) => (this.rng.chance(0.2) ? `${f.arn.replace(/-[^-]+$/, '')}-*` : f.arn));
  }

  private roleArns(k: number): string[] {
    const all = this.plan.accounts[this.rng.int(this.plan.accounts.length)]?.roles ?? [];
    const human = all.filter((r) => r.kind === 'human');
    if (human.length === 0) return [`arn:aws:iam::${this.account.id}:role/*`];
    return this.rng.sample(human, k).map((r) => r.arn);
  }

  /** A whole document for a customer managed policy of the given template. */
  document(template: PolicyTemplate): PolicyDocument {
    const { rng } = this;
    const statements: Statement[] = [];
    const push = (s: Statement | undefined, sid?: string) => {
      if (s) statements.push(sid && rng.chance(0.6) ? { Sid: sid, ...s } : s);
    };
    switch (template) {
      case 'invoke': {
        const n = rng.range(1, 3);
        for (let i = 0; i < n; i++) push(this.invokeStatement(), `Invoke${i + 1}`);
        if (rng.chance(0.08))
          push({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:*/prod/DELETE/*' }, 'NoProdDeletes');
        break;
      }
      case 'manage':
        push(this.manageStatement(), 'ManageApis');
        if (rng.chance(0.5)) push(this.manageStatement());
        if (rng.chance(0.5)) push(this.invokeStatement(), 'InvokeOwnApis');
        break;
      case 'readonly':
        push(
          { Effect: 'Allow', Action: ['apigateway:GET', 'lambda:Get*', 'lambda:List*', 'iam:Get*', 'iam:List*'], Resource: '*' },
          'ReadOnly',
        );
        break;
      case 'lambda':
        push(
          {
            Effect: 'Allow',
            Action: rng.pick<Json>(['lambda:InvokeFunction', ['lambda:InvokeFunction', 'lambda:GetFunction'], 'lambda:Invoke*']),
            Resource: this.functionArns(rng.range(1, 3)),
          },
          'InvokeFunctions',
        );
        break;
      case 'assume':
        push({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: this.roleArns(rng.range(1, 3)) }, 'AssumeRoles');
        if (rng.chance(0.2))
          push({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: `arn:aws:iam::*:role/${rng.pick(TEAMS)}-*` });
        break;
      case 'passrole': {
        const integrationRoles = this.account.roles.filter((r) => r.kind === 'integration');
        push(
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: integrationRoles.length > 0 ? rng.pick(integrationRoles).arn : `arn:aws:iam::${this.account.id}:role/*`,
          },
          'PassIntegrationRole',
        );
        const api = this.ownApis.length > 0 ? rng.pick(this.ownApis) : undefined;
        push(
          {
            Effect: 'Allow',
            Action: ['apigateway:PATCH', 'apigateway:POST'],
            Resource: api ? `arn:aws:apigateway:${api.region}::/restapis/${api.id}/*` : 'arn:aws:apigateway:*::/restapis/*',
          },
          'EditIntegrations',
        );
        break;
      }
      case 'deny':
        switch (
          rng.weighted([
            ['prodDelete', 30],
            ['apiDelete', 20],
            ['notResource', 15],
            ['mfa', 20],
            ['ip', 15],
          ] as const)
        ) {
          case 'prodDelete':
            push({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:*/prod/DELETE/*' }, 'NoProdDeletes');
            break;
          case 'apiDelete':
            push({ Effect: 'Deny', Action: 'apigateway:DELETE', Resource: '*' }, 'NoApiDeletes');
            break;
          case 'notResource': {
            const api = this.targetApi();
            push(
              { Effect: 'Deny', Action: 'execute-api:Invoke', NotResource: api ? `${api.arn}/*` : 'arn:aws:execute-api:*:*:*/prod/*' },
              'OnlyThisApi',
            );
            break;
          }
          case 'mfa':
            push(
              {
                Effect: 'Deny',
                Action: ['apigateway:*', 'execute-api:*'],
                Resource: '*',
                Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
              },
              'RequireMfa',
            );
            break;
          default:
            push(
              {
                Effect: 'Deny',
                Action: 'execute-api:*',
                Resource: '*',
                Condition: { NotIpAddress: { 'aws:SourceIp': rng.sample(CIDRS, 2) } },
              },
              'CorporateNetworkOnly',
            );
        }
        break;
      case 'boundary': {
        const region = rng.pick(this.plan.preset.regions);
        push(
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: rng.pick([
              `arn:aws:execute-api:${region}:${this.account.id}:*/*`,
              'arn:aws:execute-api:*:*:*/staging/*',
              'arn:aws:execute-api:*:*:*/*/GET/*',
            ]),
          },
          'BoundaryInvoke',
        );
        push(
          {
            Effect: 'Allow',
            Action: rng.pick<Json>(['apigateway:GET', ['apigateway:GET', 'apigateway:PATCH'], 'apigateway:*']),
            Resource: '*',
          },
          'BoundaryApiGateway',
        );
        push({ Effect: 'Allow', Action: ['sts:AssumeRole', 'lambda:*', 'logs:*'], Resource: '*' }, 'BoundaryOther');
        break;
      }
      default:
        if (rng.chance(0.25)) push({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }, 'PowerUser');
        else
          push(
            {
              Effect: 'Allow',
              Action: rng.pick<Json>([
                ['s3:GetObject', 's3:ListBucket'],
                ['dynamodb:GetItem', 'dynamodb:Query'],
                ['logs:*', 'cloudwatch:*'],
              ]),
              Resource: '*',
            },
            'Data',
          );
    }
    if (statements.length === 0) statements.push({ Effect: 'Allow', Action: 'apigateway:GET', Resource: '*' });
    return doc(...statements);
  }

  /** An inline policy letting the holder assume the given roles. */
  assumeDocument(roleArns: readonly string[]): PolicyDocument {
    return doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArns.length === 1 ? roleArns[0] : [...new Set(roleArns)] });
  }
}

/** A role's trust policy from its planned trust entries. */
export function trustDocument(entries: readonly TrustEntry[]): PolicyDocument {
  return doc(
    ...entries.map((e): Statement => {
      const s: Statement = { Effect: 'Allow', Principal: e.principal };
      if ('Federated' in e.principal) {
        s.Action = 'sts:AssumeRoleWithSAML';
        s.Condition = { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } };
        return s;
      }
      s.Action = e.condition === 'tag' ? ['sts:AssumeRole', 'sts:TagSession'] : 'sts:AssumeRole';
      if (e.condition === 'mfa') s.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
      if (e.condition === 'externalId') s.Condition = { StringEquals: { 'sts:ExternalId': e.value ?? '' } };
      if (e.condition === 'tag') s.Condition = { StringEquals: { 'aws:PrincipalTag/team': e.value ?? '' } };
      return s;
    }),
  );
}
