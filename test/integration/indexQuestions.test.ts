import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { methodTemplateArn, type AccessAnalysis, type InvocableAnswer } from '../../src/analysis';
import { migrationsDir } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { generate } from '../../src/generate';
import { AnalysisService, SnapshotService } from '../../src/services';
import { invocableFromIndex } from '../../src/services/index/invocableFromIndex';
import { resetGraph, testGraph } from './support/graph';

/**
 * Differential: the questions answered from the access index against the
 * per-question analysis (the reference), on a generated small organization
 * ingested with the index: the same methods, decisions and hop counts.
 */
function summary(answer: InvocableAnswer): Map<string, string> {
  return new Map(answer.methods.map((m) => [m.methodArn, `${m.decision}/${m.authorizationType}/${m.api}/${m.apiKind}/${m.stage}/${m.verb} ${m.path}/${m.methodKey}`]));
}

describe('questions answered from the access index equal the analysis (generated small organization)', () => {
  let graph: Graph;
  let snapshot: string;
  let analysis: AccessAnalysis;
  let work: string;

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-index-questions-'));
    generate({ preset: 'small', seed: 1, out: path.join(work, 'a') });
    const ingested = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 }).ingest(path.join(work, 'a'), undefined, { index: true, allowShrink: true });
    snapshot = ingested.snapshotId;
    analysis = (await new AnalysisService(graph).analysis({ snapshot })).analysis;
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('invocable: every user and role, with and without unsigned methods: the same methods, decisions, hops, roles reached and holders of the grant', { timeout: 600_000 }, async () => {
    // Every third user and role (the analysis takes a while on each).
    const principals = [...analysis.model.principals.values()].map((p) => p.arn).sort().filter((_, i) => i % 3 === 0);
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
        assert.equal(m.via, chain.length === 0 ? arn : chain[chain.length - 1]!.to, `${arn} ${m.methodArn}: the grant is held at the end of the chain`);
        if (m.authorizationType === 'AWS_IAM' && m.via !== arn) assert.ok(hopsOf.has(`${m.via} ${m.methodArn}`), `${m.via} has access of its own to ${m.methodArn}`);
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
  });

  it('invocable: the analysis answers what the index cannot (request context, another maxHops, a principal the index does not know)', async () => {
    const user = [...analysis.model.principals.values()].find((p) => p.kind === 'user')!.arn;
    assert.equal(await invocableFromIndex(graph, snapshot, user, { context: { 'aws:SourceIp': '10.0.0.1' } }), undefined);
    assert.equal(await invocableFromIndex(graph, snapshot, user, { maxHops: 2 }), undefined);
    assert.equal(await invocableFromIndex(graph, snapshot, 'arn:aws:iam::123456789012:user/nobody'), undefined);
    const service = new AnalysisService(graph);
    const viaService = await service.invocableMethods(user, { maxHops: 2, snapshot });
    assert.deepEqual(summary(viaService), summary(analysis.invocableMethods(user, { maxHops: 2 })));
  });
});
