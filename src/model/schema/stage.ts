import { Label, Rel } from '../graph';
import { perApiKind } from './api';
import { defineNode } from './node';
import { flag, optionalText, text } from './property';

export const stage = defineNode({
  labels: [Label.Stage],
  description: 'A deployed stage of an API.',
  rows: 'stages',
  properties: {
    key: text('`<api key>/stages/<name>`.'),
    apiKey: text('The key of its API.'),
    name: text('The stage name.'),
    deploymentId: optionalText('The deployment it serves.'),
    cacheClusterEnabled: flag('A cache cluster is enabled (REST).'),
  },
  load: [{ name: 'stages', query: 'stages', labels: [Label.Stage] }],
  relationships: {
    HAS_STAGE: {
      type: Rel.HAS_STAGE,
      direction: 'in',
      other: [Label.RestApi, Label.HttpApi],
      description: 'A stage of the API.',
      properties: {},
      load: perApiKind('API stages', 'apiStages', Label.Stage, { kind: 'stages', fromField: 'apiKey', toField: 'key' }),
    },
  },
});
