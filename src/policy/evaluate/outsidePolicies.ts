import { parseArn } from '../match/arn';
import { isIamPrincipal, type Principal } from '../principal/principal';

/**
 * Rules AWS applies outside the policies: requests that need no permission,
 * resources no policy can let anyone change, and resources that belong to no
 * account. Every rule names its AWS page; `authorize` applies them (with the
 * STS and PassRole rules of `sts.ts`).
 */

/**
 * AWS managed policies (`arn:aws:iam::aws:policy/…`) are global resources
 * that AWS owns and maintains, available in every account: the `aws` in the
 * account field is not another account, so reading one (`iam:GetPolicy`,
 * `iam:GetPolicyVersion`, …) is decided by the caller's own policies, not as
 * a cross-account request. "You can't change the permissions in AWS managed
 * policies."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function isAwsManagedPolicyArn(resource: string): boolean {
  // `arn:PARTITION:iam::aws:policy/…`, tested without splitting the ARN (it runs for every decision).
  const at = resource.indexOf(':iam::aws:policy/');
  return at > 4 && resource.startsWith('arn:') && resource.indexOf(':', 4) === at;
}

/** IAM actions that change a managed policy: refused on AWS managed policies. */
const POLICY_CHANGES = new Set([
  'iam:createpolicy',
  'iam:createpolicyversion',
  'iam:deletepolicy',
  'iam:deletepolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:tagpolicy',
  'iam:untagpolicy',
]);

/**
 * IAM actions that change a role: its trust policy, its permissions (inline,
 * attached, boundary), its tags, the role itself; and `iam:PassRole`, which
 * hands the role to a service.
 */
const ROLE_CHANGES = new Set([
  'iam:updateassumerolepolicy',
  'iam:attachrolepolicy',
  'iam:detachrolepolicy',
  'iam:putrolepolicy',
  'iam:deleterolepolicy',
  'iam:putrolepermissionsboundary',
  'iam:deleterolepermissionsboundary',
  'iam:deleterole',
  'iam:tagrole',
  'iam:untagrole',
  'iam:passrole',
]);
/** Further changes refused on IAM Identity Center roles (a service-linked role's description can be edited). */
const SSO_ROLE_CHANGES = new Set(['iam:updaterole', 'iam:updateroledescription']);

export type ProtectedRoleKind = 'serviceLinked' | 'identityCenter';

/**
 * Roles that IAM protects from changes made through IAM:
 * - service-linked roles (path `/aws-service-role/`): "Only the service that
 *   depends on the service-linked role can modify or delete the role"; "You
 *   cannot modify the trust policy for a service-linked role"; to attach a
 *   policy "you must make the request using the AWS service that depends on
 *   this role"; a service-linked role cannot have a permissions boundary; the
 *   service uses it, so nobody passes it (`iam:PassRole`). Deleting it goes
 *   through `iam:DeleteServiceLinkedRole`, and its description may be edited.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-service-linked-role.html
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
 *   https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html (UnmodifiableEntity)
 * - IAM Identity Center roles (`AWSReservedSSO_…` under
 *   `/aws-reserved/sso.amazonaws.com/`): IAM Identity Center creates, changes
 *   and deletes them from the permission set; only its own service-linked
 *   role (`AWSServiceRoleForSSO`, policy `AWSSSOServiceRolePolicy`) changes
 *   them in IAM.
 *   https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 *   https://docs.aws.amazon.com/singlesignon/latest/userguide/using-service-linked-roles.html
 *   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSSOServiceRolePolicy.html
 */
export function protectedRoleKind(roleArn: string): ProtectedRoleKind | undefined {
  const arn = parseArn(roleArn);
  if (arn === undefined || arn.service !== 'iam' || !arn.resource.startsWith('role/')) return undefined;
  const pathAndName = arn.resource.slice('role/'.length);
  if (pathAndName.startsWith('aws-service-role/')) return 'serviceLinked';
  const name = pathAndName.slice(pathAndName.lastIndexOf('/') + 1);
  if (pathAndName.startsWith('aws-reserved/sso.amazonaws.com/') && name.startsWith('AWSReservedSSO_')) return 'identityCenter';
  return undefined;
}

/** IAM Identity Center's own service-linked role (`AWSServiceRoleForSSO`), which manages the AWSReservedSSO_ roles. */
function isIdentityCenterServiceRole(p: Principal): boolean {
  return (p.kind === 'role' || p.kind === 'roleSession') && p.serviceLinked && p.roleName === 'AWSServiceRoleForSSO';
}

/**
 * Why AWS refuses this action on this resource to every principal, whatever
 * the policies say, or `undefined`. IAM Identity Center roles are the one
 * exception: IAM Identity Center's own service-linked role changes them (see
 * `refusedOutsidePolicies`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
 */
export function protectedResourceReason(action: string, resource: string): string | undefined {
  if (action.length < 4 || action.slice(0, 4).toLowerCase() !== 'iam:') return undefined;
  const actionLower = action.toLowerCase();
  if (POLICY_CHANGES.has(actionLower) && isAwsManagedPolicyArn(resource)) {
    return 'AWS managed policies cannot be changed: AWS maintains them ("You can\'t change the permissions in AWS managed policies")';
  }
  const kind = ROLE_CHANGES.has(actionLower) || SSO_ROLE_CHANGES.has(actionLower) ? protectedRoleKind(resource) : undefined;
  if (kind === 'serviceLinked' && ROLE_CHANGES.has(actionLower)) {
    return actionLower === 'iam:passrole'
      ? 'a service-linked role is used only by the service it is linked to: nobody can pass it'
      : 'a service-linked role is protected: only the service that depends on it can change or delete it (IAM answers UnmodifiableEntity)';
  }
  if (kind === 'identityCenter') {
    return actionLower === 'iam:passrole'
      ? 'an IAM Identity Center role (AWSReservedSSO_…) is used through IAM Identity Center only: nobody can pass it'
      : "an IAM Identity Center role (AWSReservedSSO_…) is managed by IAM Identity Center from its permission set: it cannot be changed through IAM (only IAM Identity Center's service-linked role changes it)";
  }
  return undefined;
}

/** Why AWS refuses this request whatever the policies say, or `undefined`. */
export function refusedOutsidePolicies(principal: Principal, actionLower: string, resource: string): string | undefined {
  if (!actionLower.startsWith('iam:')) return undefined;
  const reason = protectedResourceReason(actionLower, resource);
  if (reason === undefined) return undefined;
  if (protectedRoleKind(resource) === 'identityCenter' && actionLower !== 'iam:passrole' && isIdentityCenterServiceRole(principal))
    return undefined;
  return reason;
}

/**
 * `sts:GetCallerIdentity` needs no permission and cannot be denied: "No
 * permissions are required to perform this operation. If an administrator
 * attaches a policy to your identity that explicitly denies access to the
 * sts:GetCallerIdentity action, you can still perform this operation." It
 * needs credentials, so only signed (IAM) callers can make it.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export function needsNoPermission(principal: Principal, actionLower: string): string | undefined {
  return actionLower === 'sts:getcalleridentity' && isIamPrincipal(principal)
    ? 'sts:GetCallerIdentity needs no permission and cannot be denied'
    : undefined;
}
