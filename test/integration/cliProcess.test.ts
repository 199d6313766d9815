import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';

const root = packageRoot();
const whocan = path.join(root, 'bin', 'whocan.js');
const mainJs = path.join(root, 'dist', 'src', 'main.js');

/** Runs a whocan process with only the given environment (plus PATH), as a user would. */
function run(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('whocan processes against a real Neo4j', () => {
  let graph: Graph;
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
  });

  it('`whocan migrate` twice applies each migration once', () => {
    const first = run([whocan, 'migrate'], testNeo4jEnv());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied \d+ migration\(s\)\./);
    const second = run([whocan, 'migrate'], testNeo4jEnv());
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Schema is up to date: no migration to apply\./);
    const status = run([whocan, 'migrate', '--status'], testNeo4jEnv());
    assert.match(status.stdout, /0001\s+snapshots\s+applied/);
  });

  it('bad configuration stops the server with one clear message and exit 2, no stack trace', () => {
    const result = run([mainJs], { ...testNeo4jEnv(), PORT: 'abc', LOG_LEVEL: 'loud' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Invalid configuration \(2 problems\)/);
    assert.match(result.stderr, /PORT="abc"/);
    assert.match(result.stderr, /LOG_LEVEL="loud"/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  it('an unreachable NEO4J_URI gives a clear message and exit 2, no stack trace', () => {
    const result = run([mainJs], {
      NEO4J_URI: 'bolt://127.0.0.1:1',
      NEO4J_PASSWORD: 'some-password',
      NEO4J_CONNECTION_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'silent',
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Neo4j at bolt:\/\/127\.0\.0\.1:1 is not reachable/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  it('the server starts, answers the health query, and exits 0 on SIGTERM', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [mainJs], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv(), PORT: '0', LOG_LEVEL: 'info' },
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 60_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /whocan is ready: (\S+)/.exec(stderr);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { ok neo4jVersion } }' }),
    });
    const json = (await response.json()) as { data: { health: { ok: boolean; neo4jVersion: string } } };
    assert.equal(json.data.health.ok, true);
    assert.match(json.data.health.neo4jVersion, /^5\.26\./);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
    assert.equal(exitCode, 0, stderr);
    assert.match(stderr, /shutting down: draining requests/);
  });
});
