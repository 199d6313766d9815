import { describeTruth, type ConditionalOutcome, type MatchedStatement } from '../policy';
import type { CallerType } from './decide';

/**
 * The shape of every "who can …" answer, shared by the CLI's `--json`, the
 * GraphQL API and the access reviews. It is a contract: scripted reviews
 * rely on it (issue 5, "CLI contract").
 */

/** How far a principal has an access: ACCESS_DECISION_DESCRIPTIONS says what each decision means. */
export type AccessDecision = 'allowed' | 'conditional' | 'partial' | 'denied';

/**
 * What each decision means, in the words the answers' readers see: the one
 * text of each value (the GraphQL enum AccessDecision describes its values
 * with it).
 */
export const ACCESS_DECISION_DESCRIPTIONS: Readonly<Record<AccessDecision, string>> = {
  allowed: 'Allowed whatever the request context.',
  conditional:
    'Allowed only under the conditions listed (request context not given), or depending on a policy whose document is not in the snapshot.',
  partial: 'A method template of which only some requests are allowed (partial says which).',
  denied: 'Denied: a grant exists but a deny, boundary, SCP or the resource side stops it (listed only with includeDenied, and in can).',
};

export type { CallerType } from './decide';

/** What each kind of caller an answer names is (the GraphQL enum CallerKind describes its values with it). */
export const CALLER_TYPE_DESCRIPTIONS: Readonly<Record<CallerType, string>> = {
  user: 'An ingested IAM user.',
  role: 'An ingested IAM role: any session of it.',
  session: 'An assumed-role session named by ARN.',
  account:
    'An account outside the snapshot (arn:aws:iam::ACCOUNT:root): some principal of it whose own, unknown, policies allow; arn:aws:iam::*:root stands for every other account.',
  root: 'The root user of an ingested account (listed only with includeRoot).',
  service: 'An AWS service principal, such as ec2.amazonaws.com.',
  anonymous: 'Anyone: the unsigned caller of a method whose authorization ignores the signature.',
};

/** What one step of an access path is: HOP_KIND_DESCRIPTIONS says what each kind means and which PathHop fields it fills. */
export type HopKind =
  'member-of' | 'policy' | 'statement' | 'resource-policy' | 'assume-role' | 'unsigned' | 'authorizer' | 'root' | 'integration';

/** What each kind of step is (the GraphQL enum HopKind describes its values with it). */
export const HOP_KIND_DESCRIPTIONS: Readonly<Record<HopKind, string>> = {
  'member-of': "A user's membership of a group (from the user, to the group).",
  policy: 'A user, group or role holds an identity policy (to: the policy).',
  statement: "That policy's statement grants the action on the resource (policy and statement name it).",
  'resource-policy':
    "A statement of the resource's own policy (API resource policy, function policy, role trust policy) grants the caller.",
  'assume-role':
    "The caller can assume the role (to): the trust statement in policy/statement; the caller's own statement, when AWS requires one, in identityPolicy/identityStatement.",
  unsigned: 'An unsigned caller of a method without IAM authorization.',
  authorizer: "A caller accepted by the method's Lambda, Cognito or JWT authorizer.",
  root: "The account's root user, which has full access in its own account.",
  integration:
    "API Gateway calls the method's backend (from the method, to the Lambda function): as the role it runs as (role; policy/statement: the role's statement), with the caller's credentials, or as the service the function's resource policy allows.",
};

export interface ConditionSummary {
  /** The condition as text: "IpAddress aws:SourceIp [\"10.0.0.0/8\"] …". */
  when: string;
  /** The request context keys that decide it (lower case). */
  keys: string[];
  /** Each clause: key, operator and values as written in the policy, with its statement. */
  clauses: { key: string; operator: string; values: string[]; effect: 'Allow' | 'Deny'; policy: string; statement: string }[];
}

export interface PathHop {
  kind: HopKind;
  from: string;
  to: string;
  /** The policy that grants this step (policy key: managed policy ARN, `<owner>#inline/<name>`, `<role>#trust`, `<api>#resource-policy`). */
  policy?: string;
  /** The statement: its Sid, or its zero-based index as `#N`. */
  statement?: string;
  identityPolicy?: string;
  identityStatement?: string;
  /** `integration` hops: the role API Gateway assumes to call the backend. */
  role?: string;
  /** This step holds only under these conditions. */
  conditions?: ConditionSummary[];
}

export type AccessPath = PathHop[];

export interface PartialCoverage {
  /** Requests of the method that are allowed (or conditionally allowed). */
  allowedRequests: string[];
  /** Requests of the method that are denied. */
  deniedRequests: string[];
  /** The statement resource patterns that split the method. */
  patterns: string[];
}

/** A principal's own access to the resource (0 role assumptions), which may be weaker than its best. */
export interface DirectAccess {
  decision: AccessDecision;
  /** What a conditional or partial direct access depends on. */
  conditions: ConditionSummary[];
  partial?: PartialCoverage;
}

/** Private API methods: how far a principal gets through one VPC endpoint. */
export interface EndpointAccess {
  /** The endpoint id (`vpce-…`), or `*` for an interface endpoint outside the snapshot (any other). */
  endpoint: string;
  /** Its VPC (the `aws:SourceVpc` of calls through it); null for `*`. */
  vpc: string | null;
  /** The account that owns it; null for `*`. */
  account: string | null;
  /** Its private DNS setting; null when unknown. */
  privateDns: boolean | null;
  /** Its policy's key; null for the default (full access) policy and for `*`. */
  policy: string | null;
  /** The best decision through this endpoint, over every path of at most maxHops assumptions. */
  decision: AccessDecision;
  /** The fewest role assumptions that give that decision through this endpoint. */
  hops: number;
}

export interface PrincipalAccess {
  arn: string;
  type: CallerType;
  /** The best decision over every path of at most maxHops role assumptions. */
  decision: AccessDecision;
  /** Role assumptions on the shortest path to any access (0: the principal's own policies). */
  hops: number;
  /** Role assumptions on the shortest path that gives `decision` (more than `hops` when a longer path is better). */
  bestHops: number;
  /** The principal's own access (0 assumptions), when it has any; absent when it has access only through roles. */
  direct?: DirectAccess;
  /** Private API methods: the VPC endpoints through which the principal gets access, each with its decision; absent for other questions. */
  endpoints?: EndpointAccess[];
  /** What the decision depends on (conditional answers). */
  conditions: ConditionSummary[];
  partial?: PartialCoverage;
  /** Shortest first, at most the path limit. Enumerated when first read (see whoCan/answer.ts LazyPrincipalAccess). */
  paths: AccessPath[];
  /** Paths may have been left out by the limit. */
  morePaths?: boolean;
}

/**
 * A principal's access as plain data, optional fields only when set: what
 * the lazily built answers (whoCan/answer.ts, and the access index's in
 * services/index/indexPrincipal.ts) serialise as, paths read on the way.
 */
export function principalAccessJson(p: PrincipalAccess): PrincipalAccess {
  return {
    arn: p.arn,
    type: p.type,
    decision: p.decision,
    hops: p.hops,
    bestHops: p.bestHops,
    ...(p.direct ? { direct: p.direct } : {}),
    ...(p.endpoints ? { endpoints: p.endpoints } : {}),
    conditions: p.conditions,
    ...(p.partial ? { partial: p.partial } : {}),
    paths: p.paths,
    ...(p.morePaths ? { morePaths: true } : {}),
  };
}

export interface WhoCanAnswer {
  resource: string;
  action: string;
  /** The method is open to anonymous callers from the internet (authorization NONE, not a private API, and the resource policy may allow them). */
  public: boolean;
  /**
   * Why AWS refuses this action on this resource whatever the policies say
   * (a service-linked or IAM Identity Center role, an AWS managed policy);
   * absent otherwise.
   */
  refused?: string;
  principals: PrincipalAccess[];
  /** The method, for execute-api questions. */
  method?: {
    api: string;
    apiName: string | null;
    stage: string;
    verb: string;
    path: string;
    authorizationType: string;
    requests: string[];
  };
  /** `fromIndex`: answered from the snapshot's stored access index (who-can questions served by the service layer), not by the policy engine. */
  stats: { candidates: number; decisions: number; ms: number; fromIndex?: boolean };
}

export function statementLabel(s: { sid?: string | undefined; index: number }): string {
  return s.sid ?? `#${s.index}`;
}

/** What a conditional decision depends on, from the engine's outcome. */
export function conditionSummary(conditional: ConditionalOutcome | undefined): ConditionSummary[] {
  if (!conditional) return [];
  const clauses: ConditionSummary['clauses'] = [];
  for (const atom of conditional.atoms) {
    if (atom.kind !== 'condition') continue;
    clauses.push({
      key: atom.key,
      operator: atom.operator,
      values: [...atom.values],
      effect: atom.effect,
      policy: atom.statement.policyId,
      statement: statementLabel(atom.statement),
    });
  }
  return [{ when: describeTruth(conditional.allowedWhen), keys: [...conditional.missingKeys], clauses }];
}

/** The conditions once each (by their text), in order. */
export function dedupeConditions(list: readonly ConditionSummary[]): ConditionSummary[] {
  const seen = new Set<string>();
  return list.filter((c) => !seen.has(c.when) && seen.add(c.when));
}

export function isGrant(s: MatchedStatement): boolean {
  return s.effect === 'Allow';
}
