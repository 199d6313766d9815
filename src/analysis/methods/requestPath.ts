/**
 * Concrete request paths (`/pets/a1b2`, root `/`), as a caller sends them and
 * as they appear at the end of the execute-api ARN IAM checks
 * (AGDG "Control access for invoking an API": a policy for `GET /pets/{petId}`
 * names `…/GET/pets/a1b2`;
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html).
 *
 * Decisions (AWS documents neither; see docs/analysis.md):
 * - **Trailing slash and empty segments.** `/pets/` and `/pets//1` are not
 *   normalised: a path with an empty segment is served by no method here, and
 *   `checkRequestPath` says why. Only the root is `/`.
 * - **URL encoding.** A path is split on literal `/` first, then each segment
 *   is percent-decoded (`%2F` stays inside its segment). Literal template
 *   segments are compared with the decoded segment, and parameters are
 *   returned decoded, as "API Gateway decodes URL-encoded request parameters
 *   before passing them to your backend integration" (AGDG "Create routes for
 *   HTTP APIs"). A malformed escape (`%zz`) is served by no method.
 * - The query string is not part of the path: pass the path without `?…`.
 */
export function checkRequestPath(path: string): string | undefined {
  if (!path.startsWith('/')) return `a request path starts with "/", got ${JSON.stringify(path)}`;
  if (/[?#]/.test(path)) return `a request path has no query string or fragment, got ${JSON.stringify(path)}`;
  if (path === '/') return undefined;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '')) {
    return `the request path ${JSON.stringify(path)} has an empty segment (a trailing "/" or "//"); AWS does not document how API Gateway routes it, so whocan serves it by no method`;
  }
  for (const s of segments) {
    if (decodeSegment(s) === undefined) return `the request path segment ${JSON.stringify(s)} is not valid percent-encoding`;
  }
  return undefined;
}

/** The decoded segments of a valid request path (`[]` for the root), or `undefined` when `checkRequestPath` objects. */
export function requestPathSegments(path: string): string[] | undefined {
  if (checkRequestPath(path) !== undefined) return undefined;
  if (path === '/') return [];
  const out: string[] = [];
  for (const s of path.slice(1).split('/')) {
    const decoded = decodeSegment(s);
    if (decoded === undefined) return undefined;
    out.push(decoded);
  }
  return out;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
