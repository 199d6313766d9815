import {
  DEFAULT_MAX_HOPS,
  Level,
  assumeLevelOf,
  levelOfDecision,
  weakest,
  type AccessDecision,
  type RequestContextValues,
  type InvocableAnswer,
  type InvocableMethod,
  type InvocableOptions,
  type PathHop,
} from '../../analysis';
import { cypher, type Graph, type TxOptions } from '../../db';
import { Label, Rel, SharedLabel } from '../../model';
import { decideFormula, indexContextKeys } from './contextFromIndex';
import { indexBuildFor } from './indexReady';
import { assumeRoleHop, parseConditions, type AssumeRow } from './storedAssumption';

/**
 * "What can this principal invoke?" read from the snapshot's access index
 * instead of deciding every method for the principal and every role it
 * becomes (src/analysis/invocable.ts). The index holds, for every method on
 * every stage, everyone with access within its maxHops, with the best
 * decision and the hops of the shortest chain; so the principal's methods are
 * its own entries (Accessor → AccessClass → HAS_ACCESS → AccessSet ←
 * AccessTarget). Who holds the grant (`via`) and the chain of role
 * assumptions to it come from the stored `CAN_ASSUME` relationships: the
 * roles the principal becomes (walked forwards as the analysis walks them),
 * of which one at the entry's hop count has access of its own (an entry with
 * 0 hops) to the method.
 *
 * Answers only where the index answers exactly as the analysis would: a user
 * or role of the snapshot, the index complete and built with the question's
 * maxHops, and request context only where it can be applied to the stored
 * entries (contextFromIndex.ts: caller-supplied keys; no assumption on the
 * way that depends on them; `conditional` own grants decided again from
 * their stored formula, `allowed` ones kept). Otherwise (or when the stored
 * data disagree with themselves) it returns undefined and the caller asks
 * the analysis.
 *
 * What the index does not hold is left out rather than guessed: a method's
 * `accessPath` is the chain of assumptions (each with its trust statement)
 * without the statements that grant the last step (`whocan can` lists them),
 * and a `partial` method has no `partial` coverage listing its requests.
 */
const START = cypher(
  'index.invocable.start',
  `MATCH (p:${SharedLabel.Principal} {snapshot: $s, arn: $arn})
   RETURN CASE WHEN p:${Label.User} THEN 'user' WHEN p:${Label.Role} THEN 'role' ELSE null END AS type
   LIMIT 1`,
);

const ASSUMES = cypher(
  'index.invocable.assumes',
  `UNWIND $frontier AS arn
   MATCH (:${SharedLabel.Principal} {snapshot: $s, arn: arn})-[e:${Rel.CAN_ASSUME}]->(r:${Label.Role})
   RETURN arn AS from, r.arn AS to, e.decision AS decision, e.trustPolicy AS trustPolicy, e.trustStatement AS trustStatement,
          e.identityPolicy AS identityPolicy, e.identityStatement AS identityStatement, e.conditions AS conditions, e.keys AS keys
   ORDER BY from, to
   LIMIT toInteger($cap)`,
);

const METHODS = cypher(
  'index.invocable.methods',
  `MATCH (:${Label.Accessor} {snapshot: $s, build: $b, key: $arn})-[:${Rel.IN_ACCESS_CLASS}]->(:${Label.AccessClass})-[a:${Rel.HAS_ACCESS}]->(set:${Label.AccessSet})
         <-[:${Rel.ANSWERED_BY}]-(t:${Label.AccessTarget} {action: 'execute-api:Invoke'})
   WHERE $unsigned = false OR t.authorizationType <> 'AWS_IAM'
   RETURN t.resource AS methodArn, t.apiId AS api, t.apiName AS apiName, t.apiType AS apiType, t.stage AS stage, t.verb AS verb, t.path AS path,
          t.methodKey AS methodKey, t.authorizationType AS authorizationType, set.key AS set, a.decision AS decision, a.hops AS hops, a.conditions AS conditions, a.formula AS formula
   ORDER BY methodArn
   LIMIT toInteger($cap)`,
);

const ROLE_GRANTS = cypher(
  'index.invocable.roleGrants',
  `UNWIND $roles AS arn
   MATCH (:${Label.Accessor} {snapshot: $s, build: $b, key: arn})-[:${Rel.IN_ACCESS_CLASS}]->(:${Label.AccessClass})-[a:${Rel.HAS_ACCESS}]->(set:${Label.AccessSet})
   WHERE set.key IN $sets
   RETURN arn, set.key AS set, a.decision AS decision, a.hops AS hops, a.conditions AS conditions
   LIMIT toInteger($cap)`,
);

/** Rows any one of these queries may return: more means a snapshot beyond what the index reader is for, and the analysis answers. */
const ROW_CAP = 200_000;

interface Edge extends AssumeRow {
  to: string;
  keys: string[] | null;
}

interface Reached {
  hops: number;
  level: Level;
  via: Edge | undefined;
}

interface MethodRow {
  methodArn: string;
  api: string;
  apiName: string | null;
  apiType: 'REST' | 'HTTP';
  stage: string;
  verb: string;
  path: string;
  methodKey: string;
  authorizationType: string;
  set: string;
  decision: Exclude<AccessDecision, 'denied'>;
  hops: number;
  conditions: string | null;
  formula: string | null;
}

/** The answer from the index, or undefined when the analysis must answer (see above). */
export async function invocableFromIndex(
  graph: Graph,
  snapshot: string,
  principalArn: string,
  options: InvocableOptions & { tx?: TxOptions | undefined } = {},
): Promise<InvocableAnswer | undefined> {
  const started = performance.now();
  const tx = options.tx ?? {};
  const context = options.context !== undefined && Object.keys(options.context).length > 0 ? options.context : undefined;
  const contextKeys = context ? indexContextKeys(context) : [];
  if (!contextKeys) return undefined;
  const build = await indexBuildFor(graph, snapshot, options.maxHops, tx);
  if (build === undefined) return undefined;
  const start = (await graph.read<{ type: 'user' | 'role' | null }>(START, { s: snapshot, arn: principalArn }, tx))[0];
  if (!start?.type) return undefined;

  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  const reached = await forwardReach(graph, snapshot, principalArn, maxHops, tx, contextKeys);
  if (!reached) return undefined;
  const own = await graph.read<MethodRow>(METHODS, { s: snapshot, b: build, arn: principalArn, unsigned: false, cap: ROW_CAP + 1 }, tx);
  const unsigned = options.includeUnsigned
    ? await graph.read<MethodRow>(METHODS, { s: snapshot, b: build, arn: 'anonymous', unsigned: true, cap: ROW_CAP + 1 }, tx)
    : [];
  if (own.length > ROW_CAP || unsigned.length > ROW_CAP) return undefined;

  // Who holds each grant reached through roles: a role at the entry's hop count with access of its own (0 hops).
  // With request context, also whether a role the principal becomes has any access to a method whose own
  // conditional grant the context denies.
  const chained = own.filter((m) => m.hops > 0);
  const redecided = context ? own.filter((m) => m.decision === 'conditional' && m.hops === 0) : [];
  const roles = [...reached]
    .filter(([arn, r]) => arn !== principalArn && (redecided.length > 0 || chained.some((m) => m.hops === r.hops)))
    .map(([arn]) => arn);
  const grants = new Map<string, { arn: string; decision: AccessDecision; hops: number; conditions: string | null }[]>();
  if (chained.length + redecided.length > 0 && roles.length > 0) {
    const rows = await graph.read<{ arn: string; set: string; decision: AccessDecision; hops: number; conditions: string | null }>(
      ROLE_GRANTS,
      { s: snapshot, b: build, roles, sets: [...new Set([...chained, ...redecided].map((m) => m.set))], cap: ROW_CAP + 1 },
      tx,
    );
    if (rows.length > ROW_CAP) return undefined;
    for (const row of rows) {
      let list = grants.get(row.set);
      if (!list) grants.set(row.set, (list = []));
      list.push(row);
    }
  }

  const methods: InvocableMethod[] = [];
  for (const m of own) {
    let via = principalArn;
    let grantConditions = m.conditions;
    let viaLevel: number = levelOfDecision(m.decision);
    if (m.hops > 0) {
      let best: { arn: string; level: number; conditions: string | null } | undefined;
      for (const g of grants.get(m.set) ?? []) {
        const r = reached.get(g.arn);
        if (!r || r.hops !== m.hops || g.hops !== 0) continue;
        const level = Math.min(r.level, levelOfDecision(g.decision));
        if (!best || level > best.level || (level === best.level && g.arn < best.arn))
          best = { arn: g.arn, level, conditions: g.conditions };
      }
      // The stored index and CAN_ASSUME relationships disagree (they never should): the analysis answers.
      if (!best) return undefined;
      via = best.arn;
      grantConditions = best.conditions;
      viaLevel = best.level;
    }
    if (context) {
      // Through roles: some role the principal becomes within maxHops has access to the method.
      const throughRoles = () => (grants.get(m.set) ?? []).some((g) => (reached.get(g.arn)?.hops ?? Infinity) + g.hops <= maxHops);
      const decided = underContext(m, viaLevel, context, principalArn, throughRoles);
      if (!decided) return undefined;
      if (decided === 'denied') continue;
      m.decision = decided;
    }
    const chain = chainTo(reached, via);
    methods.push(
      method(m, {
        via,
        conditions: m.decision === 'allowed' ? [] : [...chain.flatMap((h) => h.conditions ?? []), ...parseConditions(grantConditions)],
        accessPath: chain,
      }),
    );
  }
  for (const m of unsigned) {
    if (context) {
      const decided = underContext(m, levelOfDecision(m.decision), context, 'anonymous', () => false);
      if (!decided) return undefined;
      if (decided === 'denied') continue;
      m.decision = decided;
    }
    const conditions = m.decision === 'allowed' ? [] : parseConditions(m.conditions);
    const hop: PathHop = {
      kind: m.authorizationType === 'NONE' ? 'unsigned' : 'authorizer',
      from: 'anonymous',
      to: m.methodArn,
      ...(conditions.length > 0 ? { conditions } : {}),
    };
    methods.push(method(m, { via: principalArn, conditions, accessPath: [hop] }));
  }
  methods.sort((a, b) => (a.methodArn < b.methodArn ? -1 : a.methodArn > b.methodArn ? 1 : 0));
  return {
    principal: principalArn,
    principalType: start.type,
    rolesReached: reached.size - 1,
    methods,
    stats: { candidates: own.length + unsigned.length, decisions: 0, ms: Math.round((performance.now() - started) * 100) / 100 },
  };
}

/**
 * An entry's decision under request context, or undefined when the index
 * cannot tell (the analysis answers): `allowed` entries stay allowed (on a
 * chain that is allowed at every step, so their hop count stands); a
 * `conditional` own grant (0 hops) with its formula is decided again; any
 * other entry may change with the context in ways the index does not hold.
 */
function underContext(
  m: MethodRow,
  viaLevel: number,
  context: RequestContextValues,
  principalArn: string,
  throughRoles: () => boolean,
): MethodRow['decision'] | 'denied' | undefined {
  if (m.decision === 'allowed') return m.hops === 0 || viaLevel === Level.ALLOWED ? 'allowed' : undefined;
  if (m.decision !== 'conditional' || m.hops !== 0 || m.formula === null) return undefined;
  const truth = decideFormula(m.formula, context, principalArn);
  if (truth === true) return 'allowed';
  // Denied or still conditional on its own: access through a role the principal becomes may be better
  // under this context, which only the analysis can tell; with no such access, the own grant decides.
  if (throughRoles()) return undefined;
  return truth === false ? 'denied' : 'conditional';
}

function method(m: MethodRow, rest: Pick<InvocableMethod, 'via' | 'conditions' | 'accessPath'>): InvocableMethod {
  return {
    api: m.api,
    apiName: m.apiName,
    apiKind: m.apiType === 'HTTP' ? 'HTTP' : 'REST',
    stage: m.stage,
    verb: m.verb,
    path: m.path,
    methodArn: m.methodArn,
    methodKey: m.methodKey,
    authorizationType: m.authorizationType,
    decision: m.decision,
    hops: m.hops,
    ...rest,
  };
}

/**
 * The roles the principal becomes within maxHops over the stored CAN_ASSUME
 * relationships, as the analysis' forwardReach walks them: the fewest
 * assumptions to each, its best level over chains (a chain is as good as its
 * weakest step), and the assumption that first reached it. Undefined when a
 * step returns more relationships than the cap.
 */
async function forwardReach(
  graph: Graph,
  snapshot: string,
  startArn: string,
  maxHops: number,
  tx: TxOptions,
  contextKeys: readonly string[],
): Promise<Map<string, Reached> | undefined> {
  const out = new Map<string, Reached>([[startArn, { hops: 0, level: Level.ALLOWED, via: undefined }]]);
  let frontier = new Map<string, Level>([[startArn, Level.ALLOWED]]);
  for (let hop = 1; hop <= maxHops && frontier.size > 0; hop++) {
    const edges = await graph.read<Edge>(ASSUMES, { s: snapshot, frontier: [...frontier.keys()], cap: ROW_CAP + 1 }, tx);
    if (edges.length > ROW_CAP) return undefined;
    // An assumption that depends on a key the context gives would be decided again: the analysis walks that graph.
    if (
      contextKeys.length > 0 &&
      edges.some((e) => e.decision === 'conditional' && (e.keys ?? []).some((k) => contextKeys.includes(k.toLowerCase())))
    )
      return undefined;
    const improved = new Map<string, { level: Level; edge: Edge }>();
    for (const edge of edges) {
      const next = weakest(assumeLevelOf(edge.decision), frontier.get(edge.from) ?? Level.DENIED);
      if (next > (out.get(edge.to)?.level ?? Level.DENIED) && next > (improved.get(edge.to)?.level ?? Level.DENIED))
        improved.set(edge.to, { level: next, edge });
    }
    for (const [arn, { level, edge }] of improved) {
      const current = out.get(arn);
      if (current) current.level = level;
      else out.set(arn, { hops: hop, level, via: edge });
    }
    frontier = new Map([...improved].map(([arn, { level }]) => [arn, level]));
  }
  return out;
}

/** The shortest chain of assumptions from the start to `arn`, as access path steps. */
function chainTo(reached: ReadonlyMap<string, Reached>, arn: string): PathHop[] {
  const hops: PathHop[] = [];
  for (let at = reached.get(arn); at?.via; at = reached.get(at.via.from)) {
    hops.unshift(assumeRoleHop(at.via, at.via.to));
  }
  return hops;
}
