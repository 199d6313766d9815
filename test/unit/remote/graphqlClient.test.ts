import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../src/errors';
import { endpointOf, GraphQLClient, RemoteAccessSource, reviewOnServer } from '../../../src/services/remote';

/**
 * The GraphQL client of remote mode against a stand-in server: what it
 * sends, and how each kind of failure becomes one clear error.
 */
interface Seen {
  authorization: string | undefined;
  body: { query: string; variables: Record<string, unknown> };
}

describe('the GraphQL client of remote mode', () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  let reply: (seen: Seen) => { status: number; body: unknown };

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const s: Seen = { authorization: req.headers.authorization, body: JSON.parse(text) as Seen['body'] };
        seen.push(s);
        const r = reply(s);
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the operation to /graphql with the bearer token, and returns data', async () => {
    reply = () => ({ status: 200, body: { data: { health: { ok: true } } } });
    seen.length = 0;
    const client = new GraphQLClient({ url, token: 'whocan_secret' });
    assert.equal(client.url, `${url}/graphql`);
    assert.deepEqual(await client.request('{ health { ok } }', { a: 1 }), { health: { ok: true } });
    assert.equal(seen[0]!.authorization, 'Bearer whocan_secret');
    assert.deepEqual(seen[0]!.body, { query: '{ health { ok } }', variables: { a: 1 } });
    await new GraphQLClient({ url }).request('{ health { ok } }');
    assert.equal(seen[1]!.authorization, undefined, 'no token, no header');
  });

  it("a refused token, the server's error codes and broken answers become AppErrors naming the server, never the token", async () => {
    const client = new GraphQLClient({ url, token: 'whocan_secret' });
    const fails = async (status: number, body: unknown, code: string, message: RegExp) => {
      reply = () => ({ status, body });
      await assert.rejects(client.request('{ x }'), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, code);
        assert.match(error.describe(), message);
        assert.doesNotMatch(error.describe(), /whocan_secret/);
        return true;
      });
    };
    await fails(
      401,
      { errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] },
      'UNAUTHENTICATED',
      /refused the request: the API token is not valid there \(give it with --token or WHOCAN_TOKEN\)/,
    );
    await fails(
      200,
      { errors: [{ message: 'maxHops: expected 0 to 10', extensions: { code: 'BAD_USER_INPUT', details: ['maxHops: 30'] } }] },
      'BAD_USER_INPUT',
      /^maxHops: expected 0 to 10 \(the whocan server at http:.*\/graphql\)\n {2}- maxHops: 30$/,
    );
    // A whocan server's message carries its detail lines too: they are shown once.
    await fails(
      200,
      {
        errors: [
          {
            message: 'Not valid (2 problems):\n  - a:1:1: x\n  - a:2:1: y',
            extensions: { code: 'BAD_USER_INPUT', details: ['a:1:1: x', 'a:2:1: y'] },
          },
        ],
      },
      'BAD_USER_INPUT',
      /^Not valid \(2 problems\): \(the whocan server at http:.*\/graphql\)\n {2}- a:1:1: x\n {2}- a:2:1: y$/,
    );
    await fails(
      200,
      { errors: [{ message: 'No API x', extensions: { code: 'NOT_FOUND' } }] },
      'NOT_FOUND',
      /^No API x \(the whocan server at /,
    );
    await fails(
      200,
      { errors: [{ message: 'too long', extensions: { code: 'TIMEOUT' } }] },
      'TIMEOUT',
      /stopped the request at its time limit/,
    );
    await fails(
      500,
      { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r-1' } }] },
      'GRAPH_UNAVAILABLE',
      /answered with an error \(INTERNAL_SERVER_ERROR, request id r-1\): Internal server error/,
    );
    await fails(502, '<html>bad gateway</html>', 'GRAPH_UNAVAILABLE', /answered HTTP 502 without data: <html>bad gateway/);
  });

  it('an unreachable server is one clear error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = new GraphQLClient({ url: `http://127.0.0.1:${port}/graphql` });
    await assert.rejects(
      client.request('{ x }'),
      new RegExp(`^AppError: The whocan server at http://127\\.0\\.0\\.1:${port}/graphql is not reachable: ECONNREFUSED\\.$`),
    );
  });

  it('pages through a connection, halving the page size when the server finds the query too costly', async () => {
    const roles = Array.from({ length: 7 }, (_, i) => `arn:aws:iam::333344445555:role/r${i}`);
    seen.length = 0;
    reply = (s) => {
      const first = s.body.variables['first'] as number;
      if (first > 2) return { status: 400, body: { errors: [{ message: 'too costly', extensions: { code: 'QUERY_TOO_COMPLEX' } }] } };
      const start = s.body.variables['after'] === null ? 0 : Number(s.body.variables['after']);
      const nodes = roles.slice(start, start + first).map((arn) => ({ arn }));
      const end = start + nodes.length;
      return {
        status: 200,
        body: {
          data: { principals: { nodes, totalCount: roles.length, pageInfo: { hasNextPage: end < roles.length, endCursor: String(end) } } },
        },
      };
    };
    const source = new RemoteAccessSource({ url });
    assert.deepEqual(await source.roles('s1'), [...roles].sort());
    assert.deepEqual(
      seen.map((s) => [s.body.variables['first'], s.body.variables['after']]),
      [
        [100, null],
        [50, null],
        [25, null],
        [12, null],
        [6, null],
        [3, null],
        [1, null],
        [1, '1'],
        [1, '2'],
        [1, '3'],
        [1, '4'],
        [1, '5'],
        [1, '6'],
      ],
    );
    assert.match(seen[0]!.body.query, /principals\(filter: \{ kind: ROLE \}, snapshot: \$snapshot/);
    assert.equal(seen[0]!.body.variables['snapshot'], 's1');
  });

  it("whoCan carries each principal's bestHops, direct access and VPC endpoints back in the service's shape", async () => {
    const condition = {
      when: 'ArnLike AWS:SourceArn ["x"]',
      keys: ['aws:sourcearn'],
      clauses: [{ key: 'AWS:SourceArn', operator: 'ArnLike', values: ['x'], effect: 'ALLOW', policy: 'p', statement: 's' }],
    };
    const node = (extra: Record<string, unknown>) => ({
      kind: 'SERVICE',
      decision: 'ALLOWED',
      hops: 0,
      morePaths: false,
      conditions: [],
      partial: null,
      paths: [],
      bestHops: 0,
      direct: null,
      endpoints: null,
      ...extra,
    });
    reply = () => ({
      status: 200,
      body: {
        data: {
          whoCan: {
            resource: 'r',
            action: 'execute-api:Invoke',
            public: false,
            snapshot: 's1',
            method: null,
            stats: { candidates: 1, decisions: 1, milliseconds: 1 },
            principals: {
              nodes: [
                node({
                  arn: 'apigateway.amazonaws.com',
                  bestHops: 1,
                  direct: { decision: 'CONDITIONAL', conditions: [condition], partial: null },
                }),
                node({
                  arn: 'anonymous',
                  kind: 'ANONYMOUS',
                  endpoints: [
                    {
                      endpoint: 'vpce-0a1b2c3d4e5f60789',
                      vpc: 'vpc-0123456789abcdef0',
                      account: '333344445555',
                      privateDns: true,
                      policy: 'k',
                      decision: 'ALLOWED',
                      hops: 0,
                    },
                  ],
                }),
              ],
              totalCount: 2,
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        },
      },
    });
    const answer = await new RemoteAccessSource({ url }).whoCan('execute-api:Invoke', 'r', { snapshot: 's1' });
    const [gateway, anonymous] = answer.principals;
    assert.deepEqual(
      [gateway?.decision, gateway?.hops, gateway?.bestHops, gateway?.direct],
      [
        'allowed',
        0,
        1,
        {
          decision: 'conditional',
          conditions: [
            {
              when: condition.when,
              keys: ['aws:sourcearn'],
              clauses: [{ key: 'AWS:SourceArn', operator: 'ArnLike', values: ['x'], effect: 'Allow', policy: 'p', statement: 's' }],
            },
          ],
        },
      ],
    );
    assert.equal('endpoints' in gateway!, false);
    assert.equal('direct' in anonymous!, false);
    assert.deepEqual(anonymous?.endpoints, [
      {
        endpoint: 'vpce-0a1b2c3d4e5f60789',
        vpc: 'vpc-0123456789abcdef0',
        account: '333344445555',
        privateDns: true,
        policy: 'k',
        decision: 'allowed',
        hops: 0,
      },
    ]);
  });

  it('whoCan carries the reason AWS refuses an action to everybody (refused), and leaves it out when there is none', async () => {
    const answerWith = (refused: string | null) => ({
      status: 200,
      body: {
        data: {
          whoCan: {
            resource: 'arn:aws:iam::111122223333:role/aws-service-role/x/AWSServiceRoleForX',
            action: 'iam:UpdateAssumeRolePolicy',
            public: false,
            refused,
            snapshot: 's1',
            method: null,
            stats: { candidates: 0, decisions: 0, milliseconds: 1 },
            principals: { nodes: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } },
          },
        },
      },
    });
    reply = () => answerWith('a service-linked role cannot be changed through IAM');
    const refused = await new RemoteAccessSource({ url }).whoCan('iam:UpdateAssumeRolePolicy', 'r', { snapshot: 's1' });
    assert.equal(refused.refused, 'a service-linked role cannot be changed through IAM');
    assert.match(seen.at(-1)!.body.query, /public refused snapshot/);
    reply = () => answerWith(null);
    const open = await new RemoteAccessSource({ url }).whoCan('iam:UpdateAssumeRolePolicy', 'r', { snapshot: 's1' });
    assert.equal('refused' in open, false);
  });

  it("review sends the rules file and options to the server's review query on the snapshot found first, and names the server as origin; a server without the query gives undefined", async () => {
    const report = { file: 'ci/rules.yaml', snapshot: 's1', origin: 'whocan server', results: [], counts: { rules: 0 } };
    seen.length = 0;
    reply = (s) =>
      /snapshots\(/.test(s.body.query)
        ? {
            status: 200,
            body: {
              data: {
                snapshots: {
                  nodes: [
                    { id: 's0', current: false, state: 'COMPLETE' },
                    { id: 's1', current: true, state: 'COMPLETE' },
                  ],
                  totalCount: 2,
                  pageInfo: { hasNextPage: false, endCursor: null },
                },
              },
            },
          }
        : { status: 200, body: { data: { review: { report } } } };
    const source = new RemoteAccessSource({ url, token: 'whocan_secret' });
    const got = await source.review({ text: 'version: 1\nrules: []\n', file: 'ci/rules.yaml' }, { only: ['a'], maxPaths: 2, all: true });
    assert.deepEqual(got, { ...report, origin: `${url}/graphql` });
    assert.equal(seen.length, 2);
    assert.match(seen[1]!.body.query, /review\(rules: \$rules, snapshot: \$snapshot, options: \$options\)/);
    assert.deepEqual(seen[1]!.body.variables, {
      rules: 'version: 1\nrules: []\n',
      snapshot: 's1',
      options: { file: 'ci/rules.yaml', rules: ['a'], maxHops: null, maxPaths: 2, maxViolations: null, maxAccess: null, all: true },
    });

    const client = new GraphQLClient({ url });
    reply = () => ({
      status: 400,
      body: { errors: [{ message: 'Cannot query field "review" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    });
    assert.equal(
      await reviewOnServer(client, { text: 'x', file: 'f' }, {}),
      undefined,
      'an older server: the review is asked question by question',
    );
    reply = () => ({
      status: 200,
      body: {
        errors: [
          { message: 'The rules file f is not valid', extensions: { code: 'BAD_USER_INPUT', details: ['f:1:1: expected an object'] } },
        ],
      },
    });
    await assert.rejects(
      reviewOnServer(client, { text: 'x', file: 'f' }, {}),
      /^UserInputError: The rules file f is not valid \(the whocan server at /,
    );
  });

  it('--server takes the endpoint or the base URL; anything else is refused', () => {
    assert.equal(endpointOf('https://whocan.example.com'), 'https://whocan.example.com/graphql');
    assert.equal(endpointOf('http://127.0.0.1:4000/'), 'http://127.0.0.1:4000/graphql');
    assert.equal(endpointOf('https://proxy.example.com/whocan/graphql'), 'https://proxy.example.com/whocan/graphql');
    assert.throws(() => endpointOf('whocan.example.com'), /expected the URL of a whocan server/);
    assert.throws(() => endpointOf('ftp://x'), /expected an http:\/\/ or https:\/\/ URL/);
    assert.throws(() => endpointOf('https://user:secret@x'), /put the API token in --token or WHOCAN_TOKEN, not in the URL/);
  });
});
