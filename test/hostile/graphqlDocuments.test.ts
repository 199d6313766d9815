import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Graph } from '../../src/db';
import {
  dataOf,
  firstError,
  type GraphQLResponse,
  ingest,
  postGraphQL,
  startTestServer,
  type TestServer,
} from '../integration/support/api';
import { resetGraph, testGraph } from '../integration/support/graph';

/**
 * GraphQL documents built to be expensive, sent to a real server over HTTP
 * (the real Neo4j, seed/ loaded): deep, wide, aliased, fragment bombs,
 * repeated fields, huge literals. Each one gets a clear error or a correct
 * answer within a time bound, and the server keeps answering /healthz within
 * 1 s while it works and after.
 */

const PROD = '333344445555';
const HEALTHZ_MS = 1_000;

/** Runs `work` while polling /healthz; asserts the time bound and that /healthz answered within 1 s throughout and after. */
async function withinBounds<T>(server: TestServer, boundMs: number, work: () => Promise<T>): Promise<T> {
  const healthz = server.url.replace('/graphql', '/healthz');
  let done = false;
  let slowest = 0;
  const poll = (async () => {
    while (!done) {
      const started = Date.now();
      const response = await fetch(healthz, { signal: AbortSignal.timeout(5_000) });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      slowest = Math.max(slowest, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const started = Date.now();
  let result: T;
  try {
    result = await work();
  } finally {
    done = true;
    await poll;
  }
  const took = Date.now() - started;
  assert.ok(took < boundMs, `answered in ${took} ms; the bound is ${boundMs} ms`);
  assert.ok(slowest < HEALTHZ_MS, `/healthz took ${slowest} ms while the request ran`);
  const afterStart = Date.now();
  assert.equal((await fetch(healthz)).status, 200);
  assert.ok(Date.now() - afterStart < HEALTHZ_MS, '/healthz answers after');
  return result;
}

/** A fresh server's first requests pay for connections and compilation: made before anything is timed. */
async function warmUp(server: TestServer): Promise<void> {
  const healthz = server.url.replace('/graphql', '/healthz');
  for (let i = 0; i < 3; i += 1) {
    await (await fetch(healthz)).arrayBuffer();
    await server.gql('{ principals(first: 1) { totalCount } }');
  }
}

function refused(response: GraphQLResponse, code: string, message: RegExp): void {
  assert.equal(response.status, 400, JSON.stringify(response.body).slice(0, 500));
  assert.equal(response.body.errors?.length, 1, JSON.stringify(response.body.errors).slice(0, 500));
  assert.equal(firstError(response.body).extensions.code, code);
  assert.match(firstError(response.body).message, message);
  assert.equal(response.body.data, undefined);
  assert.doesNotMatch(JSON.stringify(response.body), /\n\s+at |stacktrace/, 'no stack trace');
}

/** F0 = { arn }; each Fk spreads F(k-1) twice; the operation spreads F22 once. */
function fragmentBomb(levels: number, leaf = 'arn'): string {
  const fragments = [`fragment F0 on Principal { ${leaf} }`];
  for (let k = 1; k <= levels; k += 1) fragments.push(`fragment F${k} on Principal { ...F${k - 1} ... on Principal { ...F${k - 1} } }`);
  return `${fragments.join(' ')} query { principals(first: 1) { nodes { ...F${levels} } } }`;
}

describe('hostile GraphQL documents against a real server', () => {
  let graph: Graph;

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    await ingest(graph);
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
  });

  describe('with the default limits', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(graph);
      await warmUp(server);
    });
    after(async () => server.close());

    it('deep: a chain of real fields 30 levels deep is QUERY_TOO_DEEP', async () => {
      let selection = 'id';
      for (let i = 0; i < 10; i += 1) selection = `methods(first: 1) { nodes { api { ${selection} } } }`;
      const response = await withinBounds(server, 2_000, () => server.gql(`{ restApis(first: 1) { nodes { ${selection} } } }`));
      refused(response, 'QUERY_TOO_DEEP', /nests fields \d+ deep; the server allows at most 12 \(WHOCAN_MAX_QUERY_DEPTH\)/);
    });

    it('deep: thousands of nested braces are refused while parsing with QUERY_TOO_DEEP (deeper than the recursive parser goes)', async () => {
      for (const levels of [2_400, 6_000, 100_000]) {
        const response = await withinBounds(server, 2_000, () => server.gql(`{ ${'a { '.repeat(levels)}b${' }'.repeat(levels)} }`));
        refused(response, 'QUERY_TOO_DEEP', /^The document nests selections too deeply to be read .*WHOCAN_MAX_QUERY_DEPTH/);
      }
    });

    it('wide: 25 root fields are QUERY_TOO_COMPLEX, naming WHOCAN_MAX_ROOT_FIELDS, and nothing runs', async () => {
      const query = `{ ${Array.from({ length: 25 }, (_, i) => `h${i}: health { ok }`).join(' ')} }`;
      const response = await withinBounds(server, 2_000, () => server.gql(query));
      refused(response, 'QUERY_TOO_COMPLEX', /asks for 25 root fields; the server allows at most 20 \(WHOCAN_MAX_ROOT_FIELDS\)/);
    });

    it('aliased: 24,000 aliases of health { ok } are refused while parsing, before any connection is taken', async () => {
      const query = `{ ${Array.from({ length: 24_000 }, (_, i) => `a${i}: health { ok }`).join(' ')} }`;
      assert.ok(query.length < 1_048_576, 'under the body limit');
      const response = await withinBounds(server, 2_000, () => server.gql(query));
      refused(response, 'QUERY_TOO_LARGE', /WHOCAN_MAX_QUERY_TOKENS/);
    });

    it('aliased: 31 aliases inside one field are QUERY_TOO_COMPLEX, naming WHOCAN_MAX_ALIASES', async () => {
      const query = `{ principals(first: 1) { nodes { ${Array.from({ length: 31 }, (_, i) => `a${i}: arn`).join(' ')} } } }`;
      const response = await withinBounds(server, 2_000, () => server.gql(query));
      refused(response, 'QUERY_TOO_COMPLEX', /runs 31 aliased fields .*at most 30 \(WHOCAN_MAX_ALIASES\)/);
    });

    it('fragment bomb: 22 levels, each spreading the previous twice, is measured at once and refused as QUERY_TOO_COMPLEX', async () => {
      const query = fragmentBomb(22);
      assert.ok(query.length < 2_000, `${query.length} bytes`);
      const response = await withinBounds(server, 2_000, () => server.gql(query));
      refused(response, 'QUERY_TOO_COMPLEX', new RegExp(`cost is ${10 + 1 + 2 ** 22}; the server allows at most 50000`));
    });

    it('fragment bomb with aliases inside is refused as QUERY_TOO_COMPLEX on aliases', async () => {
      const response = await withinBounds(server, 2_000, () => server.gql(fragmentBomb(22, 'x: arn')));
      refused(response, 'QUERY_TOO_COMPLEX', new RegExp(`runs ${2 ** 22} aliased fields`));
    });

    it('repeated fields: { a: __typename } 60,000 times (840 KB) is refused while parsing, before validation', async () => {
      const query = `{ ${'a: __typename '.repeat(60_000)}}`;
      const response = await withinBounds(server, 2_000, () => server.gql(query));
      refused(response, 'QUERY_TOO_LARGE', /WHOCAN_MAX_QUERY_TOKENS/);
    });

    it('repeated fields just under the token limit are validated and answered correctly within the bound', async () => {
      const query = `{ ${'a: __typename '.repeat(1_240)}}`;
      const response = await withinBounds(server, 3_000, () => server.gql(query));
      assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 300));
      assert.deepEqual(response.body, { data: { a: 'Query' } });
    });

    it('huge literals: a 900 KB ARN, inline or as a variable, is a clear NOT_FOUND or BAD_USER_INPUT that does not echo it', async () => {
      const cases: [string, string][] = [
        [`arn:aws:iam::${PROD}:user/${'A'.repeat(900_000)}`, 'NOT_FOUND'],
        ['x'.repeat(900_000), 'BAD_USER_INPUT'],
      ];
      for (const [arn, code] of cases) {
        for (const send of [
          () => server.gql(`{ principal(arn: ${JSON.stringify(arn)}) { arn } }`),
          () => server.gql('query($arn: String!) { principal(arn: $arn) { arn } }', { arn }),
        ]) {
          const response = await withinBounds(server, 3_000, send);
          assert.equal(response.body.errors?.[0]?.extensions?.code, code, JSON.stringify(response.body).slice(0, 300));
          assert.ok(firstError(response.body).message.length < 2_000, 'the message does not echo the whole literal');
        }
      }
      const tooBig = await withinBounds(server, 2_000, () => server.gql(`{ principal(arn: "${'A'.repeat(1_100_000)}") { arn } }`));
      assert.equal(tooBig.status, 413);
    });

    it('whoCanInvoke on an ARN that is not an execute-api ARN is BAD_USER_INPUT naming what was expected', async () => {
      for (const arn of ['arn:aws:s3:::prod-bucket/key', `arn:aws:iam::${PROD}:role/platform-admin`, 'x']) {
        const response = await withinBounds(server, 5_000, () =>
          server.gql('query($arn: String!) { whoCanInvoke(requestArn: $arn) { principals(first: 1) { totalCount } } }', { arn }),
        );
        assert.equal(response.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response.body));
        assert.match(
          firstError(response.body).message,
          /^whoCanInvoke needs an execute-api ARN: expected arn:aws:execute-api:REGION:ACCOUNT:API_ID\/STAGE\/VERB\/PATH/,
        );
        assert.equal(response.body.data, null);
      }
    });
  });

  describe('with the alias and root-field caps raised: the per-request connection bound', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(graph, {
        limits: { maxAliases: 10_000, maxRootFields: 10_000, maxQueryTokens: 100_000, maxQueryCost: 10_000_000 },
      });
      await warmUp(server);
    });
    after(async () => server.close());

    it('1,000 aliases of health hold at most 4 connections at once, and /readyz stays ready meanwhile', async () => {
      const requestId = `hostile-pool-${Date.now()}`;
      let open = 0;
      let most = 0;
      let seen = 0;
      const stop = graph.observe((event) => {
        if (event.kind === 'statement') return;
        if (event.metadata['requestId'] !== requestId) return;
        if (event.kind === 'transaction') {
          open += 1;
          seen += 1;
          most = Math.max(most, open);
        } else open -= 1;
      });
      const readyz = server.url.replace('/graphql', '/readyz');
      const readiness: number[] = [];
      try {
        const query = `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: health { ok }`).join(' ')} }`;
        const pending = postGraphQL<Record<string, { ok: boolean }>>(server.url, query, undefined, { 'x-request-id': requestId });
        let finished = false;
        void pending.then(() => (finished = true));
        while (!finished) {
          const started = Date.now();
          const response = await fetch(readyz);
          await response.arrayBuffer();
          assert.ok(Date.now() - started < 2_000, '/readyz answers within 2 s');
          readiness.push(response.status);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const response = await withinBounds(server, 60_000, () => pending);
        assert.equal(response.status, 200);
        assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors)?.slice(0, 300));
        assert.equal(Object.keys(dataOf(response.body)).length, 1_000);
        assert.ok(Object.values(dataOf(response.body)).every((h) => h.ok === true));
      } finally {
        stop();
      }
      assert.ok(seen >= 2_000, `every health check ran its queries in the request's scope (${seen} transactions)`);
      assert.ok(most <= 4, `at most 4 transactions at once, saw ${most}`);
      assert.ok(
        readiness.every((status) => status === 200),
        `/readyz: ${readiness.join(',')}`,
      );
    });
  });
});
