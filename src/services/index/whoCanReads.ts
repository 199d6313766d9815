/** The reads of a who-can answer from the access index (whoCanFromIndex.ts): the target, its entries, and the stored assumptions into or out of its principals. */
import {
  assumeLevelOf,
  normaliseAction,
  type AccessDecision,
  type CallerType,
  type IndexTarget,
  type ConditionSummary,
  type MethodRef,
} from '../../analysis';
import type { Graph, TxOptions } from '../../db';
import { type IndexEdge } from './indexPaths';
import { EDGES_INTO, ENTRIES, TARGET_BY_KEY, TARGET_BY_METHOD } from './whoCanQueries';
import { assumeRoleHop, assumerRows, ASSUMPTIONS_FROM, type AssumeRow } from './storedAssumption';

export type IndexQuestion = { action: string; resource: string } | { method: MethodRef };

/** An AccessTarget node as the reader reads it (the fields the index build wrote, analysis/accessIndex.ts IndexTarget). */
export type StoredTarget = { key: string } & Pick<
  IndexTarget,
  | 'action'
  | 'resource'
  | 'kind'
  | 'account'
  | 'apiKey'
  | 'apiId'
  | 'apiName'
  | 'endpointType'
  | 'stage'
  | 'methodKey'
  | 'verb'
  | 'path'
  | 'authorizationType'
>;

export interface StoredEntry {
  arn: string;
  type: CallerType;
  decision: Exclude<AccessDecision, 'denied'>;
  hops: number;
  /** The fewest assumptions that give the best decision (null for an index built before it was stored). */
  bestHops: number | null;
  /** The own grant's decision (null for an index built before it was stored). */
  direct: Exclude<AccessDecision, 'denied'> | null;
  conditions: string | null;
  formula: string | null;
  patterns: string[] | null;
}

export interface StoredEdge extends AssumeRow {
  to: string;
  keys: string[] | null;
}

/** Entries and relationships are read in pages of this many. */
const PAGE = 5_000;
export const ROLE_PAGE = 1_000;

export async function findTarget(
  graph: Graph,
  snapshot: string,
  question: IndexQuestion,
  maxHops: number,
  tx: TxOptions,
): Promise<{ target: StoredTarget; indexMaxHops: number; build: string } | undefined> {
  let rows: { target: StoredTarget; indexMaxHops: number; build: string }[];
  if ('method' in question) {
    const ref = question.method;
    const isDefault = ref.verb === '$default' || ref.verb === '*';
    rows = await graph.read(
      TARGET_BY_METHOD,
      {
        s: snapshot,
        maxHops,
        apiId: ref.apiId,
        action: 'execute-api:Invoke',
        stage: ref.stage,
        verb: isDefault ? '$default' : ref.verb.toUpperCase(),
        path: ref.path,
      },
      tx,
    );
  } else {
    let action: string;
    try {
      action = normaliseAction(question.action);
    } catch {
      return undefined; // the analysis says what is wrong with it
    }
    rows = await graph.read(TARGET_BY_KEY, { s: snapshot, maxHops, key: `${action} ${question.resource.trim()}` }, tx);
  }
  // Two targets for one method reference (API ids repeated across regions): the analysis picks.
  return rows.length === 1 ? rows[0] : undefined;
}

/** The answer's entries, page by page, all from the build the target was found in. */
export async function readEntries(
  graph: Graph,
  snapshot: string,
  build: string,
  key: string,
  maxHops: number,
  tx: TxOptions,
): Promise<StoredEntry[]> {
  const out: StoredEntry[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await graph.read<StoredEntry>(ENTRIES, { s: snapshot, b: build, key, maxHops, skip, limit: PAGE }, tx);
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

/** The stored assumptions into the roles of the answer, from callers of the answer. */
export async function readEdges(
  graph: Graph,
  snapshot: string,
  roles: readonly string[],
  callers: ReadonlyMap<string, StoredEntry>,
  tx: TxOptions,
): Promise<IndexEdge[]> {
  const conditionLists = new Map<string, ConditionSummary[]>();
  const out: IndexEdge[] = [];
  for (let at = 0; at < roles.length; at += ROLE_PAGE) {
    const rows = await graph.read<StoredEdge>(EDGES_INTO, { s: snapshot, roles: roles.slice(at, at + ROLE_PAGE) }, tx);
    for (const row of rows) if (callers.has(row.from) && row.from !== row.to) out.push(indexEdge(row, conditionLists));
  }
  return out;
}

/** The stored assumptions out of some callers of the answer (the paths of the principals shown). */
export async function readEdgesFrom(
  graph: Graph,
  snapshot: string,
  arns: readonly string[],
  callers: ReadonlyMap<string, StoredEntry>,
  tx: TxOptions,
): Promise<IndexEdge[]> {
  const conditionLists = new Map<string, ConditionSummary[]>();
  const out: IndexEdge[] = [];
  for (let at = 0; at < arns.length; at += ROLE_PAGE) {
    const rows = await graph.read<StoredEdge>(ASSUMPTIONS_FROM, { s: snapshot, rows: assumerRows(arns.slice(at, at + ROLE_PAGE)) }, tx);
    // Into roles of the answer only (the others lead to no grant), as readEdges reads them.
    for (const row of rows) if (callers.has(row.to) && row.from !== row.to) out.push(indexEdge(row, conditionLists));
  }
  return out;
}

/** A stored assumption as the walk and the paths use it (condition lists shared through `lists`). */
function indexEdge(row: StoredEdge, lists: Map<string, ConditionSummary[]>): IndexEdge {
  let conditions: ConditionSummary[] = [];
  if (row.conditions !== null) {
    conditions = lists.get(row.conditions) ?? (JSON.parse(row.conditions) as ConditionSummary[]);
    lists.set(row.conditions, conditions);
  }
  return {
    from: row.from,
    to: row.to,
    level: assumeLevelOf(row.decision),
    hop: assumeRoleHop(row, row.to, conditions),
    keys: row.keys ?? [],
  };
}
