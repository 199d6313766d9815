import { Label, Rel } from '../graph';
import { defineLinkRows, defineNode, relationship, type RelationshipSchema } from './node';
import { flag, oneOf, optionalJson, optionalText, text } from './property';

export const POLICY_KINDS = ['managed', 'inline', 'trust', 'resource', 'scp', 'rcp', 'endpoint'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export const orgPolicyTargetRows = defineLinkRows({
  description: 'SCP and RCP attachments: policy key → root, OU or account id.',
  fields: { from: text('The SCP or RCP key (p-…).'), to: text('The root, OU or account id it is attached to.') },
});

const attachmentProperties = { attachment: oneOf(['managed', 'inline'], 'How the policy is attached.') };

export const policyAttachmentRows = defineLinkRows({
  description: 'Identity policies: owner ARN → policy key, with the owner’s label.',
  fields: {
    from: text('The user, group or role ARN.'),
    to: text('The policy key.'),
    ...attachmentProperties,
    ownerLabel: oneOf([Label.User, Label.Group, Label.Role], 'The label of the owner.'),
  },
});

export const boundaryRows = defineLinkRows({
  description: 'Permissions boundaries: user or role ARN → policy key.',
  fields: {
    from: text('The user or role ARN.'),
    to: text('The boundary policy key.'),
    ownerLabel: oneOf([Label.User, Label.Role], 'The label of the owner.'),
  },
});

export const trustPolicyRows = defineLinkRows({
  description: 'Trust policies: role ARN → trust policy key.',
  fields: { from: text('The role ARN.'), to: text('The trust policy key.') },
});

export const resourcePolicyRows = defineLinkRows({
  description: 'Resource policies: API key or function ARN → resource policy key.',
  fields: {
    from: text('The API key or function ARN.'),
    to: text('The resource policy key.'),
    ownerLabel: oneOf(['Api', Label.LambdaFunction], 'What owns the policy.'),
  },
});

export const endpointPolicyRows = defineLinkRows({
  description: 'VPC endpoint policies: endpoint key → policy key (absent for an endpoint with the default policy).',
  fields: { from: text('The VPC endpoint key.'), to: text('The endpoint policy key.') },
});

/** `(<owner>)-[:HAS_POLICY {attachment}]->(Policy)`, one load step per owner label. */
export function hasPolicy(owner: typeof Label.User | typeof Label.Group | typeof Label.Role): RelationshipSchema {
  return {
    type: Rel.HAS_POLICY,
    direction: 'out',
    other: [Label.Policy],
    description: 'An identity policy of the owner: managed (attached) or inline.',
    properties: attachmentProperties,
    load: [
      {
        name: `${owner.toLowerCase()} policies`,
        query: `${owner.toLowerCase()}Policies`,
        from: [owner],
        to: [Label.Policy],
        rows: { kind: 'policyAttachments', fromField: 'from', toField: 'to', where: [{ field: 'ownerLabel', equals: owner }] },
      },
    ],
  };
}

/** `(<owner>)-[:HAS_BOUNDARY]->(Policy)`, one load step per owner label. */
export function hasBoundary(owner: typeof Label.User | typeof Label.Role): RelationshipSchema {
  return {
    type: Rel.HAS_BOUNDARY,
    direction: 'out',
    other: [Label.Policy],
    description: 'The permissions boundary of the owner.',
    properties: {},
    load: [
      {
        name: `${owner.toLowerCase()} boundaries`,
        query: `${owner.toLowerCase()}Boundaries`,
        from: [owner],
        to: [Label.Policy],
        rows: { kind: 'boundaries', fromField: 'from', toField: 'to', where: [{ field: 'ownerLabel', equals: owner }] },
      },
    ],
  };
}

export const policy = defineNode({
  labels: [Label.Policy],
  description:
    'A policy document in force: identity (managed, inline), trust, resource, SCP, RCP or VPC endpoint policy; `missing` when referenced but absent.',
  rows: 'policies',
  properties: {
    key: text(
      'Managed: the policy ARN; inline: `<owner ARN>#inline/<name>`; trust: `<role ARN>#trust`; resource: `<API or function key>#resource-policy`; scp/rcp: the organization policy id (p-…); endpoint: `<endpoint key>#endpoint-policy`.',
    ),
    kind: oneOf(POLICY_KINDS, 'Which kind of policy.'),
    name: optionalText('The policy name.'),
    arn: optionalText('The policy ARN (managed policies, SCPs, RCPs).'),
    account: optionalText('Account that owns the policy; null for AWS managed and organization policies.'),
    document: optionalJson('The document in force, as compact JSON (decoded); null when `missing`.'),
    versionId: optionalText('Managed policies: the default version id.'),
    missing: flag('Referenced (e.g. as a boundary) but not in the snapshot: what it allows is unknown.'),
  },
  load: [{ name: 'policies', query: 'policies', labels: [Label.Policy] }],
  relationships: {
    ATTACHED_TO: relationship(Rel.ATTACHED_TO, 'out', 'An SCP or RCP (`kind: scp|rcp`) attached to a root, OU or account.', {
      name: 'SCP/RCP attachments',
      query: 'orgPolicyTargets',
      from: [Label.Policy],
      to: [Label.Account, Label.OrgUnit, Label.OrgRoot],
      rows: { kind: 'orgPolicyTargets', fromField: 'from', toField: 'to' },
    }),
  },
});
