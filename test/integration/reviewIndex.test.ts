import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccessPath } from '../../src/analysis';
import { migrationsDir, packageRoot } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { generate } from '../../src/generate';
import { AnalysisService, SnapshotService, type AnalysisEvent } from '../../src/services';
import {
  IndexAccessSource,
  LocalAccessSource,
  parseRules,
  runReview,
  type ReviewOptions,
  type ReviewReport,
  type RuleResult,
  type ViolatingAccess,
} from '../../src/services/review';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';

/**
 * Differential: `whocan review` answered from the access index (in bulk)
 * against the same review answered by the analysis one question at a time,
 * on small generated organizations ingested with the index. Every rule's
 * status, summary, counts, violations (principals, types, reasons, access
 * counts) and listed accesses (decisions, hops, partial patterns) must be the
 * same; the conditions and the role chains of the paths too, wherever
 * neither side left paths out. A review the index answers whole never loads
 * the analysis.
 */
const root = packageRoot();
const SEEDS = (process.env['WHOCAN_REVIEW_INDEX_SEEDS'] ?? '1,2').split(',').map(Number);

/** Rules on every API and role: not-public, no-outside-org and other kinds on indexed actions, and two the index cannot answer (only, context). */
const RULES = `version: 1
rules:
  - id: no-public-method
    select: { invoke: { api: "*" } }
    expect: { not-public: true }
  - id: inside-org
    select: { invoke: { api: "*" } }
    expect: { no-outside-org: true }
  - id: nobody-manages
    select: { manage: { api: "*" } }
    expect: { nobody: true }
  - id: no-roles-or-group-members-invalidate
    select: { manage: { api: "*", actions: [apigateway:DELETE, apigateway:PATCH] } }
    expect: { forbid: [{ type: role }, { group: "arn:aws:iam::*:group/*" }] }
    except: [{ type: service }]
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
const INDEXED = [
  'no-public-method',
  'inside-org',
  'nobody-manages',
  'no-roles-or-group-members-invalidate',
  'few-assumers',
  'close-assumers',
];

/** A path as its role chain: the principal, then each role it assumes (the index does not keep the statements of the last one's own access). */
const chain = (p: AccessPath) =>
  [
    p[0]?.from ?? '',
    ...p
      .filter((h) => h.kind === 'assume-role')
      .map((h) => `${h.to} (${h.policy ?? ''} ${h.statement ?? ''} ${h.identityStatement ?? ''})`),
  ].join(' > ');

/** What must be equal between the two reports, per access. */
function accessView(a: ViolatingAccess) {
  return {
    action: a.action,
    resource: a.resource,
    label: a.label,
    decision: a.decision,
    hops: a.hops,
    patterns: a.partial?.patterns ?? null,
  };
}

function compareRule(index: RuleResult, analysis: RuleResult): number {
  const where = `rule ${index.id}`;
  assert.deepEqual(
    {
      status: index.status,
      summary: index.summary,
      questions: index.questions,
      principals: index.principals,
      violationCount: index.violationCount,
      truncated: index.truncated,
    },
    {
      status: analysis.status,
      summary: analysis.summary,
      questions: analysis.questions,
      principals: analysis.principals,
      violationCount: analysis.violationCount,
      truncated: analysis.truncated,
    },
    where,
  );
  assert.deepEqual(
    index.violations.map((v) => [v.principal, v.principalType, v.reason, v.accessCount, v.truncated]),
    analysis.violations.map((v) => [v.principal, v.principalType, v.reason, v.accessCount, v.truncated]),
    where,
  );
  let compared = 0;
  index.violations.forEach((v, i) => {
    const other = analysis.violations[i]!;
    assert.deepEqual(v.access.map(accessView), other.access.map(accessView), `${where} ${v.principal}`);
    v.access.forEach((a, j) => {
      const b = other.access[j]!;
      if (a.morePaths || b.morePaths) return;
      const at = `${where} ${v.principal} ${a.label}`;
      // Every path the analysis lists, as its role chain (with each assumption's statements).
      assert.deepEqual(new Set(a.paths.map(chain)), new Set(b.paths.map(chain)), `${at}: paths`);
      assert.deepEqual(new Set(a.conditions.map((c) => c.when)), new Set(b.conditions.map((c) => c.when)), `${at}: conditions`);
      compared++;
    });
  });
  return compared;
}

function compareReports(index: ReviewReport, analysis: ReviewReport): number {
  assert.deepEqual(index.counts, analysis.counts);
  assert.equal(index.truncated, analysis.truncated);
  assert.deepEqual(index.limits, analysis.limits);
  let compared = 0;
  index.results.forEach((r, i) => (compared += compareRule(r, analysis.results[i]!)));
  return compared;
}

describe('review from the access index equals review by the analysis (generated small organizations, --index)', () => {
  let graph: Graph;
  const dirs: string[] = [];

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const seed of SEEDS) {
    it(`small organization, seed ${seed}: the same report, bounded and with all`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `whocan-review-index-${seed}-`));
      dirs.push(dir);
      generate({ preset: 'small', seed, out: dir });
      const ingested = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 2 }).ingest(dir, undefined, {
        index: true,
        allowShrink: true,
      });
      assert.ok(ingested.index && ingested.index.targets > 0, 'the ingest built the index');
      const rules = parseRules(RULES, 'rules.yaml');

      const loads: AnalysisEvent[] = [];
      const indexed = new IndexAccessSource(graph, new AnalysisService(graph, { onEvent: (e) => loads.push(e) }));
      const byAnalysis = new LocalAccessSource(new AnalysisService(graph));

      let pathsCompared = 0;
      let violations = 0;
      for (const options of [{}, { all: true }, { maxViolations: 3, maxAccess: 2, maxPaths: 2 }] satisfies ReviewOptions[]) {
        const fromIndex = await runReview(indexed, rules, options);
        const fromAnalysis = await runReview(byAnalysis, rules, options);
        assert.deepEqual(
          fromIndex.results.map((r) => [r.id, r.answeredFrom]),
          rules.rules.map((r) => [r.id, INDEXED.includes(r.id) ? 'index' : 'analysis']),
          'the index answers every rule it can',
        );
        assert.ok(fromAnalysis.results.every((r) => r.answeredFrom === 'analysis'));
        pathsCompared += compareReports(fromIndex, fromAnalysis);
        violations += fromIndex.counts.violations;
      }
      assert.ok(violations > 0, 'the rules find violations to compare');
      assert.ok(pathsCompared > 0, 'some paths were compared');

      // A review the index answers whole reads no analysis.
      loads.length = 0;
      const onlyIndexed = new IndexAccessSource(graph, new AnalysisService(graph, { onEvent: (e) => loads.push(e) }));
      const report = await runReview(onlyIndexed, rules, { only: INDEXED });
      assert.ok(report.results.every((r) => r.answeredFrom === 'index'));
      assert.deepEqual(loads, [], 'no analysis was loaded');
    });
  }

  it('without a complete index, or with other --max-hops, the analysis answers (the same report)', async () => {
    const rules = parseRules(RULES, 'rules.yaml');
    const indexed = new IndexAccessSource(graph, new AnalysisService(graph));
    const byAnalysis = new LocalAccessSource(new AnalysisService(graph));
    const fromIndex = await runReview(indexed, rules, { maxHops: 3, only: ['inside-org', 'nobody-manages'] });
    assert.deepEqual(
      fromIndex.results.map((r) => r.answeredFrom),
      ['analysis', 'analysis'],
    );
    compareReports(fromIndex, await runReview(byAnalysis, rules, { maxHops: 3, only: ['inside-org', 'nobody-manages'] }));
  });

  it('the CLI: --json is bounded by --max-violations and --max-access and counts everything; --all with a limit is refused', () => {
    const file = path.join(dirs[0] ?? os.tmpdir(), 'rules.yaml');
    fs.writeFileSync(file, RULES);
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'bin', 'whocan.js'), ...args], {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv() },
        encoding: 'utf8',
        timeout: 300_000,
      });
    const bounded = run([
      'review',
      file,
      '--json',
      '--rule',
      'inside-org',
      '--rule',
      'few-assumers',
      '--max-violations',
      '1',
      '--max-access',
      '1',
    ]);
    assert.equal(bounded.status, 1, bounded.stderr);
    const report = JSON.parse(bounded.stdout) as ReviewReport;
    assert.deepEqual(report.limits, { violations: 1, access: 1, paths: 3 });
    for (const r of report.results) {
      assert.equal(r.answeredFrom, 'index');
      assert.ok(r.violations.length <= 1 && r.violations.every((v) => v.access.length <= 1 && v.accessCount >= v.access.length));
    }
    assert.equal(
      report.counts.listed,
      report.results.reduce((n, r) => n + r.violations.length, 0),
    );
    assert.ok(report.counts.violations > report.counts.listed, 'more violations than listed');
    assert.equal(report.truncated, true);

    const everything = run(['review', file, '--json', '--rule', 'inside-org', '--all']);
    assert.equal(everything.status, 1, everything.stderr);
    const all = JSON.parse(everything.stdout) as ReviewReport;
    assert.equal(all.truncated, false);
    assert.equal(all.counts.listed, all.counts.violations);

    const refused = run(['review', file, '--all', '--max-access', '2']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--all lists everything/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /);
  });
});
