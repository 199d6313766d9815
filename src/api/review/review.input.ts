import { Field, InputType, Int } from 'type-graphql';
import { UserInputError } from '../../errors';
import { SERVER_REVIEW_MAX_PATHS, type ServerReviewRequest } from '../../services/review';
import { MAX_HOPS, checkText, wholeNumber } from '../analysis/question.input';

/**
 * The options of the `review` query: those of `whocan review`, checked at
 * the edge (each malformed one is one BAD_USER_INPUT naming it, before any
 * work). The rules text itself is checked by the service: its size first,
 * then the same loader as the CLI's.
 */
@InputType({ description: 'How to run an access review: the options of `whocan review` (docs/review.md).' })
export class ReviewOptionsInput {
  @Field(() => String, {
    nullable: true,
    description: 'The rules file\'s name, for messages (`rules.yaml:12:5: …`) and the report\'s `file`; default "rules.yaml".',
  })
  file?: string | null;

  @Field(() => [String], { nullable: true, description: "Check only the rules with these ids (the CLI's --rule); default: every rule." })
  rules?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: `Role assumptions to follow, ${MAX_HOPS.min} to ${MAX_HOPS.max}; default 5 (max-hops rules follow at least their limit).`,
  })
  maxHops?: number | null;

  @Field(() => Int, { nullable: true, description: `Paths listed per violating access, 1 to ${SERVER_REVIEW_MAX_PATHS}; default 3.` })
  maxPaths?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Violations listed per rule, 1 to the server's WHOCAN_MAX_REVIEW_LISTED; default 50 (the report counts them all).",
  })
  maxViolations?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Accesses listed per violation, 1 to the server's WHOCAN_MAX_REVIEW_LISTED; default 10 (the report counts them all).",
  })
  maxAccess?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "List every violation and every access, within the server's cap on the accesses one report lists (WHOCAN_MAX_REVIEW_LISTED, the report's limits.total).",
  })
  all?: boolean | null;
}

/** Longest rules file name and rule id accepted. */
export const REVIEW_INPUT_LIMITS = { file: 1024, ruleId: 256 } as const;
/** Control characters (Unicode category Cc: C0, DEL and C1). */
const CONTROL = /\p{Cc}/u;

/** The options as the service's request (without the text and snapshot); `maxRules` bounds options.rules. */
export function toReviewOptions(
  options: ReviewOptionsInput | null | undefined,
  maxRules: number,
): Omit<ServerReviewRequest, 'text' | 'snapshot'> {
  const o = options ?? {};
  const file = o.file === null || o.file === undefined ? 'rules.yaml' : checkText(o.file, 'options.file', REVIEW_INPUT_LIMITS.file);
  if (CONTROL.test(file)) throw new UserInputError('options.file: expected a file name without control characters (newlines, tabs…).');
  let only: string[] | undefined;
  if (o.rules !== null && o.rules !== undefined) {
    if (o.rules.length > maxRules)
      throw new UserInputError(`options.rules: at most ${maxRules} rule ids (WHOCAN_MAX_RULES), got ${o.rules.length}.`);
    only = o.rules.map((id, i) => checkText(id, `options.rules[${i}]`, REVIEW_INPUT_LIMITS.ruleId));
  }
  const maxHops = wholeNumber(o.maxHops, 'options.maxHops', MAX_HOPS);
  const maxPaths = wholeNumber(o.maxPaths, 'options.maxPaths', { min: 1, max: SERVER_REVIEW_MAX_PATHS });
  // The upper bound (the server's WHOCAN_MAX_REVIEW_LISTED) is the service's to check.
  const maxViolations = wholeNumber(o.maxViolations, 'options.maxViolations', { min: 1, max: Number.MAX_SAFE_INTEGER });
  const maxAccess = wholeNumber(o.maxAccess, 'options.maxAccess', { min: 1, max: Number.MAX_SAFE_INTEGER });
  return {
    file,
    ...(only ? { only } : {}),
    ...(maxHops !== undefined ? { maxHops } : {}),
    ...(maxPaths !== undefined ? { maxPaths } : {}),
    ...(maxViolations !== undefined ? { maxViolations } : {}),
    ...(maxAccess !== undefined ? { maxAccess } : {}),
    ...(o.all ? { all: true } : {}),
  };
}
