import { cypher, type CypherQuery } from '../../db';
import { Label, Rel, schema, SharedLabel } from '../../model';
import { METHOD_NOT_BROWSED, STATEMENT_NOT_BROWSED } from './records';

/**
 * Every Cypher statement of the browsing queries: one named constant each,
 * values only as `$parameters`, labels and relationship types only from
 * src/model. Batched statements take `$keys` (UNWIND) and return `key` with
 * each row, so one statement serves a whole list of parents (DataLoader).
 * Projections name every property the node declarations (src/model/schema)
 * list: Neo4j stores no nulls, so an absent one comes back as null.
 */

/**
 * A map projection of the declared properties of `nodes` (those of any of
 * them), but `omit`, with `snapshot`; a flag every kind declares non-null
 * reads false when absent. `extra` adds computed fields.
 */
function projection<S extends schema.NodeSchema>(
  nodes: readonly S[],
  omit: readonly (keyof S['properties'])[] = [],
  extra: Record<string, (v: string) => string> = {},
): (v: string) => string {
  const names = [...new Set(nodes.flatMap((node) => Object.keys(node.properties)))].filter((name) => !omit.includes(name));
  return (v) => {
    const fields = names.map((name) => {
      const flag = nodes.every((node) => node.properties[name]?.type === 'boolean' && !node.properties[name].nullable);
      return flag ? `${name}: coalesce(${v}.${name}, false)` : `.${name}`;
    });
    fields.splice(1, 0, '.snapshot');
    return `${v} {${[...fields, ...Object.entries(extra).map(([name, value]) => `${name}: ${value(v)}`)].join(', ')}}`;
  };
}

const PRINCIPAL = projection<schema.NodeSchema>([schema.user, schema.role], [], {
  kind: (v) => `CASE WHEN ${v}:${Label.User} THEN 'user' ELSE 'role' END`,
});
const GROUP = projection([schema.group]);
const POLICY = projection([schema.policy]);
const STATEMENT = projection([schema.statement], STATEMENT_NOT_BROWSED);
const API = projection([schema.api], ['kind'], { kind: (v) => `CASE WHEN ${v}:${Label.RestApi} THEN 'REST' ELSE 'HTTP' END` });
const STAGE = projection([schema.stage]);
const METHOD = projection([schema.method], METHOD_NOT_BROWSED);
const INTEGRATION = projection([schema.integration]);
const FUNCTION = projection([schema.lambdaFunction]);

/** Owners of identity policies and of permissions boundaries. */
export type PolicyOwnerLabel = typeof Label.User | typeof Label.Group | typeof Label.Role;
export type BoundaryOwnerLabel = typeof Label.User | typeof Label.Role;
export type ApiLabel = typeof Label.RestApi | typeof Label.HttpApi;
export type ResourcePolicyOwnerLabel = ApiLabel | typeof Label.LambdaFunction;

function perLabel<L extends string>(labels: readonly L[], make: (label: L) => CypherQuery): Record<L, CypherQuery> {
  return Object.fromEntries(labels.map((label) => [label, make(label)])) as Record<L, CypherQuery>;
}

// ------------------------------------------------------------- principals

export const PRINCIPAL_BY_ARN = cypher(
  'browse.principalByArn',
  `MATCH (p:${SharedLabel.Principal} {snapshot: $snapshot, arn: $arn})
   RETURN ${PRINCIPAL('p')} AS node`,
);

const PRINCIPAL_FILTER = `
  ($account IS NULL OR p.account = $account)
  AND ($kind IS NULL OR ($kind = 'user' AND p:${Label.User}) OR ($kind = 'role' AND p:${Label.Role}))
  AND ($nameContains IS NULL OR toLower(p.name) CONTAINS toLower($nameContains))`;

/** Principals ordered by ARN, after `$after`, at most `$limit`. */
export const PRINCIPALS_PAGE = cypher(
  'browse.principalsPage',
  `MATCH (p:${SharedLabel.Principal} {snapshot: $snapshot})
   WHERE ${PRINCIPAL_FILTER} AND ($after IS NULL OR p.arn > $after)
   RETURN ${PRINCIPAL('p')} AS node, p.arn AS sortKey
   ORDER BY p.arn LIMIT toInteger($limit)`,
);

export const PRINCIPALS_COUNT = cypher(
  'browse.principalsCount',
  `MATCH (p:${SharedLabel.Principal} {snapshot: $snapshot})
   WHERE ${PRINCIPAL_FILTER}
   RETURN count(p) AS total`,
);

export const ROLES_BY_ARN = cypher(
  'browse.rolesByArn',
  `UNWIND $keys AS key
   MATCH (p:${Label.Role} {snapshot: $snapshot, key: key})
   RETURN key, ${PRINCIPAL('p')} AS node`,
);

export const GROUPS_OF_USERS = cypher(
  'browse.groupsOfUsers',
  `UNWIND $keys AS key
   MATCH (:${Label.User} {snapshot: $snapshot, key: key})-[:${Rel.MEMBER_OF}]->(g:${Label.Group})
   RETURN key, ${GROUP('g')} AS node
   ORDER BY g.name, g.key`,
);

// ------------------------------------------------------------- policies

export const POLICIES_OF: Record<PolicyOwnerLabel, CypherQuery> = perLabel([Label.User, Label.Group, Label.Role] as const, (label) =>
  cypher(
    `browse.policiesOf.${label}`,
    `UNWIND $keys AS key
     MATCH (:${label} {snapshot: $snapshot, key: key})-[:${Rel.HAS_POLICY}]->(p:${Label.Policy})
     RETURN key, ${POLICY('p')} AS node
     ORDER BY p.kind DESC, p.name, p.key`,
  ),
);

export const BOUNDARY_OF: Record<BoundaryOwnerLabel, CypherQuery> = perLabel([Label.User, Label.Role] as const, (label) =>
  cypher(
    `browse.boundaryOf.${label}`,
    `UNWIND $keys AS key
     MATCH (:${label} {snapshot: $snapshot, key: key})-[:${Rel.HAS_BOUNDARY}]->(p:${Label.Policy})
     RETURN key, ${POLICY('p')} AS node`,
  ),
);

export const TRUST_POLICY_OF_ROLES = cypher(
  'browse.trustPolicyOfRoles',
  `UNWIND $keys AS key
   MATCH (:${Label.Role} {snapshot: $snapshot, key: key})-[:${Rel.HAS_TRUST_POLICY}]->(p:${Label.Policy})
   RETURN key, ${POLICY('p')} AS node`,
);

export const RESOURCE_POLICY_OF: Record<ResourcePolicyOwnerLabel, CypherQuery> = perLabel(
  [Label.RestApi, Label.HttpApi, Label.LambdaFunction] as const,
  (label) =>
    cypher(
      `browse.resourcePolicyOf.${label}`,
      `UNWIND $keys AS key
     MATCH (:${label} {snapshot: $snapshot, key: key})-[:${Rel.HAS_RESOURCE_POLICY}]->(p:${Label.Policy})
     RETURN key, ${POLICY('p')} AS node`,
    ),
);

export const STATEMENTS_OF_POLICIES = cypher(
  'browse.statementsOfPolicies',
  `UNWIND $keys AS key
   MATCH (st:${Label.Statement} {snapshot: $snapshot, policyKey: key})
   RETURN key, ${STATEMENT('st')} AS node
   ORDER BY st.index`,
);

// ------------------------------------------------------------- APIs

export const APIS_PAGE: Record<ApiLabel, CypherQuery> = perLabel([Label.RestApi, Label.HttpApi] as const, (label) =>
  cypher(
    `browse.apisPage.${label}`,
    `MATCH (a:${label} {snapshot: $snapshot})
     WHERE $after IS NULL OR a.key > $after
     RETURN ${API('a')} AS node, a.key AS sortKey
     ORDER BY a.key LIMIT toInteger($limit)`,
  ),
);

export const APIS_COUNT: Record<ApiLabel, CypherQuery> = perLabel([Label.RestApi, Label.HttpApi] as const, (label) =>
  cypher(`browse.apisCount.${label}`, `MATCH (a:${label} {snapshot: $snapshot}) RETURN count(a) AS total`),
);

/** APIs (either kind) with this id, ordered by key. */
export const APIS_BY_ID = cypher(
  'browse.apisById',
  `MATCH (a:${SharedLabel.Api} {snapshot: $snapshot, id: $id})
   RETURN ${API('a')} AS node
   ORDER BY a.key`,
);

export const APIS_BY_KEY: Record<ApiLabel, CypherQuery> = perLabel([Label.RestApi, Label.HttpApi] as const, (label) =>
  cypher(
    `browse.apisByKey.${label}`,
    `UNWIND $keys AS key
     MATCH (a:${label} {snapshot: $snapshot, key: key})
     RETURN key, ${API('a')} AS node`,
  ),
);

export const STAGES_OF: Record<ApiLabel, CypherQuery> = perLabel([Label.RestApi, Label.HttpApi] as const, (label) =>
  cypher(
    `browse.stagesOf.${label}`,
    `UNWIND $keys AS key
     MATCH (:${label} {snapshot: $snapshot, key: key})-[:${Rel.HAS_STAGE}]->(s:${Label.Stage})
     RETURN key, ${STAGE('s')} AS node
     ORDER BY s.name`,
  ),
);

/**
 * A page of methods for each API in `$keys`, ordered by path then verb
 * (`/pets GET` < `/pets POST` < `/pets/{id} GET`).
 */
export const METHODS_PAGE = cypher(
  'browse.methodsPage',
  `UNWIND $keys AS key
   CALL (key) {
     MATCH (m:${Label.Method} {snapshot: $snapshot, apiKey: key})
     WITH m, m.path + ' ' + m.verb AS sortKey
     WHERE $after IS NULL OR sortKey > $after
     RETURN m, sortKey
     ORDER BY sortKey LIMIT toInteger($limit)
   }
   RETURN key, ${METHOD('m')} AS node, sortKey`,
);

export const METHODS_COUNT = cypher(
  'browse.methodsCount',
  `UNWIND $keys AS key
   OPTIONAL MATCH (m:${Label.Method} {snapshot: $snapshot, apiKey: key})
   RETURN key, count(m) AS total`,
);

/** Every method of one API (for method(arn), which routes a request path to its method). */
export const METHODS_OF_API = cypher(
  'browse.methodsOfApi',
  `MATCH (m:${Label.Method} {snapshot: $snapshot, apiKey: $apiKey})
   RETURN ${METHOD('m')} AS node`,
);

/** The paths of a REST API's resources, methods or not (API Gateway routes to the most specific resource). */
export const RESOURCE_PATHS_OF_API = cypher(
  'browse.resourcePathsOfApi',
  `MATCH (:${Label.RestApi} {snapshot: $snapshot, key: $apiKey})-[:${Rel.HAS_RESOURCE}]->(r:${Label.ApiResource})
   RETURN r.path AS path`,
);

export const INTEGRATIONS_OF_METHODS = cypher(
  'browse.integrationsOfMethods',
  `UNWIND $keys AS key
   MATCH (:${Label.Method} {snapshot: $snapshot, key: key})-[:${Rel.INTEGRATES_WITH}]->(i:${Label.Integration})
   RETURN key, ${INTEGRATION('i')} AS node`,
);

export const FUNCTIONS_BY_ARN = cypher(
  'browse.functionsByArn',
  `UNWIND $keys AS key
   MATCH (f:${Label.LambdaFunction} {snapshot: $snapshot, key: key})
   RETURN key, ${FUNCTION('f')} AS node`,
);
