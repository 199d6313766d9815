import { Label, Rel } from '../graph';
import { defineNode, relationship } from './node';
import { optionalText, text } from './property';

export const apiResource = defineNode({
  labels: [Label.ApiResource],
  description: 'A resource (path) of a REST API.',
  rows: 'apiResources',
  properties: {
    key: text('`<api key>/resources/<id>`.'),
    apiKey: text('The key of its API.'),
    id: text('The resource id.'),
    parentId: optionalText('The parent resource id; null for `/`.'),
    path: text('The full path (`/pets/{id}`).'),
  },
  load: [{ name: 'API resources', query: 'apiResources', labels: [Label.ApiResource] }],
  relationships: {
    HAS_RESOURCE: relationship(Rel.HAS_RESOURCE, 'in', 'A resource of the REST API.', {
      name: 'API resources',
      query: 'apiResources',
      from: [Label.RestApi],
      to: [Label.ApiResource],
      rows: { kind: 'apiResources', fromField: 'apiKey', toField: 'key' },
    }),
  },
});
