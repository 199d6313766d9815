import { Label, Rel, SharedLabel } from '../graph';
import { inAccount } from './account';
import { canAssumeFrom } from './canAssume';
import { iamEntityProperties } from './iamEntity';
import { defineLinkRows, defineNode, relationship } from './node';
import { hasBoundary, hasPolicy } from './policy';
import { json, text } from './property';

export const membershipRows = defineLinkRows({
  description: 'Group memberships: user → group.',
  fields: {
    from: text('The user ARN.'),
    to: text('The group ARN.'),
  },
});

export const user = defineNode({
  labels: [Label.User],
  sharedLabel: SharedLabel.Principal,
  description: 'An IAM user.',
  rows: 'users',
  properties: {
    ...iamEntityProperties,
    tags: json('JSON object of tag key → value.'),
  },
  load: [{ name: 'users', query: 'users', labels: [Label.User, SharedLabel.Principal] }],
  relationships: {
    IN_ACCOUNT: inAccount('users', [{ name: 'users → account', query: 'usersInAccount', from: Label.User }]),
    MEMBER_OF: relationship(Rel.MEMBER_OF, 'out', 'The user is a member of the group.', {
      name: 'group memberships',
      query: 'memberships',
      from: [Label.User],
      to: [Label.Group],
      rows: { kind: 'memberships', fromField: 'from', toField: 'to' },
    }),
    HAS_POLICY: hasPolicy(Label.User),
    HAS_BOUNDARY: hasBoundary(Label.User),
    CAN_ASSUME: canAssumeFrom(Label.User, 'the user'),
  },
});
