import { loggerFor } from '../bootstrap/logger';
import { openGraph } from '../bootstrap/openGraph';
import { loadConfig, type Config } from '../config';
import type { Graph } from '../db';
import type { Logger } from '../logging';

export interface GraphSession {
  graph: Graph;
  config: Config;
  logger: Logger;
}

/**
 * Runs a command body with a connected graph and always closes the driver.
 * Without NEO4J_URI the local Neo4j is started if needed (as `whocan db start`).
 */
export async function withGraph<T>(body: (session: GraphSession) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = loggerFor(config);
  const { graph } = await openGraph(config, logger, { startLocal: true });
  try {
    return await body({ graph, config, logger });
  } finally {
    await graph.close();
    logger.flush();
  }
}
