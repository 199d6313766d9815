import type { ChildProcess } from 'node:child_process';
import { LocalNeo4jError } from '../errors';
import { ALTERNATIVES } from './build';
import { HOST } from './proc';

/** The launcher as a child process, shared by the local Neo4j (index.ts) and the throwaway one (throwaway.ts): its ready line, its exit, its own log lines. */
export const READY = /^whocan-neo4j ready (bolt:\/\/\S+)/m;
export const uriFor = (port: number) => `bolt://${HOST}:${port}`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The launcher's own lines ("whocan-neo4j: ...") from a stretch of launcher.log, else its last lines. */
export function launcherLines(text: string): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const own = lines.filter((line) => line.startsWith('whocan-neo4j'));
  return (own.length > 0 ? own : lines).slice(-8);
}

/** Tracks a child's exit (code and signal) without waiting for it. */
export function watchExit(child: ChildProcess): {
  status(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  done: Promise<void>;
} {
  let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const done = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      resolve();
    });
    child.once('error', () => {
      status ??= { code: null, signal: null };
      resolve();
    });
  });
  return { status: () => status, done };
}

/** Resolves with the pid once the process exists; a missing java is reported as such. */
export function spawned(child: ChildProcess, java: string): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new LocalNeo4jError(`Cannot run ${java}: ${error.message}.`, [...ALTERNATIVES])),
    );
  });
}
