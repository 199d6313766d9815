import { Label, Rel } from '../graph';
import { canAssumeFrom } from './canAssume';
import { defineNode, type RelationshipSchema } from './node';
import { flag, optionalText, text } from './property';

/** `(<label>)-[:IN_ACCOUNT]->(Account)` from the `account` field of a node kind's own rows. */
export function inAccount(
  kind: string,
  steps: readonly { name: string; query: string; from: (typeof Label)[keyof typeof Label]; where?: { field: string; contains: string } }[],
): RelationshipSchema {
  return {
    type: Rel.IN_ACCOUNT,
    direction: 'out',
    other: [Label.Account],
    description: 'The account it belongs to.',
    properties: {},
    load: steps.map((step) => ({
      name: step.name,
      query: step.query,
      from: [step.from],
      to: [Label.Account],
      rows: { kind, fromField: 'key', toField: 'account', where: step.where ? [step.where] : [] },
    })),
  };
}

export const account = defineNode({
  labels: [Label.Account],
  description:
    'An AWS account: ingested, a member of the organization, or only named by a policy (key `*` stands for "any other AWS account" when a trust policy names `"*"`).',
  rows: 'accounts',
  properties: {
    key: text('The 12-digit account id.'),
    id: text('The 12-digit account id.'),
    name: optionalText('The account name the organization gives it.'),
    ingested: flag('False for accounts only named by the organization or by policies (not in the snapshot).'),
    inOrganization: flag('Member of the ingested organization.'),
    organizationId: optionalText('The organization id (o-…), for `aws:PrincipalOrgID`; null outside the ingested organization.'),
    isManagement: flag("The organization's management account."),
  },
  load: [{ name: 'accounts', query: 'accounts', labels: [Label.Account] }],
  relationships: {
    CAN_ASSUME: canAssumeFrom(Label.Account, 'principals of the account whose own policies allow'),
  },
});
