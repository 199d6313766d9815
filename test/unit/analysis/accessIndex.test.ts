import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  AccessAnalysis,
  accessIndexRows,
  buildAccessIndex,
  deriveAccessRows,
  type AccessIndex,
  type AnalysisSettings,
} from '../../../src/analysis';
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
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
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

/**
 * The part of an answer the index stores: each principal's decision, hop
 * count, the hops of its best decision and its own (direct) decision
 * (answers also carry, on private APIs, the endpoints, which the index does
 * not keep).
 */
function decisionAndHops(summary: Summary): Summary {
  return new Map(
    [...summary].map(([arn, line]) => {
      const [decision, hops, best, direct] = line.split('/');
      return [arn, `${decision}/${hops}/${best}/${direct}`];
    }),
  );
}

/** Each target's answer as the graph rows give it back: target → set, set ← classes ← accessors. */
function answersFromRows(index: AccessIndex): Map<string, Summary> {
  const rows = accessIndexRows(index);
  const membersOf = new Map<string, string[]>();
  for (const a of rows.accessors) membersOf.set(a.accessClass, [...(membersOf.get(a.accessClass) ?? []), a.arn]);
  const bySet = new Map<string, Summary>();
  for (const access of rows.access) {
    let summary = bySet.get(access.to);
    if (!summary) bySet.set(access.to, (summary = new Map<string, string>()));
    for (const arn of membersOf.get(access.from) ?? [])
      summary.set(arn, `${access.decision}/${access.hops}/best ${access.bestHops}/direct ${access.direct ?? 'none'}`);
  }
  return new Map(rows.targets.map((t) => [t.key, bySet.get(t.accessSet) ?? new Map<string, string>()]));
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
        const reference = decisionAndHops(summarise(analysis.whoCan(target.action, target.resource)));
        const indexed: Summary = new Map(
          index.sets[target.set]!.map((e) => [e.arn, `${e.decision}/${e.hops}/best ${e.bestHops}/direct ${e.direct ?? 'none'}`]),
        );
        assert.deepEqual(differences(indexed, reference), [], `${target.action} on ${target.resource}`);
        assert.deepEqual(
          differences(fromRows.get(target.key)!, reference),
          [],
          `${target.action} on ${target.resource}, read back from the rows`,
        );
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
      for (const action of ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'])
        assert.equal(kinds.get(action), model.apis.size, action);
      assert.equal(kinds.get('sts:AssumeRole'), model.roles.length);
      assert.equal(kinds.get('lambda:InvokeFunction'), model.functions.size);
      assert.ok((kinds.get('iam:PassRole') ?? 0) > 0, 'integration roles are indexed for iam:PassRole');
      assert.ok(index.stats.shared > 0 && index.stats.sets < index.targets.length, `answers are shared (${JSON.stringify(index.stats)})`);
      assert.ok(
        principals > 0 && viaRoles > 0 && conditional > 0,
        `answers with principals (${principals}), through roles (${viaRoles}), conditional (${conditional})`,
      );
    });
  }
});

describe('access index: targets in another region are not treated alike', () => {
  it(
    "a copy of an account's REST APIs in a region the region-fence SCP refuses: every target equal to whoCan, the copies denied to member accounts' principals, the originals not",
    { timeout: 600_000 },
    async () => {
      const settings = await loadAnalysisSettings();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-index-region-'));
      let analysis: AccessAnalysis;
      try {
        generate({ preset: 'small', seed: 1, out: dir });
        // The same APIs (ids, methods, resource policies, authorization) in eu-central-1, outside the
        // approved regions of the generator's region-fence SCP on the root.
        // Policies that name the APIs in any region (execute-api:*:…), as many do, so that a copy
        // matches the same statements as its original and only the region tells them apart.
        const anyRegion = (file: string) =>
          fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('execute-api:us-east-1:', 'execute-api:*:'));
        const walk = (d: string): void => {
          for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (
              e.name.endsWith('.json') &&
              (p.includes(`${path.sep}iam${path.sep}`) || p.includes(`${path.sep}apigateway${path.sep}`))
            )
              anyRegion(p);
          }
        };
        walk(dir);
        const account = fs.readdirSync(dir).find((a) => fs.existsSync(path.join(dir, a, 'us-east-1', 'apigateway')))!;
        fs.cpSync(path.join(dir, account, 'us-east-1', 'apigateway'), path.join(dir, account, 'eu-central-1', 'apigateway'), {
          recursive: true,
        });
        const { rows, report } = readSnapshot(dir);
        assert.ok(report.ok, 'the altered snapshot reads cleanly');
        const root = rows.orgNodes.find((n) => n.kind === 'root')!;
        const fences = rows.policies.filter((p) => p.kind === 'scp' && p.document?.includes('aws:RequestedRegion')).map((p) => p.key);
        assert.ok(
          rows.orgPolicyTargets.some((l) => fences.includes(l.from) && l.to === root.key),
          'the generator puts a region-fence SCP on the root',
        );
        deriveAccessRows(rows, settings);
        analysis = AccessAnalysis.fromRows(rows, settings);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const index = buildAccessIndex(analysis);
      const invoked = new Map<string, number>();
      for (const target of index.targets) {
        const reference = decisionAndHops(summarise(analysis.whoCan(target.action, target.resource)));
        const indexed: Summary = new Map(
          index.sets[target.set]!.map((e) => [e.arn, `${e.decision}/${e.hops}/best ${e.bestHops}/direct ${e.direct ?? 'none'}`]),
        );
        assert.deepEqual(differences(indexed, reference), [], `${target.action} on ${target.resource}`);
        if (target.action === 'execute-api:Invoke') {
          const region = target.resource.split(':')[3]!;
          // SCPs bind the principals of the organization's member accounts only: not the management
          // account's, other accounts' principals, nor anonymous callers.
          const members = [...indexed.keys()].filter((arn) => {
            const accessor = index.accessors.get(arn);
            return accessor?.inOrganization === true && !analysis.model.accounts.get(accessor.account!)?.isManagement;
          }).length;
          invoked.set(region, (invoked.get(region) ?? 0) + members);
        }
      }
      assert.equal(invoked.get('eu-central-1'), 0, 'no principal of a member account may invoke a method outside the approved regions');
      assert.ok((invoked.get('us-east-1') ?? 0) > 0, 'principals of member accounts may invoke methods in the approved region');
    },
  );
});
