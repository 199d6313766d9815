import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'An access review of a rules file, run on the server (`whocan review --server` asks it): a few figures, and the whole report as `whocan review --format json` prints it.',
})
export class ReviewReport {
  @Field(() => String, { description: 'Id of the snapshot reviewed.' })
  snapshot!: string;

  @Field(() => [String], { description: "Ids of the rules that are violated, in the file's order (empty: every rule holds)." })
  failedRules!: string[];

  @Field(() => Int, { description: 'Violations of every rule (the report may list fewer: see its limits and truncated).' })
  violations!: number;

  @Field(() => GraphQLJSONObject, {
    description:
      'The report: the JSON of `whocan review --format json`, described by schema/review-report.schema.json (docs/review.md describes every field). Its origin is "whocan server"; limits.total is the most accesses it lists over every rule (WHOCAN_MAX_REVIEW_LISTED).',
  })
  report!: Record<string, unknown>;
}
