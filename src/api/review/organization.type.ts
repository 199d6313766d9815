import { Extensions, Field, ObjectType } from 'type-graphql';
import { COST_LIST_SIZE } from '../limits';

@ObjectType({ description: 'An AWS account the snapshot knows: ingested, a member of the organization, or only named by a policy.' })
export class Account {
  @Field(() => String, { description: 'The 12-digit account id.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Its name in the organization, when known.' })
  name!: string | null;

  @Field(() => Boolean, { description: 'True when its IAM data was ingested (its users and roles are in the snapshot).' })
  ingested!: boolean;

  @Field(() => Boolean, { description: 'True when it is a member of the ingested organization.' })
  inOrganization!: boolean;
}

@ObjectType({
  description:
    "The snapshot's accounts and organization, as the analysis reads them: who is outside the organization (or, when the snapshot has none, outside the ingested accounts) for access reviews (`whocan review`, no-outside-org).",
})
export class Organization {
  @Field(() => String, { description: 'Id of the snapshot the answer was read from.' })
  snapshot!: string;

  @Field(() => Boolean, {
    description: 'True when the snapshot has the organization (organization.json): accounts it does not list are outside it.',
  })
  hasOrganization!: boolean;

  @Field(() => String, { nullable: true, description: 'The organization id (o-…), when the snapshot has it.' })
  organizationId!: string | null;

  @Extensions({ [COST_LIST_SIZE]: 20 })
  @Field(() => [Account], { description: 'Every account the snapshot knows, by id.' })
  accounts!: Account[];
}
