import type { Graph } from '../../db';
import { UserInputError } from '../../errors';
import type { RequestScope } from '../requestScope';
import { deadlineBound } from './deadlineSource';
import { IndexAccessSource } from './indexSource';
import type { AnalysisQuestions } from './localSource';
import type { ReviewOptions, ReviewReport } from './report';
import { runReview, selectRules } from './review';
import { parseRules } from './rules';

/**
 * `whocan review` run by a whocan server (the GraphQL `review` query): the
 * rules file's text is checked with the same loader as the CLI's, then
 * reviewed on the server's own database with the source the local CLI uses
 * (IndexAccessSource: the access index in bulk where it answers, the
 * analysis for the rest), so a review over the server is one request
 * instead of one who-can question per target.
 *
 * Bounded before any work starts: the text's size (before it is parsed),
 * the number of rules, and what the report may list (`maxListed` accesses
 * over every rule, which also bounds maxViolations and maxAccess, and
 * `all`). Every question and index read checks the request's deadline first.
 */
export interface ReviewLimits {
  /** Largest rules text, in UTF-8 bytes (WHOCAN_MAX_RULES_BYTES). */
  maxRulesBytes: number;
  /** Most rules in one file (WHOCAN_MAX_RULES). */
  maxRules: number;
  /** Most accesses one report lists over all its rules (WHOCAN_MAX_REVIEW_LISTED); also the highest maxViolations and maxAccess. */
  maxListed: number;
}

/** The configuration's defaults (src/config). */
export const DEFAULT_REVIEW_LIMITS: ReviewLimits = { maxRulesBytes: 262_144, maxRules: 200, maxListed: 10_000 };

/** Most paths listed per access in a review run by a server (the CLI's --max-paths). */
export const SERVER_REVIEW_MAX_PATHS = 10;

/** What the `review` query asks: the CLI's options, the snapshot already resolved. */
export interface ServerReviewRequest extends Pick<ReviewOptions, 'maxHops' | 'maxPaths' | 'maxViolations' | 'maxAccess' | 'all' | 'only'> {
  /** The rules file's text (YAML). */
  text: string;
  /** Its name, for messages and the report (`rules.yaml` when not given). */
  file: string;
  snapshot: string;
}

/** What names the review's source in its report: the CLI replaces it with the server's URL. */
export const SERVER_ORIGIN = 'whocan server';

export class ReviewService {
  constructor(
    private readonly graph: Graph,
    private readonly analysis: AnalysisQuestions,
  ) {}

  async review(
    request: ServerReviewRequest,
    limits: ReviewLimits,
    scope: Pick<RequestScope, 'assertTimeLeft' | 'txOptions'>,
  ): Promise<ReviewReport> {
    checkRulesSize(request.text, limits);
    checkListing(request, limits);
    const rules = parseRules(request.text, request.file);
    if (rules.rules.length > limits.maxRules) {
      throw new UserInputError(
        `rules: ${request.file} has ${rules.rules.length} rules; this server reviews at most ${limits.maxRules} in one request (WHOCAN_MAX_RULES): split the file, or choose rules with options.rules.`,
      );
    }
    selectRules(rules, request.only, 'options.rules:');
    scope.assertTimeLeft();
    const source = deadlineBound(new IndexAccessSource(this.graph, this.analysis, () => scope.txOptions()), scope, SERVER_ORIGIN);
    return runReview(source, rules, {
      snapshot: request.snapshot,
      maxHops: request.maxHops,
      maxPaths: request.maxPaths,
      maxViolations: request.maxViolations,
      maxAccess: request.maxAccess,
      all: request.all,
      only: request.only,
      maxListed: limits.maxListed,
    });
  }
}

/** The rules text is refused before it is parsed when it is over the size limit (counted in UTF-8 bytes). */
export function checkRulesSize(text: string, limits: Pick<ReviewLimits, 'maxRulesBytes'>): void {
  // A string has at most 3 UTF-8 bytes per UTF-16 unit: most texts need no count.
  if (text.length * 3 <= limits.maxRulesBytes) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxRulesBytes) {
    throw new UserInputError(
      `rules: the rules text is ${bytes} bytes; this server accepts at most ${limits.maxRulesBytes} (WHOCAN_MAX_RULES_BYTES). Split the file, or ask the operator to raise the limit.`,
    );
  }
}

/** maxViolations and maxAccess within what one report may list; `all` with either is refused, as the CLI refuses it. */
function checkListing(
  request: Pick<ServerReviewRequest, 'maxViolations' | 'maxAccess' | 'all'>,
  limits: Pick<ReviewLimits, 'maxListed'>,
): void {
  if (request.all && (request.maxViolations !== undefined || request.maxAccess !== undefined)) {
    throw new UserInputError('options.all lists everything: give it without options.maxViolations and options.maxAccess.');
  }
  for (const [field, value] of [
    ['maxViolations', request.maxViolations],
    ['maxAccess', request.maxAccess],
  ] as const) {
    if (value !== undefined && value > limits.maxListed) {
      throw new UserInputError(
        `options.${field}: expected a whole number from 1 to ${limits.maxListed} (the most accesses this server lists in one report, WHOCAN_MAX_REVIEW_LISTED), got ${value}.`,
      );
    }
  }
}
