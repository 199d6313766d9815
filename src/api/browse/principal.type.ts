import { Field, InputType, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import type { PrincipalRecord } from '../../services';
import { connectionType } from '../connection';
import { Policy } from './policy.type';

export enum PrincipalKindValue {
  USER = 'user',
  ROLE = 'role',
}
registerEnumType(PrincipalKindValue, {
  name: 'PrincipalKind',
  description: 'The kinds of IAM principals whocan keeps.',
  valuesConfig: { USER: { description: 'An IAM user.' }, ROLE: { description: 'An IAM role.' } },
});

@ObjectType({ description: 'A tag: a key and its value.' })
export class Tag {
  @Field(() => String, { description: 'The tag key.' })
  key!: string;

  @Field(() => String, { description: 'The tag value.' })
  value!: string;
}

@InterfaceType('Principal', {
  description: 'An IAM identity that can make requests: a user or a role.',
  resolveType: (value: PrincipalRecord) => (value.kind === 'user' ? 'User' : 'Role'),
})
export abstract class Principal {
  @Field(() => String, { description: 'The ARN (arn:aws:iam::<account>:user/… or …:role/…).' })
  arn!: string;

  @Field(() => PrincipalKindValue, { description: 'User or role.' })
  kind!: PrincipalKindValue;

  @Field(() => String, { description: 'The name, without the path.' })
  name!: string;

  @Field(() => String, { description: 'The IAM path (/ by default).' })
  path!: string;

  @Field(() => String, { description: 'The 12-digit id of the account the principal belongs to.' })
  account!: string;

  @Field(() => String, { nullable: true, description: "AWS's unique id (AIDA… for users, AROA… for roles)." })
  uniqueId!: string | null;

  @Field(() => String, { nullable: true, name: 'createdAt', description: 'When it was created, as AWS reported it (ISO 8601).' })
  createDate!: string | null;

  @Field(() => [Tag], { description: 'Its tags.' })
  tags!: Tag[];

  @Field(() => [Policy], {
    description:
      "Identity policies attached to the principal itself, managed and inline (kind tells which); a user's group policies are under groups.",
  })
  policies!: Policy[];

  @Field(() => Policy, { nullable: true, description: 'The permissions boundary, if any: the most the identity policies can grant.' })
  permissionsBoundary!: Policy | null;
}

@ObjectType('User', { implements: Principal, description: 'An IAM user.' })
export class User extends Principal {
  @Field(() => [Group], { description: 'The groups the user is a member of (their policies apply to the user).' })
  groups!: Group[];
}

@ObjectType('Role', { implements: Principal, description: 'An IAM role.' })
export class Role extends Principal {
  @Field(() => Int, { nullable: true, description: 'Longest session the role allows, in seconds.' })
  maxSessionDuration!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True for a service-linked role (path /aws-service-role/), which SCPs do not restrict.',
  })
  serviceLinked!: boolean | null;

  @Field(() => Policy, { nullable: true, description: 'The trust policy: who may assume the role.' })
  trustPolicy!: Policy | null;
}

@ObjectType({ description: 'An IAM group.' })
export class Group {
  @Field(() => String, { description: 'The ARN.' })
  arn!: string;

  @Field(() => String, { description: 'The name.' })
  name!: string;

  @Field(() => String, { description: 'The IAM path.' })
  path!: string;

  @Field(() => String, { description: 'The 12-digit id of the account the group belongs to.' })
  account!: string;

  @Field(() => [Policy], { description: 'Identity policies attached to the group, managed and inline; they apply to every member.' })
  policies!: Policy[];
}

@InputType({ description: 'Which principals to list; every field given must match.' })
export class PrincipalFilter {
  @Field(() => String, { nullable: true, description: 'Only principals of this account (12 digits).' })
  account?: string | null;

  @Field(() => PrincipalKindValue, { nullable: true, description: 'Only users, or only roles.' })
  kind?: PrincipalKindValue | null;

  @Field(() => String, { nullable: true, description: 'Only principals whose name contains this text (case-insensitive).' })
  nameContains?: string | null;
}

export const PrincipalConnection = connectionType(() => Principal, 'Principal', 'principal');
