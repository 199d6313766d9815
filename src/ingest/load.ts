import { cypher, type CypherQuery, type Graph } from '../db';
import { Label, Rel, SharedLabel, type AssumerLabel, type SnapshotRows } from '../model';

const ASSUMER_LABELS: readonly AssumerLabel[] = ['User', 'Role', 'Account', 'ServicePrincipal', 'ExternalPrincipal'];

/**
 * Writes the rows of one snapshot: nodes first, then relationships, each in
 * `UNWIND $rows` batches. Writes are MERGEs on (snapshot, key), so a retried
 * batch changes nothing. Labels and relationship types come from
 * src/model constants, never from input; every value is a parameter.
 */

export interface LoadStep {
  /** Shown in progress output. */
  name: string;
  query: CypherQuery;
  rows: (rows: SnapshotRows) => readonly unknown[];
}

const upsert = (name: string, labels: string, extra = ''): CypherQuery =>
  cypher(`ingest.upsert.${name}`, `UNWIND $rows AS row MERGE (n:${labels} {snapshot: $snapshot, key: row.key}) SET n += row ${extra}`);

/** Relationship between two nodes of the snapshot found by key (missing endpoints are skipped: e.g. a role in an account that was not ingested). */
const link = (name: string, from: string, rel: string, to: string, fromField: string, toField: string, props = ''): CypherQuery =>
  cypher(
    `ingest.link.${name}`,
    `UNWIND $rows AS row
     MATCH (a:${from} {snapshot: $snapshot, key: row.${fromField}})
     MATCH (b:${to} {snapshot: $snapshot, key: row.${toField}})
     MERGE (a)-[r:${rel}]->(b) ${props}`,
  );

const nonNull = <T>(rows: readonly T[], field: keyof T) => rows.filter((r) => r[field] !== null && r[field] !== undefined);

export const NODE_STEPS: readonly LoadStep[] = [
  { name: 'accounts', query: upsert('accounts', Label.Account), rows: (r) => r.accounts },
  { name: 'organization roots', query: upsert('orgRoots', Label.OrgRoot), rows: (r) => r.orgNodes.filter((n) => n.kind === 'root') },
  { name: 'organizational units', query: upsert('orgUnits', Label.OrgUnit), rows: (r) => r.orgNodes.filter((n) => n.kind === 'ou') },
  { name: 'users', query: upsert('users', `${Label.User}:${SharedLabel.Principal}`), rows: (r) => r.users },
  { name: 'groups', query: upsert('groups', Label.Group), rows: (r) => r.groups },
  { name: 'roles', query: upsert('roles', `${Label.Role}:${SharedLabel.Principal}`), rows: (r) => r.roles },
  { name: 'policies', query: upsert('policies', Label.Policy), rows: (r) => r.policies },
  { name: 'statements', query: upsert('statements', Label.Statement), rows: (r) => r.statements },
  {
    name: 'REST APIs',
    query: upsert('restApis', `${Label.RestApi}:${SharedLabel.Api}`),
    rows: (r) => r.apis.filter((a) => a.kind === 'REST'),
  },
  {
    name: 'HTTP APIs',
    query: upsert('httpApis', `${Label.HttpApi}:${SharedLabel.Api}`),
    rows: (r) => r.apis.filter((a) => a.kind === 'HTTP'),
  },
  { name: 'stages', query: upsert('stages', Label.Stage), rows: (r) => r.stages },
  { name: 'API resources', query: upsert('apiResources', Label.ApiResource), rows: (r) => r.apiResources },
  { name: 'methods', query: upsert('methods', Label.Method), rows: (r) => r.methods },
  { name: 'integrations', query: upsert('integrations', Label.Integration), rows: (r) => r.integrations },
  { name: 'Lambda functions', query: upsert('functions', Label.LambdaFunction), rows: (r) => r.functions },
  { name: 'VPC endpoints', query: upsert('vpcEndpoints', Label.VpcEndpoint), rows: (r) => r.vpcEndpoints },
  { name: 'external principals', query: upsert('externalPrincipals', Label.ExternalPrincipal), rows: (r) => r.externalPrincipals },
  {
    name: 'service principals',
    query: cypher(
      'ingest.upsert.servicePrincipals',
      `UNWIND $rows AS row MERGE (n:${Label.ServicePrincipal} {snapshot: $snapshot, key: row.key}) SET n.name = row.key`,
    ),
    // Services named by statements, and those the analysis found assuming roles (always named by a trust statement, listed for safety).
    rows: (r) =>
      [
        ...new Set([
          ...r.statements.flatMap((s) => s.servicePrincipals),
          ...r.canAssume.filter((c) => c.fromLabel === 'ServicePrincipal').map((c) => c.fromKey),
        ]),
      ]
        .sort()
        .map((key) => ({ key })),
  },
];

/**
 * A link whose start is an API: one step per API label, so each MATCH uses
 * that label's (snapshot, key) constraint index. REST API keys contain
 * `/restapis/`, HTTP API keys `/apis/`.
 */
function perApiKind<T extends object>(
  name: string,
  queryName: string,
  rel: string,
  to: string,
  fromField: string,
  toField: string,
  rows: (r: SnapshotRows) => readonly T[],
  apiKeyField: string = fromField,
): LoadStep[] {
  return [
    { label: Label.RestApi, marker: '::/restapis/', suffix: 'REST' },
    { label: Label.HttpApi, marker: '::/apis/', suffix: 'HTTP' },
  ].map(({ label, marker, suffix }) => ({
    name: `${name} (${suffix})`,
    query: link(`${queryName}${suffix}`, label, rel, to, fromField, toField),
    rows: (r: SnapshotRows) => rows(r).filter((row) => String((row as Record<string, unknown>)[apiKeyField]).includes(marker)),
  }));
}

export const LINK_STEPS: readonly LoadStep[] = [
  {
    name: 'organization tree',
    query: cypher(
      'ingest.link.orgParents',
      `UNWIND $rows AS row
       MATCH (a {snapshot: $snapshot, key: row.from}) WHERE (a:${Label.Account} OR a:${Label.OrgUnit}) AND a.key IS NOT NULL
       MATCH (b {snapshot: $snapshot, key: row.to}) WHERE (b:${Label.OrgUnit} OR b:${Label.OrgRoot}) AND b.key IS NOT NULL
       MERGE (a)-[:${Rel.CHILD_OF}]->(b)`,
    ),
    rows: (r) => r.orgParents,
  },
  {
    name: 'SCP/RCP attachments',
    query: cypher(
      'ingest.link.orgPolicyTargets',
      `UNWIND $rows AS row
       MATCH (p:${Label.Policy} {snapshot: $snapshot, key: row.from})
       MATCH (t {snapshot: $snapshot, key: row.to}) WHERE (t:${Label.Account} OR t:${Label.OrgUnit} OR t:${Label.OrgRoot}) AND t.key IS NOT NULL
       MERGE (p)-[:${Rel.ATTACHED_TO}]->(t)`,
    ),
    rows: (r) => r.orgPolicyTargets,
  },
  {
    name: 'users → account',
    query: link('usersInAccount', Label.User, Rel.IN_ACCOUNT, Label.Account, 'key', 'account'),
    rows: (r) => r.users,
  },
  {
    name: 'groups → account',
    query: link('groupsInAccount', Label.Group, Rel.IN_ACCOUNT, Label.Account, 'key', 'account'),
    rows: (r) => r.groups,
  },
  {
    name: 'roles → account',
    query: link('rolesInAccount', Label.Role, Rel.IN_ACCOUNT, Label.Account, 'key', 'account'),
    rows: (r) => r.roles,
  },
  ...perApiKind('APIs → account', 'apisInAccount', Rel.IN_ACCOUNT, Label.Account, 'key', 'account', (r) => r.apis),
  {
    name: 'functions → account',
    query: link('functionsInAccount', Label.LambdaFunction, Rel.IN_ACCOUNT, Label.Account, 'key', 'account'),
    rows: (r) => r.functions,
  },
  {
    name: 'VPC endpoints → account',
    query: link('vpcEndpointsInAccount', Label.VpcEndpoint, Rel.IN_ACCOUNT, Label.Account, 'key', 'account'),
    rows: (r) => r.vpcEndpoints,
  },
  {
    name: 'group memberships',
    query: link('memberships', Label.User, Rel.MEMBER_OF, Label.Group, 'from', 'to'),
    rows: (r) => r.memberships,
  },
  ...(['User', 'Group', 'Role'] as const).map((owner): LoadStep => ({
    name: `${owner.toLowerCase()} policies`,
    query: link(
      `${owner.toLowerCase()}Policies`,
      Label[owner],
      Rel.HAS_POLICY,
      Label.Policy,
      'from',
      'to',
      'SET r.attachment = row.attachment',
    ),
    rows: (r) => r.policyAttachments.filter((a) => a.ownerLabel === owner),
  })),
  ...(['User', 'Role'] as const).map((owner): LoadStep => ({
    name: `${owner.toLowerCase()} boundaries`,
    query: link(`${owner.toLowerCase()}Boundaries`, Label[owner], Rel.HAS_BOUNDARY, Label.Policy, 'from', 'to'),
    rows: (r) => r.boundaries.filter((b) => b.ownerLabel === owner),
  })),
  {
    name: 'trust policies',
    query: link('trustPolicies', Label.Role, Rel.HAS_TRUST_POLICY, Label.Policy, 'from', 'to'),
    rows: (r) => r.trustPolicies,
  },
  ...perApiKind(
    'API resource policies',
    'apiResourcePolicies',
    Rel.HAS_RESOURCE_POLICY,
    Label.Policy,
    'from',
    'to',
    (r) => r.resourcePolicies.filter((p) => p.ownerLabel === 'Api'),
    'from',
  ),
  {
    name: 'function resource policies',
    query: link('functionResourcePolicies', Label.LambdaFunction, Rel.HAS_RESOURCE_POLICY, Label.Policy, 'from', 'to'),
    rows: (r) => r.resourcePolicies.filter((p) => p.ownerLabel === 'LambdaFunction'),
  },
  {
    name: 'VPC endpoint policies',
    query: link('endpointPolicies', Label.VpcEndpoint, Rel.HAS_ENDPOINT_POLICY, Label.Policy, 'from', 'to'),
    rows: (r) => r.endpointPolicies,
  },
  {
    name: 'policy statements',
    query: link('policyStatements', Label.Policy, Rel.HAS_STATEMENT, Label.Statement, 'policyKey', 'key'),
    rows: (r) => r.statements,
  },
  {
    name: 'statements → service principals',
    query: link('statementServices', Label.Statement, Rel.NAMES_SERVICE, Label.ServicePrincipal, 'from', 'to'),
    rows: (r) => r.statements.flatMap((s) => s.servicePrincipals.map((service) => ({ from: s.key, to: service }))),
  },
  ...perApiKind('API stages', 'apiStages', Rel.HAS_STAGE, Label.Stage, 'apiKey', 'key', (r) => r.stages, 'apiKey'),
  {
    name: 'API resources',
    query: link('apiResources', Label.RestApi, Rel.HAS_RESOURCE, Label.ApiResource, 'apiKey', 'key'),
    rows: (r) => r.apiResources,
  },
  {
    name: 'REST methods',
    query: link('restMethods', Label.ApiResource, Rel.HAS_METHOD, Label.Method, 'resourceKey', 'key'),
    rows: (r) => nonNull(r.methods, 'resourceKey'),
  },
  {
    name: 'HTTP API routes',
    query: link('httpRoutes', Label.HttpApi, Rel.HAS_METHOD, Label.Method, 'apiKey', 'key'),
    rows: (r) => r.methods.filter((m) => m.resourceKey === null),
  },
  {
    name: 'method integrations',
    query: link('methodIntegrations', Label.Method, Rel.INTEGRATES_WITH, Label.Integration, 'methodKey', 'key'),
    rows: (r) => r.integrations,
  },
  {
    name: 'integration roles',
    query: link('integrationRoles', Label.Integration, Rel.RUNS_AS, Label.Role, 'key', 'roleArn'),
    rows: (r) => nonNull(r.integrations, 'roleArn'),
  },
  {
    name: 'integration functions',
    query: link('integrationFunctions', Label.Integration, Rel.CALLS, Label.LambdaFunction, 'key', 'lambdaArn'),
    rows: (r) => nonNull(r.integrations, 'lambdaArn'),
  },
  {
    name: 'function roles',
    query: link('functionRoles', Label.LambdaFunction, Rel.EXECUTES_AS, Label.Role, 'key', 'roleArn'),
    rows: (r) => nonNull(r.functions, 'roleArn'),
  },
  {
    name: 'external principals → account',
    query: link('externalPrincipalsInAccount', Label.ExternalPrincipal, Rel.IN_ACCOUNT, Label.Account, 'key', 'account'),
    rows: (r) => r.externalPrincipals,
  },
  // Derived by the analysis: one step per start label, so each MATCH uses that label's constraint index.
  ...ASSUMER_LABELS.map((label): LoadStep => ({
    name: `${label} → role (CAN_ASSUME)`,
    query: link(
      `canAssumeFrom${label}`,
      Label[label],
      Rel.CAN_ASSUME,
      Label.Role,
      'fromKey',
      'to',
      `SET r.from = row.from, r.decision = row.decision, r.trustPolicy = row.trustPolicy, r.trustStatement = row.trustStatement,
             r.identityPolicy = row.identityPolicy, r.identityStatement = row.identityStatement, r.conditions = row.conditions, r.keys = row.keys`,
    ),
    rows: (r) => r.canAssume.filter((c) => c.fromLabel === label),
  })),
];

export interface LoadProgress {
  step: string;
  stepIndex: number;
  stepCount: number;
  written: number;
  total: number;
  /** Rows written so far over every step, and the total over every step. */
  overallWritten: number;
  overallTotal: number;
}

/** Writes every row of a snapshot; calls `onProgress` after each batch and `beforeBatch` before (heartbeat). */
export async function loadSnapshotRows(
  graph: Graph,
  snapshot: string,
  rows: SnapshotRows,
  options: { batchSize?: number; onProgress?: (p: LoadProgress) => void; beforeStep?: (step: string) => Promise<void> } = {},
): Promise<{ nodes: number; links: number }> {
  const steps = [...NODE_STEPS, ...LINK_STEPS].map((step) => ({ step, data: step.rows(rows) }));
  const overallTotal = steps.reduce((sum, s) => sum + s.data.length, 0);
  let overallWritten = 0;
  let nodes = 0;
  let links = 0;
  for (const [index, { step, data }] of steps.entries()) {
    await options.beforeStep?.(step.name);
    const before = overallWritten;
    await graph.writeBatches(step.query, data, {
      batchSize: options.batchSize ?? 5_000,
      params: { snapshot },
      tx: { timeoutMs: 300_000, metadata: { snapshot } },
      onBatch: (written) => {
        overallWritten = before + written;
        options.onProgress?.({
          step: step.name,
          stepIndex: index,
          stepCount: steps.length,
          written,
          total: data.length,
          overallWritten,
          overallTotal,
        });
      },
    });
    if (index < NODE_STEPS.length) nodes += data.length;
    else links += data.length;
  }
  return { nodes, links };
}
