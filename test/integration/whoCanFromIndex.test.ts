import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  INDEXED_MANAGEMENT_ACTIONS,
  methodTemplateArn,
  type AccessAnalysis,
  type AccessPath,
  type PrincipalAccess,
  type RequestContextValues,
  type WhoCanAnswer,
} from '../../src/analysis';
import { migrationsDir, packageRoot } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { generate } from '../../src/generate';
import { AnalysisService, prepareIndexPaths, SnapshotService } from '../../src/services';
import { answerFromIndex, whoCanFromIndex, type IndexQuestion } from '../../src/services/index/whoCanFromIndex';
import { dataOf, type GraphQLResponse, startTestServer } from './support/api';
import type { Connection } from './support/answers';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';

/** whoCanInvoke as the paging test asks for it. */
interface IndexedAnswer {
  stats: { fromIndex: boolean };
  principals: Connection<{ arn: string; decision: string; hops: number; bestHops: number; paths: { kind: string; to: string }[][] }>;
}

/**
 * Who-can answers read from the stored access index against the
 * per-question analysis, kept as the reference, on generated organizations
 * ingested with `--index` into the test Neo4j: every method × stage
 * (execute-api:Invoke; every fifth for execute-api:InvalidateCache), every API's management actions, sts:AssumeRole on
 * every role, iam:PassRole on every integration role and
 * lambda:InvokeFunction on every function, with and without request context
 * and with fewer role hops. Where the index answers, the principals (in
 * order), their types, decisions, hop counts, best hops, direct access,
 * `public` and the method must be the analysis' own, and the paths must have
 * the same role-assumption steps; where it does not, the service asks the
 * analysis. WHOCAN_INDEX_WHO_CAN="1-3" (small seeds) by default.
 */
function seeds(): number[] {
  const spec = process.env['WHOCAN_INDEX_WHO_CAN'] ?? '1-3';
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) throw new Error(`WHOCAN_INDEX_WHO_CAN: ${JSON.stringify(spec)} is not SEED or FROM-TO`);
  const out: number[] = [];
  for (let s = Number(m[1]); s <= Number(m[2] ?? m[1]); s++) out.push(s);
  return out;
}

/** The role-assumption steps of a path, as the analysis and the index both take them from CAN_ASSUME. */
function chain(path: AccessPath): string {
  return JSON.stringify(path.filter((h) => h.kind === 'assume-role'));
}

/** What the index must reproduce of a principal. */
function line(p: PrincipalAccess): string {
  return JSON.stringify({ arn: p.arn, type: p.type, decision: p.decision, hops: p.hops, bestHops: p.bestHops, direct: p.direct ?? null });
}

interface Tally {
  served: number;
  fellBack: number;
  principals: number;
  paths: number;
}

async function compare(
  graph: Graph,
  snapshot: string,
  analysis: AccessAnalysis,
  q: IndexQuestion & { action: string; resource: string },
  options: { context?: RequestContextValues; maxHops?: number; pathEdges?: 'answer' | 'page' },
  tally: Tally,
): Promise<void> {
  const label = `${q.action} ${q.resource} ${JSON.stringify(options)}`;
  const { pathEdges: _pathEdges, ...analysisOptions } = options;
  const expected: WhoCanAnswer = analysis.whoCan(q.action, q.resource, analysisOptions);
  const got = await whoCanFromIndex(graph, snapshot, q, options);
  if (!got) {
    tally.fellBack++;
    return;
  }
  tally.served++;
  // Read for the page: prepared a few principals at a time, as pages are shown.
  const step = options.pathEdges === 'page' ? 7 : got.principals.length;
  for (let at = 0; at < got.principals.length; at += step) await prepareIndexPaths(got.principals.slice(at, at + step));
  assert.equal(got.stats.fromIndex, true, label);
  assert.deepEqual(got.principals.map(line), expected.principals.map(line), label);
  assert.equal(got.public, expected.public, label);
  assert.equal(got.refused, expected.refused, label);
  assert.deepEqual(got.method, expected.method, label);
  assert.equal(got.resource, expected.resource, label);
  assert.equal(got.action, expected.action, label);
  expected.principals.forEach((e, i) => {
    const p = got.principals[i]!;
    // Every path the index lists has the length (assumptions) and the role chain of one the analysis finds, shortest first.
    const theirs = new Set(e.paths.map(chain));
    const lengths = p.paths.map((x) => x.filter((h) => h.kind === 'assume-role').length);
    assert.deepEqual(
      [...lengths].sort((a, b) => a - b),
      lengths,
      `${label} ${p.arn}: shortest first`,
    );
    if (e.paths.length > 0) assert.ok(p.paths.length > 0, `${label} ${p.arn}: has paths`);
    assert.equal(
      lengths[0],
      e.paths[0] ? e.paths[0].filter((h) => h.kind === 'assume-role').length : undefined,
      `${label} ${p.arn}: the shortest path's length`,
    );
    if (p.paths.length < (e.paths.length === 0 ? 1 : 10))
      for (const x of p.paths)
        assert.ok(theirs.has(chain(x)) || e.morePaths, `${label} ${p.arn}: ${chain(x)} is one of the analysis' chains`);
    tally.paths += p.paths.length;
  });
  tally.principals += got.principals.length;
}

for (const seed of seeds()) {
  describe(`who-can answers from the access index = the analysis' (small seed ${seed})`, () => {
    let graph: Graph;
    let snapshot: string;
    let analysis: AccessAnalysis;
    let dir: string;

    before(async () => {
      graph = await testGraph();
      await resetGraph(graph);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `whocan-who-index-${seed}-`));
      generate({ preset: 'small', seed, out: dir });
      const ingested = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).ingest(dir, undefined, {
        index: true,
      });
      snapshot = ingested.snapshotId;
      analysis = (await new AnalysisService(graph).analysis({ snapshot })).analysis;
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await resetGraph(graph);
      await graph.close();
    });

    const targets = (): (IndexQuestion & { action: string; resource: string })[] => {
      const out: (IndexQuestion & { action: string; resource: string })[] = [];
      const model = analysis.model;
      let n = 0;
      for (const api of model.apis.values()) {
        for (const stage of api.stages) {
          for (const method of api.methods) {
            out.push({ action: 'execute-api:Invoke', resource: methodTemplateArn(api, stage, method) });
            // A sample of execute-api:InvalidateCache: every fifth method × stage.
            if (n++ % 5 === 0) out.push({ action: 'execute-api:InvalidateCache', resource: methodTemplateArn(api, stage, method) });
          }
        }
        const management = `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}`;
        for (const action of INDEXED_MANAGEMENT_ACTIONS) out.push({ action, resource: management });
      }
      for (const role of model.roles) out.push({ action: 'sts:AssumeRole', resource: role.arn });
      for (const integration of model.integrationsByMethod.values())
        if (integration.roleArn && model.principals.get(integration.roleArn)?.kind === 'role')
          out.push({ action: 'iam:PassRole', resource: integration.roleArn });
      for (const fn of model.functions.values()) out.push({ action: 'lambda:InvokeFunction', resource: fn.row.key });
      return out;
    };

    const modes: { name: string; options: { context?: RequestContextValues; maxHops?: number; pathEdges?: 'answer' | 'page' } }[] = [
      { name: 'without request context', options: {} },
      { name: "without request context, the paths' assumptions read for the page", options: { pathEdges: 'page' } },
      { name: 'with aws:SourceIp', options: { context: { 'aws:SourceIp': '10.0.0.1' } } },
      { name: 'with aws:MultiFactorAuthPresent', options: { context: { 'aws:MultiFactorAuthPresent': 'true' } } },
      { name: 'with at most 2 role hops', options: { maxHops: 2 } },
    ];
    for (const mode of modes) {
      it(`${mode.name}: every indexed target the index answers is answered as the analysis answers it`, async () => {
        const tally: Tally = { served: 0, fellBack: 0, principals: 0, paths: 0 };
        // Reading the paths' assumptions a page at a time costs a round trip per page and hop: a third of the targets.
        const asked = mode.options.pathEdges === 'page' ? targets().filter((_, i) => i % 3 === 0) : targets();
        for (const q of asked) await compare(graph, snapshot, analysis, q, mode.options, tally);
        console.log(`small seed ${seed}, ${mode.name}: ${JSON.stringify(tally)}`);
        assert.ok(
          tally.served * 5 >= tally.served + tally.fellBack,
          `the index answers at least a fifth of the questions: ${JSON.stringify(tally)}`,
        );
        assert.ok(tally.principals > 100 && tally.paths > 100, JSON.stringify(tally));
      });
    }

    it('falls back to the analysis where the index cannot tell: a derived context key, root users, denied callers, a private API, another resource', async () => {
      const [invoke] = targets().filter((q) => q.action === 'execute-api:Invoke');
      assert.ok(invoke);
      assert.equal(
        await answerFromIndex(graph, snapshot, invoke, { context: { 'aws:PrincipalTag/team': 'payments' } }),
        'derived context key',
      );
      assert.equal(
        await answerFromIndex(graph, snapshot, invoke, { context: { 'aws:RequestedRegion': 'eu-west-1' } }),
        'derived context key',
      );
      assert.equal(await answerFromIndex(graph, snapshot, invoke, { includeRoot: true }), 'root or denied asked for');
      assert.equal(await answerFromIndex(graph, snapshot, invoke, { includeDenied: true }), 'root or denied asked for');
      assert.equal(
        await answerFromIndex(graph, snapshot, { action: 'execute-api:Invoke', resource: `${invoke.resource}/not-a-method` }, {}),
        'not indexed',
      );
      assert.equal(await answerFromIndex(graph, snapshot, { action: 'apigateway:GET', resource: invoke.resource }, {}), 'not indexed');
      const privateApi = [...analysis.model.apis.values()].find(
        (a) => a.row.endpointType === 'PRIVATE' && a.stages.length > 0 && a.methods.length > 0,
      );
      if (privateApi) {
        assert.equal(
          await answerFromIndex(
            graph,
            snapshot,
            { action: 'execute-api:Invoke', resource: methodTemplateArn(privateApi, privateApi.stages[0]!, privateApi.methods[0]!) },
            {},
          ),
          'private API',
        );
      }
    });

    it('the service answers from the index by ARN and by method reference, and from the analysis otherwise, with the same answer', async () => {
      const service = new AnalysisService(graph);
      let checked = 0;
      for (const api of analysis.model.apis.values()) {
        for (const stage of api.stages) {
          for (const method of api.methods) {
            const arn = methodTemplateArn(api, stage, method);
            const direct = await whoCanFromIndex(graph, snapshot, { action: 'execute-api:Invoke', resource: arn }, {});
            if (!direct || checked >= 20) continue;
            checked++;
            const byArn = await service.whoCanInvoke({ requestArn: arn }, { snapshot });
            const byRef = await service.whoCanInvoke(
              { method: { apiId: api.row.id, stage: stage.name, verb: method.verb === '*' ? '$default' : method.verb, path: method.path } },
              { snapshot },
            );
            const denied = await service.whoCanInvoke({ requestArn: arn }, { snapshot, includeDenied: true });
            assert.equal(byArn.stats.fromIndex, true);
            assert.equal(byRef.stats.fromIndex, true);
            assert.equal(denied.stats.fromIndex, undefined);
            const expected = analysis.whoCan('execute-api:Invoke', arn);
            assert.deepEqual(JSON.parse(JSON.stringify(byArn.principals.map(line))), expected.principals.map(line));
            assert.deepEqual(byRef.principals.map(line), byArn.principals.map(line));
            // The paths are read before the answer is returned: JSON has them all.
            const json = JSON.parse(JSON.stringify(byArn)) as WhoCanAnswer;
            assert.deepEqual(
              json.principals.map((p) => p.paths.length > 0),
              expected.principals.map(() => true),
              arn,
            );
          }
        }
      }
      assert.ok(checked > 5, `the index answered ${checked} methods through the service`);
    });

    it('GraphQL whoCanInvoke answers from the index, page by page, with the paths of each page', async () => {
      const arn = (await (async () => {
        for (const q of targets()) {
          if (q.action !== 'execute-api:Invoke') continue;
          const a = await whoCanFromIndex(graph, snapshot, q, {});
          if (a && a.principals.length > 6) return q.resource;
        }
        return undefined;
      })())!;
      assert.ok(arn, 'the index answers a method with more than 6 principals');
      const expected = analysis.whoCan('execute-api:Invoke', arn);
      const server = await startTestServer(graph);
      try {
        const seen: { arn: string; decision: string; hops: number; bestHops: number; paths: { kind: string; to: string }[][] }[] = [];
        let after: string | null = null;
        for (let pages = 0; pages < 100; pages++) {
          const { status, body }: GraphQLResponse<{ whoCanInvoke: IndexedAnswer }> = await server.gql(
            'query Q($arn: String!, $after: String) { whoCanInvoke(requestArn: $arn) { stats { fromIndex } principals(first: 3, after: $after) { pageInfo { hasNextPage endCursor } nodes { arn decision hops bestHops paths { kind to } } } } }',
            { arn, after },
          );
          assert.equal(status, 200);
          assert.equal(body.errors, undefined, JSON.stringify(body.errors));
          const answer = dataOf(body).whoCanInvoke;
          assert.equal(answer.stats.fromIndex, true);
          seen.push(...answer.principals.nodes);
          if (!answer.principals.pageInfo.hasNextPage) break;
          after = answer.principals.pageInfo.endCursor;
        }
        assert.deepEqual(
          seen.map((p) => [p.arn, p.decision.toLowerCase(), p.hops, p.bestHops]),
          expected.principals.map((p) => [p.arn, p.decision, p.hops, p.bestHops]),
        );
        seen.forEach((p, i) => {
          const chains = (paths: { kind: string; to: string }[][]) =>
            paths.map((x) =>
              x
                .filter((h) => h.kind.toLowerCase().replace('_', '-') === 'assume-role')
                .map((h) => h.to)
                .join(' > '),
            );
          assert.ok(p.paths.length > 0, p.arn);
          const theirs = expected.principals[i]!;
          const mine = chains(p.paths)[0]!;
          assert.equal(
            mine.split(' > ').filter(Boolean).length,
            chains(theirs.paths)[0]!.split(' > ').filter(Boolean).length,
            `${p.arn}: the shortest path's length`,
          );
          assert.ok(chains(theirs.paths).includes(mine) || theirs.morePaths, `${p.arn}: the shortest path's roles ${mine}`);
        });
      } finally {
        await server.close();
      }
    });

    it('the CLI answers who-can-invoke from the index (--json and the table) and who-can from the analysis with --include-denied', async () => {
      const arn = targets().find(
        (q) => q.action === 'execute-api:Invoke' && !q.resource.includes('{') && !/\/(ANY|\$default)/.test(q.resource),
      );
      assert.ok(arn);
      const served = await whoCanFromIndex(graph, snapshot, arn, {});
      const cli = (args: string[]) =>
        spawnSync(process.execPath, [path.join(packageRoot(), 'bin', 'whocan.js'), ...args], {
          cwd: packageRoot(),
          env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv() },
          encoding: 'utf8',
          timeout: 120_000,
          maxBuffer: 256 * 1024 * 1024,
        });
      const json = cli(['who-can-invoke', arn.resource, '--snapshot', snapshot, '--json']);
      assert.equal(json.status, 0, `${String(json.error)} ${json.signal} ${json.stderr}`);
      const answer = JSON.parse(json.stdout) as WhoCanAnswer;
      assert.equal(answer.stats.fromIndex, served ? true : undefined);
      assert.deepEqual(answer.principals.map(line), analysis.whoCan('execute-api:Invoke', arn.resource).principals.map(line));
      const table = cli(['who-can-invoke', arn.resource, '--snapshot', snapshot]);
      assert.equal(table.status, 0, table.stderr);
      assert.equal(table.stdout.includes('answered from its access index'), served !== undefined, table.stdout);
      const denied = cli(['who-can', 'execute-api:Invoke', arn.resource, '--snapshot', snapshot, '--include-denied', '--json']);
      assert.equal(denied.status, 0, denied.stderr);
      assert.equal((JSON.parse(denied.stdout) as WhoCanAnswer).stats.fromIndex, undefined);
    });
  });
}
