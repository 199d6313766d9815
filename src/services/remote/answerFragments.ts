import type {
  AccessChange,
  AccessDecision,
  AccessPath,
  CallerType,
  ConditionSummary,
  Finding,
  FindingKind,
  HopKind,
  PartialCoverage,
  PathHop,
  PrincipalAccess,
  Severity,
} from '../../analysis';

/**
 * The parts of the analysis' answers that remote mode reads from a whocan
 * server, each written once: the GraphQL fragment that selects it, the shape
 * the server returns for that selection, and the function that maps it back
 * to the answer shape of src/analysis/answer.ts (enum values in the service's
 * own spelling, optional fields absent rather than null). An operation names
 * the fragments it spreads and `withFragments` appends their definitions.
 */

export interface Fragment {
  name: string;
  /** The fragment's definition (`fragment Name on Type { … }`). */
  text: string;
  /** The fragments it spreads. */
  uses: readonly Fragment[];
}

/** An operation followed by the definitions of the fragments it spreads, and of those they spread, each once. */
export function withFragments(operation: string, ...used: readonly Fragment[]): string {
  const definitions = new Map<string, string>();
  const add = (fragment: Fragment): void => {
    if (definitions.has(fragment.name)) return;
    definitions.set(fragment.name, fragment.text);
    fragment.uses.forEach(add);
  };
  used.forEach(add);
  return [operation, ...definitions.values()].join('\n');
}

/** A GraphQL enum value in the service's spelling: ASSUME_ROLE → assume-role, ALLOWED → allowed. */
export function value<T extends string>(name: string): T {
  return name.toLowerCase().replace(/_/g, '-') as T;
}

// ------------------------------------------------------------ conditions

export const CONDITION: Fragment = {
  name: 'WhocanCondition',
  text: 'fragment WhocanCondition on AccessCondition { when keys clauses { key operator values effect policy statement } }',
  uses: [],
};

export interface RemoteCondition {
  when: string;
  keys: string[];
  clauses: { key: string; operator: string; values: string[]; effect: string; policy: string; statement: string }[];
}

function conditions(list: readonly RemoteCondition[]): ConditionSummary[] {
  return list.map((c) => ({
    when: c.when,
    keys: [...c.keys],
    clauses: c.clauses.map((x) => ({
      key: x.key,
      operator: x.operator,
      values: [...x.values],
      effect: x.effect === 'DENY' ? ('Deny' as const) : ('Allow' as const),
      policy: x.policy,
      statement: x.statement,
    })),
  }));
}

// ------------------------------------------------------------ path hops

export const HOP: Fragment = {
  name: 'WhocanHop',
  text: 'fragment WhocanHop on PathHop { kind from to policy statement identityPolicy identityStatement role conditions { ...WhocanCondition } }',
  uses: [CONDITION],
};

export interface RemoteHop {
  kind: string;
  from: string;
  to: string;
  policy: string | null;
  statement: string | null;
  identityPolicy: string | null;
  identityStatement: string | null;
  role: string | null;
  conditions: RemoteCondition[];
}

function hop(h: RemoteHop): PathHop {
  return {
    kind: value<HopKind>(h.kind),
    from: h.from,
    to: h.to,
    ...(h.policy !== null ? { policy: h.policy } : {}),
    ...(h.statement !== null ? { statement: h.statement } : {}),
    ...(h.identityPolicy !== null ? { identityPolicy: h.identityPolicy } : {}),
    ...(h.identityStatement !== null ? { identityStatement: h.identityStatement } : {}),
    ...(h.role !== null ? { role: h.role } : {}),
    ...(h.conditions.length > 0 ? { conditions: conditions(h.conditions) } : {}),
  };
}

const paths = (list: readonly RemoteHop[][]): AccessPath[] => list.map((p) => p.map(hop));

// ------------------------------------------------------------ partial coverage

export const PARTIAL: Fragment = {
  name: 'WhocanPartial',
  text: 'fragment WhocanPartial on PartialCoverage { allowedRequests deniedRequests patterns }',
  uses: [],
};

function partial(p: PartialCoverage): PartialCoverage {
  return { allowedRequests: [...p.allowedRequests], deniedRequests: [...p.deniedRequests], patterns: [...p.patterns] };
}

// ------------------------------------------------------------ a principal's access (who can)

export const PRINCIPAL: Fragment = {
  name: 'WhocanPrincipal',
  text: `fragment WhocanPrincipal on PrincipalAccess {
  arn kind decision hops bestHops morePaths conditions { ...WhocanCondition } partial { ...WhocanPartial }
  direct { decision conditions { ...WhocanCondition } partial { ...WhocanPartial } }
  endpoints { endpoint vpc account privateDns policy decision hops }
  paths { ...WhocanHop }
}`,
  uses: [CONDITION, PARTIAL, HOP],
};

export interface RemotePrincipal {
  arn: string;
  kind: string;
  decision: string;
  hops: number;
  bestHops: number;
  direct: { decision: string; conditions: RemoteCondition[]; partial: PartialCoverage | null } | null;
  endpoints:
    | {
        endpoint: string;
        vpc: string | null;
        account: string | null;
        privateDns: boolean | null;
        policy: string | null;
        decision: string;
        hops: number;
      }[]
    | null;
  conditions: RemoteCondition[];
  partial: PartialCoverage | null;
  paths: RemoteHop[][];
  morePaths: boolean;
}

export function principalAccess(p: RemotePrincipal): PrincipalAccess {
  return {
    arn: p.arn,
    type: value<CallerType>(p.kind),
    decision: value<AccessDecision>(p.decision),
    hops: p.hops,
    bestHops: p.bestHops,
    ...(p.direct
      ? {
          direct: {
            decision: value<AccessDecision>(p.direct.decision),
            conditions: conditions(p.direct.conditions),
            ...(p.direct.partial ? { partial: partial(p.direct.partial) } : {}),
          },
        }
      : {}),
    ...(p.endpoints
      ? {
          endpoints: p.endpoints.map((e) => ({
            endpoint: e.endpoint,
            vpc: e.vpc,
            account: e.account,
            privateDns: e.privateDns,
            policy: e.policy,
            decision: value<AccessDecision>(e.decision),
            hops: e.hops,
          })),
        }
      : {}),
    conditions: conditions(p.conditions),
    ...(p.partial ? { partial: partial(p.partial) } : {}),
    paths: paths(p.paths),
    ...(p.morePaths ? { morePaths: true } : {}),
  };
}

// ------------------------------------------------------------ findings

export const FINDING: Fragment = {
  name: 'WhocanFinding',
  text: 'fragment WhocanFinding on Finding { id kind severity title detail resource principal decision related conditions { ...WhocanCondition } paths { ...WhocanHop } }',
  uses: [CONDITION, HOP],
};

export interface RemoteFinding {
  id: string;
  kind: string;
  severity: string;
  title: string;
  detail: string;
  resource: string;
  principal: string | null;
  decision: string;
  conditions: RemoteCondition[];
  related: string[];
  paths: RemoteHop[][];
}

export function finding(f: RemoteFinding): Finding {
  return {
    id: f.id,
    kind: value<FindingKind>(f.kind),
    severity: value<Severity>(f.severity),
    title: f.title,
    detail: f.detail,
    resource: f.resource,
    principal: f.principal,
    decision: value<AccessDecision>(f.decision),
    conditions: conditions(f.conditions),
    related: [...f.related],
    paths: paths(f.paths),
  };
}

// ------------------------------------------------------------ access changes

export const CHANGE: Fragment = {
  name: 'WhocanChange',
  text: 'fragment WhocanChange on AccessChange { kind action resource principal principalKind change before { decision hops } after { decision hops } paths { ...WhocanHop } }',
  uses: [HOP],
};

export interface RemoteChange {
  kind: string;
  action: string;
  resource: string;
  principal: string;
  principalKind: string;
  change: string;
  before: { decision: string; hops: number } | null;
  after: { decision: string; hops: number } | null;
  paths: RemoteHop[][];
}

export function accessChange(c: RemoteChange): AccessChange {
  const state = (s: RemoteChange['before']) => (s ? { decision: value<AccessDecision>(s.decision), hops: s.hops } : null);
  return {
    kind: value<AccessChange['kind']>(c.kind),
    action: c.action,
    resource: c.resource,
    principal: c.principal,
    principalType: value<CallerType>(c.principalKind),
    change: value<AccessChange['change']>(c.change),
    before: state(c.before),
    after: state(c.after),
    paths: paths(c.paths),
  };
}
