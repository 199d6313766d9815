import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Graph } from '../../src/db';
import { countStatements, dataOf, firstError, ingest, startTestServer, type TestServer } from './support/api';
import type { Connection } from './support/answers';
import { resetGraph, testGraph } from './support/graph';

/**
 * The browsing queries over HTTP against the real Neo4j with seed/ loaded by
 * the ingest service. Expected values come from seed/README.md (worked out by
 * hand from the files).
 */

/** The browsing types as the queries here ask for them (schema/schema.graphql describes each field). */
interface SnapshotView {
  id: string;
  state: string;
  current: boolean;
  nodeCount: number;
  relationshipCount: number;
  completedAt: string | null;
}
interface StatementView {
  sid: string | null;
  effect: string;
  actions: string[];
  resources: string[];
  principal: unknown;
  condition: unknown;
}
interface PolicyView {
  id: string;
  kind: string;
  name: string;
  versionId: string | null;
  missing: boolean;
  document: { Statement: Record<string, unknown>[] } | null;
  statements: StatementView[];
}
interface PrincipalView {
  arn: string;
  kind: string;
  name: string;
  account: string;
  tags: { key: string; value: string }[];
  policies: PolicyView[];
  permissionsBoundary: PolicyView | null;
  groups: { name: string; policies: PolicyView[] }[];
  maxSessionDuration: number | null;
  trustPolicy: PolicyView | null;
}
interface LambdaView {
  arn: string;
  name: string;
  executionRole: { name: string } | null;
  resourcePolicy: PolicyView | null;
}
interface MethodView {
  verb: string;
  path: string;
  routeKey: string;
  authorizationType: string;
  authorizerId: string | null;
  api: unknown;
  resourcePolicy: PolicyView | null;
  integration: {
    type: string;
    credentials: string | null;
    credentialsMode: string;
    role: { arn: string; name: string } | null;
    lambdaFunction: LambdaView | null;
  };
}
interface ApiView {
  id: string;
  name: string;
  endpointType: string;
  vpcEndpointIds: string[];
  arn: string;
  executeApiArn: string;
  stages: { name: string }[];
  resourcePolicy: PolicyView | null;
  methods: Connection<MethodView>;
}

const PROD = '333344445555';
const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;

describe('GraphQL browsing over HTTP (seed/ loaded)', () => {
  let graph: Graph;
  let server: TestServer;
  let snapshotId: string;

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    snapshotId = await ingest(graph);
    server = await startTestServer(graph);
  });
  after(async () => {
    await server.close();
    await resetGraph(graph);
    await graph.close();
  });

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { status, body } = await server.gql<T>(query, variables);
    assert.equal(body.errors, undefined, `unexpected errors: ${JSON.stringify(body.errors)}`);
    assert.equal(status, 200);
    return dataOf(body);
  }

  async function errorOf(query: string, variables?: Record<string, unknown>): Promise<{ message: string; code: string }> {
    const { body } = await server.gql<unknown>(query, variables);
    assert.ok(Array.isArray(body.errors) && body.errors.length === 1, `expected one error, got ${JSON.stringify(body)}`);
    return { message: firstError(body).message, code: firstError(body).extensions.code };
  }

  describe('snapshots', () => {
    it('lists the one loaded snapshot, current and complete, with its counts', async () => {
      const { snapshots } = await data<{ snapshots: Connection<SnapshotView> }>(
        '{ snapshots { totalCount edges { cursor node { id state current nodeCount relationshipCount completedAt } } pageInfo { hasNextPage endCursor } } }',
      );
      assert.equal(snapshots.totalCount, 1);
      assert.equal(snapshots.edges[0]!.node.id, snapshotId);
      assert.equal(snapshots.edges[0]!.node.state, 'COMPLETE');
      assert.equal(snapshots.edges[0]!.node.current, true);
      assert.ok(snapshots.edges[0]!.node.nodeCount > 100, 'the seed has well over 100 nodes');
      assert.ok(snapshots.edges[0]!.node.relationshipCount > 100);
      assert.equal(snapshots.pageInfo.hasNextPage, false);
      assert.equal(snapshots.pageInfo.endCursor, snapshots.edges[0]!.cursor);
    });

    it('reads the snapshot named by the snapshot argument, and refuses an unknown one with NOT_FOUND', async () => {
      const named = await data<{ principals: Connection<PrincipalView> }>('query($s: String) { principals(snapshot: $s) { totalCount } }', {
        s: snapshotId,
      });
      assert.equal(named.principals.totalCount, 19);
      const error = await errorOf('query($s: String) { restApis(snapshot: $s) { totalCount } }', { s: '20200101T000000Z-0000' });
      assert.equal(error.code, 'NOT_FOUND');
      assert.match(error.message, /snapshot: no snapshot "20200101T000000Z-0000"/);
    });
  });

  describe('principals', () => {
    it('lists the 19 users and roles of the three accounts, ordered by ARN', async () => {
      const { principals } = await data<{ principals: Connection<PrincipalView> }>(
        '{ principals(first: 100) { totalCount nodes { arn kind name account } } }',
      );
      assert.equal(principals.totalCount, 19);
      const arns: string[] = principals.nodes.map((p) => p.arn);
      assert.deepEqual(arns, [...arns].sort());
      assert.equal(principals.nodes.filter((p) => p.kind === 'USER').length, 10);
      assert.equal(principals.nodes.filter((p) => p.kind === 'ROLE').length, 9);
      assert.ok(arns.includes('arn:aws:iam::111122223333:user/org-admin'));
      assert.ok(arns.includes('arn:aws:iam::222233334444:role/ops-jump'));
      assert.ok(arns.includes(`arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`));
    });

    it('pages through them with cursors: every principal once, in order, with hasNextPage right', async () => {
      const seen: string[] = [];
      const flags: boolean[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const { principals }: { principals: Connection<PrincipalView> } = await data(
          'query($after: String) { principals(first: 5, after: $after) { totalCount edges { cursor node { arn } } pageInfo { hasNextPage hasPreviousPage endCursor } } }',
          { after },
        );
        assert.equal(principals.totalCount, 19, 'totalCount counts the whole list on every page');
        seen.push(...principals.edges.map((e) => e.node.arn));
        flags.push(principals.pageInfo.hasNextPage);
        assert.equal(principals.pageInfo.hasPreviousPage, after !== null);
        if (!principals.pageInfo.hasNextPage) break;
        after = principals.pageInfo.endCursor;
      }
      assert.deepEqual(flags, [true, true, true, false]);
      assert.equal(seen.length, 19);
      assert.equal(new Set(seen).size, 19);
      assert.deepEqual(seen, [...seen].sort());
    });

    it('filters by account, kind and a case-insensitive part of the name', async () => {
      const { users } = await data<{ users: Connection<PrincipalView> }>(
        `{ users: principals(filter: {account: "${PROD}", kind: USER}, first: 50) { totalCount nodes { name } } }`,
      );
      assert.deepEqual(
        users.nodes.map((p) => p.name),
        ['alice-apidev', 'bob-caller', 'carol-caller', 'erin-boundary', 'frank-escalator', 'henry-support'],
      );
      const { callers } = await data<{ callers: Connection<PrincipalView> }>(
        '{ callers: principals(filter: {nameContains: "CALLER"}) { totalCount nodes { name } } }',
      );
      assert.deepEqual(
        callers.nodes.map((p) => p.name),
        ['bob-caller', 'carol-caller'],
      );
      assert.equal(callers.totalCount, 2);
      const { roles } = await data<{ roles: Connection<PrincipalView> }>(
        '{ roles: principals(filter: {account: "222233334444", kind: ROLE}) { nodes { name } } }',
      );
      assert.deepEqual(
        roles.nodes.map((p) => p.name),
        ['ops-jump'],
      );
    });

    it('refuses a malformed account filter with BAD_USER_INPUT naming the field', async () => {
      const error = await errorOf('{ principals(filter: {account: "3333"}) { totalCount } }');
      assert.equal(error.code, 'BAD_USER_INPUT');
      assert.match(error.message, /^filter\.account: expected a 12-digit AWS account id/);
    });

    it("bob-caller: no policies of his own; group api-callers with managed InvokePetsProd v2 (not v1's execute-api:*) and inline DenyDeleteOnProd", async () => {
      const { principal } = await data<{ principal: PrincipalView }>(`{ principal(arn: "arn:aws:iam::${PROD}:user/bob-caller") {
        arn kind account tags { key value } policies { id }
        ... on User { groups { name policies { id kind name versionId statements { sid effect actions resources } } } } } }`);
      assert.equal(principal.kind, 'USER');
      assert.equal(principal.account, PROD);
      assert.deepEqual(principal.tags, [{ key: 'team', value: 'storefront' }]);
      assert.deepEqual(principal.policies, []);
      assert.equal(principal.groups.length, 1);
      const [group] = principal.groups;
      assert.equal(group!.name, 'api-callers');
      const managed = group!.policies.find((p) => p.kind === 'MANAGED');
      assert.equal(managed!.name, 'InvokePetsProd');
      assert.equal(managed!.versionId, 'v2');
      assert.deepEqual(
        managed!.statements.map((s) => s.sid),
        ['InvokePetsProd', 'InvokeReadBackend'],
      );
      assert.ok(!managed!.statements.some((s) => s.resources.includes('*')), "v1's execute-api:* on * is not in force");
      const inline = group!.policies.find((p) => p.kind === 'INLINE');
      assert.equal(inline!.id, `arn:aws:iam::${PROD}:group/api-callers#inline/DenyDeleteOnProd`);
      assert.deepEqual(inline!.statements, [
        { sid: 'NoDeletesOnProd', effect: 'DENY', actions: ['execute-api:Invoke'], resources: ['arn:aws:execute-api:*:*:*/prod/DELETE/*'] },
      ]);
    });

    it('boundaries: erin-boundary has DeveloperBoundary; kim-noaccess has PowerUserAccess, missing from the snapshot (no document)', async () => {
      const d = await data<{ erin: PrincipalView; kim: PrincipalView }>(`{
        erin: principal(arn: "arn:aws:iam::${PROD}:user/erin-boundary") { permissionsBoundary { id name missing statements { sid } } }
        kim: principal(arn: "arn:aws:iam::222233334444:user/kim-noaccess") { policies { id } permissionsBoundary { id missing document statements { sid } } } }`);
      assert.equal(d.erin.permissionsBoundary!.name, 'DeveloperBoundary');
      assert.equal(d.erin.permissionsBoundary!.missing, false);
      assert.deepEqual(
        d.erin.permissionsBoundary!.statements.map((s) => s.sid),
        ['OnlyStagingReads', 'ReadApiConfig'],
      );
      assert.deepEqual(d.kim.policies, []);
      assert.deepEqual(d.kim.permissionsBoundary, {
        id: 'arn:aws:iam::aws:policy/PowerUserAccess',
        missing: true,
        document: null,
        statements: [],
      });
    });

    it("henry-support's URL-encoded inline policy comes back decoded", async () => {
      const { principal } = await data<{ principal: PrincipalView }>(
        `{ principal(arn: "arn:aws:iam::${PROD}:user/henry-support") { policies { kind name document } } }`,
      );
      assert.equal(principal.policies.length, 1);
      assert.equal(principal.policies[0]!.name, 'SupportLookup');
      assert.equal(principal.policies[0]!.document!.Statement[0]!.Resource, `${X}/prod/GET/pets/1`);
    });

    it("roles: partner-integration's trust policy names the partner account with an external id", async () => {
      const { principal } = await data<{ principal: PrincipalView }>(`{ principal(arn: "arn:aws:iam::${PROD}:role/partner-integration") {
        kind policies { name } ... on Role { maxSessionDuration trustPolicy { id kind statements { effect principal condition } } } } }`);
      assert.equal(principal.kind, 'ROLE');
      assert.deepEqual(
        principal.policies.map((p) => p.name),
        ['SubmitAdoptions'],
      );
      assert.equal(principal.trustPolicy!.id, `arn:aws:iam::${PROD}:role/partner-integration#trust`);
      assert.equal(principal.trustPolicy!.kind, 'TRUST');
      assert.deepEqual(principal.trustPolicy!.statements, [
        {
          effect: 'ALLOW',
          principal: { AWS: 'arn:aws:iam::999988887777:root' },
          condition: { StringEquals: { 'sts:ExternalId': 'petstore-7f3a9c' } },
        },
      ]);
    });

    it('a malformed ARN is BAD_USER_INPUT; a well-formed one that is not in the snapshot is NOT_FOUND', async () => {
      const bad = await errorOf('{ principal(arn: "bob-caller") { arn } }');
      assert.equal(bad.code, 'BAD_USER_INPUT');
      assert.match(bad.message, /^arn: expected the ARN of an IAM user or role/);
      const sts = await errorOf(`{ principal(arn: "arn:aws:sts::${PROD}:assumed-role/platform-admin/s") { arn } }`);
      assert.equal(sts.code, 'BAD_USER_INPUT');
      const missing = await errorOf(`{ principal(arn: "arn:aws:iam::${PROD}:user/nobody") { arn } }`);
      assert.equal(missing.code, 'NOT_FOUND');
      assert.match(missing.message, /no user "arn:aws:iam::333344445555:user\/nobody"/);
    });
  });

  describe('APIs and methods', () => {
    it('lists the three REST APIs and the HTTP API', async () => {
      const d = await data<{ restApis: Connection<ApiView>; httpApis: Connection<ApiView> }>(
        '{ restApis { totalCount nodes { id name endpointType vpcEndpointIds arn executeApiArn stages { name } } } httpApis { totalCount nodes { id name endpointType stages { name } } } }',
      );
      assert.equal(d.restApis.totalCount, 3);
      assert.deepEqual(
        d.restApis.nodes.map((a) => [a.id, a.name, a.endpointType]),
        [
          ['a1b2c3d4e5', 'petstore-api', 'REGIONAL'],
          ['k9l8m7n6o5', 'petstore-web', 'EDGE'],
          ['p1q2r3s4t5', 'petstore-internal', 'PRIVATE'],
        ],
      );
      assert.deepEqual(d.restApis.nodes[2]!.vpcEndpointIds, ['vpce-0a1b2c3d4e5f60789']);
      assert.equal(d.restApis.nodes[0]!.arn, 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5');
      assert.equal(d.restApis.nodes[0]!.executeApiArn, X);
      assert.deepEqual(
        d.restApis.nodes[0]!.stages.map((s) => s.name),
        ['prod', 'staging'],
      );
      assert.deepEqual(d.httpApis.nodes, [
        { id: 'h7t8p9a0b1', name: 'petstore-events', endpointType: 'REGIONAL', stages: [{ name: '$default' }] },
      ]);
    });

    it("petstore-api: its resource policy's four statements, and each method's authorization, integration, role and Lambda function", async () => {
      const { restApi } = await data<{ restApi: ApiView }>(`{ restApi(id: "a1b2c3d4e5") {
        name resourcePolicy { kind statements { sid effect condition } }
        methods { totalCount nodes { verb path authorizationType apiKeyRequired
          integration { type credentials credentialsMode roleArn role { name } lambdaFunction { name executionRole { name } resourcePolicy { statements { sid } } } } } } } }`);
      assert.equal(restApi.name, 'petstore-api');
      assert.equal(restApi.resourcePolicy!.kind, 'RESOURCE');
      assert.deepEqual(
        restApi.resourcePolicy!.statements.map((s) => [s.sid, s.effect]),
        [
          ['AllowPartnerReadPets', 'ALLOW'],
          ['AllowIdentityAccount', 'ALLOW'],
          ['AllowReportingRole', 'ALLOW'],
          ['DenyAdminOutsideOffice', 'DENY'],
        ],
      );
      assert.deepEqual(restApi.resourcePolicy!.statements[3]!.condition, { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } });
      assert.equal(restApi.methods.totalCount, 5);
      const byMethod = new Map<string, MethodView>(restApi.methods.nodes.map((m) => [`${m.verb} ${m.path}`, m]));
      assert.deepEqual(
        [...byMethod.keys()],
        ['ANY /admin/{proxy+}', 'GET /pets', 'POST /pets', 'DELETE /pets/{id}', 'GET /pets/{id}'],
        'ordered by path, then verb',
      );
      for (const m of byMethod.values()) assert.equal(m.authorizationType, 'AWS_IAM');
      const getPets = byMethod.get('GET /pets');
      assert.equal(getPets!.integration.credentialsMode, 'ROLE');
      assert.equal(getPets!.integration.role!.name, 'petstore-apigw-invoke');
      assert.equal(getPets!.integration.lambdaFunction!.name, 'pets-list');
      assert.equal(getPets!.integration.lambdaFunction!.resourcePolicy, null, 'pets-list has no resource policy');
      assert.equal(getPets!.integration.lambdaFunction!.executionRole!.name, 'petstore-lambda-exec');
      const getPet = byMethod.get('GET /pets/{id}');
      assert.equal(getPet!.integration.credentialsMode, 'CALLER');
      assert.equal(getPet!.integration.credentials, 'arn:aws:iam::*:user/*');
      assert.equal(getPet!.integration.role, null);
      assert.equal(getPet!.integration.lambdaFunction!.name, 'pets-read');
      const postPets = byMethod.get('POST /pets');
      assert.equal(postPets!.integration.credentialsMode, 'NONE');
      assert.equal(postPets!.integration.lambdaFunction!.name, 'pets-write');
      assert.deepEqual(
        postPets!.integration.lambdaFunction!.resourcePolicy!.statements.map((s) => s.sid),
        ['apigw-post-pets', 'apigw-delete-pet'],
      );
      assert.equal(byMethod.get('ANY /admin/{proxy+}')!.integration.lambdaFunction!.name, 'pets-admin');
    });

    it('petstore-web: no resource policy; GET /health is NONE with a MOCK integration; the authorizers are named', async () => {
      const { restApi } = await data<{ restApi: ApiView }>(
        '{ restApi(id: "k9l8m7n6o5") { resourcePolicy { id } methods { nodes { verb path authorizationType authorizerId integration { type lambdaFunction { name } } } } } }',
      );
      assert.equal(restApi.resourcePolicy, null);
      const byMethod = new Map<string, MethodView>(restApi.methods.nodes.map((m) => [`${m.verb} ${m.path}`, m]));
      assert.deepEqual(byMethod.get('GET /health'), {
        verb: 'GET',
        path: '/health',
        authorizationType: 'NONE',
        authorizerId: null,
        integration: { type: 'MOCK', lambdaFunction: null },
      });
      assert.equal(byMethod.get('GET /orders')!.authorizationType, 'COGNITO_USER_POOLS');
      assert.equal(byMethod.get('GET /orders')!.authorizerId, 'cog4u7');
      assert.equal(byMethod.get('GET /orders/{orderId}')!.authorizationType, 'CUSTOM');
      assert.equal(byMethod.get('GET /orders/{orderId}')!.authorizerId, 'lam8zq');
      assert.equal(byMethod.get('POST /orders')!.integration.lambdaFunction!.name, 'orders-writer');
    });

    it('petstore-events (HTTP API): routes with their route keys; GET /status runs as petstore-apigw-invoke', async () => {
      const { httpApi } = await data<{ httpApi: ApiView }>(
        '{ httpApi(id: "h7t8p9a0b1") { name methods { nodes { verb path routeKey authorizationType authorizerId resourcePolicy { id } integration { credentialsMode role { name } lambdaFunction { name } } } } } }',
      );
      assert.equal(httpApi.name, 'petstore-events');
      const routes = new Map<string, MethodView>(httpApi.methods.nodes.map((m) => [m.routeKey, m]));
      assert.deepEqual([...routes.keys()].sort(), ['GET /events', 'GET /status', 'POST /events']);
      assert.equal(routes.get('GET /events')!.authorizationType, 'AWS_IAM');
      assert.equal(routes.get('POST /events')!.authorizationType, 'JWT');
      assert.equal(routes.get('POST /events')!.authorizerId, 'jwt01a');
      assert.equal(routes.get('GET /status')!.authorizationType, 'NONE');
      assert.equal(routes.get('GET /status')!.integration.role!.name, 'petstore-apigw-invoke');
      assert.equal(routes.get('GET /events')!.integration.role, null);
      for (const route of routes.values()) {
        assert.equal(route.integration.lambdaFunction!.name, 'events-handler');
        assert.equal(route.resourcePolicy, null, 'HTTP APIs have no resource policy');
      }
    });

    it('restApi/httpApi: a malformed id is BAD_USER_INPUT; an unknown id, or an id of the other kind, is NOT_FOUND', async () => {
      assert.equal((await errorOf('{ restApi(id: "not an id!") { id } }')).code, 'BAD_USER_INPUT');
      assert.equal((await errorOf('{ restApi(id: "zz9yy8xx7w") { id } }')).code, 'NOT_FOUND');
      const wrongKind = await errorOf('{ restApi(id: "h7t8p9a0b1") { id } }');
      assert.equal(wrongKind.code, 'NOT_FOUND');
      assert.match(wrongKind.message, /an HTTP API: use httpApi/);
    });

    it('pages through methods with cursors', async () => {
      const first = await data<{ restApi: ApiView }>(
        '{ restApi(id: "a1b2c3d4e5") { methods(first: 2) { totalCount edges { node { verb path } } pageInfo { hasNextPage endCursor } } } }',
      );
      assert.equal(first.restApi.methods.totalCount, 5);
      assert.equal(first.restApi.methods.pageInfo.hasNextPage, true);
      const rest = await data<{ restApi: ApiView }>(
        'query($after: String) { restApi(id: "a1b2c3d4e5") { methods(first: 10, after: $after) { edges { node { verb path } } pageInfo { hasNextPage } } } }',
        {
          after: first.restApi.methods.pageInfo.endCursor,
        },
      );
      const all = [...first.restApi.methods.edges, ...rest.restApi.methods.edges].map((e) => `${e.node.verb} ${e.node.path}`);
      assert.deepEqual(all, ['ANY /admin/{proxy+}', 'GET /pets', 'POST /pets', 'DELETE /pets/{id}', 'GET /pets/{id}']);
      assert.equal(rest.restApi.methods.pageInfo.hasNextPage, false);
    });

    it('refuses a cursor of another list with BAD_USER_INPUT', async () => {
      const { principals } = await data<{ principals: Connection<PrincipalView> }>('{ principals(first: 1) { pageInfo { endCursor } } }');
      const error = await errorOf('query($after: String) { restApis(after: $after) { totalCount } }', {
        after: principals.pageInfo.endCursor,
      });
      assert.equal(error.code, 'BAD_USER_INPUT');
      assert.match(error.message, /^after: not a cursor of this list/);
      assert.equal((await errorOf('{ restApis(after: "garbage!") { totalCount } }')).code, 'BAD_USER_INPUT');
    });

    it('method(arn) by template: GET /pets on prod, with its API, resource policy, integration, role and function', async () => {
      const { method } = await data<{ method: MethodView }>(`{ method(arn: "${X}/prod/GET/pets") {
        verb path authorizationType api { id name ... on RestApi { endpointType } } resourcePolicy { id statements { sid } }
        integration { type credentialsMode role { arn } lambdaFunction { arn name } } } }`);
      assert.equal(method.verb, 'GET');
      assert.equal(method.path, '/pets');
      assert.deepEqual(method.api, { id: 'a1b2c3d4e5', name: 'petstore-api', endpointType: 'REGIONAL' });
      assert.equal(method.resourcePolicy!.id, 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5#resource-policy');
      assert.equal(method.resourcePolicy!.statements.length, 4);
      assert.equal(method.integration.credentialsMode, 'ROLE');
      assert.equal(method.integration.role!.arn, `arn:aws:iam::${PROD}:role/petstore-apigw-invoke`);
      assert.equal(method.integration.lambdaFunction!.arn, `arn:aws:lambda:us-east-1:${PROD}:function:pets-list`);
    });

    it('method(arn) routes a concrete request path to the method that serves it', async () => {
      const d = await data<Record<'one' | 'two' | 'three' | 'four', MethodView>>(`{
        one: method(arn: "${X}/prod/GET/pets/{id}") { verb path }
        two: method(arn: "${X}/staging/GET/pets/42") { verb path }
        three: method(arn: "${X}/prod/POST/admin/users/7") { verb path }
        four: method(arn: "arn:aws:execute-api:us-east-1:${PROD}:h7t8p9a0b1/$default/GET/events") { routeKey } }`);
      assert.deepEqual(d.one, { verb: 'GET', path: '/pets/{id}' });
      assert.deepEqual(d.two, { verb: 'GET', path: '/pets/{id}' });
      assert.deepEqual(d.three, { verb: 'ANY', path: '/admin/{proxy+}' });
      assert.deepEqual(d.four, { routeKey: 'GET /events' });
    });

    it('method(arn): malformed ARNs are BAD_USER_INPUT; an API, stage or method not in the snapshot is NOT_FOUND', async () => {
      for (const arn of [
        'nope',
        `${X}`,
        `${X}/prod/FETCH/pets`,
        `${X}/prod/GET/*`,
        `arn:aws:execute-api:us-east-1:3333:a1b2c3d4e5/prod/GET/pets`,
      ]) {
        const error = await errorOf('query($arn: String!) { method(arn: $arn) { verb } }', { arn });
        assert.equal(error.code, 'BAD_USER_INPUT', `${arn}: ${error.message}`);
        assert.match(error.message, /^arn: .*expected an execute-api method ARN/);
      }
      const cases: [string, RegExp][] = [
        [`${X}/dev/GET/pets`, /has no stage "dev"; its stages: prod, staging/],
        [`${X}/prod/PUT/pets`, /has no method "PUT \/pets"/],
        [`arn:aws:execute-api:us-east-1:${PROD}:zz9yy8xx7w/prod/GET/pets`, /no API "zz9yy8xx7w"/],
        [`arn:aws:execute-api:eu-west-1:${PROD}:a1b2c3d4e5/prod/GET/pets`, /is in account 333344445555, region us-east-1/],
      ];
      for (const [arn, message] of cases) {
        const error = await errorOf('query($arn: String!) { method(arn: $arn) { verb } }', { arn });
        assert.equal(error.code, 'NOT_FOUND', `${arn}: ${error.message}`);
        assert.match(error.message, message);
      }
    });
  });

  describe('DataLoader: nested fields are batched', () => {
    const PRINCIPALS = `query($n: Int) { principals(first: $n) { nodes { arn
      policies { id statements { sid } } permissionsBoundary { id statements { sid } }
      ... on User { groups { name policies { id statements { sid } } } }
      ... on Role { trustPolicy { statements { sid principal } } } } } }`;
    const ROLES = `query($n: Int) { principals(first: $n, filter: {kind: ROLE}) { nodes { arn
      policies { id statements { sid } } ... on Role { trustPolicy { statements { sid principal } } } } } }`;
    const APIS = `query($n: Int) { restApis(first: $n) { nodes { id stages { name } resourcePolicy { statements { sid } }
      methods(first: 10) { nodes { verb resourcePolicy { id } api { id }
        integration { role { name policies { id } } lambdaFunction { name executionRole { name } resourcePolicy { statements { sid } } } } } } } } }`;

    async function statementsFor(query: string, n: number): Promise<{ count: number; items: number }> {
      const { result, statements } = await countStatements(graph, () =>
        server.gql<{ principals?: Connection<unknown>; restApis: Connection<unknown> }>(query, { n }),
      );
      assert.equal(result.body.errors, undefined, JSON.stringify(result.body.errors));
      const items = dataOf(result.body).principals?.nodes.length ?? dataOf(result.body).restApis.nodes.length;
      return { count: statements.length, items };
    }

    it('roles with their policies, statements and trust policies: as many Cypher statements for 9 roles as for 2', async () => {
      const small = await statementsFor(ROLES, 2);
      const large = await statementsFor(ROLES, 9);
      assert.equal(small.items, 2);
      assert.equal(large.items, 9);
      assert.equal(large.count, small.count, `2 roles: ${small.count} statements; 9 roles: ${large.count}`);
      // Without batching: for each of the 9 roles at least its policies and its trust policy (18).
      assert.ok(large.count < 18, `one statement per role and nested field would be at least 18; got ${large.count}`);
    });

    it('every principal with policies, boundaries, groups, group policies and trust policies: far fewer statements than principals', async () => {
      const all = await statementsFor(PRINCIPALS, 19);
      assert.equal(all.items, 19);
      // Without batching: for each of the 19 principals at least its policies and its boundary (38).
      assert.ok(all.count < 19, `one statement per principal and nested field would be at least 38; got ${all.count}`);
    });

    it('REST APIs with methods, integrations, roles and functions: as many statements for 3 APIs as for 1', async () => {
      const small = await statementsFor(APIS, 1);
      const large = await statementsFor(APIS, 3);
      assert.equal(small.items, 1);
      assert.equal(large.items, 3);
      assert.equal(large.count, small.count, `1 API: ${small.count} statements; 3 APIs: ${large.count}`);
      // Without batching: for each of the 11 methods at least its integration, role, function and API resource policy (44).
      assert.ok(large.count < 44, `one statement per method and nested field would be at least 44; got ${large.count}`);
    });
  });
});
