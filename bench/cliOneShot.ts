/**
 * One-shot CLI questions, as a user types them: `whocan who-can-invoke ARN`
 * (bin/whocan.js, the package's `bin`), a new Node process per question,
 * against the bench's Neo4j, timed from spawn to exit. With the snapshot's
 * access index complete, the CLI answers from it without loading the
 * snapshot; it says on stderr when it reads the snapshot instead ("reading
 * snapshot …"), which the result reports.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { percentiles, type Percentiles } from './shared';

export interface CliQuestion {
  resource: string;
  wallMs: number;
  exitCode: number | null;
  /** Lines of stdout (the answer's table). */
  outputLines: number;
  /** The CLI read the whole snapshot (its stderr said so). */
  loadedSnapshot: boolean;
  /** The end of stderr when the CLI failed. */
  error?: string;
}

export interface CliBenchResult {
  command: string;
  wall: Percentiles;
  questions: CliQuestion[];
  failures: number;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '..', '..', 'bin', 'whocan.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

export async function benchCli(options: { neo4jUri: string; neo4jPassword: string; arns: string[] }): Promise<CliBenchResult> {
  const env = { ...process.env, NEO4J_URI: options.neo4jUri, NEO4J_PASSWORD: options.neo4jPassword, LOG_LEVEL: 'warn', NO_COLOR: '1' };
  const questions: CliQuestion[] = [];
  for (const arn of options.arns) {
    const r = await runCli(['who-can-invoke', arn], env);
    questions.push({
      resource: arn,
      wallMs: Math.round(r.ms),
      exitCode: r.code,
      outputLines: r.stdout.split('\n').length,
      loadedSnapshot: /reading snapshot|snapshot .* ready in/.test(r.stderr),
      ...(r.code !== 0 ? { error: r.stderr.slice(-1000) } : {}),
    });
  }
  return {
    command: 'whocan who-can-invoke ARN',
    wall: percentiles(questions.map((q) => q.wallMs)),
    questions,
    failures: questions.filter((q) => q.exitCode !== 0).length,
  };
}
