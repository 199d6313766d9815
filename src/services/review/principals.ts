/** Who a rule names: its principal matchers checked on a principal (or on the roles of its paths), and whether it is outside the organization. */
import type { AccessPath, CallerType } from '../../analysis';
import { principalAccountOf } from '../../policy';
import { globMatches } from './glob';
import type { PrincipalMatcher } from './rules';
import type { AccountInventory } from './source';

/** The groups a user is in (ReviewRun memoises them). */
export interface GroupLookup {
  groupsOf(arn: string): Promise<string[]>;
}

/** Whether the matcher names the principal. */
export async function matches(groups: GroupLookup, m: PrincipalMatcher, principal: { arn: string; type: CallerType }): Promise<boolean> {
  switch (m.kind) {
    case 'arn':
      return globMatches(m.pattern, principal.arn);
    case 'role':
      return principal.type === 'role' && globMatches(m.pattern, principal.arn);
    case 'group':
      return principal.type === 'user' && (await groups.groupsOf(principal.arn)).some((g) => globMatches(m.pattern, g));
    case 'account':
      return principalAccountOf(principal.arn) === m.account;
    case 'type':
      return principal.type === m.type;
  }
}

/** The first of the matchers that names the principal, if any. */
export async function matchesAny(
  groups: GroupLookup,
  list: readonly PrincipalMatcher[],
  principal: { arn: string; type: CallerType },
): Promise<PrincipalMatcher | undefined> {
  for (const m of list) if (await matches(groups, m, principal)) return m;
  return undefined;
}

/** Every path goes through a role (assume-role hop) that one of the matchers allows. */
export async function everyPathThroughAllowed(
  groups: GroupLookup,
  paths: readonly AccessPath[],
  allowed: readonly PrincipalMatcher[],
): Promise<boolean> {
  if (paths.length === 0) return false;
  for (const path of paths) {
    let ok = false;
    for (const hop of path) {
      if (hop.kind === 'assume-role' && (await matchesAny(groups, allowed, { arn: hop.to, type: 'role' }))) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

/** Why a principal is outside the organization (or, without one, outside the ingested accounts); undefined when it is not. */
export function outsideReason(p: { arn: string; type: CallerType }, accounts: AccountInventory): string | undefined {
  if (p.type === 'anonymous') return 'anonymous callers: anyone, inside the organization or not';
  const account = principalAccountOf(p.arn);
  if (account === undefined) return undefined; // AWS services act for the account that granted them.
  if (account === '*') return 'any AWS account: the policy names "*"';
  const row = accounts.accounts.find((a) => a.id === account);
  if (accounts.hasOrganization) {
    return row?.inOrganization
      ? undefined
      : `account ${account}${row?.name ? ` (${row.name})` : ''} is not in organization ${accounts.organizationId ?? ''}`.trimEnd();
  }
  return row?.ingested ? undefined : `account ${account} is not one of the ingested accounts (the snapshot has no organization)`;
}

/** A matcher in a few words, for the reason of a violation. */
export function describeMatcherShort(m: PrincipalMatcher): string {
  switch (m.kind) {
    case 'arn':
      return m.pattern;
    case 'group':
      return `member of ${m.pattern}`;
    case 'role':
      return `role ${m.pattern}`;
    case 'account':
      return `account ${m.account}`;
    case 'type':
      return `a ${m.type}`;
  }
}
