/** A rule checked on the answers of the analysis, one question at a time (when the access index cannot answer it: fromIndex.ts). */
import type { PrincipalAccess } from '../../analysis';
import { countsAsAccess, type Collected, type Flagged } from './collected';
import { describeMatcherShort, everyPathThroughAllowed, matchesAny, outsideReason } from './principals';
import type { ViolatingAccess } from './report';
import type { Question } from './resolve';
import type { Rule } from './rules';
import type { ReviewRun } from './run';
import type { AccountInventory } from './source';

/** How a rule's questions are asked of the analysis. */
export interface AskPlan {
  /** The questions asked (not-public: only the methods that can be public). */
  asked: readonly Question[];
  /** Role assumptions followed (max-hops; undefined: the review's). */
  hopLimit: number | undefined;
  /** Paths asked per principal. */
  pathsAsked: number;
}

/**
 * The rule checked on the answers to its questions: each answer is looked at
 * once, as it comes, and dropped; only what a violation lists is kept (at
 * most accessCap accesses per principal).
 */
export async function collectFromAnswers(
  run: ReviewRun,
  rule: Rule,
  plan: AskPlan,
  accounts: AccountInventory | undefined,
): Promise<Collected> {
  const { asked, hopLimit, pathsAsked } = plan;
  const expect = rule.expect;
  const collected: Collected = { seen: new Set<string>(), flagged: new Map<string, Flagged>(), farthest: 0, open: 0 };
  const { seen, flagged } = collected;
  const flag = (question: Question, p: PrincipalAccess, reason: string) => {
    let entry = flagged.get(p.arn);
    if (!entry) flagged.set(p.arn, (entry = { type: p.type, reason, access: [], held: [], hits: [], accessCount: 0, minHops: p.hops }));
    entry.accessCount++;
    entry.minHops = Math.min(entry.minHops, p.hops);
    if (entry.access.length < run.accessCap) entry.access.push(violatingAccess(question, p, run.maxPaths));
  };
  let done = 0;
  for await (const { question, answer } of run.answers(asked, rule, hopLimit, pathsAsked)) {
    run.onProgress?.(rule, ++done, asked.length);
    if (expect.kind === 'not-public') {
      const anonymous = answer.principals.find((p) => p.type === 'anonymous');
      if (answer.public && anonymous && countsAsAccess(rule, anonymous.decision)) {
        collected.open++;
        flag(question, anonymous, '');
      }
      continue;
    }
    for (const p of answer.principals) {
      if (!countsAsAccess(rule, p.decision) || (await matchesAny(run, rule.except, p))) continue;
      seen.add(p.arn);
      switch (expect.kind) {
        case 'only':
          if (await matchesAny(run, expect.principals, p)) break;
          // Access through a role the rule allows is that role's access.
          if (p.hops > 0 && !p.morePaths && (await everyPathThroughAllowed(run, p.paths, expect.principals))) break;
          flag(
            question,
            p,
            `has access but is not allowed by the rule${p.morePaths ? ` (it has more paths than the ${pathsAsked} checked)` : ''}`,
          );
          break;
        case 'forbid': {
          const m = await matchesAny(run, expect.principals, p);
          if (m) flag(question, p, `is forbidden by the rule (${describeMatcherShort(m)})`);
          break;
        }
        case 'nobody':
          flag(question, p, 'has access; the rule allows nobody');
          break;
        case 'no-outside-org': {
          const why = outsideReason(p, accounts!);
          if (why) flag(question, p, why);
          break;
        }
        case 'max-principals':
          flag(question, p, '');
          break;
        case 'max-hops':
          collected.farthest = Math.max(collected.farthest, p.hops + 1);
          if (p.hops + 1 > expect.max) flag(question, p, '');
          break;
      }
    }
  }
  return collected;
}

/** A principal's access on one question as a violation lists it (at most maxPaths paths). */
function violatingAccess(question: Question, p: PrincipalAccess, maxPaths: number): ViolatingAccess {
  return {
    action: question.action,
    resource: question.resource,
    label: question.label,
    decision: p.decision,
    hops: p.hops,
    conditions: p.conditions,
    ...(p.partial ? { partial: p.partial } : {}),
    paths: p.paths.slice(0, maxPaths),
    ...(p.morePaths || p.paths.length > maxPaths ? { morePaths: true } : {}),
  };
}
