import type { CypherQuery, Graph, Params, TxOptions } from '../../db';

/** The graph's reads with the source's transaction options (a request's deadline) given to each. */
export interface BoundReads {
  read: <T extends RowShape>(query: CypherQuery, params: Params) => Promise<T[]>;
  readAll: <T extends RowShape>(query: CypherQuery, params: Params) => Promise<T[]>;
}

/** The row type Graph.read accepts (the driver's record shape). */
type RowShape = Awaited<ReturnType<Graph['read']>>[number];

export function boundReads(graph: Graph, tx: () => TxOptions): BoundReads {
  return {
    read: (query, params) => graph.read(query, params, tx()),
    readAll: (query, params) => graph.readAll(query, params, tx()),
  };
}
