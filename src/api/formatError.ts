import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isAppError, type AppError, type ErrorCode } from '../errors';
import { tokenLimitError } from './limits';

/**
 * The AppError codes clients see with their message: the caller can act on
 * them. Every other AppError (GRAPH_ERROR, BAD_CONFIG, …) is a fault of the
 * server: logged with the request id and masked like any unexpected error.
 */
const CLIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TIMEOUT',
  'GRAPH_UNAVAILABLE',
]);

export const INTERNAL_MESSAGE = 'Internal server error: whocan logged the details under this request id (extensions.requestId).';
const UNAVAILABLE_MESSAGE =
  'The graph database is not reachable right now; try again later. whocan logged the details under this request id (extensions.requestId).';

/** The AppError behind an error, however Apollo and graphql-js wrapped it. */
export function appErrorOf(error: unknown): AppError | undefined {
  let current: unknown = unwrapResolverError(error);
  for (let i = 0; i < 5 && current !== undefined; i++) {
    if (isAppError(current)) return current;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return undefined;
}

/** True for errors that are the server's fault: they are logged in full and masked for the client. */
export function isServerFault(error: unknown): boolean {
  const app = appErrorOf(error);
  if (app) return !CLIENT_CODES.has(app.code) || app.code === 'GRAPH_UNAVAILABLE';
  const code = error instanceof GraphQLError ? error.extensions?.['code'] : undefined;
  return typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR';
}

/**
 * The single place where errors become what clients see. AppErrors the
 * caller can act on keep their message (and detail lines, also listed in
 * `extensions.details`) and get a stable `extensions.code`; GraphQL's own
 * parse, validation and input errors keep theirs. Everything else is masked:
 * the logging plugin logs it with the request id, which the response carries
 * too. No stack trace ever leaves the server.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  const app = appErrorOf(error);
  if (app) {
    if (app.code === 'GRAPH_UNAVAILABLE') return { message: UNAVAILABLE_MESSAGE, ...where, extensions: { code: app.code } };
    if (CLIENT_CODES.has(app.code)) {
      return {
        message: app.describe(),
        ...where,
        extensions: { code: app.code, ...(app.details.length > 0 ? { details: [...app.details] } : {}) },
      };
    }
    return { message: INTERNAL_MESSAGE, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  const code = formatted.extensions?.['code'];
  const tooLarge = code === 'GRAPHQL_PARSE_FAILED' ? tokenLimitError(formatted.message) : undefined;
  if (tooLarge) return { message: tooLarge.message, extensions: { code: tooLarge.code } };
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    // GraphQL parsing, validation, bad input and limit errors: safe to show as they are, without stack traces.
    return { message: formatted.message, ...where, extensions: { code } };
  }
  return { message: INTERNAL_MESSAGE, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
