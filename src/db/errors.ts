import { Neo4jError } from 'neo4j-driver';
import { AppError, GraphError, GraphUnavailableError, TimeoutError } from '../errors';

/**
 * Maps what the Neo4j driver throws to the project's own error classes, so
 * callers never see driver internals. Codes: https://neo4j.com/docs/status-codes/current/
 */
export function mapNeo4jError(error: unknown, what: string, target: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Neo4jError) {
    const code = error.code ?? '';
    if (code === 'ServiceUnavailable' || code === 'SessionExpired' || code.startsWith('Neo.TransientError.General.DatabaseUnavailable')) {
      return new GraphUnavailableError(
        `Neo4j at ${target} is not reachable (${firstLine(error.message)}). Start it with \`whocan db start\`, or point NEO4J_URI at a running Neo4j.`,
        error,
      );
    }
    if (error.message.startsWith('Connection acquisition timed out')) {
      return new GraphUnavailableError(
        `Neo4j at ${target}: no connection could be opened or freed within the connection timeout (${firstLine(error.message)}). The database is down, unreachable or saturated; NEO4J_CONNECTION_TIMEOUT_MS sets the wait.`,
        error,
      );
    }
    if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
      return new GraphUnavailableError(
        `Neo4j at ${target} refused the credentials (${firstLine(error.message)}). Check NEO4J_USER and NEO4J_PASSWORD.`,
        error,
      );
    }
    if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
      return new GraphUnavailableError(
        `Neo4j at ${target} has no such database (${firstLine(error.message)}). Check NEO4J_DATABASE.`,
        error,
      );
    }
    if (
      code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut') ||
      (code === 'Neo.TransientError.Transaction.LockClientStopped' && /timed?\s?out/i.test(error.message))
    ) {
      return new TimeoutError(`${what} took longer than its time limit and was stopped.`, error);
    }
    return new GraphError(`${what} failed in Neo4j: ${code || 'unknown code'}: ${firstLine(error.message)}`, error);
  }
  if (error instanceof Error && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|connect/i.test(error.message)) {
    return new GraphUnavailableError(`Neo4j at ${target} is not reachable (${firstLine(error.message)}).`, error);
  }
  // Not a database problem: let it surface as the programmer error it is.
  throw error;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
