import type { Config } from '../config';
import { connectGraph, type Graph } from '../db';
import type { Logger } from '../logging';
import { startLocalNeo4j } from '../localNeo4j';

export interface OpenedGraph {
  graph: Graph;
  /** Set when this call started the local Neo4j (it was not running before). */
  startedLocal: boolean;
  uri: string;
}

/**
 * Connects to the configured Neo4j. Without NEO4J_URI, whocan uses the local
 * launcher in tools/neo4j: started here when `startLocal` is set (as
 * `whocan db start` would), otherwise expected to be running already.
 */
export async function openGraph(config: Config, logger: Logger, options: { startLocal: boolean }): Promise<OpenedGraph> {
  let uri = config.neo4j.uri;
  let startedLocal = false;
  if (uri === undefined) {
    if (options.startLocal) {
      const local = await startLocalNeo4j({
        ...config.localNeo4j,
        password: config.neo4j.password,
        onProgress: (message) => logger.info(message),
      });
      uri = local.uri;
      startedLocal = !local.alreadyRunning;
      logger.info({ uri, pid: local.pid }, local.alreadyRunning ? 'using the local Neo4j that was already running' : 'started the local Neo4j');
    } else {
      uri = `bolt://127.0.0.1:${config.localNeo4j.boltPort}`;
    }
  }
  const graph = await connectGraph({ ...config.neo4j, uri, logger });
  return { graph, startedLocal, uri };
}
