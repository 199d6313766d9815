import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  AccessAnalysis,
  callerArn,
  candidateCallers,
  decideCaller,
  deriveAccessRows,
  methodTemplateArn,
  targetEquivalenceKey,
  type CallerGrant,
} from '../../../src/analysis';
import { generate } from '../../../src/generate';
import { readSnapshot } from '../../../src/ingest';
import { loadAnalysisSettings } from '../../../src/services';
import { sampleQuestions } from '../../support/differential';

/**
 * The shortcuts whoCan takes for speed must not change an answer.
 *
 * 1. whoCan decides once for the principals that share a targetEquivalenceKey
 * and copies the decision to the others. That is exact only if every one of
 * them, asked on its own, gets the same decision: same level, the same
 * deciding statements (its paths name them) and the same conditions. Checked
 * here principal by principal on generated organizations (the differential
 * test checks the answers as a whole).
 *
 * 2. Without request context the role graph is walked on integer arrays
 * (AssumeGraph.compact); with context, on the edges decided again for it. An
 * empty context changes no edge, so both walks must give the same answer.
 */
function essence(grant: CallerGrant): string {
  return JSON.stringify({
    level: grant.level,
    decision: grant.decision.decision,
    // As a set: a principal's policies may be attached in another order (its paths are listed in the representative's).
    statements: grant.decision.matchedStatements.map((s) => `${s.effect} ${s.policyId} ${s.sid ?? s.index}`).sort(),
    conditions: grant.conditions,
    partial: grant.partial ?? null,
  });
}

async function generated(seed: number): Promise<AccessAnalysis> {
  const settings = await loadAnalysisSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `whocan-shortcuts-${seed}-`));
  try {
    generate({ preset: 'small', seed, out: dir });
    const { rows } = readSnapshot(dir);
    deriveAccessRows(rows, settings);
    return AccessAnalysis.fromRows(rows, settings);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('decisions shared by principals the engine cannot tell apart on a question', () => {
  for (const seed of [1, 2, 3]) {
    it(`equal keys mean equal decisions, principal by principal (small organization, seed ${seed})`, async () => {
      const analysis = await generated(seed);
      let shared = 0;
      let candidates = 0;
      for (const question of sampleQuestions(analysis, `shared/${seed}`, { methods: 40, other: 20 })) {
        const target = analysis.target(question.action, question.resource);
        const byKey = new Map<string, { arn: string; essence: string }>();
        for (const caller of candidateCallers(analysis, target, {})) {
          candidates++;
          const key = targetEquivalenceKey(analysis.model, caller, target.action, target.resourceMayMatch);
          if (key === undefined) continue;
          const own = essence(decideCaller(analysis, caller, target, undefined, new Map()));
          const first = byKey.get(key);
          if (!first) byKey.set(key, { arn: callerArn(caller), essence: own });
          else {
            shared++;
            assert.equal(
              own,
              first.essence,
              `${callerArn(caller)} shares a key with ${first.arn} on ${question.action} ${question.resource} but is decided differently`,
            );
          }
        }
      }
      // The check must have had something to check: principals that do share a key.
      assert.ok(shared > 0 && candidates > shared, `${shared} of ${candidates} candidates shared a key`);
    });
  }
});

describe('the role-graph walk on integer arrays', () => {
  for (const seed of [1, 2]) {
    it(`gives the same principals, decisions and hop counts as the walk on edges (small organization, seed ${seed})`, async () => {
      const analysis = await generated(seed);
      let viaRoles = 0;
      for (const question of sampleQuestions(analysis, `walk/${seed}`, { methods: 40, other: 20 })) {
        for (const maxHops of [1, 3, 5]) {
          const compact = analysis.whoCan(question.action, question.resource, { maxHops });
          const onEdges = analysis.whoCan(question.action, question.resource, { maxHops, context: {} });
          const summary = (a: typeof compact) => a.principals.map((p) => `${p.arn} ${p.decision} ${p.hops}`);
          assert.deepEqual(summary(compact), summary(onEdges), `${question.action} on ${question.resource}, maxHops ${maxHops}`);
          viaRoles += compact.principals.filter((p) => p.hops > 0).length;
        }
      }
      assert.ok(viaRoles > 0, 'some answers reach principals through roles');
    });
  }
});

describe('answer order', () => {
  it('lists principals by hops, then best decision, then ARN (the typed-array sort on ARN ranks gives the comparator order)', async () => {
    const analysis = await generated(4);
    const level = { denied: 0, conditional: 1, partial: 2, allowed: 3 } as const;
    let checked = 0;
    for (const question of sampleQuestions(analysis, 'order/4', { methods: 30, other: 15 })) {
      for (const includeDenied of [false, true]) {
        const answer = analysis.whoCan(question.action, question.resource, { includeDenied });
        const listed = answer.principals.map((p) => `${p.hops} ${p.decision} ${p.arn}`);
        const expected = [...answer.principals]
          .sort((a, b) => a.hops - b.hops || level[b.decision] - level[a.decision] || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))
          .map((p) => `${p.hops} ${p.decision} ${p.arn}`);
        assert.deepEqual(listed, expected, `${question.action} on ${question.resource}`);
        if (answer.principals.length > 1) checked++;
      }
    }
    assert.ok(checked > 10, `${checked} answers with several principals were checked`);
  });
});

describe('what a principal can invoke agrees with who can invoke', () => {
  it('lists exactly the signed methods whose who-can-invoke answer holds the principal (small organization, seed 5)', async () => {
    const analysis = await generated(5);
    const model = analysis.model;
    const principals = [...model.users, ...model.roles].filter((_, i) => i % 7 === 0).slice(0, 40);
    // Every signed method on every stage, answered once by who-can-invoke.
    const holders = new Map<string, Map<string, string>>();
    for (const api of model.apis.values()) {
      for (const stage of api.stages) {
        for (const method of api.methods) {
          if (method.authorizationType !== 'AWS_IAM') continue;
          const arn = methodTemplateArn(api, stage, method);
          const answer = analysis.whoCanInvoke(arn);
          holders.set(arn, new Map(answer.principals.map((p) => [p.arn, `${p.decision}/${p.hops}`])));
        }
      }
    }
    let listed = 0;
    for (const entry of principals) {
      const fromInvocable = new Map(analysis.invocableMethods(entry.arn).methods.map((m) => [m.methodArn, `${m.decision}/${m.hops}`]));
      const fromWhoCan = new Map<string, string>();
      for (const [arn, held] of holders) {
        const found = held.get(entry.arn);
        if (found) fromWhoCan.set(arn, found);
      }
      // The set of methods must agree. (Decisions and hop counts are chosen differently: who-can-invoke gives
      // the best decision and the shortest chain separately, invocable the chain of the best decision.)
      assert.deepEqual([...fromInvocable.keys()].sort(), [...fromWhoCan.keys()].sort(), `methods ${entry.arn} can invoke`);
      listed += fromInvocable.size;
    }
    assert.ok(listed > 0, 'some principals can invoke some methods');
  });
});
