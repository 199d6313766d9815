import { parsePathTemplate, templateSegment, type PathTemplate, type TemplateSegment } from './pathTemplate';
import { requestPathSegments } from './requestPath';
import { isAnyVerb, isRequestVerb } from './verbs';

/**
 * API Gateway's routing: which method of one API serves a concrete request.
 *
 * **REST APIs** (AGDG "Set up a method request in API Gateway", section "Use a
 * proxy resource to streamline API setup",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html,
 * and "Set up a proxy integration with a proxy resource",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html):
 * resources form a tree; "when a proxy resource has non-proxy siblings, the
 * sibling resources are excluded from the representation of the proxy
 * resource … `/{proxy+}` refers to any resources under the root resource
 * except for the `/parent[/*]` resources. In other words, a method request
 * against a specific resource takes precedence over a method request against
 * a generic resource at the same level of the resource hierarchy." So the
 * request path is walked from the root, one segment at a time, choosing the
 * child that is a literal equal to the segment, else a `{param}` child, else a
 * `{proxy+}` child (which takes every remaining segment). There is no
 * backtracking: once `/pets` is chosen, `/{proxy+}` never serves `/pets/a/b`.
 * On the resource reached, the method with the request's verb serves it, else
 * the resource's `ANY` method, else nothing (no fallback to a sibling proxy).
 *
 * **HTTP APIs** (AGDG "Create routes for HTTP APIs", "Routing API requests",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html):
 * "API Gateway selects the route with the most-specific match, using the
 * following priorities: 1. Full match for a route and method. 2. Match for a
 * route and method with a greedy path variable ({proxy+}). 3. The $default
 * route." Among routes of the same priority whocan prefers, segment by segment
 * from the left, a literal over a `{param}` over the greedy variable (so a
 * longer fixed prefix wins: `GET /pets/{proxy+}` before `ANY /{proxy+}`, the
 * AGDG's own example), then an explicit verb over `ANY` ("ANY … match[es] all
 * methods that you haven't defined for a resource").
 *
 * `{param}` matches one non-empty segment and `{proxy+}` one or more; neither
 * matches the root. Request paths with empty segments or bad percent-encoding
 * are served by no method (see requestPath.ts).
 */
export interface RoutableMethod {
  readonly key: string;
  /** GET, POST, …, ANY; `*` for an HTTP API `$default` route. */
  readonly verb: string;
  /** The path template (`/pets/{id}`); `*` for `$default`. */
  readonly path: string;
}

export type ApiKind = 'REST' | 'HTTP';

export interface ResolveOptions {
  /**
   * REST or HTTP routing. When absent: HTTP if a method is a `$default` route
   * (verb `*`) or its key names an HTTP API (`…::/apis/<id>/methods/…`, see
   * MethodRow.key), REST otherwise.
   */
  readonly kind?: ApiKind;
  /**
   * REST: every resource path of the API (ApiResourceRow.path), including
   * resources without methods, such as `/admin` in seed/. Such a resource still
   * takes precedence over a sibling `{proxy+}`. Without it, the tree is the
   * method paths and their prefixes.
   */
  readonly resourcePaths?: readonly string[];
}

export interface ResolvedMethod<M extends RoutableMethod> {
  readonly method: M;
  /** Path parameters by name (without `+`), percent-decoded; a greedy value joins its segments with `/`. */
  readonly params: Record<string, string>;
}

/** REST or HTTP, as `ResolveOptions.kind` documents. */
export function inferApiKind(methods: readonly RoutableMethod[]): ApiKind {
  return methods.some((m) => m.verb === '*' || m.key.includes('::/apis/')) ? 'HTTP' : 'REST';
}

/**
 * The method of one API that serves `verb concretePath`, with the path
 * parameters it binds, or `undefined` when API Gateway would answer "not found"
 * / "Missing Authentication Token". `verb` is matched in upper case.
 */
export function resolveMethod<M extends RoutableMethod>(
  methods: readonly M[],
  verb: string,
  concretePath: string,
  options: ResolveOptions = {},
): ResolvedMethod<M> | undefined {
  const requestVerb = verb.toUpperCase();
  if (!isRequestVerb(requestVerb)) return undefined;
  const segments = requestPathSegments(concretePath);
  if (segments === undefined) return undefined;
  const kind = options.kind ?? inferApiKind(methods);
  return kind === 'REST'
    ? resolveRest(methods, requestVerb, segments, options.resourcePaths ?? [])
    : resolveHttp(methods, requestVerb, segments);
}

// ---------------------------------------------------------------- REST

interface ResourceNode<M> {
  readonly segment: TemplateSegment | undefined;
  readonly children: Map<string, ResourceNode<M>>;
  readonly methods: M[];
}

function newNode<M>(segment: TemplateSegment | undefined): ResourceNode<M> {
  return { segment, children: new Map(), methods: [] };
}

function insertPath<M>(root: ResourceNode<M>, path: string): ResourceNode<M> | undefined {
  const parsed = parsePathTemplate(path);
  if (!parsed.ok || parsed.template.catchAll) return undefined;
  let node = root;
  for (const segment of parsed.template.segments) {
    const text = segment.kind === 'literal' ? segment.text : segment.kind === 'param' ? `{${segment.name}}` : `{${segment.name}+}`;
    let child = node.children.get(text);
    if (!child) {
      child = newNode<M>(templateSegment(text));
      node.children.set(text, child);
    }
    node = child;
  }
  return node;
}

function resolveRest<M extends RoutableMethod>(
  methods: readonly M[],
  verb: string,
  segments: readonly string[],
  resourcePaths: readonly string[],
): ResolvedMethod<M> | undefined {
  const root = newNode<M>(undefined);
  for (const path of resourcePaths) insertPath(root, path);
  for (const method of methods) insertPath(root, method.path)?.methods.push(method);

  const params: Record<string, string> = {};
  let node = root;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as string;
    const children = [...node.children.values()];
    const literal = children.find((c) => c.segment?.kind === 'literal' && c.segment.text === segment);
    if (literal) {
      node = literal;
      continue;
    }
    // AWS refuses two path-variable siblings; if the data has them anyway, take the first by name, for a stable answer.
    const param = pickByName(children.filter((c) => c.segment?.kind === 'param'));
    if (param && param.segment?.kind === 'param') {
      params[param.segment.name] = segment;
      node = param;
      continue;
    }
    const greedy = pickByName(children.filter((c) => c.segment?.kind === 'greedy'));
    if (greedy && greedy.segment?.kind === 'greedy') {
      params[greedy.segment.name] = segments.slice(i).join('/');
      node = greedy;
      break;
    }
    return undefined;
  }
  const method = pickByKey(node.methods.filter((m) => m.verb === verb)) ?? pickByKey(node.methods.filter((m) => m.verb === 'ANY'));
  return method ? { method, params } : undefined;
}

function pickByName<M>(nodes: ResourceNode<M>[]): ResourceNode<M> | undefined {
  const name = (n: ResourceNode<M>): string => (n.segment && n.segment.kind !== 'literal' ? n.segment.name : '');
  return [...nodes].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0))[0];
}

function pickByKey<M extends RoutableMethod>(methods: M[]): M | undefined {
  return [...methods].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0];
}

// ---------------------------------------------------------------- HTTP

interface RouteMatch {
  readonly params: Record<string, string>;
  readonly greedy: boolean;
  /** Per template segment: 2 literal, 1 param, 0 greedy. */
  readonly kinds: readonly number[];
}

/** Does a (non-$default) template match the decoded request segments? */
export function matchPathTemplate(template: PathTemplate, segments: readonly string[]): RouteMatch | undefined {
  if (template.catchAll) return undefined;
  const params: Record<string, string> = {};
  const kinds: number[] = [];
  for (const [i, segment] of template.segments.entries()) {
    if (segment.kind === 'greedy') {
      if (segments.length <= i) return undefined;
      params[segment.name] = segments.slice(i).join('/');
      kinds.push(0);
      return { params, greedy: true, kinds };
    }
    const value = segments[i];
    if (value === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.text !== value) return undefined;
      kinds.push(2);
    } else {
      params[segment.name] = value;
      kinds.push(1);
    }
  }
  return segments.length === template.segments.length ? { params, greedy: false, kinds } : undefined;
}

function compareMatches(a: RouteMatch, b: RouteMatch): number {
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  const n = Math.max(a.kinds.length, b.kinds.length);
  for (let i = 0; i < n; i += 1) {
    const d = (b.kinds[i] ?? -1) - (a.kinds[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function resolveHttp<M extends RoutableMethod>(
  methods: readonly M[],
  verb: string,
  segments: readonly string[],
): ResolvedMethod<M> | undefined {
  let best: { method: M; match: RouteMatch } | undefined;
  for (const method of methods) {
    if (method.verb === '*' || !(method.verb === verb || method.verb === 'ANY')) continue;
    const parsed = parsePathTemplate(method.path);
    if (!parsed.ok) continue;
    const match = matchPathTemplate(parsed.template, segments);
    if (!match) continue;
    if (best === undefined) {
      best = { method, match };
      continue;
    }
    let order = compareMatches(match, best.match);
    if (order === 0) order = (isAnyVerb(method.verb) ? 1 : 0) - (isAnyVerb(best.method.verb) ? 1 : 0);
    if (order === 0) order = method.key < best.method.key ? -1 : 1;
    if (order < 0) best = { method, match };
  }
  if (best) return { method: best.method, params: best.match.params };
  const fallback = pickByKey(methods.filter((m) => m.verb === '*' && m.path === '*'));
  return fallback ? { method: fallback, params: {} } : undefined;
}
