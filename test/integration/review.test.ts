import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_API_LIMITS } from '../../src/api/limits';
import { packageRoot, seedDir } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import type { DiffReport, ReviewReport } from '../../src/services/review';
import { EXPECTED_CHANGES, modifiedSeedCopy } from '../support/seedCopies';
import { checkWellFormedXml } from '../unit/cli/support/xml';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { dataOf, firstError, ingest, startTestServer, type TestServer } from './support/api';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';
import { runWhocanCli, type CliRun } from '../support/whocanCli';

/**
 * `whocan review`, `diff` and `paths` as processes against a real Neo4j
 * holding seed/ (and a modified copy for diff): outputs in every format,
 * exit codes 0, 1 and 2.
 */
const root = packageRoot();
const whocan = path.join(root, 'bin', 'whocan.js');
const PASSING = path.join(seedDir(), 'rules', 'passing.yaml');
const VIOLATIONS = path.join(seedDir(), 'rules', 'violations.yaml');

export function runWhocan(args: string[], env: Record<string, string> = testNeo4jEnv()) {
  const result = spawnSync(process.execPath, [whocan, ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process (whose event loop serves the in-process API server the child asks). */
function runWhocanAsync(args: string[], env: Record<string, string> = testNeo4jEnv()): Promise<CliRun> {
  return runWhocanCli(args, env, 120_000);
}

/** A port nothing listens on (free a moment ago). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');

describe('review, diff and paths against Neo4j', () => {
  let graph: Graph;
  let tmp: string;
  let seedSnapshot: string;
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    seedSnapshot = await ingest(graph);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'whocan-review-'));
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('whocan review', () => {
    it('passing.yaml: exit 0, every rule passes, in every format', () => {
      const table = runWhocan(['review', PASSING]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(
        table.stdout,
        new RegExp(`^Review of ${PASSING.replace(/[/.]/g, '\\$&')} · snapshot ${seedSnapshot} · local database$`, 'm'),
      );
      assert.match(table.stdout, /^11 rules: 11 passed, 0 failed \(0 violations\)\.$/m);
      assert.doesNotMatch(table.stdout, /^FAIL/m);

      const json = runWhocan(['review', PASSING, '--format', 'json']);
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout) as ReviewReport;
      assert.equal(report.snapshot, seedSnapshot);
      assert.deepEqual(report.counts, { rules: 11, passed: 11, failed: 0, violations: 0, listed: 0 });

      const csv = runWhocan(['review', PASSING, '--format', 'csv']);
      assert.equal(csv.code, 0);
      assert.equal(csv.stdout.trimEnd().split('\r\n').length, 1 + 11);

      const md = runWhocan(['review', PASSING, '--format', 'markdown']);
      assert.match(md.stdout, /\*\*all 11 rules hold\*\* \(0 violations\)/);

      const junit = runWhocan(['review', PASSING, '--format', 'junit']);
      assert.equal(junit.code, 0);
      checkWellFormedXml(junit.stdout);
      assert.match(junit.stdout, /<testsuites name="whocan review" tests="11" failures="0" errors="0"/);
      assert.equal((junit.stdout.match(/<testcase /g) ?? []).length, 11);
    });

    it('violations.yaml: exit 1, each rule fails with its principals and paths, in every format', () => {
      const table = runWhocan(['review', VIOLATIONS]);
      assert.equal(table.code, 1, table.stderr);
      assert.match(table.stdout, /^7 rules: 0 passed, 7 failed \(24 violations\)\.$/m);
      assert.match(table.stdout, /^ {2}account 999988887777 \(account\): account 999988887777 is not in organization o-pet5t0re42$/m);
      assert.match(table.stdout, /^ {2}user\/ivan-ops @222233334444: becomes the role in 3 role assumptions \(at most 2 allowed\)$/m);

      const report = JSON.parse(runWhocan(['review', VIOLATIONS, '--json']).stdout) as ReviewReport;
      assert.deepEqual(
        report.results.map((r) => [r.id, r.status, r.violations.length]),
        [
          ['prod-pets-only-api-callers', 'fail', 8],
          ['petstore-api-prod-inside-org', 'fail', 1],
          ['petstore-web-not-public', 'fail', 1],
          ['petstore-api-few-managers', 'fail', 7],
          ['platform-admin-within-two-hops', 'fail', 1],
          ['no-escalation-through-api-gateway', 'fail', 5],
          ['identity-account-off-events', 'fail', 1],
        ],
      );
      const judy = report.results[6]!.violations[0]!;
      assert.equal(judy.principal, 'arn:aws:iam::222233334444:user/judy-analyst');
      assert.deepEqual(
        judy.access[0]!.paths[0]!.map((h) => h.kind),
        ['assume-role', 'policy', 'statement'],
      );

      const csv = runWhocan(['review', VIOLATIONS, '--format', 'csv']);
      assert.equal(csv.code, 1);
      assert.match(
        csv.stdout,
        /^platform-admin-within-two-hops,fail,medium,platform-security@petstore\.example,.*,arn:aws:iam::222233334444:user\/ivan-ops,user,becomes the role in 3 role assumptions \(at most 2 allowed\),sts:AssumeRole,arn:aws:iam::333344445555:role\/platform-admin,conditional,2,.*assumes role\/ops-jump @222233334444/m,
      );

      const md = runWhocan(['review', VIOLATIONS, '--format', 'markdown']);
      assert.equal(md.code, 1);
      assert.equal((md.stdout.match(/^## FAIL: /gm) ?? []).length, 7);

      const junit = runWhocan(['review', VIOLATIONS, '--format', 'junit']);
      assert.equal(junit.code, 1);
      checkWellFormedXml(junit.stdout);
      assert.match(junit.stdout, /<testsuites name="whocan review" tests="7" failures="7" errors="0"/);
      assert.match(
        junit.stdout,
        /<testcase name="petstore-web-not-public"[^>]*>[\s\S]*?<failure message="2 of 8 methods are open to anonymous callers" type="violation:low">/,
      );
    });

    it('--fail-on sets the least severity that fails; --rule picks rules; --output writes the report and prints the table', () => {
      assert.equal(
        runWhocan(['review', VIOLATIONS, '--rule', 'petstore-web-not-public', '--fail-on', 'medium']).code,
        0,
        'a low-severity violation only',
      );
      assert.equal(runWhocan(['review', VIOLATIONS, '--rule', 'petstore-web-not-public']).code, 1);
      assert.equal(runWhocan(['review', VIOLATIONS, '--rule', 'platform-admin-within-two-hops', '--fail-on', 'high']).code, 0);
      const out = path.join(tmp, 'report.xml');
      const result = runWhocan(['review', VIOLATIONS, '--format', 'junit', '--output', out]);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /^7 rules: 0 passed, 7 failed/m, 'the table on stdout');
      checkWellFormedXml(readFileSync(out, 'utf8'));
    });

    it('a bad rules file: exit 2, one message naming file, line and what was expected, before Neo4j is asked', () => {
      const file = path.join(tmp, 'bad.yaml');
      writeFileSync(
        file,
        'version: 1\nrules:\n  - id: x\n    select: { invoke: { api: petstore-api } }\n    expect: { max-principal: 3 }\n',
      );
      // An unreachable database: the rules are refused before any connection.
      const unreachable = { NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_PASSWORD: 'some-password', LOG_LEVEL: 'silent' };
      const result = runWhocan(['review', file], unreachable);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.equal(
        result.stderr,
        `whocan: The rules file ${file} is not valid (1 problem; nothing was evaluated):\n  - ${file}:5:15: rules[0].expect.max-principal: unknown key "max-principal" (did you mean max-principals?): expected only, forbid, nobody, no-outside-org, not-public, max-principals, max-hops, no-escalation\n`,
      );
      const valid = runWhocan(['review', PASSING, '--validate'], unreachable);
      assert.equal(valid.code, 0, valid.stderr);
      assert.match(valid.stdout, /passing\.yaml: valid \(11 rules: prod-pet-readers, /);
      const missing = runWhocan(['review', path.join(tmp, 'nope.yaml')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^whocan: Cannot read the rules file .*nope\.yaml: no such file\.$/m);
      noStack(missing.stderr);
    });

    it('rules that do not fit the snapshot, an unknown snapshot or option: exit 2, no stack trace', () => {
      const file = path.join(tmp, 'unfit.yaml');
      writeFileSync(
        file,
        'version: 1\nrules:\n  - id: x\n    select:\n      invoke: { api: petstore-apx }\n    expect: { nobody: true }\n',
      );
      const unfit = runWhocan(['review', file]);
      assert.equal(unfit.code, 2);
      assert.match(
        unfit.stderr,
        new RegExp(
          `^whocan: The rules in .*unfit\\.yaml do not fit snapshot ${seedSnapshot} \\(1 problem; nothing was evaluated\\):\\n {2}- .*unfit\\.yaml:5:7: rule x: select: no API has the id or name "petstore-apx"`,
        ),
      );
      const snapshot = runWhocan(['review', PASSING, '--snapshot', '20200101T000000Z-0000']);
      assert.equal(snapshot.code, 2);
      noStack(snapshot.stderr);
      const format = runWhocan(['review', PASSING, '--format', 'xml']);
      assert.equal(format.code, 2);
      assert.match(
        format.stderr,
        /option '--format <format>' argument 'xml' is invalid\. Allowed choices are table, json, csv, markdown, junit\./,
      );
    });
  });

  describe('whocan paths', () => {
    const admin = 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/ANY/admin/{proxy+}';
    it('text, mermaid, dot and json; exit 1 when the principal has no path; exit 2 on bad input', () => {
      const text = runWhocan(['paths', admin, '--principal', 'arn:aws:iam::222233334444:user/ivan-ops']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^user\/ivan-ops @222233334444 can execute-api:Invoke on .*: conditional, 2 role assumptions/);
      assert.match(
        text.stdout,
        /^ {2}1\. assumes role\/ops-jump @222233334444 \(if Bool aws:MultiFactorAuthPresent \["true"\]\) → assumes role\/petstore-operator/m,
      );
      const mermaid = runWhocan(['paths', admin, '--principal', 'arn:aws:iam::222233334444:user/ivan-ops', '--format', 'mermaid']);
      assert.equal(mermaid.code, 0);
      assert.match(mermaid.stdout, /^flowchart LR$/m);
      assert.match(mermaid.stdout, /n1 -->\|"sts:AssumeRole \(trust \[IvanWithMfa\]/);
      const dot = runWhocan([
        'paths',
        'arn:aws:iam::333344445555:role/platform-admin',
        '--principal',
        'arn:aws:iam::222233334444:user/ivan-ops',
        '--format',
        'dot',
      ]);
      assert.equal(dot.code, 0, dot.stderr);
      assert.match(dot.stdout, /^digraph whocan \{/);
      assert.match(
        dot.stdout,
        /label="user\/ivan-ops @222233334444 can sts:AssumeRole on arn:aws:iam::333344445555:role\/platform-admin: conditional, 2 role assumptions/,
      );
      const json = JSON.parse(
        runWhocan([
          'paths',
          'arn:aws:lambda:us-east-1:333344445555:function:pets-read',
          '--principal',
          'arn:aws:iam::333344445555:user/bob-caller',
          '--format',
          'json',
        ]).stdout,
      ) as { action: string; decision: string; paths: unknown[] };
      assert.deepEqual([json.action, json.decision, json.paths.length], ['lambda:InvokeFunction', 'allowed', 1]);
      const manage = runWhocan([
        'paths',
        'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5',
        '--principal',
        'arn:aws:iam::333344445555:user/alice-apidev',
        '--action',
        'apigateway:PATCH',
        '--format',
        'json',
      ]);
      assert.equal(manage.code, 0, manage.stderr);

      const none = runWhocan(['paths', admin, '--principal', 'arn:aws:iam::333344445555:user/bob-caller', '--format', 'mermaid']);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /bob-caller has no path to/);
      const noAction = runWhocan([
        'paths',
        'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5',
        '--principal',
        'arn:aws:iam::333344445555:user/alice-apidev',
      ]);
      assert.equal(noAction.code, 2);
      assert.match(noAction.stderr, /is an API Gateway management ARN: name the action with --action, e.g\. --action apigateway:PATCH/);
      const unknown = runWhocan(['paths', admin, '--principal', 'arn:aws:iam::333344445555:user/nobody']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /arn:aws:iam::333344445555:user\/nobody is not in the snapshot/);
      noStack(unknown.stderr);
    });
  });

  describe('whocan diff', () => {
    let modifiedSnapshot: string;
    before(async () => {
      const copy = modifiedSeedCopy();
      try {
        modifiedSnapshot = await ingest(graph, copy.dir);
      } finally {
        copy.cleanup();
      }
    });

    it('between the demo and the modified copy (the defaults): exactly the changes worked out by hand', () => {
      const result = runWhocan(['diff', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as DiffReport;
      assert.deepEqual([report.from, report.to], [seedSnapshot, modifiedSnapshot]);
      assert.deepEqual(
        report.changes.map((c) => [
          c.change,
          c.kind,
          c.action,
          c.resource,
          c.principal,
          c.before?.decision ?? null,
          c.after?.decision ?? null,
        ]),
        EXPECTED_CHANGES,
      );
      assert.ok(
        report.changes.every((c) => c.paths.length > 0),
        'every change has its paths',
      );
    });

    it('every format; --fail-on-gain exits 1; the other way round has the gains as losses', () => {
      const table = runWhocan(['diff']);
      assert.equal(table.code, 0);
      assert.match(table.stdout, /16 gained, 3 lost, 0 changed; 48 questions compared/);
      const csv = runWhocan(['diff', '--format', 'csv']);
      assert.equal(csv.stdout.trimEnd().split('\r\n').length, 1 + 19);
      assert.match(runWhocan(['diff', '--format', 'markdown']).stdout, /^## Lost \(3\)$/m);
      const junit = runWhocan(['diff', '--format', 'junit']);
      checkWellFormedXml(junit.stdout);
      assert.match(junit.stdout, /tests="19" failures="16"/);
      assert.equal(runWhocan(['diff', '--fail-on-gain']).code, 1);
      const reverse = runWhocan(['diff', '--from', modifiedSnapshot, '--to', seedSnapshot, '--json', '--fail-on-gain']);
      assert.equal(reverse.code, 1, 'bob-caller gains his access back');
      assert.deepEqual((JSON.parse(reverse.stdout) as DiffReport).counts, { gained: 3, lost: 16, changed: 0 });
      const invokeOnly = JSON.parse(runWhocan(['diff', '--kind', 'invoke', '--api', 'petstore-web', '--json']).stdout) as DiffReport;
      assert.deepEqual(
        invokeOnly.changes.map((c) => c.label),
        ['petstore-web/staging POST /orders'],
      );
    });

    it('bad input: exit 2 with one message', () => {
      const kind = runWhocan(['diff', '--kind', 'everything']);
      assert.equal(kind.code, 2);
      assert.match(kind.stderr, /--kind everything: expected one of invoke, manage, assume/);
      const from = runWhocan(['diff', '--from', 'not a snapshot']);
      assert.equal(from.code, 2);
      noStack(from.stderr);
    });
  });
  describe('remote mode (--server): the same results as the local database', () => {
    let server: TestServer;
    const reader = createApiToken('reader');
    let modifiedSnapshot: string;
    before(async () => {
      // The diff tests above made the modified copy current: the demo is the snapshot before it.
      const snapshots = JSON.parse((await runWhocanAsync(['snapshots', '--json'])).stdout) as { id: string; current: boolean }[];
      modifiedSnapshot = snapshots.find((s) => s.current)!.id;
      server = await startTestServer(graph, { apiTokens: parseApiTokenEntries(reader.entry).entries });
    });
    after(async () => server.close());

    const remoteEnv = () => ({ ...testNeo4jEnv(), WHOCAN_TOKEN: reader.token });
    /** A report without what differs between runs (timing, where the answers came from). */
    const stable = (json: string) =>
      JSON.parse(json, (key, value: unknown) =>
        key === 'durationMs' || key === 'startedAt' || key === 'origin' ? undefined : value,
      ) as unknown;

    it('review: every example rule gives the same report, in every format', async () => {
      for (const file of [PASSING, VIOLATIONS]) {
        const local = await runWhocanAsync(['review', file, '--snapshot', seedSnapshot, '--json']);
        const remote = await runWhocanAsync(['review', file, '--snapshot', seedSnapshot, '--json', '--server', server.url], remoteEnv());
        assert.equal(remote.code, local.code, remote.stderr);
        // The server runs the review and caps what it lists over the whole report (limits.total): the rest is the same.
        const fromServer = stable(remote.stdout) as ReviewReport;
        assert.equal(fromServer.limits.total, DEFAULT_API_LIMITS.maxReviewListed);
        delete fromServer.limits.total;
        assert.deepEqual(fromServer, stable(local.stdout), file);
        assert.equal((JSON.parse(remote.stdout) as ReviewReport).origin, server.url);
      }
      const csv = async (args: string[], env?: Record<string, string>) =>
        (await runWhocanAsync(['review', VIOLATIONS, '--snapshot', seedSnapshot, '--format', 'csv', ...args], env)).stdout;
      assert.equal(await csv(['--server', server.url], remoteEnv()), await csv([]));
      const junit = await runWhocanAsync(
        ['review', VIOLATIONS, '--snapshot', seedSnapshot, '--format', 'junit', '--server', server.url],
        remoteEnv(),
      );
      assert.equal(junit.code, 1);
      checkWellFormedXml(junit.stdout);
      assert.match(junit.stdout, /<property name="origin" value="http:\/\/127\.0\.0\.1:\d+\/graphql"\/>/);
    });

    it('diff and paths: the same answers', async () => {
      const local = await runWhocanAsync(['diff', '--json']);
      const remote = await runWhocanAsync(['diff', '--json', '--server', server.url], remoteEnv());
      assert.equal(remote.code, 0, remote.stderr);
      assert.deepEqual(stable(remote.stdout), stable(local.stdout));
      assert.deepEqual(
        [(JSON.parse(remote.stdout) as DiffReport).from, (JSON.parse(remote.stdout) as DiffReport).to],
        [seedSnapshot, modifiedSnapshot],
      );
      const args = [
        'paths',
        'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/ANY/admin/{proxy+}',
        '--principal',
        'arn:aws:iam::222233334444:user/ivan-ops',
        '--snapshot',
        seedSnapshot,
      ];
      for (const format of ['json', 'mermaid', 'dot']) {
        const l = await runWhocanAsync([...args, '--format', format]);
        const r = await runWhocanAsync([...args, '--format', format, '--server', server.url], remoteEnv());
        assert.equal(r.code, 0, r.stderr);
        if (format === 'json') assert.deepEqual(stable(r.stdout), stable(l.stdout));
        else assert.equal(r.stdout, l.stdout, format);
      }
      const none = await runWhocanAsync(
        [
          'paths',
          'arn:aws:iam::333344445555:role/platform-admin',
          '--principal',
          'arn:aws:iam::333344445555:user/bob-caller',
          '--server',
          server.url,
        ],
        remoteEnv(),
      );
      assert.equal(none.code, 1, none.stderr);
    });

    it('the organization query: the accounts the snapshot knows and who is in the organization', async () => {
      const auth = { authorization: `Bearer ${reader.token}` };
      const response = await server.gql<{ organization: unknown }>(
        'query ($s: String) { organization(snapshot: $s) { snapshot hasOrganization organizationId accounts { id name ingested inOrganization } } }',
        { s: seedSnapshot },
        auth,
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(dataOf(response.body).organization, {
        snapshot: seedSnapshot,
        hasOrganization: true,
        organizationId: 'o-pet5t0re42',
        accounts: [
          { id: '111122223333', name: 'petstore-management', ingested: true, inOrganization: true },
          { id: '222233334444', name: 'petstore-identity', ingested: true, inOrganization: true },
          { id: '333344445555', name: 'petstore-prod', ingested: true, inOrganization: true },
          { id: '999988887777', name: null, ingested: false, inOrganization: false },
        ],
      });
      const unknown = await server.gql('{ organization(snapshot: "20200101T000000Z-0000") { snapshot } }', undefined, auth);
      assert.equal(firstError(unknown.body).extensions.code, 'NOT_FOUND');
    });

    it('a missing or wrong token, an unknown snapshot, an unreachable server: exit 2 with one message, no stack trace', async () => {
      const missing = await runWhocanAsync(['review', PASSING, '--server', server.url], testNeo4jEnv());
      assert.equal(missing.code, 2);
      assert.match(
        missing.stderr,
        /^whocan: The whocan server at http:\/\/127\.0\.0\.1:\d+\/graphql refused the request: it needs an API token \(give it with --token or WHOCAN_TOKEN\)\.$/m,
      );
      const wrong = await runWhocanAsync(['review', PASSING, '--server', server.url, '--token', 'whocan_not-a-token'], testNeo4jEnv());
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /the API token is not valid there/);
      assert.doesNotMatch(wrong.stderr, /whocan_not-a-token/, 'the token is never printed');
      const snapshot = await runWhocanAsync(
        ['review', PASSING, '--server', server.url, '--snapshot', '20200101T000000Z-0000'],
        remoteEnv(),
      );
      assert.equal(snapshot.code, 2);
      assert.match(snapshot.stderr, /No complete snapshot 20200101T000000Z-0000 on the whocan server/);
      const closed = await freePort();
      const unreachable = await runWhocanAsync(['diff', '--server', `http://127.0.0.1:${closed}/graphql`], remoteEnv());
      assert.equal(unreachable.code, 2);
      assert.match(
        unreachable.stderr,
        new RegExp(`^whocan: The whocan server at http://127\\.0\\.0\\.1:${closed}/graphql is not reachable: ECONNREFUSED\\.$`, 'm'),
      );
      const tokenAlone = await runWhocanAsync(['diff', '--token', 'x']);
      assert.equal(tokenAlone.code, 2);
      assert.match(tokenAlone.stderr, /--token is for --server/);
      for (const r of [missing, wrong, snapshot, unreachable, tokenAlone]) noStack(r.stderr);
    });
  });
});
