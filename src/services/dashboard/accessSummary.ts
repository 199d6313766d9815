import { methodStageTarget, whoCan, type AccessAnalysis, type CallerType, type Work } from '../../analysis';
import { principalAccountOf } from '../../policy';
import { outsideReason } from '../review';
import type { AccountInventory } from '../review/source';

/**
 * The exposure of a snapshot at a glance, for dashboards (the console's
 * overview): one row per API and stage with its counts of methods, public
 * methods, principals with access and principals from other accounts, and
 * the accounts outside the organization that have access.
 *
 * It asks the analysis' own "who can invoke" question of every method on
 * every stage (the question `whoCanInvoke` answers), so its counts agree with
 * the method pages by construction. "With access" means any answer the
 * question lists: allowed, conditional or partial (denied callers are not
 * listed). Principals are every caller the answer names: users, roles,
 * accounts (`arn:aws:iam::ACCOUNT:root`), AWS services and anonymous callers.
 *
 * The signature is deliberately plain (a snapshot's analysis in, rows out),
 * so a precomputed index can answer it instead without changing its callers.
 */
export interface AccessSummaryRow {
  accountId: string;
  apiId: string;
  apiName: string | null;
  apiType: 'REST' | 'HTTP';
  stage: string;
  /** REGIONAL, EDGE or PRIVATE. */
  endpointType: string;
  /** Methods (routes) of the API, each on this stage. */
  methods: number;
  /** Methods anonymous callers may invoke (the answer's `public`). */
  publicMethods: number;
  /** Distinct callers that may invoke at least one method of the API on this stage. */
  principalsWithAccess: number;
  /** Of those, the ones whose account is not the API's (`*`, "any account", included). */
  principalsFromOtherAccounts: number;
  /** Accounts of callers with access that are outside the organization (outside the ingested accounts when the snapshot has none); `*` for "any account". Sorted. */
  outsideOrganizationAccounts: string[];
}

export interface AccessSummaryTotals {
  accounts: number;
  apis: number;
  stages: number;
  methods: number;
  publicMethods: number;
  /** Distinct callers over every row. */
  principalsWithAccess: number;
  /** Distinct callers that may invoke a method of an API of another account. */
  principalsFromOtherAccounts: number;
  outsideOrganizationAccounts: string[];
}

export interface AccessSummary {
  /** By account, API name, API id, then stage. */
  rows: AccessSummaryRow[];
  totals: AccessSummaryTotals;
  /** Questions asked (methods × stages) and the time it took. */
  stats: { questions: number; ms: number };
}

/** Whether a caller with access counts as coming from another account than the API's. */
export function fromOtherAccount(arn: string, type: CallerType, apiAccount: string): boolean {
  if (type === 'anonymous' || type === 'service') return false;
  const account = principalAccountOf(arn);
  return account !== undefined && account !== apiAccount;
}

/** The summary as work that yields between APIs and stages (the server runs it in slices). */
export function* accessSummaryWork(analysis: AccessAnalysis): Work<AccessSummary> {
  const started = performance.now();
  const model = analysis.model;
  const inventory: AccountInventory = {
    hasOrganization: model.hasOrganization,
    organizationId: [...model.accounts.values()].find((a) => a.inOrganization)?.organizationId ?? null,
    accounts: [...model.accounts.values()].map((a) => ({ id: a.id, name: a.name, ingested: a.ingested, inOrganization: a.inOrganization })),
  };
  const rows: AccessSummaryRow[] = [];
  const everyone = new Set<string>();
  const fromOther = new Set<string>();
  const outsideAll = new Set<string>();
  let questions = 0;
  for (const api of model.apis.values()) {
    for (const stage of api.stages) {
      yield;
      const principals = new Set<string>();
      const others = new Set<string>();
      const outside = new Set<string>();
      let publicMethods = 0;
      for (const method of api.methods) {
        const answer = whoCan(analysis, methodStageTarget(model, 'execute-api:Invoke', api, stage, method), { maxPaths: 1 });
        questions++;
        if (answer.public) publicMethods++;
        for (const p of answer.principals) {
          principals.add(p.arn);
          if (fromOtherAccount(p.arn, p.type, api.row.account)) others.add(p.arn);
          const account = principalAccountOf(p.arn);
          if (account !== undefined && outsideReason(p, inventory) !== undefined) outside.add(account);
        }
      }
      for (const arn of principals) everyone.add(arn);
      for (const arn of others) fromOther.add(arn);
      for (const account of outside) outsideAll.add(account);
      rows.push({
        accountId: api.row.account,
        apiId: api.row.id,
        apiName: api.row.name,
        apiType: api.row.kind,
        stage: stage.name,
        endpointType: api.row.endpointType,
        methods: api.methods.length,
        publicMethods,
        principalsWithAccess: principals.size,
        principalsFromOtherAccounts: others.size,
        outsideOrganizationAccounts: [...outside].sort(),
      });
    }
  }
  return {
    rows: sortRows(rows),
    totals: summaryTotals(rows, everyone, fromOther, outsideAll),
    stats: { questions, ms: Math.round(performance.now() - started) },
  };
}

/** By account, API name, API id, then stage. */
export function sortRows(rows: AccessSummaryRow[]): AccessSummaryRow[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) => cmp(a.accountId, b.accountId) || cmp(a.apiName ?? '', b.apiName ?? '') || cmp(a.apiId, b.apiId) || cmp(a.stage, b.stage),
  );
}

/** The totals over the rows, with the distinct callers of every row. */
export function summaryTotals(
  rows: readonly AccessSummaryRow[],
  everyone: ReadonlySet<string>,
  fromOther: ReadonlySet<string>,
  outsideAll: ReadonlySet<string>,
): AccessSummaryTotals {
  return {
    accounts: new Set(rows.map((r) => r.accountId)).size,
    apis: new Set(rows.map((r) => `${r.accountId} ${r.apiId}`)).size,
    stages: rows.length,
    methods: rows.reduce((n, r) => n + r.methods, 0),
    publicMethods: rows.reduce((n, r) => n + r.publicMethods, 0),
    principalsWithAccess: everyone.size,
    principalsFromOtherAccounts: fromOther.size,
    outsideOrganizationAccounts: [...outsideAll].sort(),
  };
}
