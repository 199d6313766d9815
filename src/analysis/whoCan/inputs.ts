/**
 * What every stage of the who-can pipeline reads: the analysis' inputs for
 * one snapshot and the question's options.
 */
import type { AccessModel } from '../accessModel';
import type { AssumeGraph } from '../assumeGraph';
import type { CandidateIndex } from '../candidates';
import type { RequestContextValues } from '../decide';

export interface WhoCanOptions {
  context?: RequestContextValues;
  /** Role assumptions to follow (default 5). */
  maxHops?: number;
  /** Include account root users (left out by default: they can do everything in their own account unless an SCP says otherwise). */
  includeRoot?: boolean;
  /** Also list candidates that are denied (a grant exists, but a deny, boundary, SCP or the resource side stops it). */
  includeDenied?: boolean;
  /** Paths per principal (default 10). */
  maxPaths?: number;
}

/** Role assumptions followed when the question does not say. */
export const DEFAULT_MAX_HOPS = 5;
/** Paths listed per principal when the question does not say. */
export const DEFAULT_MAX_PATHS = 10;

/** One snapshot's data as the analysis reads it: the policies, the candidate indexes and the role graph. */
export interface AnalysisInputs {
  model: AccessModel;
  candidates: CandidateIndex;
  assumeGraph: AssumeGraph;
}

/** What deciding callers on a target itself needs (no role graph): the access index decides in worker threads with it. */
export type DecisionInputs = Pick<AnalysisInputs, 'model' | 'candidates'>;
