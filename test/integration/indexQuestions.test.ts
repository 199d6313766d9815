import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { accessDiff, methodTemplateArn, runToEnd, type AccessAnalysis, type AccessChange, type InvocableAnswer } from '../../src/analysis';
import { migrationsDir } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { generate } from '../../src/generate';
import { AnalysisService, DashboardService, SnapshotService, type AnalysisEvent } from '../../src/services';
import { accessSummaryWork } from '../../src/services/dashboard';
import { accessSummaryFromIndex } from '../../src/services/index/accessSummaryFromIndex';
import { accessDiffFromIndex } from '../../src/services/index/diffFromIndex';
import { invocableFromIndex } from '../../src/services/index/invocableFromIndex';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { dataOf, type GraphQLResponse, startTestServer } from './support/api';
import type { Connection } from './support/answers';
import { resetGraph, testGraph } from './support/graph';

interface ChangeCounts {
  gained: number;
  lost: number;
  changed: number;
}

/** A page of accessDiff, as the test asks for it. */
interface AccessDiffPage extends Connection<{ change: string; kind: string; resource: string; principal: string }> {
  counts: ChangeCounts;
  countsByKind: (ChangeCounts & { kind: string })[];
}

/**
 * Differential: the questions answered from the access index against the
 * per-question analysis (the reference), on a generated small organization
 * ingested with the index: the same methods, decisions and hop counts.
 */
function summary(answer: InvocableAnswer): Map<string, string> {
  return new Map(
    answer.methods.map((m) => [
      m.methodArn,
      `${m.decision}/${m.authorizationType}/${m.api}/${m.apiKind}/${m.stage}/${m.verb} ${m.path}/${m.methodKey}`,
    ]),
  );
}

/**
 * The generated organization changed in a few policies (the workload
 * account's IAM): three users leave their groups, two change group, two
 * roles' trust policies also trust the whole account, one Invoke grant now
 * needs MFA, and one role is gone.
 */
function mutate(dir: string): void {
  // The account with its IAM on one page and the most groups.
  const size = (d: string) =>
    (JSON.parse(fs.readFileSync(path.join(dir, d, 'iam', 'authorization-details.json'), 'utf8')) as { GroupDetailList: unknown[] })
      .GroupDetailList.length;
  const account = fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, 'iam', 'authorization-details.json')))
    .sort((a, b) => size(b) - size(a))[0];
  assert.ok(account !== undefined && size(account) > 2, 'an account with its IAM on one page and several groups');
  const file = path.join(dir, account, 'iam', 'authorization-details.json');
  type Doc = { Statement: Record<string, unknown>[] };
  const iam = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    UserDetailList: { GroupList: string[] }[];
    GroupDetailList: { GroupName: string }[];
    RoleDetailList: { AssumeRolePolicyDocument: Doc }[];
    Policies: { PolicyVersionList: { Document: Doc; IsDefaultVersion: boolean }[] }[];
  };
  const grouped = iam.UserDetailList.filter((u) => u.GroupList.length > 0);
  for (const u of grouped.slice(0, 3)) u.GroupList = [];
  const groups = iam.GroupDetailList.map((g) => g.GroupName);
  for (const u of grouped.slice(3, 5)) u.GroupList = [groups.find((g) => !u.GroupList.includes(g))!];
  for (const role of iam.RoleDetailList.slice(0, 2))
    role.AssumeRolePolicyDocument.Statement.push({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'sts:AssumeRole',
    });
  const invoke = iam.Policies.flatMap((p) => p.PolicyVersionList.filter((v) => v.IsDefaultVersion))
    .flatMap((v) => v.Document.Statement)
    .find((st) => st['Action'] === 'execute-api:Invoke' && st['Effect'] === 'Allow' && !st['Condition']);
  assert.ok(invoke, 'an unconditional Invoke grant');
  invoke['Condition'] = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  iam.RoleDetailList.pop();
  fs.writeFileSync(file, JSON.stringify(iam));
}

const changeLine = (c: AccessChange) =>
  [
    c.change,
    c.kind,
    c.action,
    c.resource,
    c.principal,
    c.principalType,
    c.before ? `${c.before.decision}/${c.before.hops}` : '-',
    c.after ? `${c.after.decision}/${c.after.hops}` : '-',
  ].join(' ');

describe('questions answered from the access index equal the analysis (generated small organization)', () => {
  let graph: Graph;
  let snapshot: string;
  let analysis: AccessAnalysis;
  let later: string;
  let laterAnalysis: AccessAnalysis;
  let work: string;

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-index-questions-'));
    generate({ preset: 'small', seed: 1, out: path.join(work, 'a') });
    const ingested = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).ingest(
      path.join(work, 'a'),
      undefined,
      { index: true, allowShrink: true },
    );
    snapshot = ingested.snapshotId;
    analysis = (await new AnalysisService(graph).analysis({ snapshot })).analysis;
    fs.cpSync(path.join(work, 'a'), path.join(work, 'b'), { recursive: true });
    mutate(path.join(work, 'b'));
    later = (
      await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).ingest(path.join(work, 'b'), undefined, {
        index: true,
        allowShrink: true,
      })
    ).snapshotId;
    laterAnalysis = (await new AnalysisService(graph).analysis({ snapshot: later })).analysis;
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it(
    'invocable: every user and role, with and without unsigned methods: the same methods, decisions, hops, roles reached and holders of the grant',
    { timeout: 600_000 },
    async () => {
      // Every third user and role (the analysis takes a while on each).
      const principals = [...analysis.model.principals.values()]
        .map((p) => p.arn)
        .sort()
        .filter((_, i) => i % 3 === 0);
      // Hops: the fewest role assumptions to any access to the method, as who-can answers count them.
      const hopsOf = new Map<string, number>();
      for (const api of analysis.model.apis.values()) {
        for (const stage of api.stages) {
          for (const m of api.methods) {
            const resource = methodTemplateArn(api, stage, m);
            for (const p of analysis.whoCan('execute-api:Invoke', resource).principals) hopsOf.set(`${p.arn} ${resource}`, p.hops);
          }
        }
      }
      let methods = 0;
      let throughRoles = 0;
      let unsignedSeen = 0;
      for (const [i, arn] of principals.entries()) {
        const includeUnsigned = i % 4 === 0;
        const expected = analysis.invocableMethods(arn, { includeUnsigned });
        const actual = await invocableFromIndex(graph, snapshot, arn, { includeUnsigned });
        assert.ok(actual, `the index answers for ${arn}`);
        assert.deepEqual(summary(actual), summary(expected), arn);
        assert.equal(actual.principalType, expected.principalType, arn);
        assert.equal(actual.rolesReached, expected.rolesReached, `${arn}: roles reached`);
        assert.deepEqual(
          actual.methods.map((m) => m.hops),
          actual.methods.map((m) => (m.authorizationType === 'AWS_IAM' ? hopsOf.get(`${arn} ${m.methodArn}`) : 0)),
          `${arn}: hops`,
        );
        for (const m of actual.methods) {
          const chain = m.accessPath.filter((h) => h.kind === 'assume-role');
          assert.equal(
            m.via,
            chain.length === 0 ? arn : chain[chain.length - 1]!.to,
            `${arn} ${m.methodArn}: the grant is held at the end of the chain`,
          );
          if (m.authorizationType === 'AWS_IAM' && m.via !== arn)
            assert.ok(hopsOf.has(`${m.via} ${m.methodArn}`), `${m.via} has access of its own to ${m.methodArn}`);
        }
        assert.deepEqual(
          actual.methods.map((m) => m.accessPath.filter((h) => h.kind === 'assume-role').length),
          actual.methods.map((m) => m.hops),
          `${arn}: each path has one assumption per hop`,
        );
        methods += actual.methods.length;
        throughRoles += actual.methods.filter((m) => m.hops > 0).length;
        unsignedSeen += actual.methods.filter((m) => m.authorizationType !== 'AWS_IAM').length;
      }
      assert.ok(methods > 50, `the answers list methods (${methods})`);
      assert.ok(throughRoles > 10, `some methods are reached through roles (${throughRoles})`);
      assert.ok(unsignedSeen > 0, 'some answers list unsigned methods');
    },
  );

  it(
    'invocable with request context: conditional own grants decided again from their formulas give what the analysis gives with the context',
    { timeout: 600_000 },
    async () => {
      const contexts = [
        { 'aws:MultiFactorAuthPresent': 'true', 'aws:SourceIp': '10.20.30.40' },
        { 'aws:MultiFactorAuthPresent': 'false', 'aws:SourceIp': '203.0.113.77' },
      ];
      const principals = [...analysis.model.principals.values()]
        .map((p) => p.arn)
        .sort()
        .filter((_, i) => i % 4 === 1);
      let answered = 0;
      let redecided = 0;
      for (const context of contexts) {
        const hopsOf = new Map<string, number>();
        for (const api of analysis.model.apis.values()) {
          for (const stage of api.stages) {
            for (const m of api.methods) {
              const resource = methodTemplateArn(api, stage, m);
              for (const p of analysis.whoCan('execute-api:Invoke', resource, { context }).principals)
                hopsOf.set(`${p.arn} ${resource}`, p.hops);
            }
          }
        }
        for (const arn of principals) {
          const actual = await invocableFromIndex(graph, snapshot, arn, { context });
          if (!actual) continue;
          answered++;
          const expected = analysis.invocableMethods(arn, { context });
          assert.deepEqual(summary(actual), summary(expected), `${arn} with ${JSON.stringify(context)}`);
          assert.deepEqual(
            actual.methods.map((m) => m.hops),
            actual.methods.map((m) => hopsOf.get(`${arn} ${m.methodArn}`)),
            `${arn} with ${JSON.stringify(context)}: hops`,
          );
          // Methods the context allows now (conditional before) or denies (gone from the answer).
          const without = summary((await invocableFromIndex(graph, snapshot, arn))!);
          const withContext = summary(actual);
          redecided +=
            [...withContext].filter(([k, v]) => without.get(k) !== v).length +
            [...without.keys()].filter((k) => !withContext.has(k)).length;
        }
      }
      // The others (a conditional grant through roles, an assumption that depends on the keys given, a grant the context denies) fall back to the analysis.
      assert.ok(
        answered >= principals.length / 2,
        `the index answers a good share of the questions with these contexts (${answered} of ${principals.length * contexts.length})`,
      );
      assert.ok(redecided > 0, `some conditional grants were decided by the context (${redecided})`);
      const user = principals.find((arn) => arn.includes(':user/'))!;
      assert.equal(
        await invocableFromIndex(graph, snapshot, user, { context: { 'aws:PrincipalTag/team': 'payments' } }),
        undefined,
        'a derived key: the analysis answers',
      );
    },
  );

  it('invocable: the analysis answers what the index cannot (a derived context key, another maxHops, a principal the index does not know)', async () => {
    const user = [...analysis.model.principals.values()].find((p) => p.kind === 'user')!.arn;
    assert.equal(await invocableFromIndex(graph, snapshot, user, { context: { 'aws:RequestedRegion': 'ap-south-1' } }), undefined);
    assert.equal(await invocableFromIndex(graph, snapshot, user, { maxHops: 2 }), undefined);
    assert.equal(await invocableFromIndex(graph, snapshot, 'arn:aws:iam::123456789012:user/nobody'), undefined);
    const service = new AnalysisService(graph);
    const viaService = await service.invocableMethods(user, { maxHops: 2, snapshot });
    assert.deepEqual(summary(viaService), summary(analysis.invocableMethods(user, { maxHops: 2 })));
  });

  it(
    'accessDiff: the indexes compared give the changes the analyses give (gained, lost, changed; decisions, hops, types), whole and filtered',
    { timeout: 600_000 },
    async () => {
      const variants = [
        {},
        { kinds: ['assume' as const] },
        { kinds: ['invoke' as const, 'manage' as const], apis: [[...laterAnalysis.model.apis.values()][0]!.row.id] },
      ];
      for (const options of variants) {
        const expected = accessDiff(analysis, laterAnalysis, options);
        const actual = await accessDiffFromIndex(graph, snapshot, later, options);
        assert.ok(actual, 'the indexes answer');
        assert.deepEqual(actual.changes.map(changeLine), expected.changes.map(changeLine), JSON.stringify(options));
        assert.deepEqual(actual.counts, expected.counts);
        assert.equal(actual.compared, expected.compared);
        const assumes = (d: typeof expected) => d.changes.filter((c) => c.kind === 'assume').map((c) => JSON.stringify(c.paths));
        assert.deepEqual(assumes(actual), assumes(expected), 'assume changes carry the assume-role step');
      }
      const whole = accessDiff(analysis, laterAnalysis);
      for (const kind of ['gained', 'lost', 'changed'] as const) assert.ok(whole.counts[kind] > 0, `the snapshots differ: some ${kind}`);
      for (const kind of ['invoke', 'assume'] as const)
        assert.ok(
          whole.changes.some((c) => c.kind === kind),
          `some ${kind} changes`,
        );
      assert.equal(
        await accessDiffFromIndex(graph, snapshot, later, { context: { 'aws:MultiFactorAuthPresent': 'true' } }),
        undefined,
        'request context: the analyses answer',
      );
      assert.equal(await accessDiffFromIndex(graph, snapshot, later, { maxHops: 3 }), undefined, 'another maxHops: the analyses answer');
    },
  );

  it('accessDiff through the service and GraphQL: from the indexes without loading either analysis, with counts per kind and pages', async () => {
    const events: AnalysisEvent[] = [];
    const service = new AnalysisService(graph, { onEvent: (e) => events.push(e) });
    const viaService = await service.accessDiff({ from: snapshot, to: later });
    assert.deepEqual(events, [], 'no analysis was loaded');
    const expected = accessDiff(analysis, laterAnalysis);
    assert.deepEqual(viaService.changes.map(changeLine), expected.changes.map(changeLine));
    await assert.rejects(service.accessDiff({ from: snapshot, to: later }, { apis: ['nosuchapi'] }), /apis: no API "nosuchapi"/);

    const reader = createApiToken('reader');
    const server = await startTestServer(graph, { apiTokens: parseApiTokenEntries(reader.entry).entries });
    try {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { status, body }: GraphQLResponse<{ accessDiff: AccessDiffPage }> = await server.gql(
          'query D($from: String, $to: String, $after: String) { accessDiff(from: $from, to: $to, first: 25, after: $after) { totalCount counts { gained lost changed } countsByKind { kind gained lost changed } pageInfo { hasNextPage endCursor } nodes { change kind resource principal } } }',
          { from: snapshot, to: later, after },
          { authorization: `Bearer ${reader.token}` },
        );
        assert.equal(status, 200);
        assert.equal(body.errors, undefined, JSON.stringify(body.errors));
        const d = dataOf(body).accessDiff;
        assert.equal(d.totalCount, expected.changes.length);
        assert.deepEqual(d.counts, expected.counts);
        for (const kind of ['invoke', 'manage', 'assume'] as const) {
          const row = d.countsByKind.find((k) => k.kind === kind.toUpperCase());
          const of = expected.changes.filter((c) => c.kind === kind);
          assert.deepEqual(row, {
            kind: kind.toUpperCase(),
            gained: of.filter((c) => c.change === 'gained').length,
            lost: of.filter((c) => c.change === 'lost').length,
            changed: of.filter((c) => c.change === 'changed').length,
          });
        }
        seen.push(...d.nodes.map((n) => `${n.change} ${n.resource} ${n.principal}`));
        if (!d.pageInfo.hasNextPage) break;
        after = d.pageInfo.endCursor;
      }
      assert.deepEqual(
        seen,
        expected.changes.map((c) => `${c.change.toUpperCase()} ${c.resource} ${c.principal}`),
      );
    } finally {
      await server.close();
    }
  });

  it('accessSummary: the same rows and totals from the index as from the analysis, without loading it', async () => {
    const expected = runToEnd(accessSummaryWork(analysis));
    const actual = await accessSummaryFromIndex(graph, snapshot);
    assert.ok(actual);
    assert.deepEqual(actual.rows, expected.rows);
    assert.deepEqual(actual.totals, expected.totals);
    assert.equal(actual.stats.questions, expected.stats.questions);
    assert.ok(
      expected.rows.some((r) => r.principalsWithAccess > 0) && expected.rows.some((r) => r.principalsFromOtherAccounts > 0),
      'the rows count something',
    );
    const events: AnalysisEvent[] = [];
    const dashboard = new DashboardService(new AnalysisService(graph, { onEvent: (e) => events.push(e) }), graph);
    const viaService = await dashboard.accessSummary({ snapshot: later });
    assert.deepEqual(events, [], 'no analysis was loaded');
    assert.deepEqual(viaService.rows, runToEnd(accessSummaryWork(laterAnalysis)).rows);
  });
});
