import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDir } from '../../../src/config/paths';
import { generate, type GeneratedManifest } from '../../../src/generate';
import { createIamTransform, iamAccountRow, transformIam } from '../../../src/ingest/iam/transform';
import { IngestReport, type IngestIssue } from '../../../src/ingest/report';
import { RowCollector } from '../../../src/ingest/rowCollector';
import type { JsonFile, TransformContext } from '../../../src/ingest/transformContext';
import type { SnapshotRows } from '../../../src/model';

const PROD = '333344445555';
const IDENTITY = '222233334444';
const MANAGEMENT = '111122223333';

function newContext(): TransformContext {
  const report = new IngestReport();
  return { report, rows: new RowCollector(report) };
}

/** `<dir>/<account>/iam/authorization-details*.json`, pages in page-number order, names relative to `dir`. */
function iamPages(dir: string, account: string): JsonFile[] {
  const iamDir = path.join(dir, account, 'iam');
  const pageNo = (f: string) => Number(/-(\d+)\.json$/.exec(f)?.[1] ?? '0');
  return fs
    .readdirSync(iamDir)
    .filter((f) => /^authorization-details(-\d+)?\.json$/.test(f))
    .sort((a, b) => pageNo(a) - pageNo(b))
    .map((f) => ({ file: `${account}/iam/${f}`, data: JSON.parse(fs.readFileSync(path.join(iamDir, f), 'utf8')) as unknown }));
}

function accountsOf(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((d) => /^\d{12}$/.test(d) && fs.existsSync(path.join(dir, d, 'iam')))
    .sort();
}

function transformDir(dir: string): { ctx: TransformContext; rows: SnapshotRows } {
  const ctx = newContext();
  transformIam(
    ctx,
    accountsOf(dir).map((account) => ({ account, pages: iamPages(dir, account) })),
  );
  return { ctx, rows: ctx.rows.rows() };
}

const links = (list: readonly { from: string; to: string }[]) => list.map((l) => `${l.from} -> ${l.to}`).sort();
const sorted = <T>(list: readonly T[]) => [...list].map((x) => JSON.stringify(x)).sort();

describe('IAM transform: the seed snapshot', () => {
  const { ctx, rows } = transformDir(seedDir());
  const policy = (key: string) => rows.policies.find((p) => p.key === key);

  it('reports no problem and exactly one warning: the missing PowerUserAccess boundary of kim-noaccess', () => {
    assert.deepEqual(ctx.report.problems, []);
    assert.deepEqual(ctx.report.warnings, [
      {
        file: `${IDENTITY}/iam/authorization-details.json`,
        path: '$.UserDetailList[2].PermissionsBoundary.PermissionsBoundaryArn',
        message:
          'arn:aws:iam::aws:policy/PowerUserAccess is used as the permissions boundary of user kim-noaccess but is not in Policies: what it allows is unknown; answers for kim-noaccess will be marked uncertain',
      },
    ]);
  });

  it('has exactly the users of each account', () => {
    assert.deepEqual(
      rows.users
        .filter((u) => u.account === PROD)
        .map((u) => u.arn)
        .sort(),
      ['alice-apidev', 'bob-caller', 'carol-caller', 'erin-boundary', 'frank-escalator', 'henry-support'].map(
        (n) => `arn:aws:iam::${PROD}:user/${n}`,
      ),
    );
    assert.deepEqual(
      rows.users
        .filter((u) => u.account === IDENTITY)
        .map((u) => u.name)
        .sort(),
      ['ivan-ops', 'judy-analyst', 'kim-noaccess'],
    );
    assert.deepEqual(
      rows.users.filter((u) => u.account === MANAGEMENT).map((u) => u.name),
      ['org-admin'],
    );
    assert.equal(rows.users.length, 10);
  });

  it('reads every user field', () => {
    const erin = rows.users.find((u) => u.name === 'erin-boundary');
    assert.deepEqual(erin, {
      key: `arn:aws:iam::${PROD}:user/erin-boundary`,
      arn: `arn:aws:iam::${PROD}:user/erin-boundary`,
      name: 'erin-boundary',
      uniqueId: 'AIDAHDLK63GPCVW6YCZCF',
      path: '/',
      account: PROD,
      createDate: '2023-02-20T08:05:00+00:00',
      tags: JSON.stringify({ contractor: 'true', team: 'pets' }),
    });
  });

  it('has each role once, although petstore-apigw-invoke is in both pages of the prod account', () => {
    assert.deepEqual(
      rows.roles
        .filter((r) => r.account === PROD)
        .map((r) => r.name)
        .sort(),
      [
        'OrganizationAccountAccessRole',
        'events-reader',
        'partner-integration',
        'petstore-apigw-invoke',
        'petstore-lambda-exec',
        'petstore-operator',
        'platform-admin',
        'reporting-role',
      ].sort(),
    );
    assert.deepEqual(
      rows.roles.filter((r) => r.account === IDENTITY).map((r) => r.name),
      ['ops-jump'],
    );
    const invoke = rows.roles.filter((r) => r.name === 'petstore-apigw-invoke');
    assert.equal(invoke.length, 1);
    assert.deepEqual(invoke[0], {
      key: `arn:aws:iam::${PROD}:role/petstore-apigw-invoke`,
      arn: `arn:aws:iam::${PROD}:role/petstore-apigw-invoke`,
      name: 'petstore-apigw-invoke',
      uniqueId: 'AROACHSH5KC6N4U2E76T4',
      path: '/',
      account: PROD,
      createDate: '2022-04-04T12:00:00+00:00',
      tags: '{}',
      maxSessionDuration: 3600,
      serviceLinked: false,
    });
    assert.equal(rows.roles.find((r) => r.name === 'partner-integration')?.tags, '{"partner":"acme-shelters"}');
    // Its inline policy and statements are there once too.
    assert.equal(rows.policies.filter((p) => p.key === `arn:aws:iam::${PROD}:role/petstore-apigw-invoke#inline/InvokeBackends`).length, 1);
  });

  it('has the groups and the memberships (group names resolved in the same account)', () => {
    assert.deepEqual(rows.groups.map((g) => g.arn).sort(), [
      `arn:aws:iam::${IDENTITY}:group/operators`,
      `arn:aws:iam::${PROD}:group/api-callers`,
      `arn:aws:iam::${PROD}:group/api-developers`,
    ]);
    assert.deepEqual(links(rows.memberships), [
      `arn:aws:iam::${IDENTITY}:user/ivan-ops -> arn:aws:iam::${IDENTITY}:group/operators`,
      `arn:aws:iam::${PROD}:user/alice-apidev -> arn:aws:iam::${PROD}:group/api-developers`,
      `arn:aws:iam::${PROD}:user/bob-caller -> arn:aws:iam::${PROD}:group/api-callers`,
      `arn:aws:iam::${PROD}:user/erin-boundary -> arn:aws:iam::${PROD}:group/api-developers`,
    ]);
  });

  it('uses only the default version v2 of InvokePetsProd', () => {
    const p = policy(`arn:aws:iam::${PROD}:policy/InvokePetsProd`);
    assert.ok(p);
    assert.equal(p.versionId, 'v2');
    assert.equal(p.kind, 'managed');
    assert.equal(p.account, PROD);
    assert.equal(p.missing, false);
    const page2 = iamPages(seedDir(), PROD)[1]?.data as {
      Policies: { PolicyName: string; PolicyVersionList: { VersionId: string; Document: unknown }[] }[];
    };
    const v2 = page2.Policies.find((x) => x.PolicyName === 'InvokePetsProd')?.PolicyVersionList.find((v) => v.VersionId === 'v2')?.Document;
    assert.deepEqual(JSON.parse(p.document ?? 'null'), v2);
    const statements = rows.statements.filter((s) => s.policyKey === p.key);
    assert.deepEqual(
      statements.map((s) => s.sid),
      ['InvokePetsProd', 'InvokeReadBackend'],
    );
    assert.ok(
      !rows.statements.some((s) => s.policyKey === p.key && s.actions?.includes('execute-api:*')),
      'v1 (execute-api:* on *) must be ignored',
    );
  });

  it("decodes henry-support's URL-encoded inline policy", () => {
    const key = `arn:aws:iam::${PROD}:user/henry-support#inline/SupportLookup`;
    const p = policy(key);
    assert.ok(p);
    assert.equal(p.kind, 'inline');
    assert.equal(p.account, PROD);
    assert.deepEqual(JSON.parse(p.document ?? 'null'), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'LookUpPetOne',
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5/prod/GET/pets/1`,
        },
      ],
    });
    const s = rows.statements.filter((x) => x.policyKey === key);
    assert.equal(s.length, 1);
    assert.deepEqual(s[0]?.resources, [`arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5/prod/GET/pets/1`]);
    assert.ok(
      rows.policyAttachments.some(
        (a) => a.from === `arn:aws:iam::${PROD}:user/henry-support` && a.to === key && a.attachment === 'inline' && a.ownerLabel === 'User',
      ),
    );
  });

  it('adds a missing placeholder for PowerUserAccess, never a document', () => {
    assert.deepEqual(policy('arn:aws:iam::aws:policy/PowerUserAccess'), {
      key: 'arn:aws:iam::aws:policy/PowerUserAccess',
      kind: 'managed',
      name: 'PowerUserAccess',
      arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
      account: null,
      document: null,
      versionId: null,
      missing: true,
    });
    assert.equal(rows.statements.filter((s) => s.policyKey === 'arn:aws:iam::aws:policy/PowerUserAccess').length, 0);
    assert.deepEqual(
      rows.policies.filter((p) => p.missing).map((p) => p.key),
      ['arn:aws:iam::aws:policy/PowerUserAccess'],
    );
  });

  it('has the permissions boundaries; DeveloperBoundary (used only as a boundary) is listed, not missing', () => {
    assert.deepEqual(
      sorted(rows.boundaries),
      sorted([
        { from: `arn:aws:iam::${IDENTITY}:user/kim-noaccess`, to: 'arn:aws:iam::aws:policy/PowerUserAccess', ownerLabel: 'User' },
        { from: `arn:aws:iam::${PROD}:user/erin-boundary`, to: `arn:aws:iam::${PROD}:policy/DeveloperBoundary`, ownerLabel: 'User' },
      ]),
    );
    const b = policy(`arn:aws:iam::${PROD}:policy/DeveloperBoundary`);
    assert.equal(b?.missing, false);
    assert.equal(b?.versionId, 'v1');
  });

  it('has the policy attachments, managed and inline, with owner labels', () => {
    const of = (owner: string) =>
      rows.policyAttachments
        .filter((a) => a.from === owner)
        .map((a) => `${a.ownerLabel} ${a.attachment} ${a.to}`)
        .sort();
    assert.deepEqual(of(`arn:aws:iam::${PROD}:group/api-callers`), [
      `Group inline arn:aws:iam::${PROD}:group/api-callers#inline/DenyDeleteOnProd`,
      `Group managed arn:aws:iam::${PROD}:policy/InvokePetsProd`,
    ]);
    assert.deepEqual(of(`arn:aws:iam::${PROD}:user/carol-caller`), [`User managed arn:aws:iam::${PROD}:policy/InvokeFromOffice`]);
    assert.deepEqual(
      of(`arn:aws:iam::${PROD}:role/petstore-lambda-exec`),
      [
        'Role managed arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        `Role inline arn:aws:iam::${PROD}:role/petstore-lambda-exec#inline/PetsTable`,
      ].sort(),
    );
    assert.deepEqual(of(`arn:aws:iam::${IDENTITY}:user/kim-noaccess`), []);
    assert.equal(rows.policyAttachments.length, 19);
  });

  it('gives every role a trust policy; service principals are extracted', () => {
    assert.equal(rows.trustPolicies.length, rows.roles.length);
    for (const role of rows.roles)
      assert.ok(
        rows.trustPolicies.some((t) => t.from === role.arn && t.to === `${role.arn}#trust`),
        role.name,
      );
    const trust = policy(`arn:aws:iam::${PROD}:role/petstore-apigw-invoke#trust`);
    assert.equal(trust?.kind, 'trust');
    assert.deepEqual(
      rows.statements.filter((s) => s.policyKey === trust?.key).map((s) => s.servicePrincipals),
      [['apigateway.amazonaws.com']],
    );
  });

  it('has one row for AdministratorAccess (listed by two accounts), AWS managed so account null', () => {
    const admin = rows.policies.filter((p) => p.key === 'arn:aws:iam::aws:policy/AdministratorAccess');
    assert.equal(admin.length, 1);
    assert.equal(admin[0]?.account, null);
    assert.equal(admin[0]?.missing, false);
    assert.equal(rows.statements.filter((s) => s.policyKey === 'arn:aws:iam::aws:policy/AdministratorAccess').length, 1);
  });

  it('emits no account rows; iamAccountRow gives the row for an ingested account', () => {
    assert.deepEqual(rows.accounts, []);
    assert.deepEqual(iamAccountRow(PROD), {
      key: PROD,
      id: PROD,
      name: null,
      ingested: true,
      inOrganization: false,
      organizationId: null,
      isManagement: false,
    });
  });

  it('gives the same rows whatever the page order', () => {
    const ctx2 = newContext();
    const iam = createIamTransform(ctx2);
    for (const account of accountsOf(seedDir()).reverse()) iam.addAccount(account, iamPages(seedDir(), account).reverse());
    iam.finish();
    const rows2 = ctx2.rows.rows();
    for (const kind of Object.keys(rows) as (keyof SnapshotRows)[])
      assert.deepEqual(sorted<unknown>(rows2[kind]), sorted<unknown>(rows[kind]), kind);
    assert.deepEqual(ctx2.report.problems, []);
  });
});

// ---- hand-made inputs --------------------------------------------------------

const ACC = '123456789012';
const FILE = `${ACC}/iam/authorization-details.json`;
const allow = (action: string, resource = '*') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
});
const trustOf = (principal: unknown) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
});

/** A policy document in the fixture: statements are edited freely, as a broken export would have them. */
interface DocumentFixture {
  Version: string;
  Statement: Record<string, unknown>[];
}
interface InlineFixture {
  PolicyName: string;
  PolicyDocument: DocumentFixture;
}
interface AttachedFixture {
  PolicyName: string;
  PolicyArn: string;
}
interface BoundaryFixture {
  PermissionsBoundaryType: string;
  PermissionsBoundaryArn: string;
}
/**
 * One page of `aws iam get-account-authorization-details` as the fixture
 * writes it. What the tests delete is optional (or, for a whole list, deleted
 * through `Partial`); where a test writes a value of the wrong type on
 * purpose, it says so with `as unknown as`.
 */
interface PageFixture {
  UserDetailList: {
    Path: string;
    UserName?: string;
    UserId: string;
    Arn?: string;
    CreateDate?: string;
    UserPolicyList: InlineFixture[];
    GroupList: string[];
    AttachedManagedPolicies: AttachedFixture[];
    Tags: { Key: string; Value: string }[];
    PermissionsBoundary?: BoundaryFixture;
  }[];
  GroupDetailList: {
    Path: string;
    GroupName: string;
    GroupId: string;
    Arn: string;
    GroupPolicyList: InlineFixture[];
    AttachedManagedPolicies: AttachedFixture[];
  }[];
  RoleDetailList: {
    Path: string;
    RoleName: string;
    RoleId: string;
    Arn: string;
    CreateDate: string;
    AssumeRolePolicyDocument?: DocumentFixture;
    RolePolicyList: InlineFixture[];
    AttachedManagedPolicies: AttachedFixture[];
    Tags: { Key: string; Value: string }[];
    RoleLastUsed: object;
    MaxSessionDuration: number;
    InstanceProfileList: unknown[];
  }[];
  Policies: {
    PolicyName: string;
    PolicyId: string;
    Arn: string;
    Path: string;
    DefaultVersionId: string;
    AttachmentCount: number;
    PermissionsBoundaryUsageCount: number;
    IsAttachable: boolean;
    PolicyVersionList: { Document: DocumentFixture; VersionId: string; IsDefaultVersion: boolean }[];
  }[];
  IsTruncated?: boolean;
  Marker?: string;
}

/** A small valid page: user ann (in group devs, inline + managed), group devs, role runner, managed policy Invoke with two versions. */
function page(): PageFixture {
  return {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'ann',
        UserId: 'AIDAANN',
        Arn: `arn:aws:iam::${ACC}:user/ann`,
        CreateDate: '2024-01-01T00:00:00+00:00',
        UserPolicyList: [{ PolicyName: 'Own', PolicyDocument: allow('execute-api:Invoke') }],
        GroupList: ['devs'],
        AttachedManagedPolicies: [{ PolicyName: 'Invoke', PolicyArn: `arn:aws:iam::${ACC}:policy/Invoke` }],
        Tags: [{ Key: 'team', Value: 'a' }],
      },
      {
        Path: '/',
        UserName: 'bo',
        UserId: 'AIDABO',
        Arn: `arn:aws:iam::${ACC}:user/bo`,
        UserPolicyList: [],
        GroupList: [],
        AttachedManagedPolicies: [],
        Tags: [],
      },
    ],
    GroupDetailList: [
      {
        Path: '/',
        GroupName: 'devs',
        GroupId: 'AGPADEVS',
        Arn: `arn:aws:iam::${ACC}:group/devs`,
        GroupPolicyList: [],
        AttachedManagedPolicies: [],
      },
    ],
    RoleDetailList: [
      {
        Path: '/',
        RoleName: 'runner',
        RoleId: 'AROARUNNER',
        Arn: `arn:aws:iam::${ACC}:role/runner`,
        CreateDate: '2024-01-01T00:00:00+00:00',
        AssumeRolePolicyDocument: trustOf({ Service: 'lambda.amazonaws.com' }),
        RolePolicyList: [{ PolicyName: 'Logs', PolicyDocument: allow('logs:PutLogEvents') }],
        AttachedManagedPolicies: [],
        Tags: [],
        RoleLastUsed: {},
        MaxSessionDuration: 7200,
        InstanceProfileList: [],
      },
    ],
    Policies: [
      {
        PolicyName: 'Invoke',
        PolicyId: 'ANPAINVOKE',
        Arn: `arn:aws:iam::${ACC}:policy/Invoke`,
        Path: '/',
        DefaultVersionId: 'v2',
        AttachmentCount: 1,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        PolicyVersionList: [
          { Document: allow('execute-api:Invoke', 'arn:aws:execute-api:*:*:api1/*'), VersionId: 'v2', IsDefaultVersion: true },
          { Document: allow('*'), VersionId: 'v1', IsDefaultVersion: false },
        ],
      },
    ],
  };
}

function run(...pages: unknown[]): { problems: IngestIssue[]; warnings: IngestIssue[]; rows: SnapshotRows } {
  const ctx = newContext();
  const files = pages.map((data, i) => ({ file: pages.length === 1 ? FILE : `${ACC}/iam/authorization-details-${i + 1}.json`, data }));
  transformIam(ctx, [{ account: ACC, pages: files }]);
  return { problems: ctx.report.problems, warnings: ctx.report.warnings, rows: ctx.rows.rows() };
}

/** Exactly one problem, at this file and path, whose message matches. */
function assertOneProblem(result: { problems: IngestIssue[] }, path: string, message: RegExp, file = FILE): void {
  assert.equal(result.problems.length, 1, JSON.stringify(result.problems, null, 2));
  const [p] = result.problems;
  assert.equal(p?.file, file);
  assert.equal(p?.path, path);
  assert.match(p?.message ?? '', message);
}

/** Nothing at all of this owner: its row, its inline policies and statements, its links. */
function assertNothingOf(rows: SnapshotRows, arn: string): void {
  const everything = JSON.stringify([
    rows.users,
    rows.groups,
    rows.roles,
    rows.policies,
    rows.statements,
    rows.memberships,
    rows.policyAttachments,
    rows.boundaries,
    rows.trustPolicies,
  ]);
  assert.ok(!everything.includes(arn), `${arn} must leave no row`);
}

describe('IAM transform: hand-made inputs', () => {
  it('the valid page gives the expected rows and no issue', () => {
    const r = run(page());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.rows.users.map((u) => u.name).sort(), ['ann', 'bo']);
    assert.deepEqual(links(r.rows.memberships), [`arn:aws:iam::${ACC}:user/ann -> arn:aws:iam::${ACC}:group/devs`]);
    assert.equal(r.rows.roles[0]?.maxSessionDuration, 7200);
    const invoke = r.rows.policies.find((p) => p.key === `arn:aws:iam::${ACC}:policy/Invoke`);
    assert.equal(invoke?.versionId, 'v2');
    assert.match(invoke?.document ?? '', /api1/);
    assert.equal(r.rows.policies.length, 4); // Invoke, ann#inline/Own, runner#inline/Logs, runner#trust
  });

  it('a user without Arn: problem at its Arn, and nothing of the user', () => {
    const p = page();
    delete p.UserDetailList[0]!.Arn;
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[0].Arn', /required field is missing/);
    assert.deepEqual(
      r.rows.users.map((u) => u.name),
      ['bo'],
    );
    assert.ok(!r.rows.policies.some((x) => x.name === 'Own'), 'the inline policy of the skipped user is not added');
    assert.deepEqual(r.rows.memberships, []);
    assert.ok(!r.rows.policyAttachments.some((a) => a.from.includes('user/ann')));
  });

  it('a user without UserName is a problem', () => {
    const p = page();
    delete p.UserDetailList[1]!.UserName;
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[1].UserName', /required field is missing/);
    assert.deepEqual(
      r.rows.users.map((u) => u.name),
      ['ann'],
    );
  });

  it('an invalid statement deep inside a role inline policy: problem with the path into the document, nothing of the role', () => {
    const p = page();
    p.RoleDetailList[0]!.RolePolicyList[0]!.PolicyDocument.Statement[0]!.Effect = 'Permit';
    const r = run(p);
    assertOneProblem(r, '$.RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0].Effect', /Effect|Allow|Deny/);
    assertNothingOf(r.rows, `arn:aws:iam::${ACC}:role/runner`);
    assert.equal(r.rows.users.length, 2, 'other entities are still added');
  });

  it('an action string IAM stores but that names no action (comma-joined): kept, with a warning at the file and JSON path; nothing refused', () => {
    const p = page();
    p.UserDetailList[0]!.UserPolicyList[0]!.PolicyDocument.Statement[0]!.Action = [
      'execute-api:Invoke,execute-api:InvalidateCache',
      'execute-api:GET',
    ];
    p.RoleDetailList[0]!.RolePolicyList[0]!.PolicyDocument.Statement[0]!.Action = ' logs:PutLogEvents';
    const r = run(p);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.warnings.map((w) => `${w.file} ${w.path}`),
      [
        `${FILE} $.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Action[0]`,
        `${FILE} $.RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0].Action`,
      ],
    );
    for (const w of r.warnings) assert.match(w.message, /is not an action name .*matches no request/);
    assert.deepEqual(r.rows.users.map((u) => u.name).sort(), ['ann', 'bo'], 'the account is loaded');
    assert.deepEqual(
      r.rows.roles.map((x) => x.name),
      ['runner'],
    );
    const own = r.rows.statements.find((s) => s.policyKey === `arn:aws:iam::${ACC}:user/ann#inline/Own`);
    assert.deepEqual(
      own?.actions,
      ['execute-api:Invoke,execute-api:InvalidateCache', 'execute-api:GET'],
      'the statement is kept as written',
    );
  });

  it('a trust policy statement without Principal: problem at …AssumeRolePolicyDocument.Statement[0].Principal', () => {
    const p = page();
    delete p.RoleDetailList[0]!.AssumeRolePolicyDocument!.Statement[0]!.Principal;
    const r = run(p);
    assertOneProblem(r, '$.RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Principal', /Principal/);
    assertNothingOf(r.rows, `arn:aws:iam::${ACC}:role/runner`);
  });

  it('a role without AssumeRolePolicyDocument is a problem', () => {
    const p = page();
    delete p.RoleDetailList[0]!.AssumeRolePolicyDocument;
    const r = run(p);
    assertOneProblem(r, '$.RoleDetailList[0].AssumeRolePolicyDocument', /required field is missing/);
    assertNothingOf(r.rows, `arn:aws:iam::${ACC}:role/runner`);
  });

  it('a URL-encoded document that is not valid JSON: problem at the PolicyDocument', () => {
    const p = page();
    (p.UserDetailList[0]!.UserPolicyList[0] as unknown as { PolicyDocument: string }).PolicyDocument = '%7B%22Version%22%3A';
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[0].UserPolicyList[0].PolicyDocument', /JSON/);
    assertNothingOf(r.rows, `arn:aws:iam::${ACC}:user/ann`);
  });

  it('a managed policy without a default version: problem, the policy is not added and no placeholder replaces it', () => {
    const p = page();
    p.Policies[0]!.PolicyVersionList[0]!.IsDefaultVersion = false;
    const r = run(p);
    assertOneProblem(r, '$.Policies[0].PolicyVersionList', /no version has IsDefaultVersion: true/);
    assert.ok(!r.rows.policies.some((x) => x.key === `arn:aws:iam::${ACC}:policy/Invoke`));
    assert.deepEqual(r.warnings, []);
  });

  it('DefaultVersionId that disagrees with IsDefaultVersion is a problem', () => {
    const p = page();
    p.Policies[0]!.DefaultVersionId = 'v1';
    const r = run(p);
    assertOneProblem(r, '$.Policies[0].PolicyVersionList[0].VersionId', /DefaultVersionId is v1/);
    assert.ok(!r.rows.policies.some((x) => x.key === `arn:aws:iam::${ACC}:policy/Invoke`));
  });

  it('two default versions are a problem', () => {
    const p = page();
    p.Policies[0]!.PolicyVersionList[1]!.IsDefaultVersion = true;
    const r = run(p);
    assertOneProblem(r, '$.Policies[0].PolicyVersionList[1].IsDefaultVersion', /second default version/);
  });

  it('the default version is found wherever it is in PolicyVersionList', () => {
    const p = page();
    p.Policies[0]!.PolicyVersionList.reverse();
    const r = run(p);
    assert.deepEqual(r.problems, []);
    const invoke = r.rows.policies.find((x) => x.key === `arn:aws:iam::${ACC}:policy/Invoke`);
    assert.equal(invoke?.versionId, 'v2');
    assert.deepEqual(JSON.parse(invoke?.document ?? 'null'), allow('execute-api:Invoke', 'arn:aws:execute-api:*:*:api1/*'));
  });

  it('an invalid non-default version is ignored', () => {
    const p = page();
    (p.Policies[0]!.PolicyVersionList[1] as unknown as { Document: object }).Document = { Statement: 'nonsense' };
    const r = run(p);
    assert.deepEqual(r.problems, []);
  });

  it('an invalid default version document: problem with the path into it', () => {
    const p = page();
    p.Policies[0]!.PolicyVersionList[0]!.Document.Statement[0]!.Principal = '*';
    const r = run(p);
    assertOneProblem(r, '$.Policies[0].PolicyVersionList[0].Document.Statement[0].Principal', /Principal/);
  });

  it('a user ARN of another account: problem at the Arn', () => {
    const p = page();
    p.UserDetailList[1]!.Arn = 'arn:aws:iam::999999999999:user/bo';
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[1].Arn', /belongs to account 999999999999.*123456789012/);
    assert.deepEqual(
      r.rows.users.map((u) => u.name),
      ['ann'],
    );
  });

  it('a customer managed policy of another account in Policies, or attached: problems', () => {
    const p = page();
    p.Policies[0]!.Arn = 'arn:aws:iam::999999999999:policy/Invoke';
    p.UserDetailList[0]!.AttachedManagedPolicies[0]!.PolicyArn = 'arn:aws:iam::999999999999:policy/Invoke';
    const r = run(p);
    assert.deepEqual(r.problems.map((x) => x.path).sort(), [
      '$.Policies[0].Arn',
      '$.UserDetailList[0].AttachedManagedPolicies[0].PolicyArn',
    ]);
    assert.ok(r.problems.every((x) => x.file === FILE && /belongs to account 999999999999/.test(x.message)));
  });

  it('an ARN that does not match the path and name is a problem', () => {
    const p = page();
    p.GroupDetailList[0]!.Path = '/teams/';
    const r = run(p);
    assertOneProblem(r, '$.GroupDetailList[0].Arn', /group\/teams\/devs/);
    assert.deepEqual(r.rows.groups, []);
    // ann names a group that was skipped: a warning, no membership; ann herself is fine.
    assert.deepEqual(r.rows.memberships, []);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]?.path, '$.UserDetailList[0].GroupList[0]');
  });

  it('GroupList that is not a list: problem, nothing of the user', () => {
    const p = page();
    (p.UserDetailList[0] as unknown as { GroupList: string }).GroupList = 'devs';
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[0].GroupList', /expected a list/);
    assertNothingOf(r.rows, `arn:aws:iam::${ACC}:user/ann`);
  });

  it('an unknown group name: a warning naming the place, no membership, the user is added', () => {
    const p = page();
    p.UserDetailList[0]!.GroupList = ['devs', 'ghosts'];
    const r = run(p);
    assert.deepEqual(r.problems, []);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]?.file, FILE);
    assert.equal(r.warnings[0]?.path, '$.UserDetailList[0].GroupList[1]');
    assert.match(r.warnings[0]?.message ?? '', /ghosts.*not in GroupDetailList/);
    assert.deepEqual(links(r.rows.memberships), [`arn:aws:iam::${ACC}:user/ann -> arn:aws:iam::${ACC}:group/devs`]);
  });

  it('memberships resolve against groups of any page', () => {
    const p1 = page();
    const p2 = { UserDetailList: [], GroupDetailList: p1.GroupDetailList, RoleDetailList: [], Policies: [], IsTruncated: false };
    p1.GroupDetailList = [];
    p1.IsTruncated = true;
    p1.Marker = 'm';
    const r = run(p1, p2);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(links(r.rows.memberships), [`arn:aws:iam::${ACC}:user/ann -> arn:aws:iam::${ACC}:group/devs`]);
  });

  it('the same entity in two pages is one row; different content is a problem naming both places', () => {
    const p1 = page();
    const p2 = page();
    p1.IsTruncated = true;
    p1.Marker = 'm';
    const same = run(p1, p2);
    assert.deepEqual(same.problems, [], 'identical copies (overlapping pages) are merged');
    assert.equal(same.rows.users.length, 2);
    assert.equal(same.rows.roles.length, 1);
    p2.UserDetailList[1]!.Tags = [{ Key: 'team', Value: 'b' }];
    const r = run(p1, p2);
    assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
    assert.equal(r.problems[0]?.path, '$.UserDetailList[1]');
    assert.match(
      r.problems[0]?.message ?? '',
      /user arn:aws:iam::123456789012:user\/bo also appears at \S+ \$\.UserDetailList\[1\] with different content \(tags\)/,
    );
  });

  it('a role whose trust policy differs between two copies is refused once, naming both places (not its statements again)', () => {
    const p1 = page();
    const p2 = page();
    p1.IsTruncated = true;
    p1.Marker = 'm';
    const role = p2.RoleDetailList[0];
    role!.AssumeRolePolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] };
    const r = run(p1, p2);
    assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
    assert.match(r.problems[0]?.message ?? '', /#trust also appears at \S+ \$\.RoleDetailList\[0\]\S* with different content \(document\)/);
  });

  it('every page truncated: the last page is missing', () => {
    const p = page();
    p.IsTruncated = true;
    p.Marker = 'abc';
    const r = run(p);
    assertOneProblem(r, '$.IsTruncated', /Marker abc.*missing/);
  });

  it('a page that is not an object, or without its lists', () => {
    assertOneProblem(run([]), '$', /expected an object/);
    const p = page();
    delete (p as Partial<PageFixture>).Policies;
    const r = run(p);
    assertOneProblem(r, '$.Policies', /required list is missing/);
  });

  it('a bad tag is a problem', () => {
    const p = page();
    (p.UserDetailList[0] as unknown as { Tags: object[] }).Tags = [{ Key: 'team', Value: 1 }];
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[0].Tags[0].Value', /expected a string/);
    assertNothingOf(r.rows, `arn:aws:iam::${ACC}:user/ann`);
  });

  it('two inline policies with the same name are a problem', () => {
    const p = page();
    p.UserDetailList[0]!.UserPolicyList.push({ PolicyName: 'Own', PolicyDocument: allow('s3:GetObject') });
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[0].UserPolicyList[1].PolicyName', /second inline policy named Own/);
  });

  it('a boundary that is not a policy ARN is a problem', () => {
    const p = page();
    p.UserDetailList[1]!.PermissionsBoundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'PowerUserAccess' };
    const r = run(p);
    assertOneProblem(r, '$.UserDetailList[1].PermissionsBoundary.PermissionsBoundaryArn', /expected a managed policy ARN/);
    assertNothingOf(r.rows, `arn:aws:iam::${ACC}:user/bo`);
  });

  it('a service-linked role (path /aws-service-role/…) is marked', () => {
    const p = page();
    Object.assign(p.RoleDetailList[0]!, {
      Path: '/aws-service-role/ops.apigateway.amazonaws.com/',
      Arn: `arn:aws:iam::${ACC}:role/aws-service-role/ops.apigateway.amazonaws.com/runner`,
    });
    const r = run(p);
    assert.deepEqual(r.problems, []);
    assert.equal(r.rows.roles[0]?.serviceLinked, true);
  });

  it('a customer managed policy attached but not listed: placeholder with the account, warning naming the group', () => {
    const p = page();
    p.GroupDetailList[0]!.AttachedManagedPolicies = [{ PolicyName: 'Gone', PolicyArn: `arn:aws:iam::${ACC}:policy/Gone` }];
    const r = run(p);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, [
      {
        file: FILE,
        path: '$.GroupDetailList[0].AttachedManagedPolicies[0].PolicyArn',
        message: `arn:aws:iam::${ACC}:policy/Gone is attached to group devs but is not in Policies: what it allows is unknown; answers for members of group devs will be marked uncertain`,
      },
    ]);
    const gone = r.rows.policies.find((x) => x.key === `arn:aws:iam::${ACC}:policy/Gone`);
    assert.equal(gone?.missing, true);
    assert.equal(gone?.account, ACC);
  });
});

describe('IAM transform: missing policies are resolved against the whole snapshot', () => {
  const OTHER = '210987654321';
  const power = 'arn:aws:iam::aws:policy/PowerUserAccess';
  const listing = {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'pat',
        Arn: `arn:aws:iam::${OTHER}:user/pat`,
        AttachedManagedPolicies: [{ PolicyName: 'PowerUserAccess', PolicyArn: power }],
      },
    ],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [
      {
        PolicyName: 'PowerUserAccess',
        Arn: power,
        Path: '/',
        DefaultVersionId: 'v5',
        PolicyVersionList: [
          {
            Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }] },
            VersionId: 'v5',
            IsDefaultVersion: true,
          },
        ],
      },
    ],
  };
  const usingAsBoundary = () => {
    const p = page();
    p.UserDetailList[1]!.PermissionsBoundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: power };
    return p;
  };

  for (const order of ['listed after', 'listed before'] as const) {
    it(`an AWS managed boundary listed by another account (${order}) is not missing`, () => {
      const ctx = newContext();
      const iam = createIamTransform(ctx);
      const a = () => iam.addAccount(ACC, [{ file: FILE, data: usingAsBoundary() }]);
      const b = () => iam.addAccount(OTHER, [{ file: `${OTHER}/iam/authorization-details.json`, data: listing }]);
      if (order === 'listed after') {
        a();
        b();
      } else {
        b();
        a();
      }
      iam.finish();
      assert.deepEqual(ctx.report.problems, []);
      assert.deepEqual(ctx.report.warnings, []);
      const p = ctx.rows.rows().policies.find((x) => x.key === power);
      assert.equal(p?.missing, false);
      assert.equal(p?.versionId, 'v5');
      assert.ok(ctx.rows.rows().boundaries.some((x) => x.from === `arn:aws:iam::${ACC}:user/bo` && x.to === power));
    });
  }

  it('without that account, it is missing, with a warning naming user bo', () => {
    const ctx = newContext();
    transformIam(ctx, [{ account: ACC, pages: [{ file: FILE, data: usingAsBoundary() }] }]);
    assert.equal(ctx.rows.rows().policies.find((x) => x.key === power)?.missing, true);
    assert.equal(ctx.report.warnings.length, 1);
    assert.equal(ctx.report.warnings[0]?.path, '$.UserDetailList[1].PermissionsBoundary.PermissionsBoundaryArn');
    assert.match(
      ctx.report.warnings[0]?.message ?? '',
      /boundary of user bo but is not in Policies.*answers for bo will be marked uncertain/,
    );
  });

  it('refuses an account twice, or after finish', () => {
    const iam = createIamTransform(newContext());
    iam.addAccount(ACC, [{ file: FILE, data: page() }]);
    assert.throws(() => iam.addAccount(ACC, [{ file: FILE, data: page() }]), /added twice/);
    iam.finish();
    assert.throws(() => iam.addAccount(OTHER, []), /after finish/);
    assert.throws(() => iam.finish(), /twice/);
  });

  it('a directory name that is not an account id is a problem', () => {
    const ctx = newContext();
    transformIam(ctx, [{ account: 'prod', pages: [{ file: 'prod/iam/authorization-details.json', data: page() }] }]);
    assert.equal(ctx.report.problems.length, 1);
    assert.equal(ctx.report.problems[0]?.file, 'prod/iam/authorization-details.json');
    assert.equal(ctx.report.problems[0]?.path, '$');
    assert.equal(ctx.rows.rows().users.length, 0);
  });
});

describe('IAM transform: a generated small snapshot', () => {
  let tmp: string;
  let manifest: GeneratedManifest;
  let result: { ctx: TransformContext; rows: SnapshotRows };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-ingest-iam-'));
    // Seed 2: paginated accounts, URL-encoded documents and missing boundary policies.
    manifest = generate({ preset: 'small', seed: 2, out: path.join(tmp, 'snap') });
    result = transformDir(path.join(tmp, 'snap'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('transforms with zero problems, and warns only about missing boundary policies', () => {
    assert.deepEqual(result.ctx.report.problems, []);
    for (const w of result.ctx.report.warnings)
      assert.match(w.message, /is used as the permissions boundary of (user|role) \S+ but is not in Policies/);
  });

  it('has every user, group, role and customer managed policy of the manifest', () => {
    const { rows } = result;
    assert.equal(rows.users.length, manifest.counts.users);
    assert.equal(rows.groups.length, manifest.counts.groups);
    assert.equal(rows.roles.length, manifest.counts.roles);
    assert.equal(rows.policies.filter((p) => p.kind === 'managed' && p.account !== null).length, manifest.counts.customerManagedPolicies);
    assert.equal(rows.trustPolicies.length, manifest.counts.roles);
    assert.equal(rows.boundaries.length, manifest.counts.permissionBoundaries);
    assert.ok(rows.memberships.length > 0);
    assert.ok(
      manifest.counts.urlEncodedDocuments > 0 && manifest.counts.iamPages > manifest.counts.accounts,
      'the snapshot has the quirks',
    );
  });

  it('every missing policy is referenced, and every referenced managed policy has a row', () => {
    const { rows } = result;
    const keys = new Set(rows.policies.map((p) => p.key));
    for (const link of [...rows.policyAttachments, ...rows.boundaries]) assert.ok(keys.has(link.to), link.to);
    const missing = rows.policies.filter((p) => p.missing);
    assert.equal(missing.length > 0, manifest.counts.missingBoundaryPolicies > 0);
    for (const p of missing) assert.ok(rows.boundaries.some((b) => b.to === p.key));
  });
});
