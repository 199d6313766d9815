import type { CallerType } from '../../analysis';
import { cypher, type CypherQuery, type Graph } from '../../db';
import { Label, Rel } from '../../model';

/** Reading a snapshot's access index as stored (compact), in keyset pages: shared by the diff and the access summary. */
export const INDEX_PAGE = 5_000;

const ACCESSORS = cypher(
  'index.stored.accessors',
  `MATCH (a:${Label.Accessor} {snapshot: $s, build: $b}) WHERE a.key > $after
   WITH a ORDER BY a.key LIMIT toInteger($limit)
   MATCH (a)-[:${Rel.IN_ACCESS_CLASS}]->(c:${Label.AccessClass})
   RETURN a.key AS key, a.type AS type, c.key AS class`,
);

/** Reads pages of a keyset query (`$after`, `$limit`, one row per key) until one is short. */
export async function readPaged<T extends { key: string }>(
  graph: Graph,
  query: CypherQuery,
  params: Record<string, unknown>,
  each: (row: T) => void,
): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await graph.read<T>(query, { ...params, after, limit: INDEX_PAGE });
    for (const row of rows) each(row);
    if (rows.length < INDEX_PAGE) return;
    after = rows[rows.length - 1]!.key;
  }
}

/** The members (ARN and type) of the given access classes, in the index build `build`. */
export async function classMembers(
  graph: Graph,
  snapshot: string,
  build: string,
  classes: ReadonlySet<string>,
): Promise<Map<string, { arn: string; type: CallerType }[]>> {
  const members = new Map<string, { arn: string; type: CallerType }[]>();
  if (classes.size === 0) return members;
  await readPaged<{ key: string; type: CallerType; class: string }>(graph, ACCESSORS, { s: snapshot, b: build }, (a) => {
    if (!classes.has(a.class)) return;
    let list = members.get(a.class);
    if (!list) members.set(a.class, (list = []));
    list.push({ arn: a.key, type: a.type });
  });
  return members;
}
