/** The review's reads of the access index (IndexAccessSource, indexSource.ts): targets, answers, classes, members and stored assumptions, in batches, memoised for the whole review. */
import type { CallerType, ConditionSummary } from '../../analysis';
import { cypher } from '../../db';
import { Label, Rel } from '../../model';
import { assumeRoleHop, assumerRows, ASSUMPTIONS_FROM, type AssumeRow } from '../index/storedAssumption';
import type { BoundReads } from './boundReads';
import type { IndexedAnswers, IndexedEntry, IndexedMember, IndexedTarget, StoredAssumption } from './source';

/** Keys asked per query (UNWIND batches): each batch returns at most the rows of its keys. */
const BATCH = 1_000;
/** Classes asked per query for their answers: a class may be in thousands of answers. */
const CLASS_BATCH = 50;
const TARGETS = cypher(
  'review.index.targets',
  `UNWIND $rows AS row
   MATCH (t:${Label.AccessTarget} {snapshot: $s, build: $b, resource: row.resource})-[:${Rel.ANSWERED_BY}]->(set:${Label.AccessSet})
   WHERE t.action = row.action
   RETURN row.key AS key, set.key AS set, coalesce(t.public, false) AS public`,
);
const ENTRIES = cypher(
  'review.index.entries',
  `UNWIND $keys AS k
   MATCH (:${Label.AccessSet} {snapshot: $s, build: $b, key: k})<-[a:${Rel.HAS_ACCESS}]-(c:${Label.AccessClass})
   RETURN k AS set, c.key AS cls, a.decision AS decision, a.hops AS hops, a.conditions AS conditions, a.patterns AS patterns`,
);
const CLASSES_IN = cypher(
  'review.index.classesIn',
  `UNWIND $keys AS k
   MATCH (:${Label.AccessSet} {snapshot: $s, build: $b, key: k})<-[a:${Rel.HAS_ACCESS}]-(c:${Label.AccessClass})
   WHERE a.decision IN $decisions
   RETURN c.key AS cls, max(a.hops) AS hops`,
);
/** The same without reading the relationships' properties (several times faster): for rules that count every decision and need no hops. */
const CLASSES_IN_ANY = cypher(
  'review.index.classesInAny',
  `UNWIND $keys AS k
   MATCH (:${Label.AccessSet} {snapshot: $s, build: $b, key: k})<-[:${Rel.HAS_ACCESS}]-(c)
   WITH DISTINCT c
   RETURN c.key AS cls, 0 AS hops`,
);
const ANSWERS_OF = cypher(
  'review.index.answersOf',
  `UNWIND $keys AS k
   MATCH (:${Label.AccessClass} {snapshot: $s, build: $b, key: k})-[a:${Rel.HAS_ACCESS}]->(set:${Label.AccessSet})
   RETURN k AS cls, set.key AS set, a.decision AS decision, a.hops AS hops, a.conditions AS conditions, a.patterns AS patterns`,
);
const MEMBERS = cypher(
  'review.index.members',
  `UNWIND $keys AS k
   MATCH (:${Label.AccessClass} {snapshot: $s, build: $b, key: k})<-[:${Rel.IN_ACCESS_CLASS}]-(p:${Label.Accessor})
   RETURN k AS cls, p.arn AS arn, p.type AS type, p.account AS account, p.inOrganization AS inOrganization`,
);
/** The access index of one snapshot, read in batches and kept for the whole review. */
export class GraphIndexedAnswers implements IndexedAnswers {
  private readonly targetMemo = new Map<string, IndexedTarget | null>();
  private readonly entryMemo = new Map<string, IndexedEntry[]>();
  private readonly memberMemo = new Map<string, IndexedMember[]>();
  private readonly assumptionMemo = new Map<string, StoredAssumption[]>();

  constructor(
    private readonly graph: BoundReads,
    private readonly snapshot: string,
    /** The index build every query reads (the one complete when the review started). */
    private readonly build: string,
    readonly maxHops: number,
  ) {}

  async targets(keys: readonly string[]): Promise<Map<string, IndexedTarget | null>> {
    await this.fill(keys, this.targetMemo, async (batch) => {
      const rows = await this.graph.readAll<{ key: string; set: string; public: boolean }>(TARGETS, {
        s: this.snapshot,
        b: this.build,
        rows: batch.map((key) => ({ key, action: key.slice(0, key.indexOf(' ')), resource: key.slice(key.indexOf(' ') + 1) })),
      });
      const found = new Map<string, IndexedTarget | null>(batch.map((k) => [k, null]));
      for (const r of rows) found.set(r.key, { set: r.set, public: r.public });
      return found;
    });
    return new Map(keys.map((k) => [k, this.targetMemo.get(k) ?? null]));
  }

  async entries(sets: readonly string[]): Promise<Map<string, IndexedEntry[]>> {
    await this.fill(sets, this.entryMemo, async (batch) => {
      const rows = await this.graph.readAll<{
        set: string;
        cls: string;
        decision: IndexedEntry['decision'];
        hops: number;
        conditions: string | null;
        patterns: string[] | null;
      }>(ENTRIES, {
        s: this.snapshot,
        b: this.build,
        keys: batch,
      });
      const found = new Map<string, IndexedEntry[]>(batch.map((k) => [k, []]));
      for (const r of rows) {
        found.get(r.set)!.push({
          cls: r.cls,
          decision: r.decision,
          hops: r.hops,
          conditions: r.conditions === null ? null : (JSON.parse(r.conditions) as ConditionSummary[]),
          patterns: r.patterns,
        });
      }
      for (const list of found.values()) list.sort((a, b) => (a.cls < b.cls ? -1 : a.cls > b.cls ? 1 : 0));
      return found;
    });
    return new Map(sets.map((k) => [k, this.entryMemo.get(k)!]));
  }

  async classesIn(
    sets: readonly string[],
    decisions: readonly string[],
    options: { hops: boolean; onProgress?: (doneSets: number) => void },
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const unique = [...new Set(sets)];
    // HAS_ACCESS holds only allowed, conditional and partial (never denied), and only from classes.
    const query = !options.hops && ['allowed', 'conditional', 'partial'].every((d) => decisions.includes(d)) ? CLASSES_IN_ANY : CLASSES_IN;
    for (let i = 0; i < unique.length; i += BATCH) {
      const rows = await this.graph.readAll<{ cls: string; hops: number }>(query, {
        s: this.snapshot,
        b: this.build,
        keys: unique.slice(i, i + BATCH),
        decisions: [...decisions],
      });
      for (const r of rows) out.set(r.cls, Math.max(out.get(r.cls) ?? 0, r.hops));
      options.onProgress?.(Math.min(i + BATCH, unique.length));
    }
    return out;
  }

  async answersOf(classes: readonly string[]): Promise<Map<string, (IndexedEntry & { set: string })[]>> {
    const out = new Map<string, (IndexedEntry & { set: string })[]>(classes.map((k) => [k, []]));
    const unique = [...new Set(classes)];
    for (let i = 0; i < unique.length; i += CLASS_BATCH) {
      const rows = await this.graph.readAll<{
        cls: string;
        set: string;
        decision: IndexedEntry['decision'];
        hops: number;
        conditions: string | null;
        patterns: string[] | null;
      }>(ANSWERS_OF, {
        s: this.snapshot,
        b: this.build,
        keys: unique.slice(i, i + CLASS_BATCH),
      });
      for (const r of rows) {
        out.get(r.cls)!.push({
          cls: r.cls,
          set: r.set,
          decision: r.decision,
          hops: r.hops,
          conditions: r.conditions === null ? null : (JSON.parse(r.conditions) as ConditionSummary[]),
          patterns: r.patterns,
        });
      }
    }
    return out;
  }

  async members(classes: readonly string[]): Promise<Map<string, IndexedMember[]>> {
    await this.fill(classes, this.memberMemo, async (batch) => {
      const rows = await this.graph.readAll<{
        cls: string;
        arn: string;
        type: CallerType;
        account: string | null;
        inOrganization: boolean | null;
      }>(MEMBERS, { s: this.snapshot, b: this.build, keys: batch });
      const found = new Map<string, IndexedMember[]>(batch.map((k) => [k, []]));
      for (const r of rows)
        found.get(r.cls)!.push({ arn: r.arn, type: r.type, account: r.account ?? null, inOrganization: r.inOrganization ?? null });
      for (const list of found.values()) list.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
      return found;
    });
    return new Map(classes.map((k) => [k, this.memberMemo.get(k)!]));
  }

  async assumptionsFrom(arns: readonly string[]): Promise<Map<string, StoredAssumption[]>> {
    await this.fill(arns, this.assumptionMemo, async (batch) => {
      const rows = await this.graph.readAll<AssumeRow & { to: string }>(ASSUMPTIONS_FROM, {
        s: this.snapshot,
        b: this.build,
        rows: assumerRows(batch),
      });
      const found = new Map<string, StoredAssumption[]>(batch.map((k) => [k, []]));
      for (const r of rows) {
        const hop = assumeRoleHop(r, r.to);
        found.get(r.from)!.push({ to: r.to, hop });
      }
      return found;
    });
    return new Map(arns.map((k) => [k, this.assumptionMemo.get(k)!]));
  }

  /** Reads the keys not read yet, a batch at a time. */
  private async fill<T>(keys: readonly string[], memo: Map<string, T>, read: (batch: string[]) => Promise<Map<string, T>>): Promise<void> {
    const missing = [...new Set(keys.filter((k) => !memo.has(k)))];
    for (let i = 0; i < missing.length; i += BATCH) {
      for (const [k, v] of await read(missing.slice(i, i + BATCH))) memo.set(k, v);
    }
  }
}
