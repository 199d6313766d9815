import type { AccessDiff, AccessDiffOptions, CanAnswer, FindingKind, FindingsAnswer, WhoCanAnswer } from '../../analysis';
import type { QuestionOptions } from '../analysis';

/**
 * Where reviews, diffs and path diagrams get their answers: the local
 * database through AnalysisService (LocalAccessSource), or a whocan server
 * over GraphQL (RemoteAccessSource). Both return the answer shapes of
 * src/analysis/answer.ts, so everything built on them gives the same result
 * whichever source answers.
 */
export interface AccessSource {
  /** Where answers come from, for reports: `local database` or the server URL. */
  readonly origin: string;
  /** How many questions are worth asking at once (default 1). */
  readonly concurrency?: number;
  /** The id of the snapshot a question reads: the one given, or the current one. */
  resolveSnapshot(snapshot?: string): Promise<string>;
  /** The APIs of a snapshot, with their stages and methods. */
  apis(snapshot: string): Promise<InventoryApi[]>;
  /** The role ARNs of a snapshot. */
  roles(snapshot: string): Promise<string[]>;
  /** The accounts a snapshot knows, and its organization. */
  accounts(snapshot: string): Promise<AccountInventory>;
  /** The group ARNs a user is a member of (empty for anything that is not an ingested user). */
  groupsOf(principal: string, snapshot: string): Promise<string[]>;
  whoCan(action: string, resource: string, options: QuestionOptions & { snapshot: string }): Promise<WhoCanAnswer & { snapshot: string }>;
  /** "Can this principal do this?", as far as callers here need it (refuses a principal the snapshot does not know). */
  can(principal: string, action: string, resource: string, options: QuestionOptions & { snapshot: string }): Promise<Pick<CanAnswer, 'principal' | 'principalType' | 'overall'> & { snapshot: string }>;
  findings(options: { snapshot: string; kinds?: readonly FindingKind[] }): Promise<Pick<FindingsAnswer, 'findings' | 'counts'> & { snapshot: string }>;
  /** Who gained and lost access between two snapshots (`onProgress` is called where the source can report progress). */
  accessDiff(snapshots: { from?: string | undefined; to?: string | undefined }, options: AccessDiffOptions): Promise<Omit<AccessDiff, 'stats'> & { from: string; to: string }>;
}

export interface InventoryMethod {
  /** GET, POST, …, ANY; `*` for an HTTP API `$default` route. */
  verb: string;
  /** `/pets/{id}`; `*` for `$default`. */
  path: string;
  authorizationType: string;
}

export interface InventoryApi {
  id: string;
  name: string | null;
  kind: 'REST' | 'HTTP';
  account: string;
  region: string;
  /** `arn:aws:execute-api:REGION:ACCOUNT:ID`. */
  executeApiArn: string;
  /** `arn:aws:apigateway:REGION::/restapis/ID` (or `/apis/ID`). */
  managementArn: string;
  stages: string[];
  methods: InventoryMethod[];
}

export interface AccountInventory {
  /** Whether the snapshot has the organization (organization.json): accounts it does not list are outside it. */
  hasOrganization: boolean;
  organizationId: string | null;
  accounts: { id: string; name: string | null; ingested: boolean; inOrganization: boolean }[];
}

/** The template ARN of a method on a stage (`…/prod/GET/pets/{id}`, `…/$default/$default`), as answers name it. */
export function methodTemplateArn(api: InventoryApi, stage: string, method: InventoryMethod): string {
  return method.verb === '*' ? `${api.executeApiArn}/${stage}/$default` : `${api.executeApiArn}/${stage}/${method.verb}${method.path}`;
}

/** `GET /pets/{id}`, or `$default`. */
export function methodLabel(method: InventoryMethod): string {
  return method.verb === '*' ? '$default' : `${method.verb} ${method.path}`;
}

/**
 * An API in the order every source gives it: stages by name, methods by
 * path then verb (as the GraphQL API lists them), so that reports are the
 * same whichever source answered.
 */
export function canonicalApi(api: InventoryApi): InventoryApi {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { ...api, stages: [...api.stages].sort(cmp), methods: [...api.methods].sort((a, b) => cmp(a.path, b.path) || cmp(a.verb, b.verb)) };
}
