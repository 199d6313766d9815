import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { UserInputError } from '../../errors';
import type { QuestionOptions } from '../../services';

/**
 * The arguments the analysis questions share, and their checks at the edge:
 * each malformed argument is one BAD_USER_INPUT naming it (`context[1].key`,
 * `maxHops`), before any work. What names nothing in the snapshot is left to
 * the analysis, which answers NOT_FOUND.
 */

/** Longest ARN, action, context key and value accepted (AWS ARNs are at most 2048 characters). */
export const INPUT_LIMITS = {
  arn: 2048,
  action: 256,
  contextEntries: 50,
  contextKey: 256,
  contextValues: 100,
  contextValue: 1024,
} as const;
export const MAX_HOPS = { min: 0, max: 10 } as const;
export const MAX_PATHS = { min: 1, max: 50 } as const;

@InputType({
  description:
    'One request context key and its value(s), such as {key: "aws:SourceIp", values: ["198.51.100.7"]}: the condition keys a decision may depend on.',
})
export class ContextEntry {
  @Field(() => String, {
    description:
      'The condition key, service:name, in any case: aws:SourceIp, aws:MultiFactorAuthPresent, sts:ExternalId, aws:PrincipalTag/team, aws:SourceVpce, …',
  })
  key!: string;

  @Field(() => [String], {
    description:
      'Its value, or its values for a multivalued key (aws:TagKeys…); booleans, numbers and dates are given as text ("true", "42", "2026-01-01T00:00:00Z").',
  })
  values!: string[];
}

@ArgsType()
export class QuestionArgs {
  @Field(() => [ContextEntry], {
    nullable: true,
    description:
      'Request context to decide conditions with (source IP, MFA, external id, tags…); without it, access that depends on the context is CONDITIONAL with its conditions.',
  })
  context?: ContextEntry[] | null;

  @Field(() => Int, { nullable: true, description: `Role assumptions to follow, ${MAX_HOPS.min} to ${MAX_HOPS.max}; default 5.` })
  maxHops?: number | null;
}

@ArgsType()
export class PathQuestionArgs extends QuestionArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Paths listed per principal, shortest first, ${MAX_PATHS.min} to ${MAX_PATHS.max}; default 10.`,
  })
  maxPaths?: number | null;
}

@ArgsType()
export class WhoCanArgs extends PathQuestionArgs {
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Also list the root users of the ingested accounts (left out by default: they can do everything in their own account unless an SCP or resource policy denies).',
  })
  includeRoot?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Also list callers that were decided and denied (a grant exists, but a deny, boundary, SCP or the resource side stops it).',
  })
  includeDenied?: boolean | null;
}

/** A value quoted for an error message, cut at 80 characters. */
export function show(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

const CONTEXT_KEY = /^[A-Za-z0-9-]+:[^\s=]+$/;

/** Request context entries → the analysis' context values (one value stays a string, several are a list). */
export function toContext(
  entries: readonly ContextEntry[] | null | undefined,
  field = 'context',
): Record<string, string | string[]> | undefined {
  if (!entries) return undefined;
  if (entries.length > INPUT_LIMITS.contextEntries)
    throw new UserInputError(`${field}: at most ${INPUT_LIMITS.contextEntries} entries, got ${entries.length}.`);
  const out: Record<string, string | string[]> = {};
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const at = `${field}[${index}]`;
    const key = entry.key.trim();
    if (key.length > INPUT_LIMITS.contextKey || !CONTEXT_KEY.test(key)) {
      throw new UserInputError(
        `${at}.key: expected a condition key such as aws:SourceIp, sts:ExternalId or aws:PrincipalTag/team, got ${show(entry.key)}.`,
      );
    }
    const first = seen.get(key.toLowerCase());
    if (first !== undefined)
      throw new UserInputError(
        `${at}.key: ${key} is already given by ${field}[${first}] (keys are case-insensitive); put all its values in one entry.`,
      );
    seen.set(key.toLowerCase(), index);
    if (entry.values.length === 0 || entry.values.length > INPUT_LIMITS.contextValues) {
      throw new UserInputError(`${at}.values: expected 1 to ${INPUT_LIMITS.contextValues} values for ${key}, got ${entry.values.length}.`);
    }
    const long = entry.values.findIndex((v) => v.length > INPUT_LIMITS.contextValue);
    if (long >= 0) throw new UserInputError(`${at}.values[${long}]: longer than ${INPUT_LIMITS.contextValue} characters.`);
    out[key] = entry.values.length === 1 ? entry.values[0]! : [...entry.values];
  });
  return out;
}

export function wholeNumber(value: number | null | undefined, field: string, bounds: { min: number; max: number }): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max)
    throw new UserInputError(`${field}: expected a whole number from ${bounds.min} to ${bounds.max}, got ${value}.`);
  return value;
}

/** An ARN, action or principal argument: a non-empty string of bounded length (its form is the analysis' to judge). */
export function checkText(value: string, field: string, max: number = INPUT_LIMITS.arn): string {
  if (value.trim() === '') throw new UserInputError(`${field}: must not be empty.`);
  if (value.length > max) throw new UserInputError(`${field}: longer than ${max} characters (got ${value.length}).`);
  return value;
}

/** The shared arguments → the service's question options (the snapshot is resolved separately). */
export function toQuestionOptions(args: QuestionArgs & Partial<PathQuestionArgs & WhoCanArgs>): Omit<QuestionOptions, 'snapshot'> {
  const context = toContext(args.context);
  const maxHops = wholeNumber(args.maxHops, 'maxHops', MAX_HOPS);
  const maxPaths = wholeNumber(args.maxPaths, 'maxPaths', MAX_PATHS);
  return {
    ...(context ? { context } : {}),
    ...(maxHops !== undefined ? { maxHops } : {}),
    ...(maxPaths !== undefined ? { maxPaths } : {}),
    ...(args.includeRoot ? { includeRoot: true } : {}),
    ...(args.includeDenied ? { includeDenied: true } : {}),
  };
}

/** A list argument that filters (kinds, apis): absent means all; an empty list would ask for nothing, which is refused. */
export function nonEmpty<T>(list: readonly T[] | null | undefined, field: string): readonly T[] | undefined {
  if (list === null || list === undefined) return undefined;
  if (list.length === 0) throw new UserInputError(`${field}: give at least one value, or leave ${field} out for all.`);
  return list;
}
