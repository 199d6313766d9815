import { parseArn } from '../../policy';

/**
 * A Lambda function ARN, `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`,
 * where the qualifier is `$LATEST`, a version number or an alias name.
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html (FunctionName pattern)
 */
export interface FunctionArn {
  partition: string;
  region: string;
  account: string;
  name: string;
  qualifier: string | null;
  /** The ARN without the qualifier: the key of the function. */
  unqualified: string;
}

const NAME = /^[A-Za-z0-9_-]{1,140}$/;
const QUALIFIER = /^(\$LATEST|[0-9]+|[A-Za-z0-9_-]+)$/;
const ACCOUNT = /^\d{12}$/;

/** Parses a function ARN; undefined when `value` is not one (wrong service, not `function:`, bad name). */
export function parseFunctionArn(value: string): FunctionArn | undefined {
  const arn = parseArn(value);
  if (arn === undefined || arn.service !== 'lambda' || arn.partition === '' || arn.region === '' || !ACCOUNT.test(arn.account))
    return undefined;
  const parts = arn.resource.split(':');
  if (parts[0] !== 'function' || parts.length < 2 || parts.length > 3) return undefined;
  const name = parts[1] ?? '';
  const qualifier = parts[2] ?? null;
  if (!NAME.test(name) || (qualifier !== null && !QUALIFIER.test(qualifier))) return undefined;
  return {
    partition: arn.partition,
    region: arn.region,
    account: arn.account,
    name,
    qualifier,
    unqualified: `arn:${arn.partition}:lambda:${arn.region}:${arn.account}:function:${name}`,
  };
}
