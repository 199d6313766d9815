import { accessIndexState, DEFAULT_MAX_HOPS } from '../../analysis';
import type { Graph, TxOptions } from '../../db';

/**
 * Whether a question may be answered from a snapshot's access index: the
 * index is complete, and was built with the question's maxHops. An index
 * built with more hops is not used for a question with fewer: its decision
 * for a principal is the best over chains of up to its own maxHops (and
 * `hops` the shortest), so a shorter limit may give a weaker decision that
 * the index does not hold. Such a question, and one on a snapshot without a
 * complete index, is answered by the per-question analysis.
 */
export async function indexAnswers(graph: Graph, snapshot: string, maxHops: number | undefined, tx: TxOptions = {}): Promise<boolean> {
  return (await indexBuildFor(graph, snapshot, maxHops, tx)) !== undefined;
}

/**
 * The build of the snapshot's index that answers the question (as
 * indexAnswers decides), or undefined. A question reads only this build
 * (`build: $b` on the index nodes it starts from), so a rebuild that
 * completes meanwhile does not mix two builds into one answer.
 */
export async function indexBuildFor(
  graph: Graph,
  snapshot: string,
  maxHops: number | undefined,
  tx: TxOptions = {},
): Promise<string | undefined> {
  const state = await accessIndexState(graph, snapshot, tx);
  return state.state === 'complete' && state.build !== null && state.maxHops === (maxHops ?? DEFAULT_MAX_HOPS) ? state.build : undefined;
}
