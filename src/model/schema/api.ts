import { Label, Rel, SharedLabel, type LabelName } from '../graph';
import { inAccount } from './account';
import { defineNode, type RelationshipLoadStep, type RowFilter } from './node';
import { flag, oneOf, optionalText, text, textList } from './property';

/** REST API keys contain `/restapis/`, HTTP API keys `/apis/`. */
const API_KINDS = [
  { label: Label.RestApi, marker: '::/restapis/', suffix: 'REST' },
  { label: Label.HttpApi, marker: '::/apis/', suffix: 'HTTP' },
] as const;

/**
 * Load steps of a relationship that starts at an API: one per API label, so
 * each MATCH uses that label's (snapshot, key) constraint index; the rows of
 * each are those whose `apiKeyField` names an API of that kind.
 */
export function perApiKind(
  name: string,
  query: string,
  to: LabelName,
  rows: { kind: string; fromField: string; toField: string; where?: readonly RowFilter[] },
): RelationshipLoadStep[] {
  return API_KINDS.map(({ label, marker, suffix }) => ({
    name: `${name} (${suffix})`,
    query: `${query}${suffix}`,
    from: [label],
    to: [to],
    rows: { ...rows, where: [...(rows.where ?? []), { field: rows.fromField, contains: marker }] },
  }));
}

export const api = defineNode({
  labels: [Label.RestApi, Label.HttpApi],
  sharedLabel: SharedLabel.Api,
  description: 'An API Gateway REST API (`RestApi`) or HTTP API (`HttpApi`).',
  rows: 'apis',
  properties: {
    key: text('The management ARN: `arn:aws:apigateway:<region>::/restapis/<id>` or `…::/apis/<id>`.'),
    id: text('The API id.'),
    kind: oneOf(['REST', 'HTTP'], 'REST or HTTP API (the label says the same).'),
    name: optionalText('The API name.'),
    account: text('The 12-digit id of its account.'),
    region: text('Its region.'),
    endpointType: text('REGIONAL, EDGE or PRIVATE (REST); REGIONAL for HTTP APIs.'),
    executeApiArn: text('`arn:aws:execute-api:<region>:<account>:<id>`: the prefix of every invoke ARN.'),
    vpcEndpointIds: textList('The VPC endpoints a PRIVATE API is bound to, if any.'),
    disableExecuteApiEndpoint: flag('The default execute-api endpoint is disabled.'),
  },
  load: [
    { name: 'REST APIs', query: 'restApis', labels: [Label.RestApi, SharedLabel.Api], where: { field: 'kind', equals: 'REST' } },
    { name: 'HTTP APIs', query: 'httpApis', labels: [Label.HttpApi, SharedLabel.Api], where: { field: 'kind', equals: 'HTTP' } },
  ],
  relationships: {
    IN_ACCOUNT: inAccount(
      'apis',
      API_KINDS.map(({ label, marker, suffix }) => ({
        name: `APIs → account (${suffix})`,
        query: `apisInAccount${suffix}`,
        from: label,
        where: { field: 'key', contains: marker },
      })),
    ),
    HAS_RESOURCE_POLICY: {
      type: Rel.HAS_RESOURCE_POLICY,
      direction: 'out',
      other: [Label.Policy],
      description: 'The resource policy of the API (`kind: resource`).',
      properties: {},
      load: perApiKind('API resource policies', 'apiResourcePolicies', Label.Policy, {
        kind: 'resourcePolicies',
        fromField: 'from',
        toField: 'to',
        where: [{ field: 'ownerLabel', equals: 'Api' }],
      }),
    },
  },
});
