import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDir } from '../../../src/config/paths';
import { generate, type GeneratedManifest } from '../../../src/generate';
import { transformOrganization, type OrganizationFacts } from '../../../src/ingest/organization/transform';
import { IngestReport, type IngestIssue } from '../../../src/ingest/report';
import { RowCollector } from '../../../src/ingest/rowCollector';
import type { SnapshotRows } from '../../../src/model';

const FILE = 'organization.json';

function run(data: unknown): { facts: OrganizationFacts; problems: IngestIssue[]; warnings: IngestIssue[]; rows: SnapshotRows } {
  const report = new IngestReport();
  const rows = new RowCollector(report);
  const facts = transformOrganization({ report, rows }, { file: FILE, data });
  return { facts, problems: report.problems, warnings: report.warnings, rows: rows.rows() };
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

const links = (list: readonly { from: string; to: string }[]) => list.map((l) => `${l.from} -> ${l.to}`).sort();

function assertOneProblem(result: { problems: IngestIssue[] }, path: string, message: RegExp): void {
  assert.equal(result.problems.length, 1, JSON.stringify(result.problems, null, 2));
  assert.equal(result.problems[0]?.file, FILE);
  assert.equal(result.problems[0]?.path, path);
  assert.match(result.problems[0]?.message ?? '', message);
}

describe('organization transform: the seed organization.json', () => {
  const r = run(readJson(path.join(seedDir(), 'organization.json')));

  it('reports nothing and returns the facts', () => {
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.facts, {
      organizationId: 'o-pet5t0re42',
      managementAccountId: '111122223333',
      accountIds: ['111122223333', '222233334444', '333344445555'],
      rootIds: ['r-pe42'],
    });
  });

  it('has the root and the OUs', () => {
    assert.deepEqual(r.rows.orgNodes, [
      { key: 'r-pe42', id: 'r-pe42', kind: 'root', name: 'Root', parentId: null },
      { key: 'ou-pe42-security', id: 'ou-pe42-security', kind: 'ou', name: 'Security', parentId: 'r-pe42' },
      { key: 'ou-pe42-workload', id: 'ou-pe42-workload', kind: 'ou', name: 'Workloads', parentId: 'r-pe42' },
    ]);
  });

  it('has the accounts, in the organization, the management account marked, none ingested yet', () => {
    assert.deepEqual(r.rows.accounts, [
      {
        key: '111122223333',
        id: '111122223333',
        name: 'petstore-management',
        ingested: false,
        inOrganization: true,
        organizationId: 'o-pet5t0re42',
        isManagement: true,
      },
      {
        key: '222233334444',
        id: '222233334444',
        name: 'petstore-identity',
        ingested: false,
        inOrganization: true,
        organizationId: 'o-pet5t0re42',
        isManagement: false,
      },
      {
        key: '333344445555',
        id: '333344445555',
        name: 'petstore-prod',
        ingested: false,
        inOrganization: true,
        organizationId: 'o-pet5t0re42',
        isManagement: false,
      },
    ]);
  });

  it('links every OU and account to its parent', () => {
    assert.deepEqual(links(r.rows.orgParents), [
      '111122223333 -> r-pe42',
      '222233334444 -> ou-pe42-security',
      '333344445555 -> ou-pe42-workload',
      'ou-pe42-security -> r-pe42',
      'ou-pe42-workload -> r-pe42',
    ]);
  });

  it('has the SCPs and RCPs, keyed by policy id, documents decoded from Content', () => {
    assert.deepEqual(
      r.rows.policies.map((p) => [p.key, p.kind, p.name, p.account, p.missing]),
      [
        ['p-FullAWSAccess', 'scp', 'FullAWSAccess', null, false],
        ['p-denyleaveorg', 'scp', 'DenyLeaveOrganization', null, false],
        ['p-denyapidelete', 'scp', 'DenyApiDeleteExceptPlatform', null, false],
        ['p-regionfence', 'scp', 'DenyOutsideApprovedRegions', null, false],
        ['p-RCPFullAWSAccess', 'rcp', 'RCPFullAWSAccess', null, false],
        ['p-rcpperimeter', 'rcp', 'AssumeRoleDataPerimeter', null, false],
      ],
    );
    assert.equal(r.rows.policies[2]?.arn, 'arn:aws:organizations::111122223333:policy/o-pet5t0re42/service_control_policy/p-denyapidelete');
    const deny = r.rows.statements.find((s) => s.policyKey === 'p-denyapidelete');
    assert.equal(deny?.effect, 'Deny');
    assert.deepEqual(deny?.actions, ['apigateway:DELETE']);
    assert.deepEqual(JSON.parse(deny?.condition ?? 'null'), { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/platform-admin' } });
    assert.equal(r.rows.statements.find((s) => s.policyKey === 'p-rcpperimeter')?.principal, '"*"');
  });

  it('attaches each policy to exactly its targets', () => {
    const everywhere = ['r-pe42', 'ou-pe42-security', 'ou-pe42-workload', '111122223333', '222233334444', '333344445555'];
    assert.deepEqual(
      links(r.rows.orgPolicyTargets),
      [
        ...everywhere.map((t) => `p-FullAWSAccess -> ${t}`),
        ...everywhere.map((t) => `p-RCPFullAWSAccess -> ${t}`),
        'p-denyapidelete -> ou-pe42-workload',
        'p-denyleaveorg -> r-pe42',
        'p-rcpperimeter -> ou-pe42-workload',
        'p-regionfence -> r-pe42',
      ].sort(),
    );
  });
});

/**
 * The organization export as the fixture writes it. The tests break it in
 * many ways, so what they delete is optional and a policy's Content may be a
 * JSON string or an object.
 */
interface OrganizationFixture {
  Organization?: { Id: string; MasterAccountId: string };
  ManagementAccountId?: string;
  Roots?: { Id: string; Name: string }[];
  OrganizationalUnits: { Id: string; Name: string; ParentId: string }[];
  Accounts: { Id: string; Name: string; ParentId: string; Status: string }[];
  Policies: { Id: string; Name: string; Type: string; Content?: string | object; Targets: { TargetId: string; Type: string }[] }[];
}

/** A small valid organization: root r-ab12, OU ou-ab12-work under it, OU ou-ab12-prod under that, two accounts, one SCP. */
function org(): OrganizationFixture {
  return {
    Organization: { Id: 'o-abcdef1234', MasterAccountId: '111111111111' },
    ManagementAccountId: '111111111111',
    Roots: [{ Id: 'r-ab12', Name: 'Root' }],
    OrganizationalUnits: [
      // The child before its parent: order in the file does not matter.
      { Id: 'ou-ab12-prod', Name: 'Prod', ParentId: 'ou-ab12-work' },
      { Id: 'ou-ab12-work', Name: 'Work', ParentId: 'r-ab12' },
    ],
    Accounts: [
      { Id: '111111111111', Name: 'mgmt', ParentId: 'r-ab12', Status: 'ACTIVE' },
      { Id: '222222222222', Name: 'app', ParentId: 'ou-ab12-prod', Status: 'ACTIVE' },
    ],
    Policies: [
      {
        Id: 'p-denyall0001',
        Name: 'DenyS3',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }),
        Targets: [
          { TargetId: 'ou-ab12-work', Type: 'ORGANIZATIONAL_UNIT' },
          { TargetId: '222222222222', Type: 'ACCOUNT' },
        ],
      },
    ],
  };
}

describe('organization transform: hand-made inputs', () => {
  it('the valid organization gives the expected rows and no issue', () => {
    const r = run(org());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.facts, {
      organizationId: 'o-abcdef1234',
      managementAccountId: '111111111111',
      accountIds: ['111111111111', '222222222222'],
      rootIds: ['r-ab12'],
    });
    assert.deepEqual(links(r.rows.orgParents), [
      '111111111111 -> r-ab12',
      '222222222222 -> ou-ab12-prod',
      'ou-ab12-prod -> ou-ab12-work',
      'ou-ab12-work -> r-ab12',
    ]);
    assert.deepEqual(links(r.rows.orgPolicyTargets), ['p-denyall0001 -> 222222222222', 'p-denyall0001 -> ou-ab12-work']);
  });

  it('Content may be an object instead of a JSON string', () => {
    const o = org();
    o.Policies[0]!.Content = JSON.parse(o.Policies[0]!.Content as string) as object;
    const r = run(o);
    assert.deepEqual(r.problems, []);
    assert.equal(r.rows.policies.length, 1);
  });

  it('an OU with an unknown parent: problem at its ParentId; it and everything under it are skipped', () => {
    const o = org();
    o.OrganizationalUnits[1]!.ParentId = 'r-zz99';
    const r = run(o);
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.path]),
      [
        [FILE, '$.OrganizationalUnits[0].ParentId'],
        [FILE, '$.OrganizationalUnits[1].ParentId'],
        [FILE, '$.Accounts[1].ParentId'],
        [FILE, '$.Policies[0].Targets[0].TargetId'],
        [FILE, '$.Policies[0].Targets[1].TargetId'],
      ],
    );
    assert.match(r.problems[1]?.message ?? '', /unknown parent r-zz99/);
    assert.match(r.problems[0]?.message ?? '', /parent ou-ab12-work is not placed/);
    assert.deepEqual(
      r.rows.orgNodes.map((n) => n.id),
      ['r-ab12'],
    );
    assert.deepEqual(
      r.rows.accounts.map((a) => a.id),
      ['111111111111'],
    );
    assert.deepEqual(r.rows.policies, [], 'a policy with a bad target is skipped');
    assert.deepEqual(r.rows.orgPolicyTargets, []);
  });

  it('OUs whose parents form a cycle are problems', () => {
    const o = org();
    o.OrganizationalUnits[1]!.ParentId = 'ou-ab12-prod';
    const r = run(o);
    assert.deepEqual(
      r.problems.slice(0, 2).map((p) => p.path),
      ['$.OrganizationalUnits[0].ParentId', '$.OrganizationalUnits[1].ParentId'],
    );
    assert.ok(r.problems.slice(0, 2).every((p) => /cycle/.test(p.message)));
  });

  it('an account with an unknown parent, or a bad id', () => {
    const o = org();
    o.Accounts[1]!.ParentId = 'ou-ab12-nope';
    o.Accounts[0]!.Id = '1111';
    const r = run(o);
    assert.deepEqual(
      r.problems.map((p) => p.path),
      ['$.Accounts[0].Id', '$.Accounts[1].ParentId', '$.ManagementAccountId', '$.Policies[0].Targets[1].TargetId'],
    );
    assert.match(r.problems[1]?.message ?? '', /unknown parent ou-ab12-nope/);
    assert.match(r.problems[2]?.message ?? '', /management account 111111111111 is not in Accounts/);
    assert.deepEqual(r.rows.accounts, []);
  });

  it('a target that names an unknown node: problem at its TargetId, the policy is skipped', () => {
    const o = org();
    o.Policies[0]!.Targets[1]!.TargetId = '999999999999';
    const r = run(o);
    assertOneProblem(r, '$.Policies[0].Targets[1].TargetId', /unknown target 999999999999/);
    assert.deepEqual(r.rows.policies, []);
    assert.deepEqual(r.rows.statements, []);
    assert.deepEqual(r.rows.orgPolicyTargets, []);
  });

  it('a target whose Type disagrees with the node is a problem', () => {
    const o = org();
    o.Policies[0]!.Targets[0]!.Type = 'ACCOUNT';
    assertOneProblem(run(o), '$.Policies[0].Targets[0].Type', /is an OU, but the target says "ACCOUNT"/);
  });

  it('an unknown policy type is a problem', () => {
    const o = org();
    o.Policies[0]!.Type = 'SERVICE_CONTROL';
    const r = run(o);
    assertOneProblem(r, '$.Policies[0].Type', /unknown policy type "SERVICE_CONTROL"/);
    assert.deepEqual(r.rows.policies, []);
  });

  it('a known non-authorization policy type (TAG_POLICY) is ignored with a warning', () => {
    const o = org();
    o.Policies[0]!.Type = 'TAG_POLICY';
    o.Policies[0]!.Content = '{"tags":{}}';
    const r = run(o);
    assert.deepEqual(r.problems, []);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]?.path, '$.Policies[0].Type');
    assert.deepEqual(r.rows.policies, []);
  });

  it('an invalid statement deep in Content: problem with the path into the document', () => {
    const o = org();
    o.Policies[0]!.Content = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
    });
    const r = run(o);
    assertOneProblem(r, '$.Policies[0].Content.Statement[0].Principal', /scp policy cannot have Principal/);
    assert.deepEqual(r.rows.policies, []);
    assert.deepEqual(r.rows.orgPolicyTargets, []);
  });

  it('a policy without Content is a problem', () => {
    const o = org();
    delete o.Policies[0]!.Content;
    assertOneProblem(run(o), '$.Policies[0].Content', /required field is missing/);
  });

  it('ManagementAccountId that disagrees with Organization.MasterAccountId is a problem', () => {
    const o = org();
    o.ManagementAccountId = '222222222222';
    const r = run(o);
    assertOneProblem(r, '$.ManagementAccountId', /differs from Organization.MasterAccountId 111111111111/);
    assert.equal(r.facts.managementAccountId, null);
    assert.ok(r.rows.accounts.every((a) => !a.isManagement));
  });

  it('the management account may come from Organization.MasterAccountId alone', () => {
    const o = org();
    delete o.ManagementAccountId;
    const r = run(o);
    assert.deepEqual(r.problems, []);
    assert.equal(r.facts.managementAccountId, '111111111111');
    assert.equal(r.rows.accounts.find((a) => a.id === '111111111111')?.isManagement, true);
  });

  it('without Organization there is no organization id: a problem', () => {
    const o = org();
    delete o.Organization;
    const r = run(o);
    assertOneProblem(r, '$.Organization', /required field is missing/);
    assert.equal(r.facts.organizationId, null);
  });

  it('a file that is not an object, or without Roots', () => {
    assertOneProblem(run([]), '$', /expected an object/);
    const o = org();
    delete o.Roots;
    const r = run(o);
    assert.equal(r.problems[0]?.path, '$.Roots');
    assert.match(r.problems[0]?.message ?? '', /required list is missing/);
  });
});

describe('organization transform: a generated small snapshot', () => {
  let tmp: string;
  let manifest: GeneratedManifest;
  let r: ReturnType<typeof run>;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-ingest-org-'));
    manifest = generate({ preset: 'small', seed: 2, out: path.join(tmp, 'snap') });
    r = run(readJson(path.join(tmp, 'snap', 'organization.json')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('transforms with zero problems and gives the manifest facts', () => {
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.facts.organizationId, manifest.organizationId);
    assert.equal(r.facts.managementAccountId, manifest.managementAccountId);
    assert.deepEqual([...r.facts.accountIds].sort(), manifest.accounts.map((a) => a.id).sort());
    assert.equal(r.rows.orgNodes.filter((n) => n.kind === 'ou').length, manifest.counts.organizationalUnits);
    assert.equal(r.rows.policies.filter((p) => p.kind === 'scp').length, manifest.counts.serviceControlPolicies);
    assert.equal(r.rows.policies.filter((p) => p.kind === 'rcp').length, manifest.counts.resourceControlPolicies);
  });
});
