/**
 * The policy engine's own error type. A document that does not follow the IAM
 * policy grammar is reported with every problem found, each naming the JSON
 * path of the offending element and what was expected there; nothing is
 * silently ignored.
 *
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/** One problem in a document: where it is and what was expected. */
export interface PolicyProblem {
  /** JSON path of the element, e.g. `$.Statement[2].Condition.StringEquals`. */
  readonly path: string;
  readonly message: string;
}

export class PolicyValidationError extends Error {
  readonly problems: readonly PolicyProblem[];

  constructor(problems: readonly PolicyProblem[], subject = 'policy document') {
    const first = problems[0];
    super(
      problems.length === 1 && first
        ? `Invalid ${subject}: ${first.path}: ${first.message}`
        : `Invalid ${subject} (${problems.length} problems)`,
    );
    this.name = 'PolicyValidationError';
    this.problems = problems;
  }

  /** One line per problem, `path: message`. */
  problemLines(): string[] {
    return this.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

/** Type guard usable across module boundaries. */
export function isPolicyValidationError(error: unknown): error is PolicyValidationError {
  return error instanceof PolicyValidationError;
}
