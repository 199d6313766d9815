import { Label } from '../graph';
import { inAccount } from './account';
import { iamEntityProperties } from './iamEntity';
import { defineNode } from './node';
import { hasPolicy } from './policy';

export const group = defineNode({
  labels: [Label.Group],
  description: 'An IAM group.',
  rows: 'groups',
  properties: iamEntityProperties,
  load: [{ name: 'groups', query: 'groups', labels: [Label.Group] }],
  relationships: {
    IN_ACCOUNT: inAccount('groups', [{ name: 'groups → account', query: 'groupsInAccount', from: Label.Group }]),
    HAS_POLICY: hasPolicy(Label.Group),
  },
});
