import { Label, Rel } from '../graph';
import { defineNode, relationship } from './node';
import { oneOf, optionalText, text } from './property';

export const integration = defineNode({
  labels: [Label.Integration],
  description: 'The backend a method calls.',
  rows: 'integrations',
  properties: {
    key: text('`<method key>#integration`.'),
    methodKey: text('The key of its method.'),
    type: text('AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK.'),
    uri: optionalText('The integration URI.'),
    lambdaArn: optionalText('The Lambda function the integration calls, when its URI names one (without version/alias).'),
    credentials: optionalText('As AWS prints it: a role ARN, `arn:aws:iam::*:user/*`, or null.'),
    credentialsMode: oneOf(
      ['role', 'caller', 'none'],
      "`role`: API Gateway assumes `roleArn`; `caller`: the caller's identity is passed through; `none`: the function's resource policy decides.",
    ),
    roleArn: optionalText('The role API Gateway assumes to call the backend.'),
  },
  load: [{ name: 'integrations', query: 'integrations', labels: [Label.Integration] }],
  relationships: {
    INTEGRATES_WITH: relationship(Rel.INTEGRATES_WITH, 'in', 'The integration of the method.', {
      name: 'method integrations',
      query: 'methodIntegrations',
      from: [Label.Method],
      to: [Label.Integration],
      rows: { kind: 'integrations', fromField: 'methodKey', toField: 'key' },
    }),
    RUNS_AS: relationship(Rel.RUNS_AS, 'out', 'API Gateway assumes this role to call the backend.', {
      name: 'integration roles',
      query: 'integrationRoles',
      from: [Label.Integration],
      to: [Label.Role],
      rows: { kind: 'integrations', fromField: 'key', toField: 'roleArn', where: [{ field: 'roleArn', notNull: true }] },
    }),
    CALLS: relationship(Rel.CALLS, 'out', 'The Lambda function the integration calls.', {
      name: 'integration functions',
      query: 'integrationFunctions',
      from: [Label.Integration],
      to: [Label.LambdaFunction],
      rows: { kind: 'integrations', fromField: 'key', toField: 'lambdaArn', where: [{ field: 'lambdaArn', notNull: true }] },
    }),
  },
});
