import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalNeo4jError } from '../errors';
import { checkJava, ensureLauncherBuilt, launcherArgs } from './build';
import { launcherLines, READY, seconds, spawned, uriFor, watchExit } from './launcherProcess';
import { boltAnswers, freePort, sleep } from './proc';

export interface ThrowawayNeo4j {
  uri: string;
  user: string;
  password: string;
  home: string;
  pid: number;
  /** Stops Neo4j gracefully (SIGKILL after 30 s) and removes the temporary home. Safe to call twice. */
  stop(): Promise<void>;
  /** Flushes the database's store files now (a checkpoint), so that their size on disk is the data's (the benchmark's store size). */
  checkpoint(): Promise<void>;
}

/**
 * A fresh Neo4j for tests: a temporary home, a free port, a random password.
 * The launcher is a child of this process: it stops (and deletes its home)
 * when this process exits, however it exits, because its stdin closes.
 */
export async function startThrowawayNeo4j(
  o: {
    heap?: string;
    pageCache?: string;
    startTimeoutMs?: number;
    onProgress?: (message: string) => void;
    /** A given port and password (default: a free port, a random password): to start a replacement where a stopped one was, as a restart would. */
    boltPort?: number;
    password?: string;
  } = {},
): Promise<ThrowawayNeo4j> {
  const heap = o.heap ?? '1g';
  const pageCache = o.pageCache ?? '256m';
  const timeoutMs = o.startTimeoutMs ?? 180_000;
  const progress = o.onProgress ?? (() => {});
  const { classpath } = await ensureLauncherBuilt(progress);
  const { java } = await checkJava();

  const home = await mkdtemp(path.join(os.tmpdir(), 'whocan-neo4j-'));
  const port = o.boltPort ?? (await freePort());
  const password = o.password ?? randomBytes(18).toString('base64url');
  progress(`starting a throwaway Neo4j on ${uriFor(port)} in ${home}…`);
  const child = spawn(java, launcherArgs({ classpath, home, boltPort: port, heap, pageCache, watchStdin: true, ephemeral: true }), {
    cwd: home,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NEO4J_PASSWORD: password },
  });
  const exited = watchExit(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  // Checkpoint answers on stdout, one line each (whocan-neo4j checkpoint done | failed: …), handed to the waiting checkpoint() in turn.
  let stdoutLine = '';
  const checkpointWaiters: ((answer: string) => void)[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutLine += chunk.toString('utf8');
    let at: number;
    while ((at = stdoutLine.indexOf('\n')) >= 0) {
      const line = stdoutLine.slice(0, at);
      stdoutLine = stdoutLine.slice(at + 1);
      if (/^whocan-neo4j checkpoint /.test(line)) checkpointWaiters.shift()?.(line);
    }
  });
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.stdin?.on('error', () => {}); // EPIPE once the launcher is gone

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exited.status() === undefined) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const graceful = await Promise.race([
          exited.done.then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 30_000))),
        ]);
        clearTimeout(timer);
        if (!graceful) {
          child.kill('SIGKILL');
          await exited.done;
        }
      }
      child.stdin?.destroy();
      await rm(home, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    await spawned(child, java);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exit = exited.status();
      if (exit !== undefined) {
        throw new LocalNeo4jError(
          `The throwaway Neo4j stopped while starting (${exit.signal ?? `exit code ${exit.code}`}).`,
          launcherLines(output),
        );
      }
      if (READY.test(output) && (await boltAnswers(port))) break;
      if (Date.now() >= deadline) {
        throw new LocalNeo4jError(`The throwaway Neo4j did not become ready within ${seconds(timeoutMs)}.`, launcherLines(output));
      }
      await sleep(100);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  // Do not keep this process alive for Neo4j's sake: if the caller never calls
  // stop(), exiting closes the launcher's stdin and it shuts down by itself.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();

  const checkpoint = async (): Promise<void> => {
    if (exited.status() !== undefined || !child.stdin) throw new LocalNeo4jError('The throwaway Neo4j is not running: no checkpoint.', []);
    const answer = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new LocalNeo4jError('The throwaway Neo4j did not answer the checkpoint within 10 minutes.', launcherLines(output))),
        600_000,
      );
      checkpointWaiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.stdin.write('checkpoint\n');
    });
    if (!answer.endsWith(' done'))
      throw new LocalNeo4jError(`The throwaway Neo4j could not checkpoint: ${answer.replace(/^whocan-neo4j checkpoint /, '')}`, []);
  };

  return { uri: uriFor(port), user: 'neo4j', password, home, pid: child.pid ?? 0, stop, checkpoint };
}
