/**
 * The skeleton of a synthetic organization: accounts, names of every principal,
 * APIs with their resources and methods, Lambda functions, role chains and
 * trust. Policy documents and other details are filled in later, one account
 * at a time, from this plan (see iam.ts, apigateway.ts, lambda.ts).
 */

import { accountOfArn } from '../policy';
import { FIRST_NAMES, LAST_NAMES, TEAMS, accountId, shortId } from './names';
import type { Preset } from './presets';
import { Rng } from './prng';
import { planHttpApi, planRestApi } from './planApis';
import type { AccountKind, AccountPlan, HttpApiPlan, OuPlan, Plan, PolicyTemplate, RestApiPlan, RoleKind, RolePlan } from './planTypes';

/** Splits total into integer parts proportional to weights (largest remainder), summing exactly to total. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = (order[k] as readonly [number, number])[1];
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}

const KIND_WEIGHTS: Record<AccountKind, { users: number; roles: number; apis: number }> = {
  management: { users: 2, roles: 2, apis: 0 },
  identity: { users: 55, roles: 15, apis: 0 },
  workload: { users: 38, roles: 75, apis: 90 },
  sandbox: { users: 5, roles: 8, apis: 10 },
};

function accountKinds(n: number): AccountKind[] {
  const kinds: AccountKind[] = ['management'];
  const identity = Math.max(1, Math.round(n * 0.1));
  const sandbox = n >= 10 ? Math.max(1, Math.round(n * 0.1)) : 0;
  for (let i = 0; i < identity && kinds.length < n; i++) kinds.push('identity');
  const workloads = n - kinds.length - sandbox;
  for (let i = 0; i < workloads; i++) kinds.push('workload');
  for (let i = 0; i < sandbox; i++) kinds.push('sandbox');
  return kinds;
}

/** Per-account weights for one measure, each kind's share split evenly among accounts of that kind. */
function kindShares(kinds: readonly AccountKind[], measure: 'users' | 'roles' | 'apis'): number[] {
  const perKind = new Map<AccountKind, number>();
  for (const k of kinds) perKind.set(k, (perKind.get(k) ?? 0) + 1);
  return kinds.map((k) => KIND_WEIGHTS[k][measure] / (perKind.get(k) ?? 1));
}

export function makePlan(preset: Preset, seed: number): Plan {
  const root = new Rng(`whocan-generate/${preset.name}/${seed}`);
  const rng = root.fork('plan');
  const orgId = `o-${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}`;
  const rootId = `r-${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 4)}`;
  const rootSuffix = rootId.slice(2);
  const ouId = () => `ou-${rootSuffix}-${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 8)}`;

  const kinds = accountKinds(preset.accounts);
  const ous: OuPlan[] = [];
  const security: OuPlan = { id: ouId(), name: 'Security', parentId: rootId };
  const workloads: OuPlan = { id: ouId(), name: 'Workloads', parentId: rootId };
  ous.push(security, workloads);
  let prodOu = workloads;
  let nonProdOu = workloads;
  if (preset.accounts >= 10) {
    prodOu = { id: ouId(), name: 'Prod', parentId: workloads.id };
    nonProdOu = { id: ouId(), name: 'NonProd', parentId: workloads.id };
    ous.push(prodOu, nonProdOu);
  }
  let sandboxOu: OuPlan | undefined;
  if (kinds.includes('sandbox')) {
    sandboxOu = { id: ouId(), name: 'Sandbox', parentId: rootId };
    ous.push(sandboxOu);
  }

  const usedIds = new Set<string>();
  const freshAccountId = (): string => {
    for (;;) {
      const id = accountId(rng);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  let workloadCount = 0;
  const accounts: AccountPlan[] = kinds.map((kind, index) => {
    const id = freshAccountId();
    let name: string;
    let parentId: string;
    if (kind === 'management') {
      name = 'management';
      parentId = rootId;
    } else if (kind === 'identity') {
      name = `identity-${index}`;
      parentId = security.id;
    } else if (kind === 'workload') {
      const prod = workloadCount++ % 2 === 0;
      name = `${prod ? 'prod' : 'nonprod'}-${TEAMS[index % TEAMS.length]}-${index}`;
      parentId = prod ? prodOu.id : nonProdOu.id;
    } else {
      name = `sandbox-${index}`;
      parentId = (sandboxOu as OuPlan).id;
    }
    return {
      index,
      id,
      name,
      kind,
      parentId,
      email: `aws+${name}@example.com`,
      users: [],
      groups: [],
      roles: [],
      policies: [],
      restApis: [],
      httpApis: [],
      functions: [],
      iamPages: 1,
    };
  });
  const partners = Array.from({ length: preset.partnerAccounts }, () => freshAccountId());
  const management = accounts[0] as AccountPlan;

  const usersPer = apportion(preset.users, kindShares(kinds, 'users'));
  const groupsPer = apportion(preset.groups, usersPer);
  const rolesPer = apportion(preset.roles, kindShares(kinds, 'roles'));
  const policiesPer = apportion(
    preset.policies,
    usersPer.map((u, i) => u + (rolesPer[i] as number) * 2),
  );
  const apiShares = kindShares(kinds, 'apis');
  const restPer = apportion(preset.restApis, apiShares);
  const httpPer = apportion(preset.httpApis, apiShares);

  // ---- principals
  const userNames = new Map<string, number>();
  for (const acct of accounts) {
    const a = acct.index;
    for (let i = 0; i < (usersPer[a] as number); i++) {
      const base = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`;
      const n = (userNames.get(base) ?? 0) + 1;
      userNames.set(base, n);
      const name = n === 1 ? base : `${base}${n}`;
      acct.users.push({ name, arn: `arn:aws:iam::${acct.id}:user/${name}`, team: rng.pick(TEAMS), groups: [], assumes: [] });
    }
    const groupKinds = ['developers', 'operators', 'readers', 'api-callers', 'admins', 'oncall', 'auditors', 'contractors'];
    const groupNames = new Set<string>();
    for (let i = 0; i < (groupsPer[a] as number); i++) {
      let name = `${rng.pick(TEAMS)}-${rng.pick(groupKinds)}`;
      if (groupNames.has(name)) name = `${name}-${i}`;
      groupNames.add(name);
      acct.groups.push({ name, arn: `arn:aws:iam::${acct.id}:group/${name}`, team: name.split('-')[0] as string, assumes: [] });
    }
    for (const user of acct.users) {
      if (acct.groups.length === 0) break;
      const k = rng.weighted([
        [0, 10],
        [1, 45],
        [2, 35],
        [3, 10],
      ] as const);
      user.groups = rng.sample(acct.groups, k).map((g) => g.name);
    }
    // roles
    const nRoles = rolesPer[a] as number;
    const holdsApis = (restPer[a] as number) + (httpPer[a] as number) > 0;
    const roleKinds: RoleKind[] = [];
    if (acct.kind !== 'management' && nRoles > 0) roleKinds.push('orgaccess');
    if (holdsApis) roleKinds.push('integration', 'lambda');
    while (roleKinds.length < nRoles) {
      roleKinds.push(
        holdsApis
          ? rng.weighted([
              ['human', 62],
              ['integration', 8],
              ['lambda', 12],
              ['ec2', 6],
              ['partner', 4],
              ['admin', 3],
            ] as const)
          : rng.weighted([
              ['human', 85],
              ['ec2', 5],
              ['admin', 5],
              ['partner', 1],
            ] as const),
      );
    }
    roleKinds.length = nRoles;
    const roleNames = new Set<string>();
    const purposes: Record<RoleKind, readonly string[]> = {
      orgaccess: ['OrganizationAccountAccessRole'],
      admin: ['admin', 'break-glass', 'platform-admin'],
      human: ['developer', 'deployer', 'operator', 'readonly', 'api-admin', 'api-caller', 'support', 'analyst', 'ci'],
      integration: ['apigw-invoke', 'apigw-integration', 'apigw-backend'],
      lambda: ['lambda-exec', 'fn-exec', 'worker-exec'],
      ec2: ['instance', 'batch-host', 'report-host'],
      partner: ['partner-access', 'vendor-integration', 'partner-sync'],
    };
    for (let i = 0; i < roleKinds.length; i++) {
      const kind = roleKinds[i] as RoleKind;
      const team = rng.pick(TEAMS);
      let name = kind === 'orgaccess' ? 'OrganizationAccountAccessRole' : `${team}-${rng.pick(purposes[kind])}`;
      if (roleNames.has(name)) name = `${name}-${i}`;
      roleNames.add(name);
      const role: RolePlan = { name, arn: `arn:aws:iam::${acct.id}:role/${name}`, kind, team, trust: [], assumes: [] };
      switch (kind) {
        case 'orgaccess':
          role.trust.push({ principal: { AWS: `arn:aws:iam::${management.id}:root` } });
          break;
        case 'integration':
          role.trust.push({ principal: { Service: 'apigateway.amazonaws.com' } });
          break;
        case 'lambda':
          role.trust.push({ principal: { Service: 'lambda.amazonaws.com' } });
          break;
        case 'ec2':
          role.trust.push({ principal: { Service: 'ec2.amazonaws.com' } });
          break;
        case 'partner':
          role.trust.push({
            principal: { AWS: `arn:aws:iam::${rng.pick(partners)}:root` },
            condition: 'externalId',
            value: `${team}-${shortId(rng, 12)}`,
          });
          break;
        case 'admin':
        case 'human':
          if (rng.chance(0.5))
            role.trust.push({ principal: { Federated: `arn:aws:iam::${acct.id}:saml-provider/corp-idp` }, condition: 'saml' });
          else role.trust.push({ principal: { AWS: `arn:aws:iam::${acct.id}:root` }, condition: rng.chance(0.4) ? 'mfa' : undefined });
          break;
      }
      acct.roles.push(role);
    }
    // customer managed policies
    const policyNames = new Set<string>();
    for (let i = 0; i < (policiesPer[a] as number); i++) {
      const template = rng.weighted([
        ['invoke', 34],
        ['manage', 14],
        ['readonly', 9],
        ['lambda', 8],
        ['assume', 8],
        ['passrole', 4],
        ['deny', 7],
        ['boundary', 6],
        ['misc', 10],
      ] as const);
      const words: Record<PolicyTemplate, readonly string[]> = {
        invoke: ['InvokeApis', 'ApiCallers', 'InvokeProd', 'InvokeStaging', 'CallPartnerApi'],
        manage: ['ManageApis', 'ApiDeveloper', 'ApiDeploy', 'ApiMaintainer'],
        readonly: ['ReadOnly', 'ApiViewer', 'Audit'],
        lambda: ['InvokeFunctions', 'LambdaDeveloper'],
        assume: ['AssumeRoles', 'CrossAccountAccess', 'JumpRoles'],
        passrole: ['IntegrationDeploy', 'PassApiRoles'],
        deny: ['Guardrails', 'DenyProdDeletes', 'RequireMfa', 'NetworkFence'],
        boundary: ['DeveloperBoundary', 'ContractorBoundary', 'WorkloadBoundary'],
        misc: ['DataAccess', 'Observability', 'PowerUser', 'Storage'],
      };
      let name = `${capitalizeTeam(rng.pick(TEAMS))}${rng.pick(words[template])}`;
      if (policyNames.has(name)) name = `${name}${i}`;
      policyNames.add(name);
      acct.policies.push({ name, arn: `arn:aws:iam::${acct.id}:policy/${name}`, template });
    }
    const entities = acct.users.length + acct.groups.length + acct.roles.length + acct.policies.length;
    if (acct.index % 2 === 1 && entities > 20) acct.iamPages = Math.min(4, 2 + (acct.index % 3));
  }

  // ---- APIs and functions
  const restApis: RestApiPlan[] = [];
  const httpApis: HttpApiPlan[] = [];
  for (const acct of accounts) {
    const integrationRoles = acct.roles.filter((r) => r.kind === 'integration').map((r) => r.arn);
    const execRoles = acct.roles.filter((r) => r.kind === 'lambda').map((r) => r.arn);
    const execRole = (): string =>
      execRoles.length > 0 ? rng.pick(execRoles) : `arn:aws:iam::${acct.id}:role/service-role/lambda-default`;
    for (let i = 0; i < (restPer[acct.index] as number); i++) {
      const api = planRestApi(rng, acct, preset, integrationRoles, execRole);
      acct.restApis.push(api);
      restApis.push(api);
    }
    for (let i = 0; i < (httpPer[acct.index] as number); i++) {
      const api = planHttpApi(rng, acct, preset, integrationRoles, execRole);
      acct.httpApis.push(api);
      httpApis.push(api);
    }
  }

  // ---- role chains (user or group → role → role …, up to 5 roles), across accounts
  const humanRoles = accounts.flatMap((a) => a.roles.filter((r) => r.kind === 'human' || r.kind === 'admin'));
  const identityRoles = accounts.filter((a) => a.kind === 'identity').flatMap((a) => a.roles.filter((r) => r.kind === 'human'));
  const byId = new Map(accounts.map((a) => [a.id, a] as const));
  const chains = humanRoles.length === 0 ? 0 : Math.max(1, Math.round(preset.roles * 0.12));
  let longestChain = 0;
  for (let c = 0; c < chains; c++) {
    const length = rng.weighted([
      [1, 20],
      [2, 35],
      [3, 25],
      [4, 12],
      [5, 8],
    ] as const);
    const first = identityRoles.length > 0 && rng.chance(0.7) ? rng.pick(identityRoles) : rng.pick(humanRoles);
    const hops: RolePlan[] = [first];
    while (hops.length < length) hops.push(rng.pick(humanRoles));
    longestChain = Math.max(longestChain, hops.length);
    const firstAcct = byId.get(accountOfArn(first.arn) ?? '') as AccountPlan;
    const startAcct =
      firstAcct.users.length > 0 ? firstAcct : (accounts.find((a) => a.kind === 'identity' && a.users.length > 0) ?? firstAcct);
    if (startAcct.users.length === 0) continue;
    const useGroup = startAcct.groups.length > 0 && rng.chance(0.3);
    if (useGroup) {
      const group = rng.pick(startAcct.groups);
      group.assumes.push(first.arn);
      first.trust.push({ principal: { AWS: `arn:aws:iam::${startAcct.id}:root` }, condition: rng.chance(0.5) ? 'mfa' : undefined });
    } else {
      const user = rng.pick(startAcct.users);
      user.assumes.push(first.arn);
      first.trust.push({
        principal: { AWS: rng.chance(0.6) ? user.arn : `arn:aws:iam::${startAcct.id}:root` },
        condition: rng.chance(0.5) ? 'mfa' : undefined,
      });
    }
    for (let h = 1; h < hops.length; h++) {
      const prev = hops[h - 1] as RolePlan;
      const next = hops[h] as RolePlan;
      prev.assumes.push(next.arn);
      const byAccount = rng.chance(0.3);
      const condition = rng.weighted([
        [undefined, 80],
        ['tag', 12],
        ['externalId', 8],
      ] as const);
      next.trust.push({
        principal: { AWS: byAccount ? `arn:aws:iam::${accountOfArn(prev.arn) ?? ''}:root` : prev.arn },
        condition,
        value: condition === 'tag' ? prev.team : condition === 'externalId' ? `chain-${shortId(rng, 10)}` : undefined,
      });
    }
  }

  return {
    preset,
    seed,
    orgId,
    rootId,
    ous,
    managementAccountId: management.id,
    accounts,
    partners,
    restApis,
    httpApis,
    byId,
    chains,
    longestChain,
  };
}

function capitalizeTeam(team: string): string {
  return team.charAt(0).toUpperCase() + team.slice(1);
}
