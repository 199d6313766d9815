import { UserInputError } from '../../errors';
import { parseExecuteApiArn } from '../../policy';
import type { PrincipalKind } from './records';

/**
 * Reading the identifiers the browsing queries take. Malformed input is a
 * BAD_USER_INPUT naming the argument and what was expected; well-formed input
 * that names nothing is the caller's NOT_FOUND. Values are never put into
 * Cypher text: they travel as parameters whatever they contain.
 */

function show(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\/(.+)$/s;

/** An IAM user or role ARN (`arn:aws:iam::<account>:user/<path/><name>`). */
export function parsePrincipalArn(arn: string, field = 'arn'): { account: string; kind: PrincipalKind } {
  const match = PRINCIPAL_ARN.exec(arn);
  if (!match) {
    throw new UserInputError(
      `${field}: expected the ARN of an IAM user or role, such as arn:aws:iam::333344445555:user/bob-caller or arn:aws:iam::333344445555:role/platform-admin, got ${show(arn)}.`,
    );
  }
  return { account: match[1] ?? '', kind: match[2] as PrincipalKind };
}

export function checkAccountId(account: string, field: string): void {
  if (!/^\d{12}$/.test(account))
    throw new UserInputError(`${field}: expected a 12-digit AWS account id such as 333344445555, got ${show(account)}.`);
}

/** API Gateway API ids: letters and digits (`a1b2c3d4e5`). */
export function checkApiId(id: string, field: string): void {
  if (!/^[A-Za-z0-9]{1,64}$/.test(id))
    throw new UserInputError(`${field}: expected an API Gateway API id (letters and digits, such as a1b2c3d4e5), got ${show(id)}.`);
}

export interface MethodArnRef {
  /** `arn:<partition>:execute-api:<region>:<account>:<api-id>`. */
  apiArn: string;
  apiId: string;
  stage: string;
  /** GET, POST, …, ANY, or `$default` (an HTTP API's default route). */
  verb: string;
  /** The path with its leading `/`: a template (`/pets/{id}`) or a concrete request path (`/pets/42`); `/` for the root. */
  path: string;
}

const VERBS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'];
const EXAMPLE = 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets/{id}';

/** An execute-api method ARN: `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<VERB>/<path>`, or `…/<stage>/$default`. */
export function parseMethodArn(arn: string, field = 'arn'): MethodArnRef {
  const bad = (why: string): never => {
    throw new UserInputError(`${field}: ${why}; expected an execute-api method ARN such as ${EXAMPLE}, got ${show(arn)}.`);
  };
  const parsed = parseExecuteApiArn(arn);
  if (parsed === undefined) return bad('not an execute-api ARN');
  const { partition, region, accountId, apiId, rest } = parsed;
  if (/[*?]/.test(arn)) bad('wildcards name many methods (they belong in policies), and a method ARN names one');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) bad(`the region ${show(region)} is not an AWS region`);
  if (!/^\d{12}$/.test(accountId)) bad(`the account ${show(accountId)} is not 12 digits`);
  if (!/^[A-Za-z0-9]+$/.test(apiId)) bad(`the API id ${show(apiId)} is not letters and digits`);
  const parts = rest.split('/');
  const stage = parts[0] ?? '';
  if (stage === '') bad('the stage is missing');
  if (!/^(?:[A-Za-z0-9_-]+|\$default)$/.test(stage))
    bad(`the stage ${show(stage)} is not a stage name (letters, digits, "-", "_", or "$default")`);
  const verb = parts[1] ?? '';
  const apiArn = `arn:${partition}:execute-api:${region}:${accountId}:${apiId}`;
  if (verb === '$default' && parts.length === 2) return { apiArn, apiId, stage, verb, path: '' };
  const upper = verb.toUpperCase();
  if (!VERBS.includes(upper)) bad(`the verb ${show(verb)} is not one of ${VERBS.join(', ')} (or $default for an HTTP API's default route)`);
  return { apiArn, apiId, stage, verb: upper, path: `/${parts.slice(2).join('/')}` };
}
