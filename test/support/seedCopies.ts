import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDir } from '../../src/config/paths';

/** Copies of seed/ for the review and diff tests (unit and integration). */

/** A copy of seed/ in a temporary directory. */
export function seedCopy(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'whocan-seed-copy-'));
  cpSync(seedDir(), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A copy of seed/ changed for the diff tests: bob-caller is no longer in
 * group api-callers, and a new prod user dave-newdev joins api-developers
 * (as alice-apidev, without her tag).
 */
export function modifiedSeedCopy(): { dir: string; cleanup: () => void } {
  const { dir, cleanup } = seedCopy();
  const file = path.join(dir, '333344445555', 'iam', 'authorization-details-1.json');
  const iam = JSON.parse(readFileSync(file, 'utf8')) as { UserDetailList: Record<string, unknown>[] };
  const bob = iam.UserDetailList.find((u) => u['UserName'] === 'bob-caller');
  if (!bob) throw new Error('bob-caller is not on page 1 of the prod IAM output');
  bob['GroupList'] = [];
  iam.UserDetailList.push({
    Path: '/',
    UserName: 'dave-newdev',
    UserId: 'AIDAEXAMPLEDAVE00001',
    Arn: 'arn:aws:iam::333344445555:user/dave-newdev',
    CreateDate: '2026-11-20T08:00:00+00:00',
    UserPolicyList: [],
    GroupList: ['api-developers'],
    AttachedManagedPolicies: [],
    Tags: [],
  });
  writeFileSync(file, JSON.stringify(iam, null, 4));
  return { dir, cleanup };
}

export const PROD = '333344445555';
export const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;
export const W = `arn:aws:execute-api:us-east-1:${PROD}:k9l8m7n6o5`;
export const BOB = `arn:aws:iam::${PROD}:user/bob-caller`;
export const DAVE = `arn:aws:iam::${PROD}:user/dave-newdev`;
export const MANAGED = [
  'arn:aws:apigateway:us-east-1::/apis/h7t8p9a0b1',
  'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5',
  'arn:aws:apigateway:us-east-1::/restapis/k9l8m7n6o5',
];

/**
 * What `whocan diff` reports from seed/ to modifiedSeedCopy(), worked out by
 * hand from seed/README.md, as [change, kind, action, resource, principal,
 * decision before, decision after]:
 * - bob-caller loses what InvokePetsProd gave him (Q1): GET /pets, GET
 *   /pets/{id} and POST /pets on prod (DELETE /pets/{id} was denied by
 *   DenyDeleteOnProd, so nothing changes there);
 * - dave-newdev gains what alice-apidev has (Q2, Q3, Q6): every AWS_IAM
 *   method on the staging stage of petstore-api (ANY /admin/{proxy+} only
 *   under S4's source IP) and petstore-web (POST /orders); the admin proxy on
 *   prod partially (`*` spans `/`: …/prod/POST/admin/staging/x); and POST,
 *   PUT and PATCH on petstore-api, petstore-web and petstore-events (the SCP
 *   denies DELETE).
 * Sorted as the diff sorts: by resource, action, principal.
 */
export const EXPECTED_CHANGES: (string | null)[][] = [
  ...MANAGED.flatMap((api) =>
    ['apigateway:PATCH', 'apigateway:POST', 'apigateway:PUT'].map((action) => ['gained', 'manage', action, api, DAVE, null, 'allowed']),
  ),
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/prod/ANY/admin/{proxy+}`, DAVE, null, 'partial'],
  ['lost', 'invoke', 'execute-api:Invoke', `${X}/prod/GET/pets`, BOB, 'allowed', null],
  ['lost', 'invoke', 'execute-api:Invoke', `${X}/prod/GET/pets/{id}`, BOB, 'allowed', null],
  ['lost', 'invoke', 'execute-api:Invoke', `${X}/prod/POST/pets`, BOB, 'allowed', null],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/ANY/admin/{proxy+}`, DAVE, null, 'conditional'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/DELETE/pets/{id}`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/GET/pets`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/GET/pets/{id}`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${X}/staging/POST/pets`, DAVE, null, 'allowed'],
  ['gained', 'invoke', 'execute-api:Invoke', `${W}/staging/POST/orders`, DAVE, null, 'allowed'],
];

/** What hostileSeedCopy() writes into policy text: markup that must only ever be shown as text. */
export const HOSTILE_SID = '<script>window.__whocanPwned=1</script>InvokePetsProd';
export const HOSTILE_VALUE = '<img src=x onerror=window.__whocanPwned=2>';

/**
 * A copy of seed/ whose policy text holds markup, for the console's safety
 * tests: in InvokePetsProd v2 (bob-caller's grant, through group
 * api-callers) the first statement's Sid becomes HOSTILE_SID, and the
 * statement gains a condition whose value is HOSTILE_VALUE
 * (`StringEquals aws:UserAgent`, a request context key), so bob-caller's
 * access to GET /pets becomes conditional on the caller's user agent.
 */
export function hostileSeedCopy(): { dir: string; cleanup: () => void } {
  const { dir, cleanup } = seedCopy();
  const file = path.join(dir, PROD, 'iam', 'authorization-details-2.json');
  const iam = JSON.parse(readFileSync(file, 'utf8')) as {
    Policies: {
      PolicyName: string;
      PolicyVersionList: { IsDefaultVersion: boolean; Document: { Statement: Record<string, unknown>[] } }[];
    }[];
  };
  const policy = iam.Policies.find((p) => p.PolicyName === 'InvokePetsProd');
  const statement = policy?.PolicyVersionList.find((v) => v.IsDefaultVersion)?.Document.Statement[0];
  if (!statement || statement['Sid'] !== 'InvokePetsProd')
    throw new Error('InvokePetsProd v2 with its statement InvokePetsProd is not on page 2 of the prod IAM output');
  statement['Sid'] = HOSTILE_SID;
  statement['Condition'] = { StringEquals: { 'aws:UserAgent': HOSTILE_VALUE } };
  writeFileSync(file, JSON.stringify(iam, null, 4));
  return { dir, cleanup };
}
