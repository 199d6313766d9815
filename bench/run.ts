/**
 * `npm run bench`: runs the benchmarks and prints a table, plus JSON with
 * `--json FILE`. Benchmarks measure, tests assert: nothing here fails a build.
 *
 *   npm run bench                       # every benchmark available
 *   npm run bench -- --json out.json    # also write the results as JSON
 *   npm run bench -- --duration 5000    # milliseconds per measured workload
 *
 * Today: the policy engine alone (decisions per second on one core). The
 * ingest, who-can-invoke and brute-force comparisons join when the ingest and
 * analysis land (issue: "Performance").
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchPolicyEngine } from './policyEngine';

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonFile = argValue(args, '--json');
  const durationMs = Number(argValue(args, '--duration') ?? '3000');
  if (!Number.isFinite(durationMs) || durationMs < 100) throw new Error('--duration expects milliseconds (at least 100)');

  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  process.stderr.write(`machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}\n`);
  process.stderr.write(`policy engine: measuring for ${durationMs} ms per workload…\n`);
  const engine = await benchPolicyEngine({ durationMs });

  const rows: [string, string][] = [
    ['policy engine, concrete decisions/s (one core)', Math.round(engine.decisionsPerSecond).toLocaleString('en-US')],
    ['policy engine, analysis-mode decisions/s', Math.round(engine.analysisDecisionsPerSecond).toLocaleString('en-US')],
    ['policy engine, API Gateway flow decisions/s', Math.round(engine.apiGatewayDecisionsPerSecond).toLocaleString('en-US')],
    ['target (concrete)', '200,000'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v.padStart(10)}`).join('\n')}\n`);
  if (jsonFile) {
    writeFileSync(jsonFile, `${JSON.stringify({ machine, measuredAt: new Date().toISOString(), policyEngine: engine }, null, 2)}\n`);
    process.stderr.write(`wrote ${jsonFile}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
