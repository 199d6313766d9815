import { Label, Rel } from '../graph';
import { inAccount } from './account';
import { defineNode, relationship } from './node';
import { optionalText, text } from './property';

export const lambdaFunction = defineNode({
  labels: [Label.LambdaFunction],
  description: 'A Lambda function.',
  rows: 'functions',
  properties: {
    key: text('The function ARN (unqualified).'),
    arn: text('The function ARN (unqualified).'),
    name: text('The function name.'),
    account: text('The 12-digit id of its account.'),
    region: text('Its region.'),
    roleArn: optionalText('Execution role ARN.'),
  },
  load: [{ name: 'Lambda functions', query: 'functions', labels: [Label.LambdaFunction] }],
  relationships: {
    IN_ACCOUNT: inAccount('functions', [{ name: 'functions → account', query: 'functionsInAccount', from: Label.LambdaFunction }]),
    HAS_RESOURCE_POLICY: relationship(Rel.HAS_RESOURCE_POLICY, 'out', 'The resource policy of the function (`kind: resource`).', {
      name: 'function resource policies',
      query: 'functionResourcePolicies',
      from: [Label.LambdaFunction],
      to: [Label.Policy],
      rows: { kind: 'resourcePolicies', fromField: 'from', toField: 'to', where: [{ field: 'ownerLabel', equals: Label.LambdaFunction }] },
    }),
    EXECUTES_AS: relationship(Rel.EXECUTES_AS, 'out', 'The execution role of the function.', {
      name: 'function roles',
      query: 'functionRoles',
      from: [Label.LambdaFunction],
      to: [Label.Role],
      rows: { kind: 'functions', fromField: 'key', toField: 'roleArn', where: [{ field: 'roleArn', notNull: true }] },
    }),
  },
});
