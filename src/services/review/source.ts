import type {
  AccessDecision,
  AccessDiff,
  AccessDiffOptions,
  CallerType,
  CanAnswer,
  ConditionSummary,
  FindingKind,
  FindingsAnswer,
  PathHop,
  WhoCanAnswer,
} from '../../analysis';
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
  can(
    principal: string,
    action: string,
    resource: string,
    options: QuestionOptions & { snapshot: string },
  ): Promise<Pick<CanAnswer, 'principal' | 'principalType' | 'overall'> & { snapshot: string }>;
  findings(options: {
    snapshot: string;
    kinds?: readonly FindingKind[];
  }): Promise<Pick<FindingsAnswer, 'findings' | 'counts'> & { snapshot: string }>;
  /** Who gained and lost access between two snapshots (`onProgress` is called where the source can report progress). */
  accessDiff(
    snapshots: { from?: string | undefined; to?: string | undefined },
    options: AccessDiffOptions,
  ): Promise<Omit<AccessDiff, 'stats'> & { from: string; to: string }>;
  /**
   * The snapshot's access index, when the source can read it and it is
   * complete (indexSource.ts); undefined otherwise. Reviews answer the
   * questions it covers from it, in bulk.
   */
  indexed?(snapshot: string): Promise<IndexedAnswers | undefined>;
}

/** One indexed target (`<action> <resource>`): the answer it shares, and whether it is public. */
export interface IndexedTarget {
  set: string;
  public: boolean;
}

/** One class of callers in an answer, with the decision and hops they all have. */
export interface IndexedEntry {
  cls: string;
  decision: Exclude<AccessDecision, 'denied'>;
  hops: number;
  /** Own conditional grants (hops 0): what they depend on. */
  conditions: ConditionSummary[] | null;
  /** Own partial grants (hops 0): the statement patterns that split the method. */
  patterns: string[] | null;
}

export interface IndexedMember {
  arn: string;
  type: CallerType;
  account: string | null;
  inOrganization: boolean | null;
}

/** A stored CAN_ASSUME relationship out of a caller, as a path hop. */
export interface StoredAssumption {
  to: string;
  hop: PathHop;
}

/** The access index of one snapshot, read in bulk (every method memoises what it read). */
export interface IndexedAnswers {
  /** The role assumptions the index followed: it answers questions asked with exactly this many. */
  readonly maxHops: number;
  /** By target key (`<action> <resource>`); null for a target the index does not hold. */
  targets(keys: readonly string[]): Promise<Map<string, IndexedTarget | null>>;
  /** Every class of callers of one answer, with its decision and hops there. */
  entries(sets: readonly string[]): Promise<Map<string, IndexedEntry[]>>;
  /** The classes that some of these answers list with one of these decisions, each with the most hops it has in them (0 unless `hops`). */
  classesIn(
    sets: readonly string[],
    decisions: readonly string[],
    options: { hops: boolean; onProgress?: (doneSets: number) => void },
  ): Promise<Map<string, number>>;
  /** Every answer that lists one of these classes, with the class's decision and hops there. */
  answersOf(classes: readonly string[]): Promise<Map<string, (IndexedEntry & { set: string })[]>>;
  members(classes: readonly string[]): Promise<Map<string, IndexedMember[]>>;
  assumptionsFrom(arns: readonly string[]): Promise<Map<string, StoredAssumption[]>>;
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
  return {
    ...api,
    stages: [...api.stages].sort(cmp),
    methods: [...api.methods].sort((a, b) => cmp(a.path, b.path) || cmp(a.verb, b.verb)),
  };
}
