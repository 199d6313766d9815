import type { AuthCheckerFn } from 'type-graphql';
import { AppError } from '../errors';
import type { ApiRole } from '../security/apiTokens';
import type { ApiContext } from './context';

/**
 * `@Authorized('admin')` on a field: only an admin token may call it. Readers
 * get every query; admin-only operations change the graph (snapshots). A
 * refusal is FORBIDDEN, naming the field and the role it needs.
 */
export const authChecker: AuthCheckerFn<ApiContext, ApiRole> = ({ context, info }, roles) => {
  if (roles.length === 0 || roles.includes(context.role)) return true;
  throw new AppError(
    'FORBIDDEN',
    `${info.parentType.name}.${info.fieldName} needs an API token with the role ${roles.join(' or ')}; this request's token has the role ${context.role}.`,
  );
};
