import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AccessAnalysis, bruteForceAssumeLevels, deriveAccessRows } from '../../src/analysis';
import { generate } from '../../src/generate';
import { readSnapshot } from '../../src/ingest';
import { loadAnalysisSettings } from '../../src/services';
import { BruteForce } from '../../bench/bruteForce';
import { ensureVariant } from '../../bench/variant';
import { percentiles } from '../../bench/shared';
import { bruteForceSummary, differences, sampleQuestions } from '../support/differential';

/**
 * The benchmark's own pieces (the benchmark itself is `npm run bench`, never
 * run by `npm test`): its lazy, memoised brute force must be the reference
 * brute force (src/analysis/bruteForce.ts) exactly, or its "identical
 * answers" would prove nothing.
 */
describe('bench', () => {
  it('percentiles are nearest-rank', () => {
    const p = percentiles(Array.from({ length: 100 }, (_, i) => i + 1));
    assert.deepEqual([p.count, p.min, p.median, p.p95, p.p99, p.max, p.mean], [100, 1, 50, 95, 99, 100, 50.5]);
    assert.equal(percentiles([]).count, 0);
  });

  it("the diff's variant snapshot changes the given share of the identity policies, the same ones for the same seed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-bench-variant-'));
    try {
      const source = path.join(dir, 'source');
      generate({ preset: 'small', seed: 3, out: source });
      const a = ensureVariant(source, path.join(dir, 'a'), '1', 0.02);
      assert.equal(a.reused, false);
      assert.ok(a.policies > 100, `${a.policies} identity policies`);
      assert.ok(a.changed >= 1 && a.changed <= Math.round(a.policies * 0.02), `${a.changed} changed`);
      assert.equal(a.conditionAdded + a.conditionRemoved, a.changed);
      // The documents that differ from the source are exactly the changed ones.
      let awsManaged: string[] = [];
      const documents = (root: string): string[] => {
        awsManaged = [];
        const out: string[] = [];
        for (const account of fs.readdirSync(root).sort()) {
          const iam = path.join(root, account, 'iam');
          if (!fs.existsSync(iam)) continue;
          for (const file of fs.readdirSync(iam).sort()) {
            const doc = JSON.parse(fs.readFileSync(path.join(iam, file), 'utf8')) as Record<
              string,
              { PolicyVersionList?: { Document: unknown }[]; [k: string]: unknown }[]
            >;
            for (const p of doc['Policies'] ?? []) for (const v of p.PolicyVersionList ?? []) out.push(JSON.stringify(v.Document));
            for (const p of doc['Policies'] ?? [])
              if (String(p['Arn']).startsWith('arn:aws:iam::aws:policy/')) awsManaged.push(JSON.stringify(p));
            for (const [list, inline] of [
              ['UserDetailList', 'UserPolicyList'],
              ['GroupDetailList', 'GroupPolicyList'],
              ['RoleDetailList', 'RolePolicyList'],
            ] as const) {
              for (const e of doc[list] ?? [])
                for (const p of (e[inline] as { PolicyDocument: unknown }[] | undefined) ?? []) out.push(JSON.stringify(p.PolicyDocument));
            }
          }
        }
        return out;
      };
      const before = documents(source);
      const awsBefore = awsManaged;
      const after = documents(path.join(dir, 'a'));
      assert.ok(awsBefore.length > 0, 'the organization uses AWS managed policies');
      assert.deepEqual(awsManaged, awsBefore, 'AWS managed policies (in every account, identical) are never changed');
      // The variant is a valid snapshot: nothing but the layout, no conflicting copies.
      const read = readSnapshot(path.join(dir, 'a'));
      assert.deepEqual(read.report.problems, []);
      assert.deepEqual(read.report.warnings, readSnapshot(source).report.warnings);
      assert.equal(after.length, before.length);
      assert.equal(after.filter((d, i) => d !== before[i]).length, a.changed);
      // Deterministic, and reused when already written.
      const b = ensureVariant(source, path.join(dir, 'b'), '1', 0.02);
      assert.deepEqual(documents(path.join(dir, 'b')), after);
      assert.equal(b.changed, a.changed);
      assert.equal(ensureVariant(source, path.join(dir, 'a'), '1', 0.02).reused, true);
      assert.notDeepEqual(documents(ensureVariant(source, path.join(dir, 'c'), '2', 0.02).dir), after, 'another seed, other policies');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the lazy brute force equals the reference brute force on a small organization', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-bench-test-'));
    try {
      generate({ preset: 'small', seed: 7, out: dir });
      const { rows } = readSnapshot(dir);
      const settings = await loadAnalysisSettings();
      deriveAccessRows(rows, settings);
      const analysis = AccessAnalysis.fromRows(rows, settings);
      const assumeLevels = bruteForceAssumeLevels(analysis.model, analysis.universe);
      const brute = new BruteForce(analysis);
      const questions = sampleQuestions(analysis, 'bench-test', { methods: 25, other: 0 }).filter((q) => q.action === 'execute-api:Invoke');
      assert.ok(questions.length >= 25);
      let viaRoles = 0;
      for (const q of questions) {
        const lazy = brute.answer(q.action, q.resource, 5, Number.POSITIVE_INFINITY);
        assert.ok(lazy.summary);
        const reference = bruteForceSummary(analysis, q, assumeLevels, { maxHops: 5 });
        assert.deepEqual(differences(lazy.summary, reference), [], q.resource);
        if (lazy.rolesNeeded.length > 0) viaRoles++;
      }
      assert.ok(viaRoles > 0, 'some answers go through roles');
      // Past the deadline, a question that needs an undecided role gives no answer rather than a wrong one.
      const fresh = new BruteForce(analysis);
      const needing = questions.find((q) => brute.answer(q.action, q.resource, 5, Number.POSITIVE_INFINITY).rolesNeeded.length > 0)!;
      assert.equal(fresh.answer(needing.action, needing.resource, 5, 0).summary, undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
