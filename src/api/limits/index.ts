import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { ApiContext } from '../context';
import { DEFAULT_LIST_SIZE, DEFAULT_PAGE_SIZE, measureOperation } from './measure';

export {
  COST_FIELD,
  COST_LIST_SIZE,
  DEFAULT_LIST_SIZE,
  DEFAULT_PAGE_SIZE,
  measureOperation,
  type MeasureOptions,
  type OperationMeasure,
} from './measure';

/**
 * What one GraphQL request may ask for (WHOCAN_REQUEST_TIMEOUT_MS,
 * WHOCAN_MAX_QUERY_DEPTH, WHOCAN_MAX_QUERY_COST, WHOCAN_MAX_PAGE_SIZE,
 * WHOCAN_MAX_QUERY_TOKENS, WHOCAN_MAX_ALIASES, WHOCAN_MAX_ROOT_FIELDS,
 * WHOCAN_MAX_REQUEST_CONNECTIONS; for the `review` query
 * WHOCAN_MAX_RULES_BYTES, WHOCAN_MAX_RULES, WHOCAN_MAX_REVIEW_LISTED).
 */
export interface ApiLimits {
  /** Upper bound of one request, in milliseconds; every Neo4j transaction of the request gets the time left. */
  requestTimeoutMs: number;
  maxQueryDepth: number;
  maxQueryCost: number;
  maxPageSize: number;
  /** Most lexical tokens a document may have: checked while parsing, so before validation (whose overlapping-fields rule is quadratic). */
  maxQueryTokens: number;
  /** Most aliased fields an operation may run. */
  maxAliases: number;
  /** Most root fields (distinct response keys) an operation may have. */
  maxRootFields: number;
  /** Most Neo4j transactions (so pooled connections) one request may hold at once; the others wait their turn. */
  maxRequestConnections: number;
  /** `review`: largest rules text, in UTF-8 bytes (refused before it is parsed). */
  maxRulesBytes: number;
  /** `review`: most rules in one rules text. */
  maxRules: number;
  /** `review`: most accesses one report lists over all its rules (also bounds maxViolations, maxAccess and `all`). */
  maxReviewListed: number;
}

/** The configuration's defaults (src/config). */
export const DEFAULT_API_LIMITS: ApiLimits = {
  requestTimeoutMs: 30_000,
  maxQueryDepth: 12,
  maxQueryCost: 50_000,
  maxPageSize: 100,
  maxQueryTokens: 5_000,
  maxAliases: 30,
  maxRootFields: 20,
  maxRequestConnections: 4,
  maxRulesBytes: 262_144,
  maxRules: 200,
  maxReviewListed: 10_000,
};

/**
 * What a field that runs its own Neo4j queries costs (root queries and the
 * nested fields read through the request's loaders): more than a property,
 * so that many of them, aliased or in lists, are refused by the cost limit.
 */
export const NEO4J_FIELD_COST = 10;

/** Codes of the limit errors (HTTP 400, before any work is done). */
export const QUERY_TOO_DEEP = 'QUERY_TOO_DEEP';
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';
export const QUERY_TOO_LARGE = 'QUERY_TOO_LARGE';

function refuse(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * Refuses an operation over a limit once it is parsed, validated and chosen,
 * before it executes: a `first` over the maximum page size
 * (BAD_USER_INPUT), too deep (QUERY_TOO_DEEP), too many root fields or
 * aliases, or too costly (QUERY_TOO_COMPLEX). (Documents with too many
 * tokens are refused earlier, while parsing: see `parseOptionsFor`.) Also
 * names the operation in the request's scope (transaction metadata).
 */
export function limitsPlugin(limits: ApiLimits): ApolloServerPlugin<ApiContext> {
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
          if (measure.rootFields > limits.maxRootFields) {
            throw refuse(
              QUERY_TOO_COMPLEX,
              `The operation asks for ${measure.rootFields} root fields; the server allows at most ${limits.maxRootFields} (WHOCAN_MAX_ROOT_FIELDS). Split it into several requests.`,
            );
          }
          if (measure.aliases > limits.maxAliases) {
            throw refuse(
              QUERY_TOO_COMPLEX,
              `The operation runs ${measure.aliases} aliased fields (counting each time a list or fragment repeats them); the server allows at most ${limits.maxAliases} (WHOCAN_MAX_ALIASES). Ask for fewer aliases, or split the query.`,
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
export const enforceDeadline: MiddlewareFn<ApiContext> = async ({ context }, next) => {
  context.scope.assertTimeLeft();
  return context.scope.race<unknown>(next());
};

/**
 * Options for graphql-js's parser: it stops counting at `maxTokens`, so an
 * oversized document is refused while it is read, before validation runs.
 * The parser's own message is replaced by `tokenLimitError` (formatError).
 */
export function parseOptionsFor(limits: ApiLimits): { maxTokens: number } {
  return { maxTokens: limits.maxQueryTokens };
}

const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/**
 * The clear message and code for the parse errors that are limits: graphql-js's
 * "too many tokens", and a document nested so deeply (thousands of levels,
 * under the token limit) that the recursive parser runs out of stack, which
 * Apollo reports as a syntax error. Undefined for any other error.
 */
export function tokenLimitError(message: string): { message: string; code: string } | undefined {
  if (/Maximum call stack size exceeded/.test(message)) {
    return {
      code: QUERY_TOO_DEEP,
      message:
        'The document nests selections too deeply to be read (thousands of levels); the server allows far fewer (WHOCAN_MAX_QUERY_DEPTH). Ask for fewer nested levels.',
    };
  }
  const match = TOKEN_LIMIT.exec(message);
  if (!match) return undefined;
  return {
    code: QUERY_TOO_LARGE,
    message: `The document has more than ${match[1]} tokens (names, punctuation, values); the server allows at most ${match[1]} (WHOCAN_MAX_QUERY_TOKENS). Ask for fewer fields, or split the query.`,
  };
}
