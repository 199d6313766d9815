/**
 * The IAM output of one account (its pages of `get-account-authorization-details`):
 * groups first (users name them), then users, roles and managed policies,
 * each user, group or role all or nothing (./staging.ts). The references to
 * managed policies go to the snapshot's ledger (./transform.ts).
 */
import { parseArn } from '../../policy';
import type { GroupRow, OwnerLabel, RoleRow, UserRow } from '../../model';
import { addPolicyDocument } from '../policyRows';
import { describe, JsonReader } from '../reader';
import type { JsonFile, TransformContext } from '../transformContext';
import { checkPolicyArn, transformManagedPolicy } from './managedPolicy';
import type { EntityKind, ManagedPolicyLedger, PolicyReference } from './policyReferences';
import { allOrNothing } from './staging';
import { readTags } from './tags';

interface EntityOutcome {
  name: string;
  arn: string;
  references: PolicyReference[];
}

export class AccountTransform {
  /** Group name → ARN, for the groups added (all pages). */
  private readonly groups = new Map<string, string>();
  /** Group names that are in GroupDetailList but were rejected for problems. */
  private readonly rejectedGroups = new Set<string>();
  /** Name → ARN and where, per entity kind: one name, one entity per account. */
  private readonly names: Record<EntityKind, Map<string, { arn: string; where: string }>> = {
    user: new Map(),
    group: new Map(),
    role: new Map(),
  };

  constructor(
    private readonly ctx: TransformContext,
    private readonly account: string,
    private readonly files: readonly JsonFile[],
    private readonly ledger: ManagedPolicyLedger,
  ) {}

  run(): void {
    const pages: JsonReader[] = [];
    for (const file of this.files) {
      const page = new JsonReader(this.ctx.report, file.file, file.data);
      if (page.expectObject()) pages.push(page);
    }
    this.checkPagination(pages);
    const lists = pages.map((page) => ({
      users: page.list('UserDetailList'),
      groups: page.list('GroupDetailList'),
      roles: page.list('RoleDetailList'),
      policies: page.list('Policies'),
    }));
    // Groups first: users name their groups, and attached group may be in another page.
    for (const list of lists) for (const item of list.groups) this.entity('group', item, (staging, entry) => this.group(staging, entry));
    for (const list of lists) for (const item of list.users) this.entity('user', item, (staging, entry) => this.user(staging, entry));
    for (const list of lists) for (const item of list.roles) this.entity('role', item, (staging, entry) => this.role(staging, entry));
    for (const list of lists) for (const item of list.policies) transformManagedPolicy(this.ctx, this.account, item, this.ledger);
  }

  /** Some page must end the output: when every page says IsTruncated, the rest of the output is not in the snapshot. */
  private checkPagination(pages: readonly JsonReader[]): void {
    const flags = pages.map((page) => ({ page, truncated: page.optBool('IsTruncated') }));
    const last = flags[flags.length - 1];
    if (last && flags.every((flag) => flag.truncated === true)) {
      const marker = last.page.optStr('Marker');
      last.page
        .at('IsTruncated')
        .problem(
          `every page of account ${this.account} has IsTruncated: true: the page after this one${marker ? ` (Marker ${marker})` : ''} is missing, so users, groups, roles or policies are missing`,
        );
    }
  }

  /** One user, group or role, all or nothing. */
  private entity(
    kind: EntityKind,
    reader: JsonReader,
    build: (staging: TransformContext, entry: JsonReader) => EntityOutcome | undefined,
  ): void {
    const result = allOrNothing(this.ctx, (staging) => {
      const entry = new JsonReader(staging.report, reader.file, reader.value, reader.path);
      if (!entry.expectObject()) return undefined;
      return build(staging, entry);
    });
    if (kind === 'group') {
      const name = groupNameOf(reader.value);
      if (result.ok && result.value) this.groups.set(result.value.name, result.value.arn);
      else if (name !== undefined && !this.groups.has(name)) this.rejectedGroups.add(name);
    }
    if (result.ok && result.value) this.ledger.referenced(result.value.references);
  }

  private group(staging: TransformContext, entry: JsonReader): EntityOutcome | undefined {
    const base = this.base(entry, 'group', 'GroupName', 'GroupId');
    if (!base) return undefined;
    const references: PolicyReference[] = [];
    this.inlinePolicies(staging, entry, 'GroupPolicyList', base.arn, 'Group');
    this.attachments(staging, entry, base, 'group', 'Group', references);
    if (staging.report.problems.length > 0) return undefined;
    const row: GroupRow = base;
    staging.rows.add('groups', row, { file: entry.file, path: entry.path });
    return { name: base.name, arn: base.arn, references };
  }

  private user(staging: TransformContext, entry: JsonReader): EntityOutcome | undefined {
    const base = this.base(entry, 'user', 'UserName', 'UserId');
    const tags = readTags(entry);
    if (!base) return undefined;
    const references: PolicyReference[] = [];
    const memberships: string[] = [];
    entry.optList('GroupList').forEach((groupName) => {
      if (typeof groupName.value !== 'string' || groupName.value === '') {
        groupName.problem(`expected attached group name, got ${describe(groupName.value)}`);
        return;
      }
      const groupArn = this.groups.get(groupName.value);
      if (groupArn !== undefined) memberships.push(groupArn);
      else if (this.rejectedGroups.has(groupName.value))
        groupName.warn(`user ${base.name} is in group ${groupName.value}, which was skipped for its problems: membership ignored`);
      else
        groupName.warn(
          `user ${base.name} is in group ${groupName.value}, which is not in GroupDetailList of account ${this.account}: membership ignored`,
        );
    });
    this.inlinePolicies(staging, entry, 'UserPolicyList', base.arn, 'User');
    this.attachments(staging, entry, base, 'user', 'User', references);
    this.boundary(staging, entry, base, 'user', 'User', references);
    if (staging.report.problems.length > 0 || tags === undefined) return undefined;
    const where = { file: entry.file, path: entry.path };
    const row: UserRow = { ...base, tags };
    staging.rows.add('users', row, where);
    for (const groupArn of memberships)
      staging.rows.add('memberships', { from: base.arn, to: groupArn }, { file: entry.file, path: `${entry.path}.GroupList` });
    return { name: base.name, arn: base.arn, references };
  }

  private role(staging: TransformContext, entry: JsonReader): EntityOutcome | undefined {
    const base = this.base(entry, 'role', 'RoleName', 'RoleId');
    const tags = readTags(entry);
    const maxSessionDuration = entry.optNumber('MaxSessionDuration');
    if (!base) return undefined;
    const references: PolicyReference[] = [];
    const trustKey = `${base.arn}#trust`;
    const trust = entry.at('AssumeRolePolicyDocument');
    if (trust.value === undefined || trust.value === null) trust.problem('required field is missing: every role has attached trust policy');
    else if (
      addPolicyDocument(staging, trust, { key: trustKey, kind: 'trust', name: null, arn: null, account: this.account, versionId: null })
    ) {
      staging.rows.add('trustPolicies', { from: base.arn, to: trustKey }, { file: trust.file, path: trust.path });
    }
    this.inlinePolicies(staging, entry, 'RolePolicyList', base.arn, 'Role');
    this.attachments(staging, entry, base, 'role', 'Role', references);
    this.boundary(staging, entry, base, 'role', 'Role', references);
    if (staging.report.problems.length > 0 || tags === undefined) return undefined;
    const row: RoleRow = { ...base, tags, maxSessionDuration, serviceLinked: base.path.startsWith('/aws-service-role/') };
    staging.rows.add('roles', row, { file: entry.file, path: entry.path });
    return { name: base.name, arn: base.arn, references };
  }

  /** The fields every IAM entity has; checks that the ARN is this account's and matches the path and name. */
  private base(entry: JsonReader, kind: EntityKind, nameField: string, idField: string): GroupRow | undefined {
    const name = entry.str(nameField);
    const arn = entry.str('Arn');
    const path = entry.str('Path');
    const uniqueId = entry.optStr(idField);
    const createDate = entry.optStr('CreateDate');
    if (path !== undefined && !(path.startsWith('/') && path.endsWith('/')))
      entry.at('Path').problem(`expected attached path that starts and ends with "/", got ${JSON.stringify(path)}`);
    if (name === undefined || arn === undefined || path === undefined) return undefined;
    if (!this.checkEntityArn(entry.at('Arn'), arn, kind, path, name)) return undefined;
    const seen = this.names[kind].get(name);
    const where = `${entry.file} ${entry.path}`;
    if (seen && seen.arn !== arn) {
      entry.at(nameField).problem(`${kind} name ${name} is also used by ${seen.arn} at ${seen.where}: names are unique in an account`);
      return undefined;
    }
    if (!seen) this.names[kind].set(name, { arn, where });
    return { key: arn, arn, name, uniqueId, path, account: this.account, createDate };
  }

  private checkEntityArn(arnEntry: JsonReader, arn: string, kind: EntityKind, path: string, name: string): boolean {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'iam') {
      arnEntry.problem(`expected an IAM ${kind} ARN (arn:aws:iam::${this.account}:${kind}${path}${name}), got ${JSON.stringify(arn)}`);
      return false;
    }
    if (parsed.account !== this.account) {
      arnEntry.problem(
        `${arn} belongs to account ${parsed.account || '(none)'}, but this file is in the directory of account ${this.account}`,
      );
      return false;
    }
    const expected = `${kind}${path}${name}`;
    if (parsed.resource !== expected) {
      arnEntry.problem(`${arn} does not match the ${kind}'s Path and name: expected the resource part ${expected}`);
      return false;
    }
    return true;
  }

  /** Inline policies: `<owner ARN>#inline/<name>`, attached with attachment 'inline'. */
  private inlinePolicies(staging: TransformContext, entry: JsonReader, field: string, ownerArn: string, ownerLabel: OwnerLabel): void {
    const seen = new Set<string>();
    for (const inline of entry.optList(field)) {
      if (!inline.expectObject()) continue;
      const name = inline.str('PolicyName');
      const document = inline.at('PolicyDocument');
      if (document.value === undefined || document.value === null) document.problem('required field is missing');
      if (name === undefined || document.value === undefined || document.value === null) continue;
      if (seen.has(name)) {
        inline
          .at('PolicyName')
          .problem(`attached second inline policy named ${name}: inline policy names are unique per ${ownerLabel.toLowerCase()}`);
        continue;
      }
      seen.add(name);
      const key = `${ownerArn}#inline/${name}`;
      if (addPolicyDocument(staging, document, { key, kind: 'inline', name, arn: null, account: this.account, versionId: null })) {
        staging.rows.add(
          'policyAttachments',
          { from: ownerArn, to: key, attachment: 'inline', ownerLabel },
          { file: inline.file, path: inline.path },
        );
      }
    }
  }

  /** AttachedManagedPolicies: links to the policy ARN (the policy itself comes from Policies, or is missing). */
  private attachments(
    staging: TransformContext,
    entry: JsonReader,
    owner: { arn: string; name: string },
    ownerKind: EntityKind,
    ownerLabel: OwnerLabel,
    references: PolicyReference[],
  ): void {
    for (const attached of entry.optList('AttachedManagedPolicies')) {
      if (!attached.expectObject()) continue;
      attached.optStr('PolicyName');
      const arn = attached.str('PolicyArn');
      if (arn === undefined || !checkPolicyArn(attached.at('PolicyArn'), arn, this.account)) continue;
      staging.rows.add(
        'policyAttachments',
        { from: owner.arn, to: arn, attachment: 'managed', ownerLabel },
        { file: attached.file, path: attached.path },
      );
      references.push({
        policyArn: arn,
        ownerKind,
        ownerName: owner.name,
        relation: 'attachment',
        file: attached.file,
        path: `${attached.path}.PolicyArn`,
      });
    }
  }

  private boundary(
    staging: TransformContext,
    entry: JsonReader,
    owner: { arn: string; name: string },
    ownerKind: EntityKind,
    ownerLabel: 'User' | 'Role',
    references: PolicyReference[],
  ): void {
    const boundaryEntry = entry.at('PermissionsBoundary');
    if (boundaryEntry.value === undefined || boundaryEntry.value === null) return;
    if (!boundaryEntry.expectObject()) return;
    boundaryEntry.optStr('PermissionsBoundaryType');
    const arn = boundaryEntry.str('PermissionsBoundaryArn');
    if (arn === undefined || !checkPolicyArn(boundaryEntry.at('PermissionsBoundaryArn'), arn, this.account)) return;
    staging.rows.add('boundaries', { from: owner.arn, to: arn, ownerLabel }, { file: boundaryEntry.file, path: boundaryEntry.path });
    references.push({
      policyArn: arn,
      ownerKind,
      ownerName: owner.name,
      relation: 'boundary',
      file: boundaryEntry.file,
      path: `${boundaryEntry.path}.PermissionsBoundaryArn`,
    });
  }
}

function groupNameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as Record<string, unknown>)['GroupName'];
  return typeof name === 'string' ? name : undefined;
}
