import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  accessIndexBuilds,
  accessIndexRows,
  INDEX_LABELS,
  methodTemplateArn,
  writeAccessIndex,
  type AccessAnalysis,
} from '../../src/analysis';
import { migrationsDir, seedDir } from '../../src/config/paths';
import { cypher, readMigrationFiles, type Graph } from '../../src/db';
import { AppError } from '../../src/errors';
import { deleteMarkedSnapshot, markSnapshotDeleting } from '../../src/store';
import {
  AnalysisService,
  computeAccessIndex,
  INDEX_QUERIES,
  readAccessSummaryFromIndex,
  rebuildAccessIndex,
  SnapshotService,
} from '../../src/services';
import { acquireIndexBuild, releaseIndexBuild, runIndexBuild } from '../../src/services/index/indexBuild';
import { invocableFromIndex } from '../../src/services/index/invocableFromIndex';
import { answerFromIndex, whoCanFromIndex } from '../../src/services/index/whoCanFromIndex';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';
import { runWhocanCli, type CliRun } from '../support/whocanCli';

/**
 * Building the access index against concurrent builds and killed processes
 * (src/services/index/indexBuild.ts): one build per snapshot at a time (a
 * second one is refused, from the CLI with exit 2), questions keep reading
 * the previous complete index while a build runs or after it was killed, and
 * the next build takes a dead build's lock over and removes what it left,
 * ending with the same index a single build writes.
 */

function runWhocan(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runWhocanCli(args, { ...testNeo4jEnv(), ...env }, 180_000);
}

/** Everything the index the snapshot points to says (who has which access to what, with every stored property), as one hash, and its node counts. */
const CONTENT = cypher(
  'test.indexBuild.content',
  `MATCH (ix:Snapshot {id: $s})
   MATCH (t:AccessTarget {snapshot: $s, build: ix.indexBuild})-[:ANSWERED_BY]->(:AccessSet)<-[a:HAS_ACCESS]-(:AccessClass)<-[:IN_ACCESS_CLASS]-(p:Accessor)
   RETURN t.key AS target, p.key AS principal, a.decision AS decision, a.hops AS hops, a.bestHops AS bestHops, a.direct AS direct,
          a.conditions AS conditions, a.formula AS formula, a.patterns AS patterns`,
);
const COUNTS = (label: string) =>
  cypher(
    `test.indexBuild.count.${label}`,
    `MATCH (ix:Snapshot {id: $s})
     MATCH (n:${label}) WHERE n.snapshot = $s
     RETURN count(n) AS all, count(CASE WHEN n.build = ix.indexBuild THEN 1 END) AS current, count(DISTINCT [n.build, n.key]) AS distinct`,
  );
const LOCK = cypher(
  'test.indexBuild.lock',
  `MATCH (s:Snapshot {id: $s}) RETURN s.index AS index, s.indexBuild AS build, s.indexBuilding AS building, s.indexBuildPid AS pid, s.indexBuildHeartbeat IS NOT NULL AS heartbeat`,
);
const FAKE_LOCK = cypher(
  'test.indexBuild.fakeLock',
  `MATCH (s:Snapshot {id: $s})
   SET s.indexBuilding = $build, s.indexBuildPid = $pid, s.indexBuildHost = $host, s.indexBuildStartedAt = datetime() - duration({seconds: $age}),
       s.indexBuildHeartbeat = datetime() - duration({seconds: $age})`,
);

describe('access index builds: one at a time, killed builds taken over and cleaned up, questions read the complete index throughout', () => {
  let graph: Graph;
  let snapshot: string;
  let analysis: AccessAnalysis;
  /** The index as the ingest built it: content hash and node counts per label. */
  let baseline: { hash: string; rows: number; counts: Record<string, number> };
  /** Some methods with principals, and their answers from the analysis. */
  const methods: { arn: string; principals: Map<string, string> }[] = [];
  let principal: string;
  let principalMethods: string[];

  async function content(): Promise<{ hash: string; rows: number }> {
    const rows = await graph.readAll<Record<string, unknown>>(CONTENT, { s: snapshot });
    const lines = rows
      .map((r) =>
        JSON.stringify([
          r['target'],
          r['principal'],
          r['decision'],
          r['hops'],
          r['bestHops'],
          r['direct'],
          r['conditions'],
          r['formula'],
          r['patterns'],
        ]),
      )
      .sort();
    return { hash: createHash('sha256').update(lines.join('\n')).digest('hex'), rows: lines.length };
  }

  /** Node counts of the build questions read; fails when another build's nodes remain, or when a node is duplicated. */
  async function countsWithoutLeftovers(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const label of INDEX_LABELS) {
      const row = (await graph.read<{ all: number; current: number; distinct: number }>(COUNTS(label), { s: snapshot }))[0]!;
      assert.equal(row.all, row.current, `${label}: only the build questions read has nodes (${row.all - row.current} left by others)`);
      assert.equal(row.distinct, row.all, `${label}: no node is written twice`);
      counts[label] = row.current;
    }
    return counts;
  }

  async function lock() {
    return (
      await graph.read<{ index: string | null; build: string | null; building: string | null; pid: number | null; heartbeat: boolean }>(
        LOCK,
        { s: snapshot },
      )
    )[0]!;
  }

  /** The index answers every question as before: who can invoke, what a principal can invoke, the docs' Cypher, the summary. */
  async function assertQuestionsAnswerAsBefore(when: string): Promise<void> {
    for (const m of methods) {
      const answer = await whoCanFromIndex(graph, snapshot, { action: 'execute-api:Invoke', resource: m.arn });
      assert.ok(answer, `${when}: the index answers who can invoke ${m.arn}`);
      assert.deepEqual(
        new Map(answer.principals.map((p) => [p.arn, `${p.decision}/${p.hops}`])),
        m.principals,
        `${when}: who can invoke ${m.arn}`,
      );
      const rows = await graph.read<{ principal: string; decision: string; hops: number }>(INDEX_QUERIES.whoCanInvoke, {
        s: snapshot,
        method: m.arn,
      });
      assert.deepEqual(
        new Map(rows.map((r) => [r.principal, `${r.decision}/${r.hops}`])),
        m.principals,
        `${when}: the documented Cypher for ${m.arn}`,
      );
    }
    const invocable = await invocableFromIndex(graph, snapshot, principal);
    assert.ok(invocable, `${when}: the index answers what ${principal} can invoke`);
    assert.deepEqual(invocable.methods.map((m) => m.methodArn).sort(), principalMethods, `${when}: what ${principal} can invoke`);
    assert.ok((await readAccessSummaryFromIndex(graph, snapshot)).length > 0, `${when}: the access summary reads the index`);
  }

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    const ingested = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).ingest(seedDir(), undefined, {
      index: true,
    });
    snapshot = ingested.snapshotId;
    analysis = (await new AnalysisService(graph).analysis()).analysis;
    const misses = new Set<string>();
    for (const api of analysis.model.apis.values()) {
      for (const stage of api.stages) {
        for (const method of api.methods) {
          const arn = methodTemplateArn(api, stage, method);
          const answer = analysis.whoCan('execute-api:Invoke', arn);
          // Methods the index answers by itself (some need the engine: a partial own grant, for example).
          const indexed = await answerFromIndex(graph, snapshot, { action: 'execute-api:Invoke', resource: arn });
          misses.add(typeof indexed === 'string' ? indexed : 'answered');
          if (typeof indexed !== 'string' && answer.principals.length > 0 && methods.length < 6)
            methods.push({ arn, principals: new Map(answer.principals.map((p) => [p.arn, `${p.decision}/${p.hops}`])) });
        }
      }
    }
    assert.ok(methods.length >= 3, `seed/ has methods that principals can invoke, answered by the index (${[...misses].join(', ')})`);
    assert.ok(!misses.has('not indexed'), 'every method is in the index');
    principal = [...methods[0]!.principals.keys()].find((arn) => arn.includes(':user/')) ?? [...methods[0]!.principals.keys()][0]!;
    principalMethods = analysis
      .invocableMethods(principal)
      .methods.map((m) => m.methodArn)
      .sort();
    assert.ok(principalMethods.length > 0);
    baseline = { ...(await content()), counts: await countsWithoutLeftovers() };
    assert.ok(baseline.rows > 10, 'the index holds answers worth comparing');
    const state = await lock();
    assert.equal(state.index, 'complete');
    assert.equal(state.building, null, 'the ingest released its build lock');
    await assertQuestionsAnswerAsBefore('after the ingest');
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
  });

  it('two concurrent rebuilds of a snapshot: one is refused naming the other, and the index equals a single build', async () => {
    const previous = (await lock()).build;
    const analyses = new AnalysisService(graph);
    const results = await Promise.allSettled([
      rebuildAccessIndex(graph, analyses, { snapshot }),
      rebuildAccessIndex(graph, analyses, { snapshot }),
    ]);
    const done = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(done.length, 1, JSON.stringify(refused.map((r) => String(r.reason))));
    assert.equal(refused.length, 1);
    const error = refused[0]!.reason as AppError;
    assert.ok(error instanceof AppError && error.code === 'BAD_USER_INPUT', String(error));
    assert.match(
      error.message,
      new RegExp(
        `Another build of the access index of snapshot ${snapshot} is in progress \\(build b\\w+-[0-9a-f]{4}, process ${process.pid} on `,
      ),
    );
    assert.match(error.message, /Wait for it to finish/);

    const state = await lock();
    assert.notEqual(state.build, previous, 'questions read the new build');
    assert.equal(state.building, null, 'the lock is released');
    assert.deepEqual(await accessIndexBuilds(graph, snapshot), [state.build], 'the replaced build is removed');
    assert.deepEqual(await content(), { hash: baseline.hash, rows: baseline.rows });
    assert.deepEqual(await countsWithoutLeftovers(), baseline.counts);
    await assertQuestionsAnswerAsBefore('after two concurrent rebuilds');
  });

  it('the lock is a compare-and-set: of builds racing for it, exactly one gets it', async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 6 }, () => acquireIndexBuild(graph, snapshot)));
    const got = attempts.filter((a) => a.status === 'fulfilled');
    assert.equal(got.length, 1, JSON.stringify(attempts.map((a) => (a.status === 'rejected' ? String(a.reason) : 'acquired'))));
    for (const a of attempts) if (a.status === 'rejected') assert.match(String(a.reason), /Another build of the access index/);
    await releaseIndexBuild(graph, got[0]!.value);
    assert.equal((await lock()).building, null);
  });

  it('`whocan index` refuses while another live build holds the lock (exit 2, naming it); a stale lock is taken over', async () => {
    const lease = await acquireIndexBuild(graph, snapshot);
    try {
      const refused = await runWhocan(['index', '--snapshot', snapshot, '--keep-previous', '0']);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, new RegExp(`build ${lease.build}, process ${process.pid} on `));
      assert.match(refused.stderr, /Wait for it to finish, or stop it/);
      assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await releaseIndexBuild(graph, lease);
    }
    const bad = await runWhocan(['index', '--snapshot', snapshot, '--keep-previous', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--keep-previous <seconds>' argument 'soon' is invalid\. expected a whole number of seconds from 0 to 3600/);
    // Another host's build that reported 10 s ago is alive; one silent for 10 minutes is not.
    await graph.write(FAKE_LOCK, { s: snapshot, build: 'b-other-host', pid: 1, host: 'another-host.invalid', age: 10 });
    await assert.rejects(
      rebuildAccessIndex(graph, new AnalysisService(graph), { snapshot }),
      /build b-other-host, process 1 on another-host\.invalid/,
    );
    await graph.write(FAKE_LOCK, { s: snapshot, build: 'b-other-host', pid: 1, host: 'another-host.invalid', age: 600 });
    const phases: string[] = [];
    await rebuildAccessIndex(graph, new AnalysisService(graph), {
      snapshot,
      onEvent: (e) => void (e.type === 'phase' && phases.push(e.message)),
    });
    assert.ok(
      phases.some((p) => p.includes('taking over the interrupted index build b-other-host')),
      phases.join('\n'),
    );
    assert.equal((await lock()).building, null);
    assert.deepEqual(await content(), { hash: baseline.hash, rows: baseline.rows });
  });

  it('questions keep reading the complete index while a build writes, and a failed build removes what it wrote', async () => {
    const before = await lock();
    const index = await computeAccessIndex(analysis, () => undefined);
    await assert.rejects(
      runIndexBuild(graph, snapshot, async (lease) => {
        // Half an index: nodes and memberships, no access. Read by mistake, it would answer "nobody".
        const rows = accessIndexRows(index);
        await writeAccessIndex(graph, snapshot, lease.build, { ...rows, access: [] });
        assert.deepEqual((await accessIndexBuilds(graph, snapshot)).sort(), [before.build!, lease.build].sort());
        await assertQuestionsAnswerAsBefore('while a build writes');
        const listed = (await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).list()).find(
          (s) => s.id === snapshot,
        )!;
        assert.equal(listed.index.state, 'complete');
        assert.equal(listed.index.building?.build, lease.build);
        assert.equal(listed.index.building?.status, 'running');
        throw new Error('the build failed');
      }),
      /the build failed/,
    );
    assert.deepEqual(await accessIndexBuilds(graph, snapshot), [before.build], 'the failed build removed its nodes');
    assert.equal((await lock()).building, null, 'and released the lock');
    assert.equal((await lock()).build, before.build);
    await assertQuestionsAnswerAsBefore('after a failed build');
  });

  it('the replaced build stays readable for `retireAfterMs` after the switch, then is removed', async () => {
    const old = (await lock()).build!;
    let switched: Promise<{ builds: string[]; current: string | null }> | undefined;
    const result = rebuildAccessIndex(graph, new AnalysisService(graph), {
      snapshot,
      retireAfterMs: 1_500,
      onEvent: (e) => {
        if (e.type === 'phase' && e.message.startsWith('questions now read the new index')) {
          switched = (async () => ({ builds: await accessIndexBuilds(graph, snapshot), current: (await lock()).build }))();
        }
      },
    });
    await result;
    assert.ok(switched, 'the build announced the wait');
    const during = await switched;
    assert.notEqual(during.current, old, 'questions read the new build during the wait');
    assert.deepEqual(during.builds.sort(), [old, during.current!].sort(), 'the replaced build is still there during the wait');
    assert.deepEqual(await accessIndexBuilds(graph, snapshot), [during.current], 'and removed after it');
  });

  for (const step of ['index:writing:access classes', 'index:writing:access', 'index:switched']) {
    it(`a build killed at ${step}: questions read a complete index, \`whocan snapshots\` shows the interrupted build, and the next build takes over and cleans up`, async () => {
      const before = await lock();
      const killed = await runWhocan(['index', '--snapshot', snapshot, '--keep-previous', '0'], { WHOCAN_TEST_KILL_AT: step });
      assert.equal(killed.signal, 'SIGKILL', `killed at ${step}: ${killed.stderr}`);

      const state = await lock();
      assert.equal(state.index, 'complete');
      assert.ok(state.building, 'the killed build still holds the lock');
      if (step === 'index:switched') assert.equal(state.build, state.building, 'the switch happened: questions read the new build');
      else assert.equal(state.build, before.build, 'questions still read the previous build');
      assert.ok((await accessIndexBuilds(graph, snapshot)).length === 2, 'the killed build left nodes');
      assert.deepEqual(await content(), { hash: baseline.hash, rows: baseline.rows });
      await assertQuestionsAnswerAsBefore(`after a build killed at ${step}`);

      const listed = await runWhocan(['snapshots']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /build interrupted/);
      assert.match(
        listed.stdout,
        new RegExp(
          `The access index build ${state.building} of snapshot ${snapshot} was interrupted .*run \`whocan index --snapshot ${snapshot}\``,
        ),
      );
      const json = JSON.parse((await runWhocan(['snapshots', '--json'])).stdout) as {
        id: string;
        index: { state: string; building: { build: string; status: string } | null };
      }[];
      assert.deepEqual(
        json.filter((s) => s.id === snapshot).map((s) => [s.index.state, s.index.building?.build, s.index.building?.status]),
        [['complete', state.building, 'interrupted']],
      );

      const next = await runWhocan(['index', '--snapshot', snapshot, '--keep-previous', '0', '--json']);
      assert.equal(next.code, 0, next.stderr);
      assert.match(next.stderr, new RegExp(`taking over the interrupted index build ${state.building}`));
      const after = await lock();
      assert.equal(after.building, null);
      assert.notEqual(after.build, state.build);
      assert.deepEqual(await accessIndexBuilds(graph, snapshot), [after.build], 'only the new build remains');
      assert.deepEqual(await content(), { hash: baseline.hash, rows: baseline.rows });
      assert.deepEqual(await countsWithoutLeftovers(), baseline.counts);
      await assertQuestionsAnswerAsBefore(`after rebuilding over a build killed at ${step}`);
      const clean = await runWhocan(['snapshots']);
      assert.doesNotMatch(clean.stdout, /interrupted/);
    });
  }
  it('migration 0006: an index built before builds existed is read as the build `legacy`; one left `building` shows as interrupted and is replaced by the next build', async () => {
    const strip = cypher(
      'test.indexBuild.strip',
      `MATCH (n) WHERE n.snapshot = $s AND (n:Accessor OR n:AccessClass OR n:AccessSet OR n:AccessTarget) REMOVE n.build`,
    );
    const statements = readMigrationFiles(migrationsDir()).find((m) => m.version === 6)!.statements;
    const migrate06 = async () => {
      for (const [i, statement] of statements.entries()) await graph.runAutoCommit(cypher(`test.0006#${i}`, statement));
    };
    await graph.write(strip, { s: snapshot });
    await graph.write(cypher('test.indexBuild.legacyComplete', 'MATCH (s:Snapshot {id: $s}) REMOVE s.indexBuild'), { s: snapshot });
    await migrate06();
    assert.equal((await lock()).build, 'legacy');
    assert.deepEqual(await accessIndexBuilds(graph, snapshot), ['legacy']);
    assert.deepEqual(await content(), { hash: baseline.hash, rows: baseline.rows });
    await assertQuestionsAnswerAsBefore('after migrating a complete index');

    await graph.write(strip, { s: snapshot });
    await graph.write(
      cypher('test.indexBuild.legacyBuilding', "MATCH (s:Snapshot {id: $s}) SET s.index = 'building' REMOVE s.indexBuild"),
      { s: snapshot },
    );
    await migrate06();
    const state = await lock();
    assert.deepEqual([state.index, state.build, state.building], [null, null, 'legacy']);
    const listed = await runWhocan(['snapshots']);
    assert.match(listed.stdout, /build interrupted/);
    assert.match(listed.stdout, /Questions are answered by the analysis meanwhile/);
    assert.equal(
      await whoCanFromIndex(graph, snapshot, { action: 'execute-api:Invoke', resource: methods[0]!.arn }),
      undefined,
      'a half-built index is not read',
    );
    await rebuildAccessIndex(graph, new AnalysisService(graph), { snapshot });
    const after = await lock();
    assert.deepEqual(await accessIndexBuilds(graph, snapshot), [after.build]);
    assert.deepEqual(await content(), { hash: baseline.hash, rows: baseline.rows });
    assert.deepEqual(await countsWithoutLeftovers(), baseline.counts);
    await assertQuestionsAnswerAsBefore('after rebuilding a legacy half-built index');
  });
  it('a build whose lock was taken over, or whose snapshot is being deleted, writes nothing more and stops with a clear error', async () => {
    const index = await computeAccessIndex(analysis, () => undefined);
    const rows = accessIndexRows(index);
    const current = (await lock()).build;
    await assert.rejects(
      runIndexBuild(graph, snapshot, async (lease) => {
        await graph.write(FAKE_LOCK, { s: snapshot, build: 'b-taker', pid: 1, host: 'another-host.invalid', age: 0 });
        await writeAccessIndex(graph, snapshot, lease.build, rows);
        throw new Error('not reached');
      }),
      (error: Error) =>
        error instanceof AppError && error.code === 'BAD_USER_INPUT' && /another build took its lock over/.test(error.message),
    );
    assert.deepEqual(await accessIndexBuilds(graph, snapshot), [current], 'not one batch was written');
    assert.equal((await lock()).building, 'b-taker', 'the taker keeps the lock');
    await graph.write(
      cypher(
        'test.indexBuild.unlock',
        'MATCH (s:Snapshot {id: $s}) REMOVE s.indexBuilding, s.indexBuildPid, s.indexBuildHost, s.indexBuildStartedAt, s.indexBuildHeartbeat',
      ),
      { s: snapshot },
    );

    // A newer snapshot becomes current; the old one is deleted while its index is being rebuilt.
    const snapshots = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
    await snapshots.ingest(seedDir());
    await assert.rejects(
      runIndexBuild(graph, snapshot, async (lease) => {
        await writeAccessIndex(graph, snapshot, lease.build, { ...rows, access: [], targets: [] });
        assert.ok(await markSnapshotDeleting(graph, snapshot));
        await writeAccessIndex(graph, snapshot, lease.build, rows);
        throw new Error('not reached');
      }),
      /the snapshot is being deleted/,
    );
    await deleteMarkedSnapshot(graph, snapshot);
    const left = await graph.read<{ n: number }>(
      cypher('test.indexBuild.orphans', 'MATCH (n) WHERE n.snapshot = $s RETURN count(n) AS n'),
      { s: snapshot },
    );
    assert.equal(left[0]!.n, 0, 'nothing of the deleted snapshot remains');
    await assert.rejects(acquireIndexBuild(graph, snapshot), /no snapshot/);
  });
});
