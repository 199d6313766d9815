import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { packageRoot } from '../../src/config/paths';
import { testNeo4jEnv } from '../integration/support/graph';

/**
 * `npm start` must not orphan the server: npm forwards SIGTERM to the shell
 * that runs the script (sh -c), and the shell dies without passing it on. So
 * the script is `exec node …` (dash does not exec a lone command by itself),
 * and the build runs in `prestart`. SIGTERM to the npm process must leave no
 * process of its tree behind.
 */

/** Every process below `root` (pid, command line), from ps. */
function descendants(root: number): { pid: number; args: string }[] {
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = ps.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? '' }));
  const found: { pid: number; args: string }[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const row of rows.filter((r) => r.ppid === parent)) {
      found.push({ pid: row.pid, args: row.args });
      queue.push(row.pid);
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start and signals', () => {
  it('SIGTERM to the `npm start` process stops the server: no process is left behind', { timeout: 240_000 }, async () => {
    const npm = spawn('npm', ['start'], {
      cwd: packageRoot(),
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        ...testNeo4jEnv(),
        PORT: '0',
        LOG_LEVEL: 'info',
        WHOCAN_LOAD_DEMO: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let tree: { pid: number; args: string }[] = [];
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start did not serve within 180 s:\n${output}`)), 180_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /whocan is ready: (\S+)/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        npm.stdout.on('data', onData);
        npm.stderr.on('data', onData);
        npm.on('exit', (code) => reject(new Error(`npm start exited with ${code} before serving:\n${output}`)));
      });
      tree = descendants(npm.pid!);
      assert.ok(
        tree.some((p) => /dist\/src\/main\.js/.test(p.args)),
        `the server runs below npm: ${JSON.stringify(tree)}`,
      );
      const health = await fetch(url.replace(/\/graphql$/, '/healthz'));
      assert.equal(health.status, 200);

      const started = Date.now();
      npm.kill('SIGTERM');
      await exited;
      // The server drains and exits on its own; give it a bounded time.
      while (tree.some((p) => alive(p.pid)) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 100));
      const left = tree.filter((p) => alive(p.pid));
      assert.deepEqual(left, [], `processes left behind after SIGTERM to npm:\n${output}`);
      await assert.rejects(fetch(url.replace(/\/graphql$/, '/healthz'), { signal: AbortSignal.timeout(2_000) }), 'nothing serves any more');
    } finally {
      // Orphans are re-parented, so the tree seen while serving is what to clean up.
      for (const p of tree) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
      if (alive(npm.pid!)) npm.kill('SIGKILL');
    }
  });
});
