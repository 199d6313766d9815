import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedDir } from '../../src/config/paths';
import { connectGraph, type Graph } from '../../src/db';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { capturingLogger, countStatements, dataOf, firstError, graphSize, ingest, startTestServer, type TestServer } from './support/api';
import type {
  AccessAnswerView,
  AccessDiffView,
  CanView,
  FindingsView,
  FunctionsReachableView,
  InvocableView,
  RolePathsView,
  WhoCanReachFunctionView,
} from './support/answers';
import { resetGraph, testGraph, testNeo4j } from './support/graph';

/**
 * The access-analysis questions over HTTP, against the real Neo4j with seed/
 * loaded by the ingest service. Expected principals, decisions, hops, paths
 * and conditions are the hand-worked answers of seed/README.md, as the seed
 * tests (test/unit/analysis/seed*.test.ts) write them.
 */

const MGMT = '111122223333';
const IDENTITY = '222233334444';
const PROD = '333344445555';
const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;
const W = `arn:aws:execute-api:us-east-1:${PROD}:k9l8m7n6o5`;
const Q = `arn:aws:execute-api:us-east-1:${PROD}:p1q2r3s4t5`;
const H = `arn:aws:execute-api:us-east-1:${PROD}:h7t8p9a0b1`;
const PETSTORE_API = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5';
const iam = (account: string, kind: string, name: string) => `arn:aws:iam::${account}:${kind}/${name}`;
const U = {
  orgAdmin: iam(MGMT, 'user', 'org-admin'),
  ivan: iam(IDENTITY, 'user', 'ivan-ops'),
  judy: iam(IDENTITY, 'user', 'judy-analyst'),
  alice: iam(PROD, 'user', 'alice-apidev'),
  bob: iam(PROD, 'user', 'bob-caller'),
  carol: iam(PROD, 'user', 'carol-caller'),
  erin: iam(PROD, 'user', 'erin-boundary'),
  frank: iam(PROD, 'user', 'frank-escalator'),
};
const R = {
  opsJump: iam(IDENTITY, 'role', 'ops-jump'),
  oaar: iam(PROD, 'role', 'OrganizationAccountAccessRole'),
  apigwInvoke: iam(PROD, 'role', 'petstore-apigw-invoke'),
  operator: iam(PROD, 'role', 'petstore-operator'),
  platformAdmin: iam(PROD, 'role', 'platform-admin'),
  reporting: iam(PROD, 'role', 'reporting-role'),
  eventsReader: iam(PROD, 'role', 'events-reader'),
};
const G = { apiCallers: iam(PROD, 'group', 'api-callers'), apiDevelopers: iam(PROD, 'group', 'api-developers') };
const POL = {
  AdministratorAccess: 'arn:aws:iam::aws:policy/AdministratorAccess',
  InvokePetsProd: iam(PROD, 'policy', 'InvokePetsProd'),
  InvokeFromOffice: iam(PROD, 'policy', 'InvokeFromOffice'),
  ApiDeveloperAccess: iam(PROD, 'policy', 'ApiDeveloperAccess'),
  AssumeOpsJump: iam(IDENTITY, 'policy', 'AssumeOpsJump'),
  HopToProdOperator: `${R.opsJump}#inline/HopToProdOperator`,
  OperateAdminEndpoints: `${R.operator}#inline/OperateAdminEndpoints`,
  PlatformApiAdmin: `${R.platformAdmin}#inline/PlatformApiAdmin`,
  InvokeBackends: `${R.apigwInvoke}#inline/InvokeBackends`,
  petstoreApiRp: `${PETSTORE_API}#resource-policy`,
};
const FN = {
  petsList: `arn:aws:lambda:us-east-1:${PROD}:function:pets-list`,
  petsRead: `arn:aws:lambda:us-east-1:${PROD}:function:pets-read`,
  petsWrite: `arn:aws:lambda:us-east-1:${PROD}:function:pets-write`,
  ordersWriter: `arn:aws:lambda:us-east-1:${PROD}:function:orders-writer`,
};
const PARTNER = 'arn:aws:iam::999988887777:root';
const EC2 = 'ec2.amazonaws.com';

/** A hop as one line, to compare whole paths (the same text as the seed tests' hopLabel). */
interface Hop {
  kind: string;
  from: string;
  to: string;
  policy: string | null;
  statement: string | null;
  identityPolicy?: string | null;
  identityStatement?: string | null;
  role?: string | null;
}
function hop(h: Hop): string {
  const st = `${h.policy ?? '?'} / ${h.statement ?? '?'}`;
  switch (h.kind) {
    case 'MEMBER_OF':
      return `member-of ${h.to}`;
    case 'POLICY':
      return `policy ${h.policy}`;
    case 'STATEMENT':
      return `statement ${st}`;
    case 'RESOURCE_POLICY':
      return `resource-policy ${st}`;
    case 'ASSUME_ROLE':
      return `assume-role ${h.to} trust ${st}${h.identityPolicy ? ` identity ${h.identityPolicy} / ${h.identityStatement}` : ''}`;
    case 'INTEGRATION':
      return `integration ${h.to}${h.role ? ` as ${h.role}` : ''}${h.policy ? ` by ${st}` : ''}`;
    default:
      return h.kind.toLowerCase();
  }
}
const grant = (policy: string, statement: string, group?: string) => [
  ...(group ? [`member-of ${group}`] : []),
  `policy ${policy}`,
  `statement ${policy} / ${statement}`,
];
const assume = (role: string, trust: string, identity?: [string, string]) =>
  `assume-role ${role} trust ${role}#trust / ${trust}${identity ? ` identity ${identity[0]} / ${identity[1]}` : ''}`;
const ivanToPlatformAdmin = [
  assume(R.opsJump, 'IvanWithMfa', [POL.AssumeOpsJump, '#0']),
  assume(R.operator, '#0', [POL.HopToProdOperator, '#0']),
  assume(R.platformAdmin, '#0', [POL.OperateAdminEndpoints, 'BecomePlatformAdmin']),
];
const HOP = 'kind from to policy statement identityPolicy identityStatement role';
const CLAUSES = 'clauses { key operator values effect policy statement }';
const sorted = (list: Iterable<string>) => [...list].sort();
const byArn = <T extends { arn: string }>(list: T[]): Record<string, T> => Object.fromEntries(list.map((p) => [p.arn, p]));
const decisions = (list: { arn: string; decision: string; hops: number }[]) =>
  Object.fromEntries(list.map((p) => [p.arn, `${p.decision}/${p.hops}`]));

/** The root fields (and aliases) this file's queries read; each query asks for some of them. */
interface AnalysisData {
  whoCanInvoke: AccessAnswerView;
  whoCan: AccessAnswerView;
  allowed: AccessAnswerView;
  withDenied: AccessAnswerView;
  can: CanView;
  invocableMethods: InvocableView;
  rolePaths: RolePathsView;
  functionsReachableBy: FunctionsReachableView;
  whoCanReachFunction: WhoCanReachFunctionView;
  read: WhoCanReachFunctionView;
  orders: WhoCanReachFunctionView;
  findings: FindingsView;
  accessDiff: AccessDiffView;
}

describe('GraphQL access analysis over HTTP (seed/ loaded)', () => {
  let graph: Graph;
  let server: TestServer;
  let snapshotId: string;
  const reader = createApiToken('reader');
  const asReader = { authorization: `Bearer ${reader.token}` };

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    snapshotId = await ingest(graph);
    server = await startTestServer(graph, { apiTokens: parseApiTokenEntries(reader.entry).entries });
  });
  after(async () => {
    await server.close();
    await resetGraph(graph);
    await graph.close();
  });

  async function data(query: string, variables?: Record<string, unknown>): Promise<AnalysisData> {
    const { status, body } = await server.gql<AnalysisData>(query, variables, asReader);
    assert.equal(body.errors, undefined, `unexpected errors: ${JSON.stringify(body.errors)}`);
    assert.equal(status, 200);
    return dataOf(body);
  }

  /** The one error of a request, and the Cypher statements the server ran for it. */
  async function errorOf(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ message: string; code: string; statements: string[] }> {
    const { result, statements } = await countStatements(graph, () => server.gql<unknown>(query, variables, asReader));
    const { body } = result;
    assert.ok(Array.isArray(body.errors) && body.errors?.length === 1, `expected one error, got ${JSON.stringify(body)}`);
    const error = firstError(body);
    assert.equal(error.extensions.stacktrace, undefined);
    return { message: error.message, code: error.extensions.code, statements };
  }

  describe('the dashboard question: who can invoke GET /pets on prod, and how (one query)', () => {
    const DASHBOARD = `query WhoCanInvokeGetPets($arn: String!) {
      whoCanInvoke(requestArn: $arn) {
        snapshot action resource public
        method { api apiName stage verb path authorizationType requests }
        principals(first: 20) {
          totalCount
          nodes {
            arn kind decision hops morePaths
            conditions { when keys ${CLAUSES} }
            paths { ${HOP} conditions { keys ${CLAUSES} } }
          }
        }
      }
    }`;
    let answer: AccessAnswerView;
    before(async () => {
      answer = (await data(DASHBOARD, { arn: `${X}/prod/GET/pets` })).whoCanInvoke;
    });

    it('names the snapshot, the method and its authorization; not public (AWS_IAM)', () => {
      assert.equal(answer.snapshot, snapshotId);
      assert.equal(answer.action, 'execute-api:Invoke');
      assert.equal(answer.resource, `${X}/prod/GET/pets`);
      assert.equal(answer.public, false);
      assert.deepEqual(answer.method, {
        api: 'a1b2c3d4e5',
        apiName: 'petstore-api',
        stage: 'prod',
        verb: 'GET',
        path: '/pets',
        authorizationType: 'AWS_IAM',
        requests: [`${X}/prod/GET/pets`],
      });
    });

    it('lists exactly bob, carol, reporting-role, OrganizationAccountAccessRole, judy and the partner account, plus org-admin and ec2 through roles', () => {
      assert.equal(answer.principals.totalCount, 8);
      assert.deepEqual(decisions(answer.principals.nodes), {
        [U.bob]: 'ALLOWED/0',
        [U.carol]: 'CONDITIONAL/0',
        [R.reporting]: 'ALLOWED/0',
        [R.oaar]: 'ALLOWED/0',
        [U.judy]: 'ALLOWED/0',
        // An account outside the snapshot: allowed by resource policy S1, conditional on its own, unknown, policies (docs/analysis.md).
        [PARTNER]: 'CONDITIONAL/0',
        [U.orgAdmin]: 'ALLOWED/1',
        [EC2]: 'ALLOWED/1',
      });
      const p = byArn(answer.principals.nodes);
      assert.equal(p[U.bob]!.kind, 'USER');
      assert.equal(p[R.reporting]!.kind, 'ROLE');
      assert.equal(p[PARTNER]!.kind, 'ACCOUNT');
      assert.equal(p[EC2]!.kind, 'SERVICE');
    });

    it('bob-caller: member of api-callers → managed InvokePetsProd → statement InvokePetsProd, as typed hops', () => {
      const bob = byArn(answer.principals.nodes)[U.bob];
      assert.equal(bob!.paths.length, 1);
      assert.deepEqual(bob!.paths[0], [
        {
          kind: 'MEMBER_OF',
          from: U.bob,
          to: G.apiCallers,
          policy: null,
          statement: null,
          identityPolicy: null,
          identityStatement: null,
          role: null,
          conditions: [],
        },
        {
          kind: 'POLICY',
          from: G.apiCallers,
          to: POL.InvokePetsProd,
          policy: POL.InvokePetsProd,
          statement: null,
          identityPolicy: null,
          identityStatement: null,
          role: null,
          conditions: [],
        },
        {
          kind: 'STATEMENT',
          from: POL.InvokePetsProd,
          to: `${X}/prod/GET/pets`,
          policy: POL.InvokePetsProd,
          statement: 'InvokePetsProd',
          identityPolicy: null,
          identityStatement: null,
          role: null,
          conditions: [],
        },
      ]);
      assert.deepEqual(bob!.conditions, []);
      assert.equal(bob!.morePaths, false);
    });

    it('org-admin: assume-role OrganizationAccountAccessRole (trust #0, its own AdministratorAccess #0), then AdministratorAccess', () => {
      const orgAdmin = byArn(answer.principals.nodes)[U.orgAdmin];
      assert.deepEqual(orgAdmin!.paths[0]!.map(hop), [
        assume(R.oaar, '#0', [POL.AdministratorAccess, '#0']),
        ...grant(POL.AdministratorAccess, '#0'),
      ]);
      assert.equal(orgAdmin!.paths[0]![0]!.from, U.orgAdmin);
    });

    it('carol-caller is conditional on aws:SourceIp 198.51.100.0/24 (InvokeFromOffice / PetsReadFromOffice), on the answer and on the hop', () => {
      const carol = byArn(answer.principals.nodes)[U.carol];
      const clause = {
        key: 'aws:SourceIp',
        operator: 'IpAddress',
        values: ['198.51.100.0/24'],
        effect: 'ALLOW',
        policy: POL.InvokeFromOffice,
        statement: 'PetsReadFromOffice',
      };
      assert.equal(carol!.conditions.length, 1);
      assert.deepEqual(carol!.conditions[0]!.keys, ['aws:sourceip']);
      assert.deepEqual(carol!.conditions[0]!.clauses, [clause]);
      assert.match(carol!.conditions[0]!.when, /IpAddress aws:SourceIp \["198\.51\.100\.0\/24"\]/);
      assert.deepEqual(carol!.paths[0]!.map(hop), grant(POL.InvokeFromOffice, 'PetsReadFromOffice'));
      assert.deepEqual(carol!.paths[0]!.at(-1)!.conditions, [{ keys: ['aws:sourceip'], clauses: [clause] }]);
    });

    it('reporting-role by resource policy S3 alone; ec2.amazonaws.com reaches it by its trust policy; judy needs her ReadPets and S2', () => {
      const p = byArn(answer.principals.nodes);
      assert.deepEqual(p[R.reporting]!.paths[0]!.map(hop), [`resource-policy ${POL.petstoreApiRp} / AllowReportingRole`]);
      assert.deepEqual(p[EC2]!.paths[0]!.map(hop), [
        assume(R.reporting, '#0'),
        `resource-policy ${POL.petstoreApiRp} / AllowReportingRole`,
      ]);
      assert.deepEqual(p[U.judy]!.paths[0]!.map(hop), [
        ...grant(`${U.judy}#inline/InvokePetsReadAcrossAccount`, 'ReadPets'),
        `resource-policy ${POL.petstoreApiRp} / AllowIdentityAccount`,
      ]);
      assert.deepEqual(p[PARTNER]!.paths[0]!.map(hop), [`resource-policy ${POL.petstoreApiRp} / AllowPartnerReadPets`]);
    });

    it('gives the same answer for the method named by reference, and for a concrete request routed to it', async () => {
      const query = `query($m: MethodReference, $arn: String) { whoCanInvoke(method: $m, requestArn: $arn) { resource method { path } principals { nodes { arn decision hops } } } }`;
      const byRef = (await data(query, { m: { apiId: 'a1b2c3d4e5', stage: 'prod', verb: 'GET', path: '/pets' } })).whoCanInvoke;
      assert.deepEqual(decisions(byRef.principals.nodes), decisions(answer.principals.nodes));
      const template = (await data(query, { arn: `${X}/prod/GET/pets/{id}` })).whoCanInvoke;
      const concrete = (await data(query, { arn: `${X}/prod/GET/pets/42` })).whoCanInvoke;
      assert.equal(template.method!.path, '/pets/{id}');
      assert.equal(concrete.method!.path, '/pets/{id}');
      assert.equal(decisions(concrete.principals.nodes)[U.bob], 'ALLOWED/0');
    });
  });

  describe('request context decides conditions', () => {
    const QUERY = `query($ctx: [ContextEntry!]) { whoCanInvoke(requestArn: "${X}/prod/GET/pets", context: $ctx) { principals { nodes { arn decision conditions { keys } } } } }`;

    it('with aws:SourceIp 198.51.100.7 carol-caller is allowed outright; from 192.0.2.1 she is absent and nobody else changes', async () => {
      const inside = (await data(QUERY, { ctx: [{ key: 'aws:SourceIp', values: ['198.51.100.7'] }] })).whoCanInvoke.principals.nodes;
      assert.deepEqual(byArn(inside)[U.carol], { arn: U.carol, decision: 'ALLOWED', conditions: [] });
      const outside = (await data(QUERY, { ctx: [{ key: 'aws:SourceIp', values: ['192.0.2.1'] }] })).whoCanInvoke.principals.nodes;
      const without = (await data(QUERY)).whoCanInvoke.principals.nodes;
      assert.deepEqual(sorted(outside.map((p) => p.arn)), sorted(without.map((p) => p.arn).filter((a: string) => a !== U.carol)));
    });

    it('keys are case-insensitive: aws:sourceip works as well', async () => {
      const nodes = (await data(QUERY, { ctx: [{ key: 'AWS:SOURCEIP', values: ['198.51.100.7'] }] })).whoCanInvoke.principals.nodes;
      assert.equal(byArn(nodes)[U.carol]!.decision, 'ALLOWED');
    });
  });

  describe('pagination of principals', () => {
    const PAGE = `query($after: String) { whoCanInvoke(requestArn: "${X}/prod/GET/pets") { principals(first: 3, after: $after) { totalCount edges { cursor node { arn } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`;

    it('pages through every principal once, in the order of the whole list, with hasNextPage right', async () => {
      const all = (
        await data(`{ whoCanInvoke(requestArn: "${X}/prod/GET/pets") { principals(first: 100) { nodes { arn } } } }`)
      ).whoCanInvoke.principals.nodes.map((n) => n.arn);
      const seen: string[] = [];
      const flags: boolean[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i++) {
        const page: AccessAnswerView['principals'] = (await data(PAGE, { after })).whoCanInvoke.principals;
        assert.equal(page.totalCount, 8);
        assert.equal(page.pageInfo.hasPreviousPage, after !== null);
        seen.push(...page.edges.map((e) => e.node.arn));
        flags.push(page.pageInfo.hasNextPage);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.deepEqual(flags, [true, true, false]);
      assert.deepEqual(seen, all);
      assert.equal(new Set(seen).size, 8);
    });

    it('refuses a cursor of another answer, or of another list, with BAD_USER_INPUT', async () => {
      const cursor = (await data(PAGE, { after: null })).whoCanInvoke.principals.pageInfo.endCursor;
      const other = await errorOf(
        `query($after: String) { whoCanInvoke(requestArn: "${X}/prod/POST/pets") { principals(first: 3, after: $after) { totalCount } } }`,
        { after: cursor },
      );
      assert.equal(other.code, 'BAD_USER_INPUT');
      assert.match(other.message, /^after: this cursor does not belong to this answer/);
      const list = await errorOf(`query($after: String) { principals(after: $after) { totalCount } }`, { after: cursor });
      assert.equal(list.code, 'BAD_USER_INPUT');
      assert.match(list.message, /^after: not a cursor of this list/);
    });

    it('refuses a page over the maximum page size before any work', async () => {
      const error = await errorOf(`{ whoCanInvoke(requestArn: "${X}/prod/GET/pets") { principals(first: 101) { totalCount } } }`);
      assert.equal(error.code, 'BAD_USER_INPUT');
      assert.match(error.message, /^Page size over the limit: whoCanInvoke\.principals\(first: 101\)/);
      assert.deepEqual(error.statements, []);
    });
  });

  describe('public methods', () => {
    it('GET /health of petstore-web (authorization NONE) is public: anonymous, unsigned', async () => {
      const { whoCanInvoke } = await data(
        `{ whoCanInvoke(requestArn: "${W}/prod/GET/health") { public method { authorizationType } principals { nodes { arn kind decision paths { kind } } } } }`,
      );
      assert.equal(whoCanInvoke.public, true);
      assert.equal(whoCanInvoke.method!.authorizationType, 'NONE');
      assert.deepEqual(whoCanInvoke.principals.nodes, [
        { arn: 'anonymous', kind: 'ANONYMOUS', decision: 'ALLOWED', paths: [[{ kind: 'UNSIGNED' }]] },
      ]);
    });

    it("petstore-internal's GET /inventory (a private API) is not public: anonymous is allowed through its VPC endpoint vpce-0a1b2c3d4e5f60789 only", async () => {
      const { whoCanInvoke } =
        await data(`{ whoCanInvoke(requestArn: "${Q}/prod/GET/inventory") { public principals { nodes { arn decision hops bestHops direct { decision } conditions { keys }
        endpoints { endpoint vpc account privateDns policy decision hops } } } } }`);
      assert.equal(whoCanInvoke.public, false);
      assert.deepEqual(whoCanInvoke.principals.nodes, [
        {
          arn: 'anonymous',
          decision: 'ALLOWED',
          hops: 0,
          bestHops: 0,
          direct: { decision: 'ALLOWED' },
          conditions: [],
          endpoints: [
            {
              endpoint: 'vpce-0a1b2c3d4e5f60789',
              vpc: 'vpc-0123456789abcdef0',
              account: '333344445555',
              privateDns: true,
              policy: 'arn:aws:ec2:us-east-1:333344445555:vpc-endpoint/vpce-0a1b2c3d4e5f60789#endpoint-policy',
              decision: 'ALLOWED',
              hops: 0,
            },
          ],
        },
      ]);
      // Its VPC endpoint's policy lets no call to GET /inventory/{sku} through.
      const sku = await data(`{ whoCanInvoke(requestArn: "${Q}/prod/GET/inventory/abc") { principals { totalCount } } }`);
      assert.equal(sku.whoCanInvoke.principals.totalCount, 0);
    });

    it('a principal whose best access is through a role carries its own, conditional, access apart (pets-write: apigateway.amazonaws.com)', async () => {
      const { whoCan } =
        await data(`{ whoCan(action: "lambda:InvokeFunction", resource: "arn:aws:lambda:us-east-1:333344445555:function:pets-write") {
        principals { nodes { arn decision hops bestHops direct { decision conditions { keys } } endpoints { endpoint } } } } }`);
      const gateway = whoCan.principals.nodes.find((p) => p.arn === 'apigateway.amazonaws.com');
      assert.deepEqual(gateway, {
        arn: 'apigateway.amazonaws.com',
        decision: 'ALLOWED',
        hops: 0,
        bestHops: 1,
        direct: { decision: 'CONDITIONAL', conditions: [{ keys: ['aws:sourcearn'] }] },
        endpoints: null,
      });
      const orgAdmin = whoCan.principals.nodes.find((p) => p.arn === 'arn:aws:iam::111122223333:user/org-admin');
      assert.deepEqual([orgAdmin!.bestHops, orgAdmin!.direct], [1, null]);
    });
  });

  describe('whoCan: who can change an API', () => {
    it('apigateway:PATCH on petstore-api: platform-admin (← petstore-operator ← ops-jump ← ivan-ops with MFA), OrganizationAccountAccessRole (← org-admin), alice-apidev', async () => {
      const { whoCan } = await data(`{ whoCan(action: "apigateway:PATCH", resource: "${PETSTORE_API}") {
        action resource method { api } principals { totalCount nodes { arn decision hops conditions { ${CLAUSES} } paths { ${HOP} } } } } }`);
      assert.equal(whoCan.method, null);
      assert.deepEqual(decisions(whoCan.principals.nodes), {
        [R.platformAdmin]: 'ALLOWED/0',
        [R.operator]: 'ALLOWED/1',
        [R.opsJump]: 'ALLOWED/2',
        [U.ivan]: 'CONDITIONAL/3',
        [R.oaar]: 'ALLOWED/0',
        [U.orgAdmin]: 'ALLOWED/1',
        [U.alice]: 'ALLOWED/0',
      });
      const p = byArn(whoCan.principals.nodes);
      assert.deepEqual(p[U.alice]!.paths[0]!.map(hop), grant(POL.ApiDeveloperAccess, 'ManageTeamApis', G.apiDevelopers));
      assert.deepEqual(p[R.platformAdmin]!.paths[0]!.map(hop), grant(POL.PlatformApiAdmin, 'AllApiGateway'));
      assert.deepEqual(p[U.ivan]!.paths[0]!.map(hop), [...ivanToPlatformAdmin, ...grant(POL.PlatformApiAdmin, 'AllApiGateway')]);
      assert.deepEqual(
        p[U.ivan]!.conditions.flatMap((c) => c.clauses),
        [
          {
            key: 'aws:MultiFactorAuthPresent',
            operator: 'Bool',
            values: ['true'],
            effect: 'ALLOW',
            policy: `${R.opsJump}#trust`,
            statement: 'IvanWithMfa',
          },
        ],
      );
    });

    it('apigateway:DELETE: platform-admin and the chain to it only (the SCP denies everyone else in prod); includeDenied shows them DENIED', async () => {
      const d = await data(`{
        allowed: whoCan(action: "apigateway:DELETE", resource: "${PETSTORE_API}") { principals { nodes { arn decision hops } } }
        withDenied: whoCan(action: "apigateway:DELETE", resource: "${PETSTORE_API}", includeDenied: true) { principals(first: 50) { nodes { arn decision } } } }`);
      assert.deepEqual(decisions(d.allowed.principals.nodes), {
        [R.platformAdmin]: 'ALLOWED/0',
        [R.operator]: 'ALLOWED/1',
        [R.opsJump]: 'ALLOWED/2',
        [U.ivan]: 'CONDITIONAL/3',
      });
      const denied = byArn(d.withDenied.principals.nodes);
      assert.equal(denied[R.oaar]!.decision, 'DENIED');
      assert.equal(denied[U.alice]!.decision, 'DENIED');
    });

    it('maxHops bounds the chains: with maxHops 1 ivan-ops and ops-jump are gone', async () => {
      const { whoCan } = await data(
        `{ whoCan(action: "apigateway:DELETE", resource: "${PETSTORE_API}", maxHops: 1) { principals { nodes { arn decision hops } } } }`,
      );
      assert.deepEqual(decisions(whoCan.principals.nodes), { [R.platformAdmin]: 'ALLOWED/0', [R.operator]: 'ALLOWED/1' });
    });

    it('the MFA context decides ivan-ops: allowed with MFA, absent without', async () => {
      const query = `query($mfa: String!) { whoCan(action: "apigateway:DELETE", resource: "${PETSTORE_API}", context: [{key: "aws:MultiFactorAuthPresent", values: [$mfa]}]) { principals { nodes { arn decision hops } } } }`;
      assert.equal(decisions((await data(query, { mfa: 'true' })).whoCan.principals.nodes)[U.ivan], 'ALLOWED/3');
      assert.equal(decisions((await data(query, { mfa: 'false' })).whoCan.principals.nodes)[U.ivan], undefined);
    });
  });

  describe('can, with the explanation', () => {
    const CAN = `query($principal: String!, $action: String!, $resource: String!, $ctx: [ContextEntry!]) {
      can(principal: $principal, action: $action, resource: $resource, context: $ctx) {
        snapshot principal principalKind action resource decision conditions { keys }
        requests { request decision flow statements { policyType policy policyName statement effect conditional } layers { layer applies allows exemptReason } missingContextKeys }
        paths { ${HOP} }
        throughRoles { decision hops roles { role hops decision conditions { ${CLAUSES} } path { ${HOP} } } }
        overall { decision hops }
      }
    }`;
    const layer = (evaluation: CanView['requests'][number] | undefined, name: string) => evaluation?.layers.find((l) => l.layer === name);

    it('bob-caller on DELETE …/prod/DELETE/pets/42: explicitly denied by DenyDeleteOnProd / NoDeletesOnProd', async () => {
      const { can } = await data(CAN, { principal: U.bob, action: 'execute-api:Invoke', resource: `${X}/prod/DELETE/pets/42` });
      assert.equal(can.snapshot, snapshotId);
      assert.equal(can.principalKind, 'USER');
      assert.equal(can.decision, 'DENIED');
      assert.deepEqual(can.overall, { decision: 'DENIED', hops: null });
      assert.equal(can.throughRoles, null);
      assert.deepEqual(can.paths, []);
      assert.equal(can.requests.length, 1);
      assert.equal(can.requests[0]!.decision, 'EXPLICIT_DENY');
      assert.equal(can.requests[0]!.flow, 'iam');
      assert.deepEqual(can.requests[0]!.statements, [
        {
          policyType: 'IDENTITY',
          policy: `${G.apiCallers}#inline/DenyDeleteOnProd`,
          policyName: 'DenyDeleteOnProd',
          statement: 'NoDeletesOnProd',
          effect: 'DENY',
          conditional: false,
        },
      ]);
    });

    it('erin-boundary on POST …/staging/POST/pets: her identity policies allow, her boundary does not', async () => {
      const { can } = await data(CAN, { principal: U.erin, action: 'execute-api:Invoke', resource: `${X}/staging/POST/pets` });
      assert.equal(can.decision, 'DENIED');
      assert.equal(can.requests[0]!.decision, 'IMPLICIT_DENY');
      assert.deepEqual(layer(can.requests[0], 'IDENTITY'), { layer: 'IDENTITY', applies: true, allows: 'YES', exemptReason: null });
      assert.deepEqual(layer(can.requests[0], 'PERMISSIONS_BOUNDARY'), {
        layer: 'PERMISSIONS_BOUNDARY',
        applies: true,
        allows: 'NO',
        exemptReason: null,
      });
    });

    it('org-admin on GET /pets: denied directly (the resource policy does not name the management account, SCPs do not apply to it), allowed as OrganizationAccountAccessRole', async () => {
      const { can } = await data(CAN, { principal: U.orgAdmin, action: 'execute-api:Invoke', resource: `${X}/prod/GET/pets` });
      assert.equal(can.decision, 'DENIED');
      assert.equal(layer(can.requests[0], 'IDENTITY')!.allows, 'YES');
      assert.equal(layer(can.requests[0], 'RESOURCE_POLICY')!.allows, 'NO');
      assert.equal(layer(can.requests[0], 'SCP')!.applies, false);
      assert.deepEqual(can.overall, { decision: 'ALLOWED', hops: 1 });
      assert.deepEqual(
        can.throughRoles!.roles.map((r) => r.role),
        [R.oaar],
      );
    });

    it('ivan-ops on apigateway:DELETE petstore-api: denied on his own, conditional on MFA through platform-admin at 3 hops; allowed with MFA', async () => {
      const { can } = await data(CAN, { principal: U.ivan, action: 'apigateway:DELETE', resource: PETSTORE_API });
      assert.equal(can.decision, 'DENIED');
      assert.deepEqual(can.overall, { decision: 'CONDITIONAL', hops: 3 });
      assert.equal(can.throughRoles!.decision, 'CONDITIONAL');
      assert.equal(can.throughRoles!.hops, 3);
      assert.equal(can.throughRoles!.roles.length, 1);
      const [best] = can.throughRoles!.roles;
      assert.equal(best!.role, R.platformAdmin);
      assert.deepEqual(best!.path.map(hop), [...ivanToPlatformAdmin, ...grant(POL.PlatformApiAdmin, 'AllApiGateway')]);
      assert.deepEqual(
        best!.conditions.flatMap((c) => c.clauses.map((x) => `${x.operator} ${x.key} ${x.values.join(',')} ${x.statement}`)),
        ['Bool aws:MultiFactorAuthPresent true IvanWithMfa'],
      );
      const withMfa = (
        await data(CAN, {
          principal: U.ivan,
          action: 'apigateway:DELETE',
          resource: PETSTORE_API,
          ctx: [{ key: 'aws:MultiFactorAuthPresent', values: ['true'] }],
        })
      ).can;
      assert.deepEqual(withMfa.overall, { decision: 'ALLOWED', hops: 3 });
    });

    it('carol-caller is conditional, missing aws:SourceIp; the context decides it', async () => {
      const { can } = await data(CAN, { principal: U.carol, action: 'execute-api:Invoke', resource: `${X}/prod/GET/pets` });
      assert.equal(can.decision, 'CONDITIONAL');
      assert.deepEqual(can.conditions, [{ keys: ['aws:sourceip'] }]);
      assert.deepEqual(
        can.requests[0]!.missingContextKeys.map((k: string) => k.toLowerCase()),
        ['aws:sourceip'],
      );
      const office = (
        await data(CAN, {
          principal: U.carol,
          action: 'execute-api:Invoke',
          resource: `${X}/prod/GET/pets`,
          ctx: [{ key: 'aws:SourceIp', values: ['198.51.100.7'] }],
        })
      ).can;
      assert.equal(office.decision, 'ALLOWED');
    });
  });

  describe('invocableMethods', () => {
    const INVOCABLE = `query($principal: String!, $unsigned: Boolean, $first: Int, $after: String, $ctx: [ContextEntry!]) {
      invocableMethods(principal: $principal, includeUnsigned: $unsigned, context: $ctx) {
        principal principalKind rolesReached
        methods(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { methodArn apiKind verb path stage decision hops via conditions { keys } accessPath { ${HOP} } } }
      }
    }`;
    const keys = (nodes: InvocableView['methods']['nodes']) => sorted(nodes.map((m) => `${m.methodArn} ${m.decision} ${m.hops}`));

    it('bob-caller: prod GET /pets, GET /pets/{id} and POST /pets; not DELETE (explicit deny), nothing on staging', async () => {
      const { invocableMethods } = await data(INVOCABLE, { principal: U.bob });
      assert.equal(invocableMethods.rolesReached, 0);
      assert.deepEqual(
        keys(invocableMethods.methods.nodes),
        sorted([`${X}/prod/GET/pets ALLOWED 0`, `${X}/prod/GET/pets/{id} ALLOWED 0`, `${X}/prod/POST/pets ALLOWED 0`]),
      );
      assert.ok(invocableMethods.methods.nodes.every((m) => m.apiKind === 'REST'));
    });

    it('ivan-ops: only the admin proxy on both stages, as petstore-operator at 2 hops, conditional; nothing without MFA', async () => {
      const { invocableMethods } = await data(INVOCABLE, { principal: U.ivan });
      assert.equal(invocableMethods.rolesReached, 3);
      assert.deepEqual(
        keys(invocableMethods.methods.nodes),
        sorted([`${X}/prod/ANY/admin/{proxy+} CONDITIONAL 2`, `${X}/staging/ANY/admin/{proxy+} CONDITIONAL 2`]),
      );
      for (const m of invocableMethods.methods.nodes) {
        assert.equal(m.via, R.operator);
        assert.deepEqual(sorted(m.conditions.flatMap((c) => c.keys)), ['aws:multifactorauthpresent', 'aws:sourceip']);
        assert.deepEqual(m.accessPath.map(hop), [...ivanToPlatformAdmin.slice(0, 2), ...grant(POL.OperateAdminEndpoints, 'InvokeAdmin')]);
      }
      const noMfa = (await data(INVOCABLE, { principal: U.ivan, ctx: [{ key: 'aws:MultiFactorAuthPresent', values: ['false'] }] }))
        .invocableMethods;
      assert.equal(noMfa.methods.totalCount, 0);
    });

    it('judy-analyst: includeUnsigned adds the methods open to unsigned callers; pages of 4 cover the whole list', async () => {
      const signed = (await data(INVOCABLE, { principal: U.judy })).invocableMethods.methods;
      assert.deepEqual(
        keys(signed.nodes),
        sorted([
          `${X}/prod/GET/pets ALLOWED 0`,
          `${X}/prod/GET/pets/{id} ALLOWED 0`,
          `${X}/staging/GET/pets ALLOWED 0`,
          `${X}/staging/GET/pets/{id} ALLOWED 0`,
          `${X}/prod/ANY/admin/{proxy+} PARTIAL 0`,
          `${X}/staging/ANY/admin/{proxy+} PARTIAL 0`,
          `${H}/$default/GET/events ALLOWED 1`,
        ]),
      );
      const all = (await data(INVOCABLE, { principal: U.judy, unsigned: true, first: 100 })).invocableMethods.methods;
      // The unsigned methods: 10 but petstore-internal's GET /inventory/{sku}, which its VPC endpoint's policy lets no call to through.
      assert.equal(all.totalCount, 7 + 9);
      const paged: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: InvocableView['methods'] = (await data(INVOCABLE, { principal: U.judy, unsigned: true, first: 4, after }))
          .invocableMethods.methods;
        paged.push(...page.nodes.map((m) => m.methodArn));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.deepEqual(
        paged,
        all.nodes.map((m) => m.methodArn),
      );
    });
  });

  describe('rolePaths', () => {
    const PATHS = `query($from: String!, $to: String!, $maxHops: Int, $ctx: [ContextEntry!]) {
      rolePaths(from: $from, to: $to, maxHops: $maxHops, context: $ctx) { from fromKind to reachable decision hops morePaths conditions { keys } paths { ${HOP} conditions { keys } } }
    }`;

    it('ivan-ops → platform-admin: 3 hops, MFA on the first', async () => {
      const { rolePaths } = await data(PATHS, { from: U.ivan, to: R.platformAdmin });
      assert.equal(rolePaths.fromKind, 'USER');
      assert.deepEqual([rolePaths.reachable, rolePaths.decision, rolePaths.hops, rolePaths.morePaths], [true, 'CONDITIONAL', 3, false]);
      assert.equal(rolePaths.paths.length, 1);
      assert.deepEqual(rolePaths.paths[0]!.map(hop), ivanToPlatformAdmin);
      assert.deepEqual(
        rolePaths.paths[0]!.map((h) => h.conditions),
        [[{ keys: ['aws:multifactorauthpresent'] }], [], []],
      );
      assert.deepEqual(rolePaths.conditions, [{ keys: ['aws:multifactorauthpresent'] }]);
    });

    it('is decided by the MFA context, and needs 3 hops', async () => {
      const pick = (r: RolePathsView) => [r.reachable, r.decision, r.hops];
      assert.deepEqual(
        pick(
          (await data(PATHS, { from: U.ivan, to: R.platformAdmin, ctx: [{ key: 'aws:MultiFactorAuthPresent', values: ['true'] }] }))
            .rolePaths,
        ),
        [true, 'ALLOWED', 3],
      );
      assert.deepEqual(
        pick(
          (await data(PATHS, { from: U.ivan, to: R.platformAdmin, ctx: [{ key: 'aws:MultiFactorAuthPresent', values: ['false'] }] }))
            .rolePaths,
        ),
        [false, 'DENIED', null],
      );
      assert.deepEqual(pick((await data(PATHS, { from: U.ivan, to: R.platformAdmin, maxHops: 2 })).rolePaths), [false, 'DENIED', null]);
    });

    it('org-admin → OrganizationAccountAccessRole: 1 hop, unconditional', async () => {
      const { rolePaths } = await data(PATHS, { from: U.orgAdmin, to: R.oaar });
      assert.deepEqual([rolePaths.reachable, rolePaths.decision, rolePaths.hops], [true, 'ALLOWED', 1]);
      assert.deepEqual(
        rolePaths.paths.map((p) => p.map(hop)),
        [[assume(R.oaar, '#0', [POL.AdministratorAccess, '#0'])]],
      );
    });
  });

  describe('reach through integrations', () => {
    it('functionsReachableBy bob-caller: pets-list through prod GET /pets (as petstore-apigw-invoke) though he cannot invoke it directly; pets-read; pets-write through POST only', async () => {
      const { functionsReachableBy } = await data(`{ functionsReachableBy(principal: "${U.bob}") {
        principal principalKind functions(first: 50) { totalCount nodes { function functionName ingested credentialsMode role decision hops via directly method { methodArn stage verb path apiName authorizationType } path { ${HOP} } } } } }`);
      assert.equal(functionsReachableBy.principalKind, 'USER');
      const signed = functionsReachableBy.functions.nodes.filter((b) => b.method.authorizationType === 'AWS_IAM');
      const rows = signed.map((b) => `${b.functionName} ${b.method.methodArn} ${b.credentialsMode} ${b.decision} directly=${b.directly}`);
      assert.deepEqual(
        sorted(rows),
        sorted([
          `pets-list ${X}/prod/GET/pets ROLE ALLOWED directly=DENIED`,
          `pets-read ${X}/prod/GET/pets/{id} CALLER ALLOWED directly=ALLOWED`,
          `pets-write ${X}/prod/POST/pets NONE ALLOWED directly=DENIED`,
        ]),
      );
      // The other methods ignore the signature (NONE, authorizers): open to whoever the authorizer accepts, bob-caller among them.
      const unsigned = functionsReachableBy.functions.nodes.filter((b) => b.method.authorizationType !== 'AWS_IAM');
      assert.deepEqual(
        sorted(unsigned.map((b) => `${b.functionName} ${b.method.methodArn} ${b.decision}`)),
        sorted([
          `events-handler ${H}/$default/GET/status ALLOWED`,
          `events-handler ${H}/$default/POST/events CONDITIONAL`,
          `web-handler ${W}/prod/GET/orders CONDITIONAL`,
          `web-handler ${W}/prod/GET/orders/{orderId} CONDITIONAL`,
          `web-handler ${W}/staging/GET/orders CONDITIONAL`,
          `web-handler ${W}/staging/GET/orders/{orderId} CONDITIONAL`,
        ]),
      );
      assert.ok(
        !functionsReachableBy.functions.nodes.some((b) => b.method.methodArn.startsWith(`${X}/staging/`)),
        'no signed backend of the staging stage',
      );
      const petsList = functionsReachableBy.functions.nodes.find((b) => b.function === FN.petsList);
      assert.equal(petsList!.role, R.apigwInvoke);
      assert.equal(petsList!.via, U.bob);
      assert.deepEqual(petsList!.path.map(hop), [
        ...grant(POL.InvokePetsProd, 'InvokePetsProd', G.apiCallers),
        `integration ${FN.petsList} as ${R.apigwInvoke} by ${POL.InvokeBackends} / #0`,
      ]);
      assert.equal(petsList!.path.at(-1)!.from, `${X}/prod/GET/pets`);
    });

    it('whoCanReachFunction pets-list: GET /pets on both stages as petstore-apigw-invoke; the Q1 callers through prod; directly only the integration role and OrganizationAccountAccessRole', async () => {
      const { whoCanReachFunction } = await data(`{ whoCanReachFunction(function: "${FN.petsList}") {
        snapshot function functionName
        direct { snapshot action resource principals { nodes { arn } } }
        throughApis { method { methodArn } credentialsMode role integration notes principals(first: 10) { totalCount nodes { arn decision hops paths { ${HOP} } } } }
        principals(first: 50) { totalCount nodes { arn kind decision hops ways } } } }`);
      assert.equal(whoCanReachFunction.snapshot, snapshotId);
      assert.equal(whoCanReachFunction.functionName, 'pets-list');
      assert.equal(whoCanReachFunction.direct.snapshot, snapshotId);
      assert.equal(whoCanReachFunction.direct.action, 'lambda:InvokeFunction');
      assert.deepEqual(
        sorted(whoCanReachFunction.direct.principals.nodes.map((p) => p.arn)),
        sorted([R.apigwInvoke, R.oaar, U.orgAdmin, 'apigateway.amazonaws.com']),
      );
      assert.deepEqual(
        sorted(whoCanReachFunction.throughApis.map((t) => `${t.method.methodArn} ${t.credentialsMode} ${t.role} ${t.integration}`)),
        [`${X}/prod/GET/pets ROLE ${R.apigwInvoke} ALLOWED`, `${X}/staging/GET/pets ROLE ${R.apigwInvoke} ALLOWED`],
      );
      const prod = whoCanReachFunction.throughApis.find((t) => t.method.methodArn === `${X}/prod/GET/pets`);
      assert.deepEqual(
        sorted(prod!.principals.nodes.map((p) => p.arn)),
        sorted([U.bob, U.carol, R.reporting, R.oaar, U.judy, PARTNER, U.orgAdmin, EC2]),
      );
      const bob = prod!.principals.nodes.find((p) => p.arn === U.bob);
      assert.deepEqual(bob!.paths[0]!.map(hop), [
        ...grant(POL.InvokePetsProd, 'InvokePetsProd', G.apiCallers),
        `integration ${FN.petsList} as ${R.apigwInvoke} by ${POL.InvokeBackends} / #0`,
      ]);
      const everyone = byArn(whoCanReachFunction.principals.nodes);
      assert.deepEqual(everyone[U.bob]!.ways, [`${X}/prod/GET/pets`]);
      assert.ok(everyone[R.oaar]!.ways.includes('direct'));
    });

    it("pets-read passes the caller's credentials through (DEPENDS_ON_CALLER); orders-writer's integration is broken (DENIED, nobody through it)", async () => {
      const d = await data(`{
        read: whoCanReachFunction(function: "${FN.petsRead}") { throughApis { method { methodArn } credentialsMode integration principals { nodes { arn decision hops } } } }
        orders: whoCanReachFunction(function: "${FN.ordersWriter}") { throughApis { integration principals { totalCount } } } }`);
      for (const t of d.read.throughApis) {
        assert.equal(t.credentialsMode, 'CALLER');
        assert.equal(t.integration, 'DEPENDS_ON_CALLER');
      }
      const prod = d.read.throughApis.find((t) => t.method.methodArn === `${X}/prod/GET/pets/{id}`);
      assert.deepEqual(decisions(prod!.principals.nodes), { [U.bob]: 'ALLOWED/0', [R.oaar]: 'ALLOWED/0', [U.orgAdmin]: 'ALLOWED/1' });
      assert.deepEqual(d.orders.throughApis, [
        { integration: 'DENIED', principals: { totalCount: 0 } },
        { integration: 'DENIED', principals: { totalCount: 0 } },
      ]);
    });
  });

  describe('findings', () => {
    const FINDINGS = `query($kinds: [FindingKind!], $min: Severity, $first: Int, $after: String) {
      findings(kinds: $kinds, minimumSeverity: $min, first: $first, after: $after) {
        snapshot totalCount counts { high medium low } pageInfo { hasNextPage endCursor }
        nodes { id kind severity title detail resource principal decision conditions { keys } related paths { kind } }
      }
    }`;

    it("public methods: exactly GET /health (both stages), GET /status and the private API's GET /inventory (allowed through its VPC endpoint)", async () => {
      const { findings } = await data(FINDINGS, { kinds: ['PUBLIC_METHOD'], first: 50 });
      assert.equal(findings.snapshot, snapshotId);
      assert.deepEqual(
        sorted(findings.nodes.map((f) => f.resource)),
        sorted([`${W}/prod/GET/health`, `${W}/staging/GET/health`, `${H}/$default/GET/status`, `${Q}/prod/GET/inventory`]),
      );
      const status = findings.nodes.find((f) => f.resource === `${H}/$default/GET/status`);
      assert.equal(status!.severity, 'HIGH');
      assert.equal(status!.decision, 'ALLOWED');
      const inventory = findings.nodes.find((f) => f.resource === `${Q}/prod/GET/inventory`);
      assert.deepEqual([inventory!.decision, inventory!.severity, inventory!.conditions], ['ALLOWED', 'MEDIUM', []]);
      assert.equal(findings.totalCount, 4);
      assert.equal(findings.counts.high + findings.counts.medium + findings.counts.low, 4);
    });

    it('escalation through the integration role: frank-escalator and platform-admin (high), OrganizationAccountAccessRole (low); broken POST /orders on both stages', async () => {
      const { findings } = await data(FINDINGS, { kinds: ['ESCALATION_VIA_APIGATEWAY', 'BROKEN_INTEGRATION'], first: 100 });
      const escalation = findings.nodes.filter((f) => f.kind === 'ESCALATION_VIA_APIGATEWAY' && f.resource === R.apigwInvoke);
      assert.deepEqual(Object.fromEntries(escalation.map((f) => [f.principal, f.severity])), {
        [U.frank]: 'HIGH',
        [R.platformAdmin]: 'HIGH',
        [R.oaar]: 'LOW',
      });
      const broken = findings.nodes.filter((f) => f.kind === 'BROKEN_INTEGRATION');
      assert.deepEqual(sorted(broken.map((f) => f.resource)), sorted([`${W}/prod/POST/orders`, `${W}/staging/POST/orders`]));
      for (const f of broken) assert.ok(f.related.includes(FN.ordersWriter));
    });

    it('minimumSeverity keeps the most severe; counts still cover every severity; pages cover the whole list once, most severe first', async () => {
      const all = (await data(FINDINGS, { first: 100 })).findings;
      assert.equal(all.totalCount, all.nodes.length);
      assert.deepEqual(all.counts, {
        high: all.nodes.filter((f) => f.severity === 'HIGH').length,
        medium: all.nodes.filter((f) => f.severity === 'MEDIUM').length,
        low: all.nodes.filter((f) => f.severity === 'LOW').length,
      });
      const rank = { HIGH: 0, MEDIUM: 1, LOW: 2 } as Record<string, number>;
      const ranks = all.nodes.map((f) => rank[f.severity]);
      assert.deepEqual(
        ranks,
        [...ranks].sort((a, b) => a! - b!),
      );
      const high = (await data(FINDINGS, { min: 'HIGH', first: 100 })).findings;
      assert.ok(high.totalCount > 0);
      assert.equal(high.totalCount, all.counts.high);
      assert.ok(high.nodes.every((f) => f.severity === 'HIGH'));
      assert.deepEqual(high.counts, all.counts);
      const medium = (await data(FINDINGS, { min: 'MEDIUM', first: 0 })).findings;
      assert.equal(medium.totalCount, all.counts.high + all.counts.medium);
      const ids: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 20; i++) {
        const page: FindingsView = (await data(FINDINGS, { first: 10, after })).findings;
        ids.push(...page.nodes.map((f) => f.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.deepEqual(
        ids,
        all.nodes.map((f) => f.id),
      );
      assert.equal(new Set(ids).size, ids.length);
    });
  });

  describe('bad input and unknown names', () => {
    it('malformed ARNs and actions are BAD_USER_INPUT', async () => {
      const cases: [string, RegExp][] = [
        [
          '{ whoCanInvoke(requestArn: "nonsense") { public } }',
          /^whoCanInvoke needs an execute-api ARN: expected arn:aws:execute-api:REGION:ACCOUNT:API_ID\/STAGE\/VERB\/PATH .*, got "nonsense"\.$/,
        ],
        [`{ whoCanInvoke(requestArn: "${X}") { public } }`, /the stage is missing/],
        [`{ whoCan(action: "foo", resource: "${PETSTORE_API}") { action } }`, /"foo" is not an action/],
        [
          `{ whoCan(action: "apigateway:*", resource: "${PETSTORE_API}") { action } }`,
          /"apigateway:\*" is not an action: expected service:Action without wildcards/,
        ],
        [
          `{ can(principal: "bob-caller", action: "execute-api:Invoke", resource: "${X}/prod/GET/pets") { decision } }`,
          /"bob-caller" is not a principal ARN/,
        ],
        [`{ rolePaths(from: "${U.ivan}", to: "platform-admin") { hops } }`, /"platform-admin" is not a role ARN/],
        ['{ whoCanReachFunction(function: "pets-list") { function } }', /"pets-list" is not an ARN/],
        [
          `{ whoCanInvoke(method: {apiId: "a1b2c3d4e5", stage: "prod", verb: "GET", path: "pets"}) { public } }`,
          /"pets" is not a path template/,
        ],
        [
          '{ whoCanInvoke(method: {apiId: "a1 b2", stage: "prod", verb: "GET", path: "/pets"}) { public } }',
          /^method\.apiId: expected an API Gateway API id/,
        ],
      ];
      for (const [query, message] of cases) {
        const error = await errorOf(query);
        assert.equal(error.code, 'BAD_USER_INPUT', query);
        assert.match(error.message, message, query);
      }
    });

    it('names that are well formed but not in the snapshot are NOT_FOUND', async () => {
      const cases: [string, RegExp][] = [
        [
          `{ whoCanInvoke(requestArn: "arn:aws:execute-api:us-east-1:${PROD}:zzzzzzzzzz/prod/GET/pets") { public } }`,
          /No API in the snapshot has the execute-api ARN/,
        ],
        [`{ whoCanInvoke(requestArn: "${X}/nostage/GET/pets") { public } }`, /has no stage "nostage"/],
        [
          `{ whoCanInvoke(method: {apiId: "a1b2c3d4e5", stage: "prod", verb: "GET", path: "/nothing"}) { public } }`,
          /has no method GET \/nothing/,
        ],
        [
          `{ whoCan(action: "apigateway:PATCH", resource: "arn:aws:apigateway:us-east-1::/restapis/zzzzzzzzzz") { action } }`,
          /No API with id "zzzzzzzzzz"/,
        ],
        [
          `{ can(principal: "${iam(PROD, 'user', 'nobody')}", action: "execute-api:Invoke", resource: "${X}/prod/GET/pets") { decision } }`,
          /user\/nobody is not in the snapshot/,
        ],
        [`{ invocableMethods(principal: "${iam(PROD, 'user', 'nobody')}") { rolesReached } }`, /user\/nobody is not in the snapshot/],
        [`{ rolePaths(from: "${U.ivan}", to: "${iam(PROD, 'role', 'nope')}") { hops } }`, /No role .*role\/nope in the snapshot/],
        [
          `{ whoCanReachFunction(function: "arn:aws:lambda:us-east-1:${PROD}:function:nope") { function } }`,
          /No Lambda function .*function:nope in the snapshot/,
        ],
        [`{ functionsReachableBy(principal: "${iam(PROD, 'role', 'nope')}") { principal } }`, /role\/nope is not in the snapshot/],
        ['{ findings(snapshot: "20200101T000000Z-0000") { totalCount } }', /^snapshot: no snapshot "20200101T000000Z-0000"/],
        [
          `{ whoCan(action: "apigateway:PATCH", resource: "${PETSTORE_API}", snapshot: "20200101T000000Z-0000") { action } }`,
          /^snapshot: no snapshot/,
        ],
      ];
      for (const [query, message] of cases) {
        const error = await errorOf(query);
        assert.equal(error.code, 'NOT_FOUND', query);
        assert.match(error.message, message, query);
      }
    });

    it('checks the arguments before any work: context, maxHops, maxPaths, the method, empty lists, lengths; one BAD_USER_INPUT naming the argument, and no Cypher ran', async () => {
      const whoCan = (args: string) => `{ whoCan(action: "apigateway:PATCH", resource: "${PETSTORE_API}", ${args}) { action } }`;
      const cases: [string, RegExp][] = [
        [
          whoCan('context: [{key: "aws:SourceIp", values: ["1.2.3.4"]}, {key: "not a key", values: ["x"]}]'),
          /^context\[1\]\.key: expected a condition key such as aws:SourceIp/,
        ],
        [whoCan('context: [{key: "SourceIp", values: ["1.2.3.4"]}]'), /^context\[0\]\.key: expected a condition key/],
        [
          whoCan('context: [{key: "aws:SourceIp", values: []}]'),
          /^context\[0\]\.values: expected 1 to 100 values for aws:SourceIp, got 0\.$/,
        ],
        [
          whoCan('context: [{key: "aws:SourceIp", values: ["1.2.3.4"]}, {key: "AWS:SourceIP", values: ["5.6.7.8"]}]'),
          /^context\[1\]\.key: AWS:SourceIP is already given by context\[0\]/,
        ],
        [whoCan('maxHops: 11'), /^maxHops: expected a whole number from 0 to 10, got 11\.$/],
        [whoCan('maxHops: -1'), /^maxHops: expected a whole number from 0 to 10, got -1\.$/],
        [whoCan('maxPaths: 0'), /^maxPaths: expected a whole number from 1 to 50, got 0\.$/],
        [whoCan('maxPaths: 51'), /^maxPaths: expected a whole number from 1 to 50, got 51\.$/],
        [
          `{ whoCanInvoke(requestArn: "${X}/prod/GET/pets", method: {apiId: "a1b2c3d4e5", stage: "prod", verb: "GET", path: "/pets"}) { public } }`,
          /^whoCanInvoke: give either requestArn .* or method .*, not both and not neither\.$/,
        ],
        ['{ whoCanInvoke { public } }', /^whoCanInvoke: give either requestArn/],
        ['{ findings(kinds: []) { totalCount } }', /^kinds: give at least one value, or leave kinds out for all\.$/],
        ['{ accessDiff(apis: []) { totalCount } }', /^apis: give at least one value/],
        [
          `{ whoCan(action: "apigateway:PATCH", resource: "${PETSTORE_API}x${'y'.repeat(3000)}") { action } }`,
          /^resource: longer than 2048 characters/,
        ],
        [
          `{ can(principal: "", action: "execute-api:Invoke", resource: "${X}/prod/GET/pets") { decision } }`,
          /^principal: must not be empty\.$/,
        ],
      ];
      for (const [query, message] of cases) {
        const error = await errorOf(query);
        assert.equal(error.code, 'BAD_USER_INPUT', query.slice(0, 200));
        assert.match(error.message, message, query.slice(0, 200));
        assert.deepEqual(error.statements, [], `nothing ran for ${query.slice(0, 200)}`);
        assert.ok(error.message.length < 600, 'messages quote long input shortened');
      }
    });

    it('an unknown enum value is refused by GraphQL validation', async () => {
      const error = await errorOf('{ findings(kinds: [NOT_A_KIND]) { totalCount } }');
      assert.equal(error.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.deepEqual(error.statements, []);
    });
  });

  describe('roles, cost and time limits', () => {
    it('lets a reader run every analysis query', async () => {
      const { status, body } = await server.gql<AnalysisData>(
        `query Everything {
          whoCanInvoke(requestArn: "${X}/prod/GET/pets") { principals(first: 1) { totalCount } }
          whoCan(action: "apigateway:PATCH", resource: "${PETSTORE_API}") { principals(first: 1) { totalCount } }
          can(principal: "${U.bob}", action: "execute-api:Invoke", resource: "${X}/prod/GET/pets") { decision }
          invocableMethods(principal: "${U.bob}") { methods(first: 1) { totalCount } }
          rolePaths(from: "${U.ivan}", to: "${R.platformAdmin}") { hops }
          functionsReachableBy(principal: "${U.bob}") { functions(first: 1) { totalCount } }
          whoCanReachFunction(function: "${FN.petsList}") { principals(first: 1) { totalCount } }
          findings(first: 1) { totalCount }
        }`,
        undefined,
        asReader,
      );
      assert.equal(status, 200);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.deepEqual(
        [
          dataOf(body).whoCanInvoke.principals.totalCount,
          dataOf(body).whoCan.principals.totalCount,
          dataOf(body).can.decision,
          dataOf(body).invocableMethods.methods.totalCount,
          dataOf(body).rolePaths.hops,
        ],
        [8, 7, 'ALLOWED', 3, 3],
      );
      assert.equal(dataOf(body).functionsReachableBy.functions.totalCount, 9);
      assert.ok(dataOf(body).whoCanReachFunction.principals.totalCount > 0);
      assert.ok(dataOf(body).findings.totalCount > 0);
      const diff = await server.gql<AnalysisData>(
        'query($s: String) { accessDiff(from: $s, to: $s, first: 1) { from to totalCount compared } }',
        { s: snapshotId },
        asReader,
      );
      assert.equal(diff.body.errors, undefined, JSON.stringify(diff.body.errors));
      assert.deepEqual(
        { ...dataOf(diff.body).accessDiff, compared: undefined },
        { from: snapshotId, to: snapshotId, totalCount: 0, compared: undefined },
      );
      assert.ok(dataOf(diff.body).accessDiff.compared > 0);
    });

    it('refuses a request without a token, before any work', async () => {
      const { result, statements } = await countStatements(graph, () =>
        server.gql(`{ whoCanInvoke(requestArn: "${X}/prod/GET/pets") { public } }`),
      );
      assert.equal(result.status, 401);
      assert.equal(firstError(result.body).extensions.code, 'UNAUTHENTICATED');
      assert.deepEqual(statements, []);
    });

    it('refuses a too costly analysis query with QUERY_TOO_COMPLEX before any work: the questions carry their own cost', async () => {
      const costly = `{ a: findings(first: 1) { totalCount } b: findings(first: 1) { totalCount } c: findings(first: 1) { totalCount } }`;
      const { result, statements, transactions } = await countStatements(graph, () => server.gql(costly, undefined, asReader));
      assert.equal(result.status, 400);
      assert.equal(firstError(result.body).extensions.code, 'QUERY_TOO_COMPLEX');
      assert.match(firstError(result.body).message, /^The query's cost is 60\d\d\d; the server allows at most 50000/);
      assert.equal(result.body.data, undefined);
      assert.deepEqual(statements, [], 'no Cypher ran');
      assert.deepEqual(transactions, [], 'no transaction was opened');
      // A who-can question costs 500 and its field 1 here: 101 are over the limit, 99 are not
      // (on a server whose root-field and alias caps let that many through).
      const many = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `q${i}: whoCan(action: "apigateway:PATCH", resource: "${PETSTORE_API}") { action }`).join(' ')} }`;
      const wide = await startTestServer(graph, {
        apiTokens: parseApiTokenEntries(reader.entry).entries,
        limits: { maxRootFields: 200, maxAliases: 200 },
      });
      try {
        const refused = await countStatements(graph, () => wide.gql(many(101), undefined, asReader));
        assert.equal(firstError(refused.result.body).extensions.code, 'QUERY_TOO_COMPLEX');
        assert.match(firstError(refused.result.body).message, /^The query's cost is 50601; the server allows at most 50000/);
        assert.deepEqual(refused.statements, []);
        const accepted = await wide.gql(many(99), undefined, asReader);
        assert.equal(accepted.body.errors, undefined, JSON.stringify(accepted.body.errors));
      } finally {
        await wide.close();
      }
      // With the default caps, 99 root fields are refused before their cost is even considered.
      const capped = await countStatements(graph, () => server.gql(many(99), undefined, asReader));
      assert.equal(firstError(capped.result.body).extensions.code, 'QUERY_TOO_COMPLEX');
      assert.match(
        firstError(capped.result.body).message,
        /asks for 99 root fields; the server allows at most 20 \(WHOCAN_MAX_ROOT_FIELDS\)/,
      );
      assert.deepEqual(capped.statements, []);
    });

    it('answers TIMEOUT when the request outlives the limit', async () => {
      const tight = await startTestServer(graph, { limits: { requestTimeoutMs: 1 } });
      try {
        const { body } = await tight.gql(`{ whoCanInvoke(requestArn: "${X}/prod/GET/pets") { principals { totalCount } } }`);
        assert.equal(body.data, null);
        assert.equal(body.errors?.length, 1);
        assert.equal(firstError(body).extensions.code, 'TIMEOUT');
      } finally {
        await tight.close();
      }
    });
  });

  describe('hostile input and logs', () => {
    const HOSTILE = [
      "o'brien",
      '"double"',
      "' OR 1=1 //",
      '}) DETACH DELETE n //',
      '` MATCH (n) DETACH DELETE n //',
      '$snapshot',
      'ünïcødé ✓ 🐍 \u202e\u0000',
      'x'.repeat(100_000),
    ];

    it('goes through every argument as data: clear errors or answers, never an internal error, and the graph intact', async () => {
      const before = await graphSize(graph);
      for (const h of HOSTILE) {
        const label = JSON.stringify(h.slice(0, 40));
        const checks: [string, Record<string, unknown>, string][] = [
          [`query($h: String!) { whoCan(action: $h, resource: "${PETSTORE_API}") { action } }`, { h }, 'BAD_USER_INPUT'],
          ['query($h: String!) { whoCan(action: "apigateway:PATCH", resource: $h) { action } }', { h }, 'BAD_USER_INPUT'],
          [
            'query($h: String!) { invocableMethods(principal: $h) { rolesReached } }',
            { h: `arn:aws:iam::${PROD}:user/${h}` },
            h.length > 2048 ? 'BAD_USER_INPUT' : 'NOT_FOUND',
          ],
          [
            'query($h: String!) { rolePaths(from: $h, to: "arn:aws:iam::333344445555:role/platform-admin") { hops } }',
            { h },
            'BAD_USER_INPUT',
          ],
          ['query($h: String) { findings(snapshot: $h) { totalCount } }', { h }, 'NOT_FOUND'],
          ['query($h: String) { findings(after: $h) { totalCount } }', { h }, 'BAD_USER_INPUT'],
          [
            'query($h: String!) { whoCanInvoke(method: {apiId: "a1b2c3d4e5", stage: $h, verb: "GET", path: "/pets"}) { public } }',
            { h },
            h.length > 128 ? 'BAD_USER_INPUT' : 'NOT_FOUND',
          ],
        ];
        for (const [query, variables, code] of checks) {
          const { body } = await server.gql(query, variables, asReader);
          assert.equal(body.errors?.[0]?.extensions?.code, code, `${label} in ${query}: ${JSON.stringify(body.errors).slice(0, 500)}`);
          assert.ok(JSON.stringify(body).length < 5_000, `${label}: messages quote long input shortened`);
        }
        if (h.length <= 1024) {
          // A context value is data: it decides conditions like any other (none of these is sts:ExternalId petstore-7f3a9c).
          const { body } = await server.gql(
            `query($h: String!) { rolePaths(from: "arn:aws:iam::999988887777:root", to: "${iam(PROD, 'role', 'partner-integration')}", context: [{key: "sts:ExternalId", values: [$h]}]) { reachable } }`,
            { h },
            asReader,
          );
          assert.deepEqual(body, { data: { rolePaths: { reachable: false } } }, label);
        }
      }
      assert.deepEqual(await graphSize(graph), before, 'no node or relationship was created or deleted');
    });

    it('logs one line per request, without the request context or the ARNs asked about', async () => {
      const log = capturingLogger('trace');
      const { uri, user, password } = testNeo4j();
      const logged = await connectGraph({
        uri,
        user,
        password,
        database: 'neo4j',
        transactionTimeoutMs: 30_000,
        connectionTimeoutMs: 10_000,
        logger: log.logger,
      });
      const quiet = await startTestServer(logged, { logger: log.logger });
      try {
        const secret = 'petstore-7f3a9c';
        const ok = await quiet.gql<AnalysisData>(
          'query PartnerPaths($ctx: [ContextEntry!]) { rolePaths(from: "arn:aws:iam::999988887777:root", to: "arn:aws:iam::333344445555:role/partner-integration", context: $ctx) { reachable decision } }',
          { ctx: [{ key: 'sts:ExternalId', values: [secret] }] },
        );
        assert.deepEqual(
          ok.body.data,
          { rolePaths: { reachable: true, decision: 'CONDITIONAL' } },
          'the right external id: only the partner’s own policies remain open',
        );
        const failed = await quiet.gql(
          `query Bad { can(principal: "${U.carol}", action: "execute-api:Invoke", resource: "${X}/prod/GET/pets", context: [{key: "sts:ExternalId", values: ["${secret}"]}, {key: "bad key", values: ["x"]}]) { decision } }`,
        );
        assert.equal(firstError(failed.body).extensions.code, 'BAD_USER_INPUT');
        const lines = log.lines.filter((l) => l['msg'] === 'graphql request');
        const okLine = lines.find((l) => l['requestId'] === ok.headers.get('x-request-id'));
        assert.equal(okLine?.['operationName'], 'PartnerPaths');
        assert.equal(okLine?.['outcome'], 'ok');
        const failedLine = lines.find((l) => l['requestId'] === failed.headers.get('x-request-id'));
        assert.deepEqual(failedLine?.['errorCodes'], ['BAD_USER_INPUT']);
        const text = log.text();
        assert.match(text, /"msg":"cypher"/, 'Cypher debug lines were written (and checked)');
        assert.doesNotMatch(text, new RegExp(secret), 'no context value');
        assert.doesNotMatch(text, /carol-caller|partner-integration/, 'no ARN asked about');
      } finally {
        await quiet.close();
        await logged.close();
      }
    });
  });

  describe('accessDiff between two snapshots (seed/, then seed/ with bob-caller moved out of api-callers and carol-caller in)', () => {
    let dir: string;
    let changedId: string;
    const DIFF = `query($from: String, $to: String, $kinds: [AccessKind!], $apis: [String!], $first: Int, $after: String) {
      accessDiff(from: $from, to: $to, kinds: $kinds, apis: $apis, first: $first, after: $after) {
        from to compared totalCount counts { gained lost changed } pageInfo { hasNextPage endCursor }
        nodes { kind action resource principal principalKind change before { decision hops } after { decision hops } paths { ${HOP} } }
      }
    }`;
    const row = (c: AccessDiffView['nodes'][number]) =>
      `${c.change.toLowerCase()} ${c.kind.toLowerCase()} ${c.resource} ${c.principal} ${c.before ? `${c.before.decision}/${c.before.hops}` : '-'} → ${c.after ? `${c.after.decision}/${c.after.hops}` : '-'}`;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'whocan-diff-'));
      cpSync(seedDir(), dir, { recursive: true });
      const file = path.join(dir, PROD, 'iam', 'authorization-details-1.json');
      const details = JSON.parse(readFileSync(file, 'utf8')) as { UserDetailList: { UserName: string; GroupList: string[] }[] };
      const user = (name: string) => details.UserDetailList.find((u) => u.UserName === name)!;
      assert.deepEqual(user('bob-caller').GroupList, ['api-callers']);
      assert.deepEqual(user('carol-caller').GroupList, []);
      user('bob-caller').GroupList = [];
      user('carol-caller').GroupList = ['api-callers'];
      writeFileSync(file, JSON.stringify(details, null, 2));
      changedId = await ingest(graph, dir);
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('compares the previous snapshot with the current one by default: bob-caller lost his three prod methods; carol-caller gained POST /pets and her conditional GETs became allowed', async () => {
      const { accessDiff } = await data(DIFF, { first: 100 });
      assert.equal(accessDiff.from, snapshotId);
      assert.equal(accessDiff.to, changedId);
      assert.deepEqual(
        sorted(accessDiff.nodes.map(row)),
        sorted([
          `lost invoke ${X}/prod/GET/pets ${U.bob} ALLOWED/0 → -`,
          `lost invoke ${X}/prod/GET/pets/{id} ${U.bob} ALLOWED/0 → -`,
          `lost invoke ${X}/prod/POST/pets ${U.bob} ALLOWED/0 → -`,
          `changed invoke ${X}/prod/GET/pets ${U.carol} CONDITIONAL/0 → ALLOWED/0`,
          `changed invoke ${X}/prod/GET/pets/{id} ${U.carol} CONDITIONAL/0 → ALLOWED/0`,
          `gained invoke ${X}/prod/POST/pets ${U.carol} - → ALLOWED/0`,
        ]),
      );
      assert.deepEqual(accessDiff.counts, { gained: 1, lost: 3, changed: 2 });
      assert.equal(accessDiff.totalCount, 6);
      assert.ok(accessDiff.compared > 0);
      for (const c of accessDiff.nodes) {
        assert.equal(c.action, 'execute-api:Invoke');
        assert.equal(c.principalKind, 'USER');
      }
      // A loss shows the old paths, a gain the new ones.
      const lost = accessDiff.nodes.find((c) => c.change === 'LOST' && c.resource === `${X}/prod/POST/pets`);
      assert.deepEqual(lost!.paths[0]!.map(hop), grant(POL.InvokePetsProd, 'InvokePetsProd', G.apiCallers));
      assert.equal(lost!.paths[0]![0]!.from, U.bob);
      const gained = accessDiff.nodes.find((c) => c.change === 'GAINED');
      assert.deepEqual(gained!.paths[0]!.map(hop), grant(POL.InvokePetsProd, 'InvokePetsProd', G.apiCallers));
      assert.equal(gained!.paths[0]![0]!.from, U.carol);
    });

    it('the other way round, bob-caller gains and carol-caller loses', async () => {
      const { accessDiff } = await data(DIFF, { from: changedId, to: snapshotId, first: 100 });
      assert.deepEqual(accessDiff.counts, { gained: 3, lost: 1, changed: 2 });
      assert.deepEqual(
        sorted(accessDiff.nodes.filter((c) => c.change !== 'GAINED').map(row)),
        sorted([
          `lost invoke ${X}/prod/POST/pets ${U.carol} ALLOWED/0 → -`,
          `changed invoke ${X}/prod/GET/pets ${U.carol} ALLOWED/0 → CONDITIONAL/0`,
          `changed invoke ${X}/prod/GET/pets/{id} ${U.carol} ALLOWED/0 → CONDITIONAL/0`,
        ]),
      );
    });

    it('filters by kind and API, and pages through the changes', async () => {
      assert.equal((await data(DIFF, { kinds: ['MANAGE', 'ASSUME'] })).accessDiff.totalCount, 0);
      assert.equal((await data(DIFF, { apis: ['k9l8m7n6o5', 'h7t8p9a0b1'] })).accessDiff.totalCount, 0);
      assert.equal((await data(DIFF, { apis: ['a1b2c3d4e5'], kinds: ['INVOKE'] })).accessDiff.totalCount, 6);
      const all = (await data(DIFF, { first: 100 })).accessDiff.nodes.map(row);
      const paged: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i++) {
        const page: AccessDiffView = (await data(DIFF, { first: 4, after })).accessDiff;
        paged.push(...page.nodes.map(row));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.deepEqual(paged, all);
    });

    it('an unknown snapshot or API id is NOT_FOUND, naming the argument', async () => {
      const from = await errorOf(DIFF, { from: '20200101T000000Z-0000' });
      assert.equal(from.code, 'NOT_FOUND');
      assert.match(from.message, /^from: no snapshot "20200101T000000Z-0000"/);
      const to = await errorOf(DIFF, { to: '20200101T000000Z-0000' });
      assert.match(to.message, /^to: no snapshot/);
      const api = await errorOf(DIFF, { apis: ['a1b2c3d4e5', 'zzzzzzzzzz'] });
      assert.equal(api.code, 'NOT_FOUND');
      assert.match(api.message, /^apis: no API "zzzzzzzzzz" in snapshot/);
    });

    it('questions read the current snapshot by default, and an older one when named', async () => {
      const query = `query($s: String) { whoCanInvoke(requestArn: "${X}/prod/POST/pets", snapshot: $s) { snapshot principals { nodes { arn } } } }`;
      const now = (await data(query)).whoCanInvoke;
      assert.equal(now.snapshot, changedId);
      assert.ok(now.principals.nodes.some((p) => p.arn === U.carol));
      assert.ok(!now.principals.nodes.some((p) => p.arn === U.bob));
      const then = (await data(query, { s: snapshotId })).whoCanInvoke;
      assert.equal(then.snapshot, snapshotId);
      assert.ok(then.principals.nodes.some((p) => p.arn === U.bob));
    });
  });
});
