import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Graph } from '../../src/db';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { dataOf, ingest, startTestServer, type TestServer } from './support/api';
import type { Connection } from './support/answers';
import { resetGraph, testGraph } from './support/graph';

/**
 * `accessSummary` over HTTP on seed/ (a real Neo4j, the real ingest). The
 * expected rows are worked out from seed/README.md (Q1 to Q5); the "who"
 * counts are also checked against the whoCanInvoke answers of every method,
 * so the overview and the method pages cannot disagree.
 */

const PROD = '333344445555';
const PARTNER = '999988887777';

const ROWS_QUERY = `query Summary($first: Int, $after: String, $snapshot: String) {
  accessSummary(first: $first, after: $after, snapshot: $snapshot) {
    snapshot totalCount pageInfo { hasNextPage endCursor }
    totals { accounts apis stages methods publicMethods principalsWithAccess principalsFromOtherAccounts outsideOrganizationAccounts }
    nodes { accountId apiId apiName apiType stage endpointType methods publicMethods principalsWithAccess principalsFromOtherAccounts outsideOrganizationAccounts }
  }
}`;

/**
 * seed/README.md, row by row:
 * - petstore-api prod (Q1): GET /pets bob, carol, reporting-role ← ec2.amazonaws.com, OrganizationAccountAccessRole ←
 *   org-admin, judy-analyst, partner 999988887777; POST /pets adds partner-integration; GET /pets/{id} adds
 *   henry-support (partial); ANY /admin/{proxy+} adds petstore-operator ← ops-jump ← ivan-ops, alice-apidev and
 *   erin-boundary (partial): 15 callers. From other accounts: org-admin, judy-analyst, ivan-ops, ops-jump and the
 *   partner's root: 5. Outside the organization: the partner only. No method is public (all AWS_IAM).
 * - petstore-api staging (Q2): alice, erin, OrganizationAccountAccessRole ← org-admin, judy, petstore-operator ←
 *   ops-jump ← ivan: 8; other accounts: org-admin, judy, ops-jump, ivan.
 * - petstore-events $default (Q5): GET /status is public (anonymous); events-reader ← judy, OrganizationAccountAccessRole ←
 *   org-admin: 5 callers with anonymous; other accounts: judy, org-admin.
 * - petstore-internal prod (Q4): anyone through the VPC endpoint (anonymous, conditional), not public on the internet.
 * - petstore-web prod (Q3): GET /health public; POST /orders OrganizationAccountAccessRole ← org-admin: 3.
 *   staging adds alice-apidev: 4.
 */
const EXPECTED_ROWS = [
  {
    apiId: 'a1b2c3d4e5',
    apiName: 'petstore-api',
    apiType: 'REST',
    stage: 'prod',
    endpointType: 'REGIONAL',
    methods: 5,
    publicMethods: 0,
    principalsWithAccess: 15,
    principalsFromOtherAccounts: 5,
    outsideOrganizationAccounts: [PARTNER],
  },
  {
    apiId: 'a1b2c3d4e5',
    apiName: 'petstore-api',
    apiType: 'REST',
    stage: 'staging',
    endpointType: 'REGIONAL',
    methods: 5,
    publicMethods: 0,
    principalsWithAccess: 8,
    principalsFromOtherAccounts: 4,
    outsideOrganizationAccounts: [],
  },
  {
    apiId: 'h7t8p9a0b1',
    apiName: 'petstore-events',
    apiType: 'HTTP',
    stage: '$default',
    endpointType: 'REGIONAL',
    methods: 3,
    publicMethods: 1,
    principalsWithAccess: 5,
    principalsFromOtherAccounts: 2,
    outsideOrganizationAccounts: [],
  },
  {
    apiId: 'p1q2r3s4t5',
    apiName: 'petstore-internal',
    apiType: 'REST',
    stage: 'prod',
    endpointType: 'PRIVATE',
    methods: 2,
    publicMethods: 0,
    principalsWithAccess: 1,
    principalsFromOtherAccounts: 0,
    outsideOrganizationAccounts: [],
  },
  {
    apiId: 'k9l8m7n6o5',
    apiName: 'petstore-web',
    apiType: 'REST',
    stage: 'prod',
    endpointType: 'EDGE',
    methods: 4,
    publicMethods: 1,
    principalsWithAccess: 3,
    principalsFromOtherAccounts: 1,
    outsideOrganizationAccounts: [],
  },
  {
    apiId: 'k9l8m7n6o5',
    apiName: 'petstore-web',
    apiType: 'REST',
    stage: 'staging',
    endpointType: 'EDGE',
    methods: 4,
    publicMethods: 1,
    principalsWithAccess: 4,
    principalsFromOtherAccounts: 1,
    outsideOrganizationAccounts: [],
  },
].map((row) => ({ accountId: PROD, ...row }));

/** accessSummary as ROWS_QUERY asks for it. */
interface SummaryData {
  accessSummary: Connection<(typeof EXPECTED_ROWS)[number]> & {
    snapshot: string;
    totals: Record<string, unknown>;
  };
}

/** An API and its methods, as the listing queries ask for them. */
interface ListedApi {
  id: string;
  stages: { name: string }[];
  methods: Connection<{ verb: string; path: string }>;
  routes: Connection<{ verb: string; path: string }>;
}

/** reachableRoles as the test asks for it. */
interface ReachableRolesData {
  reachableRoles: {
    principal: string;
    principalKind: string;
    roles: {
      role: string;
      hops: number;
      decision: string;
      conditions: { keys: string[] }[];
      path: { kind: string; from: string; to: string; statement: string | null }[];
    }[];
  };
}

describe('accessSummary over HTTP (seed/ loaded)', () => {
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

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { status, body } = await server.gql<T>(query, variables, asReader);
    assert.equal(body.errors, undefined, `unexpected errors: ${JSON.stringify(body.errors)}`);
    assert.equal(status, 200);
    return dataOf(body);
  }

  it('gives one row per API and stage with the counts worked out in seed/README.md, and the totals (a reader token is enough)', async () => {
    const { accessSummary } = await data<SummaryData>(ROWS_QUERY, { first: 50 });
    assert.equal(accessSummary.snapshot, snapshotId);
    assert.deepEqual(accessSummary.nodes, EXPECTED_ROWS);
    assert.equal(accessSummary.totalCount, 6);
    assert.equal(accessSummary.pageInfo.hasNextPage, false);
    // 17 distinct callers: petstore-api prod's 15, anonymous (public and private methods) and events-reader.
    assert.deepEqual(accessSummary.totals, {
      accounts: 1,
      apis: 4,
      stages: 6,
      methods: 23,
      publicMethods: 3,
      principalsWithAccess: 17,
      principalsFromOtherAccounts: 5,
      outsideOrganizationAccounts: [PARTNER],
    });
  });

  it('agrees with whoCanInvoke on every method of each row', async () => {
    const { accessSummary } = await data<SummaryData>(ROWS_QUERY, { first: 50 });
    const { restApis, httpApis } = await data<{ restApis: Connection<ListedApi>; httpApis: Connection<ListedApi> }>(`{
      restApis(first: 10) { nodes { id stages { name } methods(first: 50) { nodes { verb path } } } }
      httpApis(first: 10) { nodes { id stages { name } routes: methods(first: 50) { nodes { verb path } } } }
    }`);
    const apis = [
      ...restApis.nodes.map((a) => ({ id: a.id, stages: a.stages, methods: a.methods.nodes })),
      ...httpApis.nodes.map((a) => ({ id: a.id, stages: a.stages, methods: a.routes.nodes })),
    ];
    for (const row of accessSummary.nodes) {
      const api = apis.find((a) => a.id === row.apiId);
      assert.ok(api, `API ${row.apiId} is listed by restApis/httpApis`);
      const who = new Set<string>();
      let publicMethods = 0;
      for (const m of api.methods) {
        const { whoCanInvoke } = await data<{ whoCanInvoke: { public: boolean; principals: Connection<{ arn: string }> } }>(
          `query W($m: MethodReference!) { whoCanInvoke(method: $m) { public principals(first: 100) { totalCount nodes { arn } } } }`,
          {
            m: { apiId: row.apiId, stage: row.stage, verb: m.verb === '*' ? '$default' : m.verb, path: m.path },
          },
        );
        if (whoCanInvoke.public) publicMethods++;
        for (const p of whoCanInvoke.principals.nodes) who.add(p.arn);
      }
      assert.equal(row.methods, api.methods.length, `${row.apiId}/${row.stage} methods`);
      assert.equal(row.publicMethods, publicMethods, `${row.apiId}/${row.stage} public methods`);
      assert.equal(row.principalsWithAccess, who.size, `${row.apiId}/${row.stage} principals`);
    }
  });

  it('pages with first/after and refuses a cursor of another list', async () => {
    const first = (await data<SummaryData>(ROWS_QUERY, { first: 4 })).accessSummary;
    assert.equal(first.nodes.length, 4);
    assert.equal(first.pageInfo.hasNextPage, true);
    const rest = (await data<SummaryData>(ROWS_QUERY, { first: 4, after: first.pageInfo.endCursor })).accessSummary;
    assert.deepEqual([...first.nodes, ...rest.nodes], EXPECTED_ROWS);
    assert.equal(rest.pageInfo.hasNextPage, false);
    const findings = await data<{ findings: Connection<unknown> }>('{ findings(first: 1) { pageInfo { endCursor } } }');
    const { body } = await server.gql(ROWS_QUERY, { first: 2, after: findings.findings.pageInfo.endCursor }, asReader);
    assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  it('reachableRoles: ivan-ops becomes ops-jump (MFA), petstore-operator and platform-admin (seed/README.md, Q6); with MFA every chain holds', async () => {
    const Q = `query R($p: String!, $ctx: [ContextEntry!]) { reachableRoles(principal: $p, context: $ctx) { principal principalKind roles { role hops decision conditions { keys } path { kind from to statement } } } }`;
    const ivan = 'arn:aws:iam::222233334444:user/ivan-ops';
    const opsJump = 'arn:aws:iam::222233334444:role/ops-jump';
    const operator = `arn:aws:iam::${PROD}:role/petstore-operator`;
    const platformAdmin = `arn:aws:iam::${PROD}:role/platform-admin`;
    const { reachableRoles } = await data<ReachableRolesData>(Q, { p: ivan });
    assert.equal(reachableRoles.principal, ivan);
    assert.equal(reachableRoles.principalKind, 'USER');
    assert.deepEqual(
      reachableRoles.roles.map((r) => [r.role, r.hops, r.decision]),
      [
        [opsJump, 1, 'CONDITIONAL'],
        [operator, 2, 'CONDITIONAL'],
        [platformAdmin, 3, 'CONDITIONAL'],
      ],
    );
    assert.deepEqual(
      reachableRoles.roles[0]!.conditions.flatMap((c) => c.keys),
      ['aws:multifactorauthpresent'],
    );
    assert.deepEqual(
      reachableRoles.roles[2]!.path.map((h) => h.to),
      [opsJump, operator, platformAdmin],
    );
    const withMfa = await data<ReachableRolesData>(Q, { p: ivan, ctx: [{ key: 'aws:MultiFactorAuthPresent', values: ['true'] }] });
    assert.deepEqual(
      withMfa.reachableRoles.roles.map((r) => r.decision),
      ['ALLOWED', 'ALLOWED', 'ALLOWED'],
    );
    const bob = await data<ReachableRolesData>(Q, { p: `arn:aws:iam::${PROD}:user/bob-caller` });
    assert.deepEqual(bob.reachableRoles.roles, []);
  });

  it('names an unknown snapshot NOT_FOUND', async () => {
    const { body } = await server.gql(ROWS_QUERY, { snapshot: '20000101T000000Z-dead' }, asReader);
    assert.equal(body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });
});
