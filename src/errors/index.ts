/**
 * The project's error classes. Each carries a stable `code` that the CLI maps
 * to an exit status and the GraphQL layer maps to `extensions.code`.
 *
 * Operational errors (bad input, bad config, database down) are AppErrors and
 * are shown to the user as one clear message. Anything else is a programmer
 * error: logged with its stack, masked from clients.
 */

export type ErrorCode =
  | 'BAD_CONFIG'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'TIMEOUT'
  | 'GRAPH_UNAVAILABLE'
  | 'GRAPH_ERROR'
  | 'MIGRATION_CONFLICT'
  | 'LOCAL_NEO4J';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra lines (one per problem) shown under the message. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? [];
  }

  /** The message plus its detail lines, as shown on a terminal. */
  describe(): string {
    return this.details.length === 0 ? this.message : `${this.message}\n${this.details.map((d) => `  - ${d}`).join('\n')}`;
  }
}

export class ConfigError extends AppError {
  constructor(problems: readonly string[]) {
    super('BAD_CONFIG', `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, {
      details: problems,
    });
  }
}

export class UserInputError extends AppError {
  constructor(message: string, details: readonly string[] = []) {
    super('BAD_USER_INPUT', message, { details });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class GraphUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('GRAPH_UNAVAILABLE', message, { cause });
  }
}

export class GraphError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('GRAPH_ERROR', message, { cause });
  }
}

export class TimeoutError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('TIMEOUT', message, { cause });
  }
}

export class MigrationConflictError extends AppError {
  constructor(message: string, details: readonly string[] = []) {
    super('MIGRATION_CONFLICT', message, { details });
  }
}

export class LocalNeo4jError extends AppError {
  constructor(message: string, details: readonly string[] = []) {
    super('LOCAL_NEO4J', message, { details });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
