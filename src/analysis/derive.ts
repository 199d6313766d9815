import type { AccountRow, SnapshotRows } from '../model';
import { AccessAnalysis, type AnalysisSettings } from './accessAnalysis';
import { ANY_ACCOUNT, callerType } from './decide';

/**
 * What the analysis adds to a snapshot at ingest, so that it is decided once
 * and readable in Neo4j Browser:
 * - `canAssume`: every `CAN_ASSUME` relationship the policy engine allows
 *   (src/analysis/assumeGraph.ts), with the deciding statements and conditions;
 * - `externalPrincipals`: users, roles and sessions of accounts that were not
 *   ingested, named by ARN in trust or resource policies;
 * - `accounts`: an Account node (ingested: false, inOrganization: false) for
 *   every account named by such a policy that the snapshot does not have, and
 *   for "any other AWS account" (key `*`) when a trust policy lets it assume
 *   a role.
 *
 * Returns the analysis it built, so the caller can reuse it.
 */
export function deriveAccessRows(rows: SnapshotRows, settings: AnalysisSettings): AccessAnalysis {
  rows.canAssume = [];
  rows.externalPrincipals = [];
  const analysis = AccessAnalysis.fromRows(rows, settings, { decideRoleGraph: true });
  const universe = analysis.universe;
  rows.canAssume = analysis.assumeGraph.toRows();
  for (const caller of universe.externalCallers()) {
    if (caller.type !== 'external') continue;
    const type = callerType(caller);
    rows.externalPrincipals.push({
      key: caller.arn,
      arn: caller.arn,
      account: caller.account,
      kind: type === 'user' || type === 'role' ? type : 'session',
    });
  }
  const known = new Set(rows.accounts.map((a) => a.id));
  const usedByEdges = new Set(rows.canAssume.filter((c) => c.fromLabel === 'Account').map((c) => c.fromKey));
  const named = [...universe.accountsByKey.keys(), ...rows.externalPrincipals.map((p) => p.account)];
  const added = new Set<string>();
  for (const account of named) {
    if (known.has(account) || added.has(account)) continue;
    added.add(account);
    rows.accounts.push(namedAccountRow(account, null));
  }
  if (usedByEdges.has(ANY_ACCOUNT)) rows.accounts.push(namedAccountRow(ANY_ACCOUNT, 'any other AWS account'));
  return analysis;
}

function namedAccountRow(id: string, name: string | null): AccountRow {
  return { key: id, id, name, ingested: false, inOrganization: false, organizationId: null, isManagement: false };
}
