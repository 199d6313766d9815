import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedDir } from '../../../src/config/paths';
import { decodeApiPolicy } from '../../../src/ingest/apigateway/common';
import { transformRestApis, type RestApiFiles } from '../../../src/ingest/apigateway/transform';
import type { SnapshotRows } from '../../../src/model';
import { BASE, issueLines, json, newContext, only, PROD, readJson, restPerApi, rowsOf } from './apiLambdaSupport';

const REST = `${BASE}/apigateway/rest-apis.json`;
const PETSTORE = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5';
const WEB = 'arn:aws:apigateway:us-east-1::/restapis/k9l8m7n6o5';
const INTERNAL = 'arn:aws:apigateway:us-east-1::/restapis/p1q2r3s4t5';
const FN = 'arn:aws:lambda:us-east-1:333344445555:function:';
const INVOKE_ROLE = 'arn:aws:iam::333344445555:role/petstore-apigw-invoke';

function seedRows(): { rows: SnapshotRows; problems: string[]; warnings: string[] } {
  const ctx = newContext();
  transformRestApis(ctx, PROD, 'us-east-1', readJson(REST), restPerApi(seedDir(), BASE));
  return { rows: rowsOf(ctx), problems: issueLines(ctx.report.problems), warnings: issueLines(ctx.report.warnings) };
}

const byKey = <T extends { key: string }>(rows: readonly T[]): Map<string, T> => new Map(rows.map((r) => [r.key, r]));

/** Runs the transform on hand-made inputs. */
function run(restApis: unknown, perApi: Record<string, { resources?: unknown; stages?: unknown }> = {}) {
  const ctx = newContext();
  const files = new Map<string, RestApiFiles>(
    Object.entries(perApi).map(([id, f]) => [
      id,
      {
        ...(f.resources !== undefined ? { resources: json(`${BASE}/apigateway/${id}/resources.json`, f.resources) } : {}),
        ...(f.stages !== undefined ? { stages: json(`${BASE}/apigateway/${id}/stages.json`, f.stages) } : {}),
      },
    ]),
  );
  transformRestApis(ctx, PROD, 'us-east-1', json(REST, restApis), files);
  return { rows: rowsOf(ctx), problems: ctx.report.problems, warnings: ctx.report.warnings };
}

const API = { id: 'abc123defg', name: 'demo', endpointConfiguration: { types: ['REGIONAL'] }, rootResourceId: 'root01' };
const ROOT = { id: 'root01', path: '/' };
const lambdaUri = (fn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`;
const getMethod = (integration?: Record<string, unknown>) => ({
  httpMethod: 'GET',
  authorizationType: 'AWS_IAM',
  apiKeyRequired: false,
  ...(integration ? { methodIntegration: integration } : {}),
});
const STAGES = { item: [{ stageName: 'prod', deploymentId: 'd1' }] };
const DEMO = 'arn:aws:apigateway:us-east-1::/restapis/abc123defg';

describe('transformRestApis on the seed', () => {
  it('transforms the three REST APIs with no problem and no warning', () => {
    const { rows, problems, warnings } = seedRows();
    assert.deepEqual(problems, []);
    assert.deepEqual(warnings, []);
    assert.deepEqual(rows.apis.map((a) => a.key).sort(), [PETSTORE, WEB, INTERNAL]);
  });

  it('petstore-api: the API row', () => {
    const api = byKey(seedRows().rows.apis).get(PETSTORE);
    assert.deepEqual(api, {
      key: PETSTORE,
      id: 'a1b2c3d4e5',
      kind: 'REST',
      name: 'petstore-api',
      account: '333344445555',
      region: 'us-east-1',
      endpointType: 'REGIONAL',
      executeApiArn: 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5',
      vpcEndpointIds: [],
      disableExecuteApiEndpoint: false,
    });
  });

  it('petstore-api: exactly its five methods, with verbs, paths, resources and authorization', () => {
    const methods = seedRows().rows.methods.filter((m) => m.apiKey === PETSTORE);
    assert.deepEqual(
      methods.map((m) => [m.key, m.verb, m.path, m.resourceKey, m.authorizationType, m.authorizerId, m.apiKeyRequired, m.routeKey]).sort(),
      [
        [`${PETSTORE}/methods/ANY /admin/{proxy+}`, 'ANY', '/admin/{proxy+}', `${PETSTORE}/resources/prxy04`, 'AWS_IAM', null, false, null],
        [`${PETSTORE}/methods/DELETE /pets/{id}`, 'DELETE', '/pets/{id}', `${PETSTORE}/resources/pe7id2`, 'AWS_IAM', null, false, null],
        [`${PETSTORE}/methods/GET /pets`, 'GET', '/pets', `${PETSTORE}/resources/pe7s01`, 'AWS_IAM', null, false, null],
        [`${PETSTORE}/methods/GET /pets/{id}`, 'GET', '/pets/{id}', `${PETSTORE}/resources/pe7id2`, 'AWS_IAM', null, false, null],
        [`${PETSTORE}/methods/POST /pets`, 'POST', '/pets', `${PETSTORE}/resources/pe7s01`, 'AWS_IAM', null, false, null],
      ],
    );
  });

  it('petstore-api: each integration with its function, credentials mode and role', () => {
    const integrations = seedRows().rows.integrations.filter((i) => i.methodKey.startsWith(`${PETSTORE}/`));
    assert.deepEqual(
      integrations.map((i) => [i.key, i.methodKey, i.type, i.lambdaArn, i.credentialsMode, i.roleArn, i.credentials]).sort(),
      [
        [
          `${PETSTORE}/methods/ANY /admin/{proxy+}#integration`,
          `${PETSTORE}/methods/ANY /admin/{proxy+}`,
          'AWS_PROXY',
          `${FN}pets-admin`,
          'none',
          null,
          null,
        ],
        [
          `${PETSTORE}/methods/DELETE /pets/{id}#integration`,
          `${PETSTORE}/methods/DELETE /pets/{id}`,
          'AWS_PROXY',
          `${FN}pets-write`,
          'none',
          null,
          null,
        ],
        [
          `${PETSTORE}/methods/GET /pets#integration`,
          `${PETSTORE}/methods/GET /pets`,
          'AWS_PROXY',
          `${FN}pets-list`,
          'role',
          INVOKE_ROLE,
          INVOKE_ROLE,
        ],
        [
          `${PETSTORE}/methods/GET /pets/{id}#integration`,
          `${PETSTORE}/methods/GET /pets/{id}`,
          'AWS_PROXY',
          `${FN}pets-read`,
          'caller',
          null,
          'arn:aws:iam::*:user/*',
        ],
        [
          `${PETSTORE}/methods/POST /pets#integration`,
          `${PETSTORE}/methods/POST /pets`,
          'AWS_PROXY',
          `${FN}pets-write`,
          'none',
          null,
          null,
        ],
      ],
    );
    const getPets = integrations.find((i) => i.methodKey === `${PETSTORE}/methods/GET /pets`);
    assert.equal(getPets?.uri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}pets-list/invocations`);
  });

  it('petstore-api: resources, the root without parentId and /admin without methods', () => {
    const resources = seedRows().rows.apiResources.filter((r) => r.apiKey === PETSTORE);
    assert.deepEqual(resources.map((r) => [r.key, r.id, r.parentId, r.path]).sort(), [
      [`${PETSTORE}/resources/adm1n3`, 'adm1n3', 'r00t7x1a2b', '/admin'],
      [`${PETSTORE}/resources/pe7id2`, 'pe7id2', 'pe7s01', '/pets/{id}'],
      [`${PETSTORE}/resources/pe7s01`, 'pe7s01', 'r00t7x1a2b', '/pets'],
      [`${PETSTORE}/resources/prxy04`, 'prxy04', 'adm1n3', '/admin/{proxy+}'],
      [`${PETSTORE}/resources/r00t7x1a2b`, 'r00t7x1a2b', null, '/'],
    ]);
  });

  it('petstore-api: stages from `item`', () => {
    const stages = seedRows().rows.stages.filter((s) => s.apiKey === PETSTORE);
    assert.deepEqual(stages.map((s) => [s.key, s.name, s.deploymentId, s.cacheClusterEnabled]).sort(), [
      [`${PETSTORE}/stages/prod`, 'prod', 'd3p10y', false],
      [`${PETSTORE}/stages/staging`, 'staging', 'st4g3d', false],
    ]);
  });

  it('petstore-api: the escaped resource policy is decoded into four statements, linked to the API', () => {
    const { rows } = seedRows();
    const key = `${PETSTORE}#resource-policy`;
    const policy = byKey(rows.policies).get(key);
    assert.ok(policy, 'resource policy row');
    assert.equal(policy.kind, 'resource');
    assert.equal(policy.account, '333344445555');
    assert.equal(policy.missing, false);
    // `\/` and `\"` are gone: the document is real JSON with plain slashes.
    const document = JSON.parse(policy.document ?? '') as { Statement: unknown[] };
    assert.equal(document.Statement.length, 4);
    assert.ok(policy.document?.includes('"arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets"'));
    const statements = rows.statements.filter((s) => s.policyKey === key).sort((a, b) => a.index - b.index);
    assert.deepEqual(
      statements.map((s) => [s.key, s.sid, s.effect, s.actions]),
      [
        [`${key}#0`, 'AllowPartnerReadPets', 'Allow', ['execute-api:Invoke']],
        [`${key}#1`, 'AllowIdentityAccount', 'Allow', ['execute-api:Invoke']],
        [`${key}#2`, 'AllowReportingRole', 'Allow', ['execute-api:Invoke']],
        [`${key}#3`, 'DenyAdminOutsideOffice', 'Deny', ['execute-api:Invoke']],
      ],
    );
    assert.deepEqual(statements[0]?.resources, [
      'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets',
      'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets/*',
    ]);
    assert.equal(statements[3]?.condition, '{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}');
    assert.equal(statements[2]?.principal, '{"AWS":"arn:aws:iam::333344445555:role/reporting-role"}');
    assert.deepEqual(
      rows.resourcePolicies.filter((l) => l.from === PETSTORE),
      [{ from: PETSTORE, to: key, ownerLabel: 'Api' }],
    );
  });

  it('petstore-web: EDGE, no resource policy, MOCK, Cognito and Lambda-authorizer methods', () => {
    const { rows } = seedRows();
    assert.equal(byKey(rows.apis).get(WEB)?.endpointType, 'EDGE');
    assert.equal(
      rows.policies.some((p) => p.key.startsWith(WEB)),
      false,
    );
    assert.equal(
      rows.resourcePolicies.some((l) => l.from === WEB),
      false,
    );
    const methods = rows.methods.filter((m) => m.apiKey === WEB);
    assert.deepEqual(methods.map((m) => [m.verb, m.path, m.authorizationType, m.authorizerId]).sort(), [
      ['GET', '/health', 'NONE', null],
      ['GET', '/orders', 'COGNITO_USER_POOLS', 'cog4u7'],
      ['GET', '/orders/{orderId}', 'CUSTOM', 'lam8zq'],
      ['POST', '/orders', 'AWS_IAM', null],
    ]);
    const integrations = byKey(rows.integrations);
    assert.deepEqual(integrations.get(`${WEB}/methods/GET /health#integration`), {
      key: `${WEB}/methods/GET /health#integration`,
      methodKey: `${WEB}/methods/GET /health`,
      type: 'MOCK',
      uri: null,
      lambdaArn: null,
      credentials: null,
      credentialsMode: 'none',
      roleArn: null,
    });
    assert.equal(integrations.get(`${WEB}/methods/POST /orders#integration`)?.lambdaArn, `${FN}orders-writer`);
    assert.equal(integrations.get(`${WEB}/methods/GET /orders/{orderId}#integration`)?.lambdaArn, `${FN}web-handler`);
  });

  it('petstore-internal: PRIVATE with its VPC endpoint, a two-statement policy, HTTP_PROXY integrations', () => {
    const { rows } = seedRows();
    const api = byKey(rows.apis).get(INTERNAL);
    assert.equal(api?.endpointType, 'PRIVATE');
    assert.deepEqual(api?.vpcEndpointIds, ['vpce-0a1b2c3d4e5f60789']);
    const key = `${INTERNAL}#resource-policy`;
    const statements = rows.statements.filter((s) => s.policyKey === key).sort((a, b) => a.index - b.index);
    assert.deepEqual(
      statements.map((s) => [s.sid, s.effect, s.principal, s.resources, s.condition]),
      [
        [null, 'Allow', '"*"', ['arn:aws:execute-api:us-east-1:333344445555:p1q2r3s4t5/*'], null],
        [
          null,
          'Deny',
          '"*"',
          ['arn:aws:execute-api:us-east-1:333344445555:p1q2r3s4t5/*'],
          '{"StringNotEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60789"}}',
        ],
      ],
    );
    const integrations = rows.integrations.filter((i) => i.methodKey.startsWith(`${INTERNAL}/`));
    assert.deepEqual(integrations.map((i) => [i.methodKey, i.type, i.uri, i.lambdaArn, i.credentialsMode]).sort(), [
      [`${INTERNAL}/methods/GET /inventory`, 'HTTP_PROXY', 'http://inventory.internal.petstore.example/inventory', null, 'none'],
      [
        `${INTERNAL}/methods/GET /inventory/{sku}`,
        'HTTP_PROXY',
        'http://inventory.internal.petstore.example/inventory/{sku}',
        null,
        'none',
      ],
    ]);
    assert.deepEqual(
      rows.stages.filter((s) => s.apiKey === INTERNAL).map((s) => s.name),
      ['prod'],
    );
  });
});

describe('decodeApiPolicy', () => {
  it('decodes plain JSON, the escaped form get-rest-apis prints, and URL-encoded text', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'arn:aws:execute-api:us-east-1:1:a/*',
          Condition: { StringEquals: { 'aws:x': 'a\\b' } },
        },
      ],
    };
    const plain = JSON.stringify(doc);
    const escaped = JSON.stringify(plain).slice(1, -1).replace(/\//g, '\\/');
    assert.ok(escaped.includes('\\"') && escaped.includes('\\/'));
    // Pretty-printed and with a non-ASCII character: `\n` and `\u00e9` escapes only a string-literal decoding undoes.
    const pretty = JSON.stringify(JSON.stringify({ ...doc, Id: 'caf\u00e9' }, null, 2)).slice(1, -1);
    assert.deepEqual(decodeApiPolicy(pretty.replace('é', '\\u00e9')), { ok: true, document: { ...doc, Id: 'café' } });
    for (const text of [plain, escaped, encodeURIComponent(plain)]) {
      assert.deepEqual(decodeApiPolicy(text), { ok: true, document: doc }, text);
    }
  });

  it('falls back to unescaping \\" \\/ \\\\ when the text is not a clean string literal', () => {
    // A bare quote next to escaped ones: not a JSON string literal, but unescaping still gives JSON.
    const text = '{\\"Version\\":"2012-10-17",\\"Statement\\":[]}';
    assert.deepEqual(decodeApiPolicy(text), { ok: true, document: { Version: '2012-10-17', Statement: [] } });
  });

  it('reports text that is not JSON even after unescaping', () => {
    const result = decodeApiPolicy('{\\"Version\\":\\"2012-10-17\\",');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /not valid JSON, even after removing backslash escapes/);
  });
});

describe('transformRestApis on hand-made inputs', () => {
  const resources = (methods: Record<string, unknown>) => ({
    items: [ROOT, { id: 'res001', parentId: 'root01', pathPart: 'items', path: '/items', resourceMethods: methods }],
  });

  it('a policy string that is not JSON even after unescaping: a problem at its path, and nothing of the API', () => {
    const { rows, problems } = run(
      { items: [{ ...API, policy: '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[' }] },
      { abc123defg: { resources: resources({ GET: getMethod({ type: 'MOCK' }) }), stages: STAGES } },
    );
    const p = only(problems);
    assert.equal(p.file, REST);
    assert.equal(p.path, '$.items[0].policy');
    assert.match(p.message, /not valid JSON/);
    assert.deepEqual(
      [rows.apis, rows.apiResources, rows.methods, rows.integrations, rows.stages, rows.policies, rows.resourcePolicies],
      [[], [], [], [], [], [], []],
    );
  });

  it('an invalid statement in the escaped policy: the problem path goes into the decoded document', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] };
    const escaped = JSON.stringify(JSON.stringify(doc)).slice(1, -1);
    const { rows, problems } = run(
      { items: [{ ...API, policy: escaped }] },
      { abc123defg: { resources: { items: [ROOT] }, stages: STAGES } },
    );
    const p = only(problems);
    assert.deepEqual(
      [p.file, p.path, p.message],
      [REST, '$.items[0].policy.Statement[0].Effect', 'expected "Allow" or "Deny", got a string ("Maybe")'],
    );
    assert.deepEqual([rows.apis, rows.policies, rows.statements, rows.apiResources], [[], [], [], []]);
  });

  it('an API entry without an id: a problem naming $.items[N].id; the other APIs load', () => {
    const { rows, problems } = run(
      {
        items: [
          { ...API, id: 'other12345' },
          { name: 'no id', endpointConfiguration: { types: ['EDGE'] } },
        ],
      },
      { other12345: { resources: { items: [] }, stages: { item: [] } } },
    );
    const p = only(problems);
    assert.deepEqual([p.file, p.path, p.message], [REST, '$.items[1].id', 'required field is missing']);
    assert.deepEqual(
      rows.apis.map((a) => a.id),
      ['other12345'],
    );
  });

  it('resources.json fetched without --embed methods: one problem for the file, telling to re-run with --embed methods', () => {
    const { rows, problems } = run(
      { items: [API] },
      {
        abc123defg: {
          resources: {
            items: [ROOT, { id: 'res001', parentId: 'root01', pathPart: 'items', path: '/items', resourceMethods: { GET: {}, POST: {} } }],
          },
          stages: STAGES,
        },
      },
    );
    const p = only(problems);
    assert.equal(p.file, `${BASE}/apigateway/abc123defg/resources.json`);
    assert.equal(p.path, '$.items[1].resourceMethods.GET');
    assert.match(
      p.message,
      /2 method\(s\).*without --embed methods.*aws apigateway get-resources --rest-api-id abc123defg --embed methods/,
    );
    assert.deepEqual(rows.methods, []);
  });

  it('integration URIs: alias and version qualifiers are stripped; a stage-variable function is unknown (warning)', () => {
    const { rows, problems, warnings } = run(
      { items: [API] },
      {
        abc123defg: {
          resources: resources({
            GET: getMethod({ type: 'AWS_PROXY', uri: lambdaUri('arn:aws:lambda:us-east-1:333344445555:function:orders:live') }),
            POST: {
              ...getMethod({ type: 'AWS', uri: lambdaUri('arn:aws:lambda:us-east-1:444455556666:function:orders:7') }),
              httpMethod: 'POST',
            },
            PUT: {
              ...getMethod({ type: 'AWS_PROXY', uri: lambdaUri('arn:aws:lambda:us-east-1:333344445555:function:${stageVariables.fn}') }),
              httpMethod: 'PUT',
            },
            PATCH: {
              ...getMethod({ type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/Query', credentials: INVOKE_ROLE }),
              httpMethod: 'PATCH',
            },
          }),
          stages: STAGES,
        },
      },
    );
    assert.deepEqual(problems, []);
    const lambda = new Map(rows.integrations.map((i) => [i.methodKey.replace(`${DEMO}/methods/`, ''), i.lambdaArn]));
    assert.deepEqual(Object.fromEntries(lambda), {
      'GET /items': 'arn:aws:lambda:us-east-1:333344445555:function:orders',
      'POST /items': 'arn:aws:lambda:us-east-1:444455556666:function:orders',
      'PUT /items': null,
      'PATCH /items': null,
    });
    const w = only(warnings);
    assert.equal(w.path, '$.items[1].resourceMethods.PUT.methodIntegration.uri');
    assert.match(w.message, /stage variable/);
  });

  it('credentials that are neither a role nor arn:aws:iam::*:user/*: a problem; that method is skipped, the others load', () => {
    const { rows, problems } = run(
      { items: [API] },
      {
        abc123defg: {
          resources: resources({
            GET: getMethod({ type: 'AWS_PROXY', uri: lambdaUri(`${FN}a`), credentials: 'arn:aws:iam::333344445555:user/bob' }),
            POST: { ...getMethod({ type: 'AWS_PROXY', uri: lambdaUri(`${FN}a`) }), httpMethod: 'POST' },
          }),
          stages: STAGES,
        },
      },
    );
    const p = only(problems);
    assert.deepEqual(
      [p.file, p.path],
      [`${BASE}/apigateway/abc123defg/resources.json`, '$.items[1].resourceMethods.GET.methodIntegration.credentials'],
    );
    assert.deepEqual(
      rows.methods.map((m) => m.verb),
      ['POST'],
    );
    assert.deepEqual(
      rows.integrations.map((i) => i.methodKey),
      [`${DEMO}/methods/POST /items`],
    );
  });

  it('a malformed Lambda invocation URI, an unknown authorization type, a mismatched httpMethod: one problem each', () => {
    const { rows, problems } = run(
      { items: [API] },
      {
        abc123defg: {
          resources: resources({
            GET: getMethod({ type: 'AWS_PROXY', uri: 'arn:aws:apigateway:us-east-1:lambda:path/functions/pets' }),
            POST: { ...getMethod({ type: 'MOCK' }), httpMethod: 'POST', authorizationType: 'MAGIC' },
            PUT: getMethod({ type: 'MOCK' }),
          }),
          stages: STAGES,
        },
      },
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        '$.items[1].resourceMethods.GET.methodIntegration.uri',
        '$.items[1].resourceMethods.POST.authorizationType',
        '$.items[1].resourceMethods.PUT.httpMethod',
      ],
    );
    assert.deepEqual(rows.methods, []);
  });

  it('endpoint types must be exactly one of REGIONAL, EDGE, PRIVATE', () => {
    for (const types of [['PUBLIC'], ['EDGE', 'REGIONAL'], []]) {
      const { rows, problems } = run({ items: [{ ...API, endpointConfiguration: { types } }] });
      const p = only(problems);
      assert.deepEqual([p.file, p.path], [REST, '$.items[0].endpointConfiguration.types'], JSON.stringify(types));
      assert.deepEqual(rows.apis, []);
    }
    const missing = only(run({ items: [{ id: 'abc123defg' }] }).problems);
    assert.deepEqual([missing.path, missing.message], ['$.items[0].endpointConfiguration', 'expected an object, got nothing']);
  });

  it('a resources file whose root is not the API rootResourceId: a problem (another API files)', () => {
    const { rows, problems } = run(
      { items: [API] },
      { abc123defg: { resources: { items: [{ id: 'otherroot', path: '/' }] }, stages: STAGES } },
    );
    const p = only(problems);
    assert.deepEqual([p.file, p.path], [`${BASE}/apigateway/abc123defg/resources.json`, '$.items[0].id']);
    assert.match(p.message, /rootResourceId root01/);
    assert.deepEqual(rows.apiResources, []);
  });

  it('missing per-API files: warnings, the API loads with what it has; a directory not in rest-apis.json: warning, skipped', () => {
    const { rows, problems, warnings } = run({ items: [API] }, { zzz9999999: { resources: { items: [ROOT] }, stages: STAGES } });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.apis.map((a) => a.id),
      ['abc123defg'],
    );
    assert.deepEqual(rows.apiResources, []);
    assert.deepEqual(issueLines(warnings), [
      `${REST} | $.items[0] | no ${BASE}/apigateway/abc123defg/resources.json (aws apigateway get-resources --rest-api-id abc123defg --embed methods): the API is loaded without resources and methods`,
      `${REST} | $.items[0] | no ${BASE}/apigateway/abc123defg/stages.json (aws apigateway get-stages --rest-api-id abc123defg): the API is loaded without stages`,
      `${BASE}/apigateway/zzz9999999/resources.json | $ | REST API zzz9999999 is not in ${REST}: skipped`,
      `${BASE}/apigateway/zzz9999999/stages.json | $ | REST API zzz9999999 is not in ${REST}: skipped`,
    ]);
  });

  it('an API with a problem: its files are still checked, but nothing of it is loaded', () => {
    const { rows, problems } = run(
      { items: [{ ...API, endpointConfiguration: { types: ['NOPE'] } }] },
      {
        abc123defg: {
          resources: {
            items: [ROOT, { id: 'x', path: '/x', resourceMethods: { GET: { authorizationType: 'NONE', apiKeyRequired: 'no' } } }],
          },
          stages: { item: [{ deploymentId: 'd' }] },
        },
      },
    );
    assert.deepEqual(
      problems.map((p) => [p.file, p.path]),
      [
        [REST, '$.items[0].endpointConfiguration.types'],
        [`${BASE}/apigateway/abc123defg/resources.json`, '$.items[1].resourceMethods.GET.apiKeyRequired'],
        [`${BASE}/apigateway/abc123defg/stages.json`, '$.item[0].stageName'],
      ],
    );
    assert.deepEqual([rows.apis, rows.apiResources, rows.methods, rows.stages], [[], [], [], []]);
  });

  it('a short-form Resource is expanded to the API ARN; a Resource of another API gives a warning', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/prod/GET/items' },
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: ['arn:aws:execute-api:us-east-1:333344445555:zz9yy8xx7w/*', 'arn:aws:execute-api:*:*:*/*'],
        },
      ],
    };
    const { rows, problems, warnings } = run(
      { items: [{ ...API, policy: JSON.stringify(doc) }] },
      { abc123defg: { resources: { items: [ROOT] }, stages: STAGES } },
    );
    assert.deepEqual(problems, []);
    const statements = rows.statements.sort((a, b) => a.index - b.index);
    assert.deepEqual(statements[0]?.resources, ['arn:aws:execute-api:us-east-1:333344445555:abc123defg/prod/GET/items']);
    const w = only(warnings);
    assert.deepEqual([w.file, w.path], [REST, '$.items[0].policy.Statement[1].Resource[0]']);
    assert.match(w.message, /zz9yy8xx7w/);
  });

  it('rest-apis.json that is not an object, or whose items are not a list: a problem at $ / $.items', () => {
    assert.deepEqual(
      run([]).problems.map((p) => [p.file, p.path]),
      [[REST, '$']],
    );
    assert.deepEqual(
      run({ items: {} }).problems.map((p) => [p.file, p.path]),
      [[REST, '$.items']],
    );
    // API Gateway prints `{}` for an account without REST APIs: no API, no issue.
    const empty = run({});
    assert.deepEqual([empty.problems, empty.warnings, empty.rows.apis], [[], [], []]);
  });
});
