/**
 * One account's `aws iam get-account-authorization-details` output: users,
 * groups, roles and the managed policies in use, with policy documents as the
 * CLI prints them (decoded objects; a few left URL-encoded as the raw API sends them).
 */
import { awsManagedArn, AWS_MANAGED } from './awsManaged';
import { PolicyFactory, trustDocument, type PolicyDocument, type Json } from './policies';
import { iamUniqueId, isoDate, TEAMS } from './names';
import type { AccountPlan, Plan } from './planTypes';
import type { Rng } from './prng';

export interface IamCounts {
  users: number;
  groups: number;
  roles: number;
  customerManagedPolicies: number;
  awsManagedPolicies: number;
  policyVersions: number;
  inlinePolicies: number;
  permissionBoundaries: number;
  missingBoundaryPolicies: number;
  urlEncodedDocuments: number;
  iamPages: number;
}

interface Attached {
  PolicyName: string;
  PolicyArn: string;
}
type Doc = PolicyDocument | string;

export interface AuthorizationDetailsPage {
  UserDetailList: unknown[];
  GroupDetailList: unknown[];
  RoleDetailList: unknown[];
  Policies: unknown[];
  IsTruncated?: boolean;
  Marker?: string;
}

/** Builds the account's authorization details; returns the pages to write and what they hold. */
export function buildIam(plan: Plan, account: AccountPlan, rng: Rng): { pages: AuthorizationDetailsPage[]; counts: IamCounts } {
  const factory = new PolicyFactory(plan, account, rng);
  const counts: IamCounts = {
    users: 0,
    groups: 0,
    roles: 0,
    customerManagedPolicies: 0,
    awsManagedPolicies: 0,
    policyVersions: 0,
    inlinePolicies: 0,
    permissionBoundaries: 0,
    missingBoundaryPolicies: 0,
    urlEncodedDocuments: 0,
    iamPages: 0,
  };
  const attachCount = new Map<string, number>();
  const boundaryCount = new Map<string, number>();
  const boundaryPolicies = account.policies.filter((p) => p.template === 'boundary').map((p) => p.arn);
  const nonBoundary = account.policies.filter((p) => p.template !== 'boundary').map((p) => p.arn);

  const encodeSome = (d: PolicyDocument): Doc => {
    if (rng.chance(0.01)) {
      counts.urlEncodedDocuments++;
      return encodeURIComponent(JSON.stringify(d));
    }
    return d;
  };
  const attach = (arns: readonly string[]): Attached[] =>
    arns.map((arn) => {
      attachCount.set(arn, (attachCount.get(arn) ?? 0) + 1);
      return { PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn };
    });
  const pickManaged = (k: number): string[] => (nonBoundary.length === 0 ? [] : rng.sample(nonBoundary, k));
  const boundary = (p: number): { PermissionsBoundaryType: string; PermissionsBoundaryArn: string } | undefined => {
    if (!rng.chance(p)) return undefined;
    // Mostly a customer managed boundary; sometimes an AWS managed one used only as a boundary, which IAM leaves out of Policies.
    const arn = boundaryPolicies.length > 0 && rng.chance(0.75) ? rng.pick(boundaryPolicies) : awsManagedArn('PowerUserAccess');
    boundaryCount.set(arn, (boundaryCount.get(arn) ?? 0) + 1);
    counts.permissionBoundaries++;
    return { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn };
  };
  const inline = (name: string, d: PolicyDocument) => {
    counts.inlinePolicies++;
    return { PolicyName: name, PolicyDocument: encodeSome(d) };
  };

  const users = account.users.map((u) => {
    const managed: string[] = [];
    if (rng.chance(0.3)) managed.push(...pickManaged(rng.range(1, 2)));
    if (rng.chance(0.004) || (account.kind === 'management' && rng.chance(0.2))) managed.push(awsManagedArn('AdministratorAccess'));
    else if (rng.chance(0.01))
      managed.push(
        awsManagedArn(rng.pick(['ReadOnlyAccess', 'AmazonAPIGatewayInvokeFullAccess', 'AmazonAPIGatewayAdministrator', 'PowerUserAccess'])),
      );
    const policies: unknown[] = [];
    if (rng.chance(0.2)) {
      const tpl = rng.pick(['invoke', 'invoke', 'manage', 'lambda', 'deny'] as const);
      policies.push(inline(`${u.name.split('.')[0]}-${tpl}`, factory.document(tpl)));
    }
    if (u.assumes.length > 0) policies.push(inline('AssumeChainRoles', factory.assumeDocument(u.assumes)));
    const out: Record<string, unknown> = {
      Path: '/',
      UserName: u.name,
      UserId: iamUniqueId(rng, 'AIDA'),
      Arn: u.arn,
      CreateDate: isoDate(rng),
      UserPolicyList: policies,
      GroupList: u.groups,
      AttachedManagedPolicies: attach(managed),
    };
    const b = boundary(0.08);
    if (b) out.PermissionsBoundary = b;
    const tags = [{ Key: 'team', Value: u.team }];
    if (rng.chance(0.3)) tags.push({ Key: 'cost-center', Value: `cc-${rng.range(1000, 9999)}` });
    if (rng.chance(0.1)) tags.push({ Key: 'access-level', Value: rng.pick(['standard', 'elevated', 'contractor']) });
    out.Tags = tags;
    counts.users++;
    return out;
  });

  const groups = account.groups.map((g) => {
    const policies: unknown[] = [];
    if (rng.chance(0.3)) {
      const tpl = rng.pick(['invoke', 'deny', 'manage'] as const);
      policies.push(inline(`${g.name}-${tpl}`, factory.document(tpl)));
    }
    if (g.assumes.length > 0) policies.push(inline('AssumeChainRoles', factory.assumeDocument(g.assumes)));
    const managed = pickManaged(rng.range(1, 3));
    if (g.name.endsWith('-admins') && rng.chance(0.3)) managed.push(awsManagedArn('AdministratorAccess'));
    counts.groups++;
    return {
      Path: '/',
      GroupName: g.name,
      GroupId: iamUniqueId(rng, 'AGPA'),
      Arn: g.arn,
      CreateDate: isoDate(rng),
      GroupPolicyList: policies,
      AttachedManagedPolicies: attach(managed),
    };
  });

  const roles = account.roles.map((r) => {
    const managed: string[] = [];
    const policies: unknown[] = [];
    switch (r.kind) {
      case 'orgaccess':
      case 'admin':
        managed.push(awsManagedArn('AdministratorAccess'));
        break;
      case 'integration': {
        const fns =
          account.functions.length > 0
            ? rng.sample(account.functions, rng.range(1, 4)).map((f) => f.arn)
            : [`arn:aws:lambda:*:${account.id}:function:*`];
        if (rng.chance(0.3)) fns.push(`arn:aws:lambda:${rng.pick(plan.preset.regions)}:${account.id}:function:${rng.pick(TEAMS)}-*`);
        policies.push(
          inline('InvokeBackends', {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fns }],
          }),
        );
        if (rng.chance(0.3)) managed.push(awsManagedArn('AmazonAPIGatewayPushToCloudWatchLogs'));
        break;
      }
      case 'lambda':
        managed.push(awsManagedArn('AWSLambdaBasicExecutionRole'));
        if (rng.chance(0.5)) policies.push(inline('DataAccess', factory.document('misc')));
        if (rng.chance(0.15)) policies.push(inline('CallOtherApis', factory.document('invoke')));
        break;
      case 'ec2':
        if (rng.chance(0.5)) policies.push(inline('CallApis', factory.document('invoke')));
        break;
      case 'partner':
        policies.push(inline('PartnerAccess', factory.document('invoke')));
        break;
      default:
        managed.push(...pickManaged(rng.range(1, 3)));
        if (rng.chance(0.25)) {
          const tpl = rng.pick(['invoke', 'manage', 'passrole', 'deny'] as const);
          policies.push(inline(`${r.team}-${tpl}`, factory.document(tpl)));
        }
    }
    if (r.assumes.length > 0) policies.push(inline('AssumeNextHop', factory.assumeDocument(r.assumes)));
    const out: Record<string, unknown> = {
      Path: '/',
      RoleName: r.name,
      RoleId: iamUniqueId(rng, 'AROA'),
      Arn: r.arn,
      CreateDate: isoDate(rng),
      AssumeRolePolicyDocument: trustDocument(r.trust),
      InstanceProfileList: [] as unknown[],
      RolePolicyList: policies,
      AttachedManagedPolicies: attach(managed),
    };
    if (r.kind === 'ec2') {
      out.InstanceProfileList = [
        {
          Path: '/',
          InstanceProfileName: r.name,
          InstanceProfileId: `AIPA${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17)}`,
          Arn: `arn:aws:iam::${account.id}:instance-profile/${r.name}`,
          CreateDate: out.CreateDate,
          Roles: [] as unknown[],
        },
      ];
    }
    const b = r.kind === 'human' ? boundary(0.06) : undefined;
    if (b) out.PermissionsBoundary = b;
    out.Tags = [{ Key: 'team', Value: r.team }];
    out.RoleLastUsed = rng.chance(0.8) ? { LastUsedDate: isoDate(rng, 2026, 2026), Region: rng.pick(plan.preset.regions) } : {};
    counts.roles++;
    return out;
  });

  const policies: unknown[] = [];
  for (const p of account.policies) {
    const created = isoDate(rng, 2019, 2023);
    const nVersions = rng.chance(0.15) ? rng.range(2, 4) : 1;
    const defaultVersion = nVersions;
    const versions: { Document: Doc; VersionId: string; IsDefaultVersion: boolean; CreateDate: string }[] = [];
    for (let v = nVersions; v >= 1; v--) {
      versions.push({
        Document: factory.document(p.template),
        VersionId: `v${v}`,
        IsDefaultVersion: v === defaultVersion,
        CreateDate: v === defaultVersion ? isoDate(rng, 2024, 2026) : created,
      });
    }
    counts.policyVersions += nVersions;
    counts.customerManagedPolicies++;
    policies.push({
      PolicyName: p.name,
      PolicyId: iamUniqueId(rng, 'ANPA'),
      Arn: p.arn,
      Path: '/',
      DefaultVersionId: `v${defaultVersion}`,
      AttachmentCount: attachCount.get(p.arn) ?? 0,
      PermissionsBoundaryUsageCount: boundaryCount.get(p.arn) ?? 0,
      IsAttachable: true,
      CreateDate: created,
      UpdateDate: (versions[0] as { CreateDate: string }).CreateDate,
      PolicyVersionList: versions,
    });
  }
  // AWS managed policies appear only when attached somewhere in the account (a boundary alone does not count).
  for (const [name, p] of Object.entries(AWS_MANAGED)) {
    const arn = awsManagedArn(name);
    const attached = attachCount.get(arn) ?? 0;
    if (attached === 0) {
      if ((boundaryCount.get(arn) ?? 0) > 0) counts.missingBoundaryPolicies++;
      continue;
    }
    counts.awsManagedPolicies++;
    counts.policyVersions++;
    policies.push({
      PolicyName: name,
      PolicyId: p.id,
      Arn: arn,
      Path: p.path,
      DefaultVersionId: p.version,
      AttachmentCount: attached,
      PermissionsBoundaryUsageCount: boundaryCount.get(arn) ?? 0,
      IsAttachable: true,
      Description: p.description,
      CreateDate: '2015-02-06T18:39:46+00:00',
      UpdateDate: '2024-01-10T12:00:00+00:00',
      PolicyVersionList: [
        { Document: p.document as unknown as Json, VersionId: p.version, IsDefaultVersion: true, CreateDate: '2024-01-10T12:00:00+00:00' },
      ],
    });
  }

  const pages = paginate(
    { UserDetailList: users, GroupDetailList: groups, RoleDetailList: roles, Policies: policies },
    account.iamPages,
    rng,
  );
  counts.iamPages = pages.length;
  return { pages, counts };
}

/** Splits the entity lists into pages the way --max-items would: every page has all four lists, all but the last a Marker. */
function paginate(all: AuthorizationDetailsPage, pages: number, rng: Rng): AuthorizationDetailsPage[] {
  if (pages <= 1) return [all];
  const keys = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;
  const flat: [(typeof keys)[number], unknown][] = [];
  for (const k of keys) for (const item of all[k]) flat.push([k, item]);
  const size = Math.ceil(flat.length / pages);
  const out: AuthorizationDetailsPage[] = [];
  for (let p = 0; p < pages; p++) {
    const page: AuthorizationDetailsPage = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const [k, item] of flat.slice(p * size, (p + 1) * size)) page[k].push(item);
    const last = p === pages - 1;
    page.IsTruncated = !last;
    if (!last) page.Marker = Buffer.from(`whocan-generate:${rng.chars('abcdef0123456789', 24)}`).toString('base64');
    out.push(page);
  }
  return out;
}
