import {
  PathEnumerator,
  statementLabel,
  Level,
  type AssumeLevel,
  type AccessPath,
  type CallerType,
  type ConditionSummary,
  type PathHop,
  type RequestContextValues,
} from '../../analysis';
import type { Graph, TxOptions } from '../../db';
import {
  evaluateStatementConditions,
  parsePolicy,
  principalFromArn,
  RequestContext,
  statementMatchesAction,
  statementMatchesPrincipal,
  statementMatchesResource,
  type CompiledStatement,
  type Principal,
} from '../../policy';
import { IDENTITY_STATEMENTS, PRINCIPALS, RESOURCE_POLICY } from './whoCanQueries';

/**
 * The paths of an index answer (whoCanFromIndex.ts), built from the graph for
 * the principals shown: the role-assumption steps are the stored CAN_ASSUME
 * relationships (trust statement, the caller's own statement, conditions),
 * enumerated shortest first, at most maxPaths, by the analysis' own
 * enumeration (analysis/pathEnumeration.ts). The steps of a caller's own grant
 * (member-of, policy, statement, resource-policy, unsigned, authorizer) are
 * rebuilt from its identity policies' Allow statements and the target's
 * resource-based policy, matched with the policy engine's statement
 * primitives (Action, Resource, Principal, conditions that cannot hold left
 * out); docs/analysis.md says where they may differ from the analysis' paths.
 */
export interface IndexEdge {
  from: string;
  to: string;
  /** Allowed or conditional. */
  level: AssumeLevel;
  hop: PathHop;
  /** The request context keys (lower case) the relationship's decision depends on. */
  keys: string[];
}

/** A caller's own grant (0 hops): its level and, when conditional, what it depends on. */
export interface IndexSeed {
  level: Level;
  conditions: ConditionSummary[];
  entry: { arn: string; type: CallerType; decision: string; formula: string | null };
}

export interface IndexPathTarget {
  action: string;
  resource: string;
  kind: 'method' | 'api' | 'role' | 'function';
  /** The account the resource belongs to. */
  account: string;
  apiKey: string | null;
  authorizationType: string | null;
  /** The concrete requests the question decides. */
  requests: string[];
}

interface Reached {
  hops: number;
  level: number;
}

interface ResourceStatement {
  policy: string;
  label: string;
  statement: CompiledStatement;
}

interface IdentityRow {
  arn: string;
  via: string | null;
  policy: string;
  missing: boolean;
  statements: StatementFields[];
}

interface StatementFields {
  index: number;
  sid: string | null;
  actions: string[] | null;
  notActions: string[] | null;
  resources: string[] | null;
  notResources: string[] | null;
  principal?: string | null;
  notPrincipal?: string | null;
  condition: string | null;
}

/** Principals whose grants are read in one query. */
const GRANT_PAGE = 500;

export class IndexPaths {
  /** Grant paths by caller, once read (without the grant's conditions). */
  private readonly grants = new Map<string, AccessPath[]>();
  private readonly enumerator: PathEnumerator;
  private readonly results = new Map<string, { paths: AccessPath[]; more: boolean; conditions: ConditionSummary[] }>();
  private readonly compiled = new Map<string, CompiledStatement | null>();
  private resourceStatements: Promise<ResourceStatement[]> | undefined;
  private readonly outOf: Map<string, readonly IndexEdge[]>;
  /** Callers whose assumptions edgesFrom has read. */
  private readonly edgesRead = new Set<string>();

  constructor(
    private readonly graph: Graph,
    private readonly snapshot: string,
    private readonly target: IndexPathTarget,
    private readonly seeds: ReadonlyMap<string, IndexSeed>,
    outOf: ReadonlyMap<string, readonly IndexEdge[]>,
    private readonly reached: ReadonlyMap<string, Reached>,
    private readonly options: {
      maxHops: number;
      maxPaths: number;
      context: RequestContextValues | undefined;
      tx: TxOptions;
      /** Reads the assumptions out of some callers when `outOf` was not read whole: prepare() reads those of the paths it needs. */
      edgesFrom?: (arns: readonly string[]) => Promise<IndexEdge[]>;
    },
  ) {
    this.outOf = new Map(outOf);
    this.enumerator = new PathEnumerator(
      { hopsOf: (arn) => this.reached.get(arn)?.hops, edgesFrom: (arn) => this.forward(arn), ownPaths: (arn) => this.grantPaths(arn) },
      options.maxHops,
      options.maxPaths,
    );
  }

  /** Reads what the paths of these principals need (the grants at their ends), if not read yet. */
  async prepare(arns: readonly string[]): Promise<void> {
    const needed = new Set<string>();
    const seen = new Set<string>();
    let frontier = arns.filter((a) => this.reached.has(a));
    for (let depth = 0; frontier.length > 0 && depth <= this.options.maxHops; depth++) {
      await this.readEdgesFrom(frontier.filter((arn) => !seen.has(arn)));
      const next: string[] = [];
      for (const arn of frontier) {
        if (seen.has(arn)) continue;
        seen.add(arn);
        if (this.seeds.has(arn) && !this.grants.has(arn)) needed.add(arn);
        for (const edge of this.forward(arn)) next.push(edge.to);
      }
      frontier = next;
    }
    if (needed.size > 0) await this.readGrants([...needed]);
  }

  /** Reads the assumptions out of these callers, when they were not read with the answer. */
  private async readEdgesFrom(arns: readonly string[]): Promise<void> {
    const { edgesFrom } = this.options;
    const unread = edgesFrom ? [...new Set(arns)].filter((arn) => !this.edgesRead.has(arn)) : [];
    if (unread.length === 0) return;
    for (const arn of unread) this.edgesRead.add(arn);
    const read = new Map<string, IndexEdge[]>();
    for (const edge of await edgesFrom!(unread)) {
      const list = read.get(edge.from);
      if (list) list.push(edge);
      else read.set(edge.from, [edge]);
    }
    for (const [arn, edges] of read) this.outOf.set(arn, edges);
  }

  /** The paths of a principal of the answer (prepared first), shortest first, at most maxPaths, and the conditions on them. */
  pathsOf(arn: string): { paths: AccessPath[]; more: boolean; conditions: ConditionSummary[] } {
    let result = this.results.get(arn);
    if (result) return result;
    const { paths, more } = this.enumerator.pathsOf(arn);
    const byWhen = new Map<string, ConditionSummary>();
    for (const c of paths.flatMap((p) => p.flatMap((h) => h.conditions ?? []))) if (!byWhen.has(c.when)) byWhen.set(c.when, c);
    const conditions = [...byWhen.values()];
    result = { paths, more, conditions };
    this.results.set(arn, result);
    return result;
  }

  /** Assumptions from a caller into roles of the answer that lead on (reached with fewer than maxHops). */
  private forward(arn: string): readonly IndexEdge[] {
    if (this.options.edgesFrom && !this.edgesRead.has(arn))
      throw new Error(`the assumptions of ${arn} were asked for before they were prepared (prepareIndexPaths)`);
    return (this.outOf.get(arn) ?? []).filter((e) => {
      const r = this.reached.get(e.to);
      return r !== undefined && r.hops < this.options.maxHops;
    });
  }

  /** The caller's own grant paths, the grant's conditions on the last hop of each. */
  private grantPaths(arn: string): AccessPath[] {
    const seed = this.seeds.get(arn);
    if (!seed || seed.level === Level.DENIED) return [];
    const paths = this.grants.get(arn);
    if (!paths) throw new Error(`the paths of ${arn} were read before they were prepared (prepareIndexPaths)`);
    if (seed.conditions.length === 0) return paths;
    return paths.map((path) => path.map((hop, i) => (i === path.length - 1 ? { ...hop, conditions: seed.conditions } : hop)));
  }

  private async readGrants(arns: string[]): Promise<void> {
    const resource = await this.readResourceStatements();
    const { graph, snapshot } = this;
    const tx = this.options.tx;
    for (let at = 0; at < arns.length; at += GRANT_PAGE) {
      const page = arns.slice(at, at + GRANT_PAGE);
      const principals = page.filter((a) => {
        const type = this.seeds.get(a)?.entry.type;
        return type === 'user' || type === 'role';
      });
      const ingested = new Map<string, string>();
      const identity = new Map<string, IdentityRow[]>();
      if (principals.length > 0) {
        for (const row of await graph.read<{ arn: string; account: string }>(PRINCIPALS, { s: snapshot, arns: principals }, tx))
          ingested.set(row.arn, row.account);
        for (const row of await graph.read<IdentityRow>(IDENTITY_STATEMENTS, { s: snapshot, arns: principals }, tx)) {
          const list = identity.get(row.arn);
          if (list) list.push(row);
          else identity.set(row.arn, [row]);
        }
      }
      for (const arn of page) this.grants.set(arn, this.buildGrant(arn, ingested.get(arn), identity.get(arn) ?? [], resource));
    }
  }

  /** whoCan/paths.ts `grantHops`, on the statements read from the graph. */
  private buildGrant(
    arn: string,
    account: string | undefined,
    identity: readonly IdentityRow[],
    resource: readonly ResourceStatement[],
  ): AccessPath[] {
    const target = this.target;
    const from = arn;
    const to = target.resource;
    const type = this.seeds.get(arn)!.entry.type;
    const principal = principalOf(arn);
    const unsigned = type === 'anonymous';
    const contexts = target.requests.map((request) => this.contextFor(principal, request));
    const rp: PathHop[] = [];
    for (const s of resource) {
      if (!statementMatchesAction(s.statement, target.action)) continue;
      if (principal === undefined) continue;
      const named = statementMatchesPrincipal(s.statement, principal, { mode: 'analysis', unsignedCaller: unsigned });
      if (!named.wildcard && !named.direct && !named.parent && !named.account) continue;
      if (!this.mayMatch(s.statement, contexts)) continue;
      rp.push({ kind: 'resource-policy', from, to, policy: s.policy, statement: s.label });
    }
    if (unsigned) {
      const kind = target.authorizationType === 'NONE' ? 'unsigned' : 'authorizer';
      return rp.length === 0 ? [[{ kind, from, to }]] : rp.map((h) => [{ kind, from, to }, h]);
    }
    if (account === undefined) return rp.length ? rp.map((h) => [h]) : [[{ kind: 'resource-policy', from, to }]];
    const identityPaths: AccessPath[] = [];
    for (const row of identity) {
      const hops = (statement: string): AccessPath => [
        ...(row.via !== null ? [{ kind: 'member-of' as const, from, to: row.via }] : []),
        { kind: 'policy', from: row.via ?? from, to: row.policy, policy: row.policy },
        { kind: 'statement', from: row.policy, to, policy: row.policy, statement },
      ];
      if (row.missing) {
        identityPaths.push(hops('(document unknown)'));
        continue;
      }
      for (const fields of row.statements) {
        const statement = this.compile(row.policy, fields, 'identity');
        if (statement && statementMatchesAction(statement, target.action) && this.mayMatch(statement, contexts))
          identityPaths.push(hops(statementLabel({ sid: fields.sid ?? undefined, index: fields.index })));
      }
    }
    if (account === target.account || identityPaths.length === 0 || rp.length === 0) {
      const paths = [...identityPaths, ...rp.map((h) => [h])];
      return paths.length ? paths : [[{ kind: 'statement', from, to }]];
    }
    // Cross-account: both sides must allow (IUG, "Cross-account policy evaluation logic").
    return identityPaths.flatMap((p) => rp.map((h) => [...p, h]));
  }

  /** Does the statement's Resource match some request of the question, with conditions that may hold? */
  private mayMatch(statement: CompiledStatement, contexts: readonly { request: string; context: RequestContext }[]): boolean {
    return contexts.some(
      ({ request, context }) =>
        statementMatchesResource(statement, request, context) !== false && evaluateStatementConditions(statement, context) !== false,
    );
  }

  private contextFor(principal: Principal | undefined, request: string): { request: string; context: RequestContext } {
    return {
      request,
      context: new RequestContext({
        principal: principal ?? { kind: 'anonymous' },
        mode: 'analysis',
        values: this.options.context ?? {},
        resourceAccount: this.target.account,
        request: { action: this.target.action, resource: request },
      }),
    };
  }

  private compile(policy: string, fields: StatementFields, type: 'identity' | 'resource' | 'trust'): CompiledStatement | undefined {
    const key = `${type}\u0000${policy}#${fields.index}`;
    let statement = this.compiled.get(key);
    if (statement === undefined) {
      const doc: Record<string, unknown> = { Effect: 'Allow' };
      if (fields.actions) doc['Action'] = fields.actions;
      if (fields.notActions) doc['NotAction'] = fields.notActions;
      if (fields.resources) doc['Resource'] = fields.resources;
      if (fields.notResources) doc['NotResource'] = fields.notResources;
      if (fields.principal) doc['Principal'] = JSON.parse(fields.principal);
      if (fields.notPrincipal) doc['NotPrincipal'] = JSON.parse(fields.notPrincipal);
      if (fields.condition) doc['Condition'] = JSON.parse(fields.condition);
      try {
        statement = parsePolicy({ Version: '2012-10-17', Statement: [doc] }, { type, id: policy }).statements[0] ?? null;
      } catch {
        statement = null;
      }
      this.compiled.set(key, statement);
    }
    return statement ?? undefined;
  }

  private readResourceStatements(): Promise<ResourceStatement[]> {
    this.resourceStatements ??= (async () => {
      const t = this.target;
      const which =
        t.kind === 'method' && t.apiKey !== null
          ? { query: RESOURCE_POLICY.api, owner: t.apiKey, type: 'resource' as const }
          : t.kind === 'function'
            ? { query: RESOURCE_POLICY.function, owner: t.resource, type: 'resource' as const }
            : t.kind === 'role' && t.action === 'sts:AssumeRole'
              ? { query: RESOURCE_POLICY.trust, owner: t.resource, type: 'trust' as const }
              : undefined;
      if (!which) return [];
      const rows = await this.graph.read<StatementFields & { policy: string }>(
        which.query,
        { s: this.snapshot, owner: which.owner },
        this.options.tx,
      );
      const out: ResourceStatement[] = [];
      for (const row of rows) {
        const statement = this.compile(row.policy, row, which.type);
        if (statement) out.push({ policy: row.policy, label: statementLabel({ sid: row.sid ?? undefined, index: row.index }), statement });
      }
      return out;
    })();
    return this.resourceStatements;
  }
}

/** The caller as the engine names it, for matching a resource policy's Principal element. */
function principalOf(arn: string): Principal | undefined {
  const parsed = principalFromArn(arn);
  return parsed.ok ? parsed.principal : undefined;
}
