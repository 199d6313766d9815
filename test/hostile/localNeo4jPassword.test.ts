import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import neo4j from 'neo4j-driver';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/localNeo4j';
import { freePort } from '../../src/localNeo4j/proc';
import { runWhocanCli, type CliRun } from '../support/whocanCli';

/**
 * The local Neo4j has no known default password: each installation gets a
 * random one, in `<home>/password` with mode 600, which `whocan db start`,
 * `npm start` and every command that opens the graph use. The old fixed
 * password is refused. An installation still running under the old password
 * gets a message saying how to move on, and keeps its data when it does.
 */

const OLD_DEFAULT = 'whocan-local-dev';

function run(args: string[], env: Record<string, string>): Promise<CliRun> {
  return runWhocanCli(args, { HOME: process.env['HOME'] ?? '/tmp', ...env }, 240_000);
}

async function canLogIn(uri: string, password: string): Promise<boolean> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', password), { connectionTimeout: 10_000 });
  try {
    await driver.executeQuery('RETURN 1');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'Neo.ClientError.Security.Unauthorized') return false;
    throw error;
  } finally {
    await driver.close();
  }
}

describe('the local Neo4j password', { timeout: 900_000 }, () => {
  const home = path.join(mkdtempSync(path.join(tmpdir(), 'whocan-localpw-')), 'neo4j');
  let env: Record<string, string>;
  after(async () => {
    await stopLocalNeo4j({ home, timeoutMs: 60_000 }).catch(() => undefined);
    rmSync(path.dirname(home), { recursive: true, force: true });
  });

  it('is generated per installation, kept with mode 600, used by every command; the old default is refused', async () => {
    const port = await freePort();
    env = {
      WHOCAN_NEO4J_HOME: home,
      WHOCAN_NEO4J_PORT: String(port),
      WHOCAN_NEO4J_HEAP: '512m',
      WHOCAN_NEO4J_PAGECACHE: '64m',
      LOG_LEVEL: 'warn',
    };
    const started = await run(['db', 'start'], env);
    assert.equal(started.code, 0, started.stderr);
    const file = path.join(home, 'password');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'only its owner can read it');
    const password = readFileSync(file, 'utf8').trim();
    assert.ok(password.length >= 24);
    const uri = `bolt://127.0.0.1:${port}`;
    assert.equal(await canLogIn(uri, password), true);
    assert.equal(await canLogIn(uri, OLD_DEFAULT), false, 'the old, published default password is refused');
    const migrate = await run(['migrate'], env);
    assert.equal(migrate.code, 0, `a command finds the password by itself:\n${migrate.stderr}`);
    assert.equal(readFileSync(file, 'utf8').trim(), password, 'and keeps it');
  });

  it('an installation still running under the old default gets a clear message, and keeps its data once restarted', async () => {
    // What an older whocan left running: the same home, started with the fixed password.
    await run(['db', 'stop'], env);
    const port = Number(env['WHOCAN_NEO4J_PORT']);
    const old = await startLocalNeo4j({
      home,
      boltPort: port,
      password: OLD_DEFAULT,
      heap: '512m',
      pageCache: '64m',
      startTimeoutMs: 180_000,
    });
    const driver = neo4j.driver(old.uri, neo4j.auth.basic('neo4j', OLD_DEFAULT));
    await driver.executeQuery("CREATE (:KeptAcrossRestart {name: 'kept'})");
    await driver.close();

    const refused = await run(['migrate'], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /refused this installation's password .*password\)\. It is probably still running from before whocan generated a password per installation.*whocan db stop && npx whocan db start/s,
    );
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');

    assert.equal((await run(['db', 'stop'], env)).code, 0);
    const restarted = await run(['db', 'start'], env);
    assert.equal(restarted.code, 0, restarted.stderr);
    const password = readFileSync(path.join(home, 'password'), 'utf8').trim();
    const again = neo4j.driver(old.uri, neo4j.auth.basic('neo4j', password));
    try {
      const { records } = await again.executeQuery('MATCH (n:KeptAcrossRestart) RETURN n.name AS name');
      assert.deepEqual(
        records.map((r) => r.get('name') as string),
        ['kept'],
        'the data is still there',
      );
    } finally {
      await again.close();
    }
    assert.equal(await canLogIn(old.uri, OLD_DEFAULT), false);
    assert.equal((await run(['db', 'stop'], env)).code, 0);
  });
});
