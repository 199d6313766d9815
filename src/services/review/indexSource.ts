import { accessIndexState } from '../../analysis';
import { cypher, type Graph, type TxOptions } from '../../db';
import { Label, Rel } from '../../model';
import { resolveSnapshot } from '../snapshotCatalog';
import { boundReads, type BoundReads } from './boundReads';
import { readInventory, type GraphInventory } from './graphInventory';
import { GraphIndexedAnswers } from './indexedAnswers';
import { LocalAccessSource, type AnalysisQuestions } from './localSource';
import type { AccessSource, AccountInventory, IndexedAnswers, InventoryApi } from './source';

/**
 * Answers from the local database that read the snapshot's access index
 * (docs/graph-model.md, "The access index") where it can answer, so that a
 * review over every API does not ask the analysis one question at a time:
 *
 * - the inventory (APIs with their stages and methods, roles, accounts,
 *   group memberships) is read from the graph, not from the analysis;
 * - `indexed(snapshot)` reads the index in bulk: the AccessSet of each
 *   target, the classes and decisions of each set, the callers of each
 *   class, and the stored CAN_ASSUME relationships for the paths of the
 *   violations a report lists;
 * - every other question (who-can with request context, non-indexed
 *   actions, findings, diffs) goes to the analysis, which is then loaded
 *   as before (LocalAccessSource).
 *
 * Every query takes the snapshot and keys as parameters and reads at most a
 * batch of keys' worth of rows; the whole-snapshot inventory reads stream.
 */
export class IndexAccessSource implements AccessSource {
  readonly origin = 'local database';
  private readonly local: LocalAccessSource;
  private readonly readers = new Map<string, Promise<IndexedAnswers | undefined>>();
  private readonly inventories = new Map<string, Promise<GraphInventory>>();

  private readonly reads: BoundReads;

  /** `tx` is asked before every read: a request's deadline bounds each of them (RequestScope.txOptions). */
  constructor(
    private readonly graph: Graph,
    service: AnalysisQuestions,
    private readonly tx: () => TxOptions = () => ({}),
  ) {
    this.local = new LocalAccessSource(service);
    this.reads = boundReads(graph, tx);
  }

  /** Found in the catalog, without loading the snapshot's analysis. */
  async resolveSnapshot(snapshot?: string): Promise<string> {
    return (await resolveSnapshot(this.graph, snapshot, this.tx())).id;
  }

  async apis(snapshot: string): Promise<InventoryApi[]> {
    return (await this.inventory(snapshot)).apis;
  }

  async roles(snapshot: string): Promise<string[]> {
    return (await this.inventory(snapshot)).roles;
  }

  async accounts(snapshot: string): Promise<AccountInventory> {
    return (await this.inventory(snapshot)).accounts;
  }

  async groupsOf(principal: string, snapshot: string): Promise<string[]> {
    const rows = await this.reads.read<{ group: string }>(GROUPS_OF, { s: snapshot, arn: principal });
    return rows.map((r) => r.group).sort();
  }

  whoCan(...args: Parameters<LocalAccessSource['whoCan']>) {
    return this.local.whoCan(...args);
  }

  can(...args: Parameters<LocalAccessSource['can']>) {
    return this.local.can(...args);
  }

  findings(...args: Parameters<LocalAccessSource['findings']>) {
    return this.local.findings(...args);
  }

  accessDiff(...args: Parameters<LocalAccessSource['accessDiff']>) {
    return this.local.accessDiff(...args);
  }

  /** The snapshot's index, when it is complete (undefined otherwise: the analysis answers). */
  indexed(snapshot: string): Promise<IndexedAnswers | undefined> {
    let pending = this.readers.get(snapshot);
    if (!pending) {
      pending = accessIndexState(this.graph, snapshot, this.tx()).then((state) =>
        state.state === 'complete' && state.maxHops !== null && state.build !== null
          ? new GraphIndexedAnswers(this.reads, snapshot, state.build, state.maxHops)
          : undefined,
      );
      this.readers.set(snapshot, pending);
    }
    return pending;
  }

  private inventory(snapshot: string): Promise<GraphInventory> {
    let pending = this.inventories.get(snapshot);
    if (!pending) {
      pending = readInventory(this.reads, snapshot);
      this.inventories.set(snapshot, pending);
    }
    return pending;
  }
}

const GROUP_LIMIT = 10_000;

const GROUPS_OF = cypher(
  'review.groupsOf',
  `MATCH (:${Label.User} {snapshot: $s, arn: $arn})-[:${Rel.MEMBER_OF}]->(g:${Label.Group}) RETURN g.arn AS group ORDER BY group LIMIT ${GROUP_LIMIT}`,
);
