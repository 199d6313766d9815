/**
 * `npm test`: runs every unit test, then every integration test against a
 * real, throwaway Neo4j started here (temporary directory, free port, random
 * password) and stopped at the end, whatever happens.
 *
 * Unit test files run in parallel; integration test files, and the standing
 * hostile-input suite in test/hostile, run one at a time because they share
 * that database. Set WHOCAN_TEST_NEO4J_URI and
 * WHOCAN_TEST_NEO4J_PASSWORD to use a Neo4j you started yourself instead
 * (its data is WIPED by the tests). Pass file name filters as arguments to run
 * only matching files, e.g. `npm test -- migrations`.
 *
 * The whole run (no filters) starts with the style checks, ESLint and
 * Prettier (`npm run lint:style`), so that CI fails on a violation too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startThrowawayNeo4j } from '../../src/localNeo4j';

const DIST_TEST = path.resolve(__dirname, '..');

/** Compiled test files whose TypeScript source still exists (a deleted test's stale .js in dist/ is not run). */
function findTests(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  const sourceDir = path.join(path.resolve(DIST_TEST, '..', '..'), path.relative(path.resolve(DIST_TEST, '..'), dir));
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js') && statSync(path.join(sourceDir, f.replace(/\.js$/, '.ts')), { throwIfNoEntry: false })?.isFile())
    .map((f) => path.join(dir, f))
    .sort();
}

interface RunResult {
  passed: number;
  failed: number;
  skipped: number;
  exitCode: number;
}

async function runNodeTests(files: string[], concurrency: number | undefined, env: NodeJS.ProcessEnv): Promise<RunResult> {
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0, exitCode: 0 };
  const tapDir = mkdtempSync(path.join(tmpdir(), 'whocan-tap-'));
  const tapFile = path.join(tapDir, 'results.tap');
  const args = [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    // A safety net: no single test may hang a CI run.
    '--test-timeout=600000',
    ...(concurrency ? [`--test-concurrency=${concurrency}`] : []),
    ...files,
  ];
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  const tap = readFileSync(tapFile, 'utf8');
  rmSync(tapDir, { recursive: true, force: true });
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? '0');
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo'), exitCode };
}

const PACKAGE_ROOT = path.resolve(DIST_TEST, '..', '..');

/** ESLint and Prettier on the sources, as `npm run lint:style` runs them; each counts as one test. */
async function runStyleChecks(): Promise<RunResult> {
  const checks: [string, string[]][] = [
    ['ESLint', [path.join(PACKAGE_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings=0', '.']],
    ['Prettier', [path.join(PACKAGE_ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', ...PRETTIER_FILES]],
  ];
  const result: RunResult = { passed: 0, failed: 0, skipped: 0, exitCode: 0 };
  for (const [name, args] of checks) {
    process.stdout.write(`\n== ${name}\n`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: PACKAGE_ROOT });
      child.on('exit', (exit, signal) => resolve(exit ?? (signal ? 1 : 0)));
    });
    process.stdout.write(
      code === 0 ? `   ${name}: clean\n` : `   ${name}: violations above (npm run format fixes Prettier's; ESLint's are to fix by hand)\n`,
    );
    if (code === 0) result.passed += 1;
    else result.failed += 1;
  }
  return result;
}

/** What Prettier formats (package.json's lint:style and format scripts list the same). */
const PRETTIER_FILES = ['src/**/*.{ts,json}', 'test/**/*.ts', 'bench/**/*.ts', 'console/src/**/*.ts', 'eslint.config.mjs'];

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const styleResult = filters.length === 0 ? await runStyleChecks() : { passed: 0, failed: 0, skipped: 0, exitCode: 0 };
  const pick = (files: string[]) => (filters.length === 0 ? files : files.filter((f) => filters.some((x) => f.includes(x))));
  const unit = pick(findTests(path.join(DIST_TEST, 'unit')));
  // test/hostile: the standing hostile-input suite. Its files run with the
  // integration tests (one at a time, with the throwaway Neo4j available),
  // because several of them start servers, ingests or the database itself.
  const integration = pick([...findTests(path.join(DIST_TEST, 'integration')), ...findTests(path.join(DIST_TEST, 'hostile'))]);

  process.stdout.write(`\n== unit tests (${unit.length} files)\n`);
  const unitResult = await runNodeTests(unit, undefined, process.env);

  let integrationResult: RunResult = { passed: 0, failed: 0, skipped: 0, exitCode: 0 };
  if (integration.length > 0) {
    let uri = process.env['WHOCAN_TEST_NEO4J_URI'];
    let password = process.env['WHOCAN_TEST_NEO4J_PASSWORD'];
    let stop: (() => Promise<void>) | undefined;
    if (!uri) {
      process.stdout.write('\n== starting a throwaway Neo4j for the integration tests\n');
      const started = Date.now();
      const neo4j = await startThrowawayNeo4j({ heap: '1g', pageCache: '512m', onProgress: (m) => process.stdout.write(`   ${m}\n`) });
      process.stdout.write(`   ready at ${neo4j.uri} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      uri = neo4j.uri;
      password = neo4j.password;
      stop = () => neo4j.stop();
    }
    const stopOnSignal = () => void stop?.().finally(() => process.exit(130));
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    try {
      process.stdout.write(`\n== integration tests (${integration.length} files, against ${uri})\n`);
      integrationResult = await runNodeTests(integration, 1, {
        ...process.env,
        WHOCAN_TEST_NEO4J_URI: uri,
        WHOCAN_TEST_NEO4J_PASSWORD: password ?? '',
      });
    } finally {
      await stop?.();
    }
  }

  const passed = styleResult.passed + unitResult.passed + integrationResult.passed;
  const failed = styleResult.failed + unitResult.failed + integrationResult.failed;
  const skipped = unitResult.skipped + integrationResult.skipped;
  if (filters.length === 0) process.stdout.write(`\nstyle (ESLint, Prettier): ${styleResult.passed} passed, ${styleResult.failed} failed`);
  process.stdout.write(
    `\nunit: ${unitResult.passed} passed, ${unitResult.failed} failed; integration: ${integrationResult.passed} passed, ${integrationResult.failed} failed\n`,
  );
  process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  const ok = failed === 0 && unitResult.exitCode === 0 && integrationResult.exitCode === 0 && passed > 0;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
