import type {
  AccessChange,
  AccessDecision,
  AccessDiff,
  AccessDiffOptions,
  CallerType,
  Finding,
  FindingKind,
  PrincipalAccess,
  RequestContextValues,
  Severity,
  WhoCanAnswer,
} from '../../analysis';
import { NotFoundError } from '../../errors';
import type { QuestionOptions } from '../analysis';
import type { ReviewReport } from '../review/report';
import { canonicalApi, type AccessSource, type AccountInventory, type InventoryApi } from '../review/source';
import {
  accessChange,
  finding,
  principalAccess,
  value,
  type RemoteChange,
  type RemoteFinding,
  type RemotePrincipal,
} from './answerFragments';
import { GraphQLClient, QueryTooComplexError, type GraphQLClientOptions } from './graphqlClient';
import { ACCESS_DIFF, apiMethodsQuery, apisQuery, CAN, FINDINGS, GROUPS, ORGANIZATION, ROLES, SNAPSHOTS, WHO_CAN } from './operations';
import { reviewOnServer, type RemoteReviewOptions } from './remoteReview';

/**
 * The access questions of reviews, diffs and path diagrams asked of a whocan
 * server over GraphQL (the analysis queries whoCan, can, findings and
 * accessDiff, and the browsing queries for the inventory). Answers are
 * mapped back to the shapes of src/analysis/answer.ts: enum values in the
 * service's own spelling, optional fields absent rather than null, lists of
 * principals, findings and changes read page by page, so that a review
 * gives the same result from a server as from the local database. The parts
 * of answers (principals, paths, findings, changes) are selected by the
 * fragments of answerFragments.ts, which map them back.
 */
/**
 * The page sizes the client asks for first, by operation (halved when the
 * server finds them too costly): within the server's default cost limit
 * (WHOCAN_MAX_QUERY_COST 50 000) with every field reviews need.
 */
export const REMOTE_PAGE_SIZES = { snapshots: 100, apis: 20, methods: 100, roles: 100, whoCan: 20, findings: 10, accessDiff: 8 } as const;

export class RemoteAccessSource implements AccessSource {
  /** A server answers several requests at once (each runs on its own snapshot analysis in memory). */
  readonly concurrency = 4;
  private readonly client: GraphQLClient;

  constructor(options: GraphQLClientOptions | GraphQLClient) {
    this.client = options instanceof GraphQLClient ? options : new GraphQLClient(options);
  }

  get origin(): string {
    return this.client.url;
  }

  async resolveSnapshot(snapshot?: string): Promise<string> {
    const all: { id: string; current: boolean; state: string }[] = [];
    await this.pages(
      SNAPSHOTS,
      {},
      (data: { snapshots: Page<{ id: string; current: boolean; state: string }> }) => data.snapshots,
      (nodes) => all.push(...nodes),
      REMOTE_PAGE_SIZES.snapshots,
    );
    if (snapshot === undefined) {
      const current = all.find((s) => s.current);
      if (!current)
        throw new NotFoundError(`The whocan server at ${this.origin} has no current snapshot: ingest one there (whocan ingest DIR).`);
      return current.id;
    }
    const found = all.find((s) => s.id === snapshot);
    if (!found || found.state !== 'COMPLETE') {
      throw new NotFoundError(
        `No complete snapshot ${snapshot} on the whocan server at ${this.origin}; its snapshots: ${
          all
            .filter((s) => s.state === 'COMPLETE')
            .map((s) => s.id)
            .join(', ') || 'none'
        }.`,
      );
    }
    return found.id;
  }

  async apis(snapshot: string): Promise<InventoryApi[]> {
    const out: InventoryApi[] = [];
    for (const [field, kind] of [
      ['restApis', 'REST'],
      ['httpApis', 'HTTP'],
    ] as const) {
      const apis: RemoteApi[] = [];
      await this.pages(
        apisQuery(field),
        { snapshot },
        (data: Record<string, Page<RemoteApi>>) => data[field]!,
        (nodes) => apis.push(...nodes),
        REMOTE_PAGE_SIZES.apis,
      );
      for (const api of apis) {
        const methods = [...api.methods.nodes];
        if (api.methods.pageInfo.hasNextPage) {
          const single = field === 'restApis' ? 'restApi' : 'httpApi';
          await this.pages(
            apiMethodsQuery(single),
            { snapshot, id: api.id },
            (data: Record<string, { methods: Page<RemoteMethod> }>) => data[single]!.methods,
            (nodes) => methods.push(...nodes),
            REMOTE_PAGE_SIZES.methods,
            api.methods.pageInfo.endCursor,
          );
        }
        out.push(
          canonicalApi({
            id: api.id,
            name: api.name,
            kind,
            account: api.account,
            region: api.region,
            executeApiArn: api.executeApiArn,
            managementArn: api.arn,
            stages: api.stages.map((s) => s.name),
            methods: methods.map((m) => ({ verb: m.verb, path: m.path, authorizationType: m.authorizationType })),
          }),
        );
      }
    }
    return out.sort((a, b) => a.executeApiArn.localeCompare(b.executeApiArn));
  }

  async roles(snapshot: string): Promise<string[]> {
    const out: string[] = [];
    await this.pages(
      ROLES,
      { snapshot },
      (data: { principals: Page<{ arn: string }> }) => data.principals,
      (nodes) => out.push(...nodes.map((n) => n.arn)),
      REMOTE_PAGE_SIZES.roles,
    );
    return out.sort();
  }

  async accounts(snapshot: string): Promise<AccountInventory> {
    const data = await this.client.request<{ organization: AccountInventory }>(ORGANIZATION, { snapshot });
    return {
      hasOrganization: data.organization.hasOrganization,
      organizationId: data.organization.organizationId,
      accounts: data.organization.accounts
        .map((a) => ({ id: a.id, name: a.name, ingested: a.ingested, inOrganization: a.inOrganization }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    };
  }

  async groupsOf(principal: string, snapshot: string): Promise<string[]> {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:user\//.test(principal)) return [];
    try {
      const data = await this.client.request<{ principal: { groups?: { arn: string }[] } | null }>(GROUPS, { arn: principal, snapshot });
      return (data.principal?.groups ?? []).map((g) => g.arn).sort();
    } catch (error) {
      if (error instanceof NotFoundError) return []; // a user of an account outside the snapshot
      throw error;
    }
  }

  async whoCan(
    action: string,
    resource: string,
    options: QuestionOptions & { snapshot: string },
  ): Promise<WhoCanAnswer & { snapshot: string }> {
    const variables = {
      action,
      resource,
      snapshot: options.snapshot,
      context: contextEntries(options.context),
      maxHops: options.maxHops ?? null,
      maxPaths: options.maxPaths ?? null,
      includeRoot: options.includeRoot ?? null,
      includeDenied: options.includeDenied ?? null,
    };
    let head: Omit<RemoteWhoCan, 'principals'> | undefined;
    const principals: PrincipalAccess[] = [];
    await this.pages(
      WHO_CAN,
      variables,
      (data: { whoCan: RemoteWhoCan }) => {
        head ??= data.whoCan;
        return data.whoCan.principals;
      },
      (nodes) => principals.push(...nodes.map(principalAccess)),
      REMOTE_PAGE_SIZES.whoCan,
    );
    const h = head!;
    return {
      resource: h.resource,
      action: h.action,
      public: h.public,
      ...(h.refused ? { refused: h.refused } : {}),
      principals,
      ...(h.method
        ? {
            method: {
              api: h.method.api,
              apiName: h.method.apiName,
              stage: h.method.stage,
              verb: h.method.verb,
              path: h.method.path,
              authorizationType: h.method.authorizationType,
              requests: h.method.requests,
            },
          }
        : {}),
      stats: { candidates: h.stats.candidates, decisions: h.stats.decisions, ms: h.stats.milliseconds },
      snapshot: h.snapshot,
    };
  }

  async can(principal: string, action: string, resource: string, options: QuestionOptions & { snapshot: string }) {
    const data = await this.client.request<{
      can: { principal: string; principalKind: string; snapshot: string; overall: { decision: string; hops: number | null } };
    }>(CAN, {
      principal,
      action,
      resource,
      snapshot: options.snapshot,
      context: contextEntries(options.context),
      maxHops: options.maxHops ?? null,
    });
    const c = data.can;
    return {
      principal: c.principal,
      principalType: value<CallerType>(c.principalKind),
      overall: { decision: value<AccessDecision>(c.overall.decision), hops: c.overall.hops },
      snapshot: c.snapshot,
    };
  }

  async findings(options: { snapshot: string; kinds?: readonly FindingKind[] }) {
    const findings: Finding[] = [];
    let counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
    let snapshot = options.snapshot;
    await this.pages(
      FINDINGS,
      { snapshot: options.snapshot, kinds: options.kinds ? options.kinds.map(enumName) : null },
      (data: { findings: Page<RemoteFinding> & { counts: Record<Severity, number>; snapshot: string } }) => {
        counts = { high: data.findings.counts.high, medium: data.findings.counts.medium, low: data.findings.counts.low };
        snapshot = data.findings.snapshot;
        return data.findings;
      },
      (nodes) => findings.push(...nodes.map(finding)),
      REMOTE_PAGE_SIZES.findings,
    );
    return { findings, counts, snapshot };
  }

  async accessDiff(
    snapshots: { from?: string | undefined; to?: string | undefined },
    options: AccessDiffOptions,
  ): Promise<Omit<AccessDiff, 'stats'> & { from: string; to: string }> {
    const changes: AccessChange[] = [];
    let head: { from: string; to: string; compared: number; counts: AccessDiff['counts'] } | undefined;
    await this.pages(
      ACCESS_DIFF,
      {
        from: snapshots.from ?? null,
        to: snapshots.to ?? null,
        kinds: options.kinds ? options.kinds.map(enumName) : null,
        apis: options.apis ? [...options.apis] : null,
        context: contextEntries(options.context),
        maxHops: options.maxHops ?? null,
        maxPaths: options.maxPaths ?? 3,
      },
      (data: { accessDiff: Page<RemoteChange> & { from: string; to: string; compared: number; counts: AccessDiff['counts'] } }) => {
        const d = data.accessDiff;
        head ??= {
          from: d.from,
          to: d.to,
          compared: d.compared,
          counts: { gained: d.counts.gained, lost: d.counts.lost, changed: d.counts.changed },
        };
        options.onProgress?.(changes.length + d.nodes.length, d.totalCount);
        return d;
      },
      (nodes) => changes.push(...nodes.map(accessChange)),
      REMOTE_PAGE_SIZES.accessDiff,
    );
    return { ...head!, changes };
  }

  /**
   * The whole review run by the server (its `review` query, on its access
   * index): one request instead of a question per target, on the snapshot
   * found first as for every other question (an unknown one is refused with
   * the same message). Undefined when the server has no `review` query; the
   * review is then asked question by question through the methods above.
   */
  async review(rules: { text: string; file: string }, options: RemoteReviewOptions): Promise<ReviewReport | undefined> {
    return reviewOnServer(this.client, rules, { ...options, snapshot: await this.resolveSnapshot(options.snapshot) });
  }

  /**
   * Reads every page of a connection: `first` items at a time, halved when
   * the server finds the operation too costly for its limits.
   */
  private async pages<D, N>(
    query: string,
    variables: Record<string, unknown>,
    connection: (data: D) => Page<N>,
    take: (nodes: N[]) => void,
    first: number,
    after: string | null = null,
  ): Promise<void> {
    let size = first;
    let cursor = after;
    for (;;) {
      let page: Page<N>;
      try {
        page = connection(await this.client.request<D>(query, { ...variables, first: size, after: cursor }));
      } catch (error) {
        if (error instanceof QueryTooComplexError && size > 1) {
          size = Math.max(1, Math.floor(size / 2));
          continue;
        }
        throw error;
      }
      take(page.nodes);
      if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) return;
      cursor = page.pageInfo.endCursor;
    }
  }
}

interface Page<N> {
  nodes: N[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface RemoteMethod {
  verb: string;
  path: string;
  authorizationType: string;
}

interface RemoteApi {
  id: string;
  name: string | null;
  account: string;
  region: string;
  arn: string;
  executeApiArn: string;
  stages: { name: string }[];
  methods: Page<RemoteMethod>;
}

interface RemoteWhoCan {
  resource: string;
  action: string;
  public: boolean;
  refused: string | null;
  snapshot: string;
  method: {
    api: string;
    apiName: string | null;
    stage: string;
    verb: string;
    path: string;
    authorizationType: string;
    requests: string[];
  } | null;
  stats: { candidates: number; decisions: number; milliseconds: number };
  principals: Page<RemotePrincipal>;
}

/** The service's spelling as a GraphQL enum value: escalation-via-apigateway → ESCALATION_VIA_APIGATEWAY. */
function enumName(v: string): string {
  return v.toUpperCase().replace(/-/g, '_');
}

function contextEntries(context: RequestContextValues | undefined): { key: string; values: string[] }[] | null {
  if (!context) return null;
  return Object.entries(context).map(([key, v]) => ({ key, values: (Array.isArray(v) ? v : [v]).map(String) }));
}
