import assert from 'node:assert/strict';
import {
  AccessAnalysis,
  deriveAccessRows,
  type AccessDecision,
  type ConditionSummary,
  type PathHop,
  type PrincipalAccess,
  type WhoCanAnswer,
} from '../../../../src/analysis';
import { seedDir } from '../../../../src/config/paths';
import { readSnapshot } from '../../../../src/ingest';
import type { SnapshotRows } from '../../../../src/model';
import { loadAnalysisSettings } from '../../../../src/services';

/**
 * The seed/ snapshot (Petstore Inc., seed/README.md) and the names the
 * hand-worked answers use. Every ARN, policy key and statement label below is
 * written from the README and the seed files, not from the analysis' output;
 * the policy keys follow the format documented in src/analysis/answer.ts
 * (managed policy ARN, `<owner>#inline/<name>`, `<role>#trust`,
 * `<api>#resource-policy`, `<function>#resource-policy`).
 */

/** The analysis on seed/, built the way the ingest builds it (CAN_ASSUME rows derived first). */
/** The seed's analysis; `change` may edit the rows first (to take a part of the snapshot away). */
export async function seedAnalysis(change?: (rows: SnapshotRows) => void): Promise<AccessAnalysis> {
  const { rows } = readSnapshot(seedDir());
  change?.(rows);
  const settings = await loadAnalysisSettings();
  deriveAccessRows(rows, settings);
  return AccessAnalysis.fromRows(rows, settings);
}

export const MGMT = '111122223333';
export const IDENTITY = '222233334444';
export const PROD = '333344445555';
export const PARTNER = '999988887777';

/** The interface VPC endpoints for execute-api of the prod account (README, petstore-internal). */
export const VPCE = { inventory: 'vpce-0a1b2c3d4e5f60789', sandbox: 'vpce-0fedcba9876543210' } as const;

const iam = (account: string, kind: string, name: string) => `arn:aws:iam::${account}:${kind}/${name}`;

/** execute-api ARNs of the four APIs (README: X, W, Q, H). */
export const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;
export const W = `arn:aws:execute-api:us-east-1:${PROD}:k9l8m7n6o5`;
export const Q = `arn:aws:execute-api:us-east-1:${PROD}:p1q2r3s4t5`;
export const H = `arn:aws:execute-api:us-east-1:${PROD}:h7t8p9a0b1`;

/** Management-plane ARNs (empty account field, rule 13). */
export const MANAGE = {
  petstoreApi: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5',
  petstoreWeb: 'arn:aws:apigateway:us-east-1::/restapis/k9l8m7n6o5',
  petstoreInternal: 'arn:aws:apigateway:us-east-1::/restapis/p1q2r3s4t5',
  petstoreEvents: 'arn:aws:apigateway:us-east-1::/apis/h7t8p9a0b1',
} as const;

export const U = {
  orgAdmin: iam(MGMT, 'user', 'org-admin'),
  ivan: iam(IDENTITY, 'user', 'ivan-ops'),
  judy: iam(IDENTITY, 'user', 'judy-analyst'),
  kim: iam(IDENTITY, 'user', 'kim-noaccess'),
  alice: iam(PROD, 'user', 'alice-apidev'),
  bob: iam(PROD, 'user', 'bob-caller'),
  carol: iam(PROD, 'user', 'carol-caller'),
  erin: iam(PROD, 'user', 'erin-boundary'),
  frank: iam(PROD, 'user', 'frank-escalator'),
  henry: iam(PROD, 'user', 'henry-support'),
} as const;

export const R = {
  opsJump: iam(IDENTITY, 'role', 'ops-jump'),
  oaar: iam(PROD, 'role', 'OrganizationAccountAccessRole'),
  apigwInvoke: iam(PROD, 'role', 'petstore-apigw-invoke'),
  lambdaExec: iam(PROD, 'role', 'petstore-lambda-exec'),
  operator: iam(PROD, 'role', 'petstore-operator'),
  platformAdmin: iam(PROD, 'role', 'platform-admin'),
  partnerIntegration: iam(PROD, 'role', 'partner-integration'),
  reporting: iam(PROD, 'role', 'reporting-role'),
  eventsReader: iam(PROD, 'role', 'events-reader'),
} as const;

export const G = {
  operators: iam(IDENTITY, 'group', 'operators'),
  apiDevelopers: iam(PROD, 'group', 'api-developers'),
  apiCallers: iam(PROD, 'group', 'api-callers'),
} as const;

/** The partner account stands for its principals (not in the snapshot): `arn:aws:iam::ACCOUNT:root` (src/analysis/decide.ts). */
export const PARTNER_ACCOUNT = `arn:aws:iam::${PARTNER}:root`;
export const EC2 = 'ec2.amazonaws.com';
export const APIGATEWAY = 'apigateway.amazonaws.com';
export const ANONYMOUS = 'anonymous';

const inline = (owner: string, name: string) => `${owner}#inline/${name}`;
const trust = (role: string) => `${role}#trust`;

export const POL = {
  AdministratorAccess: 'arn:aws:iam::aws:policy/AdministratorAccess',
  AssumeOpsJump: iam(IDENTITY, 'policy', 'AssumeOpsJump'),
  HopToProdOperator: inline(R.opsJump, 'HopToProdOperator'),
  InvokePetsReadAcrossAccount: inline(U.judy, 'InvokePetsReadAcrossAccount'),
  AssumeEventsReader: inline(U.judy, 'AssumeEventsReader'),
  InvokePetsProd: iam(PROD, 'policy', 'InvokePetsProd'),
  DenyDeleteOnProd: inline(G.apiCallers, 'DenyDeleteOnProd'),
  InvokeFromOffice: iam(PROD, 'policy', 'InvokeFromOffice'),
  ApiDeveloperAccess: iam(PROD, 'policy', 'ApiDeveloperAccess'),
  DeveloperBoundary: iam(PROD, 'policy', 'DeveloperBoundary'),
  DeployIntegrations: inline(U.frank, 'DeployIntegrations'),
  SupportLookup: inline(U.henry, 'SupportLookup'),
  OperateAdminEndpoints: inline(R.operator, 'OperateAdminEndpoints'),
  PlatformApiAdmin: inline(R.platformAdmin, 'PlatformApiAdmin'),
  SubmitAdoptions: inline(R.partnerIntegration, 'SubmitAdoptions'),
  ReadEvents: inline(R.eventsReader, 'ReadEvents'),
  InvokeBackends: inline(R.apigwInvoke, 'InvokeBackends'),
  petstoreApiRp: `${MANAGE.petstoreApi}#resource-policy`,
  petstoreInternalRp: `${MANAGE.petstoreInternal}#resource-policy`,
  trust,
} as const;

export const FN = {
  petsList: `arn:aws:lambda:us-east-1:${PROD}:function:pets-list`,
  petsWrite: `arn:aws:lambda:us-east-1:${PROD}:function:pets-write`,
  petsRead: `arn:aws:lambda:us-east-1:${PROD}:function:pets-read`,
  petsAdmin: `arn:aws:lambda:us-east-1:${PROD}:function:pets-admin`,
  webHandler: `arn:aws:lambda:us-east-1:${PROD}:function:web-handler`,
  ordersWriter: `arn:aws:lambda:us-east-1:${PROD}:function:orders-writer`,
  ordersAuthorizer: `arn:aws:lambda:us-east-1:${PROD}:function:orders-authorizer`,
  eventsHandler: `arn:aws:lambda:us-east-1:${PROD}:function:events-handler`,
} as const;
export const fnPolicy = (fn: string) => `${fn}#resource-policy`;

/**
 * One hop as a line of text, so that expected paths can be written by hand
 * and compared whole. The `via` builders below produce the same text.
 */
export function hopLabel(h: PathHop): string {
  const st = (policy: string | undefined, statement: string | undefined) => `${policy ?? '?'} / ${statement ?? '?'}`;
  switch (h.kind) {
    case 'member-of':
      return `member-of ${h.to}`;
    case 'policy':
      return `policy ${h.policy ?? '?'}`;
    case 'statement':
      return `statement ${st(h.policy, h.statement)}`;
    case 'resource-policy':
      return `resource-policy ${st(h.policy, h.statement)}`;
    case 'assume-role':
      return `assume-role ${h.to} trust ${st(h.policy, h.statement)}${h.identityPolicy ? ` identity ${st(h.identityPolicy, h.identityStatement)}` : ''}`;
    case 'integration':
      return `integration ${h.to}${h.role ? ` as ${h.role}` : ''}${h.policy ? ` by ${st(h.policy, h.statement)}` : ''}`;
    default:
      return h.kind;
  }
}

export const via = {
  memberOf: (group: string) => `member-of ${group}`,
  policy: (policy: string) => `policy ${policy}`,
  statement: (policy: string, statement: string) => `statement ${policy} / ${statement}`,
  /** The three hops of an identity grant: [member-of group,] policy, statement. */
  grant: (policy: string, statement: string, group?: string) => [
    ...(group ? [`member-of ${group}`] : []),
    `policy ${policy}`,
    `statement ${policy} / ${statement}`,
  ],
  resourcePolicy: (policy: string, statement: string) => `resource-policy ${policy} / ${statement}`,
  assume: (role: string, trustStatement: string, identity?: [policy: string, statement: string]) =>
    `assume-role ${role} trust ${trust(role)} / ${trustStatement}${identity ? ` identity ${identity[0]} / ${identity[1]}` : ''}`,
  integration: (fn: string, options: { role?: string; policy?: string; statement?: string } = {}) =>
    `integration ${fn}${options.role ? ` as ${options.role}` : ''}${options.policy ? ` by ${options.policy} / ${options.statement ?? '?'}` : ''}`,
  unsigned: 'unsigned',
  authorizer: 'authorizer',
};

export function sorted(list: Iterable<string>): string[] {
  return [...list].sort();
}

/** The principals of an answer, sorted. */
export function arnsOf(answer: { principals: readonly { arn: string }[] }): string[] {
  return sorted(answer.principals.map((p) => p.arn));
}

export function principal(answer: WhoCanAnswer, arn: string): PrincipalAccess {
  const p = answer.principals.find((x) => x.arn === arn);
  assert.ok(p, `${arn} is missing from the answer for ${answer.resource}; got ${arnsOf(answer).join(', ')}`);
  return p;
}

export type Expected = Record<string, { decision: AccessDecision; hops: number }>;

/** The answer lists exactly these principals, each with this decision and hop count. */
export function assertPrincipals(answer: WhoCanAnswer, expected: Expected): void {
  assert.deepEqual(arnsOf(answer), sorted(Object.keys(expected)), `principals of ${answer.action} on ${answer.resource}`);
  for (const [arn, e] of Object.entries(expected)) {
    const p = principal(answer, arn);
    assert.deepEqual({ arn, decision: p.decision, hops: p.hops }, { arn, ...e }, `${arn} on ${answer.resource}`);
  }
}

/** The shortest path of a principal, hop by hop. */
export function shortestPath(p: { paths: readonly (readonly PathHop[])[] }): string[] {
  assert.ok(p.paths.length > 0, 'expected at least one path');
  return p.paths[0]!.map(hopLabel);
}

/** The context keys a set of conditions depends on, lower case, sorted. */
export function conditionKeys(conditions: readonly ConditionSummary[]): string[] {
  return sorted(new Set(conditions.flatMap((c) => c.keys)));
}

/** Every condition clause, without duplicates: `OPERATOR key [values] EFFECT policy / statement`. */
export function clauses(conditions: readonly ConditionSummary[]): string[] {
  return sorted(
    new Set(
      conditions.flatMap((c) =>
        c.clauses.map((x) => `${x.operator} ${x.key} ${JSON.stringify(x.values)} ${x.effect} ${x.policy} / ${x.statement}`),
      ),
    ),
  );
}

export const clause = (operator: string, key: string, values: string[], effect: 'Allow' | 'Deny', policy: string, statement: string) =>
  `${operator} ${key} ${JSON.stringify(values)} ${effect} ${policy} / ${statement}`;

/** README condition clauses, written by hand. */
export const CLAUSE = {
  carolOffice: clause('IpAddress', 'aws:SourceIp', ['198.51.100.0/24'], 'Allow', POL.InvokeFromOffice, 'PetsReadFromOffice'),
  adminOffice: clause('NotIpAddress', 'aws:SourceIp', ['203.0.113.0/24'], 'Deny', POL.petstoreApiRp, 'DenyAdminOutsideOffice'),
  ivanMfa: clause('Bool', 'aws:MultiFactorAuthPresent', ['true'], 'Allow', trust(R.opsJump), 'IvanWithMfa'),
  partnerExternalId: clause(
    'StringEquals',
    'sts:ExternalId',
    ['petstore-7f3a9c'],
    'Allow',
    trust(R.partnerIntegration),
    'PartnerWithExternalId',
  ),
  internalVpce: clause('StringNotEquals', 'aws:SourceVpce', ['vpce-0a1b2c3d4e5f60789'], 'Deny', POL.petstoreInternalRp, '#1'),
} as const;
