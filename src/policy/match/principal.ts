import { atom, not, or, orAll, type Truth } from '../logic/truth';
import type { EvaluationMode } from '../types';
import type { Principal } from '../principal/principal';

/**
 * `Principal` / `NotPrincipal` of a resource-based policy, compiled into
 * lookup sets.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export interface PrincipalElement {
  readonly negated: boolean;
  /** The element as written. */
  readonly raw: unknown;
  /** `"Principal": "*"`. */
  readonly bareWildcard: boolean;
  /** `{"AWS": "*"}`: equivalent to `"*"` (IUG), but see `unsignedCaller`. */
  readonly awsWildcard: boolean;
  /** True when the element has an `AWS` key. */
  readonly hasAws: boolean;
  /** Account ids named by `123456789012` or `arn:aws:iam::123456789012:root`. */
  readonly accounts: ReadonlySet<string>;
  /** User, role, assumed-role session and federated-user ARNs. */
  readonly arns: ReadonlySet<string>;
  /** Unique ids (`AIDA…`, `AROA…`) as stored in trust policies of deleted/recreated principals. */
  readonly uniqueIds: ReadonlySet<string>;
  /** Session names named for each role: key `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE`. */
  readonly sessionsByRole: ReadonlyMap<string, readonly string[]>;
  readonly services: ReadonlySet<string>;
  readonly federated: ReadonlySet<string>;
  readonly canonicalUsers: ReadonlySet<string>;
}

/**
 * How a `Principal` element names the caller, at each level. What an allow
 * grants in the same account depends on this level:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * - `wildcard`: `"*"` (or a NotPrincipal that does not list the caller);
 * - `direct`: the caller's own ARN (user, role session, federated user), service, provider or canonical user;
 * - `parent`: the role ARN of a role session, or the IAM user behind a federated user session;
 * - `account`: the caller's account (id or root ARN).
 */
export interface PrincipalMatch {
  readonly wildcard: boolean;
  readonly direct: Truth;
  readonly parent: boolean;
  readonly account: boolean;
}

export const NO_PRINCIPAL_MATCH: PrincipalMatch = { wildcard: false, direct: false, parent: false, account: false };

export interface PrincipalMatchOptions {
  readonly mode: EvaluationMode;
  /**
   * The caller did not sign with SigV4 (API Gateway methods without AWS_IAM):
   * only a bare `"*"` matches. AGDG: "If the Principal is set to "AWS",
   * authorization will fail for all resources not secured with AWS_IAM
   * authorization, including unsecured resources."
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html
   */
  readonly unsignedCaller?: boolean;
}

function listedLevels(el: PrincipalElement, p: Principal, options: PrincipalMatchOptions): PrincipalMatch {
  const wildcard = el.bareWildcard || (el.awsWildcard && !options.unsignedCaller);
  switch (p.kind) {
    case 'anonymous':
      return { wildcard, direct: false, parent: false, account: false };
    case 'service':
      return { wildcard, direct: el.services.has(p.service), parent: false, account: false };
    case 'federatedIdentity':
      return {
        wildcard,
        direct: el.federated.has(p.provider) || el.federated.has(p.provider.toLowerCase()),
        parent: false,
        account: false,
      };
    default:
      break;
  }
  if (options.unsignedCaller) return { wildcard, direct: false, parent: false, account: false };
  const account = el.accounts.has(p.accountId);
  switch (p.kind) {
    case 'user':
      return {
        wildcard,
        direct:
          el.arns.has(p.arn) ||
          (p.userId !== undefined && el.uniqueIds.has(p.userId)) ||
          (p.canonicalUserId !== undefined && el.canonicalUsers.has(p.canonicalUserId)),
        parent: false,
        account,
      };
    case 'roleSession':
      return {
        wildcard,
        direct: el.arns.has(p.arn),
        parent: el.arns.has(p.roleArn) || (p.roleId !== undefined && el.uniqueIds.has(p.roleId)),
        account,
      };
    case 'role': {
      // "Any session of this role": a named session matches only if the session has that name.
      const sessions = el.sessionsByRole.get(`arn:${p.partition}:sts::${p.accountId}:assumed-role/${p.roleName}`);
      const direct: Truth =
        sessions === undefined || options.mode === 'concrete'
          ? false
          : orAll(sessions.map((sessionName) => atom({ kind: 'sessionName', roleArn: p.arn, sessionName })));
      return { wildcard, direct, parent: el.arns.has(p.arn) || (p.roleId !== undefined && el.uniqueIds.has(p.roleId)), account };
    }
    case 'federatedUser':
      return { wildcard, direct: el.arns.has(p.arn), parent: p.userArn !== undefined && el.arns.has(p.userArn), account };
    case 'root':
      return {
        wildcard,
        direct: p.canonicalUserId !== undefined && el.canonicalUsers.has(p.canonicalUserId),
        parent: false,
        account,
      };
    case 'accountPrincipal':
      // Named only through its account: principals named by ARN are asked about one by one.
      return { wildcard, direct: false, parent: false, account };
  }
}

/**
 * How the statement's Principal/NotPrincipal names the caller. A
 * `NotPrincipal` applies to every caller it does not list — at any level: a
 * caller is excluded when its own ARN, its role (for sessions) or its account
 * is listed. The IUG warns that AWS "might" check the account and the role
 * before the session; we exclude on any listed level so that an exclusion is
 * never reported as a denial AWS would not make.
 */
export function matchPrincipalElement(el: PrincipalElement, p: Principal, options: PrincipalMatchOptions): PrincipalMatch {
  const levels = listedLevels(el, p, options);
  if (!el.negated) return levels;
  const listed = or(levels.wildcard || levels.parent || levels.account, levels.direct);
  const applies = not(listed);
  if (applies === false) return NO_PRINCIPAL_MATCH;
  if (applies === true) return { wildcard: true, direct: false, parent: false, account: false };
  // Conditional exclusion (an unknown session name): "everyone not listed" holds only when the atom is false.
  return { wildcard: false, direct: applies, parent: false, account: false };
}

/** Any level at all. */
export function principalMatchAny(m: PrincipalMatch): Truth {
  return or(m.wildcard || m.parent || m.account, m.direct);
}
