import {
  accessIndexRows,
  accessIndexState,
  buildAccessIndexThreaded,
  writeAccessIndex,
  type AccessAnalysis,
  type AccessIndex,
  type AccessIndexRows,
} from '../analysis';
import { cypher, type Graph } from '../db';
import { NotFoundError } from '../errors';
import type { IngestEvent } from '../ingest';
import { testStep } from '../store';
import type { AnalysisService } from './analysis';
import { runIndexBuild, type IndexBuildLease } from './index/indexBuild';
import type { Page, PageRequest } from './paging';
import { resolveSnapshot } from './snapshotCatalog';

/**
 * The organization-wide access index (src/analysis/accessIndex.ts), opt-in:
 * built by `whocan ingest --index` before the snapshot becomes current, or
 * for an existing snapshot by `whocan index`; and the Cypher queries that read it (the same
 * text docs/graph-model.md shows, tested against the analysis' answers).
 */
export interface IndexBuildResult {
  snapshot: string;
  stats: AccessIndex['stats'] & { accessors: number; classes: number; accessRelationships: number; computeMs: number; writeMs: number };
}

/** Computes the index of an analysis on worker threads (both cores), reporting progress as ingest steps; the calling thread stays responsive. */
export async function computeAccessIndex(
  analysis: AccessAnalysis,
  emit: (event: IngestEvent) => void,
  beat?: () => Promise<void>,
  threads?: number,
): Promise<AccessIndex> {
  return buildAccessIndexThreaded(analysis, {
    onProgress: (p) => emit({ type: 'step', step: `access index: ${p.step}`, done: p.done, total: p.total }),
    ...(beat ? { beat } : {}),
    ...(threads !== undefined ? { threads } : {}),
  });
}

/** Writes a computed index as the lease's build (the caller switches questions to it). */
async function writeBuild(
  graph: Graph,
  lease: IndexBuildLease,
  index: AccessIndex,
  emit: (event: IngestEvent) => void,
  options: { batchSize?: number; beat?: () => Promise<void>; computeMs?: number },
): Promise<IndexBuildResult & { maxHops: number }> {
  const started = performance.now();
  const rows: AccessIndexRows = accessIndexRows(index);
  await writeAccessIndex(graph, lease.snapshot, lease.build, rows, {
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    onProgress: (p) => emit({ type: 'step', step: `access index: writing ${p.step}`, done: p.written, total: p.total }),
    onBatch: (step) => testStep(`index:writing:${step}`),
  });
  await options.beat?.();
  const stats = {
    ...index.stats,
    accessors: rows.accessors.length,
    classes: rows.classes.length,
    accessRelationships: rows.access.length,
    computeMs: options.computeMs ?? index.stats.ms,
    writeMs: Math.round(performance.now() - started),
  };
  return { snapshot: lease.snapshot, stats, maxHops: index.maxHops };
}

/**
 * Writes a computed index into the snapshot (the ingest's, before the
 * snapshot becomes current) as a new build under the snapshot's build lock,
 * and makes it the one questions read (src/services/index/indexBuild.ts).
 */
export async function storeAccessIndex(
  graph: Graph,
  snapshot: string,
  index: AccessIndex,
  emit: (event: IngestEvent) => void,
  options: { batchSize?: number; beat?: () => Promise<void>; computeMs?: number } = {},
): Promise<IndexBuildResult> {
  const { maxHops: _maxHops, ...result } = await runIndexBuild(graph, snapshot, (lease) => writeBuild(graph, lease, index, emit, options), {
    onPhase: (message) => emit({ type: 'phase', message }),
  });
  return result;
}

/**
 * `whocan index [--snapshot ID]`: rebuilds the index of an existing complete
 * snapshot (the current one by default). Questions keep reading the previous
 * index until the new one is complete; a second build of the same snapshot
 * is refused while this one runs; what a killed build left is removed first.
 * `retireAfterMs`: how long the replaced index is kept for questions still
 * reading it.
 */
export async function rebuildAccessIndex(
  graph: Graph,
  analyses: AnalysisService,
  options: { snapshot?: string | undefined; onEvent?: (event: IngestEvent) => void; retireAfterMs?: number; batchSize?: number } = {},
): Promise<IndexBuildResult> {
  const emit = options.onEvent ?? (() => undefined);
  const snapshot = (await resolveSnapshot(graph, options.snapshot, {})).id;
  const { maxHops: _maxHops, ...result } = await runIndexBuild(
    graph,
    snapshot,
    async (lease) => {
      emit({ type: 'phase', message: `reading snapshot ${snapshot}` });
      const { analysis } = await analyses.analysis({ snapshot });
      emit({ type: 'phase', message: 'computing the access index (policy engine)' });
      const started = performance.now();
      const index = await computeAccessIndex(analysis, emit);
      const computeMs = Math.round(performance.now() - started);
      emit({
        type: 'phase',
        message: `writing the new access index of ${snapshot} (questions read the previous one until it is complete)`,
      });
      return writeBuild(graph, lease, index, emit, { computeMs, ...(options.batchSize ? { batchSize: options.batchSize } : {}) });
    },
    {
      onPhase: (message) => emit({ type: 'phase', message }),
      ...(options.retireAfterMs !== undefined ? { retireAfterMs: options.retireAfterMs } : {}),
    },
  );
  return result;
}

/** What a reader of the index says when the snapshot has none (the index is opt-in: `whocan ingest --index` or `whocan index`). */
export function noIndexMessage(snapshot: string): string {
  return `The access index was not built for snapshot ${snapshot}; run \`whocan index --snapshot ${snapshot}\` (or ingest with \`whocan ingest --index\`).`;
}

/** Whether questions may read the snapshot's index. */
export async function hasCompleteIndex(graph: Graph, snapshot: string): Promise<boolean> {
  return (await accessIndexState(graph, snapshot)).state === 'complete';
}

/**
 * The Cypher of docs/graph-model.md ("The access index"), verbatim: `$s` is
 * the snapshot id; each query reads the index build the snapshot points to
 * (`indexBuild`). Tested against the analysis' answers
 * (test/integration/accessIndex.test.ts).
 */
export const INDEX_QUERIES = {
  whoCanInvoke: cypher(
    'accessIndex.whoCanInvoke',
    `MATCH (ix:Snapshot {id: $s})
MATCH (:AccessTarget {snapshot: $s, build: ix.indexBuild, action: 'execute-api:Invoke', resource: $method})-[:ANSWERED_BY]->(:AccessSet)
      <-[a:HAS_ACCESS]-(:AccessClass)<-[:IN_ACCESS_CLASS]-(p:Accessor)
RETURN p.arn AS principal, p.type AS type, a.decision AS decision, a.hops AS hops
ORDER BY hops, principal`,
  ),
  invocableBy: cypher(
    'accessIndex.invocableBy',
    `MATCH (ix:Snapshot {id: $s})
MATCH (:Accessor {snapshot: $s, build: ix.indexBuild, arn: $principal})-[:IN_ACCESS_CLASS]->(:AccessClass)-[a:HAS_ACCESS]->(:AccessSet)
      <-[:ANSWERED_BY]-(t:AccessTarget {action: 'execute-api:Invoke'})
RETURN t.resource AS method, a.decision AS decision, a.hops AS hops
ORDER BY method`,
  ),
  publicMethods: cypher(
    'accessIndex.publicMethods',
    `MATCH (ix:Snapshot {id: $s})
MATCH (t:AccessTarget {snapshot: $s, build: ix.indexBuild, action: 'execute-api:Invoke'}) WHERE t.public
RETURN t.resource AS method, t.apiName AS api, t.stage AS stage
ORDER BY method`,
  ),
  outsideOrganization: cypher(
    'accessIndex.outsideOrganization',
    `MATCH (ix:Snapshot {id: $s})
MATCH (p:Accessor {snapshot: $s, build: ix.indexBuild}) WHERE p.inOrganization = false
MATCH (p)-[:IN_ACCESS_CLASS]->(:AccessClass)-[:HAS_ACCESS]->(:AccessSet)<-[:ANSWERED_BY]-(t:AccessTarget {action: 'execute-api:Invoke'})
RETURN p.arn AS principal, p.account AS account, count(t) AS methods
ORDER BY principal`,
  ),
  principalsPerStage: cypher(
    'accessIndex.principalsPerStage',
    `MATCH (ix:Snapshot {id: $s})
MATCH (t:AccessTarget {snapshot: $s, build: ix.indexBuild, action: 'execute-api:Invoke'})-[:ANSWERED_BY]->(:AccessSet)
      <-[:HAS_ACCESS]-(:AccessClass)<-[:IN_ACCESS_CLASS]-(p:Accessor)
RETURN t.apiId AS api, t.stage AS stage, count(DISTINCT p) AS principals
ORDER BY api, stage`,
  ),
} as const;

/**
 * Per account, API and stage, from the index: methods, public methods, the
 * principals with access to some method (the unsigned caller `anonymous`
 * left out), those of other accounts than the API's, and the accounts
 * outside the organization whose principals have access.
 */
export interface AccessSummaryRow {
  accountId: string;
  apiId: string;
  apiName: string | null;
  apiType: string;
  stage: string;
  endpointType: string;
  methods: number;
  publicMethods: number;
  principalsWithAccess: number;
  principalsFromOtherAccounts: number;
  outsideOrganizationAccounts: string[];
}

const SUMMARY_TARGETS = cypher(
  'accessIndex.summary.targets',
  `MATCH (t:AccessTarget {snapshot: $s, build: $b, action: 'execute-api:Invoke'})
   RETURN t.account AS accountId, t.apiId AS apiId, t.apiName AS apiName, t.apiType AS apiType, t.stage AS stage, t.endpointType AS endpointType,
          count(t) AS methods, sum(CASE WHEN t.public THEN 1 ELSE 0 END) AS publicMethods`,
);
const SUMMARY_PRINCIPALS = cypher(
  'accessIndex.summary.principals',
  `MATCH (t:AccessTarget {snapshot: $s, build: $b, action: 'execute-api:Invoke'})-[:ANSWERED_BY]->(set:AccessSet)
   WITH t.account AS accountId, t.apiId AS apiId, t.stage AS stage, collect(DISTINCT set) AS sets
   UNWIND sets AS set
   MATCH (set)<-[:HAS_ACCESS]-(:AccessClass)<-[:IN_ACCESS_CLASS]-(p:Accessor)
   WHERE p.arn <> 'anonymous'
   WITH accountId, apiId, stage, collect(DISTINCT p) AS principals
   RETURN accountId, apiId, stage, size(principals) AS principalsWithAccess,
          size([p IN principals WHERE p.account IS NOT NULL AND p.account <> accountId]) AS principalsFromOtherAccounts,
          reduce(acc = [], q IN [x IN principals WHERE x.inOrganization = false] | CASE WHEN q.account IN acc THEN acc ELSE acc + q.account END) AS outside`,
);

/** The access summary rows of a snapshot, read from its index (the snapshot must have a complete index). */
export async function readAccessSummaryFromIndex(graph: Graph, snapshotId: string): Promise<AccessSummaryRow[]> {
  const build = (await accessIndexState(graph, snapshotId)).build;
  if (build === null) throw new NotFoundError(noIndexMessage(snapshotId));
  const targets = await graph.read<
    Omit<AccessSummaryRow, 'principalsWithAccess' | 'principalsFromOtherAccounts' | 'outsideOrganizationAccounts'>
  >(SUMMARY_TARGETS, { s: snapshotId, b: build });
  const principals = await graph.read<{
    accountId: string;
    apiId: string;
    stage: string;
    principalsWithAccess: number;
    principalsFromOtherAccounts: number;
    outside: string[];
  }>(SUMMARY_PRINCIPALS, { s: snapshotId, b: build });
  const byKey = new Map(principals.map((p) => [`${p.accountId}|${p.apiId}|${p.stage}`, p]));
  return targets
    .map((t) => {
      const p = byKey.get(`${t.accountId}|${t.apiId}|${t.stage}`);
      return {
        ...t,
        principalsWithAccess: p?.principalsWithAccess ?? 0,
        principalsFromOtherAccounts: p?.principalsFromOtherAccounts ?? 0,
        outsideOrganizationAccounts: [...(p?.outside ?? [])].sort(),
      };
    })
    .sort((a, b) =>
      a.accountId < b.accountId
        ? -1
        : a.accountId > b.accountId
          ? 1
          : a.apiId < b.apiId
            ? -1
            : a.apiId > b.apiId
              ? 1
              : a.stage < b.stage
                ? -1
                : a.stage > b.stage
                  ? 1
                  : 0,
    );
}

/** A principal with how many methods (method × stage) it can invoke, from the index. */
export interface RankedPrincipal {
  arn: string;
  type: string;
  account: string | null;
  /** Methods × stages it may invoke (any decision). */
  methods: number;
  /** Of those, the ones allowed whatever the request context. */
  allowed: number;
}

const RANKING = cypher(
  'accessIndex.ranking',
  `MATCH (t:AccessTarget {snapshot: $s, build: $b, action: 'execute-api:Invoke'})-[:ANSWERED_BY]->(set:AccessSet)
   WITH set, count(t) AS targets
   MATCH (set)<-[a:HAS_ACCESS]-(c:AccessClass)
   WITH c, sum(targets) AS methods, sum(CASE a.decision WHEN 'allowed' THEN targets ELSE 0 END) AS allowed
   MATCH (c)<-[:IN_ACCESS_CLASS]-(p:Accessor)
   RETURN p.arn AS arn, p.type AS type, p.account AS account, methods, allowed`,
);

/** Questions answered from the stored index alone (no analysis in memory). */
export class AccessIndexService {
  private readonly rankings = new Map<string, Promise<RankedPrincipal[]>>();

  constructor(private readonly graph: Graph) {}

  /** Fails with NOT_FOUND, saying how to build it, when the snapshot has no complete index. */
  async requireIndex(snapshot: string): Promise<void> {
    if (!(await hasCompleteIndex(this.graph, snapshot))) throw new NotFoundError(noIndexMessage(snapshot));
  }

  /** Principals by how many methods they can invoke, most first (then by ARN); read once per index build and paged. */
  async principalsByInvocableMethods(snapshot: string, page: PageRequest): Promise<Page<RankedPrincipal>> {
    const build = (await accessIndexState(this.graph, snapshot)).build;
    if (build === null) throw new NotFoundError(noIndexMessage(snapshot));
    const key = `${snapshot}\u0000${build}`;
    let pending = this.rankings.get(key);
    if (!pending) {
      pending = this.readRanking(snapshot, build);
      this.rankings.set(key, pending);
      pending.catch(() => this.rankings.delete(key));
      while (this.rankings.size > 4) this.rankings.delete(this.rankings.keys().next().value!);
    }
    const all = await pending;
    // Keyset: the sort key orders like the list (methods descending, then ARN).
    const keyOf = (p: RankedPrincipal) => `${String(MAX_COUNT - p.methods).padStart(12, '0')}\u0000${p.arn}`;
    let start = 0;
    if (page.after !== undefined) {
      const after = page.after;
      start = all.findIndex((p) => keyOf(p) > after);
      if (start < 0) start = all.length;
    }
    const slice = all.slice(start, start + page.first);
    return {
      items: slice.map((node) => ({ node, sortKey: keyOf(node) })),
      hasNextPage: start + page.first < all.length,
      hasPreviousPage: page.after !== undefined,
      totalCount: all.length,
    };
  }

  /** Forgets what was read for a deleted snapshot. */
  forget(snapshot: string): void {
    for (const key of [...this.rankings.keys()]) if (key.startsWith(`${snapshot}\u0000`)) this.rankings.delete(key);
  }

  private async readRanking(snapshot: string, build: string): Promise<RankedPrincipal[]> {
    const rows = await this.graph.readAll<RankedPrincipal>(RANKING, { s: snapshot, b: build });
    return rows.sort((a, b) => b.methods - a.methods || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }
}

const MAX_COUNT = 1e12;
