import { Arg, Ctx, Extensions, Query, Resolver, UseMiddleware } from 'type-graphql';
import { checkRulesSize, type ReviewService } from '../../services/review';
import type { ApiContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { ReviewOptionsInput, toReviewOptions } from './review.input';
import { ReviewReport } from './review.type';

/**
 * What a review costs (WHOCAN_MAX_QUERY_COST, default 50 000): it may ask
 * every question of every API and role, as an access diff does, so one
 * review fills more than half of a request's default budget (no second
 * review, nor an aliased one, in the same request).
 */
export const REVIEW_COST = 30_000;

/**
 * `whocan review` run by the server (remote mode sends the rules file here):
 * the rules text is bounded and checked, the snapshot resolved, and the
 * review runs on this server's access index where it answers.
 */
@Resolver()
@UseMiddleware(enforceDeadline)
export class ReviewResolver {
  constructor(private readonly reviews: ReviewService) {}

  @Extensions({ [COST_FIELD]: REVIEW_COST })
  @Query(() => ReviewReport, {
    description:
      'Checks every rule of a rules file (YAML, schema/rules.schema.json; docs/review.md) on a snapshot, answered from its access index where the index can answer. A rules text over WHOCAN_MAX_RULES_BYTES (refused before it is read), with more than WHOCAN_MAX_RULES rules, not valid, or that does not fit the snapshot: BAD_USER_INPUT naming each problem by file, line and column. Unknown snapshot: NOT_FOUND.',
  })
  async review(
    @Arg('rules', () => String, { description: "The rules file's text (YAML), at most WHOCAN_MAX_RULES_BYTES bytes (default 262144)." })
    rules: string,
    @Arg('snapshot', () => String, {
      nullable: true,
      description: 'Id of the snapshot to review (the snapshots query lists them); default: the current snapshot.',
    })
    snapshot: string | null,
    @Arg('options', () => ReviewOptionsInput, { nullable: true, description: 'The options of `whocan review`; default: its defaults.' })
    options: ReviewOptionsInput | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ReviewReport> {
    const { limits } = ctx;
    checkRulesSize(rules, limits);
    const request = toReviewOptions(options, limits.maxRules);
    const { id } = await ctx.browse.snapshot(snapshot);
    const report = await this.reviews.review(
      { ...request, text: rules, snapshot: id },
      { maxRulesBytes: limits.maxRulesBytes, maxRules: limits.maxRules, maxListed: limits.maxReviewListed },
      ctx.scope,
    );
    return {
      snapshot: report.snapshot,
      failedRules: report.results.filter((r) => r.status === 'fail').map((r) => r.id),
      violations: report.counts.violations,
      report: report as unknown as Record<string, unknown>,
    };
  }
}
