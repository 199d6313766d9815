import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../../src/errors';
import { runSimulation, type EvaluationResultOutput, type SimulateResponse } from '../../../src/services/simulation';
import { loadCaseFiles, type Expectation, type PolicyCase } from './support/cases';

/**
 * Runs every table-driven case in test/policy-cases through the simulate
 * service (the same code `whocan simulate` runs), and checks that every rule of
 * the numbered evaluation rules (docs/policy-engine.md) has cases for both outcomes.
 */
const files = loadCaseFiles();

function pick(response: SimulateResponse, e: Expectation, c: PolicyCase): EvaluationResultOutput {
  const results = response.EvaluationResults;
  const actions = [...new Set(results.map((r) => r.EvalActionName))];
  const resources = [...new Set(results.map((r) => r.EvalResourceName))];
  const action = e.action ?? (actions.length === 1 ? actions[0] : undefined);
  const resource = e.resource ?? (resources.length === 1 ? resources[0] : undefined);
  assert.ok(
    action !== undefined && resource !== undefined,
    `${c.name}: the expectation must name the action and resource (results: ${actions.join(', ')} × ${resources.join(', ')})`,
  );
  const found = results.find((r) => r.EvalActionName === action && r.EvalResourceName === resource);
  assert.ok(found, `${c.name}: no result for ${action} on ${resource}`);
  return found;
}

function check(result: EvaluationResultOutput, e: Expectation, c: PolicyCase): void {
  const where = `${c.name} (${result.EvalActionName} on ${result.EvalResourceName})\nexplanation:\n  ${result.Explanation.join('\n  ')}`;
  assert.equal(result.EvalDecision, e.decision, `decision of ${where}`);
  if (e.matchedStatements) {
    // Compared as a set: an unknown policy has one entry per unknown (its allow, its deny), both `Id#-1`.
    const got = [...new Set(result.MatchedStatements.map((s) => `${s.SourcePolicyId}#${s.StatementIndex}`))].sort();
    assert.deepEqual(got, [...new Set(e.matchedStatements)].sort(), `matched statements of ${where}`);
  }
  if (e.missingContextValues)
    assert.deepEqual([...result.MissingContextValues].sort(), [...e.missingContextValues].sort(), `missing context values of ${where}`);
  if (e.allowedByOrganizations !== undefined)
    assert.equal(result.OrganizationsDecisionDetail?.AllowedByOrganizations, e.allowedByOrganizations, `organizations detail of ${where}`);
  if (e.allowedByPermissionsBoundary !== undefined) {
    assert.equal(
      result.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
      e.allowedByPermissionsBoundary,
      `boundary detail of ${where}`,
    );
  }
  if (e.allowedByResourceControlPolicies !== undefined) {
    assert.equal(
      result.ResourceControlPolicyDecisionDetail?.AllowedByResourceControlPolicies,
      e.allowedByResourceControlPolicies,
      `RCP detail of ${where}`,
    );
  }
  if (e.flow !== undefined) assert.equal(result.ApiGatewayDecisionDetail?.Flow, e.flow, `API Gateway flow of ${where}`);
  if (e.possibleDecisions !== undefined || e.conditionalKeys !== undefined) {
    const detail = result.ConditionalDetail as { possibleDecisions?: string[]; missingKeys?: string[] } | undefined;
    assert.ok(detail, `conditional detail of ${where}`);
    if (e.possibleDecisions)
      assert.deepEqual([...(detail.possibleDecisions ?? [])].sort(), [...e.possibleDecisions].sort(), `possible decisions of ${where}`);
    if (e.conditionalKeys)
      assert.deepEqual([...(detail.missingKeys ?? [])].sort(), [...e.conditionalKeys].sort(), `conditional keys of ${where}`);
  }
  for (const text of e.explanationIncludes ?? []) {
    assert.ok(
      result.Explanation.some((line) => line.includes(text)),
      `the explanation of ${where}
should include ${JSON.stringify(text)}`,
    );
  }
}

describe('policy cases (test/policy-cases)', () => {
  for (const file of files) {
    describe(`${file.file}: ${file.description}`, () => {
      for (const c of file.cases) {
        it(c.name, async () => {
          const now = new Date(c.now);
          if (c.expectError) {
            await assert.rejects(runSimulation(c.request, { now }), (error: unknown) => {
              assert.ok(isAppError(error), `expected a UserInputError, got ${String(error)}`);
              assert.equal(error.code, 'BAD_USER_INPUT');
              for (const p of c.expectError?.paths ?? []) {
                assert.ok(
                  error.details.some((d) => d.startsWith(`${p}:`)),
                  `expected a problem at ${p}; got:\n  ${error.details.join('\n  ')}`,
                );
              }
              for (const d of error.details) {
                assert.ok(
                  (c.expectError?.paths ?? []).some((p) => d.startsWith(`${p}:`)),
                  `unexpected problem ${JSON.stringify(d)} (expected only ${c.expectError?.paths.join(', ')})`,
                );
              }
              for (const m of c.expectError?.messageIncludes ?? [])
                assert.ok(error.describe().includes(m), `message should include ${JSON.stringify(m)}: ${error.describe()}`);
              return true;
            });
            return;
          }
          const response = await runSimulation(c.request, { now });
          for (const e of c.expect ?? []) check(pick(response, e, c), e, c);
          for (const text of c.expectWarnings ?? []) {
            assert.ok(
              (response.Warnings ?? []).some((w) => w.includes(text)),
              `${c.name}: the warnings should include ${JSON.stringify(text)}; got ${JSON.stringify(response.Warnings ?? [])}`,
            );
          }
        });
      }
    });
  }
});

/** The numbered evaluation rules (docs/policy-engine.md, "Rules and their pages"). */
const RULES = Array.from({ length: 23 }, (_, i) => String(i + 1));

describe('policy cases cover the reference', () => {
  it('every case cites an AWS page and at least one reference rule', () => {
    for (const f of files)
      for (const c of f.cases) {
        assert.match(c.source, /^https:\/\//, `${f.file} / ${c.name}`);
        assert.ok(c.rules.length > 0, `${f.file} / ${c.name} names no rule`);
        for (const r of c.rules) assert.ok(RULES.includes(r), `${f.file} / ${c.name}: unknown rule ${r}`);
      }
  });

  for (const rule of RULES) {
    it(`rule ${rule} has cases for both outcomes (allowed, and denied)`, () => {
      const decisions = new Set<string>();
      for (const f of files) for (const c of f.cases) if (c.rules.includes(rule)) for (const e of c.expect ?? []) decisions.add(e.decision);
      assert.ok(decisions.has('allowed'), `rule ${rule}: no case expects "allowed"`);
      assert.ok(decisions.has('implicitDeny') || decisions.has('explicitDeny'), `rule ${rule}: no case expects a deny`);
    });
  }
});
