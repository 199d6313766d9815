import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalNeo4jError } from '../errors';
import { checkJava, ensureLauncherBuilt, launcherArgs, normalizeSize } from './build';
import { launcherLines, READY, seconds, spawned, uriFor, watchExit } from './launcherProcess';
import { boltAnswers, HOST, isOurLauncher, portState, processAlive, sleep, waitForExit } from './proc';

export { ensureLauncherBuilt, isLauncherBuilt, launcherPaths, JVM_FLAGS } from './build';
export { localNeo4jPassword, localPasswordFile } from './password';
export { startThrowawayNeo4j, type ThrowawayNeo4j } from './throwaway';

/**
 * The local Neo4j: Neo4j Community embedded, run by the launcher in
 * tools/neo4j (a Maven project built on first use), listening for Bolt on
 * 127.0.0.1 only, with authentication on. See docs/local-neo4j.md.
 *
 * Layout of a home directory:
 *   data/                  Neo4j's databases and transaction logs
 *   logs/debug.log         Neo4j's own log
 *   logs/launcher.log      the launcher's stdout/stderr (detached runs)
 *   run/whocan-neo4j.json  pid file: { pid, port, uri, startedAt, home }
 *   password               the generated password of user neo4j (mode 600; ./password.ts)
 */

export interface LocalNeo4jOptions {
  home: string;
  boltPort: number;
  password: string;
  heap: string;
  pageCache: string;
  startTimeoutMs: number;
  onProgress?: (message: string) => void;
}

interface PidRecord {
  pid: number;
  port: number;
  uri: string;
  startedAt: string;
  home: string;
}

const STOP_TIMEOUT_MS = 60_000;
/** launcher.log is rotated (to launcher.log.1) at start when bigger than this. */
const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

function layout(home: string) {
  const abs = path.resolve(home);
  return {
    home: abs,
    logDir: path.join(abs, 'logs'),
    logFile: path.join(abs, 'logs', 'launcher.log'),
    debugLog: path.join(abs, 'logs', 'debug.log'),
    runDir: path.join(abs, 'run'),
    pidFile: path.join(abs, 'run', 'whocan-neo4j.json'),
    startLock: path.join(abs, 'run', 'start.lock'),
  };
}
type Layout = ReturnType<typeof layout>;

async function readPidFile(l: Layout): Promise<PidRecord | undefined> {
  let text: string;
  try {
    text = await readFile(l.pidFile, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as Partial<PidRecord>;
    if (typeof record.pid !== 'number' || !Number.isInteger(record.pid) || record.pid <= 0) return undefined;
    const port = typeof record.port === 'number' ? record.port : 0;
    return { pid: record.pid, port, uri: record.uri ?? uriFor(port), startedAt: record.startedAt ?? '', home: l.home };
  } catch {
    return undefined; // unreadable: treated as absent (and overwritten by the next start)
  }
}

async function writePidFile(l: Layout, record: PidRecord): Promise<void> {
  await mkdir(l.runDir, { recursive: true });
  const tmp = `${l.pidFile}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, l.pidFile);
}

const removePidFile = (l: Layout) => rm(l.pidFile, { force: true });

type Inspection =
  | { state: 'none' }
  | { state: 'stale'; record: PidRecord }
  | { state: 'running'; record: PidRecord }
  | { state: 'unresponsive'; record: PidRecord };

/** What the pid file says, checked against the process table and the port. */
async function inspect(l: Layout): Promise<Inspection> {
  const record = await readPidFile(l);
  if (record === undefined) return { state: 'none' };
  if (!processAlive(record.pid) || isOurLauncher(record.pid, l.home) === false) return { state: 'stale', record };
  return (await boltAnswers(record.port)) ? { state: 'running', record } : { state: 'unresponsive', record };
}

/** Serializes starts for one home across processes (run/start.lock, created exclusively). */
async function withStartLock<T>(l: Layout, timeoutMs: number, onProgress: (m: string) => void, body: () => Promise<T>): Promise<T> {
  await mkdir(l.runDir, { recursive: true });
  const deadline = Date.now() + timeoutMs + 30_000;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(l.startLock, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(l.startLock, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(owner) || owner <= 0 || !processAlive(owner)) {
      await rm(l.startLock, { force: true }); // left behind by a killed start
      continue;
    }
    if (Date.now() > deadline) {
      throw new LocalNeo4jError(`Another whocan process (pid ${owner}) has been starting the local Neo4j in ${l.home} for too long.`, [
        `if it is stuck, stop it, or remove ${l.startLock}`,
      ]);
    }
    if (!announced) {
      onProgress(`another whocan process (pid ${owner}) is starting the local Neo4j; waiting for it…`);
      announced = true;
    }
    await sleep(250);
  }
  try {
    return await body();
  } finally {
    await rm(l.startLock, { force: true });
  }
}

function validate(o: LocalNeo4jOptions): void {
  if (!Number.isInteger(o.boltPort) || o.boltPort < 1 || o.boltPort > 65_535) {
    throw new LocalNeo4jError(`Bad Bolt port ${o.boltPort}: expected 1-65535 (WHOCAN_NEO4J_PORT).`);
  }
  if (typeof o.password !== 'string' || o.password.length < 8) {
    throw new LocalNeo4jError('The password of the local Neo4j must have at least 8 characters (NEO4J_PASSWORD).');
  }
  normalizeSize(o.heap, 'heap');
  normalizeSize(o.pageCache, 'page cache');
}

async function readFrom(file: string, offset: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return '';
  try {
    const { size } = await handle.stat();
    if (size <= offset) return '';
    const buffer = Buffer.alloc(Math.min(size - offset, 1024 * 1024));
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

async function rotateLog(l: Layout): Promise<void> {
  const size = await stat(l.logFile).then(
    (s) => s.size,
    () => 0,
  );
  if (size > LOG_ROTATE_BYTES) await rename(l.logFile, `${l.logFile}.1`);
}

/** SIGTERM, wait for a graceful exit, SIGKILL after the timeout. */
async function terminate(pid: number, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
    throw new LocalNeo4jError(`Cannot stop the local Neo4j (pid ${pid}): ${(error as Error).message}.`);
  }
  if (await waitForExit(pid, timeoutMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // exited meanwhile
  }
  await waitForExit(pid, 10_000);
}

/**
 * Starts the local Neo4j for `home` in the background (it outlives this
 * process), building the launcher first if needed, and resolves once Bolt
 * answers. Idempotent: when one already runs for this home, resolves with it
 * and alreadyRunning=true.
 */
export async function startLocalNeo4j(o: LocalNeo4jOptions): Promise<{ uri: string; pid: number; alreadyRunning: boolean }> {
  validate(o);
  const progress = o.onProgress ?? (() => {});
  const l = layout(o.home);
  await mkdir(l.runDir, { recursive: true }).catch((error: Error) => {
    throw new LocalNeo4jError(`Cannot use ${l.home} as the home of the local Neo4j: ${error.message}.`, [
      'set WHOCAN_NEO4J_HOME to a writable directory',
    ]);
  });

  return withStartLock(l, o.startTimeoutMs, progress, async () => {
    const found = await inspect(l);
    if (found.state === 'running') return alreadyRunning(found.record, o, progress);
    if (found.state === 'unresponsive') {
      // Alive, ours, but Bolt does not answer (yet): give it the start timeout, as a start would.
      progress(`the local Neo4j (pid ${found.record.pid}) is running but Bolt does not answer yet; waiting…`);
      const deadline = Date.now() + o.startTimeoutMs;
      while (Date.now() < deadline && processAlive(found.record.pid)) {
        if (await boltAnswers(found.record.port)) return alreadyRunning(found.record, o, progress);
        await sleep(500);
      }
      if (processAlive(found.record.pid)) {
        throw new LocalNeo4jError(`The local Neo4j (pid ${found.record.pid}) runs but Bolt on port ${found.record.port} does not answer.`, [
          `see ${l.logFile} and ${l.debugLog}`,
          'stop it with `whocan db stop` and start it again',
        ]);
      }
    }
    if (found.state !== 'none') {
      progress(`removing a stale pid file (pid ${found.record.pid} is no longer running)`);
      await removePidFile(l);
    }

    await assertPortFree(o.boltPort);
    const { classpath } = await ensureLauncherBuilt(progress);
    const { java } = await checkJava();

    await mkdir(l.logDir, { recursive: true });
    await rotateLog(l);
    const fd = openSync(l.logFile, 'a');
    let offset: number;
    let child: ChildProcess;
    try {
      writeSync(fd, `\n=== ${new Date().toISOString()} starting: port ${o.boltPort}, heap ${o.heap}, page cache ${o.pageCache} ===\n`);
      offset = fstatSync(fd).size;
      progress(`starting Neo4j on ${uriFor(o.boltPort)} (heap ${o.heap}, page cache ${o.pageCache}; log ${l.logFile})…`);
      child = spawn(java, launcherArgs({ classpath, home: l.home, boltPort: o.boltPort, heap: o.heap, pageCache: o.pageCache }), {
        cwd: l.home,
        detached: true,
        stdio: ['ignore', fd, fd],
        env: { ...process.env, NEO4J_PASSWORD: o.password },
      });
    } finally {
      closeSync(fd);
    }
    const exited = watchExit(child);
    child.unref();
    const pid = await spawned(child, java);
    const record: PidRecord = { pid, port: o.boltPort, uri: uriFor(o.boltPort), startedAt: new Date().toISOString(), home: l.home };
    await writePidFile(l, record);

    const started = Date.now();
    const deadline = started + o.startTimeoutMs;
    for (;;) {
      const exit = exited.status();
      if (exit !== undefined) {
        await removePidFile(l);
        const lines = launcherLines(await readFrom(l.logFile, offset));
        const portTaken = exit.code === 3;
        throw new LocalNeo4jError(
          portTaken
            ? `Port ${o.boltPort} on ${HOST} was taken by another process while the local Neo4j started.`
            : `The local Neo4j stopped while starting (${exit.signal ?? `exit code ${exit.code}`}).`,
          [...lines, `full output: ${l.logFile}; Neo4j's log: ${l.debugLog}`],
        );
      }
      if (READY.test(await readFrom(l.logFile, offset)) && (await boltAnswers(o.boltPort))) {
        return { uri: record.uri, pid, alreadyRunning: false };
      }
      if (Date.now() >= deadline) {
        progress(`no answer after ${seconds(o.startTimeoutMs)}; stopping pid ${pid}`);
        await terminate(pid, 15_000);
        await removePidFile(l);
        throw new LocalNeo4jError(`The local Neo4j did not become ready within ${seconds(o.startTimeoutMs)}; it was stopped.`, [
          ...launcherLines(await readFrom(l.logFile, offset)),
          `see ${l.logFile} and ${l.debugLog}`,
          'a first start creates the databases and is slower on a busy machine: raise WHOCAN_NEO4J_START_TIMEOUT_MS',
        ]);
      }
      await sleep(200);
    }
  });
}

function alreadyRunning(
  record: PidRecord,
  o: LocalNeo4jOptions,
  progress: (message: string) => void,
): { uri: string; pid: number; alreadyRunning: boolean } {
  if (record.port !== o.boltPort) {
    progress(
      `the local Neo4j for ${record.home} already runs on port ${record.port}, not ${o.boltPort}; stop it (whocan db stop) to change the port`,
    );
  }
  return { uri: record.uri, pid: record.pid, alreadyRunning: true };
}

async function assertPortFree(port: number): Promise<void> {
  const state = await portState(port);
  if (state === 'free') return;
  if (state === 'denied') {
    throw new LocalNeo4jError(`Not allowed to listen on port ${port} (ports below 1024 need privileges).`, [
      'choose another port: WHOCAN_NEO4J_PORT',
    ]);
  }
  const bolt = await boltAnswers(port);
  throw new LocalNeo4jError(`Port ${port} on ${HOST} is already in use by another process, so the local Neo4j cannot start there.`, [
    bolt
      ? `it answers Bolt: probably a Neo4j started some other way (Docker, another checkout); to use it, set NEO4J_URI=${uriFor(port)} and NEO4J_PASSWORD`
      : `find it with \`ss -ltnp 'sport = :${port}'\` (or \`lsof -i :${port}\`)`,
    'or run the local Neo4j on another port: WHOCAN_NEO4J_PORT=7688',
  ]);
}

/** Stops the local Neo4j of `home`: SIGTERM, a graceful wait (timeoutMs, default 60 s), then SIGKILL. */
export async function stopLocalNeo4j(
  o: Pick<LocalNeo4jOptions, 'home'> & { timeoutMs?: number },
): Promise<{ stopped: boolean; pid?: number }> {
  const l = layout(o.home);
  const record = await readPidFile(l);
  if (record === undefined) {
    await removePidFile(l); // an unreadable one
    return { stopped: false };
  }
  if (!processAlive(record.pid) || isOurLauncher(record.pid, l.home) === false) {
    await removePidFile(l);
    return { stopped: false };
  }
  await terminate(record.pid, o.timeoutMs ?? STOP_TIMEOUT_MS);
  await removePidFile(l);
  return { stopped: true, pid: record.pid };
}

/**
 * Whether the local Neo4j of `home` runs: its pid is alive and Bolt answers on
 * its port (boltPort is used only when the pid file does not name a port).
 * A live process whose Bolt does not answer is reported with running=false and its pid.
 */
export async function localNeo4jStatus(
  o: Pick<LocalNeo4jOptions, 'home' | 'boltPort'>,
): Promise<{ running: boolean; pid?: number; uri?: string; home: string; logFile: string }> {
  const l = layout(o.home);
  const base = { home: l.home, logFile: l.logFile };
  const record = await readPidFile(l);
  if (record === undefined || !processAlive(record.pid) || isOurLauncher(record.pid, l.home) === false) {
    return { running: false, ...base };
  }
  const port = record.port > 0 ? record.port : o.boltPort;
  const uri = uriFor(port);
  return { running: await boltAnswers(port), pid: record.pid, uri, ...base };
}
