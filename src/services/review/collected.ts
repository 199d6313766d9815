/** What checking a rule collects, answered by the analysis (fromAnswers.ts) or from the access index (fromIndex.ts): the principals that break it, and what its summary counts. */
import type { AccessDecision, CallerType } from '../../analysis';
import type { ViolatingAccess } from './report';
import type { Rule } from './rules';
import type { IndexedEntry } from './source';

/**
 * A principal that breaks a rule, while the rule is checked: its first
 * accesses (at most the cap; answered by the analysis they are complete,
 * answered from the index they are filled in once the report's violations
 * are chosen), and how many it has.
 */
export interface Flagged {
  type: CallerType;
  reason: string;
  access: ViolatingAccess[];
  /** From the index: where each listed access comes from (question index, the class entry). */
  held: { question: number; entry: IndexedEntry; set: string }[];
  /** From the index: the question indices of each set it breaks the rule on, with its entry there. */
  hits: { questions: readonly number[]; entry: IndexedEntry; set: string }[];
  accessCount: number;
  minHops: number;
}

/** A rule's questions looked at: the principals that break it, by ARN, and what its summary counts. */
export interface Collected {
  /** Principals with counted access (not excepted). */
  seen: Set<string>;
  flagged: Map<string, Flagged>;
  /** max-hops: the most role assumptions any counted principal needs. */
  farthest: number;
  /** not-public: methods open to anonymous callers. */
  open: number;
}

/** Whether a rule counts a decision as access. */
export function countsAsAccess(rule: Rule, decision: AccessDecision): boolean {
  return decision !== 'denied' && rule.access.includes(decision);
}
