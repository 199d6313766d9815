import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkSnapshot, decodeIamDocument, decodeRestApiPolicy } from './snapshotShape';

/** dist/test/unit/generate → the repository root. */
const SEED = path.resolve(__dirname, '..', '..', '..', '..', 'seed');
const PROD = '333344445555';
const read = (rel: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(SEED, rel), 'utf8')) as Record<string, unknown>;

describe('seed/ snapshot', () => {
  const report = checkSnapshot(SEED);

  it('is all valid JSON in the expected layout and shapes', () => {
    assert.deepEqual(report.problems, []);
    assert.ok(report.files >= 20);
    assert.equal(report.restApis, 3);
    assert.equal(report.httpApis, 1);
    assert.equal(report.methods, 11);
    assert.equal(report.routes, 3);
    assert.equal(report.functions, 8);
    assert.equal(report.functionPolicies, 6);
    assert.equal(report.executeApiEndpoints, 2);
    assert.equal(report.endpointPolicies, 1);
  });

  it('repeats exactly one role across the two pages of the prod account', () => {
    assert.deepEqual(report.duplicateArns, [`arn:aws:iam::${PROD}:role/petstore-apigw-invoke`]);
    assert.equal(read(`${PROD}/iam/authorization-details-1.json`).IsTruncated, true);
    assert.equal(read(`${PROD}/iam/authorization-details-2.json`).IsTruncated, false);
  });

  it('has one URL-encoded policy document and a non-default managed policy version', () => {
    assert.equal(report.urlEncodedDocuments, 1);
    assert.equal(report.nonDefaultVersions, 1);
    const page1 = read(`${PROD}/iam/authorization-details-1.json`) as {
      UserDetailList: { UserName: string; UserPolicyList: { PolicyDocument: unknown }[] }[];
    };
    const henry = page1.UserDetailList.find((u) => u.UserName === 'henry-support');
    const encoded = henry?.UserPolicyList[0]?.PolicyDocument;
    assert.equal(typeof encoded, 'string');
    assert.match(String(encoded), /^%7B%22Version%22/);
    assert.deepEqual(
      (decodeIamDocument(encoded)?.Statement as { Resource: string }[])[0]?.Resource,
      `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5/prod/GET/pets/1`,
    );
  });

  it('prints API resource policies as escaped strings and Lambda policies as JSON strings', () => {
    const apis = read(`${PROD}/us-east-1/apigateway/rest-apis.json`).items as { name: string; policy?: string }[];
    const pets = apis.find((a) => a.name === 'petstore-api');
    assert.ok(pets?.policy?.startsWith('{\\"Version\\":'));
    assert.ok(pets?.policy?.includes('a1b2c3d4e5\\/prod\\/GET\\/pets'));
    assert.equal((decodeRestApiPolicy(pets?.policy ?? '')?.Statement as unknown[]).length, 4);
    assert.equal(apis.find((a) => a.name === 'petstore-web')?.policy, undefined);
    const lambda = read(`${PROD}/us-east-1/lambda/policies/pets-write.json`);
    assert.equal(typeof lambda.Policy, 'string');
    assert.match(String(lambda.Policy), /"AWS:SourceArn":"arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5\/\*\/POST\/pets"/);
  });

  it('references a boundary policy that is not in Policies', () => {
    const identity = read('222233334444/iam/authorization-details.json') as {
      UserDetailList: { UserName: string; PermissionsBoundary?: { PermissionsBoundaryArn: string } }[];
      Policies: { Arn: string }[];
    };
    const kim = identity.UserDetailList.find((u) => u.UserName === 'kim-noaccess');
    assert.equal(kim?.PermissionsBoundary?.PermissionsBoundaryArn, 'arn:aws:iam::aws:policy/PowerUserAccess');
    assert.ok(!identity.Policies.some((p) => p.Arn === 'arn:aws:iam::aws:policy/PowerUserAccess'));
  });

  it('has an organization with SCPs and RCPs over the three ingested accounts', () => {
    const org = read('organization.json') as { ManagementAccountId: string; Accounts: { Id: string }[]; Policies: { Type: string }[] };
    assert.equal(org.ManagementAccountId, '111122223333');
    assert.deepEqual(org.Accounts.map((a) => a.Id).sort(), ['111122223333', '222233334444', PROD]);
    assert.equal(org.Policies.filter((p) => p.Type === 'SERVICE_CONTROL_POLICY').length, 4);
    assert.equal(org.Policies.filter((p) => p.Type === 'RESOURCE_CONTROL_POLICY').length, 2);
    for (const dir of fs.readdirSync(SEED).filter((d) => /^\d{12}$/.test(d)))
      assert.ok(
        org.Accounts.some((a) => a.Id === dir),
        `${dir} is in the organization`,
      );
    assert.ok(!fs.existsSync(path.join(SEED, '999988887777')), 'the partner account is not ingested');
  });
});
