import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrationsDir, packageRoot, seedDir } from '../../src/config/paths';
import { cypher, type Graph } from '../../src/db';
import { readSnapshot } from '../../src/ingest';
import { IngestInputError, SnapshotService } from '../../src/services';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';

const root = packageRoot();
const whocan = path.join(root, 'bin', 'whocan.js');
const PROD = '333344445555';

async function count(graph: Graph, label: string, snapshot: string): Promise<number> {
  const rows = await graph.read<{ n: number }>(
    cypher('testCountLabel', `MATCH (n:${label}) WHERE n.snapshot = $snapshot RETURN count(n) AS n`),
    { snapshot },
  );
  return rows[0]?.n ?? 0;
}

async function nodesPerSnapshot(graph: Graph): Promise<Record<string, number>> {
  const rows = await graph.read<{ snapshot: string; n: number }>(
    cypher('testNodesPerSnapshot', 'MATCH (n) WHERE n.snapshot IS NOT NULL RETURN n.snapshot AS snapshot, count(n) AS n'),
  );
  return Object.fromEntries(rows.map((r) => [r.snapshot, r.n]));
}

describe('ingest against a real Neo4j', () => {
  let graph: Graph;
  let service: SnapshotService;
  let work: string;
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    service = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
    work = mkdtempSync(path.join(tmpdir(), 'whocan-ingest-'));
  });
  after(async () => {
    rmSync(work, { recursive: true, force: true });
    await resetGraph(graph);
    await graph.close();
  });

  it('loads seed/ completely: every row becomes a node, and the model links them', async () => {
    const { rows } = readSnapshot(seedDir());
    const result = await service.ingest(seedDir());
    assert.equal(await service.current(), result.snapshotId);
    const s = result.snapshotId;
    assert.equal(await count(graph, 'User', s), rows.users.length);
    assert.equal(await count(graph, 'Role', s), rows.roles.length);
    assert.equal(await count(graph, 'Policy', s), rows.policies.length);
    assert.equal(await count(graph, 'Statement', s), rows.statements.length);
    assert.equal(await count(graph, 'Method', s), rows.methods.length);
    assert.equal(await count(graph, 'LambdaFunction', s), rows.functions.length);
    assert.equal(await count(graph, 'VpcEndpoint', s), 2);

    // VPC endpoint → its policy (kind endpoint) → statement; the one without PolicyDocument has none; both in the prod account.
    const endpoints = await graph.read<{
      id: string;
      vpc: string;
      dns: boolean;
      defaultPolicy: boolean;
      kind: string | null;
      sid: string | null;
      account: string;
    }>(
      cypher(
        'testVpcEndpoints',
        `MATCH (e:VpcEndpoint {snapshot: $s})-[:IN_ACCOUNT]->(a:Account)
         OPTIONAL MATCH (e)-[:HAS_ENDPOINT_POLICY]->(p:Policy)-[:HAS_STATEMENT]->(st:Statement)
         RETURN e.id AS id, e.vpcId AS vpc, e.privateDnsEnabled AS dns, e.defaultPolicy AS defaultPolicy, p.kind AS kind, st.sid AS sid, a.id AS account ORDER BY id`,
      ),
      { s },
    );
    assert.deepEqual(endpoints, [
      {
        id: 'vpce-0a1b2c3d4e5f60789',
        vpc: 'vpc-0123456789abcdef0',
        dns: true,
        defaultPolicy: false,
        kind: 'endpoint',
        sid: 'OnlyTheInventoryList',
        account: '333344445555',
      },
      {
        id: 'vpce-0fedcba9876543210',
        vpc: 'vpc-0fedcba98765432a1',
        dns: false,
        defaultPolicy: true,
        kind: null,
        sid: null,
        account: '333344445555',
      },
    ]);

    // The role listed in both IAM pages is one node.
    assert.equal(
      (await graph.read(cypher('testInvokeRole', 'MATCH (r:Role {snapshot: $s, name: "petstore-apigw-invoke"}) RETURN r'), { s })).length,
      1,
    );

    // user → group → managed policy (default version only) → statement
    const grants = await graph.read<{ policy: string; actions: string[] }>(
      cypher(
        'testBobPath',
        `MATCH (u:User {snapshot: $s, name: 'bob-caller'})-[:MEMBER_OF]->(g:Group)-[:HAS_POLICY]->(p:Policy {name: 'InvokePetsProd'})-[:HAS_STATEMENT]->(st:Statement)
         RETURN p.versionId AS policy, st.actions AS actions`,
      ),
      { s },
    );
    assert.ok(grants.length > 0, 'bob reaches InvokePetsProd through his group');
    assert.ok(
      grants.every((g) => g.policy === 'v2'),
      'only the default version is in force',
    );
    assert.ok(
      grants.every((g) => !g.actions.includes('execute-api:*')),
      'v1 (execute-api:* on *) is ignored',
    );

    // caller → method → integration → the role it runs as → the Lambda function
    const backends = await graph.read<{ role: string; fn: string }>(
      cypher(
        'testIntegrationPath',
        `MATCH (m:Method {snapshot: $s})-[:INTEGRATES_WITH]->(i:Integration {credentialsMode: 'role'})-[:RUNS_AS]->(r:Role), (i)-[:CALLS]->(f:LambdaFunction)
         RETURN r.name AS role, f.name AS fn`,
      ),
      { s },
    );
    assert.ok(
      backends.some((b) => b.role === 'petstore-apigw-invoke'),
      'an integration runs as the integration role',
    );

    // Trust policies and service principals
    const trusted = await graph.read<{ role: string }>(
      cypher(
        'testServiceTrust',
        `MATCH (r:Role {snapshot: $s})-[:HAS_TRUST_POLICY]->(:Policy)-[:HAS_STATEMENT]->(:Statement)-[:NAMES_SERVICE]->(:ServicePrincipal {name: 'apigateway.amazonaws.com'}) RETURN r.name AS role`,
      ),
      { s },
    );
    assert.deepEqual(
      trusted.map((t) => t.role),
      ['petstore-apigw-invoke'],
    );

    // A boundary missing from the snapshot is a placeholder, not "allows everything".
    const missing = await graph.read<{ document: string | null }>(
      cypher(
        'testMissingBoundary',
        `MATCH (:User {snapshot: $s, name: 'kim-noaccess'})-[:HAS_BOUNDARY]->(p:Policy) RETURN p.document AS document, p.missing AS missing`,
      ),
      { s },
    );
    assert.deepEqual(
      missing.map((m) => m.document),
      [null],
    );

    // The raw policy JSON is kept on policy nodes.
    const apiPolicy = await graph.read<{ document: string }>(
      cypher(
        'testApiPolicy',
        `MATCH (:RestApi {snapshot: $s, name: 'petstore-api'})-[:HAS_RESOURCE_POLICY]->(p:Policy) RETURN p.document AS document`,
      ),
      { s },
    );
    assert.equal((JSON.parse(apiPolicy[0]?.document ?? '{}') as { Version?: string }).Version, '2012-10-17');

    // Organization: accounts under OUs under the root, SCPs attached.
    const scps = await graph.read<{ n: number }>(
      cypher('testScps', `MATCH (p:Policy {snapshot: $s, kind: 'scp'})-[:ATTACHED_TO]->() RETURN count(*) AS n`),
      { s },
    );
    assert.ok((scps[0]?.n ?? 0) > 0);
    const prod = await graph.read<{ ingested: boolean }>(
      cypher('testProdAccount', `MATCH (a:Account {snapshot: $s, key: $prod})-[:CHILD_OF*1..]->(:OrgRoot) RETURN a.ingested AS ingested`),
      { s, prod: PROD },
    );
    assert.deepEqual(
      prod.map((p) => p.ingested),
      [true],
    );
  });

  it('refuses malformed input with one report naming every file and JSON path, and writes nothing', async () => {
    const bad = path.join(work, 'bad');
    cpSync(seedDir(), bad, { recursive: true });
    const details = path.join(bad, PROD, 'iam', 'authorization-details-1.json');
    const json = JSON.parse(readFileSync(details, 'utf8')) as {
      UserDetailList: { UserPolicyList: object[] }[];
      RoleDetailList: { Arn?: string }[];
    };
    json.UserDetailList[0]!.UserPolicyList = [
      { PolicyName: 'Broken', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] } },
    ];
    delete json.RoleDetailList[0]!.Arn;
    writeFileSync(details, JSON.stringify(json));
    writeFileSync(path.join(bad, PROD, 'us-east-1', 'lambda', 'functions.json'), '{ not json');
    const before = await nodesPerSnapshot(graph);
    const snapshotsBefore = await service.list();

    await assert.rejects(service.ingest(bad), (error: unknown) => {
      assert.ok(error instanceof IngestInputError);
      const text = error.describe();
      assert.match(
        text,
        /333344445555\/iam\/authorization-details-1\.json: \$\.UserDetailList\[0\]\.UserPolicyList\[0\]\.PolicyDocument\.Statement\[0\]\.Effect: /,
      );
      assert.match(text, /333344445555\/iam\/authorization-details-1\.json: \$\.RoleDetailList\[0\]\.Arn: /);
      assert.match(text, /333344445555\/us-east-1\/lambda\/functions\.json: \$: is not valid JSON/);
      assert.equal(error.problems.length, 3, text);
      return true;
    });
    assert.deepEqual(await nodesPerSnapshot(graph), before, 'no node was written');
    assert.deepEqual(await service.list(), snapshotsBefore, 'no snapshot was created');

    const cli = spawnSync(process.execPath, [whocan, 'ingest', bad], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv() },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 2, cli.stderr);
    assert.match(cli.stderr, /is not a valid snapshot: 3 problems, nothing was written/);
    assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace');
  });

  it('a killed ingest leaves the previous snapshot current and intact; the next ingest cleans up', { timeout: 300_000 }, async () => {
    const generated = path.join(work, 'generated');
    const gen = spawnSync(process.execPath, [whocan, 'generate', '--preset', 'small', '--seed', '7', '--out', generated], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(gen.status, 0, gen.stderr);
    const previous = await service.current();
    assert.ok(previous, 'a current snapshot exists from the first test');
    const before = await nodesPerSnapshot(graph);

    const child = spawn(process.execPath, [whocan, 'ingest', generated, '--batch-size', '20', '--allow-shrink'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv() },
    });
    let stderr = '';
    const loadingId = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /writing snapshot (\S+)/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`ingest ended (${code}) before it started writing:\n${stderr}`)));
    });
    // Let it write some batches, then kill it hard.
    for (let i = 0; i < 100 && ((await nodesPerSnapshot(graph))[loadingId] ?? 0) < 200; i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    const partial = (await nodesPerSnapshot(graph))[loadingId] ?? 0;
    assert.ok(partial > 0, 'the killed ingest had written part of its snapshot');
    assert.equal(await service.current(), previous, 'the previous snapshot is still current');
    const after = await nodesPerSnapshot(graph);
    assert.equal(after[previous], before[previous], 'and intact');
    const users = await graph.read<{ n: number }>(
      cypher('testCurrentUsers', 'MATCH (s:Snapshot {current: true}) MATCH (u:User {snapshot: s.id}) RETURN count(u) AS n'),
    );
    assert.equal(users[0]?.n, await count(graph, 'User', previous), 'queries on the current snapshot answer as before');
    assert.ok((await service.list()).some((s) => s.id === loadingId && s.state === 'loading'));

    // The next ingest removes the abandoned snapshot and completes.
    // (--allow-shrink: the generated organization replaces the seed's.)
    const result = await service.ingest(generated, undefined, { allowShrink: true });
    assert.equal(await service.current(), result.snapshotId);
    assert.equal((await nodesPerSnapshot(graph))[loadingId], undefined, 'the abandoned snapshot is gone');
    assert.ok(!(await service.list()).some((s) => s.id === loadingId));
  });

  it('keeps the newest snapshots up to the limit and lists them', async () => {
    const keepOne = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 1 });
    const result = await keepOne.ingest(seedDir(), undefined, { allowShrink: true });
    const list = await keepOne.list();
    assert.deepEqual(
      list.map((s) => [s.id, s.state, s.current]),
      [[result.snapshotId, 'complete', true]],
    );
    assert.deepEqual(Object.keys(await nodesPerSnapshot(graph)), [result.snapshotId], 'older snapshots were deleted');
    const cli = spawnSync(process.execPath, [whocan, 'snapshots'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv() },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`\\*\\s+${result.snapshotId}\\s+complete`));
  });
});
