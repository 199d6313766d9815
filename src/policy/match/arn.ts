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

/**
 * The account component of an ARN exactly as written: `''` for resources
 * without one (S3 buckets, `arn:aws:s3:::bucket`), `aws` for AWS managed
 * policies, `*` or a pattern in a policy's ARN, a 12-digit id otherwise;
 * `undefined` when `value` is not an ARN (no `arn:` prefix or fewer than
 * five colons). Use it where the raw component matters (the engine's
 * resource owner, keys, cross-account grants that must see `''`); use
 * `accountIdOfArn` for "which account owns this" and `principalAccountOf`
 * for the account of a calling principal.
 */
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

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account id of an ARN when its account component is a 12-digit id;
 * `undefined` otherwise (not an ARN, no account as in S3, `aws` for AWS
 * managed policies, `*`). Use it to look an owning account up (its resource
 * control policies, whether it was ingested).
 */
export function accountIdOfArn(value: string): string | undefined {
  const account = accountOfArn(value);
  return account !== undefined && ACCOUNT_ID.test(account) ? account : undefined;
}

/** Whether `partition` is the name of an AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`… */
export function isAwsPartition(partition: string): boolean {
  return /^aws[a-z-]*$/.test(partition);
}

/**
 * The account of an IAM or STS principal ARN (`arn:PARTITION:iam::ACCOUNT:…`
 * or `arn:PARTITION:sts::ACCOUNT:…`): a 12-digit id, or `*` when a policy
 * names "any account"; `undefined` for anything else (service principals,
 * `anonymous`, other services' ARNs, a region where IAM has none). Use it to
 * ask which account a caller acts from (inside or outside the organization).
 */
export function principalAccountOf(value: string): string | undefined {
  const arn = parseArn(value);
  if (arn === undefined || arn.region !== '' || (arn.service !== 'iam' && arn.service !== 'sts')) return undefined;
  if (!isAwsPartition(arn.partition)) return undefined;
  return arn.account === '*' || ACCOUNT_ID.test(arn.account) ? arn.account : undefined;
}
