/** A rule checked on the snapshot's access index, in bulk: whether the index can answer it (indexFor), the principals that break it (collectFromIndex), and the accesses the report lists for them (fillFromIndex). */
import { DEFAULT_MAX_HOPS } from '../../analysis';
import { countsAsAccess, type Collected, type Flagged } from './collected';
import { indexedAccessDetail, type IndexedHolder } from './indexPaths';
import { describeMatcherShort, matchesAny, outsideReason } from './principals';
import type { Question } from './resolve';
import type { Rule } from './rules';
import type { ReviewRun } from './run';
import type { AccountInventory, IndexedAnswers, IndexedMember } from './source';

/** The index that answers a rule: its reader, and the answer (set) of each question asked, in order. */
export interface IndexPlan {
  reader: IndexedAnswers;
  sets: string[];
}

/** The access index key of a question (`<action> <resource>`). */
function targetKey(q: Question): string {
  return `${q.action} ${q.resource}`;
}

/**
 * The snapshot's access index, when it can answer every question of the
 * rule exactly: the rule has no request context (the index holds no
 * context; re-deciding conditional entries is the analysis' job here), its
 * expectation needs no more than decisions and hops (`only` looks at every
 * path, `no-escalation` at findings), the questions are asked with the
 * role assumptions the index followed (the index keeps the best decision
 * within its own depth, which a shallower question may not reach), and
 * the index holds every target asked about.
 */
export async function indexFor(
  run: ReviewRun,
  rule: Rule,
  asked: readonly Question[],
  hopLimit: number | undefined,
): Promise<IndexPlan | undefined> {
  if (!run.source.indexed || rule.context !== undefined || rule.expect.kind === 'only' || rule.expect.kind === 'no-escalation')
    return undefined;
  const reader = await run.source.indexed(run.snapshot);
  if (!reader || (hopLimit ?? run.maxHops ?? DEFAULT_MAX_HOPS) !== reader.maxHops) return undefined;
  const targets = await reader.targets(asked.map(targetKey));
  const sets: string[] = [];
  for (const q of asked) {
    const t = targets.get(targetKey(q));
    if (!t) return undefined;
    sets.push(t.set);
  }
  return { reader, sets };
}

/**
 * The rule checked on the index, without reading every answer into
 * memory: the classes of callers the selected answers list (each answer
 * once for every question that shares it, found by Neo4j), each class
 * checked once, then the answers of only the classes that break the rule.
 * A violation keeps the questions it breaks the rule on; its listed
 * accesses are filled in later (fillFromIndex) for the violations a report
 * lists.
 */
export async function collectFromIndex(
  run: ReviewRun,
  rule: Rule,
  asked: readonly Question[],
  index: IndexPlan,
  accounts: AccountInventory | undefined,
): Promise<Collected> {
  const expect = rule.expect;
  const { reader } = index;
  const seen = new Set<string>();
  const flagged = new Map<string, Flagged>();
  const bySet = new Map<string, number[]>();
  index.sets.forEach((set, i) => {
    const list = bySet.get(set);
    if (list) list.push(i);
    else bySet.set(set, [i]);
  });
  const sets = [...bySet.keys()];
  // 1. The classes of callers the answers list with a decision the rule counts (read in Neo4j: the answers × classes stay there).
  const classHops = await reader.classesIn(sets, rule.access, {
    hops: expect.kind === 'max-hops',
    onProgress: (doneSets) =>
      run.onProgress?.(
        rule,
        sets.slice(0, doneSets).reduce((n, s) => n + bySet.get(s)!.length, 0),
        asked.length,
      ),
  });
  const members = await reader.members([...classHops.keys()]);

  // 2. Each class once: its members that count (not excepted), and why each breaks the rule (null: it does not, whatever it reaches).
  const classes = new Map<string, { member: IndexedMember; why: string | null }[]>();
  let farthest = 0;
  for (const [cls, hops] of classHops) {
    const list: { member: IndexedMember; why: string | null }[] = [];
    for (const m of members.get(cls) ?? []) {
      if (expect.kind === 'not-public') {
        // Only anonymous callers make a method public (and except does not apply to them here, as for answers).
        if (m.type === 'anonymous') list.push({ member: m, why: '' });
        continue;
      }
      if (await matchesAny(run, rule.except, m)) continue;
      seen.add(m.arn);
      let why: string | null = '';
      if (expect.kind === 'forbid') {
        const matcher = await matchesAny(run, expect.principals, m);
        why = matcher ? `is forbidden by the rule (${describeMatcherShort(matcher)})` : null;
      } else if (expect.kind === 'no-outside-org') why = outsideReason(m, accounts!) ?? null;
      else if (expect.kind === 'nobody') why = 'has access; the rule allows nobody';
      else if (expect.kind === 'max-hops' && hops + 1 <= expect.max) why = null;
      list.push({ member: m, why });
    }
    if (expect.kind === 'max-hops' && list.length > 0) farthest = Math.max(farthest, hops + 1);
    if (list.some((x) => x.why !== null)) classes.set(cls, list);
  }

  // 3. Where the classes that break the rule do: the questions of each answer that lists them, with their entry there.
  const targets = expect.kind === 'not-public' ? await reader.targets(asked.map(targetKey)) : undefined;
  const answers = await reader.answersOf([...classes.keys()]);
  let open = 0;
  for (const [cls, list] of classes) {
    const hits: Flagged['hits'] = [];
    for (const entry of answers.get(cls) ?? []) {
      const questions = bySet.get(entry.set);
      if (!questions || !countsAsAccess(rule, entry.decision)) continue;
      if (expect.kind === 'max-hops' && entry.hops + 1 <= expect.max) continue;
      if (expect.kind === 'not-public') {
        const publicOnes = questions.filter((i) => targets!.get(targetKey(asked[i]!))!.public);
        if (publicOnes.length === 0) continue;
        open += publicOnes.length;
        hits.push({ questions: publicOnes, entry, set: entry.set });
      } else hits.push({ questions, entry, set: entry.set });
    }
    if (hits.length === 0) continue;
    const accessCount = hits.reduce((n, h) => n + h.questions.length, 0);
    const minHops = hits.reduce((n, h) => Math.min(n, h.entry.hops), Infinity);
    for (const { member, why } of list) {
      if (why !== null) flagged.set(member.arn, { type: member.type, reason: why, access: [], held: [], hits, accessCount, minHops });
    }
  }
  run.onProgress?.(rule, asked.length, asked.length);
  return { seen, flagged, farthest, open };
}

/** The listed accesses of the listed violations answered from the index: the first ones in the selection's order, with their conditions and paths. */
export async function fillFromIndex(
  run: ReviewRun,
  index: IndexPlan,
  asked: readonly Question[],
  listed: [string, Flagged, number][],
): Promise<void> {
  for (const [, v, n] of listed) {
    const held = v.hits.flatMap((h) => h.questions.map((question) => ({ question, entry: h.entry, set: h.set })));
    held.sort((a, b) => a.question - b.question);
    v.held = held.slice(0, n);
  }
  const wanted: IndexedHolder[] = listed.flatMap(([arn, v]) =>
    v.held.map((h) => ({ arn, type: v.type, set: h.set, entry: h.entry, question: asked[h.question]! })),
  );
  const details = await indexedAccessDetail(index.reader, wanted, { maxPaths: run.maxPaths, accounts: await run.accounts() });
  let at = 0;
  for (const [, v] of listed) {
    v.access = v.held.map((h) => {
      const d = details[at++]!;
      const q = asked[h.question]!;
      return {
        action: q.action,
        resource: q.resource,
        label: q.label,
        decision: h.entry.decision,
        hops: h.entry.hops,
        conditions: d.conditions,
        ...(h.entry.hops === 0 && h.entry.decision === 'partial' && h.entry.patterns ? { partial: { patterns: h.entry.patterns } } : {}),
        paths: d.paths.slice(0, run.maxPaths),
        ...(d.more || d.paths.length > run.maxPaths ? { morePaths: true } : {}),
      };
    });
  }
}
