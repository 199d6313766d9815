import {
  ACCESS_KINDS,
  INDEXED_MANAGEMENT_ACTIONS,
  type AccessChange,
  type AccessDecision,
  type AccessDiff,
  type AccessDiffOptions,
  type AccessKind,
  type CallerType,
  type PathHop,
} from '../../analysis';
import { cypher, type Graph } from '../../db';
import { Label, Rel } from '../../model';
import { indexBuildFor } from './indexReady';
import { classMembers, readPaged } from './storedIndex';
import { assumeRoleHop, type AssumeRow } from './storedAssumption';

/**
 * Who gained and who lost which access between two snapshots, by comparing
 * their access indexes instead of asking both analyses every question
 * (src/analysis/diff.ts, whose semantics it keeps):
 *
 * - `invoke` (execute-api:Invoke on every method × stage) and `manage`
 *   (apigateway:POST, PUT, PATCH, DELETE on every API): a target is keyed by
 *   action and resource in both snapshots; its answer is its AccessSet's
 *   entries (accessors by ARN, with decision and hops). Targets answered by
 *   the same pair of sets are compared once.
 * - `assume`: who can assume each role directly: the stored CAN_ASSUME
 *   relationships of both snapshots (chains show up as changes of the roles
 *   they go through), each with its `assume-role` step as path.
 *
 * A principal is `gained` (no access before), `lost` (none after) or
 * `changed` (another decision). The indexes are read as stored (compact:
 * accessors, classes and their HAS_ACCESS relationships, targets), in pages;
 * neither analysis is loaded.
 *
 * Answers only when both snapshots have a complete index built with the
 * question's maxHops and no request context is given; otherwise returns
 * undefined and the analysis answers. Invoke and manage changes carry no
 * paths (the index holds no statements): `whocan who-can` on the later
 * (gained) or earlier (lost) snapshot lists them.
 */
const ACCESS = cypher(
  'index.diff.access',
  `MATCH (c:${Label.AccessClass} {snapshot: $s, build: $b}) WHERE c.key > $after
   WITH c ORDER BY c.key LIMIT toInteger($limit)
   OPTIONAL MATCH (c)-[a:${Rel.HAS_ACCESS}]->(set:${Label.AccessSet})
   RETURN c.key AS key, collect([set.key, a.decision, a.hops]) AS access`,
);

const TARGETS = cypher(
  'index.diff.targets',
  `MATCH (t:${Label.AccessTarget} {snapshot: $s, build: $b}) WHERE t.key > $after AND t.action IN $actions AND ($apis IS NULL OR t.apiId IN $apis)
   WITH t ORDER BY t.key LIMIT toInteger($limit)
   MATCH (t)-[:${Rel.ANSWERED_BY}]->(set:${Label.AccessSet})
   RETURN t.key AS key, t.action AS action, t.resource AS resource, t.apiId AS apiId, set.key AS set`,
);

const API_IDS = cypher(
  'index.diff.apiIds',
  `MATCH (snap:${Label.Snapshot} {id: $s})
   MATCH (t:${Label.AccessTarget} {snapshot: $s, build: snap.indexBuild, action: 'apigateway:DELETE'}) WHERE t.apiId IN $apis
   RETURN DISTINCT t.apiId AS apiId LIMIT toInteger($limit)`,
);

const ASSUMES = cypher(
  'index.diff.assumes',
  `MATCH (r:${Label.Role} {snapshot: $s}) WHERE r.key > $after
   WITH r ORDER BY r.key LIMIT toInteger($limit)
   OPTIONAL MATCH (a)-[e:${Rel.CAN_ASSUME}]->(r)
   RETURN r.key AS key, r.arn AS role, collect(CASE WHEN e IS NULL THEN null ELSE {
     from: e.from, decision: e.decision, trustPolicy: e.trustPolicy, trustStatement: e.trustStatement,
     identityPolicy: e.identityPolicy, identityStatement: e.identityStatement, conditions: e.conditions,
     type: CASE WHEN a:${Label.User} THEN 'user' WHEN a:${Label.Role} THEN 'role' WHEN a:${Label.Account} THEN 'account'
                WHEN a:${Label.ServicePrincipal} THEN 'service' WHEN a.kind IN ['user', 'role'] THEN a.kind ELSE 'session' END
   } END) AS edges`,
);

interface Access {
  arn: string;
  type: CallerType;
  decision: AccessDecision;
  hops: number;
  paths: PathHop[][];
}

interface StoredEdge extends AssumeRow {
  type: CallerType;
}

interface Question {
  kind: AccessKind;
  action: string;
  resource: string;
  /** invoke and manage: the AccessSet; assume: the role's direct assumers. */
  set?: string;
  assumers?: Map<string, Access>;
}

/** One snapshot's index, as stored (compact), for the questions the diff compares. */
interface SnapshotIndex {
  questions: Map<string, Question>;
  /** The entries of a set, by ARN (expanded from classes on first use). */
  entries(set: string): Map<string, Access>;
}

const ACTION_KIND: Record<string, AccessKind> = {
  'execute-api:Invoke': 'invoke',
  ...Object.fromEntries(INDEXED_MANAGEMENT_ACTIONS.map((a) => [a, 'manage' as const])),
};

/**
 * API ids of `apis` that neither snapshot's index has (the analysis' diff
 * refuses them: an id that names nothing would make "no change" look true).
 */
export async function unknownApisInIndex(graph: Graph, snapshots: readonly string[], apis: readonly string[]): Promise<string[]> {
  const known = new Set<string>();
  for (const s of snapshots)
    for (const row of await graph.read<{ apiId: string }>(API_IDS, { s, apis: [...apis], limit: apis.length + 1 })) known.add(row.apiId);
  return apis.filter((id) => !known.has(id));
}

/** The diff from the indexes, or undefined when the analyses must answer (see above). */
export async function accessDiffFromIndex(
  graph: Graph,
  from: string,
  to: string,
  options: AccessDiffOptions = {},
): Promise<AccessDiff | undefined> {
  const started = performance.now();
  if (options.context !== undefined && Object.keys(options.context).length > 0) return undefined;
  const fromBuild = await indexBuildFor(graph, from, options.maxHops);
  const toBuild = fromBuild === undefined ? undefined : await indexBuildFor(graph, to, options.maxHops);
  if (fromBuild === undefined || toBuild === undefined) return undefined;
  const before = await readIndex(graph, from, fromBuild, options);
  const after = await readIndex(graph, to, toBuild, options);
  const keys = [...new Set([...before.questions.keys(), ...after.questions.keys()])].sort();
  const changes: AccessChange[] = [];
  const none = new Map<string, Access>();
  for (const [i, key] of keys.entries()) {
    const b = before.questions.get(key);
    const a = after.questions.get(key);
    const q = (a ?? b)!;
    const was = !b ? none : (b.assumers ?? before.entries(b.set!));
    const now = !a ? none : (a.assumers ?? after.entries(a.set!));
    for (const [arn, p] of now) {
      const old = was.get(arn);
      if (!old) changes.push(change(q, p, 'gained', null, p));
      else if (old.decision !== p.decision) changes.push(change(q, p, 'changed', old, p));
    }
    for (const [arn, p] of was) if (!now.has(arn)) changes.push(change(q, p, 'lost', p, null));
    if (i % 1000 === 999) options.onProgress?.(i + 1, keys.length);
  }
  options.onProgress?.(keys.length, keys.length);
  changes.sort(
    (x, y) => x.resource.localeCompare(y.resource) || x.action.localeCompare(y.action) || x.principal.localeCompare(y.principal),
  );
  const counts = { gained: 0, lost: 0, changed: 0 };
  for (const c of changes) counts[c.change]++;
  return { changes, counts, compared: keys.length, stats: { ms: Math.round(performance.now() - started) } };
}

function change(q: Question, p: Access, kind: AccessChange['change'], before: Access | null, after: Access | null): AccessChange {
  return {
    kind: q.kind,
    action: q.action,
    resource: q.resource,
    principal: p.arn,
    principalType: p.type,
    change: kind,
    before: before ? { decision: before.decision, hops: before.hops } : null,
    after: after ? { decision: after.decision, hops: after.hops } : null,
    paths: (after ?? before)!.paths,
  };
}

async function readIndex(graph: Graph, snapshot: string, build: string, options: AccessDiffOptions): Promise<SnapshotIndex> {
  const kinds = new Set(options.kinds ?? ACCESS_KINDS);
  const questions = new Map<string, Question>();
  const actions = [...(kinds.has('invoke') ? ['execute-api:Invoke'] : []), ...(kinds.has('manage') ? INDEXED_MANAGEMENT_ACTIONS : [])];
  const usedSets = new Set<string>();
  if (actions.length > 0) {
    await readPaged<{ key: string; action: string; resource: string; set: string }>(
      graph,
      TARGETS,
      { s: snapshot, b: build, actions, apis: options.apis ? [...options.apis] : null },
      (t) => {
        const kind = ACTION_KIND[t.action]!;
        questions.set(`${kind} ${t.action} ${t.resource}`, { kind, action: t.action, resource: t.resource, set: t.set });
        usedSets.add(t.set);
      },
    );
  }
  if (kinds.has('assume')) {
    await readPaged<{ key: string; role: string; edges: StoredEdge[] }>(graph, ASSUMES, { s: snapshot }, (r) => {
      const assumers = new Map<string, Access>();
      for (const e of r.edges)
        assumers.set(e.from, { arn: e.from, type: e.type, decision: e.decision, hops: 0, paths: [[assumeRoleHop(e, r.role)]] });
      questions.set(`assume sts:AssumeRole ${r.role}`, { kind: 'assume', action: 'sts:AssumeRole', resource: r.role, assumers });
    });
  }

  // Classes with access to the sets the questions use, then the accessors of those classes.
  const classAccess = new Map<string, [string, AccessDecision, number][]>();
  if (usedSets.size > 0) {
    await readPaged<{ key: string; access: [string | null, AccessDecision, number][] }>(graph, ACCESS, { s: snapshot, b: build }, (c) => {
      const used = c.access.filter((a): a is [string, AccessDecision, number] => a[0] !== null && usedSets.has(a[0]));
      if (used.length > 0) classAccess.set(c.key, used);
    });
  }
  const members = await classMembers(graph, snapshot, build, new Set(classAccess.keys()));
  const bySet = new Map<string, [string, AccessDecision, number][]>();
  for (const [cls, access] of classAccess) {
    for (const [set, decision, hops] of access) {
      let list = bySet.get(set);
      if (!list) bySet.set(set, (list = []));
      list.push([cls, decision, hops]);
    }
  }
  const expanded = new Map<string, Map<string, Access>>();
  return {
    questions,
    entries(set: string) {
      let out = expanded.get(set);
      if (!out) {
        out = new Map();
        for (const [cls, decision, hops] of bySet.get(set) ?? [])
          for (const m of members.get(cls) ?? []) out.set(m.arn, { arn: m.arn, type: m.type, decision, hops, paths: [] });
        expanded.set(set, out);
      }
      return out;
    },
  };
}

/** gained / lost / changed of each kind of access (every kind listed, zeros included), in ACCESS_KINDS order. */
export interface KindCounts {
  kind: AccessKind;
  gained: number;
  lost: number;
  changed: number;
}

export function countsByKind(changes: readonly AccessChange[]): KindCounts[] {
  const out = new Map<AccessKind, KindCounts>(ACCESS_KINDS.map((kind) => [kind, { kind, gained: 0, lost: 0, changed: 0 }]));
  for (const c of changes) out.get(c.kind)![c.change]++;
  return [...out.values()];
}
