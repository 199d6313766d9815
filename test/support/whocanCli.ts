import { spawn } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/config/paths';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the run. */
  ms: number;
}

/**
 * Runs the `whocan` executable (bin/whocan.js, on the built code) in a child
 * process, from the package root, with PATH and `env` as its whole
 * environment (nothing of the test process leaks in: no NEO4J_* unless
 * given). Resolves once it has ended and its output is read; rejects, after
 * killing it, when it has not ended within `timeoutMs`: a stall fails the
 * test with the command and the end of its stderr.
 */
export function runWhocanCli(args: readonly string[], env: Record<string, string>, timeoutMs: number): Promise<CliRun> {
  const root = packageRoot();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'whocan.js'), ...args], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`whocan ${args.join(' ')} did not end within ${timeoutMs} ms:\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
