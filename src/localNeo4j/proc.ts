import { readFileSync } from 'node:fs';
import net from 'node:net';
import { LAUNCHER_CLASS } from './build';

/** Process and port probes used by the local Neo4j launcher. */

export const HOST = '127.0.0.1';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True while the process exists and is not a zombie waiting to be reaped. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
  try {
    // Linux: "pid (comm) S ..."; a Z after the command name means it has exited.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Whether pid runs our launcher for this home (guards against a reused pid).
 * Undefined where /proc is not available (then only "alive" is known).
 */
export function isOurLauncher(pid: number, home: string): boolean | undefined {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return process.platform === 'linux' ? false : undefined;
  }
  const args = cmdline.split('\0');
  const homeAt = args.indexOf('--home');
  return args.includes(LAUNCHER_CLASS) && homeAt >= 0 && args[homeAt + 1] === home;
}

/** Waits until pid has exited; false on timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Connects to 127.0.0.1:port and performs a Bolt handshake (proposing 5.0-5.4
 * and 4.4): true only when a Bolt server agrees on a version.
 */
export function boltAnswers(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = Buffer.alloc(0);
    const socket = net.connect({ host: HOST, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(Buffer.from([0x60, 0x60, 0xb0, 0x17, 0, 4, 4, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0])));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length >= 4) done(reply.readUInt32BE(0) !== 0);
    });
    socket.on('end', () => done(false));
  });
}

/** Whether anything listens on 127.0.0.1:port (or the wildcard address): tries to bind it as Neo4j would. */
export function portState(port: number): Promise<'free' | 'in-use' | 'denied'> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRINUSE' ? 'in-use' : error.code === 'EACCES' ? 'denied' : 'in-use'),
    );
    server.listen({ host: HOST, port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** A port the OS considers free right now (bound to 0, read back, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS returned no port'))));
    });
  });
}
