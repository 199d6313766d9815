import { AppError } from '../../errors';
import type { ReviewOptions, ReviewReport } from '../review';
import type { GraphQLClient } from './graphqlClient';

/**
 * `whocan review --server`: the rules file is sent whole to the server's
 * `review` query, which runs the review there (on its access index where it
 * answers) and returns the report `whocan review --format json` prints; the
 * CLI renders it and sets the exit code as for a local review. The report's
 * origin becomes the server's URL, as when the questions are asked one by one.
 */
export const REVIEW = `query WhocanReview($rules: String!, $snapshot: String, $options: ReviewOptionsInput) {
  review(rules: $rules, snapshot: $snapshot, options: $options) { report }
}`;

/** The options the server takes (the rest, --fail-on and the format, are the CLI's). */
export type RemoteReviewOptions = Pick<ReviewOptions, 'snapshot' | 'maxHops' | 'maxPaths' | 'maxViolations' | 'maxAccess' | 'all' | 'only'>;

/** What a server without the `review` query answers (a whocan server older than it): the review is then asked question by question. */
const NO_REVIEW_QUERY = /Cannot query field "review" on type "Query"/;

/** The report of the server's `review` query; undefined when the server has no such query. */
export async function reviewOnServer(
  client: GraphQLClient,
  rules: { text: string; file: string },
  options: RemoteReviewOptions,
): Promise<ReviewReport | undefined> {
  let data: { review: { report: ReviewReport } };
  try {
    data = await client.request<{ review: { report: ReviewReport } }>(REVIEW, {
      rules: rules.text,
      snapshot: options.snapshot ?? null,
      options: {
        file: rules.file,
        rules: options.only && options.only.length > 0 ? [...options.only] : null,
        maxHops: options.maxHops ?? null,
        maxPaths: options.maxPaths ?? null,
        maxViolations: options.maxViolations ?? null,
        maxAccess: options.maxAccess ?? null,
        all: options.all ?? null,
      },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'GRAPH_UNAVAILABLE' && NO_REVIEW_QUERY.test(error.message)) return undefined;
    throw error;
  }
  return { ...data.review.report, origin: client.url };
}
