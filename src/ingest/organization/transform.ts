/**
 * Organizations: `organization.json` (describe-organization, list-roots, the
 * OUs and accounts of each parent with their ParentId, and each SCP/RCP's
 * describe-policy summary + Content + list-targets-for-policy Targets; see
 * docs/generator.md) → org root/OU rows, account rows, CHILD_OF links, SCP
 * and RCP policies and their targets. Pure: parsed JSON in, rows and report
 * entries out.
 *
 * An OU, account or policy with any problem adds no row; every problem names
 * the file and the JSON path. Account rows say `ingested: false`: the caller
 * knows which accounts have a directory in the snapshot and sets it.
 */
import type { AccountRow, OrgNodeRow, PolicyKind } from '../../model';
import { addPolicyDocument } from '../policyRows';
import { JsonReader } from '../reader';
import type { JsonFile, TransformContext } from '../transformContext';

/** What the rest of the ingest needs to know about the organization. */
export interface OrganizationFacts {
  /** o-…; null when the file does not give it (a problem was reported). */
  organizationId: string | null;
  /** null when the file does not give it (a problem was reported). */
  managementAccountId: string | null;
  /** The member accounts added as rows (the management account included), in file order. */
  accountIds: string[];
  /** The root ids added as rows (AWS allows one). */
  rootIds: string[];
}

const ACCOUNT_ID = /^\d{12}$/;

/** Organizations policy types that are not about authorization: listed, so not an error, but not loaded. */
const OTHER_POLICY_TYPES = new Set([
  'TAG_POLICY',
  'BACKUP_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
  'CHATBOT_POLICY',
  'DECLARATIVE_POLICY_EC2',
  'SECURITYHUB_POLICY',
]);
const POLICY_KIND: Record<string, PolicyKind> = { SERVICE_CONTROL_POLICY: 'scp', RESOURCE_CONTROL_POLICY: 'rcp' };
const TARGET_TYPES: Record<string, 'root' | 'ou' | 'account'> = { ROOT: 'root', ORGANIZATIONAL_UNIT: 'ou', ACCOUNT: 'account' };

interface PendingOu {
  reader: JsonReader;
  id: string;
  name: string | null;
  parentId: string;
}

export function transformOrganization(ctx: TransformContext, file: JsonFile): OrganizationFacts {
  const facts: OrganizationFacts = { organizationId: null, managementAccountId: null, accountIds: [], rootIds: [] };
  const r = new JsonReader(ctx.report, file.file, file.data);
  if (!r.expectObject()) return facts;
  const problemsBefore = (): number => ctx.report.problems.length;

  // The organization and its management account.
  const org = r.at('Organization');
  let orgMaster: string | null = null;
  if (org.value === undefined || org.value === null)
    org.problem('required field is missing (describe-organization .Organization): the organization id is needed for aws:PrincipalOrgID');
  else if (org.expectObject()) {
    const id = org.str('Id');
    if (id !== undefined) {
      if (/^o-[a-z0-9]{10,32}$/.test(id)) facts.organizationId = id;
      else org.at('Id').problem(`expected an organization id (o- and 10 to 32 lower-case letters or digits), got ${JSON.stringify(id)}`);
    }
    orgMaster = org.optStr('MasterAccountId');
  }
  const management = r.optStr('ManagementAccountId');
  if (management === null && orgMaster === null)
    r.at('ManagementAccountId').problem('required field is missing (nor is there Organization.MasterAccountId)');
  else if (management !== null && orgMaster !== null && management !== orgMaster) {
    r.at('ManagementAccountId').problem(`${management} differs from Organization.MasterAccountId ${orgMaster}`);
  } else {
    const id = (management ?? orgMaster) as string;
    if (ACCOUNT_ID.test(id)) facts.managementAccountId = id;
    else
      r.at(management !== null ? 'ManagementAccountId' : 'Organization').problem(
        `expected a 12-digit account id, got ${JSON.stringify(id)}`,
      );
  }

  // Roots, then OUs (a parent may come after its child in the file), then accounts.
  const nodes = new Map<string, 'root' | 'ou'>();
  for (const root of r.list('Roots')) {
    if (!root.expectObject()) continue;
    const id = root.str('Id');
    const name = root.optStr('Name');
    if (id === undefined) continue;
    if (!id.startsWith('r-')) {
      root.at('Id').problem(`expected a root id (r-…), got ${JSON.stringify(id)}`);
      continue;
    }
    const row: OrgNodeRow = { key: id, id, kind: 'root', name, parentId: null };
    ctx.rows.add('orgNodes', row, { file: root.file, path: root.path });
    nodes.set(id, 'root');
    if (!facts.rootIds.includes(id)) facts.rootIds.push(id);
  }

  const declared = new Set<string>(nodes.keys());
  let pending: PendingOu[] = [];
  for (const ou of r.list('OrganizationalUnits')) {
    if (!ou.expectObject()) continue;
    const before = problemsBefore();
    const id = ou.str('Id');
    const name = ou.optStr('Name');
    const parentId = ou.str('ParentId');
    if (id !== undefined && !id.startsWith('ou-')) ou.at('Id').problem(`expected an OU id (ou-…), got ${JSON.stringify(id)}`);
    if (id !== undefined) declared.add(id);
    if (problemsBefore() > before || id === undefined || parentId === undefined) continue;
    pending.push({ reader: ou, id, name, parentId });
  }
  // Place OUs whose parent is placed, until nothing moves; what is left has an unknown parent or sits in a cycle.
  for (let moved = true; moved && pending.length > 0;) {
    moved = false;
    const next: PendingOu[] = [];
    for (const ou of pending) {
      if (!nodes.has(ou.parentId)) {
        next.push(ou);
        continue;
      }
      const row: OrgNodeRow = { key: ou.id, id: ou.id, kind: 'ou', name: ou.name, parentId: ou.parentId };
      const where = { file: ou.reader.file, path: ou.reader.path };
      ctx.rows.add('orgNodes', row, where);
      ctx.rows.add('orgParents', { from: ou.id, to: ou.parentId }, where);
      nodes.set(ou.id, 'ou');
      moved = true;
    }
    pending = next;
  }
  for (const ou of pending) {
    ou.reader
      .at('ParentId')
      .problem(
        declared.has(ou.parentId)
          ? `parent ${ou.parentId} is not placed in the organization (it has problems of its own, or the parents form a cycle)`
          : `unknown parent ${ou.parentId}: not a root or OU in this file`,
      );
  }

  const accounts = new Set<string>();
  for (const a of r.list('Accounts')) {
    if (!a.expectObject()) continue;
    const before = problemsBefore();
    const id = a.str('Id');
    const name = a.optStr('Name');
    const parentId = a.str('ParentId');
    a.optStr('Status');
    if (id !== undefined) declared.add(id);
    if (id !== undefined && !ACCOUNT_ID.test(id)) a.at('Id').problem(`expected a 12-digit account id, got ${JSON.stringify(id)}`);
    if (parentId !== undefined && !nodes.has(parentId)) {
      a.at('ParentId').problem(
        declared.has(parentId)
          ? `parent ${parentId} is not placed in the organization (it has problems of its own)`
          : `unknown parent ${parentId}: not a root or OU in this file`,
      );
    }
    if (problemsBefore() > before || id === undefined || parentId === undefined) continue;
    const row: AccountRow = {
      key: id,
      id,
      name,
      ingested: false,
      inOrganization: true,
      organizationId: facts.organizationId,
      isManagement: id === facts.managementAccountId,
    };
    const where = { file: a.file, path: a.path };
    ctx.rows.add('accounts', row, where);
    ctx.rows.add('orgParents', { from: id, to: parentId }, where);
    if (!accounts.has(id)) facts.accountIds.push(id);
    accounts.add(id);
  }
  if (facts.managementAccountId !== null && Array.isArray(r.at('Accounts').value) && !accounts.has(facts.managementAccountId)) {
    r.at(management !== null ? 'ManagementAccountId' : 'Organization').problem(
      `management account ${facts.managementAccountId} is not in Accounts`,
    );
  }

  // SCPs and RCPs: the document and every target must be right, or nothing of the policy is added.
  for (const p of r.list('Policies')) {
    if (!p.expectObject()) continue;
    const before = problemsBefore();
    const id = p.str('Id');
    const name = p.optStr('Name');
    const arn = p.optStr('Arn');
    const type = p.str('Type');
    if (id !== undefined && !id.startsWith('p-')) p.at('Id').problem(`expected a policy id (p-…), got ${JSON.stringify(id)}`);
    let kind: PolicyKind | undefined;
    if (type !== undefined) {
      kind = POLICY_KIND[type];
      if (kind === undefined) {
        if (OTHER_POLICY_TYPES.has(type)) {
          p.at('Type').warn(`policy ${id ?? name ?? '(no Id)'} is a ${type}, not an authorization policy: ignored`);
          continue;
        }
        p.at('Type').problem(`unknown policy type ${JSON.stringify(type)} (expected SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY)`);
      }
    }
    const targets: string[] = [];
    for (const t of p.list('Targets')) {
      if (!t.expectObject()) continue;
      const targetId = t.str('TargetId');
      const targetType = t.optStr('Type');
      if (targetId === undefined) continue;
      const actual = nodes.get(targetId) ?? (accounts.has(targetId) ? 'account' : undefined);
      if (actual === undefined) {
        t.at('TargetId').problem(
          declared.has(targetId)
            ? `target ${targetId} is not placed in the organization (it has problems of its own)`
            : `unknown target ${targetId}: not a root, OU or account in this file`,
        );
        continue;
      }
      if (targetType !== null && TARGET_TYPES[targetType] !== actual) {
        t.at('Type').problem(
          `${targetId} is ${actual === 'ou' ? 'an OU' : `a ${actual}`}, but the target says ${JSON.stringify(targetType)}`,
        );
        continue;
      }
      targets.push(targetId);
    }
    const content = p.at('Content');
    if (content.value === undefined || content.value === null)
      content.problem('required field is missing (describe-policy .Policy.Content)');
    if (problemsBefore() > before || id === undefined || kind === undefined || content.value === undefined || content.value === null)
      continue;
    if (!addPolicyDocument(ctx, content, { key: id, kind, name, arn, account: null, versionId: null })) continue;
    for (const targetId of targets)
      ctx.rows.add('orgPolicyTargets', { from: id, to: targetId }, { file: p.file, path: `${p.path}.Targets` });
  }
  return facts;
}
