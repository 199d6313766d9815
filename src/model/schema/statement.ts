import { Label, Rel } from '../graph';
import { defineNode, relationship } from './node';
import { integer, oneOf, optionalJson, optionalText, optionalTextList, text, textList } from './property';

export const statement = defineNode({
  labels: [Label.Statement],
  description: 'One statement of a policy document.',
  rows: 'statements',
  properties: {
    key: text('`<policy key>#<index>`.'),
    policyKey: text('The key of its policy.'),
    index: integer('Its position in the document, from 0.'),
    sid: optionalText('The Sid, when present.'),
    effect: oneOf(['Allow', 'Deny'], 'The Effect.'),
    actions: optionalTextList('The Action element, as written (exactly one of actions/notActions is non-null).'),
    notActions: optionalTextList('The NotAction element, as written.'),
    resources: optionalTextList('The Resource element, as written.'),
    notResources: optionalTextList('The NotResource element, as written.'),
    principal: optionalJson('The Principal element as JSON, when present.'),
    notPrincipal: optionalJson('The NotPrincipal element as JSON, when present.'),
    condition: optionalJson('The Condition element as JSON, when present.'),
    servicePrincipals: textList('AWS service principals the Principal element names (e.g. apigateway.amazonaws.com).'),
  },
  load: [{ name: 'statements', query: 'statements', labels: [Label.Statement] }],
  relationships: {
    HAS_STATEMENT: relationship(Rel.HAS_STATEMENT, 'in', 'A statement of the policy.', {
      name: 'policy statements',
      query: 'policyStatements',
      from: [Label.Policy],
      to: [Label.Statement],
      rows: { kind: 'statements', fromField: 'policyKey', toField: 'key' },
    }),
    NAMES_SERVICE: relationship(Rel.NAMES_SERVICE, 'out', 'The Principal element names an AWS service.', {
      name: 'statements → service principals',
      query: 'statementServices',
      from: [Label.Statement],
      to: [Label.ServicePrincipal],
      rows: { kind: 'statements', fromField: 'from', toField: 'to', expand: 'servicePrincipals' },
    }),
  },
});
