import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AccessAnalysis, bruteForceAssumeLevels, deriveAccessRows, type AnalysisSettings } from '../../src/analysis';
import { loadAnalysisSettings } from '../../src/services';
import { generate, type PresetName } from '../../src/generate';
import { readSnapshot } from '../../src/ingest';
import {
  assumeGraphDifferences,
  bruteForceSummary,
  differences,
  privateApiQuestions,
  sampleQuestions,
  SAMPLE_CONTEXTS,
  summarise,
  summaryHops,
} from './differential';

/**
 * Proof of exactness: on generated organizations, every who-can answer
 * (direct grants, role chains, decisions, hop counts) equals the brute-force
 * answer that asks the policy engine about every caller and every caller ×
 * role pair. Zero missing principals, zero extra.
 *
 * By default: five small organizations (every sample context) and one medium
 * one (no context: the brute-force role graph alone takes about two minutes
 * there). WHOCAN_DIFFERENTIAL="small:1-20,medium:2-3" runs others.
 */
interface Case {
  preset: PresetName;
  seed: number;
  contexts: boolean;
}

function cases(presets: readonly PresetName[]): Case[] {
  const spec = process.env['WHOCAN_DIFFERENTIAL'] ?? 'small:1-5,medium:1';
  const out: Case[] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(small|medium|large):(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`WHOCAN_DIFFERENTIAL: ${JSON.stringify(part)} is not PRESET:SEED or PRESET:FROM-TO`);
    if (!presets.includes(m[1] as PresetName)) continue;
    for (let seed = Number(m[2]); seed <= Number(m[3] ?? m[2]); seed++)
      out.push({ preset: m[1] as PresetName, seed, contexts: m[1] === 'small' });
  }
  return out;
}

function build(preset: PresetName, seed: number, settings: AnalysisSettings): AccessAnalysis {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `whocan-diff-${preset}-${seed}-`));
  try {
    generate({ preset, seed, out: dir });
    const { rows, report } = readSnapshot(dir);
    assert.ok(report.ok, `generated ${preset}/${seed} reads cleanly`);
    deriveAccessRows(rows, settings); // what the ingest stores: the CAN_ASSUME rows the fast analysis then reads
    return AccessAnalysis.fromRows(rows, settings);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Declares the differential suite for the organizations of `presets` in the
 * spec. Each preset family runs from a test file of its own, so that each file
 * stays well inside the test runner's time limit per file.
 */
export function describeDifferential(presets: readonly PresetName[]): void {
  describe(`differential: whocan equals the brute-force reference on generated ${presets.join(' and ')} organizations`, () => {
    for (const c of cases(presets)) {
      it(`${c.preset} organization, seed ${c.seed}`, async () => {
        const analysis = build(c.preset, c.seed, await loadAnalysisSettings());
        const questions = [
          ...sampleQuestions(
            analysis,
            `${c.preset}/${c.seed}`,
            c.preset === 'small' ? { methods: 30, other: 12 } : { methods: 16, other: 6 },
          ),
          // The VPC endpoint layer: the methods of some private APIs.
          ...(c.preset === 'small' ? privateApiQuestions(analysis, 1, 3) : privateApiQuestions(analysis, 1, 1)),
        ];
        const contexts = c.contexts ? SAMPLE_CONTEXTS : [undefined];
        let compared = 0;
        let principals = 0;
        let viaRoles = 0;
        let throughEndpoints = 0;
        for (const context of contexts) {
          const assumeLevels = bruteForceAssumeLevels(analysis.model, analysis.universe, context);
          assert.deepEqual(
            assumeGraphDifferences(analysis, assumeLevels, context),
            [],
            `CAN_ASSUME edges with context ${JSON.stringify(context ?? {})}`,
          );
          for (const question of questions) {
            for (const maxHops of context === undefined ? [5, 1] : [5]) {
              const fast = summarise(analysis.whoCan(question.action, question.resource, { context, maxHops }));
              const brute = bruteForceSummary(analysis, question, assumeLevels, { context, maxHops });
              assert.deepEqual(
                differences(fast, brute),
                [],
                `${question.action} on ${question.resource} (${question.why}), maxHops ${maxHops}, context ${JSON.stringify(context ?? {})}`,
              );
              compared++;
              principals += fast.size;
              for (const v of fast.values()) if (summaryHops(v) > 0) viaRoles++;
              for (const v of fast.values()) if (/\/endpoints vpce-/.test(v)) throughEndpoints++;
            }
          }
        }
        // The sample must exercise what it claims to: answers with principals, and principals reached through roles.
        assert.ok(compared >= questions.length, 'every question was compared');
        assert.ok(principals > 0, 'some answers name principals');
        assert.ok(viaRoles > 0, 'some principals are reached through role chains');
        // The VPC endpoint layer: every organization with a private API has answers through its endpoints in the sample.
        const privateApis = [...analysis.model.apis.values()].filter(
          (a) => a.row.endpointType === 'PRIVATE' && a.methods.length > 0 && a.stages.length > 0,
        );
        if (privateApis.length > 0)
          assert.ok(throughEndpoints > 0, 'some principals reach a private API through a VPC endpoint of the snapshot');
      });
    }
  });
}
