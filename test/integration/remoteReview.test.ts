import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_API_LIMITS } from '../../src/api/limits';
import { migrationsDir, seedDir } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { generate } from '../../src/generate';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { SnapshotService } from '../../src/services';
import { IndexAccessSource, reviewReportProblems, type AnalysisQuestions, type ReviewReport } from '../../src/services/review';
import { TimeoutError } from '../../src/errors';
import type { TxOptions } from '../../src/db';
import { checkWellFormedXml } from '../unit/cli/support/xml';
import { capturingLogger, dataOf, firstError, startTestServer, type TestServer } from './support/api';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';
import { runWhocanCli, type CliRun } from '../support/whocanCli';

/**
 * `whocan review --server` sends the rules file to the server's `review`
 * query, which runs the review on the server's access index: the same
 * report as the local review (on a generated small organization and on
 * seed/, both ingested with the index), in one request; the query's bounds
 * (rules text size before parsing, number of rules, accesses listed, cost)
 * and its authentication.
 */

/** review(…) as the tests ask for it; `report` is the JSON report the CLI writes. */
interface ReviewData {
  review: { snapshot: string; failedRules: string[]; violations: number; report: ReviewReport };
}

const PASSING = path.join(seedDir(), 'rules', 'passing.yaml');
const VIOLATIONS = path.join(seedDir(), 'rules', 'violations.yaml');

/** Rules over every API and role: kinds the index answers, and two it cannot (only; a request context). */
const RULES = `version: 1
rules:
  - id: no-public-method
    select: { invoke: { api: "*" } }
    expect: { not-public: true }
  - id: inside-org
    severity: high
    select: { invoke: { api: "*" } }
    expect: { no-outside-org: true }
  - id: nobody-manages
    severity: low
    select: { manage: { api: "*" } }
    expect: { nobody: true }
  - id: few-assumers
    select: { assume: "arn:aws:iam::*:role/*" }
    expect: { max-principals: 3 }
  - id: close-assumers
    select: { assume: "arn:aws:iam::*:role/*" }
    expect: { max-hops: 1 }
  - id: managers-are-roles
    select: { manage: { api: "*" } }
    expect: { only: [{ type: role }] }
  - id: inside-org-from-office
    select: { invoke: { api: "*" } }
    expect: { no-outside-org: true }
    context: { aws:SourceIp: 10.1.2.3 }
`;
/** The accesses the test server lists at most in one report. */
const LISTED = 100_000;
const RULE_IDS = [
  'no-public-method',
  'inside-org',
  'nobody-manages',
  'few-assumers',
  'close-assumers',
  'managers-are-roles',
  'inside-org-from-office',
];
const INDEXED = ['no-public-method', 'inside-org', 'nobody-manages', 'few-assumers', 'close-assumers'];

function runWhocan(args: string[], env: Record<string, string>): Promise<CliRun> {
  return runWhocanCli(args, env, 300_000);
}

/** A report without what differs between runs (timing, where the answers came from). */
function stable(json: string): ReviewReport {
  return JSON.parse(json, (key, value: unknown) =>
    key === 'durationMs' || key === 'startedAt' || key === 'origin' ? undefined : value,
  ) as ReviewReport;
}

describe('whocan review --server: the review runs on the server, on its access index', () => {
  let graph: Graph;
  let tmp: string;
  let generated: string;
  let seedSnapshot: string;
  let rulesFile: string;
  let server: TestServer;
  const log = capturingLogger();
  const reader = createApiToken('reader');
  const remoteEnv = () => ({ ...testNeo4jEnv(), WHOCAN_TOKEN: reader.token });
  const auth = { authorization: `Bearer ${reader.token}` };

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-remote-review-'));
    const dir = path.join(tmp, 'small');
    generate({ preset: 'small', seed: 1, out: dir });
    const snapshots = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 5 });
    const small = await snapshots.ingest(dir, undefined, { index: true, allowShrink: true });
    assert.ok(small.index && small.index.targets > 0, 'the ingest built the index');
    generated = small.snapshotId;
    seedSnapshot = (await snapshots.ingest(seedDir(), undefined, { index: true, allowShrink: true })).snapshotId;
    rulesFile = path.join(tmp, 'rules.yaml');
    fs.writeFileSync(rulesFile, RULES);
    // A cap on the accesses listed that --all on the generated organization stays under (the default cap is tested below), so the reports compare whole.
    server = await startTestServer(graph, {
      apiTokens: parseApiTokenEntries(reader.entry).entries,
      logger: log.logger,
      limits: { maxReviewListed: LISTED },
    });
  });
  after(async () => {
    await server.close();
    await resetGraph(graph);
    await graph.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The GraphQL operations the server answered while `work` ran. */
  async function operations<T>(work: () => Promise<T>): Promise<{ result: T; names: unknown[]; outcomes: unknown[] }> {
    const before = log.lines.length;
    const result = await work();
    const requests = log.lines.slice(before).filter((l) => l['msg'] === 'graphql request');
    return { result, names: requests.map((l) => l['operationName']), outcomes: requests.map((l) => l['outcome']) };
  }

  /** The local review and the one over the server, with the same arguments: the same exit code and report (the server's adds limits.total). */
  async function same(args: string[]): Promise<ReviewReport> {
    const local = await runWhocan(['review', ...args, '--json'], testNeo4jEnv());
    const { result: remote, names } = await operations(() => runWhocan(['review', ...args, '--json', '--server', server.url], remoteEnv()));
    assert.equal(remote.code, local.code, `${args.join(' ')}: ${remote.stderr}`);
    assert.ok(local.code === 0 || local.code === 1, local.stderr);
    assert.deepEqual(names, ['WhocanSnapshots', 'WhocanReview'], 'one review request, no question per target');
    const report = JSON.parse(remote.stdout) as ReviewReport;
    assert.deepEqual(reviewReportProblems(report), [], "the server's report fits schema/review-report.schema.json");
    assert.equal(report.origin, server.url);
    const fromServer = stable(remote.stdout);
    assert.equal(fromServer.limits.total, LISTED);
    delete fromServer.limits.total;
    assert.deepEqual(fromServer, stable(local.stdout), args.join(' '));
    return report;
  }

  it('a generated small organization: the same report as the local review, bounded, with --all and smaller limits; the index answers what it can', async () => {
    let violations = 0;
    // Every rule with the defaults; the rules the index answers (the analysis' are slow to ask locally) with --all and smaller limits.
    const indexed = INDEXED.flatMap((id) => ['--rule', id]);
    for (const options of [[], ['--all', ...indexed], ['--max-violations', '3', '--max-access', '2', '--max-paths', '2', ...indexed]]) {
      const report = await same([rulesFile, '--snapshot', generated, ...options]);
      assert.deepEqual(
        report.results.map((r) => [r.id, r.answeredFrom]),
        (options.length === 0 ? RULE_IDS : INDEXED).map((id) => [id, INDEXED.includes(id) ? 'index' : 'analysis']),
      );
      violations += report.counts.violations;
    }
    assert.ok(violations > 0, 'the rules find violations to compare');
    // --rule and --fail-on: the same selection and exit code.
    await same([rulesFile, '--snapshot', generated, '--rule', 'inside-org', '--rule', 'few-assumers']);
    for (const failOn of ['high', 'low']) {
      const args = [
        'review',
        rulesFile,
        '--snapshot',
        generated,
        '--rule',
        'inside-org',
        '--rule',
        'nobody-manages',
        '--fail-on',
        failOn,
        '--format',
        'csv',
      ];
      const local = await runWhocan(args, testNeo4jEnv());
      const remote = await runWhocan([...args, '--server', server.url], remoteEnv());
      assert.equal(remote.code, local.code, `--fail-on ${failOn}: ${remote.stderr}`);
      assert.equal(remote.stdout, local.stdout, `--fail-on ${failOn}`);
    }
  });

  it('seed/: the example rules give the same reports and exit codes, in every format', async () => {
    const passing = await same([PASSING, '--snapshot', seedSnapshot]);
    assert.equal(passing.counts.failed, 0);
    const violated = await same([VIOLATIONS, '--snapshot', seedSnapshot]);
    assert.equal(violated.counts.failed, violated.counts.rules);
    assert.ok(
      violated.results.some((r) => r.answeredFrom === 'index'),
      "the seed's index answers some rules",
    );
    const local = await runWhocan(['review', VIOLATIONS, '--snapshot', seedSnapshot], testNeo4jEnv());
    const remote = await runWhocan(['review', VIOLATIONS, '--snapshot', seedSnapshot, '--server', server.url], remoteEnv());
    assert.equal(remote.code, 1, remote.stderr);
    assert.equal(remote.stdout, local.stdout.replace(' · local database', ` · ${server.url}`), 'the table, with the server as origin');
    const junit = await runWhocan(
      ['review', VIOLATIONS, '--snapshot', seedSnapshot, '--format', 'junit', '--server', server.url],
      remoteEnv(),
    );
    assert.equal(junit.code, 1, junit.stderr);
    checkWellFormedXml(junit.stdout);
    assert.match(junit.stdout, /<property name="origin" value="http:\/\/127\.0\.0\.1:\d+\/graphql"\/>/);
    const markdown = await runWhocan(
      ['review', VIOLATIONS, '--snapshot', seedSnapshot, '--format', 'markdown', '--server', server.url],
      remoteEnv(),
    );
    assert.equal(markdown.code, 1, markdown.stderr);
    assert.match(markdown.stdout, /rules failed/);
    // Rules the server finds do not fit the snapshot: exit 2, each problem named once, no stack trace.
    const misfitFile = path.join(tmp, 'misfit.yaml');
    fs.writeFileSync(
      misfitFile,
      'version: 1\nrules:\n  - id: a\n    select: { invoke: { api: no-such-api } }\n    expect: { nobody: true }\n',
    );
    const misfit = await runWhocan(['review', misfitFile, '--snapshot', seedSnapshot, '--server', server.url], remoteEnv());
    assert.equal(misfit.code, 2);
    assert.match(misfit.stderr, /^whocan: The rules in .*misfit\.yaml do not fit snapshot \S+ \(1 problem; nothing was evaluated\):/m);
    assert.equal(misfit.stderr.match(/misfit\.yaml:4:\d+: rule a: select:/g)?.length, 1, misfit.stderr);
    assert.doesNotMatch(misfit.stderr, /\n\s+at /);
    const unknownRule = await runWhocan(['review', VIOLATIONS, '--rule', 'no-such-rule', '--server', server.url], remoteEnv());
    assert.equal(unknownRule.code, 2);
    assert.match(
      unknownRule.stderr,
      /^whocan: --rule no-such-rule: no such rule in .*violations\.yaml; its rules: prod-pets-only-api-callers, /m,
    );
  });

  it('the review query: rules that are not valid, or do not fit the snapshot, are one BAD_USER_INPUT naming file, line and what was expected', async () => {
    const query =
      'query ($rules: String!, $snapshot: String, $options: ReviewOptionsInput) { review(rules: $rules, snapshot: $snapshot, options: $options) { snapshot failedRules violations report } }';
    const bad = await server.gql(
      query,
      {
        rules: 'version: 1\nrules:\n  - id: a\n    select: { invoke: { api: "*" } }\n    expect: { everybody: true }\n',
        options: { file: 'ci/access.yaml' },
      },
      auth,
    );
    assert.equal(bad.body.errors?.length, 1, JSON.stringify(bad.body));
    assert.equal(firstError(bad.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(
      firstError(bad.body).message,
      /^The rules file ci\/access\.yaml is not valid \(1 problem; nothing was evaluated\):\n {2}- ci\/access\.yaml:5:\d+: rules\[0\]\.expect/,
    );
    assert.equal(bad.body.data, null);

    const misfit = await server.gql(
      query,
      {
        rules: 'version: 1\nrules:\n  - id: a\n    select: { invoke: { api: no-such-api } }\n    expect: { nobody: true }\n',
        snapshot: seedSnapshot,
      },
      auth,
    );
    assert.equal(misfit.body.errors?.length, 1);
    assert.equal(firstError(misfit.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(firstError(misfit.body).message, /rules\.yaml:4:\d+: rule a: select: /);

    // YAML aliases that expand into too many values: one BAD_USER_INPUT, not a server error.
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array.from({ length: 10 }, () => `*${String.fromCharCode(96 + i)}`).join(', ')}]`,
      );
    const laughs = await server.gql(query, { rules: [...bomb, 'version: 1', 'rules: []'].join('\n') }, auth);
    assert.equal(laughs.body.errors?.length, 1);
    assert.equal(firstError(laughs.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(firstError(laughs.body).message, /rules\.yaml:1:1: its aliases \(\*name\) expand into too many values/);

    const unknownRule = await server.gql(query, { rules: fs.readFileSync(PASSING, 'utf8'), options: { rules: ['nope'] } }, auth);
    assert.equal(firstError(unknownRule.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(firstError(unknownRule.body).message, /^options\.rules: nope: no such rule in rules\.yaml/);

    const ok = await server.gql<ReviewData>(
      query,
      { rules: fs.readFileSync(VIOLATIONS, 'utf8'), snapshot: seedSnapshot, options: { rules: ['petstore-web-not-public'] } },
      auth,
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(
      {
        snapshot: dataOf(ok.body).review.snapshot,
        failedRules: dataOf(ok.body).review.failedRules,
        violations: dataOf(ok.body).review.violations,
      },
      { snapshot: seedSnapshot, failedRules: ['petstore-web-not-public'], violations: dataOf(ok.body).review.report.counts.violations },
    );
    assert.equal(dataOf(ok.body).review.report.origin, 'whocan server');
    assert.deepEqual(reviewReportProblems(dataOf(ok.body).review.report), []);
  });

  it('the default cap on the accesses listed bounds --all: the listing stops there, every rule is still checked and counted', async () => {
    const capped = await startTestServer(graph, { apiTokens: parseApiTokenEntries(reader.entry).entries });
    try {
      const args = ['review', rulesFile, '--snapshot', generated, '--json', '--all', ...INDEXED.flatMap((id) => ['--rule', id])];
      const local = stable((await runWhocan(args, testNeo4jEnv())).stdout);
      const remote = await runWhocan([...args, '--server', capped.url], remoteEnv());
      assert.equal(remote.code, 1, remote.stderr);
      const report = stable(remote.stdout);
      const listed = (r: ReviewReport) => r.results.reduce((n, x) => n + x.violations.reduce((m, v) => m + v.access.length, 0), 0);
      assert.ok(listed(local) > DEFAULT_API_LIMITS.maxReviewListed, `--all lists ${listed(local)} accesses locally`);
      assert.equal(report.limits.total, DEFAULT_API_LIMITS.maxReviewListed);
      assert.equal(listed(report), DEFAULT_API_LIMITS.maxReviewListed);
      assert.equal(report.truncated, true);
      assert.deepEqual(report.counts, { ...local.counts, listed: report.counts.listed });
      assert.deepEqual(
        report.results.map((r) => [r.id, r.status, r.summary, r.violationCount]),
        local.results.map((r) => [r.id, r.status, r.summary, r.violationCount]),
      );
    } finally {
      await capped.close();
    }
  });

  it('bounds: the rules text size before it is read (even before the snapshot is looked up), the number of rules, the accesses listed (--all too), the cost', async () => {
    const query =
      'query ($rules: String!, $snapshot: String, $options: ReviewOptionsInput) { review(rules: $rules, snapshot: $snapshot, options: $options) { report } }';
    // Over the default 256 KiB, and not YAML at all: refused for its size, not parsed.
    const huge = await server.gql(query, { rules: `rules: [${'x'.repeat(300_000)}`, snapshot: '20200101T000000Z-0000' }, auth);
    assert.equal(huge.body.errors?.length, 1, JSON.stringify(huge.body).slice(0, 500));
    assert.equal(firstError(huge.body).extensions.code, 'BAD_USER_INPUT');
    assert.equal(
      firstError(huge.body).message,
      'rules: the rules text is 300008 bytes; this server accepts at most 262144 (WHOCAN_MAX_RULES_BYTES). Split the file, or ask the operator to raise the limit.',
    );

    const small = await startTestServer(graph, {
      apiTokens: parseApiTokenEntries(reader.entry).entries,
      limits: { maxRulesBytes: 2_048, maxRules: 3, maxReviewListed: 4 },
    });
    try {
      const text = fs.readFileSync(VIOLATIONS, 'utf8');
      assert.ok(Buffer.byteLength(text) > 2_048);
      const tooLong = await small.gql(query, { rules: text }, auth);
      assert.match(
        firstError(tooLong.body).message,
        /^rules: the rules text is \d+ bytes; this server accepts at most 2048 \(WHOCAN_MAX_RULES_BYTES\)/,
      );
      const four = `version: 1\nrules:\n${['a', 'b', 'c', 'd'].map((id) => `  - id: ${id}\n    select: { invoke: { api: petstore-api } }\n    expect: { nobody: true }\n`).join('')}`;
      const tooMany = await small.gql(query, { rules: four }, auth);
      assert.equal(firstError(tooMany.body).extensions.code, 'BAD_USER_INPUT');
      assert.equal(
        firstError(tooMany.body).message,
        'rules: rules.yaml has 4 rules; this server reviews at most 3 in one request (WHOCAN_MAX_RULES): split the file, or choose rules with options.rules.',
      );
      const overCap = await small.gql(query, { rules: four.replace(/ {2}- id: d[\s\S]*$/, ''), options: { maxViolations: 5 } }, auth);
      assert.match(
        firstError(overCap.body).message,
        /^options\.maxViolations: expected a whole number from 1 to 4 \(the most accesses this server lists in one report, WHOCAN_MAX_REVIEW_LISTED\), got 5\./,
      );

      // --all is bounded by the server's cap on the accesses listed over the whole report.
      const three = `version: 1\nrules:\n${['a', 'b', 'c'].map((id) => `  - id: ${id}\n    select: { invoke: { api: "*" } }\n    expect: { nobody: true }\n`).join('')}`;
      const all = await small.gql<ReviewData>(query, { rules: three, snapshot: seedSnapshot, options: { all: true } }, auth);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      const report = dataOf(all.body).review.report;
      assert.deepEqual(report.limits, { violations: null, access: null, paths: 3, total: 4 });
      const listed = report.results.reduce((n, r) => n + r.violations.reduce((m, v) => m + v.access.length, 0), 0);
      assert.equal(listed, 4);
      assert.equal(report.truncated, true);
      assert.ok(report.counts.violations > report.counts.listed);
      assert.deepEqual(
        report.results.map((r) => r.violationCount),
        [report.results[0]!.violationCount, report.results[0]!.violationCount, report.results[0]!.violationCount],
        'every rule is still checked and counted',
      );
      assert.deepEqual(reviewReportProblems(report), []);
    } finally {
      await small.close();
    }

    // One review fills more than half the default cost limit: two in one request are refused before anything runs.
    const twice = await server.gql(
      'query ($r: String!) { a: review(rules: $r) { snapshot } b: review(rules: $r) { snapshot } }',
      { r: 'version: 1\nrules: []\n' },
      auth,
    );
    assert.equal(twice.status, 400);
    assert.equal(firstError(twice.body).extensions.code, 'QUERY_TOO_COMPLEX');
  });

  it("every read of the server's index source runs with the request's transaction options: once the deadline has passed, the next read stops", async () => {
    // The index and inventory reads never ask the analysis; a source that would is refused loudly.
    const noAnalysis = new Proxy({} as AnalysisQuestions, {
      get: () => {
        throw new Error('the index source asked the analysis');
      },
    });
    const asked: TxOptions[] = [];
    let expired = false;
    const source = new IndexAccessSource(graph, noAnalysis, () => {
      const options: TxOptions = { timeoutMs: 30_000, signal: expired ? AbortSignal.abort() : new AbortController().signal };
      asked.push(options);
      return options;
    });
    assert.equal(await source.resolveSnapshot(generated), generated);
    const apis = await source.apis(generated);
    assert.ok(apis.length > 0);
    const reader = await source.indexed(generated);
    assert.ok(reader, 'the generated snapshot has a complete index');
    const before = asked.length;
    const key = `execute-api:Invoke ${apis[0]!.executeApiArn}/nostage/GET/none`;
    await reader.targets([key]);
    await source.groupsOf('arn:aws:iam::000000000000:user/nobody', generated);
    assert.ok(asked.length >= before + 2, `each read asks for options (${asked.length - before} asked for two reads)`);
    expired = true;
    await assert.rejects(reader.members(['class:0']), TimeoutError, 'a read after the deadline is refused before it runs');
    await assert.rejects(source.groupsOf('arn:aws:iam::000000000000:user/nobody', generated), TimeoutError);
  });

  it('authentication applies as for every query: no token or a wrong one is refused before anything runs', async () => {
    const query = 'query ($rules: String!) { review(rules: $rules) { snapshot } }';
    const rules = fs.readFileSync(PASSING, 'utf8');
    for (const headers of [{}, { authorization: 'Bearer whocan_not-a-token' }] as Record<string, string>[]) {
      const { result: refused, names, outcomes } = await operations(() => server.gql(query, { rules }, headers));
      assert.equal(refused.status, 401);
      assert.equal(firstError(refused.body).extensions.code, 'UNAUTHENTICATED');
      assert.equal(refused.body.data, undefined);
      assert.deepEqual([names, outcomes], [[undefined], ['refused']], 'refused before any operation was read');
    }
    const missing = await runWhocan(['review', PASSING, '--server', server.url], testNeo4jEnv());
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /refused the request: it needs an API token/);
    const allowed = await server.gql<ReviewData>(query, { rules }, auth);
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    assert.equal(dataOf(allowed.body).review.snapshot, seedSnapshot);
  });
});
