import { FieldResolver, Resolver, Root, UseMiddleware } from 'type-graphql';
import type { ConditionSummary, PathHop as PathHopValue, PrincipalAccess as PrincipalAccessValue } from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import { enforceDeadline } from '../limits';
import { AccessCondition, PathHop, PrincipalAccess } from './answer.type';
import { pageOfList } from './listPage';

/** The fields of the shared answer types that the service leaves out when empty, and the principals of an answer, paged. */

/** A page of an answer's principals (who can, and who reaches a function through one method). */
export function principalsPage(
  principals: readonly PrincipalAccessValue[],
  page: PageArgs,
  ctx: ApiContext,
): ConnectionValue<PrincipalAccessValue> {
  return toConnection(
    pageOfList(principals, (p) => p.arn, pageRequest(page, 'principalAccess', ctx)),
    'principalAccess',
  );
}

@UseMiddleware(enforceDeadline)
@Resolver(() => PrincipalAccess)
export class PrincipalAccessResolver {
  @FieldResolver(() => Boolean)
  morePaths(@Root() access: PrincipalAccessValue): boolean {
    return access.morePaths === true;
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => PathHop)
export class PathHopResolver {
  @FieldResolver(() => [AccessCondition])
  conditions(@Root() hop: PathHopValue): ConditionSummary[] {
    return hop.conditions ?? [];
  }
}
