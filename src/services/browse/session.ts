import DataLoader from 'dataloader';
import type { CypherQuery, Graph, Params, TxOptions } from '../../db';
import { NotFoundError } from '../../errors';
import { Label, type PolicyKind } from '../../model';
import { resolveMethod } from '../../analysis/methods';
import { checkPageRequest, pageFromRows, type Page, type PageItem, type PageRequest } from '../paging';
import type { RequestScope } from '../requestScope';
import { resolveSnapshot, type SnapshotRef } from '../snapshotCatalog';
import { parseMethodArn, parsePrincipalArn, checkAccountId, checkApiId } from './arns';
import {
  APIS_BY_ID,
  APIS_BY_KEY,
  APIS_COUNT,
  APIS_PAGE,
  BOUNDARY_OF,
  FUNCTIONS_BY_ARN,
  GROUPS_OF_USERS,
  INTEGRATIONS_OF_METHODS,
  METHODS_COUNT,
  METHODS_OF_API,
  METHODS_PAGE,
  POLICIES_OF,
  PRINCIPAL_BY_ARN,
  PRINCIPALS_COUNT,
  PRINCIPALS_PAGE,
  RESOURCE_PATHS_OF_API,
  RESOURCE_POLICY_OF,
  ROLES_BY_ARN,
  STAGES_OF,
  STATEMENTS_OF_POLICIES,
  TRUST_POLICY_OF_ROLES,
  type ApiLabel,
  type BoundaryOwnerLabel,
  type PolicyOwnerLabel,
  type ResourcePolicyOwnerLabel,
} from './queries';
import type {
  ApiKind,
  ApiRecord,
  GroupRecord,
  IntegrationRecord,
  LambdaFunctionRecord,
  MethodRecord,
  NodeRef,
  PolicyRecord,
  PrincipalFilter,
  PrincipalRecord,
  StageRecord,
  StatementRecord,
} from './records';

type Row = Record<string, unknown>;

/** Most keys one batched statement takes (larger lists are split by DataLoader). */
const MAX_BATCH = 1_000;

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toPrincipal(row: Row): PrincipalRecord {
  const tags = parseJson(row['tags']);
  return {
    ...(row as unknown as PrincipalRecord),
    tags:
      tags && typeof tags === 'object' && !Array.isArray(tags)
        ? Object.entries(tags as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value) }))
        : [],
  };
}

function toPolicy(row: Row): PolicyRecord {
  const document = parseJson(row['document']);
  return {
    ...(row as unknown as PolicyRecord),
    kind: row['kind'] as PolicyKind,
    document: document && typeof document === 'object' && !Array.isArray(document) ? (document as Record<string, unknown>) : null,
  };
}

function toStatement(row: Row): StatementRecord {
  return {
    ...(row as unknown as StatementRecord),
    principal: parseJson(row['principal']),
    notPrincipal: parseJson(row['notPrincipal']),
    condition: parseJson(row['condition']),
  };
}

const same = <T>(row: Row) => row as unknown as T;

function apiLabel(kind: ApiKind): ApiLabel {
  return kind === 'REST' ? Label.RestApi : Label.HttpApi;
}

/** REST API keys are `…::/restapis/<id>`, HTTP API keys `…::/apis/<id>` (docs/graph-model.md). */
function apiLabelOfKey(key: string): ApiLabel {
  return key.includes('::/restapis/') ? Label.RestApi : Label.HttpApi;
}

function refKey(ref: NodeRef): string {
  return `${ref.snapshot}\n${ref.key}`;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}

/**
 * The browsing queries of one GraphQL request. Built per request (never
 * shared: its caches would outlive the data), it resolves the `snapshot`
 * argument once per distinct value, runs every transaction with the
 * request's time left, and batches nested fields with DataLoader: a list of
 * N methods asks for their integrations in one statement, not N.
 */
export class BrowseSession {
  private readonly snapshots = new Map<string, Promise<SnapshotRef>>();
  private readonly loaders = new Map<string, DataLoader<NodeRef, unknown, string>>();

  constructor(
    private readonly graph: Graph,
    readonly scope: RequestScope,
    private readonly maxPageSize: number,
  ) {}

  private tx(): TxOptions {
    return this.scope.txOptions(this.graph.options.defaultTimeoutMs);
  }

  private read(query: CypherQuery, params: Params): Promise<Row[]> {
    return this.graph.read<Row>(query, params, this.tx());
  }

  // ------------------------------------------------------------ snapshots

  /** The snapshot a query reads: `id`, or the current one (NOT_FOUND when unknown, loading or being deleted). Cached per request. */
  snapshot(id?: string | null): Promise<SnapshotRef> {
    const cacheKey = id ?? '';
    let ref = this.snapshots.get(cacheKey);
    if (!ref) {
      ref = resolveSnapshot(this.graph, id ?? undefined, this.tx());
      this.snapshots.set(cacheKey, ref);
    }
    return ref;
  }

  // ------------------------------------------------------------ principals

  /** A user or role by ARN. */
  async principal(arn: string, snapshotId?: string | null): Promise<PrincipalRecord> {
    const parsed = parsePrincipalArn(arn);
    const { id: snapshot } = await this.snapshot(snapshotId);
    const row = (await this.read(PRINCIPAL_BY_ARN, { snapshot, arn }))[0];
    if (!row) throw new NotFoundError(`arn: no ${parsed.kind} ${quote(arn)} in snapshot ${snapshot}; the principals query lists them.`);
    return toPrincipal(row['node'] as Row);
  }

  /** Users and roles, ordered by ARN. */
  async principals(filter: PrincipalFilter, page: PageRequest, snapshotId?: string | null): Promise<Page<PrincipalRecord>> {
    checkPageRequest(page, this.maxPageSize);
    if (filter.account !== undefined) checkAccountId(filter.account, 'filter.account');
    const { id: snapshot } = await this.snapshot(snapshotId);
    const params = { snapshot, account: filter.account ?? null, kind: filter.kind ?? null, nameContains: filter.nameContains ?? null };
    return this.pageOf(PRINCIPALS_PAGE, PRINCIPALS_COUNT, params, page, toPrincipal);
  }

  /** The groups a user is a member of. */
  groupsOf(user: PrincipalRecord): Promise<GroupRecord[]> {
    if (user.kind !== 'user') return Promise.resolve([]);
    return this.many('groupsOfUsers', GROUPS_OF_USERS, same<GroupRecord>).load(user);
  }

  /** The identity policies attached to a user, group or role (managed and inline; a user's group policies are under its groups). */
  policiesOf(owner: PrincipalRecord | (GroupRecord & { kind?: undefined })): Promise<PolicyRecord[]> {
    const label: PolicyOwnerLabel = owner.kind === 'user' ? Label.User : owner.kind === 'role' ? Label.Role : Label.Group;
    return this.many(`policiesOf.${label}`, POLICIES_OF[label], toPolicy).load(owner);
  }

  permissionsBoundaryOf(principal: PrincipalRecord): Promise<PolicyRecord | null> {
    const label: BoundaryOwnerLabel = principal.kind === 'user' ? Label.User : Label.Role;
    return this.one(`boundaryOf.${label}`, BOUNDARY_OF[label], toPolicy).load(principal);
  }

  trustPolicyOf(role: PrincipalRecord): Promise<PolicyRecord | null> {
    if (role.kind !== 'role') return Promise.resolve(null);
    return this.one('trustPolicyOfRoles', TRUST_POLICY_OF_ROLES, toPolicy).load(role);
  }

  statementsOf(policy: PolicyRecord): Promise<StatementRecord[]> {
    if (policy.missing) return Promise.resolve([]);
    return this.many('statementsOfPolicies', STATEMENTS_OF_POLICIES, toStatement).load(policy);
  }

  /** A role of the snapshot by ARN; null when the snapshot has no such role (e.g. it lives in an account that was not ingested). */
  roleByArn(snapshot: string, arn: string | null): Promise<PrincipalRecord | null> {
    if (arn === null) return Promise.resolve(null);
    return this.one('rolesByArn', ROLES_BY_ARN, toPrincipal).load({ snapshot, key: arn });
  }

  // ------------------------------------------------------------ APIs

  async apis(kind: ApiKind, page: PageRequest, snapshotId?: string | null): Promise<Page<ApiRecord>> {
    checkPageRequest(page, this.maxPageSize);
    const { id: snapshot } = await this.snapshot(snapshotId);
    const label = apiLabel(kind);
    return this.pageOf(APIS_PAGE[label], APIS_COUNT[label], { snapshot }, page, same<ApiRecord>);
  }

  /** A REST or HTTP API by its id (API ids are unique within an account and region; the first by key wins otherwise). */
  async api(kind: ApiKind, id: string, snapshotId?: string | null): Promise<ApiRecord> {
    checkApiId(id, 'id');
    const { id: snapshot } = await this.snapshot(snapshotId);
    const rows = (await this.read(APIS_BY_ID, { snapshot, id })).map((r) => r['node'] as ApiRecord);
    const api = rows.find((a) => a.kind === kind);
    if (!api) {
      const other = rows[0];
      const hint = other
        ? ` (${other.id} is ${other.kind === 'REST' ? 'a REST API: use restApi' : 'an HTTP API: use httpApi'})`
        : `; the ${kind === 'REST' ? 'restApis' : 'httpApis'} query lists them`;
      throw new NotFoundError(`id: no ${kind === 'REST' ? 'REST' : 'HTTP'} API ${quote(id)} in snapshot ${snapshot}${hint}.`);
    }
    return api;
  }

  apiOf(method: MethodRecord): Promise<ApiRecord | null> {
    const label = apiLabelOfKey(method.apiKey);
    return this.one(`apisByKey.${label}`, APIS_BY_KEY[label], same<ApiRecord>).load({ snapshot: method.snapshot, key: method.apiKey });
  }

  stagesOf(api: ApiRecord): Promise<StageRecord[]> {
    const label = apiLabel(api.kind);
    return this.many(`stagesOf.${label}`, STAGES_OF[label], same<StageRecord>).load(api);
  }

  /** An API's or a Lambda function's resource-based policy (HTTP APIs have none). */
  resourcePolicyOf(owner: ApiRecord | LambdaFunctionRecord): Promise<PolicyRecord | null> {
    const label: ResourcePolicyOwnerLabel = 'kind' in owner ? apiLabel(owner.kind) : Label.LambdaFunction;
    if (label === Label.HttpApi) return Promise.resolve(null);
    return this.one(`resourcePolicyOf.${label}`, RESOURCE_POLICY_OF[label], toPolicy).load(owner);
  }

  /** The resource policy of the API a method belongs to. */
  async resourcePolicyOfMethod(method: MethodRecord): Promise<PolicyRecord | null> {
    const api = await this.apiOf(method);
    return api ? this.resourcePolicyOf(api) : null;
  }

  /** A page of an API's methods (routes, for HTTP APIs), ordered by path then verb; batched over every API of the request that asks for the same page. */
  methodsOf(api: ApiRecord, page: PageRequest): Promise<Page<MethodRecord>> {
    checkPageRequest(page, this.maxPageSize);
    const name = `methodsPage.${page.first}.${page.after ?? ''}`;
    let loader = this.loaders.get(name) as DataLoader<NodeRef, Page<MethodRecord>, string> | undefined;
    if (!loader) {
      loader = new DataLoader<NodeRef, Page<MethodRecord>, string>(
        (refs) =>
          this.bySnapshot(refs, async (snapshot, keys) => {
            const params = { snapshot, keys, after: page.after ?? null, limit: page.first + 1 };
            const { rows, totals } = await this.graph.readTx(
              METHODS_PAGE.name,
              async (t) => ({
                rows: (await this.graph.run(t, METHODS_PAGE, params)).records.map((r) => r.toObject()),
                totals: (await this.graph.run(t, METHODS_COUNT, params)).records.map((r) => r.toObject()),
              }),
              this.tx(),
            );
            const items = new Map<string, PageItem<MethodRecord>[]>();
            for (const row of rows) {
              const key = row['key'] as string;
              const list = items.get(key) ?? [];
              list.push({ node: row['node'] as MethodRecord, sortKey: row['sortKey'] as string });
              items.set(key, list);
            }
            const total = new Map(totals.map((r) => [r['key'] as string, r['total'] as number]));
            return keys.map((key) => pageFromRows(items.get(key) ?? [], page, total.get(key) ?? 0));
          }),
        { cacheKeyFn: refKey, maxBatchSize: MAX_BATCH },
      );
      this.loaders.set(name, loader);
    }
    return loader.load(api);
  }

  integrationOf(method: MethodRecord): Promise<IntegrationRecord | null> {
    return this.one('integrationsOfMethods', INTEGRATIONS_OF_METHODS, same<IntegrationRecord>).load(method);
  }

  /** A Lambda function of the snapshot by ARN; null when it is not in the snapshot. */
  functionByArn(snapshot: string, arn: string | null): Promise<LambdaFunctionRecord | null> {
    if (arn === null) return Promise.resolve(null);
    return this.one('functionsByArn', FUNCTIONS_BY_ARN, same<LambdaFunctionRecord>).load({ snapshot, key: arn });
  }

  /**
   * A method by an execute-api ARN: `…:<api-id>/<stage>/<VERB>/<path>`, where
   * the path is the method's template (`/pets/{id}`) or a concrete request
   * path (`/pets/42`, routed to the method API Gateway would pick), or
   * `…/<stage>/$default` for an HTTP API's default route.
   */
  async method(arn: string, snapshotId?: string | null): Promise<MethodRecord> {
    const ref = parseMethodArn(arn);
    const { id: snapshot } = await this.snapshot(snapshotId);
    const candidates = (await this.read(APIS_BY_ID, { snapshot, id: ref.apiId })).map((r) => r['node'] as ApiRecord);
    const api = candidates.find((a) => a.executeApiArn === ref.apiArn);
    if (!api) {
      const elsewhere = candidates[0];
      throw new NotFoundError(
        elsewhere
          ? `arn: API ${ref.apiId} is in account ${elsewhere.account}, region ${elsewhere.region} (${elsewhere.executeApiArn}), not ${ref.apiArn}.`
          : `arn: no API ${quote(ref.apiId)} in snapshot ${snapshot}; the restApis and httpApis queries list them.`,
      );
    }
    const label = apiLabel(api.kind);
    const { stages, methods, resourcePaths } = await this.graph.readTx(
      METHODS_OF_API.name,
      async (t) => ({
        stages: (await this.graph.run(t, STAGES_OF[label], { snapshot, keys: [api.key] })).records.map(
          (r) => (r.get('node') as StageRecord).name,
        ),
        methods: (await this.graph.run(t, METHODS_OF_API, { snapshot, apiKey: api.key })).records.map((r) => r.get('node') as MethodRecord),
        resourcePaths:
          api.kind === 'REST'
            ? (await this.graph.run(t, RESOURCE_PATHS_OF_API, { snapshot, apiKey: api.key })).records.map((r) => r.get('path') as string)
            : [],
      }),
      this.tx(),
    );
    if (!stages.includes(ref.stage)) {
      throw new NotFoundError(`arn: API ${api.id} has no stage ${quote(ref.stage)}; its stages: ${stages.sort().join(', ') || '(none)'}.`);
    }
    const method =
      ref.verb === '$default'
        ? methods.find((m) => m.verb === '*')
        : (methods.find((m) => m.verb === ref.verb && m.path === ref.path) ??
          (ref.verb !== 'ANY' && !ref.path.includes('{')
            ? resolveMethod(methods, ref.verb, ref.path, { kind: api.kind, resourcePaths })?.method
            : undefined));
    if (!method) {
      const known = methods.map((m) => (m.verb === '*' ? '$default' : `${m.verb} ${m.path}`)).sort();
      throw new NotFoundError(
        `arn: API ${api.id} has no method ${ref.verb === '$default' ? '$default' : quote(`${ref.verb} ${ref.path}`)}, and no method serves that request; its methods: ${known.slice(0, 20).join(', ') || '(none)'}${known.length > 20 ? ', …' : ''}.`,
      );
    }
    return method;
  }

  // ------------------------------------------------------------ batching

  /** Runs a batched statement once per snapshot among `refs` (normally one). */
  private async bySnapshot<V>(refs: readonly NodeRef[], run: (snapshot: string, keys: string[]) => Promise<V[]>): Promise<V[]> {
    const groups = new Map<string, { keys: string[]; positions: number[] }>();
    refs.forEach((ref, i) => {
      const group = groups.get(ref.snapshot) ?? { keys: [], positions: [] };
      group.keys.push(ref.key);
      group.positions.push(i);
      groups.set(ref.snapshot, group);
    });
    const out = new Array<V>(refs.length);
    for (const [snapshot, group] of groups) {
      const values = await run(snapshot, group.keys);
      group.positions.forEach((position, i) => {
        out[position] = values[i] as V;
      });
    }
    return out;
  }

  private grouped<V>(name: string, query: CypherQuery, map: (row: Row) => V): DataLoader<NodeRef, V[], string> {
    let loader = this.loaders.get(name) as DataLoader<NodeRef, V[], string> | undefined;
    if (!loader) {
      loader = new DataLoader<NodeRef, V[], string>(
        (refs) =>
          this.bySnapshot(refs, async (snapshot, keys) => {
            const byKey = new Map<string, V[]>();
            for (const row of await this.read(query, { snapshot, keys })) {
              const key = row['key'] as string;
              const list = byKey.get(key) ?? [];
              list.push(map(row['node'] as Row));
              byKey.set(key, list);
            }
            return keys.map((key) => byKey.get(key) ?? []);
          }),
        { cacheKeyFn: refKey, maxBatchSize: MAX_BATCH },
      );
      this.loaders.set(name, loader);
    }
    return loader;
  }

  /** A loader of every row per key. */
  private many<V>(name: string, query: CypherQuery, map: (row: Row) => V): { load(ref: NodeRef): Promise<V[]> } {
    return this.grouped(name, query, map);
  }

  /** A loader of at most one row per key (null when none). */
  private one<V>(name: string, query: CypherQuery, map: (row: Row) => V): { load(ref: NodeRef): Promise<V | null> } {
    const loader = this.grouped(name, query, map);
    return { load: async (ref) => (await loader.load(ref))[0] ?? null };
  }

  private async pageOf<T>(
    pageQuery: CypherQuery,
    countQuery: CypherQuery,
    params: Params,
    page: PageRequest,
    map: (row: Row) => T,
  ): Promise<Page<T>> {
    return this.graph.readTx(
      pageQuery.name,
      async (t) => {
        const rows = (await this.graph.run(t, pageQuery, { ...params, after: page.after ?? null, limit: page.first + 1 })).records.map(
          (r) => ({
            node: map(r.get('node') as Row),
            sortKey: r.get('sortKey') as string,
          }),
        );
        const total = (await this.graph.run(t, countQuery, params)).records[0]?.get('total') as number;
        return pageFromRows(rows, page, total ?? 0);
      },
      this.tx(),
    );
  }
}
