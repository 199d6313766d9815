import { Label, Rel } from '../graph';
import { defineNode } from './node';
import { flag, optionalText, text } from './property';

export const method = defineNode({
  labels: [Label.Method],
  description: 'A REST API method, or an HTTP API route.',
  rows: 'methods',
  properties: {
    key: text('`<api key>/methods/<VERB> <path template>` (HTTP API `$default` route: `<api key>/methods/$default`).'),
    apiKey: text('The key of its API.'),
    resourceKey: optionalText('REST: the resource this method hangs off; null for HTTP API routes.'),
    verb: text('GET, POST, …, ANY; `*` for an HTTP API `$default` route.'),
    path: text('Path template such as /pets/{id} or /{proxy+}; `*` for `$default`.'),
    routeKey: optionalText('HTTP API route key as AWS prints it (`GET /pets/{id}`, `$default`); null for REST.'),
    authorizationType: text('NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS (REST); NONE, AWS_IAM, JWT, CUSTOM (HTTP).'),
    authorizerId: optionalText('The authorizer, for CUSTOM, COGNITO_USER_POOLS and JWT.'),
    apiKeyRequired: flag('An API key is required (REST).'),
  },
  load: [{ name: 'methods', query: 'methods', labels: [Label.Method] }],
  relationships: {
    HAS_METHOD: {
      type: Rel.HAS_METHOD,
      direction: 'in',
      other: [Label.ApiResource, Label.HttpApi],
      description: 'A method of the REST API resource, or a route of the HTTP API.',
      properties: {},
      load: [
        {
          name: 'REST methods',
          query: 'restMethods',
          from: [Label.ApiResource],
          to: [Label.Method],
          rows: { kind: 'methods', fromField: 'resourceKey', toField: 'key', where: [{ field: 'resourceKey', notNull: true }] },
        },
        {
          name: 'HTTP API routes',
          query: 'httpRoutes',
          from: [Label.HttpApi],
          to: [Label.Method],
          rows: { kind: 'methods', fromField: 'apiKey', toField: 'key', where: [{ field: 'resourceKey', isNull: true }] },
        },
      ],
    },
  },
});
