import { cypher, type CypherQuery, type Graph } from '../db';
import { Label, Rel, ROW_FIELDS, SharedLabel, type SnapshotRows } from '../model';

/**
 * The inverse of load.ts: reads one snapshot back from the graph as rows, so
 * the analysis decides from exactly what is stored. Neo4j keeps no null
 * properties, so every field a node lacks comes back as `null` (ROW_FIELDS
 * lists them). One streamed query per row kind; labels and relationship types
 * come from src/model constants, the snapshot id is a parameter.
 */

type Kind = keyof SnapshotRows;

const nodes = (kind: Kind, label: string, where = ''): CypherQuery =>
  cypher(`graphRows.${kind}`, `MATCH (n:${label} {snapshot: $snapshot}) ${where} RETURN properties(n) AS p`);

const NODE_QUERIES: Partial<Record<Kind, CypherQuery>> = {
  accounts: nodes('accounts', Label.Account),
  users: nodes('users', Label.User),
  groups: nodes('groups', Label.Group),
  roles: nodes('roles', Label.Role),
  policies: nodes('policies', Label.Policy),
  statements: nodes('statements', Label.Statement),
  apis: nodes('apis', SharedLabel.Api),
  stages: nodes('stages', Label.Stage),
  apiResources: nodes('apiResources', Label.ApiResource),
  methods: nodes('methods', Label.Method),
  integrations: nodes('integrations', Label.Integration),
  functions: nodes('functions', Label.LambdaFunction),
  vpcEndpoints: nodes('vpcEndpoints', Label.VpcEndpoint),
  externalPrincipals: nodes('externalPrincipals', Label.ExternalPrincipal),
};

const ORG_NODES = cypher(
  'graphRows.orgNodes',
  `MATCH (n:${Label.OrgRoot}|${Label.OrgUnit} {snapshot: $snapshot}) RETURN properties(n) AS p`,
);

const LINK_QUERIES: Partial<Record<Kind, CypherQuery>> = {
  orgParents: cypher(
    'graphRows.orgParents',
    `MATCH (a:${Label.Account}|${Label.OrgUnit} {snapshot: $snapshot})-[:${Rel.CHILD_OF}]->(b) RETURN a.key AS from, b.key AS to`,
  ),
  orgPolicyTargets: cypher(
    'graphRows.orgPolicyTargets',
    `MATCH (p:${Label.Policy} {snapshot: $snapshot})-[:${Rel.ATTACHED_TO}]->(t) RETURN p.key AS from, t.key AS to`,
  ),
  memberships: cypher(
    'graphRows.memberships',
    `MATCH (u:${Label.User} {snapshot: $snapshot})-[:${Rel.MEMBER_OF}]->(g:${Label.Group}) RETURN u.key AS from, g.key AS to`,
  ),
  policyAttachments: cypher(
    'graphRows.policyAttachments',
    `MATCH (o:${Label.User}|${Label.Group}|${Label.Role} {snapshot: $snapshot})-[r:${Rel.HAS_POLICY}]->(p:${Label.Policy})
     RETURN o.key AS from, p.key AS to, r.attachment AS attachment,
            CASE WHEN o:${Label.User} THEN 'User' WHEN o:${Label.Group} THEN 'Group' ELSE 'Role' END AS ownerLabel`,
  ),
  boundaries: cypher(
    'graphRows.boundaries',
    `MATCH (o:${Label.User}|${Label.Role} {snapshot: $snapshot})-[:${Rel.HAS_BOUNDARY}]->(p:${Label.Policy})
     RETURN o.key AS from, p.key AS to, CASE WHEN o:${Label.User} THEN 'User' ELSE 'Role' END AS ownerLabel`,
  ),
  trustPolicies: cypher(
    'graphRows.trustPolicies',
    `MATCH (r:${Label.Role} {snapshot: $snapshot})-[:${Rel.HAS_TRUST_POLICY}]->(p:${Label.Policy}) RETURN r.key AS from, p.key AS to`,
  ),
  resourcePolicies: cypher(
    'graphRows.resourcePolicies',
    `MATCH (o:${SharedLabel.Api}|${Label.LambdaFunction} {snapshot: $snapshot})-[:${Rel.HAS_RESOURCE_POLICY}]->(p:${Label.Policy})
     RETURN o.key AS from, p.key AS to, CASE WHEN o:${Label.LambdaFunction} THEN 'LambdaFunction' ELSE 'Api' END AS ownerLabel`,
  ),
  endpointPolicies: cypher(
    'graphRows.endpointPolicies',
    `MATCH (e:${Label.VpcEndpoint} {snapshot: $snapshot})-[:${Rel.HAS_ENDPOINT_POLICY}]->(p:${Label.Policy}) RETURN e.key AS from, p.key AS to`,
  ),
  canAssume: cypher(
    'graphRows.canAssume',
    `MATCH (role:${Label.Role} {snapshot: $snapshot})<-[r:${Rel.CAN_ASSUME}]-(a)
     RETURN r.from AS from, a.key AS fromKey,
            CASE WHEN a:${Label.User} THEN 'User' WHEN a:${Label.Role} THEN 'Role' WHEN a:${Label.Account} THEN 'Account'
                 WHEN a:${Label.ServicePrincipal} THEN 'ServicePrincipal' ELSE 'ExternalPrincipal' END AS fromLabel,
            role.key AS to, r.decision AS decision, r.trustPolicy AS trustPolicy, r.trustStatement AS trustStatement,
            r.identityPolicy AS identityPolicy, r.identityStatement AS identityStatement, r.conditions AS conditions, r.keys AS keys`,
  ),
};

/** Every field of the row kind, `null` where the node has no such property. */
function toRow(kind: Kind, props: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of Object.keys(ROW_FIELDS[kind])) row[field] = props[field] ?? null;
  return row;
}

/**
 * Reads every row of a snapshot (complete or not: the caller checks the
 * state). A few kinds are read at once: Neo4j serves them in parallel while
 * this process turns records into rows.
 */
export async function readSnapshotRowsFromGraph(
  graph: Graph,
  snapshot: string,
  options: { timeoutMs?: number; onKind?: (kind: string) => void; parallel?: number } = {},
): Promise<SnapshotRows> {
  const tx = { timeoutMs: options.timeoutMs ?? 600_000, metadata: { snapshot } };
  const rows: Record<string, unknown[]> = {};
  const readKind = async (kind: Kind): Promise<void> => {
    options.onKind?.(kind);
    const nodeQuery = kind === 'orgNodes' ? ORG_NODES : NODE_QUERIES[kind];
    if (nodeQuery) {
      const found = await graph.readAll<{ p: Record<string, unknown> }>(nodeQuery, { snapshot }, tx);
      rows[kind] = found.map((r) => toRow(kind, r.p));
      return;
    }
    const linkQuery = LINK_QUERIES[kind];
    if (!linkQuery) throw new Error(`no graph query for row kind ${kind}`);
    const found = await graph.readAll<Record<string, unknown>>(linkQuery, { snapshot }, tx);
    rows[kind] = found.map((r) => toRow(kind, r));
  };
  // The largest kinds first, so the parallel reads end together.
  const kinds = (Object.keys(ROW_FIELDS) as Kind[]).sort((a, b) => (LARGEST.indexOf(b) + 1 || 0) - (LARGEST.indexOf(a) + 1 || 0));
  const queue = [...kinds];
  await Promise.all(
    Array.from({ length: Math.max(1, options.parallel ?? 3) }, async () => {
      for (let kind = queue.shift(); kind !== undefined; kind = queue.shift()) await readKind(kind);
    }),
  );
  return rows as unknown as SnapshotRows;
}

/** Row kinds that are usually the largest, largest last (see readSnapshotRowsFromGraph). */
const LARGEST: readonly Kind[] = [
  'functions',
  'integrations',
  'apiResources',
  'methods',
  'policyAttachments',
  'policies',
  'statements',
  'canAssume',
];
