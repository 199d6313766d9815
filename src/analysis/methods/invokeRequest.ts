import { parseExecuteApiArn } from '../../policy';
import { isRequestVerb, type RequestVerb } from './verbs';

/**
 * The execute-api ARN IAM checks for one caller's request, and back:
 * `arn:{partition}:execute-api:{region}:{account}:{api-id}/{stage}/{VERB}/{path}`
 * where `{path}` is the concrete request path without its leading `/`
 * (`…/prod/GET/pets/a1b2`; the root is `…/prod/GET/`).
 * Sources: AGDG "Control access for invoking an API" (statement reference,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html)
 * and "API Gateway Amazon Resource Name (ARN) reference"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html);
 * rules 12 and 14 of docs/policy-engine.md ("Rules and their pages").
 *
 * **The verb is the request's concrete verb, never `ANY`.** The AGDG statement
 * reference says `HTTP-VERB` "is the HTTP verb for the method. It can be one of
 * the following: GET, POST, PUT, DELETE, PATCH" (no `ANY`), and an `ANY`
 * method "represents any HTTP method that is to be supplied at run time" (AGDG
 * "Set up a method request", "Set up an HTTP method"). The AWS Knowledge Center
 * article on Lambda authorizers with proxy resources
 * (https://aws.amazon.com/premiumsupport/knowledge-center/api-gateway-lambda-authorization-errors/)
 * gives the resource a request is checked against as
 * `…/<stage>/<http-method>/<resource-path-name>/<child-resources-path>`, the
 * concrete path under `{proxy+}`. So a caller's request to `ANY /admin/{proxy+}`
 * is checked against e.g. `…/prod/POST/admin/users/7`. (Unrelated: the
 * `aws:SourceArn` API Gateway presents to Lambda for an `ANY` method does carry
 * `ANY`, aws/aws-sam-cli#289; that is not a caller's request.)
 * HEAD and OPTIONS are accepted too, since `ANY` serves them.
 */
export interface InvokeRequest {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly apiId: string;
  readonly stage: string;
  readonly verb: RequestVerb;
  /** The concrete request path, with its leading `/` (`/pets/a1b2`, root `/`). */
  readonly path: string;
}

export type InvokeRequestParse = { readonly ok: true; readonly request: InvokeRequest } | { readonly ok: false; readonly message: string };

/** `arn:…:execute-api:{region}:{account}:{api-id}` + `/{stage}/{VERB}{path}` (path with its leading `/`). */
export function requestArn(apiArn: string, stage: string, verb: string, path: string): string {
  return `${apiArn}/${stage}/${verb}${path}`;
}

const WILDCARD = /[*?]/;
const STAGE = /^(?:[A-Za-z0-9_-]+|\$default)$/;
const API_ID = /^[A-Za-z0-9]+$/;
const FORMAT = 'arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{VERB}/{path}';

/**
 * Reads the ARN of one concrete request. Wildcards are refused with a message
 * naming the part (a request names one region, account, API, stage, verb and
 * path); so are `ANY`, WebSocket route keys and a missing path (the root is
 * `…/GET/`). The path is kept as written (see requestPath.ts for routing).
 */
export function parseInvokeRequest(arn: string): InvokeRequestParse {
  const fail = (message: string): InvokeRequestParse => ({ ok: false, message: `${message} (in ${JSON.stringify(arn)})` });
  const parsed = parseExecuteApiArn(arn);
  if (parsed === undefined) return { ok: false, message: `expected an execute-api request ARN ${FORMAT}, got ${JSON.stringify(arn)}` };
  const { partition, region, accountId: account, apiId, rest } = parsed;
  for (const [name, value] of [
    ['partition', partition],
    ['region', region],
    ['account', account],
    ['API id', apiId],
  ] as const) {
    if (WILDCARD.test(value)) return fail(`the ${name} is a wildcard (${JSON.stringify(value)}): a request ARN names one ${name}`);
    if (value === '') return fail(`the ${name} is empty`);
  }
  if (!/^\d{12}$/.test(account)) return fail(`the account must be 12 digits, got ${JSON.stringify(account)}`);
  if (!API_ID.test(apiId)) return fail(`the API id must be letters and digits, got ${JSON.stringify(apiId)}`);

  const firstSlash = rest.indexOf('/');
  const stage = firstSlash < 0 ? rest : rest.slice(0, firstSlash);
  if (stage === '') return fail(`the stage is missing; expected ${FORMAT}`);
  if (WILDCARD.test(stage)) return fail(`the stage is a wildcard (${JSON.stringify(stage)}): a request ARN names one stage`);
  if (!STAGE.test(stage)) return fail(`the stage ${JSON.stringify(stage)} is not a stage name (letters, digits, "-", "_", or "$default")`);
  if (firstSlash < 0) return fail(`the verb and path are missing after stage ${JSON.stringify(stage)}; expected ${FORMAT}`);

  const afterStage = rest.slice(firstSlash + 1);
  const secondSlash = afterStage.indexOf('/');
  const verb = secondSlash < 0 ? afterStage : afterStage.slice(0, secondSlash);
  if (verb === '') return fail(`the verb is missing after stage ${JSON.stringify(stage)}`);
  if (WILDCARD.test(verb)) return fail(`the verb is a wildcard (${JSON.stringify(verb)}): a request ARN names one verb`);
  if (verb === 'ANY') return fail('the verb is ANY: ANY is a method, a request carries its concrete verb (GET, POST, …)');
  if (!isRequestVerb(verb)) {
    if (secondSlash < 0 && verb.startsWith('$'))
      return fail(`${JSON.stringify(verb)} looks like a WebSocket route key; only REST and HTTP API requests are supported`);
    return fail(
      `the verb ${JSON.stringify(verb)} is not an HTTP verb (expected one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, upper case)`,
    );
  }
  if (secondSlash < 0) return fail(`the path is missing after verb ${verb}; the root path is "…/${verb}/"`);

  const path = `/${afterStage.slice(secondSlash + 1)}`;
  if (WILDCARD.test(path)) return fail(`the path is a wildcard pattern (${JSON.stringify(path)}): a request ARN names one concrete path`);
  return { ok: true, request: { partition, region, account, apiId, stage, verb, path } };
}
