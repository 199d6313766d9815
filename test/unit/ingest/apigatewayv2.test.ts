import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedDir } from '../../../src/config/paths';
import { transformHttpApis, type HttpApiFiles } from '../../../src/ingest/apigatewayv2/transform';
import { BASE, httpPerApi, issueLines, json, newContext, only, PROD, readJson, rowsOf } from './apiLambdaSupport';

const APIS = `${BASE}/apigatewayv2/apis.json`;
const EVENTS = 'arn:aws:apigateway:us-east-1::/apis/h7t8p9a0b1';
const HANDLER = 'arn:aws:lambda:us-east-1:333344445555:function:events-handler';
const INVOKE_ROLE = 'arn:aws:iam::333344445555:role/petstore-apigw-invoke';

function seed() {
  const ctx = newContext();
  transformHttpApis(ctx, PROD, 'us-east-1', readJson(APIS), httpPerApi(seedDir(), BASE));
  return { rows: rowsOf(ctx), problems: ctx.report.problems, warnings: ctx.report.warnings };
}

const ID = 'qwe123rty4';
const DEMO = `arn:aws:apigateway:us-east-1::/apis/${ID}`;
const API = { ApiId: ID, Name: 'demo', ProtocolType: 'HTTP', ApiEndpoint: `https://${ID}.execute-api.us-east-1.amazonaws.com` };
const file = (name: string) => `${BASE}/apigatewayv2/${ID}/${name}.json`;
const INTEGRATION = { IntegrationId: 'int001', IntegrationType: 'AWS_PROXY', IntegrationUri: HANDLER, PayloadFormatVersion: '2.0' };
const ROUTE = { RouteId: 'r1', RouteKey: 'GET /items', AuthorizationType: 'AWS_IAM', Target: 'integrations/int001' };
const STAGES = { Items: [{ StageName: '$default', DeploymentId: 'dep1' }] };

function run(apis: unknown, perApi: Record<string, { routes?: unknown; stages?: unknown; integrations?: unknown }> = {}) {
  const ctx = newContext();
  const files = new Map<string, HttpApiFiles>(
    Object.entries(perApi).map(([id, f]) => [
      id,
      {
        ...(f.routes !== undefined ? { routes: json(`${BASE}/apigatewayv2/${id}/routes.json`, f.routes) } : {}),
        ...(f.stages !== undefined ? { stages: json(`${BASE}/apigatewayv2/${id}/stages.json`, f.stages) } : {}),
        ...(f.integrations !== undefined ? { integrations: json(`${BASE}/apigatewayv2/${id}/integrations.json`, f.integrations) } : {}),
      },
    ]),
  );
  transformHttpApis(ctx, PROD, 'us-east-1', json(APIS, apis), files);
  return { rows: rowsOf(ctx), problems: ctx.report.problems, warnings: ctx.report.warnings };
}

describe('transformHttpApis on the seed', () => {
  it('petstore-events: the API row, no problem, no warning, no resource policy (rule 9)', () => {
    const { rows, problems, warnings } = seed();
    assert.deepEqual(issueLines(problems), []);
    assert.deepEqual(issueLines(warnings), []);
    assert.deepEqual(rows.apis, [
      {
        key: EVENTS,
        id: 'h7t8p9a0b1',
        kind: 'HTTP',
        name: 'petstore-events',
        account: '333344445555',
        region: 'us-east-1',
        endpointType: 'REGIONAL',
        executeApiArn: 'arn:aws:execute-api:us-east-1:333344445555:h7t8p9a0b1',
        vpcEndpointIds: [],
        disableExecuteApiEndpoint: false,
      },
    ]);
    assert.deepEqual([rows.policies, rows.statements, rows.resourcePolicies, rows.apiResources], [[], [], [], []]);
  });

  it('petstore-events: one method per route, with route key, authorization and authorizer', () => {
    assert.deepEqual(
      seed()
        .rows.methods.map((m) => [m.key, m.verb, m.path, m.routeKey, m.resourceKey, m.authorizationType, m.authorizerId, m.apiKeyRequired])
        .sort(),
      [
        [`${EVENTS}/methods/GET /events`, 'GET', '/events', 'GET /events', null, 'AWS_IAM', null, false],
        [`${EVENTS}/methods/GET /status`, 'GET', '/status', 'GET /status', null, 'NONE', null, false],
        [`${EVENTS}/methods/POST /events`, 'POST', '/events', 'POST /events', null, 'JWT', 'jwt01a', false],
      ],
    );
  });

  it('petstore-events: each route integration, from its Target, with function and credentials', () => {
    assert.deepEqual(
      seed()
        .rows.integrations.map((i) => [i.key, i.methodKey, i.type, i.uri, i.lambdaArn, i.credentials, i.credentialsMode, i.roleArn])
        .sort(),
      [
        [`${EVENTS}/methods/GET /events#integration`, `${EVENTS}/methods/GET /events`, 'AWS_PROXY', HANDLER, HANDLER, null, 'none', null],
        [
          `${EVENTS}/methods/GET /status#integration`,
          `${EVENTS}/methods/GET /status`,
          'AWS_PROXY',
          HANDLER,
          HANDLER,
          INVOKE_ROLE,
          'role',
          INVOKE_ROLE,
        ],
        [`${EVENTS}/methods/POST /events#integration`, `${EVENTS}/methods/POST /events`, 'AWS_PROXY', HANDLER, HANDLER, null, 'none', null],
      ],
    );
  });

  it('petstore-events: the $default stage', () => {
    assert.deepEqual(seed().rows.stages, [
      { key: `${EVENTS}/stages/$default`, apiKey: EVENTS, name: '$default', deploymentId: 'ev3nt5', cacheClusterEnabled: false },
    ]);
  });
});

describe('transformHttpApis on hand-made inputs', () => {
  it('a route whose Target names an unknown integration: a problem at its Target, the route is skipped', () => {
    const { rows, problems } = run(
      { Items: [API] },
      {
        [ID]: {
          routes: {
            Items: [
              { ...ROUTE, Target: 'integrations/nope99' },
              { ...ROUTE, RouteKey: 'POST /items' },
            ],
          },
          integrations: { Items: [INTEGRATION] },
          stages: STAGES,
        },
      },
    );
    const p = only(problems);
    assert.deepEqual(
      [p.file, p.path, p.message],
      [file('routes'), '$.Items[0].Target', "integration nope99 is not in the API's integrations.json"],
    );
    assert.deepEqual(
      rows.methods.map((m) => m.routeKey),
      ['POST /items'],
    );
    assert.deepEqual(
      rows.integrations.map((i) => i.methodKey),
      [`${DEMO}/methods/POST /items`],
    );
  });

  it('the $default route: key <api>/methods/$default, verb and path *', () => {
    const { rows, problems } = run(
      { Items: [API] },
      {
        [ID]: {
          routes: { Items: [{ ...ROUTE, RouteKey: '$default', AuthorizationType: 'NONE' }] },
          integrations: { Items: [INTEGRATION] },
          stages: STAGES,
        },
      },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(rows.methods, [
      {
        key: `${DEMO}/methods/$default`,
        apiKey: DEMO,
        resourceKey: null,
        verb: '*',
        path: '*',
        routeKey: '$default',
        authorizationType: 'NONE',
        authorizerId: null,
        apiKeyRequired: false,
      },
    ]);
    assert.equal(rows.integrations[0]?.key, `${DEMO}/methods/$default#integration`);
  });

  it('integration URIs: the apigateway path form with an alias, caller pass-through, HTTP_PROXY without a function', () => {
    const { rows, problems } = run(
      { Items: [API] },
      {
        [ID]: {
          routes: {
            Items: [
              { ...ROUTE, RouteKey: 'ANY /{proxy+}', Target: 'integrations/a' },
              { ...ROUTE, RouteKey: 'GET /caller', Target: 'integrations/b' },
              { ...ROUTE, RouteKey: 'GET /web', Target: 'integrations/c' },
            ],
          },
          integrations: {
            Items: [
              {
                ...INTEGRATION,
                IntegrationId: 'a',
                IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${HANDLER}:live/invocations`,
              },
              { ...INTEGRATION, IntegrationId: 'b', CredentialsArn: 'arn:aws:iam::*:user/*' },
              {
                IntegrationId: 'c',
                IntegrationType: 'HTTP_PROXY',
                IntegrationUri: 'https://example.com/{proxy}',
                PayloadFormatVersion: '1.0',
              },
            ],
          },
          stages: STAGES,
        },
      },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.integrations.map((i) => [i.methodKey.replace(`${DEMO}/methods/`, ''), i.type, i.lambdaArn, i.credentialsMode]),
      [
        ['ANY /{proxy+}', 'AWS_PROXY', HANDLER, 'none'],
        ['GET /caller', 'AWS_PROXY', HANDLER, 'caller'],
        ['GET /web', 'HTTP_PROXY', null, 'none'],
      ],
    );
  });

  it('an integration with bad credentials: one problem at integrations.json; the routes using it are skipped', () => {
    const { rows, problems } = run(
      { Items: [API] },
      {
        [ID]: {
          routes: { Items: [ROUTE, { ...ROUTE, RouteKey: 'PUT /items' }] },
          integrations: { Items: [{ ...INTEGRATION, CredentialsArn: 'petstore-apigw-invoke' }] },
          stages: STAGES,
        },
      },
    );
    const p = only(problems);
    assert.deepEqual([p.file, p.path], [file('integrations'), '$.Items[0].CredentialsArn']);
    assert.deepEqual([rows.methods, rows.integrations], [[], []]);
    assert.deepEqual(
      rows.stages.map((s) => s.name),
      ['$default'],
    );
  });

  it('bad route keys, authorization types and targets: a problem each, at the field', () => {
    const { rows, problems } = run(
      { Items: [API] },
      {
        [ID]: {
          routes: {
            Items: [
              { ...ROUTE, RouteKey: 'FETCH /items' },
              { ...ROUTE, RouteKey: 'GET /a', AuthorizationType: 'COGNITO_USER_POOLS' },
              { ...ROUTE, RouteKey: 'GET /b', Target: 'int001' },
              { ...ROUTE, RouteKey: 'GET /c', RouteId: undefined },
            ],
          },
          integrations: { Items: [INTEGRATION] },
          stages: STAGES,
        },
      },
    );
    assert.deepEqual(
      problems.map((p) => [p.file, p.path]),
      [
        [file('routes'), '$.Items[0].RouteKey'],
        [file('routes'), '$.Items[1].AuthorizationType'],
        [file('routes'), '$.Items[2].Target'],
        [file('routes'), '$.Items[3].RouteId'],
      ],
    );
    assert.deepEqual(rows.methods, []);
  });

  it('a WebSocket API: a warning, not analysed, its files ignored', () => {
    const { rows, problems, warnings } = run(
      { Items: [{ ApiId: 'ws00000001', Name: 'chat', ProtocolType: 'WEBSOCKET' }] },
      { ws00000001: { routes: { Items: [{ RouteId: 'x', RouteKey: '$connect' }] } } },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(issueLines(warnings), [`${APIS} | $.Items[0] | WebSocket API ws00000001 is not analysed: skipped`]);
    assert.deepEqual([rows.apis, rows.methods], [[], []]);
  });

  it('an API without ApiId, an unknown protocol, an endpoint of another API: problems; nothing of those APIs', () => {
    const { rows, problems } = run({
      Items: [
        { Name: 'no id', ProtocolType: 'HTTP' },
        { ...API, ApiId: 'aaa1111111', ProtocolType: 'GRPC', ApiEndpoint: undefined },
        { ...API, ApiId: 'bbb2222222' },
        { ...API, ApiId: 'ccc3333333', ApiEndpoint: 'https://ccc3333333.execute-api.eu-west-1.amazonaws.com' },
      ],
    });
    assert.deepEqual(
      problems.map((p) => [p.file, p.path]),
      [
        [APIS, '$.Items[0].ApiId'],
        [APIS, '$.Items[1].ProtocolType'],
        [APIS, '$.Items[2].ApiEndpoint'],
        [APIS, '$.Items[3].ApiEndpoint'],
      ],
    );
    assert.deepEqual(rows.apis, []);
  });

  it('missing per-API files: warnings, loaded with what it has; a directory not in apis.json: warning, skipped', () => {
    const { rows, problems, warnings } = run({ Items: [API] }, { [ID]: { routes: { Items: [ROUTE] } }, zzz0000000: { stages: STAGES } });
    assert.deepEqual(problems, []);
    assert.deepEqual(issueLines(warnings), [
      `${APIS} | $.Items[0] | no ${BASE}/apigatewayv2/${ID}/integrations.json (aws apigatewayv2 get-integrations --api-id ${ID}): the API is loaded without integrations (no route is linked to a backend)`,
      `${APIS} | $.Items[0] | no ${BASE}/apigatewayv2/${ID}/stages.json (aws apigatewayv2 get-stages --api-id ${ID}): the API is loaded without stages`,
      `${BASE}/apigatewayv2/zzz0000000/stages.json | $ | HTTP API zzz0000000 is not in ${APIS}: skipped`,
    ]);
    assert.deepEqual(
      rows.methods.map((m) => m.key),
      [`${DEMO}/methods/GET /items`],
    );
    assert.deepEqual([rows.integrations, rows.stages], [[], []]);
  });

  it('apis.json without Items: a problem at $.Items', () => {
    assert.deepEqual(
      run({}).problems.map((p) => [p.file, p.path, p.message]),
      [[APIS, '$.Items', 'required list is missing']],
    );
  });
});
