import { cypher, type Graph, type TxOptions } from '../../db';
import { Label, Rel, SharedLabel } from '../../model';
import { principalAccountOf } from '../../policy';
import { fromOtherAccount, sortRows, summaryTotals, type AccessSummary, type AccessSummaryRow } from '../dashboard/accessSummary';
import { outsideReason } from '../review';
import type { AccountInventory } from '../review/source';
import { indexBuildFor } from './indexReady';
import { classMembers } from './storedIndex';

/**
 * The console's access summary (src/services/dashboard/accessSummary.ts)
 * read from the snapshot's access index instead of asking who can invoke
 * every method on every stage: the same rows, counted by the same rules
 * (every caller the answers list, `anonymous` included; other accounts and
 * accounts outside the organization as the summary counts them), from the
 * stored answers of the methods (`AccessTarget`s of execute-api:Invoke and
 * the accessors of their sets). Undefined when the snapshot has no complete
 * index built with the default maxHops (the summary's questions use it).
 */
const STAGES = cypher(
  'index.summary.stages',
  `MATCH (a:${SharedLabel.Api} {snapshot: $s})-[:${Rel.HAS_STAGE}]->(st:${Label.Stage})
   RETURN a.key AS apiKey, a.id AS apiId, a.name AS apiName, a.kind AS apiType, a.account AS accountId, a.endpointType AS endpointType, st.name AS stage
   LIMIT toInteger($limit)`,
);

const METHODS = cypher(
  'index.summary.methods',
  `MATCH (t:${Label.AccessTarget} {snapshot: $s, build: $b, action: 'execute-api:Invoke'})
   WITH t.apiKey AS apiKey, t.stage AS stage, count(t) AS methods, sum(CASE WHEN t.public THEN 1 ELSE 0 END) AS publicMethods,
        collect(DISTINCT t) AS targets
   UNWIND targets AS t
   OPTIONAL MATCH (t)-[:${Rel.ANSWERED_BY}]->(:${Label.AccessSet})<-[:${Rel.HAS_ACCESS}]-(c:${Label.AccessClass})
   RETURN apiKey, stage, methods, publicMethods, collect(DISTINCT c.key) AS classes
   LIMIT toInteger($limit)`,
);

const ACCOUNTS = cypher(
  'index.summary.accounts',
  `MATCH (a:${Label.Account} {snapshot: $s})
   RETURN a.id AS id, a.name AS name, a.ingested AS ingested, a.inOrganization AS inOrganization, a.organizationId AS organizationId
   LIMIT toInteger($limit)`,
);

/** Rows a summary query may return (stages, accounts); more and the analysis answers. */
const CAP = 100_000;

export async function accessSummaryFromIndex(graph: Graph, snapshot: string, tx: TxOptions = {}): Promise<AccessSummary | undefined> {
  const started = performance.now();
  const build = await indexBuildFor(graph, snapshot, undefined, tx);
  if (build === undefined) return undefined;
  const stages = await graph.read<{
    apiKey: string;
    apiId: string;
    apiName: string | null;
    apiType: 'REST' | 'HTTP';
    accountId: string;
    endpointType: string;
    stage: string;
  }>(STAGES, { s: snapshot, limit: CAP + 1 }, tx);
  const methods = await graph.read<{ apiKey: string; stage: string; methods: number; publicMethods: number; classes: string[] }>(
    METHODS,
    { s: snapshot, b: build, limit: CAP + 1 },
    tx,
  );
  const accounts = await graph.read<{
    id: string;
    name: string | null;
    ingested: boolean;
    inOrganization: boolean;
    organizationId: string | null;
  }>(ACCOUNTS, { s: snapshot, limit: CAP + 1 }, tx);
  if (stages.length > CAP || methods.length > CAP || accounts.length > CAP) return undefined;
  const inventory: AccountInventory = {
    hasOrganization: accounts.some((a) => a.inOrganization),
    organizationId: accounts.find((a) => a.inOrganization)?.organizationId ?? null,
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, ingested: a.ingested, inOrganization: a.inOrganization })),
  };
  const byStage = new Map(methods.map((m) => [`${m.apiKey}\u0000${m.stage}`, m]));
  const members = await classMembers(graph, snapshot, build, new Set(methods.flatMap((m) => m.classes)));

  const rows: AccessSummaryRow[] = [];
  const everyone = new Set<string>();
  const fromOther = new Set<string>();
  const outsideAll = new Set<string>();
  for (const st of stages) {
    const m = byStage.get(`${st.apiKey}\u0000${st.stage}`);
    const principals = new Set<string>();
    const others = new Set<string>();
    const outside = new Set<string>();
    for (const cls of m?.classes ?? []) {
      for (const p of members.get(cls) ?? []) {
        principals.add(p.arn);
        if (fromOtherAccount(p.arn, p.type, st.accountId)) others.add(p.arn);
        const account = principalAccountOf(p.arn);
        if (account !== undefined && outsideReason(p, inventory) !== undefined) outside.add(account);
      }
    }
    for (const arn of principals) everyone.add(arn);
    for (const arn of others) fromOther.add(arn);
    for (const account of outside) outsideAll.add(account);
    rows.push({
      accountId: st.accountId,
      apiId: st.apiId,
      apiName: st.apiName,
      apiType: st.apiType,
      stage: st.stage,
      endpointType: st.endpointType,
      methods: m?.methods ?? 0,
      publicMethods: m?.publicMethods ?? 0,
      principalsWithAccess: principals.size,
      principalsFromOtherAccounts: others.size,
      outsideOrganizationAccounts: [...outside].sort(),
    });
  }
  const questions = rows.reduce((n, r) => n + r.methods, 0);
  return {
    rows: sortRows(rows),
    totals: summaryTotals(rows, everyone, fromOther, outsideAll),
    stats: { questions, ms: Math.round(performance.now() - started) },
  };
}
