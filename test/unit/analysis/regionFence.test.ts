import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { AccessAnalysis, deriveAccessRows, type WhoCanAnswer } from '../../../src/analysis';
import { generate } from '../../../src/generate';
import { readSnapshot } from '../../../src/ingest';
import { loadAnalysisSettings } from '../../../src/services';
import { sampleQuestions } from '../../support/differential';

/**
 * A generated organization carries AWS's region deny SCP on its root
 * (Deny NotAction [global services] with StringNotEqualsIfExists
 * aws:RequestedRegion [approved regions]). AWS always sets
 * aws:RequestedRegion, and for API Gateway, Lambda and IAM the request
 * determines it, so answers there must not be conditional on it: this test
 * fails if the engine stops deriving the key.
 */
describe('region fence on a generated organization', () => {
  let analysis: AccessAnalysis;
  let organization: { Roots: { Id: string }[]; Policies: { Id: string; Type: string; Content: string; Targets: { TargetId: string }[] }[] };
  let regions: string[];

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-fence-'));
    try {
      generate({ preset: 'small', seed: 7, out: dir });
      organization = JSON.parse(fs.readFileSync(path.join(dir, 'organization.json'), 'utf8')) as typeof organization;
      const { rows, report } = readSnapshot(dir);
      assert.ok(report.ok, 'the generated organization reads cleanly');
      const settings = await loadAnalysisSettings();
      deriveAccessRows(rows, settings);
      analysis = AccessAnalysis.fromRows(rows, settings);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    regions = [...new Set([...analysis.model.apis.values()].map((a) => a.row.region))];
  });

  it("has AWS's region deny SCP on the root, and AWS's own ids for the managed SCP and RCP", () => {
    const fence = organization.Policies.find((p) => p.Id === 'p-regionfence');
    assert.ok(fence, 'p-regionfence is generated');
    assert.deepEqual(
      fence.Targets.map((t) => t.TargetId),
      [organization.Roots[0]?.Id],
    );
    const statement = (JSON.parse(fence.Content) as { Statement: Record<string, unknown>[] }).Statement[0];
    assert.equal(statement?.['Effect'], 'Deny');
    assert.ok(
      Array.isArray(statement?.['NotAction']) &&
        (statement['NotAction'] as string[]).includes('iam:*') &&
        (statement['NotAction'] as string[]).includes('sts:*'),
    );
    assert.ok('StringNotEqualsIfExists' in (statement?.['Condition'] as object));
    const ids = organization.Policies.map((p) => p.Id);
    assert.ok(ids.includes('p-FullAWSAccess') && ids.includes('p-RCPFullAWSAccess'), ids.join(', '));
  });

  const dependsOnRegion = (answer: WhoCanAnswer) =>
    answer.principals.filter((p) => p.conditions.some((c) => c.keys.includes('aws:requestedregion'))).map((p) => p.arn);

  it('no answer on API Gateway, Lambda or IAM is conditional on aws:RequestedRegion, and member-account principals are allowed', () => {
    const management = analysis.model.organization.managementAccountId;
    let memberAllowed = 0;
    const questions = sampleQuestions(analysis, 'fence', { methods: 20, other: 10 }).filter((q) => !q.action.startsWith('sts:'));
    assert.ok(
      questions.some((q) => q.action.startsWith('lambda:')) && questions.some((q) => q.action.startsWith('apigateway:')),
      'the sample covers Lambda and API management',
    );
    for (const q of questions) {
      const answer = analysis.whoCan(q.action, q.resource);
      assert.deepEqual(dependsOnRegion(answer), [], `${q.action} on ${q.resource}`);
      memberAllowed += answer.principals.filter(
        (p) => p.decision === 'allowed' && p.type !== 'service' && p.type !== 'anonymous' && !p.arn.includes(`::${management}:`),
      ).length;
    }
    assert.ok(memberAllowed > 0, 'principals of member accounts (under the fence) are allowed');
  });

  it('a request region given with --context overrides the derived one: outside the approved regions the fence denies', () => {
    const outside = 'ap-south-1';
    assert.ok(!regions.includes(outside));
    const management = analysis.model.organization.managementAccountId;
    for (const q of sampleQuestions(analysis, 'fence-override', { methods: 10, other: 0 })) {
      const answer = analysis.whoCan(q.action, q.resource, { context: { 'aws:RequestedRegion': outside } });
      const members = answer.principals.filter(
        (p) => (p.type === 'user' || p.type === 'role') && !p.arn.includes(`::${management}:`) && p.decision !== 'denied',
      );
      assert.deepEqual(
        members.map((p) => p.arn),
        [],
        `${q.action} on ${q.resource}: the fence denies every principal of a member account`,
      );
    }
  });
});
