import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, WhoCanAnswer } from '../../../src/analysis';
import { renderWhoCan } from '../../../src/cli/render/whoCan';
import { APIGATEWAY, FN, R, U, conditionKeys, fnPolicy, principal, seedAnalysis } from './support/seed';

/**
 * seed/README.md Q8: who can invoke pets-write. API Gateway may call it on
 * its own only for the two methods the function policy names (conditional
 * on aws:SourceArn), and without condition by becoming petstore-apigw-invoke
 * (its InvokeBackends statement allows pets-*). An answer gives each
 * principal its best decision with the hops of the path that gives it, and
 * apart from it the decision of its own access.
 */

let analysis: AccessAnalysis;
let answer: WhoCanAnswer;
before(async () => {
  analysis = await seedAnalysis();
  answer = analysis.whoCan('lambda:InvokeFunction', FN.petsWrite);
});

describe('best decision, its hops, and the direct access (pets-write)', () => {
  it('apigateway.amazonaws.com: allowed at 1 hop (as petstore-apigw-invoke); its own access is conditional on aws:SourceArn', () => {
    const p = principal(answer, APIGATEWAY);
    assert.deepEqual({ decision: p.decision, hops: p.hops, bestHops: p.bestHops }, { decision: 'allowed', hops: 0, bestHops: 1 });
    assert.equal(p.direct?.decision, 'conditional');
    assert.deepEqual(conditionKeys(p.direct.conditions), ['aws:sourcearn']);
    assert.deepEqual(p.direct.conditions.flatMap((c) => c.clauses.map((x) => `${x.policy} ${x.statement} ${x.values.join(',')}`)).sort(), [
      `${fnPolicy(FN.petsWrite)} apigw-delete-pet arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/*/DELETE/pets/*`,
      `${fnPolicy(FN.petsWrite)} apigw-post-pets arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/*/POST/pets`,
    ]);
    // The best decision is the path through the role, without any condition.
    const throughRole = p.paths.find((path) => path[0]?.kind === 'assume-role' && path[0].to === R.apigwInvoke);
    assert.ok(throughRole, 'a path through petstore-apigw-invoke');
    assert.deepEqual(
      throughRole.flatMap((h) => h.conditions ?? []),
      [],
    );
    // The shortest path is the conditional direct one.
    assert.equal(p.paths[0]?.[0]?.kind, 'resource-policy');
  });

  it('petstore-apigw-invoke: its own access is its best (bestHops 0, direct allowed)', () => {
    const p = principal(answer, R.apigwInvoke);
    assert.deepEqual(
      { decision: p.decision, hops: p.hops, bestHops: p.bestHops, direct: p.direct?.decision },
      { decision: 'allowed', hops: 0, bestHops: 0, direct: 'allowed' },
    );
  });

  it('org-admin has access only through OrganizationAccountAccessRole: no direct access', () => {
    const p = principal(answer, U.orgAdmin);
    assert.deepEqual({ decision: p.decision, hops: p.hops, bestHops: p.bestHops }, { decision: 'allowed', hops: 1, bestHops: 1 });
    assert.equal(p.direct, undefined);
  });

  it('--json keeps every field it had and adds bestHops and direct (absent without direct access)', () => {
    const json = JSON.parse(JSON.stringify(answer)) as { principals: Record<string, unknown>[] };
    const gateway = json.principals.find((p) => p['arn'] === APIGATEWAY)!;
    assert.deepEqual(Object.keys(gateway), ['arn', 'type', 'decision', 'hops', 'bestHops', 'direct', 'conditions', 'paths']);
    assert.deepEqual((gateway['direct'] as { decision: string }).decision, 'conditional');
    const orgAdmin = json.principals.find((p) => p['arn'] === U.orgAdmin)!;
    assert.equal('direct' in orgAdmin, false);
    assert.equal('endpoints' in orgAdmin, false, 'endpoints only for private API methods');
  });

  it('the table shows the best decision at its hops and, apart, the direct access', () => {
    const text = renderWhoCan(answer);
    const header = text.split('\n').find((l) => l.startsWith('PRINCIPAL'))!;
    assert.match(header, /BEST DECISION\s+AT HOPS\s+DIRECT \(0 HOPS\)\s+SHORTEST PATH/);
    const row = text.split('\n').find((l) => l.startsWith(APIGATEWAY))!;
    assert.match(row, /^apigateway\.amazonaws\.com\s+service\s+allowed\s+1\s+conditional\s+resource policy/);
    const orgAdminRow = text.split('\n').find((l) => l.startsWith('user/org-admin'))!;
    assert.match(orgAdminRow, /allowed\s+1\s+none\s+assumes/);
    assert.match(text, /apigateway\.amazonaws\.com: its own access only when \(ArnLike AWS:SourceArn/);
  });
});
