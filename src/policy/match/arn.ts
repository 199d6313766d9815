/**
 * ARN helpers. An ARN has six colon-separated components; the sixth (the
 * resource) may itself contain colons.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into its components, or `undefined` when it is not `arn:p:s:r:a:resource`. */
export function parseArn(value: string): ParsedArn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = splitArnComponents(value);
  if (parts === undefined) return undefined;
  const [, partition, service, region, account, resource] = parts;
  return { partition, service, region, account, resource };
}

/**
 * The six components `[arn, partition, service, region, account, resource]`,
 * or `undefined` when the string has fewer than five colons.
 */
export function splitArnComponents(value: string): [string, string, string, string, string, string] | undefined {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i += 1) {
    const colon = value.indexOf(':', start);
    if (colon < 0) return undefined;
    out.push(value.slice(start, colon));
    start = colon + 1;
  }
  out.push(value.slice(start));
  return out as [string, string, string, string, string, string];
}

/** The account component of an ARN (may be empty, e.g. S3 buckets), or `undefined` when not an ARN. */
export function accountOfArn(value: string): string | undefined {
  if (!value.startsWith('arn:')) return undefined;
  let start = 4;
  for (let i = 0; i < 3; i += 1) {
    const colon = value.indexOf(':', start);
    if (colon < 0) return undefined;
    start = colon + 1;
  }
  const end = value.indexOf(':', start);
  return end < 0 ? undefined : value.slice(start, end);
}

export const ACCOUNT_ID = /^\d{12}$/;
