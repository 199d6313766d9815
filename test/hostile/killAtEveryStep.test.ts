import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot, seedDir } from '../../src/config/paths';
import { cypher, type Graph } from '../../src/db';
import { NotFoundError, UserInputError } from '../../src/errors';
import { resolveSnapshot } from '../../src/services/snapshotCatalog';
import { createServices, type Services } from '../../src/services';
import { migrationsDir } from '../../src/config/paths';
import { RequestScope } from '../../src/services/requestScope';
import { resetGraph, testGraph, testNeo4jEnv } from '../integration/support/graph';

/**
 * Kill at every step: the real `whocan ingest` (and the real server, for an
 * admin's deleteSnapshot) is stopped dead with SIGKILL at each named step of
 * a snapshot's life (src/store/testHooks.ts lists how), then the graph must
 * still answer correctly:
 *
 * - the snapshot that was current before stays current (or the new one,
 *   once it completed), complete, and answers exactly as before;
 * - a snapshot is listed as complete only when all of it is there: a
 *   half-written or half-deleted one is `loading` or `deleting`, cannot be
 *   queried, made current, or taken as the previous snapshot of a diff;
 * - the next ingest removes whatever the killed process left behind.
 */

const root = packageRoot();
const whocan = path.join(root, 'bin', 'whocan.js');
const mainJs = path.join(root, 'dist', 'src', 'main.js');
const METHOD = 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets';
/** Each killed process must have reached its step and died within this time. */
const STEP_BOUND_MS = 90_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runWhocan(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv(), ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`whocan ${args.join(' ')} did not end within ${STEP_BOUND_MS} ms:\n${stderr}`));
    }, STEP_BOUND_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('kill at every step: ingest, prune and delete leave the graph consistent', () => {
  let graph: Graph;
  let services: Services;
  /** The seed snapshot's answers and size, taken once from a clean ingest. */
  let baseline: { nodes: number; principals: number; callers: string[] };

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    services = freshServices();
    const first = await services.snapshots.ingest(seedDir());
    baseline = {
      nodes: await nodesOf(first.snapshotId),
      principals: await principalsOf(first.snapshotId),
      callers: await callersOf(first.snapshotId),
    };
    assert.ok(baseline.principals > 10 && baseline.callers.length > 3, 'the seed gives answers worth comparing');
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
  });

  function freshServices(): Services {
    // A new analysis cache each time: nothing answered from memory hides what the graph holds.
    return createServices(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
  }

  async function nodesOf(id: string): Promise<number> {
    return (
      (await graph.read<{ n: number }>(cypher('testNodesOf', 'MATCH (n) WHERE n.snapshot = $id RETURN count(n) AS n'), { id }))[0]?.n ?? 0
    );
  }
  async function principalsOf(id: string): Promise<number> {
    return (
      (await graph.read<{ n: number }>(cypher('testPrincipalsOf', 'MATCH (n:Principal {snapshot: $id}) RETURN count(n) AS n'), { id }))[0]
        ?.n ?? 0
    );
  }
  async function callersOf(id: string): Promise<string[]> {
    const answer = await freshServices().analysis.whoCanInvoke({ requestArn: METHOD }, { snapshot: id });
    return answer.principals.map((p) => `${p.arn} ${p.decision}`).sort();
  }

  /** Every invariant that must hold whatever step the process died at. */
  async function assertConsistent(expectCurrent: (current: string) => void): Promise<{ hidden: string[] }> {
    const listed = await services.snapshots.list();
    const current = listed.filter((s) => s.current);
    assert.equal(current.length, 1, `exactly one current snapshot: ${JSON.stringify(listed)}`);
    const now = current[0]!;
    assert.equal(now.state, 'complete');
    expectCurrent(now.id);
    // The current snapshot answers exactly as the seed does.
    assert.equal(await services.snapshots.current(), now.id);
    assert.equal(await principalsOf(now.id), baseline.principals);
    assert.deepEqual(await callersOf(now.id), baseline.callers);
    const hidden: string[] = [];
    for (const snapshot of listed) {
      if (snapshot.state === 'complete') {
        assert.equal(await nodesOf(snapshot.id), baseline.nodes, `snapshot ${snapshot.id} is listed as complete, so all of it is there`);
        continue;
      }
      hidden.push(snapshot.id);
      assert.ok(!snapshot.current, 'a loading or deleting snapshot is never current');
      await assert.rejects(resolveSnapshot(graph, snapshot.id, {}), NotFoundError, `${snapshot.id} (${snapshot.state}) cannot be queried`);
      await assert.rejects(services.analysis.whoCanInvoke({ requestArn: METHOD }, { snapshot: snapshot.id }), NotFoundError);
      const scope = new RequestScope({ requestId: 'kill-test', timeoutMs: 60_000 });
      try {
        await assert.rejects(
          services.snapshots.setCurrent(snapshot.id, scope),
          UserInputError,
          `${snapshot.id} (${snapshot.state}) cannot be made current`,
        );
      } finally {
        scope.dispose();
      }
    }
    // The previous snapshot of a diff is a complete one, never a hidden one.
    try {
      const diff = await services.analysis.accessDiff({});
      assert.ok(
        !hidden.includes(diff.from),
        `the diff compares with ${diff.from}, which is ${listed.find((s) => s.id === diff.from)?.state}`,
      );
    } catch (error) {
      assert.ok(error instanceof NotFoundError && /No snapshot before/.test(error.message), String(error));
    }
    return { hidden };
  }

  /** The next ingest removes what the killed one left, and becomes current. */
  async function nextIngestCleansUp(hidden: string[]): Promise<void> {
    const result = await freshServices().snapshots.ingest(seedDir(), undefined, { keep: 3 });
    const listed = await services.snapshots.list();
    assert.deepEqual(
      listed.filter((s) => s.state !== 'complete'),
      [],
      'no loading or deleting snapshot is left',
    );
    for (const id of hidden) assert.equal(await nodesOf(id), 0, `nothing of ${id} is left`);
    await assertConsistent((current) => assert.equal(current, result.snapshotId));
  }

  /** Makes sure there are two complete snapshots, so that a `--keep 1` ingest has one to prune besides the current one. */
  async function twoComplete(): Promise<void> {
    while ((await services.snapshots.list()).filter((s) => s.state === 'complete').length < 2)
      await freshServices().snapshots.ingest(seedDir());
  }

  it('whocan ingest killed at every step of ingest and prune', { timeout: 1_800_000 }, async () => {
    // The steps, as the real command reaches them (ingest, then prune of the older snapshots).
    await twoComplete();
    const listing = await runWhocan([whocan, 'ingest', seedDir(), '--keep', '1'], { WHOCAN_TEST_STEPS: '1' });
    assert.equal(listing.code, 0, listing.stderr);
    const steps = [...new Set([...listing.stderr.matchAll(/^whocan-test-step (\S+)$/gm)].map((m) => m[1]!))];
    for (const expected of [
      'ingest:created',
      'ingest:loading',
      'ingest:loaded',
      'ingest:completed',
      'delete:marked',
      'delete:nodes:Policy',
    ]) {
      assert.ok(steps.includes(expected), `step ${expected} is among ${steps.join(', ')}`);
    }

    for (const step of steps) {
      await twoComplete();
      const before = await services.snapshots.current();
      assert.ok(before);
      const killed = await runWhocan([whocan, 'ingest', seedDir(), '--keep', '1'], { WHOCAN_TEST_KILL_AT: step });
      assert.equal(killed.signal, 'SIGKILL', `killed at ${step}: ${killed.stderr}`);
      const written = /writing snapshot (\S+)/.exec(killed.stderr)?.[1];
      const completed = step.startsWith('delete:') || step === 'ingest:completed';
      const { hidden } = await assertConsistent((current) => {
        if (completed) assert.equal(current, written, `killed at ${step}: the new snapshot completed, so it is current`);
        else assert.equal(current, before, `killed at ${step}: the previous snapshot stays current`);
      });
      if (step.startsWith('delete:')) assert.ok(hidden.length > 0, `killed at ${step}: a snapshot is being deleted, and hidden`);
      if (!completed && written) assert.ok(hidden.includes(written), `killed at ${step}: the unfinished snapshot ${written} is hidden`);
      await nextIngestCleansUp(hidden);
    }
  });

  it(
    "an admin's deleteSnapshot, the server killed in the middle: the snapshot stays hidden, and the next ingest finishes the deletion",
    { timeout: 600_000 },
    async () => {
      for (const step of ['delete:marked', 'delete:nodes:Policy', 'delete:nodes:ExternalPrincipal']) {
        await twoComplete();
        const victim = (await services.snapshots.list()).find((s) => s.state === 'complete' && !s.current)!.id;
        const server = spawn(process.execPath, [mainJs], {
          cwd: root,
          env: {
            PATH: process.env['PATH'] ?? '',
            ...testNeo4jEnv(),
            PORT: '0',
            LOG_LEVEL: 'warn',
            WHOCAN_LOAD_DEMO: 'false',
            WHOCAN_TEST_KILL_AT: step,
          },
        });
        let stderr = '';
        const exited = new Promise<NodeJS.Signals | null>((resolve) => server.on('exit', (_code, signal) => resolve(signal)));
        try {
          const url = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), STEP_BOUND_MS);
            server.stderr.on('data', (chunk: Buffer) => {
              stderr += chunk.toString();
              const match = /whocan is ready: (\S+)/.exec(stderr);
              if (match?.[1]) {
                clearTimeout(timer);
                resolve(match[1]);
              }
            });
          });
          const response = fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'mutation($id: String!) { deleteSnapshot(id: $id) { id } }', variables: { id: victim } }),
          });
          await assert.rejects(response, `the server died at ${step} before answering`);
          assert.equal(await exited, 'SIGKILL');
        } finally {
          if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
        }
        const { hidden } = await assertConsistent(() => undefined);
        assert.deepEqual(hidden, [victim], `killed at ${step}: the snapshot being deleted is hidden`);
        await nextIngestCleansUp(hidden);
      }
    },
  );
});
