import {
  parsePolicy,
  principalFromArn,
  unknownPolicy,
  type CompiledPolicy,
  type OrganizationFacts,
  type PolicyType,
  type Principal,
} from '../policy';
import {
  ENGINE_POLICY_TYPE,
  type ApiRow,
  type CanAssumeRow,
  type IntegrationRow,
  type LambdaFunctionRow,
  type MethodRow,
  type RoleRow,
  type SnapshotRows,
  type StageRow,
  type UserRow,
  type VpcEndpointRow,
} from '../model';

/**
 * Everything the policy engine needs to decide a request for any principal of
 * one snapshot, compiled once: each principal's identity policies (with the
 * group each came through), its permissions boundary, the SCP levels of its
 * account, the RCP levels of every account, trust and resource policies, and
 * the APIs with their stages, methods and integrations.
 *
 * Built from the rows of a snapshot (at ingest, or read back from the graph),
 * so the fast analysis and the brute-force reference decide from the very
 * same facts. Policies missing from the snapshot are compiled as unknown
 * policies: answers that depend on them come back conditional, never allowed
 * or denied by guess.
 */
export interface IdentityPolicyRef {
  policy: CompiledPolicy;
  /** The group the policy came through; null when attached to the principal itself. */
  viaGroup: string | null;
  attachment: 'managed' | 'inline';
}

export interface PrincipalEntry {
  arn: string;
  kind: 'user' | 'role';
  name: string;
  account: string;
  /** The engine's view of this principal (for a role: "any session of this role"). */
  principal: Principal;
  identityPolicies: IdentityPolicyRef[];
  boundary: CompiledPolicy | undefined;
  groups: string[];
  row: UserRow | RoleRow;
}

export interface ApiEntry {
  row: ApiRow;
  resourcePolicy: CompiledPolicy | undefined;
  stages: StageRow[];
  methods: MethodRow[];
  /** REST: every resource path (ApiResourceRow.path), for routing; empty for HTTP APIs. */
  resourcePaths: string[];
}

export interface FunctionEntry {
  row: LambdaFunctionRow;
  resourcePolicy: CompiledPolicy | undefined;
}

export interface VpcEndpointEntry {
  row: VpcEndpointRow;
  /** The endpoint policy; undefined for the default policy (full access). */
  policy: CompiledPolicy | undefined;
  /** Its policy key; null for the default policy. */
  policyKey: string | null;
}

export class AccessModel {
  readonly principals = new Map<string, PrincipalEntry>();
  readonly users: PrincipalEntry[] = [];
  readonly roles: PrincipalEntry[] = [];
  readonly trustPolicies = new Map<string, CompiledPolicy>();
  readonly apis = new Map<string, ApiEntry>();
  readonly functions = new Map<string, FunctionEntry>();
  /** Interface VPC endpoints for execute-api, in key order. */
  readonly vpcEndpoints: VpcEndpointEntry[] = [];
  readonly integrationsByMethod = new Map<string, IntegrationRow>();
  readonly accounts = new Map<string, SnapshotRows['accounts'][number]>();
  readonly organization: OrganizationFacts;
  /** The snapshot has an organization (organization.json): accounts it does not list are outside it. */
  readonly hasOrganization: boolean;
  private readonly scpLevelsByAccount = new Map<string, CompiledPolicy[][]>();
  private readonly rcpLevelsByAccount = new Map<string, CompiledPolicy[][]>();

  private constructor(
    readonly rows: SnapshotRows,
    options: { rcpSupportedServices?: ReadonlySet<string> },
  ) {
    const management = rows.accounts.find((a) => a.isManagement)?.id;
    this.organization = {
      ...(management ? { managementAccountId: management } : {}),
      ...(options.rcpSupportedServices ? { rcpSupportedServices: options.rcpSupportedServices } : {}),
    };
    for (const account of rows.accounts) this.accounts.set(account.id, account);
    this.hasOrganization = rows.accounts.some((a) => a.inOrganization);
  }

  /**
   * Rows may come from the files (ingest) or from the graph (queries), in any
   * order; they are put in one canonical order first, so that answers, paths
   * included, are the same whatever their source.
   */
  static fromRows(rows: SnapshotRows, options: { rcpSupportedServices?: ReadonlySet<string> } = {}): AccessModel {
    const model = new AccessModel(canonicalOrder(rows), options);
    model.build();
    return model;
  }

  /**
   * Hands the snapshot's CAN_ASSUME rows (in canonical order) to the role
   * graph, which keeps them as edges: the model forgets them, so the largest
   * kind of row is not held twice (about 600,000 rows on the large preset).
   */
  takeCanAssumeRows(): CanAssumeRow[] {
    const taken = this.rows.canAssume;
    this.rows.canAssume = [];
    return taken;
  }

  /**
   * `aws:PrincipalOrgID` of an account's principals: the organization's id for its
   * members, null (absent) for other accounts when the snapshot has the
   * organization, undefined (unknown) when it does not.
   */
  orgIdOf(account: string): string | null | undefined {
    if (!this.hasOrganization) return undefined;
    const row = this.accounts.get(account);
    return row?.inOrganization ? row.organizationId : null;
  }

  /** The SCPs that apply to principals of an account, one list per level, root first; undefined outside the organization. */
  scpLevels(account: string): CompiledPolicy[][] | undefined {
    return this.scpLevelsByAccount.get(account);
  }

  /** The RCPs that apply to resources of an account, one list per level, root first; undefined outside the organization. */
  rcpLevels(account: string): CompiledPolicy[][] | undefined {
    return this.rcpLevelsByAccount.get(account);
  }

  /** The API whose execute-api ARN prefix is given (`arn:aws:execute-api:region:account:id`). */
  apiByExecuteArn(executeApiArn: string): ApiEntry | undefined {
    return this.apisByExecuteArn.get(executeApiArn);
  }

  private readonly apisByExecuteArn = new Map<string, ApiEntry>();

  private build(): void {
    const rows = this.rows;
    const policyRows = new Map(rows.policies.map((p) => [p.key, p]));
    const compiled = new Map<string, CompiledPolicy>();
    const compile = (key: string, type?: PolicyType): CompiledPolicy | undefined => {
      const row = policyRows.get(key);
      if (!row) return undefined;
      const engineType = type ?? ENGINE_POLICY_TYPE[row.kind];
      const cacheKey = `${engineType}|${key}`;
      let policy = compiled.get(cacheKey);
      if (!policy) {
        policy =
          row.document === null || row.missing
            ? unknownPolicy({ type: engineType, id: key, ...(row.name ? { name: row.name } : {}), reason: 'not in the snapshot' })
            : parsePolicy(row.document, {
                type: engineType,
                id: key,
                ...(row.name ? { name: row.name } : {}),
                ...(row.kind === 'managed' || row.kind === 'inline' ? { attachment: row.kind } : {}),
              });
        compiled.set(cacheKey, policy);
      }
      return policy;
    };

    // Organization levels: account → parents → root, attached SCPs/RCPs per level.
    const parentOf = new Map(rows.orgParents.map((l) => [l.from, l.to]));
    const attached = new Map<string, { scp: CompiledPolicy[]; rcp: CompiledPolicy[] }>();
    for (const link of rows.orgPolicyTargets) {
      const row = policyRows.get(link.from);
      const policy = compile(link.from);
      if (!row || !policy || (row.kind !== 'scp' && row.kind !== 'rcp')) continue;
      let level = attached.get(link.to);
      if (!level) {
        level = { scp: [], rcp: [] };
        attached.set(link.to, level);
      }
      level[row.kind].push(policy);
    }
    for (const account of rows.accounts) {
      if (!account.inOrganization) continue;
      const chain: string[] = [];
      for (let node: string | undefined = account.id; node !== undefined && chain.length < 10; node = parentOf.get(node))
        chain.unshift(node);
      this.scpLevelsByAccount.set(
        account.id,
        chain.map((node) => attached.get(node)?.scp ?? []),
      );
      this.rcpLevelsByAccount.set(
        account.id,
        chain.map((node) => attached.get(node)?.rcp ?? []),
      );
    }

    // Identity policies, boundaries and groups.
    const attachmentsByOwner = new Map<string, { key: string; attachment: 'managed' | 'inline' }[]>();
    for (const a of rows.policyAttachments) {
      const list = attachmentsByOwner.get(a.from) ?? [];
      list.push({ key: a.to, attachment: a.attachment });
      attachmentsByOwner.set(a.from, list);
    }
    const boundaryOf = new Map(rows.boundaries.map((b) => [b.from, b.to]));
    const groupsOf = new Map<string, string[]>();
    for (const m of rows.memberships) groupsOf.set(m.from, [...(groupsOf.get(m.from) ?? []), m.to]);
    const policiesOf = (owner: string, viaGroup: string | null): IdentityPolicyRef[] =>
      (attachmentsByOwner.get(owner) ?? []).flatMap(({ key, attachment }) => {
        const policy = compile(key, 'identity');
        return policy ? [{ policy, viaGroup, attachment }] : [];
      });
    const boundary = (owner: string) => {
      const key = boundaryOf.get(owner);
      return key
        ? (compile(key, 'permissionsBoundary') ?? unknownPolicy({ type: 'permissionsBoundary', id: key, reason: 'not in the snapshot' }))
        : undefined;
    };
    // aws:PrincipalOrgID is known only when the snapshot has the organization; without it, unknown (never "absent").
    const facts = (account: string, tags: string) => {
      const orgId = this.orgIdOf(account);
      return { tags: JSON.parse(tags) as Record<string, string>, ...(orgId !== undefined ? { orgId } : {}) };
    };

    for (const user of rows.users) {
      const parsed = principalFromArn(user.arn, { ...facts(user.account, user.tags), ...(user.uniqueId ? { userId: user.uniqueId } : {}) });
      if (!parsed.ok) continue;
      const groups = groupsOf.get(user.arn) ?? [];
      const entry: PrincipalEntry = {
        arn: user.arn,
        kind: 'user',
        name: user.name,
        account: user.account,
        principal: parsed.principal,
        identityPolicies: [...policiesOf(user.arn, null), ...groups.flatMap((g) => policiesOf(g, g))],
        boundary: boundary(user.arn),
        groups,
        row: user,
      };
      this.principals.set(user.arn, entry);
      this.users.push(entry);
    }
    for (const role of rows.roles) {
      const parsed = principalFromArn(role.arn, { ...facts(role.account, role.tags), ...(role.uniqueId ? { roleId: role.uniqueId } : {}) });
      if (!parsed.ok) continue;
      const entry: PrincipalEntry = {
        arn: role.arn,
        kind: 'role',
        name: role.name,
        account: role.account,
        principal: parsed.principal,
        identityPolicies: policiesOf(role.arn, null),
        boundary: boundary(role.arn),
        groups: [],
        row: role,
      };
      this.principals.set(role.arn, entry);
      this.roles.push(entry);
    }
    for (const link of rows.trustPolicies) {
      const policy = compile(link.to);
      if (policy) this.trustPolicies.set(link.from, policy);
    }

    // APIs, methods, integrations, functions.
    const resourcePolicyOf = new Map(rows.resourcePolicies.map((l) => [l.from, l.to]));
    for (const api of rows.apis) {
      const key = resourcePolicyOf.get(api.key);
      const entry: ApiEntry = { row: api, resourcePolicy: key ? compile(key) : undefined, stages: [], methods: [], resourcePaths: [] };
      this.apis.set(api.key, entry);
      this.apisByExecuteArn.set(api.executeApiArn, entry);
    }
    for (const stage of rows.stages) this.apis.get(stage.apiKey)?.stages.push(stage);
    for (const method of rows.methods) this.apis.get(method.apiKey)?.methods.push(method);
    for (const resource of rows.apiResources) this.apis.get(resource.apiKey)?.resourcePaths.push(resource.path);
    for (const integration of rows.integrations) this.integrationsByMethod.set(integration.methodKey, integration);
    for (const fn of rows.functions) {
      const key = resourcePolicyOf.get(fn.key);
      this.functions.set(fn.key, { row: fn, resourcePolicy: key ? compile(key) : undefined });
    }
    const endpointPolicyOf = new Map(rows.endpointPolicies.map((l) => [l.from, l.to]));
    for (const endpoint of rows.vpcEndpoints) {
      const key = endpointPolicyOf.get(endpoint.key) ?? null;
      // A custom policy whose document is missing is unknown, never "full access".
      let policy: CompiledPolicy | undefined;
      if (key !== null)
        policy = compile(key, 'vpcEndpoint') ?? unknownPolicy({ type: 'vpcEndpoint', id: key, reason: 'not in the snapshot' });
      else if (!endpoint.defaultPolicy)
        policy = unknownPolicy({ type: 'vpcEndpoint', id: `${endpoint.key}#endpoint-policy`, reason: 'not in the snapshot' });
      this.vpcEndpoints.push({ row: endpoint, policy, policyKey: key });
    }
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byKey = <T extends { key: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => byText(a.key, b.key));
const byLink = <T extends { from: string; to: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to));

function canonicalOrder(rows: SnapshotRows): SnapshotRows {
  return {
    ...rows,
    accounts: byKey(rows.accounts),
    users: byKey(rows.users),
    groups: byKey(rows.groups),
    roles: byKey(rows.roles),
    policies: byKey(rows.policies),
    apis: byKey(rows.apis),
    stages: byKey(rows.stages),
    apiResources: byKey(rows.apiResources),
    methods: byKey(rows.methods),
    integrations: byKey(rows.integrations),
    functions: byKey(rows.functions),
    vpcEndpoints: byKey(rows.vpcEndpoints),
    orgParents: byLink(rows.orgParents),
    orgPolicyTargets: byLink(rows.orgPolicyTargets),
    memberships: byLink(rows.memberships),
    policyAttachments: byLink(rows.policyAttachments),
    boundaries: byLink(rows.boundaries),
    trustPolicies: byLink(rows.trustPolicies),
    resourcePolicies: byLink(rows.resourcePolicies),
    endpointPolicies: byLink(rows.endpointPolicies),
    externalPrincipals: byKey(rows.externalPrincipals),
    canAssume: [...rows.canAssume].sort((a, b) => byText(a.to, b.to) || byText(a.from, b.from)),
  };
}
