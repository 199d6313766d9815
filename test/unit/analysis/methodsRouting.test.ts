import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { seedDir } from '../../../src/config/paths';
import {
  checkRequestPath,
  inferApiKind,
  parsePathTemplate,
  requestArn,
  requestArnBelongsToTemplate,
  resolveMethod,
  type RoutableMethod,
} from '../../../src/analysis/methods';

/**
 * API Gateway routing (src/analysis/methods/resolve.ts) on the seed's
 * petstore-api and petstore-events, on the AGDG examples, and on random
 * route tables (invariants).
 */
const PROD = path.join(seedDir(), '333344445555', 'us-east-1');
const REST_KEY = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5';
const HTTP_KEY = 'arn:aws:apigateway:us-east-1::/apis/h7t8p9a0b1';

interface SeedResource {
  path: string;
  resourceMethods?: Record<string, unknown>;
}

/** petstore-api's methods and resource paths, read from the seed files as the AWS CLI printed them. */
function seedRest(): { methods: RoutableMethod[]; resourcePaths: string[] } {
  const file = JSON.parse(readFileSync(path.join(PROD, 'apigateway', 'a1b2c3d4e5', 'resources.json'), 'utf8')) as { items: SeedResource[] };
  const methods = file.items.flatMap((r) =>
    Object.keys(r.resourceMethods ?? {}).map((verb) => ({ key: `${REST_KEY}/methods/${verb} ${r.path}`, verb, path: r.path })),
  );
  return { methods, resourcePaths: file.items.map((r) => r.path) };
}

function seedHttp(): RoutableMethod[] {
  const file = JSON.parse(readFileSync(path.join(PROD, 'apigatewayv2', 'h7t8p9a0b1', 'routes.json'), 'utf8')) as {
    Items: { RouteKey: string }[];
  };
  return file.Items.map((r) => {
    const [verb, p] = r.RouteKey === '$default' ? ['*', '*'] : (r.RouteKey.split(' ') as [string, string]);
    return { key: `${HTTP_KEY}/methods/${r.RouteKey}`, verb, path: p };
  });
}

function rest(...routes: string[]): RoutableMethod[] {
  return routes.map((r) => {
    const [verb, p] = r.split(' ') as [string, string];
    return { key: `${REST_KEY}/methods/${r}`, verb, path: p };
  });
}

function http(...routes: string[]): RoutableMethod[] {
  return routes.map((r) => {
    const [verb, p] = r === '$default' ? ['*', '*'] : (r.split(' ') as [string, string]);
    return { key: `${HTTP_KEY}/methods/${r}`, verb, path: p };
  });
}

/** `VERB path` of the method serving the request, or undefined. */
function served(methods: readonly RoutableMethod[], verb: string, p: string, options = {}): string | undefined {
  const r = resolveMethod(methods, verb, p, options);
  if (!r) return undefined;
  return r.method.verb === '*' ? '$default' : `${r.method.verb} ${r.method.path}`;
}

describe('resolveMethod: REST (seed petstore-api)', () => {
  const { methods, resourcePaths } = seedRest();

  it('reads the five seed methods', () => {
    assert.deepEqual(methods.map((m) => `${m.verb} ${m.path}`).sort(), [
      'ANY /admin/{proxy+}',
      'DELETE /pets/{id}',
      'GET /pets',
      'GET /pets/{id}',
      'POST /pets',
    ]);
    assert.equal(inferApiKind(methods), 'REST');
  });

  it('routes each method and binds path parameters', () => {
    assert.equal(served(methods, 'GET', '/pets'), 'GET /pets');
    assert.equal(served(methods, 'POST', '/pets'), 'POST /pets');
    assert.deepEqual(resolveMethod(methods, 'GET', '/pets/a1b2')?.params, { id: 'a1b2' });
    assert.equal(served(methods, 'GET', '/pets/a1b2'), 'GET /pets/{id}');
    assert.equal(served(methods, 'DELETE', '/pets/1'), 'DELETE /pets/{id}');
    const admin = resolveMethod(methods, 'PATCH', '/admin/users/7');
    assert.equal(admin?.method.path, '/admin/{proxy+}');
    assert.deepEqual(admin?.params, { proxy: 'users/7' });
  });

  it('ANY serves every verb; a verb the resource lacks is served by nothing', () => {
    for (const verb of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])
      assert.equal(served(methods, verb, '/admin/x'), 'ANY /admin/{proxy+}', verb);
    assert.equal(served(methods, 'PUT', '/pets'), undefined);
    assert.equal(served(methods, 'PATCH', '/pets/1'), undefined);
  });

  it('serves nothing for unknown paths, the root, a resource without methods and paths beyond a {param}', () => {
    assert.equal(served(methods, 'GET', '/'), undefined);
    assert.equal(served(methods, 'GET', '/admin', { resourcePaths }), undefined);
    assert.equal(served(methods, 'GET', '/pets/1/owner'), undefined);
    assert.equal(served(methods, 'GET', '/cats'), undefined);
    assert.equal(served(methods, 'GET', '/Pets'), undefined, 'paths are case-sensitive');
  });

  it('{proxy+} needs at least one segment', () => {
    assert.equal(served(methods, 'GET', '/admin'), undefined);
  });

  it('verbs are matched in upper case; unknown verbs are served by nothing', () => {
    assert.equal(served(methods, 'get', '/pets'), 'GET /pets');
    assert.equal(served(methods, 'FETCH', '/pets'), undefined);
    assert.equal(served(methods, 'ANY', '/admin/x'), undefined, 'ANY is a method verb, not a request verb');
  });
});

describe('resolveMethod: REST precedence (AGDG "Use a proxy resource to streamline API setup")', () => {
  const { methods, resourcePaths } = seedRest();
  const withRootProxy = [...methods, ...rest('ANY /{proxy+}')];

  it('a literal resource takes precedence over a sibling {proxy+}', () => {
    assert.equal(served(withRootProxy, 'GET', '/pets'), 'GET /pets');
    assert.equal(served(withRootProxy, 'GET', '/food/dry/1'), 'ANY /{proxy+}');
    assert.deepEqual(resolveMethod(withRootProxy, 'GET', '/food/dry/1')?.params, { proxy: 'food/dry/1' });
  });

  it('siblings are excluded from the proxy: no fallback for a missing verb or a dead end', () => {
    assert.equal(served(withRootProxy, 'PUT', '/pets'), undefined);
    assert.equal(served(withRootProxy, 'GET', '/pets/1/owner'), undefined);
  });

  it('a resource without methods still excludes its subtree from the proxy when resource paths are given', () => {
    assert.equal(served(withRootProxy, 'GET', '/admin', { resourcePaths }), undefined);
    assert.equal(served(withRootProxy, 'GET', '/food/x', { resourcePaths: [...resourcePaths, '/food'] }), undefined);
    assert.equal(served(withRootProxy, 'GET', '/food/x'), 'ANY /{proxy+}', 'without the resource list, /food is unknown');
  });

  it('/{proxy+} does not serve the root', () => {
    assert.equal(served(withRootProxy, 'GET', '/'), undefined);
    assert.equal(served([...withRootProxy, ...rest('GET /')], 'GET', '/'), 'GET /');
  });

  it('a literal wins over a {param}, which wins over {proxy+}, at the same level', () => {
    const m = rest('GET /pets/search', 'GET /pets/{id}', 'GET /pets/{rest+}', 'GET /pets/{id}/toys');
    assert.equal(served(m, 'GET', '/pets/search'), 'GET /pets/search');
    assert.equal(served(m, 'GET', '/pets/7'), 'GET /pets/{id}');
    assert.equal(served(m, 'GET', '/pets/7/toys'), 'GET /pets/{id}/toys');
    assert.equal(served(m, 'GET', '/pets/7/food'), undefined, 'no backtracking from /pets/{id} to /pets/{rest+}');
  });

  it('an explicit verb wins over ANY on the same resource', () => {
    const m = rest('GET /pets/{id}', 'ANY /pets/{id}');
    assert.equal(served(m, 'GET', '/pets/1'), 'GET /pets/{id}');
    assert.equal(served(m, 'PATCH', '/pets/1'), 'ANY /pets/{id}');
  });
});

describe('resolveMethod: HTTP APIs (AGDG "Create routes for HTTP APIs")', () => {
  it('the AGDG routing example', () => {
    const m = http('GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default');
    assert.equal(inferApiKind(m), 'HTTP');
    assert.equal(served(m, 'GET', '/pets/dog/1'), 'GET /pets/dog/{id}');
    assert.equal(served(m, 'GET', '/pets/cat/1'), 'GET /pets/{proxy+}');
    assert.equal(served(m, 'POST', '/test/5'), 'ANY /{proxy+}');
    assert.equal(served(m, 'GET', '/'), '$default', 'no greedy route serves the root');
    assert.deepEqual(resolveMethod(m, 'GET', '/pets/cat/1')?.params, { proxy: 'cat/1' });
  });

  it('seed petstore-events: three routes, no $default', () => {
    const m = seedHttp();
    assert.equal(inferApiKind(m), 'HTTP');
    assert.equal(served(m, 'GET', '/events'), 'GET /events');
    assert.equal(served(m, 'POST', '/events'), 'POST /events');
    assert.equal(served(m, 'GET', '/status'), 'GET /status');
    assert.equal(served(m, 'PUT', '/events'), undefined);
    assert.equal(served(m, 'GET', '/status/x'), undefined);
    assert.equal(served([...m, ...http('$default')], 'PUT', '/events'), '$default');
  });

  it('a full match beats a greedy one, whatever the verbs', () => {
    const m = http('ANY /pets/{id}', 'GET /pets/{proxy+}');
    assert.equal(served(m, 'GET', '/pets/1'), 'ANY /pets/{id}');
    assert.equal(served(m, 'GET', '/pets/1/2'), 'GET /pets/{proxy+}');
  });

  it('literal over {param}; explicit verb over ANY; $default last', () => {
    const m = http('GET /pets/{id}', 'GET /pets/dog', 'ANY /pets/{id}', '$default');
    assert.equal(served(m, 'GET', '/pets/dog'), 'GET /pets/dog');
    assert.equal(served(m, 'GET', '/pets/cat'), 'GET /pets/{id}');
    assert.equal(served(m, 'DELETE', '/pets/cat'), 'ANY /pets/{id}');
    assert.equal(served(m, 'DELETE', '/pets/cat/1'), '$default');
  });

  it('the longer fixed prefix wins among greedy routes', () => {
    const m = http('ANY /{proxy+}', 'ANY /a/{proxy+}', 'ANY /a/{x}/{proxy+}', 'ANY /a/b/{proxy+}');
    assert.equal(served(m, 'GET', '/a/b/c'), 'ANY /a/b/{proxy+}');
    assert.equal(served(m, 'GET', '/a/z/c'), 'ANY /a/{x}/{proxy+}');
    assert.equal(served(m, 'GET', '/a/z'), 'ANY /a/{proxy+}');
    assert.equal(served(m, 'GET', '/z'), 'ANY /{proxy+}');
  });

  it('HTTP routing backtracks: a route is chosen whole, not resource by resource', () => {
    const m = http('GET /pets/{id}', 'GET /{proxy+}');
    assert.equal(served(m, 'GET', '/pets/1/owner'), 'GET /{proxy+}');
    assert.equal(served(m, 'GET', '/pets/1/owner', { kind: 'REST' }), undefined, 'the same table read as REST does not');
  });
});

describe('request paths: trailing slashes and URL encoding', () => {
  const { methods } = seedRest();

  it('a trailing slash or an empty segment is served by nothing, with a message', () => {
    assert.equal(served(methods, 'GET', '/pets/'), undefined);
    assert.equal(served(methods, 'GET', '/pets//1'), undefined);
    assert.match(checkRequestPath('/pets/') ?? '', /empty segment/);
    assert.equal(checkRequestPath('/pets'), undefined);
    assert.equal(checkRequestPath('/'), undefined);
  });

  it('a path must start with / and carry no query string', () => {
    assert.match(checkRequestPath('pets') ?? '', /starts with "\/"/);
    assert.match(checkRequestPath('/pets?x=1') ?? '', /query string/);
    assert.equal(served(methods, 'GET', '/pets?x=1'), undefined);
  });

  it('segments are split on "/" and then percent-decoded', () => {
    assert.deepEqual(resolveMethod(methods, 'GET', '/pets/a%2Fb')?.params, { id: 'a/b' });
    assert.deepEqual(resolveMethod(methods, 'GET', '/pets/caf%C3%A9')?.params, { id: 'café' });
    assert.equal(served(methods, 'GET', '/pet%73'), 'GET /pets');
    assert.equal(served(methods, 'GET', '/pets/%zz'), undefined);
    assert.match(checkRequestPath('/pets/%zz') ?? '', /percent-encoding/);
  });
});

describe('resolveMethod: invariants on random route tables', () => {
  // Parameter names are distinct within a path, as API Gateway requires.
  const segmentArb = fc.constantFrom('a', 'b', '{p}', '{q}');
  const templateArb = fc
    .tuple(fc.array(segmentArb, { maxLength: 3 }), fc.boolean())
    .map(([segs, greedy]) => `/${[...segs.map((s, i) => s.replace('}', `${i}}`)), ...(greedy ? ['{g+}'] : [])].join('/')}`);
  const routeArb = fc.tuple(fc.constantFrom('GET', 'POST', 'ANY'), templateArb);
  const tableArb = fc.uniqueArray(routeArb, { maxLength: 8, selector: ([v, p]) => `${v} ${p.replace(/\{[^}+]+\}/g, '{}')}` });
  const requestArb = fc.tuple(
    fc.constantFrom('GET', 'POST', 'PUT'),
    fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
  );

  it('the method chosen matches the request, and its parameters rebuild the path', () => {
    fc.assert(
      fc.property(
        tableArb,
        fc.boolean(),
        fc.constantFrom<'REST' | 'HTTP'>('REST', 'HTTP'),
        requestArb,
        (routes, withDefault, kind, [verb, p]) => {
          const table = (kind === 'REST' ? rest : http)(
            ...routes.map(([v, t]) => `${v} ${t}`),
            ...(withDefault && kind === 'HTTP' ? ['$default'] : []),
          );
          const r = resolveMethod(table, verb, p, { kind });
          const matching = table.filter(
            (m) =>
              m.verb !== '*' &&
              requestArnBelongsToTemplate(requestArn('arn:aws:execute-api:r:111111111111:x', 's', verb, p), {
                apiArn: 'arn:aws:execute-api:r:111111111111:x',
                stage: 's',
                verb: m.verb,
                path: m.path,
              }),
          );
          if (r === undefined) {
            if (kind === 'HTTP') assert.equal(matching.length, 0, 'HTTP: a matching route always serves');
            assert.ok(!(kind === 'HTTP' && withDefault), '$default catches the rest');
            return;
          }
          if (r.method.verb === '*') {
            assert.equal(matching.length, 0, '$default only when nothing else matches');
            return;
          }
          assert.ok(matching.includes(r.method), `${r.method.verb} ${r.method.path} serves ${verb} ${p}`);
          const parsed = parsePathTemplate(r.method.path);
          assert.ok(parsed.ok);
          const rebuilt = parsed.template.segments.map((s) => (s.kind === 'literal' ? s.text : (r.params[s.name] as string))).join('/');
          assert.equal(`/${rebuilt}`, p);
          const exact = table.find((m) => m.verb === verb && m.path === p);
          if (exact) assert.equal(r.method, exact, 'an exact literal route with the verb always wins');
        },
      ),
      { numRuns: 400 },
    );
  });
});
