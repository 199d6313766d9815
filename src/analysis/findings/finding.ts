/**
 * What a finding is (kinds, severities, the record) and the small rules every
 * kind of finding shares: its id, and lists of related resources cut at
 * RELATED_LIMIT.
 */
import type { AccessDecision, AccessPath, ConditionSummary } from '../answer';

export type FindingKind =
  | 'public-method'
  | 'open-resource-policy'
  | 'cross-account-grant'
  | 'wildcard-invoke'
  | 'wildcard-manage'
  | 'escalation-via-apigateway'
  | 'broad-integration-role'
  | 'broken-integration';

/** What each kind of finding is about (the GraphQL enum FindingKind describes its values with it). */
export const FINDING_KIND_DESCRIPTIONS: Readonly<Record<FindingKind, string>> = {
  'public-method': 'A method anonymous callers may invoke.',
  'open-resource-policy':
    'An API resource policy that allows "*" (every AWS account, and anonymous callers on methods without IAM authorization).',
  'cross-account-grant': 'An API resource policy that allows another account.',
  // The wildcard kinds are decided on a probe API that does not exist.
  'wildcard-invoke': 'A principal allowed execute-api:Invoke on every API of its account, present and future.',
  'wildcard-manage': 'A principal allowed API Gateway changes on every API of its account, present and future.',
  'escalation-via-apigateway':
    "A principal who can make API Gateway act for it: pass a role trusted by API Gateway and point an integration at it, open a method's authorization, or rewrite an API's resource policy.",
  'broad-integration-role': 'An integration role allowed to invoke more Lambda functions than its integrations call.',
  'broken-integration': 'A method whose backend API Gateway may not call.',
};

/** Every kind of finding, in the order of FINDING_KIND_DESCRIPTIONS. */
export const FINDING_KINDS = Object.keys(FINDING_KIND_DESCRIPTIONS) as readonly FindingKind[];

/** How urgent a finding is: SEVERITY_DESCRIPTIONS says what each severity asks of the reader. */
export type Severity = 'high' | 'medium' | 'low';

/** What each severity asks of the reader (the GraphQL enum Severity describes its values with it). */
export const SEVERITY_DESCRIPTIONS: Readonly<Record<Severity, string>> = {
  high: 'Look at it first.',
  medium: 'Worth a look.',
  low: 'Informational, or already covered by broader rights.',
};

export interface Finding {
  /** Stable across runs on the same data: kind, resource and principal. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  /** One line. */
  title: string;
  /** What it means and what to check. */
  detail: string;
  /** The method, API, role or principal the finding is about. */
  resource: string;
  principal: string | null;
  decision: AccessDecision;
  conditions: ConditionSummary[];
  /** Other ARNs involved (functions reached, APIs, accounts). */
  related: string[];
  paths: AccessPath[];
}

export interface FindingsAnswer {
  findings: Finding[];
  counts: Record<Severity, number>;
  stats: { ms: number; decisions: number };
}

export interface FindingsOptions {
  kinds?: readonly FindingKind[] | undefined;
}

/** Severities by rank, the more severe the higher: the one order of findings, of minimum severities (GraphQL, reviews) and of review thresholds. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 1, medium: 2, high: 3 };

/** Is `severity` at least as severe as `minimum`? */
export function atLeastAsSevere(severity: Severity, minimum: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
}
export const RELATED_LIMIT = 50;

export function finding(
  f: Omit<Finding, 'id' | 'conditions' | 'related' | 'paths'> & Partial<Pick<Finding, 'conditions' | 'related' | 'paths'>>,
): Finding {
  return { id: `${f.kind}:${f.resource}${f.principal ? `:${f.principal}` : ''}`, conditions: [], related: [], paths: [], ...f };
}

export function limited(list: readonly string[]): string[] {
  return list.length <= RELATED_LIMIT ? [...list] : [...list.slice(0, RELATED_LIMIT), `… and ${list.length - RELATED_LIMIT} more`];
}

/** The API id the wildcard and escalation findings decide on: an API that does not exist, so that only grants on every API match. */
export const PROBE = 'whocan-probe';
