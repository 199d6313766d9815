import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import neo4j from 'neo4j-driver';
import { LocalNeo4jError } from '../../src/errors';
import {
  localNeo4jStatus,
  startLocalNeo4j,
  startThrowawayNeo4j,
  stopLocalNeo4j,
  type LocalNeo4jOptions,
  type ThrowawayNeo4j,
} from '../../src/localNeo4j';

/**
 * The local Neo4j launcher for real: a throwaway instance (as the test
 * harness uses) and the detached instance behind `whocan db start`.
 * Each starts Neo4j once (a few seconds each); keep the number of starts low.
 */

const SLOW = { timeout: 300_000 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function query(uri: string, password: string, cypher: string): Promise<unknown> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', password), { connectionTimeout: 10_000 });
  try {
    const result = await driver.executeQuery(cypher);
    return result.records[0]?.get(0);
  } finally {
    await driver.close();
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Linux: the TCP ports a process listens on (from /proc/<pid>/fd and /proc/net/tcp{,6}); undefined elsewhere. */
function listeningPorts(pid: number): { address: string; port: number }[] | undefined {
  if (!existsSync(`/proc/${pid}/fd`)) return undefined;
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // fd closed meanwhile
    }
  }
  const found: { address: string; port: number }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] !== '0A' || !inodes.has(cols[9] ?? '')) continue; // 0A = LISTEN
      const [hexAddress = '', hexPort = '0'] = (cols[1] ?? '').split(':');
      found.push({ address: hexAddress, port: parseInt(hexPort, 16) });
    }
  }
  return found;
}

/** 127.0.0.1 as /proc/net/tcp (little-endian) or /proc/net/tcp6 (v4-mapped) writes it. */
const LOOPBACK_HEX = new Set(['0100007F', '0000000000000000FFFF00000100007F']);

describe('startThrowawayNeo4j (test databases)', SLOW, () => {
  let db: ThrowawayNeo4j;
  before(async () => {
    db = await startThrowawayNeo4j({ heap: '512m', pageCache: '64m' });
  });
  after(async () => {
    await db?.stop();
  });

  it('serves Bolt on 127.0.0.1 with the random password', async () => {
    assert.match(db.uri, /^bolt:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(db.user, 'neo4j');
    assert.ok(db.password.length >= 16);
    const one = await query(db.uri, db.password, 'RETURN 1');
    assert.equal(neo4j.integer.toNumber(one as number), 1);
  });

  it('refuses a wrong password', async () => {
    await assert.rejects(query(db.uri, `${db.password}-wrong`, 'RETURN 1'), (error: { code?: string }) => {
      assert.equal(error.code, 'Neo.ClientError.Security.Unauthorized');
      return true;
    });
  });

  it('listens on nothing but Bolt on 127.0.0.1 (no HTTP)', (t) => {
    const ports = listeningPorts(db.pid);
    if (ports === undefined) return t.skip('needs Linux /proc');
    const boltPort = Number(new URL(db.uri).port);
    assert.deepEqual(
      ports.map((p) => p.port),
      [boltPort],
    );
    assert.ok(
      ports.every((p) => LOOPBACK_HEX.has(p.address)),
      `listens on ${JSON.stringify(ports)}`,
    );
  });

  it('checkpoint() flushes committed writes into the store files (their size on disk grows with the data)', async () => {
    const store = path.join(db.home, 'data', 'databases', 'neo4j');
    const bytes = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce(
        (sum, e) => sum + (e.isDirectory() ? bytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
        0,
      );
    await db.checkpoint();
    const before = bytes(store);
    await query(
      db.uri,
      db.password,
      "UNWIND range(1, 50000) AS i CREATE (:CheckpointProbe {i: i, text: 'a property long enough to need its own records ' + i}) RETURN count(*)",
    );
    await db.checkpoint();
    const after = bytes(store);
    // 50,000 node records (15 B each) and their property records at least.
    assert.ok(after - before >= 50_000 * 15, `the store grew by ${after - before} bytes`);
  });

  it('stop() ends the process, closes the port and removes the temporary home', async () => {
    const port = Number(new URL(db.uri).port);
    assert.ok(alive(db.pid));
    await db.stop();
    assert.equal(alive(db.pid), false, `pid ${db.pid} still runs after stop()`);
    assert.equal(await canConnect(port), false);
    assert.equal(existsSync(db.home), false, `${db.home} was not removed`);
    await db.stop(); // a second stop is harmless
    await assert.rejects(db.checkpoint(), LocalNeo4jError, 'no checkpoint once stopped');
  });
});

describe('startLocalNeo4j / stopLocalNeo4j / localNeo4jStatus (whocan db)', SLOW, () => {
  let options: LocalNeo4jOptions;
  before(async () => {
    options = {
      home: await mkdtemp(path.join(os.tmpdir(), 'whocan-localneo4j-test-')),
      boltPort: await freePort(),
      password: 'local-test-password',
      heap: '512m',
      pageCache: '64m',
      startTimeoutMs: 180_000,
    };
  });
  after(async () => {
    await stopLocalNeo4j({ home: options.home, timeoutMs: 30_000 }).catch(() => undefined);
    await rm(options.home, { recursive: true, force: true });
  });

  it('reports not running, and cleans up a stale pid file', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid ?? 0;
    await new Promise((resolve) => dead.once('exit', resolve));
    await mkdir(path.join(options.home, 'run'), { recursive: true });
    const pidFile = path.join(options.home, 'run', 'whocan-neo4j.json');
    await writeFile(pidFile, JSON.stringify({ pid: deadPid, port: options.boltPort, startedAt: new Date().toISOString() }));

    const status = await localNeo4jStatus(options);
    assert.equal(status.running, false);
    assert.equal(status.pid, undefined);
    assert.equal(status.logFile, path.join(options.home, 'logs', 'launcher.log'));
    assert.deepEqual(await stopLocalNeo4j({ home: options.home }), { stopped: false });
    assert.equal(existsSync(pidFile), false);
  });

  it('says clearly when another process holds the port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(startLocalNeo4j({ ...options, boltPort: port }), (error: unknown) => {
        assert.ok(error instanceof LocalNeo4jError);
        assert.match(error.message, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  it('starts once in the background; a second start returns the same process; stop ends it', async () => {
    const progress: string[] = [];
    const first = await startLocalNeo4j({ ...options, onProgress: (m) => progress.push(m) });
    assert.equal(first.alreadyRunning, false);
    assert.equal(first.uri, `bolt://127.0.0.1:${options.boltPort}`);
    assert.ok(alive(first.pid));
    assert.ok(
      progress.some((m) => m.startsWith('starting Neo4j')),
      progress.join('\n'),
    );

    const record = JSON.parse(readFileSync(path.join(options.home, 'run', 'whocan-neo4j.json'), 'utf8')) as {
      pid: number;
      port: number;
      startedAt: string;
    };
    assert.equal(record.pid, first.pid);
    assert.equal(record.port, options.boltPort);
    assert.ok(!Number.isNaN(Date.parse(record.startedAt)));

    const second = await startLocalNeo4j(options);
    assert.deepEqual(second, { uri: first.uri, pid: first.pid, alreadyRunning: true });

    assert.deepEqual(await localNeo4jStatus(options), {
      running: true,
      pid: first.pid,
      uri: first.uri,
      home: options.home,
      logFile: path.join(options.home, 'logs', 'launcher.log'),
    });
    assert.equal(neo4j.integer.toNumber((await query(first.uri, options.password, 'RETURN 2')) as number), 2);
    assert.match(readFileSync(path.join(options.home, 'logs', 'launcher.log'), 'utf8'), /^whocan-neo4j ready bolt:\/\/127\.0\.0\.1:\d+$/m);

    const stopped = await stopLocalNeo4j({ home: options.home });
    assert.deepEqual(stopped, { stopped: true, pid: first.pid });
    assert.equal(alive(first.pid), false);
    assert.equal(await canConnect(options.boltPort), false);
    assert.equal((await localNeo4jStatus(options)).running, false);
    assert.equal(existsSync(path.join(options.home, 'run', 'whocan-neo4j.json')), false);
    assert.match(readFileSync(path.join(options.home, 'logs', 'launcher.log'), 'utf8'), /^whocan-neo4j stopped$/m);
  });
});
