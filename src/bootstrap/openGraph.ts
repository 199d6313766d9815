import type { Config } from '../config';
import { connectGraph, type Graph } from '../db';
import type { Logger } from '../logging';
import { GraphUnavailableError } from '../errors';
import { localNeo4jPassword, localPasswordFile, startLocalNeo4j } from '../localNeo4j';

export interface OpenedGraph {
  graph: Graph;
  /** Set when this call started the local Neo4j (it was not running before). */
  startedLocal: boolean;
  uri: string;
}

/**
 * Connects to the configured Neo4j. Without NEO4J_URI, whocan uses the local
 * launcher in tools/neo4j: started here when `startLocal` is set (as
 * `whocan db start` would), otherwise expected to be running already; its
 * password is NEO4J_PASSWORD or else the installation's generated one
 * (`<home>/password`).
 */
export async function openGraph(config: Config, logger: Logger, options: { startLocal: boolean }): Promise<OpenedGraph> {
  let uri = config.neo4j.uri;
  let startedLocal = false;
  const local = uri === undefined;
  const password = config.neo4j.password ?? localNeo4jPassword(config.localNeo4j.home);
  if (uri === undefined) {
    if (options.startLocal) {
      const started = await startLocalNeo4j({
        ...config.localNeo4j,
        password,
        onProgress: (message) => logger.info(message),
      });
      uri = started.uri;
      startedLocal = !started.alreadyRunning;
      logger.info(
        { uri, pid: started.pid },
        started.alreadyRunning ? 'using the local Neo4j that was already running' : 'started the local Neo4j',
      );
    } else {
      uri = `bolt://127.0.0.1:${config.localNeo4j.boltPort}`;
    }
  }
  try {
    const graph = await connectGraph({ ...config.neo4j, uri, password, logger });
    return { graph, startedLocal, uri };
  } catch (error) {
    if (local && config.neo4j.password === undefined && isUnauthorized(error)) {
      throw new GraphUnavailableError(
        `The local Neo4j at ${uri} refused this installation's password (${localPasswordFile(config.localNeo4j.home)}). ` +
          'It is probably still running from before whocan generated a password per installation (it used the fixed password whocan-local-dev then). ' +
          'Restart it once, and it takes the new password, keeping its data: `npx whocan db stop && npx whocan db start`.',
        error,
      );
    }
    throw error;
  }
}

function isUnauthorized(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'Neo.ClientError.Security.Unauthorized';
}
