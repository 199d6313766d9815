/** `whocan review`: every rule of a rules file checked on one snapshot, in three steps (runReview). */
import { isAppError, UserInputError } from '../../errors';
import { evaluateRule } from './evaluate';
import type { ReviewOptions, ReviewReport, RuleResult } from './report';
import { resolveSelection, SelectionError, type Question, type SnapshotInventory } from './resolve';
import type { Rule, RuleSet } from './rules';
import { ReviewRun } from './run';
import type { AccessSource } from './source';

/**
 * Every rule of the set (or those of `options.only`) checked on one snapshot:
 * 1. Every rule's selection is resolved against the snapshot first; a
 *    selection that names nothing there is a mistake in the rules (reported
 *    with the rule's line, nothing evaluated).
 * 2. Each question is answered once ("who can ACTION on RESOURCE", the
 *    answers of src/analysis/answer.ts, shared by every rule that asks it)
 *    and the rule's expectation is checked on the principals of the answers
 *    (evaluate.ts). A principal counts when its decision is one the rule
 *    counts (`access`, by default allowed, conditional and partial) and
 *    `except` does not name it.
 * 3. Each violation names the principal, why it breaks the rule, and every
 *    access it has in the selection with its decision, conditions and paths;
 *    the report counts them all and lists what its limits allow.
 */
export async function runReview(source: AccessSource, ruleSet: RuleSet, options: ReviewOptions = {}): Promise<ReviewReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const rules = selectRules(ruleSet, options.only);
  const snapshot = await source.resolveSnapshot(options.snapshot);
  const inventory = await inventoryFor(source, snapshot, rules);
  const questions = resolveSelections(ruleSet, rules, inventory, snapshot);
  const run = new ReviewRun(source, snapshot, options, inventory);
  const results = await evaluateRules(run, rules, questions, options.onRule);
  return report(ruleSet, run, results, { startedAt, durationMs: Date.now() - started });
}

/** The rules with these ids (every rule when none is given); an id the file does not have is a UserInputError naming `option`. */
export function selectRules(ruleSet: RuleSet, only: readonly string[] | undefined, option = '--rule'): Rule[] {
  if (!only || only.length === 0) return ruleSet.rules;
  const unknown = only.filter((id) => !ruleSet.rules.some((r) => r.id === id));
  if (unknown.length > 0)
    throw new UserInputError(
      `${option} ${unknown.join(', ')}: no such rule in ${ruleSet.file}; its rules: ${ruleSet.rules.map((r) => r.id).join(', ')}`,
    );
  return ruleSet.rules.filter((r) => only.includes(r.id));
}

/** What the rules' selections are resolved against: the snapshot's APIs and roles, each read only when some rule needs it. */
async function inventoryFor(source: AccessSource, snapshot: string, rules: readonly Rule[]): Promise<SnapshotInventory> {
  const needsApis = rules.some((r) => r.select?.kind === 'invoke' || r.select?.kind === 'manage' || r.expect.kind === 'no-escalation');
  return {
    apis: needsApis ? await source.apis(snapshot) : [],
    roles: rules.some((r) => r.select?.kind === 'assume') ? await source.roles(snapshot) : [],
  };
}

/** 1. Every rule's questions, before anything is asked; one UserInputError lists every selection that does not fit the snapshot. */
function resolveSelections(
  ruleSet: RuleSet,
  rules: readonly Rule[],
  inventory: SnapshotInventory,
  snapshot: string,
): Map<Rule, Question[]> {
  const problems: string[] = [];
  const questions = new Map<Rule, Question[]>();
  for (const rule of rules) {
    if (!rule.select) continue;
    try {
      questions.set(rule, resolveSelection(rule.select, inventory));
    } catch (error) {
      if (!(error instanceof SelectionError)) throw error;
      const at = rule.selectPosition ?? rule.position;
      problems.push(`${at.file}:${at.line}:${at.column}: rule ${rule.id}: select: ${error.message}`);
    }
  }
  if (problems.length > 0) {
    throw new UserInputError(
      `The rules in ${ruleSet.file} do not fit snapshot ${snapshot} (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was evaluated):`,
      problems,
    );
  }
  return questions;
}

/** 2. Each rule checked in turn, timed; a bad input or a missing resource is a UserInputError naming the rule's line. */
async function evaluateRules(
  run: ReviewRun,
  rules: readonly Rule[],
  questions: ReadonlyMap<Rule, Question[]>,
  onRule: ReviewOptions['onRule'],
): Promise<RuleResult[]> {
  const results: RuleResult[] = [];
  for (const [index, rule] of rules.entries()) {
    onRule?.(rule, index, rules.length);
    const ruleStarted = Date.now();
    try {
      results.push({ ...(await evaluateRule(run, rule, questions.get(rule) ?? [])), durationMs: Date.now() - ruleStarted });
    } catch (error) {
      if (isAppError(error) && (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND')) {
        throw new UserInputError(
          `${rule.position.file}:${rule.position.line}:${rule.position.column}: rule ${rule.id}: ${error.message}`,
          error.details,
        );
      }
      throw error;
    }
  }
  return results;
}

/** 3. The report: every rule's result, what it lists, and the counts. */
function report(
  ruleSet: RuleSet,
  run: ReviewRun,
  results: RuleResult[],
  timing: Pick<ReviewReport, 'startedAt' | 'durationMs'>,
): ReviewReport {
  const failed = results.filter((r) => r.status === 'fail').length;
  return {
    file: ruleSet.file,
    snapshot: run.snapshot,
    origin: run.source.origin,
    startedAt: timing.startedAt,
    durationMs: timing.durationMs,
    results,
    limits: run.limits(),
    truncated: results.some((r) => r.truncated === true),
    counts: {
      rules: results.length,
      passed: results.length - failed,
      failed,
      violations: results.reduce((n, r) => n + r.violationCount, 0),
      listed: results.reduce((n, r) => n + r.violations.length, 0),
    },
  };
}
