import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../context';
import { DEFAULT_LIST_SIZE, DEFAULT_PAGE_SIZE, measureOperation } from './measure';

export { COST_FIELD, COST_LIST_SIZE, DEFAULT_LIST_SIZE, DEFAULT_PAGE_SIZE, measureOperation, type MeasureOptions, type OperationMeasure } from './measure';

/** What one GraphQL request may ask for (WHOCAN_REQUEST_TIMEOUT_MS, WHOCAN_MAX_QUERY_DEPTH, WHOCAN_MAX_QUERY_COST, WHOCAN_MAX_PAGE_SIZE). */
export interface ApiLimits {
  /** Upper bound of one request, in milliseconds; every Neo4j transaction of the request gets the time left. */
  requestTimeoutMs: number;
  maxQueryDepth: number;
  maxQueryCost: number;
  maxPageSize: number;
}

/** The configuration's defaults (src/config). */
export const DEFAULT_API_LIMITS: ApiLimits = { requestTimeoutMs: 30_000, maxQueryDepth: 12, maxQueryCost: 50_000, maxPageSize: 100 };

/** Codes of the limit errors (HTTP 400, before any work is done). */
export const QUERY_TOO_DEEP = 'QUERY_TOO_DEEP';
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

function refuse(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * Refuses an operation over a limit once it is parsed, validated and chosen,
 * before it executes: a `first` over the maximum page size
 * (BAD_USER_INPUT), too deep (QUERY_TOO_DEEP), or too costly
 * (QUERY_TOO_COMPLEX). Also names the operation in the request's scope
 * (transaction metadata).
 */
export function limitsPlugin(limits: ApiLimits): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return; // Apollo refuses a request without an operation before execution
          contextValue.scope.operationName = operation.name?.value.slice(0, 100);
          const measure = measureOperation(schema, document, operation, request.variables ?? {}, {
            defaultPageSize: Math.min(DEFAULT_PAGE_SIZE, limits.maxPageSize),
            maxPageSize: limits.maxPageSize,
            defaultListSize: DEFAULT_LIST_SIZE,
          });
          if (measure.pageSizeProblems.length > 0) {
            throw refuse('BAD_USER_INPUT', `Page size over the limit: ${measure.pageSizeProblems.join('; ')}.`);
          }
          if (measure.depth > limits.maxQueryDepth) {
            throw refuse(
              QUERY_TOO_DEEP,
              `The query nests fields ${measure.depth} deep; the server allows at most ${limits.maxQueryDepth} (WHOCAN_MAX_QUERY_DEPTH). Ask for fewer nested levels, or split the query.`,
            );
          }
          if (measure.cost > limits.maxQueryCost) {
            throw refuse(
              QUERY_TOO_COMPLEX,
              `The query's cost is ${measure.cost}; the server allows at most ${limits.maxQueryCost} (WHOCAN_MAX_QUERY_COST). Every field costs 1, and a list multiplies what it contains by its page size (\`first\`, default ${Math.min(DEFAULT_PAGE_SIZE, limits.maxPageSize)}) or its expected length (${DEFAULT_LIST_SIZE}): ask for smaller pages or fewer nested fields.`,
            );
          }
        },
      };
    },
  };
}

/**
 * Every resolver (attached to each resolver class with @UseMiddleware) runs
 * within the request's deadline: it does not start once
 * the deadline has passed, and a pending one fails with TIMEOUT when it
 * comes (its Neo4j transaction has the same deadline as its timeout, so the
 * database stops the work too).
 */
export const enforceDeadline: MiddlewareFn<RequestContext> = async ({ context }, next) => {
  context.scope.assertTimeLeft();
  return context.scope.race(next());
};
