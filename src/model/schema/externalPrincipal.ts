import { Label } from '../graph';
import { inAccount } from './account';
import { canAssumeFrom } from './canAssume';
import { defineNode } from './node';
import { oneOf, text } from './property';

export const externalPrincipal = defineNode({
  labels: [Label.ExternalPrincipal],
  description:
    'A user, role or role session of an account that was not ingested, named by ARN in a trust or resource policy (written by the analysis).',
  rows: 'externalPrincipals',
  properties: {
    key: text('The ARN.'),
    arn: text('The ARN.'),
    account: text('The 12-digit id of its account.'),
    kind: oneOf(['user', 'role', 'session'], 'What the ARN names.'),
  },
  load: [{ name: 'external principals', query: 'externalPrincipals', labels: [Label.ExternalPrincipal] }],
  relationships: {
    IN_ACCOUNT: inAccount('externalPrincipals', [
      { name: 'external principals → account', query: 'externalPrincipalsInAccount', from: Label.ExternalPrincipal },
    ]),
    CAN_ASSUME: canAssumeFrom(Label.ExternalPrincipal, 'the external principal'),
  },
});
