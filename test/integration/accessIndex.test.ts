import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { methodTemplateArn, type AccessAnalysis, type WhoCanAnswer } from '../../src/analysis';
import { migrationsDir, packageRoot, seedDir } from '../../src/config/paths';
import { cypher, type Graph } from '../../src/db';
import { ingestSnapshot } from '../../src/ingest';
import { listSnapshots } from '../../src/store';
import {
  AnalysisService,
  INDEX_QUERIES,
  readAccessSummaryFromIndex,
  SnapshotService,
  type IndexAccessSummaryRow as AccessSummaryRow,
} from '../../src/services';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { dataOf, firstError, type GraphQLResponse, startTestServer } from './support/api';
import type { Connection } from './support/answers';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';

/**
 * The access index as the ingest stores it in Neo4j, read with the Cypher of
 * docs/graph-model.md, against the analysis service's answers on seed/: who
 * can invoke each method, what each principal can invoke, public methods,
 * principals from outside the organization, principals per API and stage,
 * and the access summary rows. `whocan index` rebuilds the same index.
 */

/** A row of principalsByInvocableMethods. */
interface RankedPrincipal {
  arn: string;
  type: string;
  account: string | null;
  methods: number;
  allowed: number;
}

const root = packageRoot();

function run(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'whocan.js'), ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv() },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface MethodAnswer {
  arn: string;
  api: string;
  apiName: string | null;
  apiType: string;
  endpointType: string;
  stage: string;
  account: string;
  answer: WhoCanAnswer;
}

describe('the access index in Neo4j (seed/)', () => {
  let graph: Graph;
  let snapshot: string;
  let analysis: AccessAnalysis;
  const methods: MethodAnswer[] = [];

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    const ingested = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).ingest(seedDir(), undefined, {
      index: true,
    });
    snapshot = ingested.snapshotId;
    assert.ok(ingested.index && ingested.index.targets > 0, 'the ingest built the index');
    const service = new AnalysisService(graph);
    analysis = (await service.analysis()).analysis;
    for (const api of analysis.model.apis.values()) {
      for (const stage of api.stages) {
        for (const method of api.methods) {
          const arn = methodTemplateArn(api, stage, method);
          methods.push({
            arn,
            api: api.row.id,
            apiName: api.row.name,
            apiType: api.row.kind,
            endpointType: api.row.endpointType,
            stage: stage.name,
            account: api.row.account,
            answer: analysis.whoCan('execute-api:Invoke', arn),
          });
        }
      }
    }
    assert.ok(methods.length > 10, 'seed/ has methods on stages');
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
  });

  const summary = (rows: { principal: string; decision: string; hops: number }[]) =>
    new Map(rows.map((r) => [r.principal, `${r.decision}/${r.hops}`]));
  const answerSummary = (answer: WhoCanAnswer) => new Map(answer.principals.map((p) => [p.arn, `${p.decision}/${p.hops}`]));

  it('who can invoke method M: the same principals, decisions and hops as whoCanInvoke, for every method and stage', async () => {
    let principals = 0;
    for (const m of methods) {
      const rows = await graph.read<{ principal: string; type: string; decision: string; hops: number }>(INDEX_QUERIES.whoCanInvoke, {
        s: snapshot,
        method: m.arn,
      });
      assert.deepEqual(summary(rows), answerSummary(m.answer), m.arn);
      for (const r of rows)
        assert.equal(r.type, m.answer.principals.find((p) => p.arn === r.principal)?.type, `${r.principal} on ${m.arn}`);
      principals += rows.length;
    }
    assert.ok(principals > 20, 'the answers list principals');
  });

  it('what can principal P invoke: exactly the methods whose who-can-invoke answers hold P, with the same decision and hops', async () => {
    const expected = new Map<string, Map<string, string>>();
    for (const m of methods) {
      for (const p of m.answer.principals) {
        let list = expected.get(p.arn);
        if (!list) expected.set(p.arn, (list = new Map<string, string>()));
        list.set(m.arn, `${p.decision}/${p.hops}`);
      }
    }
    assert.ok(expected.size > 5);
    for (const [principal, byMethod] of expected) {
      const rows = await graph.read<{ method: string; decision: string; hops: number }>(INDEX_QUERIES.invocableBy, {
        s: snapshot,
        principal,
      });
      assert.deepEqual(new Map(rows.map((r) => [r.method, `${r.decision}/${r.hops}`])), byMethod, principal);
    }
    const nobody = await graph.read(INDEX_QUERIES.invocableBy, { s: snapshot, principal: 'arn:aws:iam::333344445555:user/no-such-user' });
    assert.deepEqual(nobody, []);
  });

  it('public methods: those the analysis calls public', async () => {
    const rows = await graph.read<{ method: string }>(INDEX_QUERIES.publicMethods, { s: snapshot });
    const expected = methods
      .filter((m) => m.answer.public)
      .map((m) => m.arn)
      .sort();
    assert.ok(expected.length > 0, 'seed/ has a public method');
    assert.deepEqual(
      rows.map((r) => r.method),
      expected,
    );
  });

  it('principals from outside the organization: those of accounts the organization does not list, with the methods they can invoke', async () => {
    const inOrganization = (account: string) => analysis.model.accounts.get(account)?.inOrganization === true;
    const expected = new Map<string, number>();
    for (const m of methods) {
      for (const p of m.answer.principals) {
        const account = /^arn:aws:iam::([^:]+):/.exec(p.arn)?.[1];
        if (account && !inOrganization(account)) expected.set(p.arn, (expected.get(p.arn) ?? 0) + 1);
      }
    }
    const rows = await graph.read<{ principal: string; methods: number }>(INDEX_QUERIES.outsideOrganization, { s: snapshot });
    assert.deepEqual(new Map(rows.map((r) => [r.principal, r.methods])), expected);
    assert.ok(expected.size > 0, 'seed/ grants a principal outside the organization');
  });

  it('the number of principals per API and stage', async () => {
    const expected = new Map<string, Set<string>>();
    for (const m of methods) {
      const key = `${m.api}/${m.stage}`;
      const set = expected.get(key) ?? new Set<string>();
      for (const p of m.answer.principals) set.add(p.arn);
      if (set.size > 0) expected.set(key, set);
    }
    const rows = await graph.read<{ api: string; stage: string; principals: number }>(INDEX_QUERIES.principalsPerStage, { s: snapshot });
    assert.deepEqual(new Map(rows.map((r) => [`${r.api}/${r.stage}`, r.principals])), new Map([...expected].map(([k, v]) => [k, v.size])));
  });

  it('access summary rows from the index equal those computed from the answers', async () => {
    const rows = await readAccessSummaryFromIndex(graph, snapshot);
    const expected = new Map<string, AccessSummaryRow>();
    for (const m of methods) {
      const key = `${m.account}|${m.api}|${m.stage}`;
      const row: AccessSummaryRow & { seen?: Set<string> } = expected.get(key) ?? {
        accountId: m.account,
        apiId: m.api,
        apiName: m.apiName,
        apiType: m.apiType,
        stage: m.stage,
        endpointType: m.endpointType,
        methods: 0,
        publicMethods: 0,
        principalsWithAccess: 0,
        principalsFromOtherAccounts: 0,
        outsideOrganizationAccounts: [],
      };
      row.methods++;
      if (m.answer.public) row.publicMethods++;
      expected.set(key, row);
    }
    const principalsOf = new Map<string, Set<string>>();
    for (const m of methods) {
      const key = `${m.account}|${m.api}|${m.stage}`;
      const set = principalsOf.get(key) ?? new Set<string>();
      for (const p of m.answer.principals) if (p.arn !== 'anonymous') set.add(p.arn);
      principalsOf.set(key, set);
    }
    for (const [key, set] of principalsOf) {
      const row = expected.get(key)!;
      const accountOf = (arn: string) => /^arn:aws:iam::([^:]+):/.exec(arn)?.[1];
      row.principalsWithAccess = set.size;
      row.principalsFromOtherAccounts = [...set].filter((arn) => accountOf(arn) !== undefined && accountOf(arn) !== row.accountId).length;
      row.outsideOrganizationAccounts = [
        ...new Set(
          [...set].map(accountOf).filter((a): a is string => a !== undefined && analysis.model.accounts.get(a)?.inOrganization !== true),
        ),
      ].sort();
    }
    const order = (list: AccessSummaryRow[]) =>
      [...list].sort((a, b) => `${a.accountId}|${a.apiId}|${a.stage}`.localeCompare(`${b.accountId}|${b.apiId}|${b.stage}`));
    assert.deepEqual(order(rows), order([...expected.values()]));
    assert.ok(rows.some((r) => r.principalsFromOtherAccounts > 0) && rows.some((r) => r.publicMethods > 0));
  });

  it('GraphQL principalsByInvocableMethods: principals ranked by how many methods they can invoke, paged, for a reader', async () => {
    const reader = createApiToken('reader');
    const server = await startTestServer(graph, { apiTokens: parseApiTokenEntries(reader.entry).entries });
    try {
      const expected = new Map<string, { methods: number; allowed: number }>();
      for (const m of methods) {
        for (const p of m.answer.principals) {
          const row = expected.get(p.arn) ?? { methods: 0, allowed: 0 };
          row.methods++;
          if (p.decision === 'allowed') row.allowed++;
          expected.set(p.arn, row);
        }
      }
      const seen: { arn: string; methods: number; allowed: number }[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { status, body }: GraphQLResponse<{ principalsByInvocableMethods: Connection<RankedPrincipal> }> = await server.gql(
          'query Rank($after: String) { principalsByInvocableMethods(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { arn type account methods allowed } } }',
          { after },
          { authorization: `Bearer ${reader.token}` },
        );
        assert.equal(status, 200);
        assert.equal(body.errors, undefined, JSON.stringify(body.errors));
        const page = dataOf(body).principalsByInvocableMethods;
        assert.equal(page.totalCount, expected.size);
        seen.push(...page.nodes);
        pages++;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.ok(pages > 1, 'the list spans several pages');
      assert.deepEqual(new Map(seen.map((r) => [r.arn, { methods: r.methods, allowed: r.allowed }])), expected);
      assert.equal(seen.length, expected.size, 'no principal twice');
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        assert.ok(a.methods > b.methods || (a.methods === b.methods && a.arn < b.arn), `ordered: ${a.arn} before ${b.arn}`);
      }
      const noToken = await server.gql('{ principalsByInvocableMethods(first: 1) { totalCount } }');
      assert.equal(noToken.status, 401);
    } finally {
      await server.close();
    }
  });

  it('docs/graph-model.md shows each of these queries verbatim', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'graph-model.md'), 'utf8');
    for (const [name, query] of Object.entries(INDEX_QUERIES))
      assert.ok(doc.includes(query.text), `docs/graph-model.md shows the ${name} query`);
  });

  it('a failed index build leaves the previous snapshot current, and the new one is removed', async () => {
    await assert.rejects(
      ingestSnapshot(graph, seedDir(), {
        keep: 3,
        afterLoad: async () => {
          throw new Error('index build killed');
        },
      }),
      /index build killed/,
    );
    const snapshots = await listSnapshots(graph);
    assert.deepEqual(
      snapshots.map((s) => [s.id, s.state, s.current]),
      [[snapshot, 'complete', true]],
    );
  });

  it('`whocan index` rebuilds the same index for the snapshot, and the snapshot records it as complete', async () => {
    const count = cypher('test.indexCount', `MATCH (c:AccessClass {snapshot: $s})-[a:HAS_ACCESS]->(:AccessSet) RETURN count(a) AS n`);
    const before = (await graph.read<{ n: number }>(count, { s: snapshot }))[0]!.n;
    const result = run(['index', '--snapshot', snapshot, '--keep-previous', '0', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { snapshot: string; stats: { targets: number; accessRelationships: number } };
    assert.equal(out.snapshot, snapshot);
    assert.equal(out.stats.accessRelationships, before);
    const after = (await graph.read<{ n: number }>(count, { s: snapshot }))[0]!.n;
    assert.equal(after, before);
    const state = await graph.read<{ index: string }>(cypher('test.indexState', 'MATCH (s:Snapshot {id: $s}) RETURN s.index AS index'), {
      s: snapshot,
    });
    assert.equal(state[0]?.index, 'complete');
    const m = methods.find((x) => x.answer.principals.length > 0)!;
    const rows = await graph.read<{ principal: string; decision: string; hops: number }>(INDEX_QUERIES.whoCanInvoke, {
      s: snapshot,
      method: m.arn,
    });
    assert.deepEqual(summary(rows), answerSummary(m.answer));
    const bad = run(['index', '--snapshot', 'no-such-snapshot']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no-such-snapshot/);
  });

  it('the index is opt-in: a plain ingest does not build it, its readers say so (NOT_FOUND), and `whocan index` builds it for the current snapshot', async () => {
    const plain = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).ingest(seedDir());
    assert.equal(plain.index, null);
    const state = await graph.read<{ index: string | null }>(
      cypher('test.indexStatePlain', 'MATCH (s:Snapshot {id: $s}) RETURN s.index AS index'),
      { s: plain.snapshotId },
    );
    assert.equal(state[0]?.index ?? null, null);
    await assert.rejects(
      readAccessSummaryFromIndex(graph, plain.snapshotId),
      (error: Error) => error.message.includes(`not built for snapshot ${plain.snapshotId}`) && error.message.includes('whocan index'),
    );
    const reader = createApiToken('reader');
    const server = await startTestServer(graph, { apiTokens: parseApiTokenEntries(reader.entry).entries });
    try {
      const query = '{ principalsByInvocableMethods(first: 2) { totalCount } }';
      const missing = await server.gql<unknown>(query, {}, { authorization: `Bearer ${reader.token}` });
      assert.equal(missing.body.errors?.[0]?.extensions?.code, 'NOT_FOUND', JSON.stringify(missing.body));
      assert.match(firstError(missing.body).message, new RegExp(`not built for snapshot ${plain.snapshotId}; run \`whocan index`));
      const built = run(['index', '--json']);
      assert.equal(built.code, 0, built.stderr);
      assert.equal((JSON.parse(built.stdout) as { snapshot: string }).snapshot, plain.snapshotId);
      const found = await server.gql<{ principalsByInvocableMethods: { totalCount: number } }>(
        query,
        {},
        { authorization: `Bearer ${reader.token}` },
      );
      assert.equal(found.body.errors, undefined, JSON.stringify(found.body.errors));
      assert.ok(dataOf(found.body).principalsByInvocableMethods.totalCount > 0);
    } finally {
      await server.close();
    }
  });
});
