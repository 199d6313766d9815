import { PathEnumerator, type AccessPath, type CallerType, type ConditionSummary, type PathHop } from '../../analysis';
import type { Question } from './resolve';
import type { AccountInventory, IndexedAnswers, IndexedEntry, StoredAssumption } from './source';

/**
 * The paths of the accesses a review lists when the access index answered
 * them, built from the graph for those accesses only (the analysis is not
 * loaded for them): the role chains of the stored CAN_ASSUME relationships
 * (each assumption with its trust statement, the caller's own statement and
 * conditions), enumerated as the analysis enumerates them (shortest first,
 * simple paths, each step into a role that has the access within the hops
 * left), each ending with the last principal's own access: `statement` for
 * an ingested user or role (its identity policies), `unsigned` or
 * `authorizer` for anonymous callers, `resource-policy` for the others. The
 * index does not keep which statements grant an own access; `whocan paths
 * RESOURCE --principal ARN` names them.
 */
export interface IndexedHolder {
  arn: string;
  type: CallerType;
  /** The AccessSet that answers the question, and the holder's entry there. */
  set: string;
  entry: IndexedEntry;
  question: Question;
}

export interface IndexedDetail {
  paths: AccessPath[];
  /** Paths may have been left out by the limit. */
  more: boolean;
  /** For conditional and partial decisions: the conditions on the listed paths (as answers give them). */
  conditions: ConditionSummary[];
}

export async function indexedAccessDetail(
  reader: IndexedAnswers,
  holders: readonly IndexedHolder[],
  options: { maxPaths: number; accounts: AccountInventory },
): Promise<IndexedDetail[]> {
  const ingested = new Set(options.accounts.accounts.filter((a) => a.ingested).map((a) => a.id));
  const hopsBySet = new Map<string, Map<string, { hops: number; entry: IndexedEntry; type: CallerType; account: string | null }>>();
  const reachedIn = async (set: string) => {
    let reached = hopsBySet.get(set);
    if (!reached) {
      reached = new Map();
      const entries = (await reader.entries([set])).get(set) ?? [];
      const members = await reader.members(entries.map((e) => e.cls));
      for (const e of entries)
        for (const m of members.get(e.cls) ?? []) reached.set(m.arn, { hops: e.hops, entry: e, type: m.type, account: m.account });
      hopsBySet.set(set, reached);
    }
    return reached;
  };
  // The answers of every listed access at once (batched queries; reachedIn then reads them from memory).
  const listedSets = [...new Set(holders.map((h) => h.set))];
  await reader.members([...new Set([...(await reader.entries(listedSets)).values()].flatMap((list) => list.map((e) => e.cls)))]);
  const limit = options.maxPaths;
  const maxHops = reader.maxHops;
  // The assumptions every chain may take, read a level at a time (one batched query per level, not one per caller).
  let frontier = new Map<string, { arn: string; set: string; budget: number }>();
  for (const h of holders) frontier.set(`${h.set}\u0000${h.arn}`, { arn: h.arn, set: h.set, budget: maxHops });
  const visited = new Map<string, number>();
  // Every assumption the chains may take, once read (the enumeration below reads only these).
  const edgesFrom = new Map<string, StoredAssumption[]>();
  while (frontier.size > 0) {
    const edges = await reader.assumptionsFrom([...new Set([...frontier.values()].map((f) => f.arn))]);
    for (const [arn, list] of edges) edgesFrom.set(arn, list);
    const next = new Map<string, { arn: string; set: string; budget: number }>();
    for (const [key, f] of frontier) {
      visited.set(key, f.budget);
      if (f.budget <= 1) continue;
      const reached = await reachedIn(f.set);
      for (const e of edges.get(f.arn) ?? []) {
        const r = reached.get(e.to);
        if (!r || r.hops > f.budget - 1) continue;
        const k = `${f.set}\u0000${e.to}`;
        if ((visited.get(k) ?? 0) >= f.budget - 1 || (next.get(k)?.budget ?? 0) >= f.budget - 1) continue;
        next.set(k, { arn: e.to, set: f.set, budget: f.budget - 1 });
      }
    }
    frontier = next;
  }
  const out: IndexedDetail[] = [];
  // Chains are enumerated once per answer (set) and question, as the analysis enumerates per answer.
  const enumerators = new Map<string, PathEnumerator>();
  for (const h of holders) {
    const reached = await reachedIn(h.set);
    const enumeratorKey = `${h.set}\u0000${h.question.action} ${h.question.resource}`;
    let enumerator = enumerators.get(enumeratorKey);
    if (!enumerator) {
      // An own access at 0 assumptions, as one step: `statement` for an ingested user or role, `unsigned` or `authorizer` for anonymous callers, `resource-policy` otherwise.
      const own = (arn: string): AccessPath[] => {
        const r = reached.get(arn);
        if (r?.hops !== 0) return [];
        const kind: PathHop['kind'] =
          r.type === 'anonymous'
            ? h.question.authorizationType === 'NONE'
              ? 'unsigned'
              : 'authorizer'
            : (r.type === 'user' || r.type === 'role') && r.account !== null && ingested.has(r.account)
              ? 'statement'
              : 'resource-policy';
        const conditions = r.entry.conditions ?? [];
        return [[{ kind, from: arn, to: h.question.resource, ...(conditions.length ? { conditions } : {}) }]];
      };
      enumerator = new PathEnumerator(
        { hopsOf: (arn) => reached.get(arn)?.hops, edgesFrom: (arn) => edgesFrom.get(arn) ?? [], ownPaths: own },
        maxHops,
        limit,
      );
      enumerators.set(enumeratorKey, enumerator);
    }
    const { paths, more } = enumerator.pathsOf(h.arn);
    const conditional = h.entry.decision === 'conditional' || h.entry.decision === 'partial';
    out.push({ paths, more, conditions: conditional ? dedupe(paths.flatMap((p) => p.flatMap((hop) => hop.conditions ?? []))) : [] });
  }
  return out;
}

function dedupe(list: ConditionSummary[]): ConditionSummary[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    if (seen.has(c.when)) return false;
    seen.add(c.when);
    return true;
  });
}
