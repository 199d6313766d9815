import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectGraph, cypher, type Graph } from '../../src/db';
import { silentLogger } from '../../src/logging';
import { RequestScope } from '../../src/services';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import {
  capturingLogger,
  countStatements,
  dataOf,
  firstError,
  graphSize,
  ingest,
  servicesFor,
  startTestServer,
  type TestServer,
} from './support/api';
import { resetGraph, testGraph, testNeo4j } from './support/graph';

/**
 * What makes the API safe to expose: tokens and roles, limits refused before
 * any work, the per-request timeout (that also stops the Neo4j
 * transaction), hostile input treated as data, masked internal errors, and
 * what the logs hold. Over HTTP, against the real Neo4j with seed/ loaded.
 */

const PROD = '333344445555';
const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;

describe('GraphQL API safety over HTTP (seed/ loaded)', () => {
  let graph: Graph;
  let snapshotId: string;
  const reader = createApiToken('reader');
  const admin = createApiToken('admin');
  const tokens = parseApiTokenEntries(`${reader.entry},${admin.entry}`).entries;
  const asReader = { authorization: `Bearer ${reader.token}` };
  const asAdmin = { authorization: `Bearer ${admin.token}` };

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    snapshotId = await ingest(graph);
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
  });

  describe('authentication and roles', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(graph, { apiTokens: tokens });
    });
    after(async () => server.close());

    it('refuses a missing, wrong or malformed token with 401 UNAUTHENTICATED, before any Cypher runs', async () => {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: `Bearer ${createApiToken('admin').token}` },
        { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        { authorization: 'Bearer ' },
      ]) {
        const { result, statements } = await countStatements(graph, () => server.gql('{ principals { totalCount } }', undefined, headers));
        assert.equal(result.status, 401);
        assert.equal(firstError(result.body).extensions.code, 'UNAUTHENTICATED');
        assert.equal(result.body.data, undefined);
        assert.deepEqual(statements, []);
      }
    });

    it('lets a reader run every query', async () => {
      const { status, body } = await server.gql<{
        principals: { totalCount: number };
        simulate: { evaluationResults: { evalDecision: string }[] };
      }>(
        `{ principals(first: 1) { totalCount } restApis { totalCount } httpApis { totalCount } snapshots { totalCount }
        principal(arn: "arn:aws:iam::${PROD}:user/bob-caller") { name } restApi(id: "a1b2c3d4e5") { name } httpApi(id: "h7t8p9a0b1") { name }
        method(arn: "${X}/prod/GET/pets") { verb } simulate(input: {callerArn: "arn:aws:iam::${PROD}:user/x", actionNames: ["s3:GetObject"]}) { evaluationResults { evalDecision } } }`,
        undefined,
        asReader,
      );
      assert.equal(status, 200);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.equal(dataOf(body).principals.totalCount, 19);
      assert.equal(dataOf(body).simulate.evaluationResults[0]!.evalDecision, 'IMPLICIT_DENY');
    });

    it('refuses the admin mutations to a reader with FORBIDDEN, and changes nothing', async () => {
      for (const mutation of [
        'mutation($id: String!) { deleteSnapshot(id: $id) { id } }',
        'mutation($id: String!) { setCurrentSnapshot(id: $id) { id } }',
      ]) {
        const { result, statements } = await countStatements(graph, () => server.gql(mutation, { id: snapshotId }, asReader));
        assert.equal(firstError(result.body).extensions.code, 'FORBIDDEN');
        assert.match(
          firstError(result.body).message,
          /^Mutation\.(deleteSnapshot|setCurrentSnapshot) needs an API token with the role admin; this request's token has the role reader\.$/,
        );
        assert.equal(result.body.data, null);
        assert.deepEqual(statements, [], 'nothing ran');
      }
      const { body } = await server.gql<{ snapshots: { nodes: { id: string; current: boolean; state: string }[] } }>(
        '{ snapshots { nodes { id current state } } }',
        undefined,
        asReader,
      );
      assert.deepEqual(dataOf(body).snapshots.nodes, [{ id: snapshotId, current: true, state: 'COMPLETE' }]);
    });

    it('lets an admin call them', async () => {
      const { body } = await server.gql<{ setCurrentSnapshot: { id: string; current: boolean } }>(
        'mutation($id: String!) { setCurrentSnapshot(id: $id) { id current } }',
        { id: snapshotId },
        asAdmin,
      );
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.deepEqual(dataOf(body).setCurrentSnapshot, { id: snapshotId, current: true });
      const refused = await server.gql('mutation($id: String!) { deleteSnapshot(id: $id) { id } }', { id: snapshotId }, asAdmin);
      assert.equal(
        firstError(refused.body).extensions.code,
        'BAD_USER_INPUT',
        'the admin is let in; deleting the current snapshot is refused for its own reason',
      );
      assert.match(firstError(refused.body).message, /is the current snapshot/);
    });
  });

  describe('limits, refused before any work', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(graph);
    });
    after(async () => server.close());

    async function refused(query: string, variables?: Record<string, unknown>): Promise<{ status: number; code: string; message: string }> {
      const { result, statements, transactions } = await countStatements(graph, () => server.gql(query, variables));
      assert.deepEqual(statements, [], 'no Cypher ran');
      assert.deepEqual(transactions, [], 'no transaction was opened');
      assert.equal(result.body.data, undefined);
      return { status: result.status, code: firstError(result.body).extensions.code, message: firstError(result.body).message };
    }

    it('refuses a query nested deeper than WHOCAN_MAX_QUERY_DEPTH (12) with QUERY_TOO_DEEP', async () => {
      // method → (api → methods → nodes) × 4 → verb: 14 levels of fields.
      let inner = 'verb';
      for (let i = 0; i < 4; i++) inner = `api { ... on RestApi { methods { nodes { ${inner} } } } }`;
      const deep = `{ method(arn: "${X}/prod/GET/pets") { ${inner} } }`;
      const r = await refused(deep);
      assert.equal(r.status, 400);
      assert.equal(r.code, 'QUERY_TOO_DEEP');
      assert.match(r.message, /nests fields 14 deep; the server allows at most 12/);
    });

    it('counts depth through fragments', async () => {
      // The same 14 levels, split over two fragments.
      let inner = 'verb';
      for (let i = 0; i < 3; i++) inner = `api { ... on RestApi { methods { nodes { ${inner} } } } }`;
      const deep = `fragment M on ApiMethod { api { ... on RestApi { methods { nodes { ...N } } } } }
        fragment N on ApiMethod { ${inner} }
        query Deep { method(arn: "${X}/prod/GET/pets") { ...M } }`;
      const r = await refused(deep);
      assert.equal(r.code, 'QUERY_TOO_DEEP');
      assert.match(r.message, /nests fields 14 deep/);
    });

    it('refuses a query costlier than WHOCAN_MAX_QUERY_COST with QUERY_TOO_COMPLEX (lists multiply by first)', async () => {
      const costly = `{ restApis(first: 100) { nodes { methods(first: 100) { nodes { verb integration { lambdaFunction { resourcePolicy { statements { sid } } } } } } } } }`;
      const r = await refused(costly);
      assert.equal(r.status, 400);
      assert.equal(r.code, 'QUERY_TOO_COMPLEX');
      assert.match(r.message, /The query's cost is \d+; the server allows at most 50000/);
      // The same query with small pages is fine.
      const { body } = await server.gql(costly.replace(/first: 100/g, 'first: 5'));
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    });

    it('refuses a page larger than WHOCAN_MAX_PAGE_SIZE (100), given inline or as a variable, and a negative one, with BAD_USER_INPUT', async () => {
      for (const [query, variables] of [
        ['{ principals(first: 101) { totalCount } }', undefined],
        ['query($n: Int) { restApis(first: 5) { nodes { methods(first: $n) { totalCount } } } }', { n: 5000 }],
        ['{ snapshots(first: -1) { totalCount } }', undefined],
      ] as const) {
        const r = await refused(query, variables);
        assert.equal(r.status, 400);
        assert.equal(r.code, 'BAD_USER_INPUT');
        assert.match(
          r.message,
          /^Page size over the limit: [\w.]+\(first: -?\d+\): expected a whole number from 0 to 100 \(the maximum page size\)\.$/,
        );
      }
    });

    it('applies lower limits when configured', async () => {
      const strict = await startTestServer(graph, { limits: { maxQueryDepth: 3, maxQueryCost: 50, maxPageSize: 5 } });
      try {
        const depth = await strict.gql('{ principals { nodes { policies { id } } } }');
        assert.equal(firstError(depth.body).extensions.code, 'QUERY_TOO_DEEP');
        const page = await strict.gql('{ principals(first: 6) { totalCount } }');
        assert.equal(firstError(page.body).extensions.code, 'BAD_USER_INPUT');
        const cost = await strict.gql(
          '{ principals(first: 5) { nodes { arn name path account kind uniqueId createdAt } } restApis(first: 5) { nodes { id name arn region } } }',
        );
        assert.equal(firstError(cost.body).extensions.code, 'QUERY_TOO_COMPLEX');
        const fine = await strict.gql<{ principals: { nodes: { name: string }[] } }>('{ principals(first: 5) { nodes { name } } }');
        assert.equal(dataOf(fine.body).principals.nodes.length, 5, 'the default page size is capped at the maximum');
      } finally {
        await strict.close();
      }
    });
  });

  describe('the per-request timeout', () => {
    it('answers TIMEOUT, once and without a stack trace, when a real query outlives a tiny limit', async () => {
      const server = await startTestServer(graph, { limits: { requestTimeoutMs: 1 } });
      try {
        const { status, body } = await server.gql(
          '{ principals(first: 100) { totalCount nodes { arn policies { id statements { sid } } } } }',
        );
        assert.equal(status, 200);
        assert.equal(body.data, null);
        assert.equal(body.errors?.length, 1);
        assert.equal(firstError(body).extensions.code, 'TIMEOUT');
        assert.match(firstError(body).message, /took longer than the server's limit of 1 ms per request and was stopped/);
        assert.equal(firstError(body).extensions.stacktrace, undefined);
      } finally {
        await server.close();
      }
    });

    it('gives every Neo4j transaction of a request the time left as its timeout, and the request id as metadata', async () => {
      const server = await startTestServer(graph, { limits: { requestTimeoutMs: 20_000 } });
      try {
        const { result, transactions } = await countStatements(graph, () =>
          server.gql(
            'query Browse { principals(first: 3) { nodes { policies { statements { sid } } } } restApis { nodes { stages { name } } } }',
            undefined,
            { 'x-request-id': 'timeout-check-1' },
          ),
        );
        assert.equal(result.body.errors, undefined);
        assert.ok(transactions.length >= 4);
        for (const t of transactions) {
          assert.equal(t.kind, 'transaction');
          if (t.kind !== 'transaction') continue;
          assert.ok(t.timeoutMs !== undefined && t.timeoutMs > 0 && t.timeoutMs <= 20_000, `${t.name}: timeout ${t.timeoutMs}`);
          assert.equal(t.metadata['requestId'], 'timeout-check-1');
          assert.equal(t.metadata['operation'], 'Browse');
        }
      } finally {
        await server.close();
      }
    });

    it('stops a mutation blocked by another transaction at the deadline: TIMEOUT, its Neo4j transaction ended by the database, nothing changed', async () => {
      const older = snapshotId;
      const newer = await ingest(graph);
      const server = await startTestServer(graph, { limits: { requestTimeoutMs: 1_500 } });
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => undefined;
      const lockTaken = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // Another writer holds the write lock on the older snapshot until released (then rolls back).
      const holder = graph
        .writeTx('testHoldSnapshotLock', async (tx) => {
          await graph.run(tx, cypher('testLockSnapshot', 'MATCH (s:Snapshot {id: $id}) SET s.testLock = true'), { id: older });
          locked();
          await released;
          throw new Error('roll back the test lock');
        })
        .catch((error: unknown) => error);
      try {
        await lockTaken;
        const { body } = await server.gql(
          'mutation Rollback($id: String!) { setCurrentSnapshot(id: $id) { id } }',
          { id: older },
          { 'x-request-id': 'blocked-mutation-1' },
        );
        assert.equal(body.errors?.[0]?.extensions?.code, 'TIMEOUT', JSON.stringify(body));
        // Neo4j ends the blocked transaction at its own timeout (the time the request had left), while the lock is still held.
        const open = cypher(
          'testOpenTransactions',
          "SHOW TRANSACTIONS YIELD metaData, status WHERE metaData.requestId = 'blocked-mutation-1' RETURN status",
        );
        let remaining = (await graph.read(open)).length;
        for (let i = 0; i < 50 && remaining > 0; i++) {
          await new Promise((r) => setTimeout(r, 200));
          remaining = (await graph.read(open)).length;
        }
        assert.equal(remaining, 0, 'the blocked transaction was ended by its timeout, before the lock was released');
      } finally {
        release();
        assert.match(String(await holder), /roll back the test lock/);
        await server.close();
      }
      const current = await graph.read<{ id: string }>(
        cypher('testCurrentSnapshots', 'MATCH (s:Snapshot {current: true}) RETURN s.id AS id'),
      );
      assert.deepEqual(
        current.map((r) => r.id),
        [newer],
        'the rollback did not happen',
      );
      // Leave one snapshot for the tests that follow.
      await servicesFor(graph).snapshots.delete(older, new RequestScope({ requestId: 'cleanup', timeoutMs: 60_000 }));
      snapshotId = newer;
    });
  });

  describe('hostile input is data', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(graph);
    });
    after(async () => server.close());

    const HOSTILE = [
      "o'brien",
      '"double"',
      'back`tick`',
      "' OR 1=1 //",
      '}) DETACH DELETE n //',
      "x'}) MATCH (n) DETACH DELETE n RETURN 1 AS key //",
      '` MATCH (n) DETACH DELETE n //',
      '$snapshot',
      '\\u0027 \\\\ \\n',
      'ünïcødé ✓ 🐍 \u202e\u0000',
      'x'.repeat(100_000),
    ];

    it('goes through every browsing argument as a parameter: clear errors or empty results, never an internal error, and the graph intact', async () => {
      const before = await graphSize(graph);
      for (const h of HOSTILE) {
        const label = JSON.stringify(h.slice(0, 40));
        const list = await server.gql<{ principals: { totalCount: number } }>(
          'query($h: String) { principals(filter: {nameContains: $h}) { totalCount } }',
          { h },
        );
        assert.equal(list.body.errors, undefined, `${label}: ${JSON.stringify(list.body.errors)}`);
        assert.equal(dataOf(list.body).principals.totalCount, 0, label);

        const checks: [string, Record<string, unknown>, string][] = [
          ['query($h: String!) { principal(arn: $h) { arn } }', { h: `arn:aws:iam::${PROD}:user/${h}` }, 'NOT_FOUND'],
          ['query($h: String!) { principal(arn: $h) { arn } }', { h }, 'BAD_USER_INPUT'],
          ['query($h: String) { restApis(snapshot: $h) { totalCount } }', { h }, 'NOT_FOUND'],
          ['query($h: String!) { restApi(id: $h) { id } }', { h }, 'BAD_USER_INPUT'],
          ['query($h: String!) { method(arn: $h) { verb } }', { h: `${X}/prod/GET/nope/${h}` }, 'NOT_FOUND'],
          ['query($h: String) { restApis(after: $h) { totalCount } }', { h }, 'BAD_USER_INPUT'],
        ];
        for (const [query, variables, code] of checks) {
          const { body } = await server.gql(query, variables);
          const got = body.errors?.[0]?.extensions?.code;
          assert.equal(got, code, `${label} in ${query}: ${JSON.stringify(body.errors)}`);
          assert.ok(JSON.stringify(body).length < 5_000, `${label}: messages quote long input shortened`);
        }
      }
      // A request path is routed like any other: /pets/o'brien is served by GET /pets/{id}.
      const routed = await server.gql('query($h: String!) { method(arn: $h) { path } }', { h: `${X}/prod/GET/pets/o'brien` });
      assert.deepEqual(routed.body.data, { method: { path: '/pets/{id}' } });
      // The same strings written into the query text itself (escaped as GraphQL strings) are data too.
      for (const h of HOSTILE.slice(0, 9)) {
        const { body } = await server.gql<{ principals: { totalCount: number } }>(
          `{ principals(filter: {nameContains: ${JSON.stringify(h)}}) { totalCount } }`,
        );
        assert.equal(dataOf(body).principals.totalCount, 0);
      }
      assert.deepEqual(await graphSize(graph), before, 'no node or relationship was created or deleted');
      const { body } = await server.gql<{ principals: { totalCount: number } }>('{ principals { totalCount } }');
      assert.equal(dataOf(body).principals.totalCount, 19);
    });

    it('compares the filter as text (so the empty results above are not a broken filter): "-CALLER" finds bob-caller and carol-caller', async () => {
      const { body } = await server.gql<{ principals: { nodes: { name: string }[] } }>(
        'query($h: String) { principals(filter: {nameContains: $h}) { nodes { name } } }',
        {
          h: '-CALLER',
        },
      );
      assert.deepEqual(
        dataOf(body).principals.nodes.map((n) => n.name),
        ['bob-caller', 'carol-caller'],
      );
    });
  });

  describe('errors and logs', () => {
    it('masks an internal error, logs it with the request id, and sends the id back', async () => {
      const log = capturingLogger();
      const services = servicesFor(graph);
      services.health.check = async () => {
        throw new TypeError('secret internal detail from deep inside');
      };
      const server = await startTestServer(graph, { services, logger: log.logger });
      try {
        const { body, headers } = await server.gql('query Health { health { ok } }');
        const requestId = headers.get('x-request-id');
        assert.equal(firstError(body).extensions.code, 'INTERNAL_SERVER_ERROR');
        assert.equal(firstError(body).extensions.requestId, requestId);
        assert.doesNotMatch(JSON.stringify(body), /secret internal detail|TypeError|at /);
        assert.equal(firstError(body).extensions.stacktrace, undefined);
        const logged = log.lines.find((l) => l['msg'] === 'resolver error');
        assert.ok(logged, log.text());
        assert.equal(logged['requestId'], requestId);
        assert.match(JSON.stringify(logged['err']), /secret internal detail/);
      } finally {
        await server.close();
      }
    });

    it('answers GRAPH_UNAVAILABLE without revealing where the database is or how it is set up, and logs the details', async () => {
      const log = capturingLogger();
      // The real Neo4j, with a password it refuses (the driver does not retry that, so the test is quick).
      const { uri, user } = testNeo4j();
      const refused = await connectGraph(
        {
          uri,
          user,
          password: 'not-the-password',
          database: 'neo4j',
          transactionTimeoutMs: 5_000,
          connectionTimeoutMs: 5_000,
          logger: silentLogger(),
        },
        { verify: false },
      );
      const server = await startTestServer(refused, { logger: log.logger });
      try {
        const { body, headers } = await server.gql('{ principals { totalCount } }');
        assert.equal(firstError(body).extensions.code, 'GRAPH_UNAVAILABLE');
        assert.equal(firstError(body).extensions.requestId, headers.get('x-request-id'));
        assert.match(firstError(body).message, /^The graph database is not reachable right now; try again later/);
        assert.doesNotMatch(JSON.stringify(body), /127\.0\.0\.1|bolt|NEO4J_PASSWORD|credentials/);
        const logged = log.lines.find((l) => l['msg'] === 'graph unavailable');
        assert.ok(logged, log.text());
        assert.equal(logged['requestId'], headers.get('x-request-id'));
        assert.match(JSON.stringify(logged['err']), /refused the credentials/);
        assert.doesNotMatch(log.text(), /not-the-password/);
      } finally {
        await server.close();
        await refused.close();
      }
    });

    it('logs one line per request with request id, role, operation, duration and outcome; never the token, variables or policy documents', async () => {
      const log = capturingLogger('trace');
      // A graph that logs to the same place, so its Cypher debug lines (query names and parameters) are checked too.
      const { uri, user, password } = testNeo4j();
      const logged = await connectGraph({
        uri,
        user,
        password,
        database: 'neo4j',
        transactionTimeoutMs: 30_000,
        connectionTimeoutMs: 10_000,
        logger: log.logger,
      });
      const server = await startTestServer(logged, { logger: log.logger, apiTokens: tokens });
      try {
        const ok = await server.gql(
          'query ListPolicies($arn: String!) { principal(arn: $arn) { policies { document } ... on User { groups { policies { document statements { condition } } } } } }',
          { arn: `arn:aws:iam::${PROD}:user/bob-caller` },
          asReader,
        );
        assert.equal(ok.body.errors, undefined);
        assert.match(JSON.stringify(ok.body), /NoDeletesOnProd/, 'the response holds the documents');
        const failed = await server.gql('query Missing { restApi(id: "zz9yy8xx7w") { id } }', undefined, asReader);
        const refused = await server.gql('{ health { ok } }', undefined, { authorization: 'Bearer whocan_0000000000000000_wrong' });
        assert.equal(refused.status, 401);

        const lines = log.lines.filter((l) => l['msg'] === 'graphql request');
        const okLine = lines.find((l) => l['requestId'] === ok.headers.get('x-request-id'));
        assert.ok(okLine, log.text());
        assert.equal(okLine['operationName'], 'ListPolicies');
        assert.equal(okLine['role'], 'reader');
        assert.equal(okLine['outcome'], 'ok');
        assert.equal(typeof okLine['durationMs'], 'number');
        const failedLine = lines.find((l) => l['requestId'] === failed.headers.get('x-request-id'));
        assert.equal(failedLine?.['operationName'], 'Missing');
        assert.equal(failedLine?.['outcome'], 'error');
        assert.deepEqual(failedLine?.['errorCodes'], ['NOT_FOUND']);
        const refusedLine = lines.find((l) => l['requestId'] === refused.headers.get('x-request-id'));
        assert.deepEqual(refusedLine?.['errorCodes'], ['UNAUTHENTICATED']);

        const text = log.text();
        assert.doesNotMatch(text, new RegExp(reader.token), 'the token is never logged');
        assert.doesNotMatch(text, /whocan_0000000000000000_wrong/);
        assert.match(text, /"msg":"cypher"/, 'Cypher debug lines were written (and checked)');
        assert.doesNotMatch(text, /NoDeletesOnProd|InvokeReadBackend|2012-10-17/, 'no policy document content');
      } finally {
        await server.close();
        await logged.close();
      }
    });
  });
});
