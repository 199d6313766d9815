/**
 * The HTTP verbs of API Gateway requests, and which verbs a method serves.
 *
 * - A method's verb is GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, or `ANY`;
 *   an HTTP API `$default` route is stored with verb `*` (src/model/rows.ts).
 * - `ANY` "represents any HTTP method that is to be supplied at run time … all
 *   of the supported HTTP methods of DELETE, GET, HEAD, OPTIONS, PATCH, POST,
 *   and PUT" (AGDG "Set up a method request in API Gateway", section "Set up an
 *   HTTP method",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html).
 *   HTTP APIs: "you can use the ANY method to match all methods that you
 *   haven't defined for a resource" (AGDG "Create routes for HTTP APIs",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
 * - A request always carries one concrete verb, and so does the execute-api ARN
 *   IAM checks for it (see docs/analysis.md, "Methods and concrete requests").
 */
export const REQUEST_VERBS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

export type RequestVerb = (typeof REQUEST_VERBS)[number];

const VERB_SET: ReadonlySet<string> = new Set(REQUEST_VERBS);

/** True for the verbs a request can carry (upper case, as in execute-api ARNs). */
export function isRequestVerb(value: string): value is RequestVerb {
  return VERB_SET.has(value);
}

/** True for a method verb that serves every request verb: `ANY`, or `*` (HTTP API `$default`). */
export function isAnyVerb(methodVerb: string): boolean {
  return methodVerb === 'ANY' || methodVerb === '*';
}

/** The request verbs a method serves (empty for a verb API Gateway does not know). */
export function servedVerbs(methodVerb: string): readonly RequestVerb[] {
  if (isAnyVerb(methodVerb)) return REQUEST_VERBS;
  return isRequestVerb(methodVerb) ? [methodVerb] : [];
}

/** Does a method with `methodVerb` serve a request with `requestVerb`? */
export function methodServesVerb(methodVerb: string, requestVerb: string): boolean {
  return isRequestVerb(requestVerb) && (isAnyVerb(methodVerb) || methodVerb === requestVerb);
}
