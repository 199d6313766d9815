import { Extensions, Field, Int, ObjectType } from 'type-graphql';
import { ApiKindValue } from '../analysis/answer.type';
import { PageInfo, type EdgeValue } from '../connection';
import { COST_LIST_SIZE } from '../limits';

@ObjectType({ description: 'The exposure of one API on one stage: its methods, how many are public, and who may invoke them.' })
export class AccessSummaryRow {
  @Field(() => String, { description: 'The AWS account that owns the API.' })
  accountId!: string;

  @Field(() => String, { description: 'The API id, such as a1b2c3d4e5.' })
  apiId!: string;

  @Field(() => String, { nullable: true, description: 'The API name; null when it has none.' })
  apiName!: string | null;

  @Field(() => ApiKindValue, { description: 'REST or HTTP API.' })
  apiType!: ApiKindValue;

  @Field(() => String, { description: 'The stage name, such as prod or $default.' })
  stage!: string;

  @Field(() => String, { description: 'REGIONAL, EDGE or PRIVATE.' })
  endpointType!: string;

  @Field(() => Int, { description: 'Methods (routes) of the API, each on this stage.' })
  methods!: number;

  @Field(() => Int, { description: 'Methods anonymous callers may invoke (whoCanInvoke answers public: true).' })
  publicMethods!: number;

  @Field(() => Int, {
    description:
      'Distinct callers (users, roles, accounts, services, anonymous) that may invoke at least one method of the API on this stage: allowed, conditional or partial.',
  })
  principalsWithAccess!: number;

  @Field(() => Int, {
    description: 'Of those, the callers whose account is not the API’s (a policy that names "*" counts as another account).',
  })
  principalsFromOtherAccounts!: number;

  @Field(() => [String], {
    description:
      'Accounts of callers with access that are outside the organization (outside the ingested accounts when the snapshot has no organization); "*" for any account. Sorted.',
  })
  outsideOrganizationAccounts!: string[];
}

@ObjectType({ description: 'The exposure of the whole snapshot.' })
export class AccessSummaryTotals {
  @Field(() => Int, { description: 'Accounts that own an API with a stage.' })
  accounts!: number;

  @Field(() => Int, { description: 'APIs with at least one stage.' })
  apis!: number;

  @Field(() => Int, { description: 'API stages (the rows of the summary).' })
  stages!: number;

  @Field(() => Int, { description: 'Methods × stages.' })
  methods!: number;

  @Field(() => Int, { description: 'Public methods × stages.' })
  publicMethods!: number;

  @Field(() => Int, { description: 'Distinct callers that may invoke at least one method anywhere.' })
  principalsWithAccess!: number;

  @Field(() => Int, { description: 'Distinct callers that may invoke a method of an API of another account than their own.' })
  principalsFromOtherAccounts!: number;

  @Field(() => [String], { description: 'Every account outside the organization with access to some method; sorted.' })
  outsideOrganizationAccounts!: string[];
}

@ObjectType({ description: 'One API stage of the summary in a page, with its cursor.' })
export class AccessSummaryEdge implements EdgeValue<AccessSummaryRow> {
  @Field(() => String, { description: 'Opaque cursor of this item: pass it as `after` to read the items that follow it.' })
  cursor!: string;

  @Field(() => AccessSummaryRow, { description: 'The API stage.' })
  node!: AccessSummaryRow;
}

@ObjectType({
  description:
    'A page of the access summary (one row per API and stage, by account, API name, API id and stage), with the totals of the whole snapshot.',
})
export class AccessSummaryConnection {
  @Field(() => String, { description: 'Id of the snapshot the summary was computed on.' })
  snapshot!: string;

  @Field(() => AccessSummaryTotals, { description: 'The figures of the whole snapshot (every page).' })
  totals!: AccessSummaryTotals;

  @Extensions({ [COST_LIST_SIZE]: 1 })
  @Field(() => [AccessSummaryEdge], { description: 'The API stages of this page with their cursors, in order.' })
  edges!: AccessSummaryEdge[];

  @Extensions({ [COST_LIST_SIZE]: 1 })
  @Field(() => [AccessSummaryRow], { description: 'The API stages of this page, in order (the same as edges’ nodes, without cursors).' })
  nodes!: AccessSummaryRow[];

  @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to ask for them.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many API stages there are (every page, not only this one).' })
  totalCount!: number;
}
