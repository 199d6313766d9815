/** What the access index is made of (index.ts says how it is built): targets, answers and their entries, accessors, the plan, and the rows written to the graph. */
import type { AccessDecision, ConditionSummary } from '../answer';
import { type CallerType } from '../decide';
import { Level } from '../levels';
import { type Target } from '../targets';
import { StatementCatalog } from './statementCatalog';

export const INDEXED_MANAGEMENT_ACTIONS = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'] as const;
export const INDEXED_METHOD_ACTIONS = ['execute-api:Invoke', 'execute-api:InvalidateCache'] as const;

export type IndexTargetKind = 'method' | 'api' | 'role' | 'function';

export interface IndexTarget {
  /** `<action> <resource>`: unique within the snapshot. */
  key: string;
  action: string;
  /** The method template ARN, the API's management ARN, the role or function ARN. */
  resource: string;
  kind: IndexTargetKind;
  /** The account the resource belongs to. */
  account: string;
  apiKey: string | null;
  apiId: string | null;
  apiName: string | null;
  apiType: 'REST' | 'HTTP' | null;
  endpointType: string | null;
  stage: string | null;
  methodKey: string | null;
  /** GET, …, ANY, `$default`. */
  verb: string | null;
  path: string | null;
  authorizationType: string | null;
  /** Open to anonymous callers from the internet (authorization NONE, not private, and the resource policy may allow them). */
  public: boolean;
  /** The answer it shares. */
  set: number;
}

export interface IndexEntry {
  /** The caller's ARN (as answers name it). */
  arn: string;
  decision: Exclude<AccessDecision, 'denied'>;
  hops: number;
  /** The fewest assumptions that give the best decision (hops gives the first access, perhaps a weaker one). */
  bestHops: number;
  /** The caller's own grant on the target (0 assumptions), which may be weaker than its best decision; null without one. */
  direct: Exclude<AccessDecision, 'denied'> | null;
  /** Own grants that hold only under conditions: what they depend on, as answers show it. */
  conditions: ConditionSummary[] | null;
  /** The engine's formula for the own grant (policy/logic/truth.ts TruthJson), for conditional grants decided on one request. */
  formula: unknown;
  /** Partial own grants: the statement patterns that split the method. */
  patterns: string[] | null;
}

export interface IndexAccessor {
  arn: string;
  type: CallerType;
  account: string | null;
  /** The caller's account is a member of the snapshot's organization (null: no organization in the snapshot, or no account). */
  inOrganization: boolean | null;
}

export interface AccessIndex {
  maxHops: number;
  targets: IndexTarget[];
  /** Answers, by set id (index in the array): their entries, sorted by ARN. */
  sets: IndexEntry[][];
  accessors: Map<string, IndexAccessor>;
  /**
   * `decided`: targets decided (the others `shared` a decided target's answer); `decisions`: engine
   * decisions made on them, `reusedDecisions`: decisions reused from another target (DecisionMemo).
   */
  stats: {
    targets: number;
    sets: number;
    decided: number;
    shared: number;
    entries: number;
    decisions: number;
    reusedDecisions: number;
    threads: number;
    ms: number;
  };
}

export interface IndexProgress {
  done: number;
  total: number;
  step: string;
}

export interface IndexOptions {
  maxHops?: number;
  onProgress?: (progress: IndexProgress) => void;
}

/**
 * A caller decided on a target itself (0 assumptions), as plain data: what
 * the index keeps of a grant. It crosses threads (threads.ts).
 */
export interface GrantSummary {
  arn: string;
  level: Level;
  conditions: ConditionSummary[];
  /** The engine's formula for a conditional grant (TruthJson), when it has one. */
  formula: unknown;
  /** The statement patterns that split a partially allowed method. */
  patterns: string[] | null;
}

/**
 * What the build does, decided before any caller is: every target in a
 * stable order, and for each the job (the first target of its class, see
 * StatementCatalog) whose decisions it shares; role assumptions are walked
 * on the role graph instead (job -1).
 */
export interface IndexPlan {
  specs: TargetSpec[];
  /** How the snapshot's patterns match each target (memo keys of DecisionMemo). */
  catalog: StatementCatalog;
  /** The job of each spec, or -1 (sts:AssumeRole). */
  jobOf: Int32Array;
  /** Spec index of each job's target. */
  jobs: number[];
}

export interface TargetSpec {
  kind: IndexTargetKind;
  action: string;
  target(): Target;
  describe(entries: readonly IndexEntry[], set: number): IndexTarget;
}

/** The index as rows for the graph (store.ts writes them). */
export interface AccessIndexRows {
  accessors: { key: string; arn: string; type: CallerType; account: string | null; inOrganization: boolean | null; accessClass: string }[];
  classes: { key: string; size: number }[];
  sets: { key: string; principals: number; action: string }[];
  targets: (Omit<IndexTarget, 'set'> & { accessSet: string })[];
  access: {
    from: string;
    to: string;
    decision: IndexEntry['decision'];
    hops: number;
    bestHops: number;
    direct: IndexEntry['direct'];
    conditions: string | null;
    formula: string | null;
    patterns: string[] | null;
  }[];
}
