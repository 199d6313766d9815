import { Extensions, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ACCESS_CHANGE_DESCRIPTIONS, ACCESS_KIND_DESCRIPTIONS } from '../../services';
import { connectionType } from '../connection';
import { describedValues, AccessDecisionValue, CallerKindValue, PathHop, PATHS_COST } from './answer.type';

/**
 * The answer of accessDiff: who gained and who lost which access between two
 * snapshots, as a connection with the counts of the whole diff.
 */

export enum AccessKindValue {
  INVOKE = 'invoke',
  MANAGE = 'manage',
  ASSUME = 'assume',
}
registerEnumType(AccessKindValue, {
  name: 'AccessKind',
  description: 'The kinds of access an access diff compares.',
  valuesConfig: describedValues(AccessKindValue, ACCESS_KIND_DESCRIPTIONS),
});

export enum AccessChangeKindValue {
  GAINED = 'gained',
  LOST = 'lost',
  CHANGED = 'changed',
}
registerEnumType(AccessChangeKindValue, {
  name: 'AccessChangeKind',
  description: 'How an access changed between two snapshots.',
  valuesConfig: describedValues(AccessChangeKindValue, ACCESS_CHANGE_DESCRIPTIONS),
});

@ObjectType({ description: 'An access on one side of a diff.' })
export class AccessState {
  @Field(() => AccessDecisionValue, { description: 'The decision on that snapshot.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Role assumptions on the shortest path on that snapshot.' })
  hops!: number;
}

@ObjectType({ description: 'One principal whose access to one resource changed between the two snapshots.' })
export class AccessChange {
  @Field(() => AccessKindValue, { description: 'The kind of access.' })
  kind!: AccessKindValue;

  @Field(() => String, { description: 'The action: execute-api:Invoke, apigateway:POST/PUT/PATCH/DELETE, or sts:AssumeRole.' })
  action!: string;

  @Field(() => String, { description: "The method template ARN, the API's management ARN, or the role ARN." })
  resource!: string;

  @Field(() => String, { description: 'The principal whose access changed.' })
  principal!: string;

  @Field(() => CallerKindValue, { name: 'principalKind', description: 'What kind of caller it is.' })
  principalType!: CallerKindValue;

  @Field(() => AccessChangeKindValue, { description: 'Gained, lost, or changed.' })
  change!: AccessChangeKindValue;

  @Field(() => AccessState, { nullable: true, description: 'The access on the from snapshot; null when gained.' })
  before!: AccessState | null;

  @Field(() => AccessState, { nullable: true, description: 'The access on the to snapshot; null when lost.' })
  after!: AccessState | null;

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], {
    description: 'The paths of the side that has the access: the new paths for a gain or a change, the old ones for a loss.',
  })
  paths!: PathHop[][];
}

@ObjectType({ description: 'How many changes there are of each kind.' })
export class AccessChangeCounts {
  @Field(() => Int, { description: 'Accesses gained.' })
  gained!: number;

  @Field(() => Int, { description: 'Accesses lost.' })
  lost!: number;

  @Field(() => Int, { description: 'Accesses whose decision changed.' })
  changed!: number;
}

@ObjectType({ description: 'How many changes there are of one kind of access.' })
export class AccessKindCounts {
  @Field(() => AccessKindValue, { description: 'The kind of access.' })
  kind!: AccessKindValue;

  @Field(() => Int, { description: 'Accesses of this kind gained.' })
  gained!: number;

  @Field(() => Int, { description: 'Accesses of this kind lost.' })
  lost!: number;

  @Field(() => Int, { description: 'Accesses of this kind whose decision changed.' })
  changed!: number;
}

/** What a page of access changes carries beside the page: the snapshots compared and the counts of the whole diff. */
@ObjectType('AccessChangeConnectionHead')
export class AccessChangeConnectionHead {
  @Field(() => String, { description: 'Id of the older snapshot compared.' })
  from!: string;

  @Field(() => String, { description: 'Id of the newer snapshot compared.' })
  to!: string;

  @Field(() => AccessChangeCounts, { description: 'How many accesses were gained, lost and changed in all.' })
  counts!: AccessChangeCounts;

  @Field(() => [AccessKindCounts], {
    description: 'The counts of each kind of access (INVOKE, MANAGE, ASSUME; every kind listed, zeros included).',
  })
  countsByKind!: AccessKindCounts[];

  @Field(() => Int, { description: 'Questions compared (methods × stages, APIs × actions, roles).' })
  compared!: number;
}

export const AccessChangeConnection = connectionType(() => AccessChange, 'AccessChange', 'access change', {
  head: AccessChangeConnectionHead,
  descriptions: {
    connection:
      'A page of the access changes between two snapshots (ordered by resource, action, principal), with the counts of the whole diff.',
    node: 'The change.',
    edges: 'The changes of this page with their cursors, in order.',
    nodes: 'The changes of this page, in order (the same as edges’ nodes, without cursors).',
    totalCount: 'How many changes there are (every page, not only this one).',
  },
});
