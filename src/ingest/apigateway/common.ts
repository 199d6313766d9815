/**
 * What the REST (apigateway) and HTTP API (apigatewayv2) transforms share:
 * node keys, the integration's Lambda function and credentials, and the
 * decoding of the resource policy string `get-rest-apis` prints.
 */
import { parseArn } from '../../policy';
import type { IntegrationRow } from '../../model';
import { parseFunctionArn } from '../lambda/functionArn';
import type { JsonReader } from '../reader';

/** The partition of a region: aws-cn for China, aws-us-gov for GovCloud, aws otherwise. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:aws:apigateway:<region>::/restapis/<id>` (REST) or `…::/apis/<id>` (HTTP): the API's node key. */
export function apiKey(kind: 'REST' | 'HTTP', region: string, id: string): string {
  return `arn:${partitionOf(region)}:apigateway:${region}::/${kind === 'REST' ? 'restapis' : 'apis'}/${id}`;
}

/** `arn:aws:execute-api:<region>:<account>:<id>`: the prefix of every invoke ARN of the API. */
export function executeApiArn(region: string, account: string, id: string): string {
  return `arn:${partitionOf(region)}:execute-api:${region}:${account}:${id}`;
}

export const stageKey = (api: string, name: string): string => `${api}/stages/${name}`;
export const resourceKey = (api: string, id: string): string => `${api}/resources/${id}`;
/** `<api key>/methods/<VERB> <path>`; the HTTP API `$default` route (verb and path `*`) is `<api key>/methods/$default`. */
export const methodKey = (api: string, verb: string, path: string): string =>
  verb === '*' && path === '*' ? `${api}/methods/$default` : `${api}/methods/${verb} ${path}`;
export const integrationKey = (method: string): string => `${method}#integration`;
export const resourcePolicyKey = (owner: string): string => `${owner}#resource-policy`;

/** The HTTP verbs of REST methods and HTTP API routes (ANY: every verb). */
export const VERBS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);
export const INTEGRATION_TYPES: ReadonlySet<string> = new Set(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK']);

/** `arn:<partition>:apigateway:<region>:lambda:path/<date>/functions/<function ARN>/invocations` */
const LAMBDA_PATH_URI = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/+\d{4}-\d{2}-\d{2}\/functions\/(.+)\/invocations$/;

/**
 * The Lambda function an integration URI calls (unqualified ARN: an alias or
 * version qualifier is dropped, the function's resource policy is the
 * unqualified one's), or null when the URI names none.
 * - `arn:…:apigateway:…:lambda:path/2015-03-31/functions/<function ARN>/invocations` (REST, HTTP)
 * - `arn:…:lambda:…:function:<name>` directly (HTTP APIs)
 * A function chosen by a stage variable (`${stageVariables.fn}`) cannot be known: null and a warning.
 * Returns undefined (after a problem at `uri`) when the URI is meant to name a function but doesn't.
 */
export function lambdaOfUri(uri: JsonReader): string | null | undefined {
  const value = uri.value;
  if (typeof value !== 'string') return null;
  const path = LAMBDA_PATH_URI.exec(value);
  let fn: string;
  if (path) fn = path[1] as string;
  else if (parseArn(value)?.service === 'lambda') fn = value;
  else {
    const arn = parseArn(value);
    if (arn?.service === 'apigateway' && arn.account === 'lambda') {
      uri.problem(
        `expected a Lambda invocation URI arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations, got ${JSON.stringify(value)}`,
      );
      return undefined;
    }
    return null;
  }
  if (fn.includes('${')) {
    uri.warn(
      `the Lambda function is chosen by a stage variable (${JSON.stringify(fn)}): which function this integration calls is unknown, so no function is linked`,
    );
    return null;
  }
  const parsed = parseFunctionArn(fn);
  if (!parsed) {
    uri.problem(
      `expected a Lambda function ARN arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>], got ${JSON.stringify(fn)}`,
    );
    return undefined;
  }
  return parsed.unqualified;
}

/**
 * Integration credentials (rule 11): a role ARN (API Gateway assumes it),
 * `arn:aws:iam::*:user/*` (the caller's identity is passed through) or
 * absent (the function's resource policy decides). Undefined after a problem.
 */
export function credentialsOf(credentials: JsonReader): Pick<IntegrationRow, 'credentials' | 'credentialsMode' | 'roleArn'> | undefined {
  const value = credentials.value;
  if (value === undefined || value === null || value === '') return { credentials: null, credentialsMode: 'none', roleArn: null };
  if (typeof value !== 'string') {
    credentials.problem(
      `expected a role ARN or arn:aws:iam::*:user/*, got ${typeof value === 'object' ? 'an object' : JSON.stringify(value)}`,
    );
    return undefined;
  }
  if (/^arn:[^:]+:iam::\*:user\/\*$/.test(value)) return { credentials: value, credentialsMode: 'caller', roleArn: null };
  const arn = parseArn(value);
  if (arn && arn.service === 'iam' && /^\d{12}$/.test(arn.account) && /^role\/.+/.test(arn.resource)) {
    return { credentials: value, credentialsMode: 'role', roleArn: value };
  }
  credentials.problem(
    `expected a role ARN (arn:aws:iam::<account>:role/<name>) or arn:aws:iam::*:user/* (caller's identity), got ${JSON.stringify(value)}`,
  );
  return undefined;
}

/**
 * The resource policy `get-rest-apis` prints: a string whose quotes and
 * slashes are backslash-escaped (`{\"Version\":…arn:…:id\/prod…}`), i.e. a
 * JSON string literal without its outer quotes. Tries, in order: plain JSON;
 * the text decoded as a JSON string literal, then parsed; `\"`, `\/` and `\\`
 * unescaped, then parsed. URL-encoded text (`%7B…`) is decoded first.
 */
export function decodeApiPolicy(text: string): { ok: true; document: unknown } | { ok: false; message: string } {
  let source = text.trim();
  if (/^%7b/i.test(source)) {
    try {
      source = decodeURIComponent(source);
    } catch {
      return { ok: false, message: 'looks URL-encoded but is not valid URL encoding' };
    }
  }
  let firstError: string;
  try {
    return { ok: true, document: JSON.parse(source) as unknown };
  } catch (error) {
    firstError = error instanceof Error ? error.message : String(error);
  }
  try {
    const unquoted = JSON.parse(`"${source}"`) as string;
    return { ok: true, document: JSON.parse(unquoted) };
  } catch {
    // fall through: not a well-formed string literal (e.g. a bare quote next to escaped ones)
  }
  try {
    return { ok: true, document: JSON.parse(source.replace(/\\(["\\/])/g, '$1')) };
  } catch (error) {
    return {
      ok: false,
      message: `the resource policy is not valid JSON, even after removing backslash escapes (\\" \\/ \\\\): ${error instanceof Error ? error.message : String(error)} (as printed: ${firstError})`,
    };
  }
}
