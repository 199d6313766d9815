import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum PolicyKindValue {
  MANAGED = 'managed',
  INLINE = 'inline',
  TRUST = 'trust',
  RESOURCE = 'resource',
  SCP = 'scp',
  RCP = 'rcp',
  ENDPOINT = 'endpoint',
}
registerEnumType(PolicyKindValue, {
  name: 'PolicyKind',
  description: 'What a policy is and where it is attached.',
  valuesConfig: {
    MANAGED: {
      description: 'A managed policy (customer or AWS managed), attached to users, groups or roles, or used as a permissions boundary.',
    },
    INLINE: { description: 'An inline policy embedded in one user, group or role.' },
    TRUST: { description: "A role's trust policy: who may assume the role." },
    RESOURCE: { description: "A resource-based policy: a REST API's or a Lambda function's." },
    SCP: { description: 'An AWS Organizations service control policy.' },
    RCP: { description: 'An AWS Organizations resource control policy.' },
    ENDPOINT: {
      description:
        'The policy of an interface VPC endpoint for execute-api: it must also allow every call to a private API made through the endpoint.',
    },
  },
});

export enum StatementEffectValue {
  ALLOW = 'Allow',
  DENY = 'Deny',
}
registerEnumType(StatementEffectValue, {
  name: 'StatementEffect',
  description: 'Whether a policy statement allows or denies what it matches.',
  valuesConfig: {
    ALLOW: { description: 'Allows the matching requests (unless something denies them).' },
    DENY: { description: 'Denies the matching requests, whatever else allows them.' },
  },
});

@ObjectType({ description: 'One statement of a policy document, as written (elements that are absent are null).' })
export class PolicyStatement {
  @Field(() => Int, { description: 'Position of the statement in the document, from 0.' })
  index!: number;

  @Field(() => String, { nullable: true, description: 'The Sid element.' })
  sid!: string | null;

  @Field(() => StatementEffectValue, { description: 'The Effect element.' })
  effect!: StatementEffectValue;

  @Field(() => [String], { nullable: true, description: 'The Action element (null when the statement uses NotAction).' })
  actions!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The NotAction element.' })
  notActions!: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'The Resource element (null when the statement uses NotResource, or in a trust policy).',
  })
  resources!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The NotResource element.' })
  notResources!: string[] | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The Principal element as written ("*" or an object such as {"AWS": [...]}); resource-based and trust policies only.',
  })
  principal!: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The NotPrincipal element as written.' })
  notPrincipal!: unknown;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The Condition element as written ({operator: {key: values}}).' })
  condition!: unknown;
}

@ObjectType({ description: 'An IAM, resource-based or organization policy, with the document in force.' })
export class Policy {
  @Field(() => String, {
    name: 'id',
    description:
      "The policy's key in the graph: a managed policy's ARN; `<owner ARN>#inline/<name>` for an inline policy; `<role ARN>#trust` for a trust policy; `<API or function key>#resource-policy` for a resource policy; the organization policy id (p-…) for SCPs and RCPs.",
  })
  key!: string;

  @Field(() => PolicyKindValue, { description: 'What the policy is and where it is attached.' })
  kind!: PolicyKindValue;

  @Field(() => String, { nullable: true, description: 'The policy name (managed and inline policies, SCPs and RCPs).' })
  name!: string | null;

  @Field(() => String, { nullable: true, description: "A managed policy's ARN (or an SCP's/RCP's)." })
  arn!: string | null;

  @Field(() => String, { nullable: true, description: 'The account that owns the policy; null for AWS managed and organization policies.' })
  account!: string | null;

  @Field(() => String, { nullable: true, description: 'Managed policies: the default version, the only one in force (v1, v2…).' })
  versionId!: string | null;

  @Field(() => Boolean, {
    description:
      'True when the policy is referenced (e.g. as a permissions boundary) but its document is not in the snapshot: what it allows is unknown, and answers that depend on it are uncertain.',
  })
  missing!: boolean;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The policy document in force, decoded (null when missing).' })
  document!: Record<string, unknown> | null;

  @Field(() => [PolicyStatement], { description: 'The statements of the document, in order.' })
  statements!: PolicyStatement[];
}
