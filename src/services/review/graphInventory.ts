/** The snapshot's APIs, stages, methods, roles and accounts as a review lists them, read from the stored rows instead of the analysis (IndexAccessSource, indexSource.ts). */
import { cypher } from '../../db';
import { Label, SharedLabel } from '../../model';
import type { BoundReads } from './boundReads';
import { canonicalApi, type AccountInventory, type InventoryApi } from './source';

export interface GraphInventory {
  apis: InventoryApi[];
  roles: string[];
  accounts: AccountInventory;
}

const INVENTORY_APIS = cypher(
  'review.inventory.apis',
  `MATCH (a:${SharedLabel.Api} {snapshot: $s})
   RETURN a.key AS key, a.id AS id, a.name AS name, a.kind AS kind, a.account AS account, a.region AS region, a.executeApiArn AS executeApiArn`,
);
const INVENTORY_STAGES = cypher(
  'review.inventory.stages',
  `MATCH (n:${Label.Stage} {snapshot: $s}) RETURN n.apiKey AS apiKey, n.name AS name`,
);
const INVENTORY_METHODS = cypher(
  'review.inventory.methods',
  `MATCH (n:${Label.Method} {snapshot: $s}) RETURN n.apiKey AS apiKey, n.verb AS verb, n.path AS path, n.authorizationType AS authorizationType`,
);
const INVENTORY_ROLES = cypher('review.inventory.roles', `MATCH (n:${Label.Role} {snapshot: $s}) RETURN n.arn AS arn`);
const INVENTORY_ACCOUNTS = cypher(
  'review.inventory.accounts',
  `MATCH (n:${Label.Account} {snapshot: $s}) RETURN n.id AS id, n.name AS name, n.ingested AS ingested, n.inOrganization AS inOrganization, n.organizationId AS organizationId`,
);

/** The same inventory LocalAccessSource gives, from the stored rows the analysis would be built from. */
export async function readInventory(graph: BoundReads, snapshot: string): Promise<GraphInventory> {
  const params = { s: snapshot };
  const apiRows = await graph.readAll<{
    key: string;
    id: string;
    name: string | null;
    kind: string;
    account: string;
    region: string;
    executeApiArn: string;
  }>(INVENTORY_APIS, params);
  const byKey = new Map<string, InventoryApi>();
  for (const a of apiRows) {
    byKey.set(a.key, {
      id: a.id,
      name: a.name ?? null,
      kind: a.kind === 'HTTP' ? 'HTTP' : 'REST',
      account: a.account,
      region: a.region,
      executeApiArn: a.executeApiArn,
      managementArn: `arn:aws:apigateway:${a.region}::/${a.kind === 'HTTP' ? 'apis' : 'restapis'}/${a.id}`,
      stages: [],
      methods: [],
    });
  }
  for (const s of await graph.readAll<{ apiKey: string; name: string }>(INVENTORY_STAGES, params)) byKey.get(s.apiKey)?.stages.push(s.name);
  for (const m of await graph.readAll<{ apiKey: string; verb: string; path: string; authorizationType: string }>(
    INVENTORY_METHODS,
    params,
  )) {
    byKey.get(m.apiKey)?.methods.push({ verb: m.verb, path: m.path, authorizationType: m.authorizationType });
  }
  const apis = [...byKey.values()].map(canonicalApi).sort((a, b) => a.executeApiArn.localeCompare(b.executeApiArn));
  const roles = (await graph.readAll<{ arn: string }>(INVENTORY_ROLES, params)).map((r) => r.arn).sort();
  const accountRows = (
    await graph.readAll<{
      id: string;
      name: string | null;
      ingested: boolean | null;
      inOrganization: boolean | null;
      organizationId: string | null;
    }>(INVENTORY_ACCOUNTS, params)
  ).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const accounts = accountRows.map((a) => ({
    id: a.id,
    name: a.name ?? null,
    ingested: a.ingested === true,
    inOrganization: a.inOrganization === true,
  }));
  return {
    apis,
    roles,
    accounts: {
      hasOrganization: accounts.some((a) => a.inOrganization),
      organizationId: accountRows.find((a) => a.inOrganization === true)?.organizationId ?? null,
      accounts,
    },
  };
}
