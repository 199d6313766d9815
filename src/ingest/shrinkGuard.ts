import { cypher, type Graph } from '../db';
import { UserInputError } from '../errors';
import { SharedLabel, type SnapshotRows } from '../model';

/**
 * The shrink guard. A new snapshot replaces the current one for every
 * question, and old snapshots are pruned, so a snapshot that silently lost
 * most of the organization (a collection run with the wrong credentials, a
 * half-copied directory) must not become current unnoticed. An ingest is
 * refused when, compared with the current snapshot, it would remove more than
 * half (SHRINK_LIMIT) of its principals (IAM users and roles) or more than
 * half of its APIs (REST and HTTP), unless the user says the shrink is
 * intended (`whocan ingest --allow-shrink`).
 */
export const SHRINK_LIMIT = 0.5;
/** How many of the disappearing ARNs the refusal shows. */
export const SHRINK_EXAMPLES = 10;

const PRINCIPAL_KEYS = cypher('shrinkGuard.principalKeys', `MATCH (n:${SharedLabel.Principal} {snapshot: $snapshot}) RETURN n.key AS key`);
const API_KEYS = cypher('shrinkGuard.apiKeys', `MATCH (n:${SharedLabel.Api} {snapshot: $snapshot}) RETURN n.key AS key`);

export interface Shrink {
  kind: 'principals' | 'APIs';
  before: number;
  removed: number;
  examples: string[];
}

/** What would disappear, per kind, when `after` replaces `before` (pure). Only kinds over the limit are returned. */
export function excessiveShrinks(
  before: { principals: readonly string[]; apis: readonly string[] },
  after: { principals: ReadonlySet<string>; apis: ReadonlySet<string> },
): Shrink[] {
  const shrinks: Shrink[] = [];
  for (const [kind, old, now] of [
    ['principals', before.principals, after.principals],
    ['APIs', before.apis, after.apis],
  ] as const) {
    const removed = old.filter((key) => !now.has(key));
    if (old.length > 0 && removed.length / old.length > SHRINK_LIMIT) {
      shrinks.push({ kind, before: old.length, removed: removed.length, examples: [...removed].sort().slice(0, SHRINK_EXAMPLES) });
    }
  }
  return shrinks;
}

/** Refuses `rows` when they would remove most of the current snapshot's principals or APIs (see above). */
export async function checkShrink(graph: Graph, current: string | undefined, rows: SnapshotRows, dir: string): Promise<void> {
  if (current === undefined) return;
  const keys = async (query: typeof PRINCIPAL_KEYS) =>
    (await graph.readAll<{ key: string }>(query, { snapshot: current })).map((r) => r.key);
  const shrinks = excessiveShrinks(
    { principals: await keys(PRINCIPAL_KEYS), apis: await keys(API_KEYS) },
    { principals: new Set([...rows.users, ...rows.roles].map((r) => r.key)), apis: new Set(rows.apis.map((r) => r.key)) },
  );
  if (shrinks.length === 0) return;
  const percent = (s: Shrink) => `${Math.round((s.removed / s.before) * 100)} %`;
  throw new UserInputError(
    `${dir} would remove ${shrinks.map((s) => `${s.removed} of the ${s.before} ${s.kind} (${percent(s)})`).join(' and ')} of the current snapshot ${current}; nothing was written. ` +
      `An ingest that removes more than ${SHRINK_LIMIT * 100} % of the principals or of the APIs is refused unless it is intended: check that the directory holds every account, then run again with --allow-shrink.`,
    shrinks.map(
      (s) =>
        `${s.kind} that would disappear: ${s.examples.join(', ')}${s.removed > s.examples.length ? ` … and ${s.removed - s.examples.length} more` : ''}`,
    ),
  );
}
