import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { AccessAnalysis, deriveAccessRows } from '../../../src/analysis';
import { seedDir } from '../../../src/config/paths';
import { readSnapshot } from '../../../src/ingest';
import { loadAnalysisSettings } from '../../../src/services';
import { PROD, R } from './support/seed';

/**
 * Rules AWS applies outside the policies, through the analysis: the seed
 * plus two roles every real organization has — a service-linked role and an
 * IAM Identity Center role — written into the prod account as
 * `get-account-authorization-details` prints them. Both roles are set up so
 * that, were they ordinary roles, the answers below would name principals
 * (the account's administrators hold `*` on `*`, and API Gateway may assume
 * the service-linked role, which may invoke every function).
 */
const SLR = `arn:aws:iam::${PROD}:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway`;
const SSO = `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
const SSO_SLR = `arn:aws:iam::${PROD}:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO`;

function role(arn: string, trust: unknown, actions: string[], resource: string): Record<string, unknown> {
  const [, pathAndName] = arn.split(':role');
  const name = pathAndName!.slice(pathAndName!.lastIndexOf('/') + 1);
  return {
    Path: pathAndName!.slice(0, pathAndName!.lastIndexOf('/') + 1),
    RoleName: name,
    RoleId: `AROA${name
      .replace(/[^A-Z0-9]/gi, '')
      .toUpperCase()
      .slice(0, 17)
      .padEnd(17, 'X')}`,
    Arn: arn,
    CreateDate: '2024-01-01T00:00:00+00:00',
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: trust, Action: ['sts:AssumeRole'] }] },
    InstanceProfileList: [],
    RolePolicyList: [
      {
        PolicyName: 'Permissions',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] },
      },
    ],
    AttachedManagedPolicies: [],
    Tags: [],
    RoleLastUsed: {},
    MaxSessionDuration: 3600,
  };
}

describe('protected roles and AWS managed policies in the analysis', () => {
  let analysis: AccessAnalysis;
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-protected-'));
    try {
      fs.cpSync(seedDir(), dir, { recursive: true });
      const file = path.join(dir, PROD, 'iam', 'authorization-details-2.json');
      const page = JSON.parse(fs.readFileSync(file, 'utf8')) as { RoleDetailList: unknown[] };
      page.RoleDetailList.push(
        role(SLR, { Service: 'apigateway.amazonaws.com' }, ['lambda:InvokeFunction'], '*'),
        role(SSO, { Federated: `arn:aws:iam::${PROD}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE` }, ['*'], '*'),
        role(
          SSO_SLR,
          { Service: 'sso.amazonaws.com' },
          ['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'],
          'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*',
        ),
      );
      fs.writeFileSync(file, JSON.stringify(page));
      const { rows, report } = readSnapshot(dir);
      assert.ok(report.ok, JSON.stringify(report.problems));
      const settings = await loadAnalysisSettings();
      deriveAccessRows(rows, settings);
      analysis = AccessAnalysis.fromRows(rows, settings);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const arns = (action: string, resource: string) => analysis.whoCan(action, resource).principals.map((p) => p.arn);

  it('an ordinary role: the administrators may change its trust policy (the control)', () => {
    assert.ok(arns('iam:UpdateAssumeRolePolicy', R.platformAdmin).includes(R.oaar));
    assert.equal(analysis.whoCan('iam:UpdateAssumeRolePolicy', R.platformAdmin).refused, undefined);
  });

  for (const action of [
    'iam:UpdateAssumeRolePolicy',
    'iam:AttachRolePolicy',
    'iam:PutRolePolicy',
    'iam:DeleteRole',
    'iam:TagRole',
    'iam:PassRole',
  ]) {
    it(`a service-linked role: nobody, with the reason (${action})`, () => {
      const answer = analysis.whoCan(action, SLR);
      assert.deepEqual(
        answer.principals.map((p) => p.arn),
        [],
      );
      assert.match(answer.refused ?? '', /service-linked role/);
    });
  }

  it("a service-linked role's description may be edited (IAM allows it)", () => {
    assert.ok(arns('iam:UpdateRoleDescription', SLR).includes(R.oaar));
  });

  it("an IAM Identity Center role: only IAM Identity Center's service-linked role may change it; nobody may pass it", () => {
    // The service reaches it through its service-linked role (one hop).
    const answer = analysis.whoCan('iam:AttachRolePolicy', SSO);
    assert.deepEqual(answer.principals.map((p) => `${p.arn}/${p.hops}`).sort(), [`${SSO_SLR}/0`, 'sso.amazonaws.com/1']);
    assert.match(answer.refused ?? '', /IAM Identity Center/);
    assert.deepEqual(arns('iam:UpdateAssumeRolePolicy', SSO).sort(), [SSO_SLR, 'sso.amazonaws.com']);
    assert.deepEqual(arns('iam:PassRole', SSO), []);
  });

  it('the escalation finding does not report passing a service-linked role, although API Gateway may assume it', () => {
    assert.ok(
      analysis.assumeGraph.outgoing('apigateway.amazonaws.com').some((e) => e.to === SLR),
      'API Gateway may assume the role',
    );
    const findings = analysis.findings({ kinds: ['escalation-via-apigateway'] }).findings;
    assert.ok(
      findings.some((f) => f.resource === R.apigwInvoke),
      'the ordinary integration role is still reported',
    );
    assert.deepEqual(
      findings.filter((f) => f.resource === SLR || f.related.includes(SLR)).map((f) => f.id),
      [],
    );
  });

  it('an AWS managed policy is no other account’s: administrators may read it, nobody may change it', () => {
    const managed = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const readers = arns('iam:GetPolicy', managed);
    assert.ok(readers.includes(R.oaar) && readers.includes(SSO), readers.join(', '));
    const change = analysis.whoCan('iam:CreatePolicyVersion', managed);
    assert.deepEqual(
      change.principals.map((p) => p.arn),
      [],
    );
    assert.match(change.refused ?? '', /AWS managed policies cannot be changed/);
  });
});
