import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AccessAnalysis, accessIndexRows, buildAccessIndex, deriveAccessRows, type AccessIndex, type AnalysisSettings } from '../../../src/analysis';
import { generate, type PresetName } from '../../../src/generate';
import { readSnapshot } from '../../../src/ingest';
import { loadAnalysisSettings } from '../../../src/services';
import { differences, summarise, type Summary } from '../../support/differential';

/**
 * The access index against the per-question analysis, kept as the
 * reference: on generated organizations, every indexed target (every method
 * × stage for execute-api:Invoke and execute-api:InvalidateCache, every API's
 * management actions, sts:AssumeRole on every role, iam:PassRole on every
 * integration role, lambda:InvokeFunction on every function) must list the
 * same principals with the same decisions and hop counts as `whoCan`, and
 * the rows written to the graph (classes of callers, shared answers) must
 * give back the same answers. WHOCAN_INDEX_DIFFERENTIAL="small:1-5,medium:1"
 * runs others (default: small seeds 1 to 5).
 */
interface Case {
  preset: PresetName;
  seed: number;
}

function cases(): Case[] {
  const spec = process.env['WHOCAN_INDEX_DIFFERENTIAL'] ?? 'small:1-5';
  const out: Case[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(small|medium|large):(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`WHOCAN_INDEX_DIFFERENTIAL: ${JSON.stringify(part)} is not PRESET:SEED or PRESET:FROM-TO`);
    for (let seed = Number(m[2]); seed <= Number(m[3] ?? m[2]); seed++) out.push({ preset: m[1] as PresetName, seed });
  }
  return out;
}

function build(preset: PresetName, seed: number, settings: AnalysisSettings): AccessAnalysis {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `whocan-index-${preset}-${seed}-`));
  try {
    generate({ preset, seed, out: dir });
    const { rows, report } = readSnapshot(dir);
    assert.ok(report.ok, `generated ${preset}/${seed} reads cleanly`);
    deriveAccessRows(rows, settings);
    return AccessAnalysis.fromRows(rows, settings);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Each target's answer as the graph rows give it back: target → set, set ← classes ← accessors. */
function answersFromRows(index: AccessIndex): Map<string, Summary> {
  const rows = accessIndexRows(index);
  const membersOf = new Map<string, string[]>();
  for (const a of rows.accessors) membersOf.set(a.accessClass, [...(membersOf.get(a.accessClass) ?? []), a.arn]);
  const bySet = new Map<string, Summary>();
  for (const access of rows.access) {
    let summary = bySet.get(access.to);
    if (!summary) bySet.set(access.to, (summary = new Map()));
    for (const arn of membersOf.get(access.from) ?? []) summary.set(arn, `${access.decision}/${access.hops}`);
  }
  return new Map(rows.targets.map((t) => [t.key, bySet.get(t.accessSet) ?? new Map()]));
}

describe('access index: equal to the per-question analysis on every indexed target', () => {
  for (const c of cases()) {
    it(`${c.preset} organization, seed ${c.seed}`, { timeout: 1_800_000 }, async () => {
      const analysis = build(c.preset, c.seed, await loadAnalysisSettings());
      const index = buildAccessIndex(analysis);
      const fromRows = answersFromRows(index);
      const kinds = new Map<string, number>();
      let principals = 0;
      let viaRoles = 0;
      let conditional = 0;
      for (const target of index.targets) {
        const reference = summarise(analysis.whoCan(target.action, target.resource));
        const indexed: Summary = new Map(index.sets[target.set]!.map((e) => [e.arn, `${e.decision}/${e.hops}`]));
        assert.deepEqual(differences(indexed, reference), [], `${target.action} on ${target.resource}`);
        assert.deepEqual(differences(fromRows.get(target.key)!, reference), [], `${target.action} on ${target.resource}, read back from the rows`);
        kinds.set(target.action, (kinds.get(target.action) ?? 0) + 1);
        principals += indexed.size;
        for (const v of indexed.values()) {
          if (!v.endsWith('/0')) viaRoles++;
          if (v.startsWith('conditional')) conditional++;
        }
      }
      // Every kind of target is covered, and the sample exercises shared answers, role chains and conditions.
      const model = analysis.model;
      const methodStages = [...model.apis.values()].reduce((n, api) => n + api.stages.length * api.methods.length, 0);
      assert.equal(kinds.get('execute-api:Invoke'), methodStages);
      assert.equal(kinds.get('execute-api:InvalidateCache'), methodStages);
      for (const action of ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE']) assert.equal(kinds.get(action), model.apis.size, action);
      assert.equal(kinds.get('sts:AssumeRole'), model.roles.length);
      assert.equal(kinds.get('lambda:InvokeFunction'), model.functions.size);
      assert.ok((kinds.get('iam:PassRole') ?? 0) > 0, 'integration roles are indexed for iam:PassRole');
      assert.ok(index.stats.shared > 0 && index.stats.sets < index.targets.length, `answers are shared (${JSON.stringify(index.stats)})`);
      assert.ok(principals > 0 && viaRoles > 0 && conditional > 0, `answers with principals (${principals}), through roles (${viaRoles}), conditional (${conditional})`);
    });
  }
});
