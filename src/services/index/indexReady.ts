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
  const state = await accessIndexState(graph, snapshot, tx);
  return state.state === 'complete' && state.maxHops === (maxHops ?? DEFAULT_MAX_HOPS);
}
