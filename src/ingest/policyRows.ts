import { validatePolicy } from '../policy';
import { ENGINE_POLICY_TYPE, type PolicyKind, type PolicyRow, type StatementRow } from '../model';
import type { JsonReader } from './reader';
import type { TransformContext } from './transformContext';

export interface PolicyMeta {
  key: string;
  kind: PolicyKind;
  name: string | null;
  arn: string | null;
  account: string | null;
  versionId: string | null;
  /** Managed policies used as permission boundaries are validated as boundaries. */
  asBoundary?: boolean;
}

/**
 * Validates a policy document with the policy engine's parser (the only place
 * that knows IAM grammar) and adds the policy and its statements as rows.
 * The document may be an object, a JSON string or a URL-encoded JSON string.
 * Problems carry the file and the JSON path down into the document.
 * Returns false (and adds nothing) when the document is invalid.
 */
export function addPolicyDocument(ctx: TransformContext, document: JsonReader, meta: PolicyMeta): boolean {
  const type = meta.asBoundary ? 'permissionsBoundary' : ENGINE_POLICY_TYPE[meta.kind];
  const result = validatePolicy(document.value, { type, id: meta.key, ...(meta.name ? { name: meta.name } : {}) });
  if (!result.ok) {
    for (const problem of result.problems) {
      ctx.report.problem(document.file, document.path + problem.path.slice(1), problem.message);
    }
    return false;
  }
  // Policy text IAM stores but that names no action: kept (it is evaluated as AWS does), with a warning.
  for (const warning of result.warnings) ctx.report.warn(document.file, document.path + warning.path.slice(1), warning.message);
  const where = { file: document.file, path: document.path };
  const policy: PolicyRow = {
    key: meta.key,
    kind: meta.kind,
    name: meta.name,
    arn: meta.arn,
    account: meta.account,
    document: JSON.stringify(result.policy.document),
    versionId: meta.versionId,
    missing: false,
  };
  ctx.rows.add('policies', policy, where);
  result.policy.statements.forEach((statement, index) => {
    const raw = statement.raw;
    const row: StatementRow = {
      key: `${meta.key}#${index}`,
      policyKey: meta.key,
      index,
      sid: typeof raw['Sid'] === 'string' && raw['Sid'] !== '' ? raw['Sid'] : null,
      effect: statement.effect,
      actions: stringList(raw['Action']),
      notActions: stringList(raw['NotAction']),
      resources: stringList(raw['Resource']),
      notResources: stringList(raw['NotResource']),
      principal: raw['Principal'] === undefined ? null : JSON.stringify(raw['Principal']),
      notPrincipal: raw['NotPrincipal'] === undefined ? null : JSON.stringify(raw['NotPrincipal']),
      condition: raw['Condition'] === undefined ? null : JSON.stringify(raw['Condition']),
      servicePrincipals: servicesNamed(raw['Principal']),
    };
    ctx.rows.add('statements', row, where);
  });
  return true;
}

/**
 * A policy referenced but absent from the snapshot (e.g. an AWS managed policy
 * used only as a permission boundary, which IAM does not list). What it allows
 * is unknown: the analysis must say "uncertain", never "allows everything".
 */
export function addMissingPolicy(ctx: TransformContext, where: { file: string; path: string }, meta: Omit<PolicyMeta, 'versionId'>): void {
  if (ctx.rows.has('policies', meta.key)) return;
  ctx.rows.add(
    'policies',
    {
      key: meta.key,
      kind: meta.kind,
      name: meta.name,
      arn: meta.arn,
      account: meta.account,
      document: null,
      versionId: null,
      missing: true,
    },
    where,
  );
}

function stringList(value: unknown): string[] | null {
  if (value === undefined) return null;
  return (Array.isArray(value) ? value : [value]).map(String);
}

function servicesNamed(principal: unknown): string[] {
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return [];
  const service = (principal as Record<string, unknown>)['Service'];
  if (service === undefined) return [];
  return (Array.isArray(service) ? service : [service]).filter((s): s is string => typeof s === 'string');
}
