import type { RequestContext } from '../context/context';
import { parseArn } from '../match/arn';
import { principalAccount, type Principal } from '../principal/principal';

/**
 * STS and PassRole rules that are not plain policy matching.
 */

/**
 * Actions governed by the role trust policy, which must always explicitly
 * allow the caller: AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity,
 * and the session options checked against the trust policy (TagSession,
 * SetSourceIdentity, SetContext).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required
 */
const TRUST_ACTIONS = new Set([
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
]);

export function isTrustAction(actionLower: string): boolean {
  return TRUST_ACTIONS.has(actionLower);
}

/** Role chaining: "Role chaining limits your AWS CLI or AWS API role session to a maximum of one hour." */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

/**
 * A request AWS refuses whatever the policies say, or `undefined`.
 * - Role chaining (a role session assuming a role) caps the session at one
 *   hour; asking for more (`sts:DurationSeconds` > 3600) fails.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 * - `iam:PassRole` cannot pass a role of another account.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 */
export function stsRequestProblem(
  principal: Principal,
  actionLower: string,
  resource: string,
  context: RequestContext,
): string | undefined {
  if (actionLower === 'sts:assumerole' && (principal.kind === 'roleSession' || principal.kind === 'role')) {
    const d = context.get('sts:durationseconds');
    if (d.state === 'present') {
      const seconds = Number(d.value.values[0]);
      if (Number.isFinite(seconds) && seconds > ROLE_CHAINING_MAX_SECONDS) {
        return `role chaining limits the session to ${ROLE_CHAINING_MAX_SECONDS} seconds; ${seconds} was requested`;
      }
    }
  }
  if (actionLower === 'iam:passrole') {
    const arn = parseArn(resource);
    const account = principalAccount(principal);
    if (
      arn !== undefined &&
      arn.service === 'iam' &&
      arn.resource.startsWith('role/') &&
      account !== undefined &&
      arn.account !== account
    ) {
      return `a role from another account (${arn.account}) cannot be passed`;
    }
  }
  return undefined;
}
