import { Field, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../connection';

@ObjectType({ description: 'A principal with how many API methods (method × stage) it can invoke, from the access index.' })
export class RankedPrincipal {
  @Field(() => String, {
    description:
      'The principal as answers name it: a user or role ARN, arn:aws:iam::ACCOUNT:root for principals of an account outside the snapshot, a service, or anonymous.',
  })
  arn!: string;

  @Field(() => String, { description: 'user, role, session, account, service or anonymous.' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'Its account (null for services and anonymous).' })
  account!: string | null;

  @Field(() => Int, { description: 'Methods × stages it may invoke, directly or through roles (any decision).' })
  methods!: number;

  @Field(() => Int, { description: 'Of those, the ones it may invoke whatever the request context (decision allowed).' })
  allowed!: number;
}

export const RankedPrincipalConnection = connectionType(() => RankedPrincipal, 'RankedPrincipal', 'ranked principal');
