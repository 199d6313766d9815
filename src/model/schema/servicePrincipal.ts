import { Label } from '../graph';
import { canAssumeFrom } from './canAssume';
import { defineNode } from './node';
import { text } from './property';

export const servicePrincipal = defineNode({
  labels: [Label.ServicePrincipal],
  description: 'An AWS service named by a Principal element, or found assuming roles (its rows are derived from the statements).',
  rows: null,
  properties: {
    key: text('The service name (`apigateway.amazonaws.com`).'),
    name: text('The service name.'),
  },
  load: [{ name: 'service principals', query: 'servicePrincipals', labels: [Label.ServicePrincipal] }],
  relationships: {
    CAN_ASSUME: canAssumeFrom(Label.ServicePrincipal, 'the service'),
  },
});
