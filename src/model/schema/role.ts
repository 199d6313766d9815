import { Label, Rel, SharedLabel } from '../graph';
import { inAccount } from './account';
import { canAssumeFrom } from './canAssume';
import { iamEntityProperties } from './iamEntity';
import { defineNode, relationship } from './node';
import { hasBoundary, hasPolicy } from './policy';
import { flag, json, optionalInteger } from './property';

export const role = defineNode({
  labels: [Label.Role],
  sharedLabel: SharedLabel.Principal,
  description: 'An IAM role.',
  rows: 'roles',
  properties: {
    ...iamEntityProperties,
    tags: json('JSON object of tag key → value.'),
    maxSessionDuration: optionalInteger('The longest session, in seconds.'),
    serviceLinked: flag('Path starts with /aws-service-role/: exempt from SCPs.'),
  },
  load: [{ name: 'roles', query: 'roles', labels: [Label.Role, SharedLabel.Principal] }],
  relationships: {
    IN_ACCOUNT: inAccount('roles', [{ name: 'roles → account', query: 'rolesInAccount', from: Label.Role }]),
    HAS_POLICY: hasPolicy(Label.Role),
    HAS_BOUNDARY: hasBoundary(Label.Role),
    HAS_TRUST_POLICY: relationship(Rel.HAS_TRUST_POLICY, 'out', "The role's trust policy (`kind: trust`).", {
      name: 'trust policies',
      query: 'trustPolicies',
      from: [Label.Role],
      to: [Label.Policy],
      rows: { kind: 'trustPolicies', fromField: 'from', toField: 'to' },
    }),
    CAN_ASSUME: canAssumeFrom(Label.Role, 'a session of the role'),
  },
});
