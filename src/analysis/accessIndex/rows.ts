/** The index as rows for the graph: callers with the same rows over every answer grouped into classes. */
import type { AccessIndex, AccessIndexRows, IndexEntry } from './types';

/**
 * Groups callers whose rows over every answer are the same into classes (an
 * answer then lists classes, not callers), and turns the index into rows.
 */
export function accessIndexRows(index: AccessIndex): AccessIndexRows {
  const setKey = (id: number) => `set:${id}`;
  const rowsOf = new Map<string, { set: number; entry: IndexEntry }[]>();
  index.sets.forEach((entries, set) => {
    for (const entry of entries) {
      let list = rowsOf.get(entry.arn);
      if (!list) rowsOf.set(entry.arn, (list = []));
      list.push({ set, entry });
    }
  });
  const classBySignature = new Map<string, { key: string; size: number; rows: { set: number; entry: IndexEntry }[] }>();
  const accessors: AccessIndexRows['accessors'] = [];
  for (const arn of [...rowsOf.keys()].sort()) {
    const rows = rowsOf.get(arn)!;
    const signature = rows.map(({ set, entry }) => `${set}\u0000${entryText(entry)}`).join('\n');
    let cls = classBySignature.get(signature);
    if (!cls) classBySignature.set(signature, (cls = { key: `class:${classBySignature.size}`, size: 0, rows }));
    cls.size++;
    const a = index.accessors.get(arn);
    accessors.push({
      key: arn,
      arn,
      type: a?.type ?? 'anonymous',
      account: a?.account ?? null,
      inOrganization: a?.inOrganization ?? null,
      accessClass: cls.key,
    });
  }
  const classes: AccessIndexRows['classes'] = [];
  const access: AccessIndexRows['access'] = [];
  for (const cls of classBySignature.values()) {
    classes.push({ key: cls.key, size: cls.size });
    for (const { set, entry } of cls.rows) {
      access.push({
        from: cls.key,
        to: setKey(set),
        decision: entry.decision,
        hops: entry.hops,
        bestHops: entry.bestHops,
        direct: entry.direct,
        conditions: entry.conditions ? JSON.stringify(entry.conditions) : null,
        formula: entry.formula ? JSON.stringify(entry.formula) : null,
        patterns: entry.patterns,
      });
    }
  }
  const actionOfSet = new Map<number, string>();
  for (const t of index.targets) actionOfSet.set(t.set, t.action);
  const sets = index.sets.map((entries, id) => ({ key: setKey(id), principals: entries.length, action: actionOfSet.get(id) ?? '' }));
  const targets = index.targets.map(({ set, ...t }) => ({ ...t, accessSet: setKey(set) }));
  return { accessors, classes, sets, targets, access };
}

export function entryText(e: IndexEntry): string {
  return `${e.direct ?? ''}\u0000${e.decision}\u0000${e.hops}\u0000${e.bestHops}\u0000${e.conditions ? JSON.stringify(e.conditions) : ''}\u0000${e.formula ? JSON.stringify(e.formula) : ''}\u0000${e.patterns ? e.patterns.join('\u0001') : ''}`;
}
