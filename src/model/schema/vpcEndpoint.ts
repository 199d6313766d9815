import { Label, Rel } from '../graph';
import { inAccount } from './account';
import { defineNode, relationship } from './node';
import { flag, optionalFlag, optionalText, text } from './property';

export const vpcEndpoint = defineNode({
  labels: [Label.VpcEndpoint],
  description:
    'An interface VPC endpoint for API Gateway (`com.amazonaws.<region>.execute-api`): the way into private REST APIs; its policy must also allow every call made through it.',
  rows: 'vpcEndpoints',
  properties: {
    key: text('`arn:aws:ec2:<region>:<account>:vpc-endpoint/<id>`.'),
    id: text('`vpce-…`: the value of `aws:SourceVpce` for calls through it.'),
    account: text('The owner account (OwnerId).'),
    region: text('Its region.'),
    vpcId: text('`vpc-…`: the value of `aws:SourceVpc`.'),
    serviceName: text('`com.amazonaws.<region>.execute-api`.'),
    endpointType: optionalText('As AWS prints it (Interface); null when not printed.'),
    state: text('As AWS prints it: available, pending, …; only `available` endpoints carry calls.'),
    privateDnsEnabled: optionalFlag(
      "Private DNS: the API's default host name resolves to the endpoint inside the VPC; null when not printed.",
    ),
    defaultPolicy: flag('True when the output has no PolicyDocument: the endpoint has the default policy, which allows full access.'),
  },
  load: [{ name: 'VPC endpoints', query: 'vpcEndpoints', labels: [Label.VpcEndpoint] }],
  relationships: {
    IN_ACCOUNT: inAccount('vpcEndpoints', [{ name: 'VPC endpoints → account', query: 'vpcEndpointsInAccount', from: Label.VpcEndpoint }]),
    HAS_ENDPOINT_POLICY: relationship(
      Rel.HAS_ENDPOINT_POLICY,
      'out',
      'The endpoint policy (`kind: endpoint`); absent for the default policy.',
      {
        name: 'VPC endpoint policies',
        query: 'endpointPolicies',
        from: [Label.VpcEndpoint],
        to: [Label.Policy],
        rows: { kind: 'endpointPolicies', fromField: 'from', toField: 'to' },
      },
    ),
  },
});
