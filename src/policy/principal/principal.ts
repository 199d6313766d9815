import { ACCOUNT_ID, parseArn } from '../match/arn';

/**
 * The caller of a request, as a typed object. Everything a policy can ask
 * about the caller (`aws:PrincipalArn`, `aws:PrincipalAccount`,
 * `aws:PrincipalType`, `aws:username`, `aws:userid`, `aws:PrincipalTag/…`,
 * `aws:PrincipalOrgID`) is derived from it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export type Principal =
  | UserPrincipal
  | RoleSessionPrincipal
  | RolePrincipal
  | FederatedUserPrincipal
  | RootPrincipal
  | AccountPrincipal
  | ServicePrincipal
  | FederatedIdentityPrincipal
  | AnonymousPrincipal;

/** Facts about an IAM principal that only the caller of the engine can know. */
export interface PrincipalFacts {
  /**
   * Tags of the principal (for a role session: the role's tags merged with session tags).
   * When given, the set is complete: a tag not listed is known to be absent.
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** `aws:PrincipalOrgID`; `null` when the account is known not to be in an organization. */
  readonly orgId?: string | null;
  /** `aws:PrincipalOrgPaths`. */
  readonly orgPaths?: readonly string[];
}

export interface UserPrincipal extends PrincipalFacts {
  readonly kind: 'user';
  readonly partition: string;
  readonly accountId: string;
  readonly arn: string;
  /** Friendly name, the last part of the ARN (`aws:username`). */
  readonly name: string;
  /** Unique id (`AIDA…`), the value of `aws:userid`, when known. */
  readonly userId?: string;
  readonly canonicalUserId?: string;
}

/** A session of a role (AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity). */
export interface RoleSessionPrincipal extends PrincipalFacts {
  readonly kind: 'roleSession';
  readonly partition: string;
  readonly accountId: string;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` */
  readonly arn: string;
  /** `arn:aws:iam::ACCOUNT:role/PATH/ROLE` (the value of `aws:PrincipalArn`). */
  readonly roleArn: string;
  readonly roleName: string;
  readonly sessionName: string;
  /** Unique role id (`AROA…`), when known; `aws:userid` is `roleId:sessionName`. */
  readonly roleId?: string;
  /** Service-linked roles are exempt from SCPs and RCPs. */
  readonly serviceLinked: boolean;
}

/**
 * "Any session of this role": used when the session name is not known. A
 * policy that names one specific session then matches only conditionally
 * (analysis mode) or not at all (concrete mode).
 */
export interface RolePrincipal extends PrincipalFacts {
  readonly kind: 'role';
  readonly partition: string;
  readonly accountId: string;
  /** The role ARN. */
  readonly arn: string;
  readonly roleName: string;
  readonly roleId?: string;
  readonly serviceLinked: boolean;
}

/** A federated user session from `GetFederationToken`. */
export interface FederatedUserPrincipal extends PrincipalFacts {
  readonly kind: 'federatedUser';
  readonly partition: string;
  readonly accountId: string;
  /** `arn:aws:sts::ACCOUNT:federated-user/NAME` */
  readonly arn: string;
  readonly name: string;
  /** The IAM user who called GetFederationToken, when known. */
  readonly userArn?: string;
}

/** The account root user. */
export interface RootPrincipal extends PrincipalFacts {
  readonly kind: 'root';
  readonly partition: string;
  readonly accountId: string;
  readonly arn: string;
  readonly canonicalUserId?: string;
}

/**
 * Some IAM principal of an account whose principals are not known (an
 * account outside the snapshot): a user or a role session, which one is not
 * known. Only its account and organization facts are known; its ARN, type,
 * name, unique id and tags are unknown (analysis mode), so conditions on them
 * stay open. A resource-based policy names it only through its account or
 * `"*"` (principals named by ARN are asked about by ARN). Its identity-based
 * policies are whatever the caller gives (usually an unknown policy).
 */
export interface AccountPrincipal extends PrincipalFacts {
  readonly kind: 'accountPrincipal';
  readonly partition: string;
  readonly accountId: string;
}

/** An AWS service principal such as `apigateway.amazonaws.com`. */
export interface ServicePrincipal {
  readonly kind: 'service';
  readonly service: string;
}

/** A SAML or OIDC identity provider's user, before AssumeRoleWithSAML/WebIdentity. */
export interface FederatedIdentityPrincipal {
  readonly kind: 'federatedIdentity';
  /** `arn:aws:iam::ACCOUNT:saml-provider/NAME`, `…:oidc-provider/HOST`, or a host such as `accounts.google.com`. */
  readonly provider: string;
}

/** An unauthenticated (unsigned) caller. */
export interface AnonymousPrincipal {
  readonly kind: 'anonymous';
}

export type IamPrincipal = UserPrincipal | RoleSessionPrincipal | RolePrincipal | FederatedUserPrincipal | RootPrincipal | AccountPrincipal;

/** True for principals that belong to an account and sign with IAM credentials. */
export function isIamPrincipal(p: Principal): p is IamPrincipal {
  return (
    p.kind === 'user' ||
    p.kind === 'roleSession' ||
    p.kind === 'role' ||
    p.kind === 'federatedUser' ||
    p.kind === 'root' ||
    p.kind === 'accountPrincipal'
  );
}

/** The account of the principal, or `undefined` for anonymous, service and federated-identity callers. */
export function principalAccount(p: Principal): string | undefined {
  return isIamPrincipal(p) ? p.accountId : undefined;
}

/** `aws:PrincipalArn`: the role ARN for a role session. */
export function principalArnKey(p: Principal): string | undefined {
  switch (p.kind) {
    case 'user':
    case 'role':
    case 'federatedUser':
    case 'root':
      return p.arn;
    case 'roleSession':
      return p.roleArn;
    default:
      return undefined;
  }
}

/** True for service-linked roles and their sessions (path `aws-service-role/`). */
export function isServiceLinked(p: Principal): boolean {
  return (p.kind === 'roleSession' || p.kind === 'role') && p.serviceLinked;
}

/** Web identity providers that appear as bare host names in `Principal.Federated`. */
const WEB_IDENTITY_HOSTS = new Set(['cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com']);

export type PrincipalParseResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly message: string };

export interface PrincipalFromArnOptions extends PrincipalFacts {
  /** Force a non-ARN caller to be read as a service or a federated identity provider. */
  readonly callerType?: 'service' | 'federated';
  /** For a role session: the full role ARN including its path (the session ARN omits the path). */
  readonly roleArn?: string;
  readonly userId?: string;
  readonly roleId?: string;
}

/**
 * Reads a caller from its ARN (or `anonymous`, a service principal name, or
 * an identity provider). Role session ARNs lose the role's path; pass
 * `roleArn` to restore it. A session of a role whose name starts with
 * `AWSServiceRoleFor` is taken to be service-linked.
 */
export function principalFromArn(value: string, options: PrincipalFromArnOptions = {}): PrincipalParseResult {
  const facts: PrincipalFacts = {
    ...(options.tags !== undefined ? { tags: options.tags } : {}),
    ...(options.orgId !== undefined ? { orgId: options.orgId } : {}),
    ...(options.orgPaths !== undefined ? { orgPaths: options.orgPaths } : {}),
  };
  if (value === 'anonymous' || value === '*') return { ok: true, principal: { kind: 'anonymous' } };
  const arn = parseArn(value);
  if (arn === undefined) {
    if (/^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(\.cn)?$/i.test(value)) {
      const isService =
        options.callerType === 'service' ||
        (options.callerType === undefined && /\.amazonaws\.com(\.cn)?$/i.test(value) && !WEB_IDENTITY_HOSTS.has(value.toLowerCase()));
      return isService
        ? { ok: true, principal: { kind: 'service', service: value.toLowerCase() } }
        : { ok: true, principal: { kind: 'federatedIdentity', provider: value } };
    }
    return {
      ok: false,
      message: `expected an IAM user, role, assumed-role session, federated user or root ARN, a service principal, or "anonymous"; got ${JSON.stringify(value)}`,
    };
  }
  const { partition, service, account, resource } = arn;
  if (!ACCOUNT_ID.test(account)) return { ok: false, message: `the account in ${JSON.stringify(value)} is not a 12-digit account id` };
  if (service === 'iam') {
    if (resource === 'root') return { ok: true, principal: { kind: 'root', partition, accountId: account, arn: value, ...facts } };
    const slash = resource.indexOf('/');
    const type = slash < 0 ? resource : resource.slice(0, slash);
    const rest = slash < 0 ? '' : resource.slice(slash + 1);
    const name = rest.slice(rest.lastIndexOf('/') + 1);
    if (type === 'user' && name !== '') {
      return {
        ok: true,
        principal: {
          kind: 'user',
          partition,
          accountId: account,
          arn: value,
          name,
          ...(options.userId ? { userId: options.userId } : {}),
          ...facts,
        },
      };
    }
    if (type === 'role' && name !== '') {
      return {
        ok: true,
        principal: {
          kind: 'role',
          partition,
          accountId: account,
          arn: value,
          roleName: name,
          serviceLinked: rest.startsWith('aws-service-role/'),
          ...(options.roleId ? { roleId: options.roleId } : {}),
          ...facts,
        },
      };
    }
    if ((type === 'saml-provider' || type === 'oidc-provider') && rest !== '') {
      return { ok: true, principal: { kind: 'federatedIdentity', provider: value } };
    }
  }
  if (service === 'sts') {
    const parts = resource.split('/');
    if (parts[0] === 'assumed-role' && parts.length === 3 && parts[1] && parts[2]) {
      const roleName = parts[1];
      const roleArn = options.roleArn ?? `arn:${partition}:iam::${account}:role/${roleName}`;
      return {
        ok: true,
        principal: {
          kind: 'roleSession',
          partition,
          accountId: account,
          arn: value,
          roleArn,
          roleName,
          sessionName: parts[2],
          serviceLinked: roleArn.includes(':role/aws-service-role/') || roleName.startsWith('AWSServiceRoleFor'),
          ...(options.roleId ? { roleId: options.roleId } : {}),
          ...facts,
        },
      };
    }
    if (parts[0] === 'federated-user' && parts.length === 2 && parts[1]) {
      return { ok: true, principal: { kind: 'federatedUser', partition, accountId: account, arn: value, name: parts[1], ...facts } };
    }
  }
  return {
    ok: false,
    message: `${JSON.stringify(value)} is not the ARN of an IAM user, role, assumed-role session, federated user or account root`,
  };
}
