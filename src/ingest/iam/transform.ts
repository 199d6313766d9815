/**
 * IAM: `aws iam get-account-authorization-details` output (one file, or the
 * same output in pages) → user, group, role and policy rows and their links.
 * Pure: parsed JSON in, rows and report entries out (see docs/generator.md
 * for the layout and seed/README.md for the input quirks handled here).
 *
 * Usage, once per snapshot:
 *
 *     const iam = createIamTransform(ctx);
 *     for (const { account, pages } of accountsWithIamFiles) iam.addAccount(account, pages);
 *     iam.finish();
 *
 * `finish` runs after every account because an AWS managed policy is listed
 * in an account's `Policies` only where it is attached: a policy that account
 * A uses only as a permissions boundary may be listed by account B. Only when
 * no account listed a referenced managed policy does `finish` add a `missing`
 * placeholder for it (what it allows is unknown, never "everything") and warn
 * at every place that refers to it.
 *
 * All or nothing per entity: a user, group, role or managed policy with any
 * problem (a missing field, an ARN of another account, an invalid document
 * deep inside an inline policy…) adds no row at all; every problem names the
 * file and the JSON path.
 *
 * Account rows are not emitted here: `iamAccountRow` gives the row for an
 * account that has IAM files, for the caller to merge with what the
 * organization transform knows.
 */
import { parseArn } from '../../policy';
import type { AccountRow, OwnerLabel, RoleRow, UserRow, GroupRow } from '../../model';
import { addMissingPolicy, addPolicyDocument } from '../policyRows';
import { describe, JsonReader } from '../reader';
import type { JsonFile, TransformContext } from '../transformContext';
import { allOrNothing } from './staging';

export interface IamTransform {
  /**
   * Transforms all pages of one account (`<account>/iam/authorization-details*.json`,
   * in any order). The same entity in two pages becomes one row. Throws when
   * called twice for one account or after `finish`.
   */
  addAccount(account: string, pages: readonly JsonFile[]): void;
  /**
   * Call once, after the last account: adds a `missing` placeholder policy for
   * every managed policy referenced (attached or used as a permissions
   * boundary) that no account listed in `Policies`, with a warning per referrer.
   */
  finish(): void;
}

/** A snapshot's IAM transform; its state (groups per account, policy references) lives in the returned object. */
export function createIamTransform(ctx: TransformContext): IamTransform {
  return new IamSnapshotTransform(ctx);
}

/** Convenience: every account of a snapshot at once, then `finish`. */
export function transformIam(ctx: TransformContext, accounts: readonly { account: string; pages: readonly JsonFile[] }[]): void {
  const iam = createIamTransform(ctx);
  for (const { account, pages } of accounts) iam.addAccount(account, pages);
  iam.finish();
}

/** The account row for an account whose IAM output is in the snapshot (organization facts unknown here). */
export function iamAccountRow(account: string): AccountRow {
  return { key: account, id: account, name: null, ingested: true, inOrganization: false, organizationId: null, isManagement: false };
}

const ACCOUNT_ID = /^\d{12}$/;

type EntityKind = 'user' | 'group' | 'role';

interface PolicyReference {
  policyArn: string;
  ownerKind: EntityKind;
  ownerName: string;
  relation: 'attachment' | 'boundary';
  file: string;
  path: string;
}

interface EntityOutcome {
  name: string;
  arn: string;
  references: PolicyReference[];
}

class IamSnapshotTransform implements IamTransform {
  private readonly accounts = new Set<string>();
  /** Managed policy ARNs that some account listed in Policies and that were added. */
  private readonly listed = new Set<string>();
  /** Managed policy ARNs listed in Policies but rejected for problems (already reported). */
  private readonly rejected = new Set<string>();
  /** Every reference to a managed policy, by policy ARN, in input order. */
  private readonly references = new Map<string, PolicyReference[]>();
  private finished = false;

  constructor(private readonly ctx: TransformContext) {}

  addAccount(account: string, pages: readonly JsonFile[]): void {
    if (this.finished) throw new Error('IamTransform.addAccount after finish()');
    if (this.accounts.has(account)) throw new Error(`IamTransform.addAccount: account ${account} added twice`);
    this.accounts.add(account);
    if (pages.length === 0) return;
    if (!ACCOUNT_ID.test(account)) {
      for (const page of pages)
        this.ctx.report.problem(page.file, '$', `the account directory ${JSON.stringify(account)} is not a 12-digit account id`);
      return;
    }
    new AccountTransform(this.ctx, account, pages, this).run();
  }

  finish(): void {
    if (this.finished) throw new Error('IamTransform.finish called twice');
    this.finished = true;
    for (const [arn, refs] of this.references) {
      if (this.listed.has(arn) || this.rejected.has(arn)) continue;
      const first = refs[0];
      if (!first) continue;
      const parsed = parseArn(arn);
      const account = parsed && parsed.account !== 'aws' ? parsed.account : null;
      addMissingPolicy(
        this.ctx,
        { file: first.file, path: first.path },
        { key: arn, kind: 'managed', name: arn.slice(arn.lastIndexOf('/') + 1), arn, account },
      );
      for (const ref of refs) this.ctx.report.warn(ref.file, ref.path, missingMessage(ref));
    }
  }

  /** @internal for AccountTransform */
  policyListed(arn: string): void {
    this.listed.add(arn);
  }

  /** @internal for AccountTransform */
  policyRejected(arn: string): void {
    this.rejected.add(arn);
  }

  /** @internal for AccountTransform */
  referenced(refs: readonly PolicyReference[]): void {
    for (const ref of refs) {
      const list = this.references.get(ref.policyArn);
      if (list) list.push(ref);
      else this.references.set(ref.policyArn, [ref]);
    }
  }
}

function missingMessage(ref: PolicyReference): string {
  const owner = `${ref.ownerKind} ${ref.ownerName}`;
  const use = ref.relation === 'boundary' ? `used as the permissions boundary of ${owner}` : `attached to ${owner}`;
  const affected = ref.ownerKind === 'group' ? `members of group ${ref.ownerName}` : ref.ownerName;
  return `${ref.policyArn} is ${use} but is not in Policies: what it allows is unknown; answers for ${affected} will be marked uncertain`;
}

/** One account's pages. */
class AccountTransform {
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
    private readonly snapshot: IamSnapshotTransform,
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
    // Groups first: users name their groups, and a group may be in another page.
    for (const l of lists) for (const g of l.groups) this.entity('group', g, (s, r) => this.group(s, r));
    for (const l of lists) for (const u of l.users) this.entity('user', u, (s, r) => this.user(s, r));
    for (const l of lists) for (const r of l.roles) this.entity('role', r, (s, rr) => this.role(s, rr));
    for (const l of lists) for (const p of l.policies) this.managedPolicy(p);
  }

  /** Some page must end the output: when every page says IsTruncated, the rest of the output is not in the snapshot. */
  private checkPagination(pages: readonly JsonReader[]): void {
    const flags = pages.map((page) => ({ page, truncated: page.optBool('IsTruncated') }));
    const last = flags[flags.length - 1];
    if (last && flags.every((f) => f.truncated === true)) {
      const marker = last.page.optStr('Marker');
      last.page
        .at('IsTruncated')
        .problem(
          `every page of account ${this.account} has IsTruncated: true: the page after this one${marker ? ` (Marker ${marker})` : ''} is missing, so users, groups, roles or policies are missing`,
        );
    }
  }

  /** One user, group or role, all or nothing. */
  private entity(kind: EntityKind, reader: JsonReader, build: (s: TransformContext, r: JsonReader) => EntityOutcome | undefined): void {
    const result = allOrNothing(this.ctx, (s) => {
      const r = new JsonReader(s.report, reader.file, reader.value, reader.path);
      if (!r.expectObject()) return undefined;
      return build(s, r);
    });
    if (kind === 'group') {
      const name = groupNameOf(reader.value);
      if (result.ok && result.value) this.groups.set(result.value.name, result.value.arn);
      else if (name !== undefined && !this.groups.has(name)) this.rejectedGroups.add(name);
    }
    if (result.ok && result.value) this.snapshot.referenced(result.value.references);
  }

  private group(s: TransformContext, r: JsonReader): EntityOutcome | undefined {
    const base = this.base(r, 'group', 'GroupName', 'GroupId');
    if (!base) return undefined;
    const references: PolicyReference[] = [];
    this.inlinePolicies(s, r, 'GroupPolicyList', base.arn, 'Group');
    this.attachments(s, r, base, 'group', 'Group', references);
    if (s.report.problems.length > 0) return undefined;
    const row: GroupRow = base;
    s.rows.add('groups', row, { file: r.file, path: r.path });
    return { name: base.name, arn: base.arn, references };
  }

  private user(s: TransformContext, r: JsonReader): EntityOutcome | undefined {
    const base = this.base(r, 'user', 'UserName', 'UserId');
    const tags = readTags(r);
    if (!base) return undefined;
    const references: PolicyReference[] = [];
    const memberships: string[] = [];
    r.optList('GroupList').forEach((g) => {
      if (typeof g.value !== 'string' || g.value === '') {
        g.problem(`expected a group name, got ${describe(g.value)}`);
        return;
      }
      const groupArn = this.groups.get(g.value);
      if (groupArn !== undefined) memberships.push(groupArn);
      else if (this.rejectedGroups.has(g.value))
        g.warn(`user ${base.name} is in group ${g.value}, which was skipped for its problems: membership ignored`);
      else
        g.warn(`user ${base.name} is in group ${g.value}, which is not in GroupDetailList of account ${this.account}: membership ignored`);
    });
    this.inlinePolicies(s, r, 'UserPolicyList', base.arn, 'User');
    this.attachments(s, r, base, 'user', 'User', references);
    this.boundary(s, r, base, 'user', 'User', references);
    if (s.report.problems.length > 0 || tags === undefined) return undefined;
    const where = { file: r.file, path: r.path };
    const row: UserRow = { ...base, tags };
    s.rows.add('users', row, where);
    for (const groupArn of memberships)
      s.rows.add('memberships', { from: base.arn, to: groupArn }, { file: r.file, path: `${r.path}.GroupList` });
    return { name: base.name, arn: base.arn, references };
  }

  private role(s: TransformContext, r: JsonReader): EntityOutcome | undefined {
    const base = this.base(r, 'role', 'RoleName', 'RoleId');
    const tags = readTags(r);
    const maxSessionDuration = r.optNumber('MaxSessionDuration');
    if (!base) return undefined;
    const references: PolicyReference[] = [];
    const trustKey = `${base.arn}#trust`;
    const trust = r.at('AssumeRolePolicyDocument');
    if (trust.value === undefined || trust.value === null) trust.problem('required field is missing: every role has a trust policy');
    else if (addPolicyDocument(s, trust, { key: trustKey, kind: 'trust', name: null, arn: null, account: this.account, versionId: null })) {
      s.rows.add('trustPolicies', { from: base.arn, to: trustKey }, { file: trust.file, path: trust.path });
    }
    this.inlinePolicies(s, r, 'RolePolicyList', base.arn, 'Role');
    this.attachments(s, r, base, 'role', 'Role', references);
    this.boundary(s, r, base, 'role', 'Role', references);
    if (s.report.problems.length > 0 || tags === undefined) return undefined;
    const row: RoleRow = { ...base, tags, maxSessionDuration, serviceLinked: base.path.startsWith('/aws-service-role/') };
    s.rows.add('roles', row, { file: r.file, path: r.path });
    return { name: base.name, arn: base.arn, references };
  }

  /** The fields every IAM entity has; checks that the ARN is this account's and matches the path and name. */
  private base(r: JsonReader, kind: EntityKind, nameField: string, idField: string): GroupRow | undefined {
    const name = r.str(nameField);
    const arn = r.str('Arn');
    const path = r.str('Path');
    const uniqueId = r.optStr(idField);
    const createDate = r.optStr('CreateDate');
    if (path !== undefined && !(path.startsWith('/') && path.endsWith('/')))
      r.at('Path').problem(`expected a path that starts and ends with "/", got ${JSON.stringify(path)}`);
    if (name === undefined || arn === undefined || path === undefined) return undefined;
    if (!this.checkEntityArn(r.at('Arn'), arn, kind, path, name)) return undefined;
    const seen = this.names[kind].get(name);
    const where = `${r.file} ${r.path}`;
    if (seen && seen.arn !== arn) {
      r.at(nameField).problem(`${kind} name ${name} is also used by ${seen.arn} at ${seen.where}: names are unique in an account`);
      return undefined;
    }
    if (!seen) this.names[kind].set(name, { arn, where });
    return { key: arn, arn, name, uniqueId, path, account: this.account, createDate };
  }

  private checkEntityArn(r: JsonReader, arn: string, kind: EntityKind, path: string, name: string): boolean {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'iam') {
      r.problem(`expected an IAM ${kind} ARN (arn:aws:iam::${this.account}:${kind}${path}${name}), got ${JSON.stringify(arn)}`);
      return false;
    }
    if (parsed.account !== this.account) {
      r.problem(`${arn} belongs to account ${parsed.account || '(none)'}, but this file is in the directory of account ${this.account}`);
      return false;
    }
    const expected = `${kind}${path}${name}`;
    if (parsed.resource !== expected) {
      r.problem(`${arn} does not match the ${kind}'s Path and name: expected the resource part ${expected}`);
      return false;
    }
    return true;
  }

  /** Inline policies: `<owner ARN>#inline/<name>`, attached with attachment 'inline'. */
  private inlinePolicies(s: TransformContext, r: JsonReader, field: string, ownerArn: string, ownerLabel: OwnerLabel): void {
    const seen = new Set<string>();
    for (const p of r.optList(field)) {
      if (!p.expectObject()) continue;
      const name = p.str('PolicyName');
      const document = p.at('PolicyDocument');
      if (document.value === undefined || document.value === null) document.problem('required field is missing');
      if (name === undefined || document.value === undefined || document.value === null) continue;
      if (seen.has(name)) {
        p.at('PolicyName').problem(`a second inline policy named ${name}: inline policy names are unique per ${ownerLabel.toLowerCase()}`);
        continue;
      }
      seen.add(name);
      const key = `${ownerArn}#inline/${name}`;
      if (addPolicyDocument(s, document, { key, kind: 'inline', name, arn: null, account: this.account, versionId: null })) {
        s.rows.add('policyAttachments', { from: ownerArn, to: key, attachment: 'inline', ownerLabel }, { file: p.file, path: p.path });
      }
    }
  }

  /** AttachedManagedPolicies: links to the policy ARN (the policy itself comes from Policies, or is missing). */
  private attachments(
    s: TransformContext,
    r: JsonReader,
    owner: { arn: string; name: string },
    ownerKind: EntityKind,
    ownerLabel: OwnerLabel,
    references: PolicyReference[],
  ): void {
    for (const a of r.optList('AttachedManagedPolicies')) {
      if (!a.expectObject()) continue;
      a.optStr('PolicyName');
      const arn = a.str('PolicyArn');
      if (arn === undefined || !this.checkPolicyArn(a.at('PolicyArn'), arn)) continue;
      s.rows.add('policyAttachments', { from: owner.arn, to: arn, attachment: 'managed', ownerLabel }, { file: a.file, path: a.path });
      references.push({
        policyArn: arn,
        ownerKind,
        ownerName: owner.name,
        relation: 'attachment',
        file: a.file,
        path: `${a.path}.PolicyArn`,
      });
    }
  }

  private boundary(
    s: TransformContext,
    r: JsonReader,
    owner: { arn: string; name: string },
    ownerKind: EntityKind,
    ownerLabel: 'User' | 'Role',
    references: PolicyReference[],
  ): void {
    const b = r.at('PermissionsBoundary');
    if (b.value === undefined || b.value === null) return;
    if (!b.expectObject()) return;
    b.optStr('PermissionsBoundaryType');
    const arn = b.str('PermissionsBoundaryArn');
    if (arn === undefined || !this.checkPolicyArn(b.at('PermissionsBoundaryArn'), arn)) return;
    s.rows.add('boundaries', { from: owner.arn, to: arn, ownerLabel }, { file: b.file, path: b.path });
    references.push({
      policyArn: arn,
      ownerKind,
      ownerName: owner.name,
      relation: 'boundary',
      file: b.file,
      path: `${b.path}.PermissionsBoundaryArn`,
    });
  }

  /** A managed policy ARN must be AWS managed or this account's (IAM cannot attach another account's policy). */
  private checkPolicyArn(r: JsonReader, arn: string): boolean {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('policy/') || parsed.resource.length <= 'policy/'.length) {
      r.problem(
        `expected a managed policy ARN (arn:aws:iam::aws:policy/… or arn:aws:iam::${this.account}:policy/…), got ${JSON.stringify(arn)}`,
      );
      return false;
    }
    if (parsed.account !== 'aws' && parsed.account !== this.account) {
      r.problem(
        `${arn} belongs to account ${parsed.account || '(none)'}: an entity of account ${this.account} can only use AWS managed policies or its own account's`,
      );
      return false;
    }
    return true;
  }

  /** One Policies entry: only the default version is in force; the others are ignored. */
  private managedPolicy(reader: JsonReader): void {
    const arnValue = reader.isObject() ? (reader.value as Record<string, unknown>)['Arn'] : undefined;
    const result = allOrNothing(this.ctx, (s) => {
      const r = new JsonReader(s.report, reader.file, reader.value, reader.path);
      if (!r.expectObject()) return undefined;
      const name = r.str('PolicyName');
      const arn = r.str('Arn');
      const path = r.str('Path');
      r.optStr('PolicyId');
      const defaultVersionId = r.str('DefaultVersionId');
      const versions = r.list('PolicyVersionList');
      if (arn !== undefined) this.checkPolicyArn(r.at('Arn'), arn);
      if (arn !== undefined && name !== undefined && path !== undefined) {
        const resource = parseArn(arn)?.resource;
        if (resource !== undefined && resource !== `policy${path}${name}`)
          r.at('Arn').problem(`${arn} does not match the policy's Path and PolicyName: expected the resource part policy${path}${name}`);
      }
      const defaults: { reader: JsonReader; versionId: string | undefined }[] = [];
      for (const v of versions) {
        if (!v.expectObject()) continue;
        const versionId = v.str('VersionId');
        const isDefault = v.at('IsDefaultVersion');
        if (typeof isDefault.value !== 'boolean')
          isDefault.problem(
            isDefault.value === undefined ? 'required field is missing' : `expected true or false, got ${describe(isDefault.value)}`,
          );
        else if (isDefault.value) defaults.push({ reader: v, versionId });
      }
      const [inForce, ...extra] = defaults;
      if (!inForce && Array.isArray(r.at('PolicyVersionList').value))
        r.at('PolicyVersionList').problem('no version has IsDefaultVersion: true, so the document in force is unknown');
      for (const e of extra)
        e.reader.at('IsDefaultVersion').problem(`a second default version (the first is ${inForce?.versionId ?? 'unnamed'})`);
      const versionId = inForce?.versionId;
      if (inForce && defaultVersionId !== undefined && versionId !== undefined && versionId !== defaultVersionId) {
        inForce.reader.at('VersionId').problem(`this version is marked IsDefaultVersion, but DefaultVersionId is ${defaultVersionId}`);
      }
      if (s.report.problems.length > 0 || !inForce || arn === undefined || versionId === undefined) return undefined;
      const document = inForce.reader.at('Document');
      if (document.value === undefined || document.value === null) {
        document.problem('required field is missing');
        return undefined;
      }
      const account = parseArn(arn)?.account === 'aws' ? null : this.account;
      return addPolicyDocument(s, document, { key: arn, kind: 'managed', name: name ?? null, arn, account, versionId }) ? arn : undefined;
    });
    if (result.ok && result.value !== undefined) this.snapshot.policyListed(result.value);
    else if (typeof arnValue === 'string') this.snapshot.policyRejected(arnValue);
  }
}

function groupNameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as Record<string, unknown>)['GroupName'];
  return typeof name === 'string' ? name : undefined;
}

/** Tags [{Key, Value}] → a JSON object (keys sorted, so pages that list them in another order agree); undefined after a problem. */
function readTags(r: JsonReader): string | undefined {
  const tags: Record<string, string> = {};
  let ok = true;
  for (const t of r.optList('Tags')) {
    if (!t.expectObject()) {
      ok = false;
      continue;
    }
    const key = t.str('Key');
    const value = t.at('Value');
    if (typeof value.value !== 'string') {
      value.problem(value.value === undefined ? 'required field is missing' : `expected a string, got ${describe(value.value)}`);
      ok = false;
      continue;
    }
    if (key === undefined) {
      ok = false;
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(tags, key)) {
      t.at('Key').problem(`tag ${key} appears twice`);
      ok = false;
      continue;
    }
    tags[key] = value.value;
  }
  if (!ok) return undefined;
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) sorted[k] = tags[k] as string;
  return JSON.stringify(sorted);
}
