/** One rule checked: its questions planned, answered from the access index or by the analysis, judged against the expectation, and its violations listed. */
import { DEFAULT_MAX_HOPS } from '../../analysis';
import type { Collected, Flagged } from './collected';
import { checkEscalation } from './escalation';
import { collectFromAnswers, type AskPlan } from './fromAnswers';
import { collectFromIndex, fillFromIndex, indexFor } from './fromIndex';
import { plural } from './labels';
import type { RuleResult, Violation } from './report';
import type { Question } from './resolve';
import { describeExpectation, describeSelection, type Expectation, type Rule } from './rules';
import type { ReviewRun } from './run';
import type { AccountInventory } from './source';

/** Paths asked per principal: enough to tell whether every path goes through a role a rule allows. */
const PATHS_ASKED = 25;

/**
 * The rule checked on its questions (no-escalation: on the findings,
 * escalation.ts):
 * 1. plan what to ask (role assumptions, paths, which methods can be public);
 * 2. collect the principals that break it, from the access index when it
 *    can answer every question (fromIndex.ts), else from the answers of the
 *    analysis (fromAnswers.ts);
 * 3. judge them against the expectation (which violate it, why, the summary);
 * 4. list the violations the report has room for.
 */
export async function evaluateRule(run: ReviewRun, rule: Rule, questions: Question[]): Promise<Omit<RuleResult, 'durationMs'>> {
  const base = {
    id: rule.id,
    description: rule.description,
    owner: rule.owner,
    severity: rule.severity,
    file: rule.position.file,
    line: rule.position.line,
    column: rule.position.column,
    selection: describeSelection(rule.select),
    expectation: describeExpectation(rule.expect),
  };
  const expect = rule.expect;
  if (expect.kind === 'no-escalation') return { ...base, ...(await checkEscalation(run, rule, expect.minSeverity)) };

  const plan = planQuestions(run, expect, questions);
  const accounts = expect.kind === 'no-outside-org' ? await run.accounts() : undefined;
  const index = await indexFor(run, rule, plan.asked, plan.hopLimit);
  const collected = index
    ? await collectFromIndex(run, rule, plan.asked, index, accounts)
    : await collectFromAnswers(run, rule, plan, accounts);
  const { chosen, reasonOf, summary } = judge(expect, questions, collected, accounts, plan.hopLimit);

  const violationCount = chosen.length;
  const listed = run.listing(chosen, (v) => v.accessCount);
  if (index) await fillFromIndex(run, index, plan.asked, listed);
  const violations: Violation[] = listed.map(([principal, v, n]) => ({
    principal,
    principalType: v.type,
    reason: reasonOf(principal, v),
    access: v.access.slice(0, n),
    accessCount: v.accessCount,
    ...(v.accessCount > n ? { truncated: true as const } : {}),
  }));
  const truncated = violationCount > violations.length || violations.some((v) => v.truncated);
  return {
    ...base,
    status: violationCount ? 'fail' : 'pass',
    summary,
    questions: questions.length,
    principals: expect.kind === 'not-public' ? (collected.open > 0 ? 1 : 0) : collected.seen.size,
    violations,
    violationCount,
    ...(truncated ? { truncated: true as const } : {}),
    answeredFrom: index ? 'index' : 'analysis',
  };
}

/** An expectation checked on questions (every one but no-escalation). */
type QuestionExpectation = Exclude<Expectation, { kind: 'no-escalation' }>;

/** What to ask about a rule's questions. */
function planQuestions(run: ReviewRun, expect: QuestionExpectation, questions: Question[]): AskPlan {
  const hopLimit = expect.kind === 'max-hops' ? Math.max(run.maxHops ?? DEFAULT_MAX_HOPS, expect.max) : undefined;
  // `only` looks at every path (is each one through an allowed role?); the others list a few.
  const pathsAsked = expect.kind === 'only' ? Math.max(PATHS_ASKED, run.maxPaths) : run.maxPaths;
  // Only a method with authorization NONE can be public (docs/analysis.md, "public"): the others need no question.
  const asked =
    expect.kind === 'not-public' ? questions.filter((q) => q.authorizationType === undefined || q.authorizationType === 'NONE') : questions;
  return { asked, hopLimit, pathsAsked };
}

/** The principals that violate the expectation (by ARN), why each does, and the rule's summary. */
function judge(
  expect: QuestionExpectation,
  questions: Question[],
  { seen, flagged, farthest, open }: Collected,
  accounts: AccountInventory | undefined,
  hopLimit: number | undefined,
): { chosen: [string, Flagged][]; reasonOf: (arn: string, v: Flagged) => string; summary: string } {
  const n = questions.length;
  const what = describeQuestions(questions);
  const flaggedCount = flagged.size;
  let chosen = [...flagged].sort(([a], [b]) => a.localeCompare(b));
  let reasonOf = (_arn: string, v: Flagged) => v.reason;
  let summary: string;
  switch (expect.kind) {
    case 'only':
      summary = flaggedCount
        ? `${plural(flaggedCount, 'principal')} ${flaggedCount === 1 ? 'has' : 'have'} access without being allowed (${what})`
        : `${plural(seen.size, 'principal')} ${seen.size === 1 ? 'has' : 'have'} access, all allowed by the rule (${what})`;
      break;
    case 'forbid':
      summary = flaggedCount
        ? `${plural(flaggedCount, 'forbidden principal')} ${flaggedCount === 1 ? 'has' : 'have'} access (${what})`
        : `no forbidden principal has access (${what})`;
      break;
    case 'nobody':
      summary = flaggedCount
        ? `${plural(flaggedCount, 'principal')} ${flaggedCount === 1 ? 'has' : 'have'} access (${what})`
        : `nobody has access (${what})`;
      break;
    case 'no-outside-org': {
      const org = accounts!.hasOrganization ? `organization ${accounts!.organizationId ?? ''}`.trim() : 'the ingested accounts';
      summary = flaggedCount
        ? `${plural(flaggedCount, 'principal')} outside ${org} ${flaggedCount === 1 ? 'has' : 'have'} access (${what})`
        : `nobody outside ${org} has access (${plural(seen.size, 'principal')}, ${what})`;
      break;
    }
    case 'max-principals':
      if (seen.size <= expect.max) chosen = [];
      else reasonOf = () => `one of ${seen.size} principals with access (at most ${expect.max} allowed)`;
      summary = `${plural(seen.size, 'principal')} ${seen.size === 1 ? 'has' : 'have'} access; at most ${expect.max} allowed (${what})`;
      break;
    case 'max-hops':
      reasonOf = (_arn, v) => `becomes the role in ${plural(v.minHops + 1, 'role assumption')} (at most ${expect.max} allowed)`;
      summary = chosen.length
        ? `${plural(chosen.length, 'principal')} ${chosen.length === 1 ? 'needs' : 'need'} more than ${plural(expect.max, 'role assumption')} (${what}; chains of up to ${hopLimit! + 1} assumptions followed)`
        : seen.size
          ? `every principal becomes the role in at most ${plural(farthest, 'role assumption')} (limit ${expect.max}; ${what})`
          : `nobody can become the role (${what})`;
      break;
    case 'not-public':
      reasonOf = (_arn, v) => `anonymous callers may invoke ${plural(v.accessCount, 'method')} (authorization NONE on a public endpoint)`;
      summary = open
        ? `${open} of ${plural(n, 'method')} ${open === 1 ? 'is' : 'are'} open to anonymous callers`
        : `none of the ${plural(n, 'method')} is open to anonymous callers`;
      break;
  }
  return { chosen, reasonOf, summary };
}

/** The rule's questions in a few words (`12 methods checked`). */
function describeQuestions(questions: Question[]): string {
  const kinds = new Set(questions.map((q) => q.action));
  const n = questions.length;
  if (kinds.size === 1 && kinds.has('execute-api:Invoke')) return `${plural(n, 'method')} checked`;
  if (kinds.size === 1 && kinds.has('sts:AssumeRole')) return `${plural(n, 'role')} checked`;
  return `${plural(n, 'question')} checked`;
}
