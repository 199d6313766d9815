import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrationsDir, seedDir } from '../../src/config/paths';
import { cypher, type Graph } from '../../src/db';
import { SnapshotService } from '../../src/services';
import { resetGraph, testGraph, testNeo4jEnv } from '../integration/support/graph';
import { runWhocanCli, type CliRun } from '../support/whocanCli';

/**
 * Snapshot directories built to be hostile, given to the real `whocan ingest`:
 * links (a loop, dangling, to /etc/passwd, to a folder outside), nothing to
 * load (empty, only a README, only organization.json), duplicates with
 * conflicting content, invalid UTF-8, huge files, deep nesting, a FIFO, a
 * flood of problems, a snapshot that would drop most of the organization.
 * Each must end within a time bound with exit 2 and one clear message naming
 * the file (never a stack trace, never the bytes of a file that is not
 * JSON), and write nothing; or, where the input is fine, load correctly.
 */

const PROD = '333344445555';
const PAGE_1 = `${PROD}/iam/authorization-details-1.json`;
const PAGE_2 = `${PROD}/iam/authorization-details-2.json`;
const FUNCTIONS = `${PROD}/us-east-1/lambda/functions.json`;
/** Far above what any of these takes (about a second or two): a stall fails the test. */
const BOUND_MS = 60_000;

function ingestCli(dir: string, ...extra: string[]): Promise<CliRun> {
  return runWhocanCli(['ingest', dir, ...extra], testNeo4jEnv(), BOUND_MS);
}

describe('hostile snapshot directories', () => {
  let graph: Graph;
  let work: string;
  let service: SnapshotService;
  let n = 0;

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    work = mkdtempSync(path.join(tmpdir(), 'whocan-hostile-'));
    service = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
    await service.ingest(seedDir());
  });
  after(async () => {
    rmSync(work, { recursive: true, force: true });
    await resetGraph(graph);
    await graph.close();
  });

  /** A fresh copy of seed/ (or an empty directory) to spoil. */
  function dir(copySeed = true): string {
    const d = path.join(work, `case-${++n}`);
    if (copySeed) cpSync(seedDir(), d, { recursive: true });
    else mkdirSync(d);
    return d;
  }

  async function state(): Promise<string> {
    const nodes = await graph.read<{ n: number }>(cypher('testAllNodes', 'MATCH (n) RETURN count(n) AS n'));
    return JSON.stringify({ snapshots: await service.list(), nodes: nodes[0]?.n });
  }

  /** Exit 2, the expected message, no stack trace, nothing written, within the bound. */
  async function refused(d: string, expected: RegExp, options: { args?: string[]; mustNotContain?: RegExp } = {}): Promise<CliRun> {
    const before = await state();
    const result = await ingestCli(d, ...(options.args ?? []));
    assert.equal(result.code, 2, `exit 2 expected:\n${result.stderr.slice(0, 3000)}`);
    assert.match(result.stderr, expected);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(result.stderr, /internal error/);
    if (options.mustNotContain) assert.doesNotMatch(result.stderr, options.mustNotContain);
    assert.equal(await state(), before, 'nothing was written');
    assert.ok(result.ms < BOUND_MS);
    return result;
  }

  it('an empty directory, one with only a README, and one with only organization.json: no account data', async () => {
    await refused(dir(false), /holds no account data: expected at least one <12-digit account id>\/ folder/);
    const readme = dir(false);
    writeFileSync(path.join(readme, 'README.md'), '# nothing here\n');
    await refused(readme, /holds no account data/);
    const orgOnly = dir(false);
    cpSync(path.join(seedDir(), 'organization.json'), path.join(orgOnly, 'organization.json'));
    await refused(orgOnly, /holds no account data/);
    const wrongLevel = dir(false);
    cpSync(seedDir(), path.join(wrongLevel, 'snapshot'), { recursive: true });
    await refused(wrongLevel, /holds no account data.*1 entry does not fit the layout: snapshot\//);
  });

  it('symbolic links: a loop and a dangling link are named; links out of the directory are not followed, and never quoted', async () => {
    const loop = dir();
    symlinkSync('authorization-details-9.json', path.join(loop, PROD, 'iam', 'authorization-details-9.json'));
    await refused(loop, new RegExp(`${PROD}/iam/authorization-details-9\\.json: \\$: is a symbolic link that leads nowhere`));

    const dangling = dir();
    rmSync(path.join(dangling, FUNCTIONS));
    symlinkSync(path.join(work, 'does-not-exist.json'), path.join(dangling, FUNCTIONS));
    await refused(dangling, new RegExp(`${FUNCTIONS}: \\$: is a symbolic link that leads nowhere`));

    const passwd = dir();
    rmSync(path.join(passwd, FUNCTIONS));
    symlinkSync('/etc/passwd', path.join(passwd, FUNCTIONS));
    await refused(passwd, new RegExp(`${FUNCTIONS}: \\$: is a symbolic link to a location outside the snapshot directory`), {
      mustNotContain: /root:|\/bin\/(ba)?sh/,
    });

    const outsideDir = dir();
    const elsewhere = path.join(work, `elsewhere-${n}`);
    cpSync(path.join(seedDir(), '111122223333'), elsewhere, { recursive: true });
    rmSync(path.join(outsideDir, '111122223333'), { recursive: true });
    symlinkSync(elsewhere, path.join(outsideDir, '111122223333'));
    await refused(outsideDir, /111122223333: \$: is a symbolic link to a location outside the snapshot directory/);
  });

  it('a link that stays inside the snapshot directory is followed', async () => {
    const inside = dir();
    // The account folder kept under a hidden name (ignored by discovery) and linked to by its real name.
    cpSync(path.join(inside, '111122223333'), path.join(inside, '.store'), { recursive: true });
    rmSync(path.join(inside, '111122223333'), { recursive: true });
    symlinkSync('.store', path.join(inside, '111122223333'));
    const result = await ingestCli(inside, '--json');
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { counts: { users: number } };
    assert.equal(json.counts.users, 10, 'every user of the seed, the linked account included');
  });

  it('a FIFO where a file belongs does not block the ingest', async () => {
    const fifo = dir();
    rmSync(path.join(fifo, FUNCTIONS));
    const made = spawnSync('mkfifo', [path.join(fifo, FUNCTIONS)]);
    assert.equal(made.status, 0, 'mkfifo is available');
    await refused(fifo, new RegExp(`${FUNCTIONS}: \\$: is neither a regular file nor a folder`));
  });

  it('the same role twice with a different trust policy (Principal "*") is refused, naming both places', async () => {
    const conflict = dir();
    const file = path.join(conflict, PAGE_2);
    const page = JSON.parse(readFileSync(file, 'utf8')) as { RoleDetailList: { RoleName: string; AssumeRolePolicyDocument: object }[] };
    const role = page.RoleDetailList.find((r) => r.RoleName === 'petstore-apigw-invoke')!;
    role.AssumeRolePolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] };
    writeFileSync(file, JSON.stringify(page));
    const result = await refused(conflict, /1 problem, nothing was written/);
    const line = result.stderr.split('\n').find((l) => l.includes('also appears')) ?? '';
    assert.match(
      line,
      new RegExp(
        `${PAGE_2}: \\$\\.RoleDetailList\\[0\\]\\.AssumeRolePolicyDocument: policy arn:aws:iam::${PROD}:role/petstore-apigw-invoke#trust also appears at ${PAGE_1} \\$\\.RoleDetailList\\[1\\]\\.AssumeRolePolicyDocument with different content \\(document\\)`,
      ),
    );
  });

  it('identical duplicates (the seed repeats a role on both pages) load with no problem', async () => {
    type Page = { RoleDetailList: { RoleName: string }[] };
    const page1 = JSON.parse(readFileSync(path.join(seedDir(), PAGE_1), 'utf8')) as Page;
    const page2 = JSON.parse(readFileSync(path.join(seedDir(), PAGE_2), 'utf8')) as Page;
    const names = (p: Page) => p.RoleDetailList.map((r) => r.RoleName);
    assert.ok(
      names(page1).includes('petstore-apigw-invoke') && names(page2).includes('petstore-apigw-invoke'),
      'the seed has an overlap to test',
    );
    const result = await ingestCli(seedDir(), '--json');
    assert.equal(result.code, 0, result.stderr);
  });

  it('invalid UTF-8 is refused with the file and the byte offset', async () => {
    const bad = dir();
    const file = path.join(bad, FUNCTIONS);
    const text = readFileSync(file);
    const at = text.indexOf('Lists pets');
    assert.ok(at > 0);
    text[at] = 0xff;
    writeFileSync(file, text);
    await refused(bad, new RegExp(`${FUNCTIONS}: \\$: is not valid UTF-8 \\(first invalid byte at offset ${at}\\)`));
    // UTF-16 (PowerShell's >): offset 0, and the hint.
    const utf16 = dir();
    writeFileSync(path.join(utf16, FUNCTIONS), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"Functions": []}', 'utf16le')]));
    await refused(utf16, new RegExp(`${FUNCTIONS}: \\$: is not valid UTF-8 \\(first invalid byte at offset 0\\).*UTF-16`));
  });

  it('a file that is not JSON: the position, not its bytes', async () => {
    const garbage = dir();
    writeFileSync(path.join(garbage, FUNCTIONS), `root:x:0:0:root:/root:/bin/bash\n${'secret-line\n'.repeat(1000)}`);
    const result = await refused(garbage, new RegExp(`${FUNCTIONS}: \\$: is not valid JSON \\(unexpected character 'r'\\)`), {
      mustNotContain: /root:x|secret-line/,
    });
    assert.ok(result.stderr.length < 2_000, 'a short message');
    const trailing = dir();
    writeFileSync(path.join(trailing, FUNCTIONS), '{"Functions": []}\n  oops-secret');
    await refused(trailing, /is not valid JSON \(unexpected non-whitespace character after JSON at line 2, column 3\)/, {
      mustNotContain: /oops-secret/,
    });
  });

  it('huge files: over the size limit is refused before reading; a large non-JSON file is refused quickly and briefly', async () => {
    const huge = dir();
    // Sparse: 600 MiB on paper, nothing on disk.
    const fd = openSync(path.join(huge, FUNCTIONS), 'w');
    ftruncateSync(fd, 600 * 1024 * 1024);
    closeSync(fd);
    await refused(huge, new RegExp(`${FUNCTIONS}: \\$: is 600 MiB, more than the 512 MiB one file may have`));
    const large = dir();
    writeFileSync(path.join(large, FUNCTIONS), 'A'.repeat(40 * 1024 * 1024));
    const result = await refused(large, /is not valid JSON \(unexpected character 'A'\)/);
    assert.ok(result.stderr.length < 2_000);
  });

  it('deep nesting is refused with a clear message, not a stack overflow', async () => {
    const deep = dir();
    writeFileSync(path.join(deep, FUNCTIONS), `{"Functions": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    await refused(deep, new RegExp(`${FUNCTIONS}: \\$: is nested more than 100 levels deep`));
    const deepObject = dir();
    writeFileSync(path.join(deepObject, FUNCTIONS), `{"Functions": [], "x": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`);
    await refused(deepObject, /is nested more than 100 levels deep/);
  });

  it('a flood of problems shows the first 100 and counts the rest', async () => {
    const flood = dir();
    const file = path.join(flood, FUNCTIONS);
    writeFileSync(file, JSON.stringify({ Functions: Array.from({ length: 5_000 }, () => ({ Runtime: 'nodejs20.x' })) }));
    const result = await refused(flood, /… and \d+ more problems \(the first 100 are shown\)/);
    const listed = result.stderr.split('\n').filter((l) => l.startsWith('  - '));
    assert.equal(listed.length, 101, 'the first 100, and the line that counts the rest');
    assert.match(result.stderr, /is not a valid snapshot: (\d+) problems/);
    const total = Number(/is not a valid snapshot: (\d+) problems/.exec(result.stderr)?.[1]);
    assert.ok(total >= 5_000, `every problem is counted (${total})`);
    assert.match(result.stderr, new RegExp(`… and ${total - 100} more problems`));
  });

  it('many warnings: --json lists the first 100 and counts them all', async () => {
    const noisy = dir();
    for (let i = 0; i < 150; i++) writeFileSync(path.join(noisy, `stray-${String(i).padStart(3, '0')}.txt`), 'x');
    const result = await ingestCli(noisy, '--json');
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { warnings: unknown[]; warningCount: number; warningsNotShown: number };
    assert.equal(json.warnings.length, 100);
    assert.ok(json.warningCount >= 150, String(json.warningCount));
    assert.equal(json.warningsNotShown, json.warningCount - 100);
    assert.ok(result.stdout.length < 100_000);
  });

  it('a snapshot that would remove most principals or APIs is refused unless --allow-shrink, saying what would disappear', async () => {
    const current = await service.current();
    const shrunk = dir();
    rmSync(path.join(shrunk, PROD), { recursive: true });
    const result = await refused(
      shrunk,
      /would remove \d+ of the \d+ principals \(\d+ %\) and 4 of the 4 APIs \(100 %\) of the current snapshot .*--allow-shrink/,
    );
    assert.match(result.stderr, /principals that would disappear: arn:aws:iam::333344445555:/);
    assert.match(
      result.stderr,
      /APIs that would disappear: arn:aws:apigateway:us-east-1::\/apis\/h7t8p9a0b1, arn:aws:apigateway:us-east-1::\/restapis\/a1b2c3d4e5/,
    );
    assert.equal(await service.current(), current);
    // A few fewer principals is a normal change.
    const fewer = dir();
    const file = path.join(fewer, PAGE_2);
    const page = JSON.parse(readFileSync(file, 'utf8')) as { UserDetailList: unknown[] };
    page.UserDetailList = page.UserDetailList.slice(1);
    writeFileSync(file, JSON.stringify(page));
    const normal = await ingestCli(fewer);
    assert.equal(normal.code, 0, normal.stderr);
    const allowed = await ingestCli(shrunk, '--allow-shrink', '--json');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(await service.current(), (JSON.parse(allowed.stdout) as { snapshotId: string }).snapshotId);
  });
});
