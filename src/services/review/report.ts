/** What `whocan review` is asked (ReviewOptions) and what it reports (ReviewReport: a RuleResult per rule, its Violations, each with the accesses that break the rule); docs/review.md describes the report, reportSchema.ts checks it. */
import type { CallerType, Finding, PartialCoverage, PrincipalAccess } from '../../analysis';
import type { Rule, RuleSeverity } from './rules';

/** How a review runs and how much its report lists. */
export interface ReviewOptions {
  /** The snapshot to review (default: the current one). */
  snapshot?: string | undefined;
  /** Role assumptions to follow (default 5; max-hops rules search at least as far as their limit). */
  maxHops?: number | undefined;
  /** Paths listed per violating access (default 3). */
  maxPaths?: number | undefined;
  /** Violations listed per rule (default 50; the rule still counts them all). */
  maxViolations?: number | undefined;
  /** Accesses listed per violation (default 10; the violation still counts them all). */
  maxAccess?: number | undefined;
  /** List every violation and every access (no maxViolations, no maxAccess). */
  all?: boolean | undefined;
  /**
   * Most accesses the whole report lists, over every rule (a server's cap,
   * WHOCAN_MAX_REVIEW_LISTED; default: no such cap). Once it is spent, the
   * remaining rules are still checked and counted but list fewer violations
   * (`truncated`).
   */
  maxListed?: number | undefined;
  /** Only the rules with these ids. */
  only?: readonly string[] | undefined;
  onRule?: ((rule: Rule, index: number, total: number) => void) | undefined;
  /** Questions of a rule answered so far. */
  onProgress?: ((rule: Rule, done: number, total: number) => void) | undefined;
}

/**
 * A principal's access that breaks a rule: its decision, hops, conditions and
 * paths as the answer gave them. Answered from the access index, `partial`
 * carries only the statement patterns that split the method, and each path
 * is the role chain from the stored CAN_ASSUME relationships ending with
 * the last principal's own access (the statements are left out; `whocan
 * paths` names them).
 */
export interface ViolatingAccess extends Pick<PrincipalAccess, 'decision' | 'hops' | 'conditions' | 'paths' | 'morePaths'> {
  partial?: Pick<PartialCoverage, 'patterns'> & Partial<Pick<PartialCoverage, 'allowedRequests' | 'deniedRequests'>>;
  action: string;
  resource: string;
  /** Short name of the resource for reports (`petstore-api/prod GET /pets`). */
  label: string;
  /** no-escalation: the finding. */
  finding?: Pick<Finding, 'id' | 'kind' | 'severity' | 'title' | 'detail' | 'related'>;
}

export interface Violation {
  principal: string;
  principalType: CallerType;
  /** Why this principal breaks the rule. */
  reason: string;
  /** Its accesses that break the rule, in the order of the selection (at most maxAccess unless `all`). */
  access: ViolatingAccess[];
  /** How many accesses break the rule (`access` may list fewer). */
  accessCount: number;
  /** Present when `access` lists fewer than accessCount. */
  truncated?: true;
}

export interface RuleResult {
  id: string;
  description: string | null;
  owner: string | null;
  severity: RuleSeverity;
  /** Where the rule is written. */
  file: string;
  line: number;
  column: number;
  selection: string;
  expectation: string;
  status: 'pass' | 'fail';
  /** One sentence: what was found. */
  summary: string;
  /** Questions asked (methods × stages, APIs × actions, roles; findings for no-escalation). */
  questions: number;
  /** Distinct principals with counted access in the selection. */
  principals: number;
  /** Violations, by principal ARN (at most maxViolations unless `all`). */
  violations: Violation[];
  /** How many violations the rule has (`violations` may list fewer). */
  violationCount: number;
  /** Present when `violations` lists fewer than violationCount, or a violation fewer accesses than it has. */
  truncated?: true;
  /** What answered the rule's questions: the access index (in bulk), or the analysis (one question at a time). */
  answeredFrom: 'index' | 'analysis';
  /** Time spent on this rule. */
  durationMs: number;
}

export interface ReviewReport {
  file: string;
  snapshot: string;
  /** `local database`, or the server URL. */
  origin: string;
  startedAt: string;
  durationMs: number;
  results: RuleResult[];
  /** What is listed: violations per rule and accesses per violation (null: all), paths per access; `total`: most accesses listed over the whole report, when capped (maxListed). */
  limits: { violations: number | null; access: number | null; paths: number; total?: number };
  /** True when some rule lists fewer violations, or some violation fewer accesses, than it has. */
  truncated: boolean;
  /** `violations`: every violation of every rule; `listed`: those the report lists. */
  counts: { rules: number; passed: number; failed: number; violations: number; listed: number };
}

/** What a report lists by default (docs/review.md): violations per rule, accesses per violation. */
export const DEFAULT_MAX_VIOLATIONS = 50;
export const DEFAULT_MAX_ACCESS = 10;

/** What checking a rule found (the rest of a RuleResult describes the rule). */
export type RuleOutcome = Pick<
  RuleResult,
  'status' | 'summary' | 'questions' | 'principals' | 'violations' | 'violationCount' | 'truncated' | 'answeredFrom'
>;
