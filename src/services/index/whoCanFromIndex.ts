import {
  DEFAULT_MAX_HOPS,
  DEFAULT_MAX_PATHS,
  Level,
  assumeLevelOf,
  decisionOfLevel,
  levelOfDecision,
  stepsFrom,
  walkLattice,
  type WhoCanAnswer,
  type WhoCanOptions,
} from '../../analysis';
import { genericRequestArns } from '../../analysis/methods';
import type { Graph, TxOptions } from '../../db';
import { assumeContext, protectedResourceReason, REQUEST_KEYS, truthFromJson } from '../../policy';
import { IndexPaths, type IndexEdge, type IndexSeed } from './indexPaths';
import { parseConditions } from './storedAssumption';
import { findTarget, readEdges, readEdgesFrom, readEntries, ROLE_PAGE, type StoredEntry, type StoredTarget } from './whoCanReads';
import { IndexPrincipalAccess } from './indexPrincipal';
export { prepareIndexPaths } from './indexPrincipal';

/**
 * "Who can …?" answered from the snapshot's stored access index
 * (docs/graph-model.md, "The access index") instead of the per-question
 * analysis: no snapshot in memory, no policy engine over the callers. It
 * reads the target (by action and resource, or by method reference), the
 * entries of its answer, and the stored CAN_ASSUME relationships among them;
 * the paths of the principals shown are built from the graph when they are
 * asked for (indexPaths.ts).
 *
 * The index stores, per caller, the best decision and the shortest hop count.
 * The walk over the role graph (the analysis' own Bellman-Ford on the
 * decision lattice) is run again on the stored relationships, seeded with the
 * callers' own grants (the entries at 0 hops), so that `bestHops` and
 * `direct` come out as the analysis computes them, a smaller `maxHops` is
 * answered exactly, and a request context can re-decide the conditional
 * grants; the walk without context is first checked against the stored
 * decisions and hop counts. Whenever the stored index does not determine the
 * answer, the result is `undefined` and the caller asks the analysis instead
 * (never a guess):
 *
 * - `includeRoot` or `includeDenied` (the index holds neither), or a resource
 *   the index does not hold (another action, a concrete request served by a
 *   method template, a sub-resource of an API, a function qualifier);
 * - methods of private APIs (answers list each principal's VPC endpoints,
 *   which the index does not store);
 * - a caller whose own grant is `partial` (answers list its allowed and
 *   denied requests), or `allowed` at 0 hops while a role it can assume also
 *   gives it `allowed` (whether its own grant is allowed, and so its
 *   `bestHops` and `direct`, is not stored);
 * - with request context: a key the engine derives itself (the caller's ARN,
 *   tags, account, region, time…: it may change any decision); a conditional
 *   grant the context may change whose formula is not stored, whose target
 *   has several requests (the formula is one request's), or which stays open
 *   but changed; a conditional CAN_ASSUME relationship that reads a given key
 *   (the graph does not store its formula).
 */
import type { IndexQuestion } from './whoCanReads';
export type { IndexQuestion } from './whoCanReads';

export interface IndexQuestionOptions extends WhoCanOptions {
  tx?: TxOptions | undefined;
  /**
   * When an answer's assumptions are read (without context, at the index's hops): `answer`, all at once
   * with the answer; `page`, for the paths of the page shown; default, `page` for answers with more than
   * 1,000 roles. For tests and measurements.
   */
  pathEdges?: 'answer' | 'page' | undefined;
}

/**
 * Keys the engine derives from the snapshot or the request (src/policy
 * context.ts and requestKeys.ts): a value given for one replaces the derived
 * one and may change decisions the index stores as final.
 */
const DERIVED_KEY =
  /^aws:(principal[a-z]*(\/.*)?|username|userid|resourceaccount|currenttime|epochtime|sourcevpce?|resource(tag\/.*|orgid|orgpaths))$/;
const REQUEST_KEY_SET = new Set(REQUEST_KEYS);

function derivedKey(key: string): boolean {
  const lower = key.toLowerCase();
  return DERIVED_KEY.test(lower) || REQUEST_KEY_SET.has(lower);
}

/** The answer from the index, or undefined when the index does not determine it (the caller asks the analysis). */
export async function whoCanFromIndex(
  graph: Graph,
  snapshot: string,
  question: IndexQuestion,
  options: IndexQuestionOptions = {},
): Promise<WhoCanAnswer | undefined> {
  const result = await answerFromIndex(graph, snapshot, question, options);
  return typeof result === 'string' ? undefined : result;
}

/** Why the index cannot answer a question (for tests and measurements). */
export type IndexMiss =
  | 'root or denied asked for'
  | 'derived context key'
  | 'not indexed'
  | 'private API'
  | 'partial own grant'
  | 'own grant unknown'
  | 'stored answer not reproduced'
  | 'conditional grant under context'
  | 'conditional role assumption under context';

/** The answer from the index, or why the index does not determine it. */
export async function answerFromIndex(
  graph: Graph,
  snapshot: string,
  question: IndexQuestion,
  options: IndexQuestionOptions = {},
): Promise<WhoCanAnswer | IndexMiss> {
  const started = performance.now();
  if (options.includeRoot || options.includeDenied) return 'root or denied asked for';
  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  const context = options.context && Object.keys(options.context).length > 0 ? options.context : undefined;
  if (context && Object.keys(context).some(derivedKey)) return 'derived context key';
  const tx = options.tx ?? {};

  const found = await findTarget(graph, snapshot, question, maxHops, tx);
  if (!found) return 'not indexed';
  const { target, indexMaxHops, build } = found;
  if (target.kind === 'method' && target.endpointType === 'PRIVATE') return 'private API';

  const entries = await readEntries(graph, snapshot, build, target.key, indexMaxHops, tx);
  const byArn = new Map(entries.map((e) => [e.arn, e]));
  // Without request context and at the index's own hops, the stored entries are the answer, and the
  // assumptions are needed only for the paths shown. Into a few roles they are read at once (one
  // round trip); into more (a wide answer, of which a page shows a few principals), IndexPaths reads
  // those out of the page's principals and the roles their paths go through. Otherwise (a smaller
  // maxHops, a context, an index without own grants or bestHops) every assumption into the answer's
  // roles is read and the walk is run again.
  const asStored = !context && maxHops === indexMaxHops && entries.every((e) => e.bestHops !== null && (e.hops !== 0 || e.direct !== null));
  const roles = entries.filter((e) => e.type === 'role' && e.hops < indexMaxHops).map((e) => e.arn);
  const pathEdgesLater = asStored && (options.pathEdges ?? (roles.length > ROLE_PAGE ? 'page' : 'answer')) === 'page';
  const edges = pathEdgesLater ? [] : await readEdges(graph, snapshot, roles, byArn, tx);
  const into = new Map<string, IndexEdge[]>();
  const outOf = new Map<string, IndexEdge[]>();
  for (const edge of edges) {
    push(into, edge.to, edge);
    push(outOf, edge.from, edge);
  }

  // The callers' own grants, as the index stores them (its entries at 0 hops).
  const seeds = new Map<string, IndexSeed>();
  for (const e of entries) {
    if (e.hops !== 0) continue;
    if (e.decision === 'partial' && e.patterns !== null) return 'partial own grant';
    // The own grant, stored beside the best decision a role may improve.
    if (e.direct !== null) {
      if (e.direct === 'partial') return 'partial own grant';
      seeds.set(e.arn, {
        level: assumeLevelOf(e.direct),
        conditions: e.direct === 'allowed' ? [] : parseConditions(e.conditions),
        entry: e,
      });
      continue;
    }
    // An index built before own grants were stored: only what the best decision tells.
    if (e.decision === 'allowed') {
      // Allowed at 0 hops, and maybe also through a role: the own grant may be weaker.
      const throughRole = (outOf.get(e.arn) ?? []).some(
        (edge) => edge.level === Level.ALLOWED && byArn.get(edge.to)?.decision === 'allowed',
      );
      if (throughRole) return 'own grant unknown';
      seeds.set(e.arn, { level: Level.ALLOWED, conditions: [], entry: e });
    } else seeds.set(e.arn, { level: Level.CONDITIONAL, conditions: parseConditions(e.conditions), entry: e });
  }

  let stored: Map<string, Reached>;
  if (asStored) stored = new Map(entries.map((e) => [e.arn, { hops: e.hops, level: levelOfDecision(e.decision), bestHops: e.bestHops! }]));
  else {
    // The stored answer, walked again without context at the index's hops: it must come out as stored.
    stored = walk(seeds, into, byArn, indexMaxHops);
    if (stored.size !== entries.length) return 'stored answer not reproduced';
    for (const e of entries) {
      const r = stored.get(e.arn);
      if (!r || r.hops !== e.hops || r.level !== levelOfDecision(e.decision)) return 'stored answer not reproduced';
    }
  }

  let answerSeeds = seeds;
  let answerInto = into;
  if (context) {
    const given = new Set(Object.keys(context).map((k) => k.toLowerCase()));
    const singleRequest =
      target.kind !== 'method' || (target.verb !== 'ANY' && target.verb !== '$default' && !(target.path ?? '').includes('{'));
    answerSeeds = new Map();
    for (const [arn, seed] of seeds) {
      const redecided = redecide(seed, given, context, singleRequest);
      if (redecided === undefined) return 'conditional grant under context';
      if (redecided.level > Level.DENIED) answerSeeds.set(arn, redecided);
    }
    for (const edge of edges)
      if (edge.level === Level.CONDITIONAL && edge.keys.some((k) => given.has(k))) return 'conditional role assumption under context';
    answerInto = into;
  }
  const reached = !context && maxHops === indexMaxHops ? stored : walk(answerSeeds, answerInto, byArn, maxHops);

  const paths = new IndexPaths(graph, snapshot, { ...target, requests: requestsOf(target) }, answerSeeds, outOf, reached, {
    maxHops,
    maxPaths: options.maxPaths ?? DEFAULT_MAX_PATHS,
    context,
    tx,
    ...(pathEdgesLater ? { edgesFrom: (arns: readonly string[]) => readEdgesFrom(graph, snapshot, arns, byArn, tx) } : {}),
  });
  const principals: IndexPrincipalAccess[] = [];
  for (const [arn, r] of reached) {
    const seed = answerSeeds.get(arn);
    principals.push(new IndexPrincipalAccess(arn, byArn.get(arn)!.type, decisionOfLevel(r.level), r.hops, r.bestHops, seed, paths));
  }
  principals.sort(
    (a, b) => a.hops - b.hops || levelOfDecision(b.decision) - levelOfDecision(a.decision) || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0),
  );

  const resource = 'method' in question ? target.resource : question.resource.trim();
  const refused = protectedResourceReason(target.action, resource);
  const method = target.kind === 'method' ? target : undefined;
  return {
    resource,
    action: target.action,
    ...(refused !== undefined ? { refused } : {}),
    public:
      method !== undefined && method.authorizationType === 'NONE' && method.endpointType !== 'PRIVATE' && answerSeeds.has('anonymous'),
    principals,
    ...(method
      ? {
          method: {
            api: method.apiId ?? '',
            apiName: method.apiName,
            stage: method.stage ?? '',
            verb: method.verb ?? '',
            path: method.path ?? '',
            authorizationType: method.authorizationType ?? '',
            requests: requestsOf(method),
          },
        }
      : {}),
    stats: { candidates: entries.length, decisions: 0, ms: Math.round((performance.now() - started) * 100) / 100, fromIndex: true },
  };
}

/** The concrete requests the analysis decides for a method template (one per verb served). */
function requestsOf(target: StoredTarget): string[] {
  if (target.kind !== 'method') return [target.resource];
  const slash = target.resource.indexOf('/');
  return genericRequestArns({
    apiArn: target.resource.slice(0, slash),
    stage: target.stage ?? '',
    verb: target.verb === '$default' ? '*' : (target.verb ?? ''),
    path: target.path ?? '',
    key: target.methodKey ?? '',
  }).map((r) => r.arn);
}

/**
 * A conditional own grant under the request context: unchanged when the
 * context gives none of the keys it depends on; decided by its stored
 * formula when the context settles it; undefined when the index cannot tell.
 */
function redecide(
  seed: IndexSeed,
  given: ReadonlySet<string>,
  context: NonNullable<WhoCanOptions['context']>,
  singleRequest: boolean,
): IndexSeed | undefined {
  if (seed.level === Level.ALLOWED) return seed;
  const keys = seed.conditions.flatMap((c) => c.keys);
  if (!keys.some((k) => given.has(k.toLowerCase()))) return seed;
  if (!singleRequest || seed.entry.formula === null || seed.entry.decision !== 'conditional') return undefined;
  const decided = assumeContext(truthFromJson(JSON.parse(seed.entry.formula)), context);
  if (decided === true) return { level: Level.ALLOWED, conditions: [], entry: seed.entry };
  if (decided === false) return { level: Level.DENIED, conditions: [], entry: seed.entry };
  return undefined;
}

export interface Reached {
  hops: number;
  level: Level;
  bestHops: number;
}

/** The analysis' walk on the decision lattice (analysis/latticeWalk.ts), over the stored assumptions. */
function walk(
  seeds: ReadonlyMap<string, IndexSeed>,
  into: ReadonlyMap<string, readonly IndexEdge[]>,
  callers: ReadonlyMap<string, StoredEntry>,
  maxHops: number,
): Map<string, Reached> {
  const reached = new Map<string, Reached>();
  for (const [arn, seed] of seeds) if (seed.level > Level.DENIED) reached.set(arn, { hops: 0, level: seed.level, bestHops: 0 });
  return walkLattice<Reached, IndexEdge>(
    reached,
    stepsFrom((roleArn) => into.get(roleArn) ?? []),
    (arn, hops, level) => (callers.has(arn) ? { hops, level, bestHops: hops } : undefined),
    maxHops,
  );
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
