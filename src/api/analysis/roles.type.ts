import { Extensions, Field, Int, ObjectType } from 'type-graphql';
import { COST_LIST_SIZE } from '../limits';
import { AccessCondition, AccessDecisionValue, CallerKindValue, CONDITIONS_COST, PathHop, PATHS_COST } from './answer.type';

/**
 * The answers about chains of sts:AssumeRole: how a principal can become one
 * role (rolePaths), and every role it can become (reachableRoles).
 */

@ObjectType({ description: 'How a principal can become a role: the chains of sts:AssumeRole, shortest first.' })
export class RolePathsAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The principal the chains start from.' })
  from!: string;

  @Field(() => CallerKindValue, { name: 'fromKind', description: 'What kind of caller it is.' })
  fromType!: CallerKindValue;

  @Field(() => String, { description: 'The role the chains end at.' })
  to!: string;

  @Field(() => Boolean, { description: 'True when a chain of at most maxHops assumptions exists.' })
  reachable!: boolean;

  @Field(() => AccessDecisionValue, {
    description: 'The best decision over the chains: ALLOWED, CONDITIONAL (some hop has conditions), or DENIED when unreachable.',
  })
  decision!: AccessDecisionValue;

  @Field(() => Int, { nullable: true, description: 'Assumptions on the shortest chain (0 when from is to); null when unreachable.' })
  hops!: number | null;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What the best chain depends on.' })
  conditions!: AccessCondition[];

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], {
    description:
      'The chains, shortest first (at most maxPaths), each a list of assume-role hops with the trust statement, the caller’s own statement and any conditions.',
  })
  paths!: PathHop[][];

  @Field(() => Boolean, { description: 'True when more chains exist than maxPaths let through.' })
  morePaths!: boolean;
}

@ObjectType({ description: 'A role a principal can become, by a chain of sts:AssumeRole.' })
export class ReachableRole {
  @Field(() => String, { description: 'The role ARN.' })
  role!: string;

  @Field(() => Int, { description: 'Assumptions on the shortest chain from the principal to this role.' })
  hops!: number;

  @Field(() => AccessDecisionValue, { description: 'ALLOWED when some chain holds whatever the request context, else CONDITIONAL.' })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What the shortest chain depends on; empty when ALLOWED.' })
  conditions!: AccessCondition[];

  @Extensions({ [COST_LIST_SIZE]: 6 })
  @Field(() => [PathHop], {
    description: 'The shortest chain: assume-role hops, each with its trust statement, the caller’s own statement and any conditions.',
  })
  path!: PathHop[];
}

@ObjectType({ description: 'The roles a principal can become, nearest first.' })
export class ReachableRolesAnswer {
  @Field(() => String, { description: 'Id of the snapshot the answer was computed on.' })
  snapshot!: string;

  @Field(() => String, { description: 'The principal asked about, as the analysis resolved it.' })
  principal!: string;

  @Field(() => CallerKindValue, { name: 'principalKind', description: 'What kind of caller it is.' })
  principalType!: CallerKindValue;

  @Extensions({ [COST_LIST_SIZE]: 20 })
  @Field(() => [ReachableRole], { description: 'Every role reached within maxHops assumptions, by hops then ARN.' })
  roles!: ReachableRole[];
}
