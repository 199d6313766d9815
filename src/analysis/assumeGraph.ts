/**
 * Who can assume which role: the `CAN_ASSUME` relationships of the graph,
 * decided by the engine once per snapshot, at ingest.
 *
 * A role's trust policy must allow the caller for any `sts:AssumeRole` (IUG,
 * "Granting a user permissions to switch roles": "the trust policy … and the
 * permissions policy of the user"), so only the callers its Allow statements
 * name are asked; `decideAssume` adds the caller's own permission where AWS
 * requires it, boundaries, SCPs and RCPs. Conditions (`sts:ExternalId`, MFA,
 * source IP) stay on the edge as a `conditional` decision, with the context
 * keys they read, and are decided again when a query gives one of those keys.
 *
 * Root users are not callers: "you cannot use AWS account root user
 * credentials to call AssumeRole" (STS API Reference, AssumeRole). Neither are
 * anonymous callers: AssumeRole needs a signed request.
 */
import type { CanAssumeRow } from '../model';
import { readsCallerIdentity } from '../policy';
import type { AccessModel } from './accessModel';
import { conditionSummary, statementLabel, type ConditionSummary, type PathHop } from './answer';
import type { CallerUniverse } from './callers';
import { globMayMatch, type CandidateIndex } from './candidates';
import { callerArn, decide, equivalenceKey, mayBeAllowed, type Caller, type Decision, type RequestContextValues } from './decide';
import { assumeLevelOf, Level, type AssumeLevel } from './levels';

export interface AssumeEdge {
  /** The caller: a principal ARN, an account stand-in `arn:aws:iam::ACCOUNT:root`, or a service name. */
  readonly from: string;
  /** The role assumed. */
  readonly to: string;
  /** ALLOWED: whatever the request context; CONDITIONAL: only under `hop.conditions`. */
  readonly level: AssumeLevel;
  /** The `assume-role` step of an access path: trust statement, the caller's own statement, conditions. */
  readonly hop: PathHop;
  /** The request context keys (lower case) the decision depends on. */
  readonly keys: readonly string[];
}

/** Can `caller` assume `roleArn`? The role's trust policy and, where AWS requires it, the caller's own permission. */
export function decideAssume(model: AccessModel, caller: Caller, roleArn: string, context?: RequestContextValues): Decision | undefined {
  const role = model.principals.get(roleArn);
  const trust = model.trustPolicies.get(roleArn);
  if (!role || role.kind !== 'role' || !trust || caller.type === 'root' || caller.type === 'anonymous') return undefined;
  return decide(model, caller, {
    action: 'sts:AssumeRole',
    resource: roleArn,
    resourceAccount: role.account,
    resourcePolicy: trust,
    context,
  });
}

/** The edge for a decision that may allow. */
export function assumeEdge(from: string, to: string, decision: Decision): AssumeEdge {
  const matched = decision.matchedStatements.filter((s) => s.effect === 'Allow');
  const trust = matched.find((s) => s.policyType === 'trust');
  const identity = matched.find((s) => s.policyType === 'identity');
  const conditions = decision.decision === 'conditional' ? conditionSummary(decision.conditional) : [];
  return {
    from,
    to,
    level: assumeLevelOf(decision.decision),
    hop: {
      kind: 'assume-role',
      from,
      to,
      ...(trust ? { policy: trust.policyId, statement: statementLabel(trust) } : {}),
      ...(identity ? { identityPolicy: identity.policyId, identityStatement: statementLabel(identity) } : {}),
      ...(conditions.length ? { conditions } : {}),
    },
    keys: decision.conditional ? [...decision.conditional.missingKeys] : [],
  };
}

/**
 * Keys the engine derives from the snapshot (the caller's ARN, account,
 * tags, organization; the resource account; the time). A value given for one
 * of them replaces the derived one, so it may change any decision.
 */
const DERIVED_KEY = /^aws:(principal[a-z]*(\/.*)?|username|userid|resourceaccount|currenttime|epochtime)$/;

/** The role graph's edges without request context, by role: edges into role `i` are `start[i]` … `start[i + 1] - 1`. */
export interface CompactRoleGraph {
  /** Caller or role ARN → its index. */
  readonly ids: ReadonlyMap<string, number>;
  readonly arns: readonly string[];
  readonly start: Int32Array;
  /** The caller of each edge (an index). */
  readonly from: Int32Array;
  /** The edge's level (levels.ts): allowed or conditional. */
  readonly level: Uint8Array;
}

export class AssumeGraph {
  private readonly incomingByRole = new Map<string, AssumeEdge[]>();
  private readonly outgoingByCaller = new Map<string, AssumeEdge[]>();
  /** Engine decisions made while building (0 when read from the graph). */
  readonly decisions: number;
  readonly edgeCount: number;

  private constructor(
    private readonly model: AccessModel,
    private readonly universe: CallerUniverse,
    edges: readonly AssumeEdge[],
    decisions: number,
  ) {
    for (const edge of edges) {
      push(this.incomingByRole, edge.to, edge);
      push(this.outgoingByCaller, edge.from, edge);
    }
    this.decisions = decisions;
    this.edgeCount = edges.length;
  }

  /**
   * Decides every candidate (caller, role) pair with the engine. Principals
   * the engine cannot tell apart on sts:AssumeRole (`equivalenceKey`) share
   * one decision per role, unless the trust policy names one of them by ARN
   * or a policy on the role's side reads the caller's identity.
   */
  static build(model: AccessModel, index: CandidateIndex): AssumeGraph {
    const universe = index.universe;
    const edges: AssumeEdge[] = [];
    let decisions = 0;
    for (const role of model.roles) {
      const trust = model.trustPolicies.get(role.arn);
      const rcps = model.rcpLevels(role.account) ?? [];
      const shared =
        trust && !readsCallerIdentity(trust) && !rcps.some((level) => level.some(readsCallerIdentity))
          ? new Map<string, Decision | undefined>()
          : undefined;
      const namedByArn = shared ? index.namedCallers(trust, 'sts:AssumeRole').callers : undefined;
      for (const caller of assumeCandidates(model, index, role.arn)) {
        const from = callerArn(caller);
        if (from === role.arn) continue;
        const key = shared && !namedByArn!.has(caller) ? equivalenceKey(model, caller, 'sts:AssumeRole') : undefined;
        let decision: Decision | undefined;
        if (key !== undefined && shared!.has(key)) decision = shared!.get(key);
        else {
          decision = decideAssume(model, caller, role.arn);
          decisions++;
          if (key !== undefined) shared!.set(key, decision);
        }
        if (decision && mayBeAllowed(decision)) edges.push(assumeEdge(from, role.arn, decision));
      }
    }
    return new AssumeGraph(model, universe, edges, decisions);
  }

  /**
   * The edges as stored at ingest (no engine call). Rows read from Neo4j carry
   * their own copy of every string (632,000 rows on the large preset), so the
   * ARNs, policy keys, statement labels and condition lists are interned: each
   * distinct value is kept once, shared by the edges and their hops.
   */
  static fromRows(model: AccessModel, universe: CallerUniverse, rows: readonly CanAssumeRow[]): AssumeGraph {
    const strings = new Map<string, string>();
    const intern = (value: string): string => {
      const known = strings.get(value);
      if (known !== undefined) return known;
      strings.set(value, value);
      return value;
    };
    const conditionLists = new Map<string, ConditionSummary[]>();
    const parsedConditions = (json: string): ConditionSummary[] => {
      let list = conditionLists.get(json);
      if (!list) conditionLists.set(json, (list = JSON.parse(json) as ConditionSummary[]));
      return list;
    };
    const noKeys: readonly string[] = Object.freeze([]);
    const edges = rows.map((row): AssumeEdge => {
      const conditions = row.conditions === null ? [] : parsedConditions(row.conditions);
      const from = intern(row.from);
      const to = intern(row.to);
      return {
        from,
        to,
        level: assumeLevelOf(row.decision),
        hop: {
          kind: 'assume-role',
          from,
          to,
          ...(row.trustPolicy !== null ? { policy: intern(row.trustPolicy) } : {}),
          ...(row.trustStatement !== null ? { statement: intern(row.trustStatement) } : {}),
          ...(row.identityPolicy !== null ? { identityPolicy: intern(row.identityPolicy) } : {}),
          ...(row.identityStatement !== null ? { identityStatement: intern(row.identityStatement) } : {}),
          ...(conditions.length ? { conditions } : {}),
        },
        keys: row.keys.length ? row.keys.map(intern) : noKeys,
      };
    });
    return new AssumeGraph(model, universe, edges, 0);
  }

  /** The rows the ingest writes as `CAN_ASSUME` relationships. */
  toRows(): CanAssumeRow[] {
    return this.allEdges().map((e) => ({
      from: e.from,
      ...assumerNode(this.universe.byArn.get(e.from)),
      to: e.to,
      decision: e.level === Level.ALLOWED ? 'allowed' : 'conditional',
      trustPolicy: e.hop.policy ?? null,
      trustStatement: e.hop.statement ?? null,
      identityPolicy: e.hop.identityPolicy ?? null,
      identityStatement: e.hop.identityStatement ?? null,
      conditions: e.hop.conditions?.length ? JSON.stringify(e.hop.conditions) : null,
      keys: [...e.keys],
    }));
  }

  /**
   * Edges into a role. With context, the edges whose decision the given keys
   * can change are decided again (memoised per context object).
   */
  incoming(roleArn: string, context?: RequestContextValues): readonly AssumeEdge[] {
    const edges = this.incomingByRole.get(roleArn) ?? [];
    return context ? edges.flatMap((e) => this.withContext(e, context)) : edges;
  }

  outgoing(from: string, context?: RequestContextValues): readonly AssumeEdge[] {
    const edges = this.outgoingByCaller.get(from) ?? [];
    return context ? edges.flatMap((e) => this.withContext(e, context)) : edges;
  }

  private compactIncoming: CompactRoleGraph | undefined;

  /**
   * The edges without request context as integer arrays (compressed rows by
   * role): the walk every who-can answer starts with touches up to hundreds
   * of thousands of edges, and typed arrays spare it a map lookup and an
   * object per edge. Built on first use.
   */
  compact(): CompactRoleGraph {
    if (this.compactIncoming) return this.compactIncoming;
    const ids = new Map<string, number>();
    const arns: string[] = [];
    const idOf = (arn: string): number => {
      let id = ids.get(arn);
      if (id === undefined) {
        id = arns.length;
        ids.set(arn, id);
        arns.push(arn);
      }
      return id;
    };
    for (const [role, edges] of this.incomingByRole) {
      idOf(role);
      for (const edge of edges) idOf(edge.from);
    }
    const start = new Int32Array(arns.length + 1);
    for (const [role, edges] of this.incomingByRole) start[ids.get(role)! + 1] = edges.length;
    for (let i = 0; i < arns.length; i++) start[i + 1] = start[i + 1]! + start[i]!;
    const from = new Int32Array(this.edgeCount);
    const level = new Uint8Array(this.edgeCount);
    for (const [role, edges] of this.incomingByRole) {
      let at = start[ids.get(role)!]!;
      for (const edge of edges) {
        from[at] = ids.get(edge.from)!;
        level[at] = edge.level;
        at++;
      }
    }
    return (this.compactIncoming = { ids, arns, start, from, level });
  }

  allEdges(): AssumeEdge[] {
    return [...this.incomingByRole.values()].flat();
  }

  private readonly redecided = new WeakMap<
    RequestContextValues,
    { keys: Set<string>; anyDerived: boolean; memo: Map<AssumeEdge, AssumeEdge | null> }
  >();

  private withContext(edge: AssumeEdge, context: RequestContextValues): AssumeEdge[] {
    let state = this.redecided.get(context);
    if (!state) {
      const keys = new Set(Object.keys(context).map((k) => k.toLowerCase()));
      state = { keys, anyDerived: [...keys].some((k) => DERIVED_KEY.test(k)), memo: new Map() };
      this.redecided.set(context, state);
    }
    const { keys } = state;
    if (!state.anyDerived && !edge.keys.some((k) => keys.has(k))) return [edge];
    let result = state.memo.get(edge);
    if (result === undefined) {
      const caller = this.universe.byArn.get(edge.from);
      const decision = caller ? decideAssume(this.model, caller, edge.to, context) : undefined;
      result = decision && mayBeAllowed(decision) ? assumeEdge(edge.from, edge.to, decision) : null;
      state.memo.set(edge, result);
    }
    return result ? [result] : [];
  }
}

/**
 * The callers worth asking about assuming `roleArn`: those its trust policy
 * names. A statement that names an account only delegates to it: the
 * caller's own policy must allow too (IUG, "How IAM roles differ from
 * resource-based policies"), so of an ingested account only the principals
 * whose identity policies may allow `sts:AssumeRole` on the role are asked.
 */
export function assumeCandidates(model: AccessModel, index: CandidateIndex, roleArn: string): Caller[] {
  const trust = model.trustPolicies.get(roleArn);
  if (!trust) return [];
  const named = index.namedCallers(trust, 'sts:AssumeRole');
  if (named.everyone) return [...index.universe.all];
  const out = new Set(named.callers);
  for (const account of named.accounts) {
    for (const arn of index.principalsByAccount.get(account) ?? []) {
      const patterns = index.identityPatterns(arn, 'sts:AssumeRole');
      if (patterns === 'any' || patterns.some((p) => globMayMatch(p, roleArn))) out.add(index.universe.principal(arn)!);
    }
    const standIn = index.universe.account(account);
    if (standIn) out.add(standIn);
  }
  return [...out];
}

/** The graph node a caller's `CAN_ASSUME` relationships start from. */
function assumerNode(caller: Caller | undefined): Pick<CanAssumeRow, 'fromKey' | 'fromLabel'> {
  switch (caller?.type) {
    case 'principal':
      return { fromKey: caller.entry.arn, fromLabel: caller.entry.kind === 'user' ? 'User' : 'Role' };
    case 'external':
      return { fromKey: caller.arn, fromLabel: 'ExternalPrincipal' };
    case 'account':
      return { fromKey: caller.account, fromLabel: 'Account' };
    case 'service':
      return { fromKey: caller.service, fromLabel: 'ServicePrincipal' };
    default:
      throw new Error(`no assume-role caller ${caller ? callerArn(caller) : '(unknown)'}`);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
