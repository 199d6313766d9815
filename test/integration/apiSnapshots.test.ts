import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedDir } from '../../src/config/paths';
import { cypher, type Graph } from '../../src/db';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { NotFoundError } from '../../src/errors';
import type { Services } from '../../src/services';
import { dataOf, firstError, ingest, servicesFor, startTestServer, type TestServer } from './support/api';
import type { Connection } from './support/answers';
import { resetGraph, testGraph } from './support/graph';

/**
 * Snapshots over the API: listing them, reading an older one with the
 * snapshot argument, rolling back with setCurrentSnapshot and deleting with
 * deleteSnapshot (admin), always keeping exactly one complete snapshot
 * current. Two snapshots: the seed as it is (older) and the seed without
 * user henry-support (newer), so answers show which one was read.
 */

/** A snapshot as the queries here ask for it. */
interface SnapshotRow {
  id: string;
  current: boolean;
  state: string;
  nodeCount: number;
}

const HENRY = 'arn:aws:iam::333344445555:user/henry-support';

function seedWithoutHenry(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'whocan-seed-'));
  cpSync(seedDir(), dir, { recursive: true });
  const file = path.join(dir, '333344445555', 'iam', 'authorization-details-1.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { UserDetailList: { UserName: string }[] };
  const before = json.UserDetailList.length;
  json.UserDetailList = json.UserDetailList.filter((u) => u.UserName !== 'henry-support');
  assert.equal(json.UserDetailList.length, before - 1, 'henry-support was in page 1 of the prod account');
  writeFileSync(file, JSON.stringify(json));
  return dir;
}

describe('snapshots over the API: list, read, roll back, delete (seed/ twice)', () => {
  let graph: Graph;
  let server: TestServer;
  let older: string;
  let newer: string;
  let withoutHenry: string;
  let services: Services;
  const admin = createApiToken('admin');
  const asAdmin = { authorization: `Bearer ${admin.token}` };

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    withoutHenry = seedWithoutHenry();
    older = await ingest(graph);
    newer = await ingest(graph, withoutHenry);
    services = servicesFor(graph);
    server = await startTestServer(graph, { services, apiTokens: parseApiTokenEntries(admin.entry).entries });
  });
  after(async () => {
    await server.close();
    await resetGraph(graph);
    await graph.close();
    rmSync(withoutHenry, { recursive: true, force: true });
  });

  const gql = <T = unknown>(query: string, variables?: Record<string, unknown>) => server.gql<T>(query, variables, asAdmin);

  async function currentIds(): Promise<string[]> {
    return (
      await graph.read<{ id: string }>(cypher('testCurrentIds', "MATCH (s:Snapshot {current: true, state: 'complete'}) RETURN s.id AS id"))
    ).map((r) => r.id);
  }

  async function nodesOf(id: string): Promise<number> {
    return (
      (await graph.read<{ n: number }>(cypher('testNodesOfSnapshot', 'MATCH (n) WHERE n.snapshot = $id RETURN count(n) AS n'), { id }))[0]
        ?.n ?? -1
    );
  }

  it('lists both, newest first, the newer one current; pages of one', async () => {
    const { body } = await gql<{ snapshots: Connection<SnapshotRow> }>(
      '{ snapshots(first: 1) { totalCount nodes { id current state } pageInfo { hasNextPage endCursor } } }',
    );
    assert.equal(dataOf(body).snapshots.totalCount, 2);
    assert.deepEqual(dataOf(body).snapshots.nodes, [{ id: newer, current: true, state: 'COMPLETE' }]);
    assert.equal(dataOf(body).snapshots.pageInfo.hasNextPage, true);
    const next = await gql<{ snapshots: Connection<SnapshotRow> }>(
      'query($after: String) { snapshots(first: 1, after: $after) { nodes { id current } pageInfo { hasNextPage } } }',
      { after: dataOf(body).snapshots.pageInfo.endCursor },
    );
    assert.deepEqual(dataOf(next.body).snapshots.nodes, [{ id: older, current: false }]);
    assert.equal(dataOf(next.body).snapshots.pageInfo.hasNextPage, false);
  });

  it('a snapshot marked for deletion is listed as deleting, and is never taken as the previous snapshot of a diff', async () => {
    const mark = cypher('testMarkDeleting', 'MATCH (s:Snapshot {id: $id}) SET s.deleting = true');
    const unmark = cypher('testUnmarkDeleting', 'MATCH (s:Snapshot {id: $id}) REMOVE s.deleting');
    await graph.write(mark, { id: older });
    try {
      const listed = await services.snapshots.list();
      assert.deepEqual(
        listed.map((s) => [s.id, s.state]),
        [
          [newer, 'complete'],
          [older, 'deleting'],
        ],
      );
      await assert.rejects(
        services.analysis.accessDiff({}),
        (error: unknown) => error instanceof NotFoundError && /No snapshot before/.test(error.message),
      );
    } finally {
      await graph.write(unmark, { id: older });
    }
    assert.deepEqual(
      (await services.snapshots.list()).map((s) => s.state),
      ['complete', 'complete'],
    );
  });
  it('reads the current snapshot by default, and the older one when asked', async () => {
    const { body } = await gql<{ now: { totalCount: number }; then: { totalCount: number }; thenHenry: { name: string } }>(
      `query($older: String) {
      now: principals { totalCount } then: principals(snapshot: $older) { totalCount }
      thenHenry: principal(arn: "${HENRY}", snapshot: $older) { name } }`,
      { older },
    );
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(dataOf(body).now.totalCount, 18);
    assert.equal(dataOf(body).then.totalCount, 19);
    assert.equal(dataOf(body).thenHenry.name, 'henry-support');
    const missing = await gql(`{ principal(arn: "${HENRY}") { name } }`);
    assert.equal(firstError(missing.body).extensions.code, 'NOT_FOUND');
  });

  it('refuses to delete the current snapshot, and unknown ids', async () => {
    const current = await gql('mutation($id: String!) { deleteSnapshot(id: $id) { id } }', { id: newer });
    assert.equal(firstError(current.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(firstError(current.body).message, /^id: snapshot ".*" is the current snapshot; make another one current first/);
    const unknown = await gql('mutation { deleteSnapshot(id: "20200101T000000Z-dead") { id } }');
    assert.equal(firstError(unknown.body).extensions.code, 'NOT_FOUND');
    const unknownSet = await gql('mutation { setCurrentSnapshot(id: "20200101T000000Z-dead") { id } }');
    assert.equal(firstError(unknownSet.body).extensions.code, 'NOT_FOUND');
    assert.deepEqual(await currentIds(), [newer]);
  });

  it('refuses to switch while an ingest is writing, and to switch to a snapshot that is still loading', async () => {
    // What beginSnapshot writes for a live ingest: a loading snapshot with a fresh heartbeat.
    await graph.write(
      cypher(
        'testLiveIngest',
        "CREATE (:Snapshot {id: '29991231T000000Z-live', state: 'loading', current: false, startedAt: datetime(), heartbeat: datetime(), pid: 1, host: 'elsewhere'})",
      ),
    );
    try {
      const live = await gql('mutation($id: String!) { setCurrentSnapshot(id: $id) { id } }', { id: older });
      assert.equal(firstError(live.body).extensions.code, 'BAD_USER_INPUT');
      assert.match(firstError(live.body).message, /an ingest is writing snapshot 29991231T000000Z-live right now/);
      // A silent one (killed ingest) does not block; switching to it is refused all the same.
      await graph.write(
        cypher('testStaleIngest', "MATCH (s:Snapshot {id: '29991231T000000Z-live'}) SET s.heartbeat = datetime() - duration('PT10M')"),
      );
      const loading = await gql('mutation { setCurrentSnapshot(id: "29991231T000000Z-live") { id } }');
      assert.equal(firstError(loading.body).extensions.code, 'BAD_USER_INPUT');
      assert.match(firstError(loading.body).message, /is still loading; only a complete snapshot can become current/);
      const read = await gql('{ principals(snapshot: "29991231T000000Z-live") { totalCount } }');
      assert.equal(firstError(read.body).extensions.code, 'NOT_FOUND');
      assert.match(firstError(read.body).message, /is still loading/);
    } finally {
      await graph.write(cypher('testDropLiveIngest', "MATCH (s:Snapshot {id: '29991231T000000Z-live'}) DELETE s"));
    }
    assert.deepEqual(await currentIds(), [newer]);
  });

  it('rolls back to the older snapshot: it becomes the only current one, and queries read it', async () => {
    const { body } = await gql<{ setCurrentSnapshot: SnapshotRow }>(
      'mutation($id: String!) { setCurrentSnapshot(id: $id) { id current state } }',
      { id: older },
    );
    assert.deepEqual(dataOf(body).setCurrentSnapshot, { id: older, current: true, state: 'COMPLETE' });
    assert.deepEqual(await currentIds(), [older]);
    const again = await gql<{ setCurrentSnapshot: SnapshotRow }>('mutation($id: String!) { setCurrentSnapshot(id: $id) { id current } }', {
      id: older,
    });
    assert.deepEqual(dataOf(again.body).setCurrentSnapshot, { id: older, current: true }, 'idempotent');
    assert.deepEqual(await currentIds(), [older]);
    const read = await gql<{ principals: { totalCount: number }; principal: { name: string } }>(
      `{ principals { totalCount } principal(arn: "${HENRY}") { name } }`,
    );
    assert.equal(dataOf(read.body).principals.totalCount, 19);
    assert.equal(dataOf(read.body).principal.name, 'henry-support');
  });

  it('deletes the snapshot that is no longer current: its nodes are gone, the current one is intact, the analysis forgets it', async () => {
    const keptNodes = await nodesOf(older);
    assert.ok((await nodesOf(newer)) > 100);
    assert.equal((await services.analysis.analysis({ snapshot: newer })).snapshot, newer, 'the analysis holds the snapshot in memory');
    const { body } = await gql<{ deleteSnapshot: SnapshotRow }>(
      'mutation($id: String!) { deleteSnapshot(id: $id) { id current nodeCount } }',
      { id: newer },
    );
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(dataOf(body).deleteSnapshot.id, newer);
    assert.equal(dataOf(body).deleteSnapshot.current, false);
    assert.equal(await nodesOf(newer), 0);
    assert.equal(await nodesOf(older), keptNodes);
    const list = await gql<{ snapshots: Connection<SnapshotRow> }>('{ snapshots { totalCount nodes { id current } } }');
    assert.deepEqual(dataOf(list.body).snapshots.nodes, [{ id: older, current: true }]);
    const gone = await gql('query($id: String) { principals(snapshot: $id) { totalCount } }', { id: newer });
    assert.equal(firstError(gone.body).extensions.code, 'NOT_FOUND');
    await assert.rejects(services.analysis.analysis({ snapshot: newer }), NotFoundError, 'no answer from a deleted snapshot');
  });

  it('keeps exactly one current snapshot when a switch and a deletion of the same snapshot race', async () => {
    for (let round = 0; round < 3; round++) {
      const target = await ingest(graph, withoutHenry); // becomes current
      const other = older;
      const [set, del] = await Promise.all([
        gql('mutation($id: String!) { setCurrentSnapshot(id: $id) { id } }', { id: other }),
        gql('mutation($id: String!) { deleteSnapshot(id: $id) { id } }', { id: other }),
      ]);
      const current = await currentIds();
      assert.equal(current.length, 1, `round ${round}: exactly one current snapshot, got ${JSON.stringify(current)}`);
      const deleted = del.body.errors === undefined;
      const switched = set.body.errors === undefined;
      assert.ok(deleted !== switched, `round ${round}: exactly one of the two succeeds: ${JSON.stringify([set.body, del.body])}`);
      if (deleted) {
        assert.equal(current[0], target, `round ${round}: the deletion won, the new snapshot stays current`);
        assert.match(firstError(set.body).message, /being deleted|no snapshot/);
        assert.equal(await nodesOf(other), 0);
        older = await ingest(graph); // the next round needs another snapshot to race over
        const reset = await gql('mutation($id: String!) { setCurrentSnapshot(id: $id) { id } }', { id: older });
        assert.equal(reset.body.errors, undefined);
      } else {
        assert.equal(current[0], other, `round ${round}: the switch won, so the deletion was refused`);
        assert.match(firstError(del.body).message, /is the current snapshot/);
      }
      // Drop the extra snapshot so each round starts alike.
      const drop = await gql('mutation($id: String!) { deleteSnapshot(id: $id) { id } }', { id: target });
      assert.equal(drop.body.errors, undefined, JSON.stringify(drop.body.errors));
    }
  });
});
