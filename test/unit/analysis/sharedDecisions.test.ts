import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AccessAnalysis, callerArn, candidateCallers, decideCaller, deriveAccessRows, targetEquivalenceKey, type Grant } from '../../../src/analysis';
import { generate } from '../../../src/generate';
import { readSnapshot } from '../../../src/ingest';
import { loadAnalysisSettings } from '../../../src/services';
import { sampleQuestions } from '../../support/differential';

/**
 * whoCan decides once for the principals that share a targetEquivalenceKey
 * and copies the decision to the others. That is exact only if every one of
 * them, asked on its own, gets the same decision: same level, the same
 * deciding statements (its paths name them) and the same conditions. Checked
 * here principal by principal on generated organizations (the differential
 * test checks the answers as a whole).
 */
function essence(grant: Grant): string {
  return JSON.stringify({
    level: grant.level,
    decision: grant.decision.decision,
    // As a set: a principal's policies may be attached in another order (its paths are listed in the representative's).
    statements: grant.decision.matchedStatements.map((s) => `${s.effect} ${s.policyId} ${s.sid ?? s.index}`).sort(),
    conditions: grant.conditions,
    partial: grant.partial ?? null,
  });
}

describe('decisions shared by principals the engine cannot tell apart on a question', () => {
  for (const seed of [1, 2, 3]) {
    it(`equal keys mean equal decisions, principal by principal (small organization, seed ${seed})`, async () => {
      const settings = await loadAnalysisSettings();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `whocan-shared-${seed}-`));
      let analysis: AccessAnalysis;
      try {
        generate({ preset: 'small', seed, out: dir });
        const { rows } = readSnapshot(dir);
        deriveAccessRows(rows, settings);
        analysis = AccessAnalysis.fromRows(rows, settings);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
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
            assert.equal(own, first.essence, `${callerArn(caller)} shares a key with ${first.arn} on ${question.action} ${question.resource} but is decided differently`);
          }
        }
      }
      // The check must have had something to check: principals that do share a key.
      assert.ok(shared > 0 && candidates > shared, `${shared} of ${candidates} candidates shared a key`);
    });
  }
});
