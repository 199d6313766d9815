import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import { formatError, INTERNAL_MESSAGE, isServerFault } from '../../../src/api/formatError';
import {
  AppError,
  GraphError,
  GraphUnavailableError,
  NotFoundError,
  TimeoutError,
  UserInputError,
  type ErrorCode,
} from '../../../src/errors';

/** As graphql-js hands a resolver error to Apollo: wrapped in a GraphQLError with a path. */
function fromResolver(error: Error): { formatted: GraphQLFormattedError; error: GraphQLError } {
  const wrapped = new GraphQLError(error.message, { originalError: error, path: ['principal'] });
  return {
    formatted: { message: error.message, path: ['principal'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
    error: wrapped,
  };
}

describe('formatError', () => {
  it('gives every error the caller can act on its stable code and message, with detail lines', () => {
    const cases: [AppError, ErrorCode][] = [
      [new UserInputError('arn: expected an ARN', ['input.callerArn: bad']), 'BAD_USER_INPUT'],
      [new NotFoundError('no user'), 'NOT_FOUND'],
      [new AppError('UNAUTHENTICATED', 'no token'), 'UNAUTHENTICATED'],
      [new AppError('FORBIDDEN', 'admins only'), 'FORBIDDEN'],
      [new TimeoutError('too slow'), 'TIMEOUT'],
    ];
    for (const [error, code] of cases) {
      const { formatted, error: wrapped } = fromResolver(error);
      const out = formatError(formatted, wrapped);
      assert.equal(out.extensions?.['code'], code);
      assert.equal(out.message, error.describe());
      assert.deepEqual(out.path, ['principal']);
      assert.equal(out.extensions?.['stacktrace'], undefined);
      assert.equal(isServerFault(wrapped), false);
    }
    const { formatted, error } = fromResolver(new UserInputError('bad', ['a: 1', 'b: 2']));
    assert.deepEqual(formatError(formatted, error).extensions, { code: 'BAD_USER_INPUT', details: ['a: 1', 'b: 2'] });
  });

  it('masks what is the server’s fault: unexpected errors, GRAPH_ERROR, configuration errors', () => {
    for (const error of [
      new TypeError('cannot read x of undefined'),
      new GraphError('Query q failed in Neo4j: Neo.DatabaseError…'),
      new AppError('BAD_CONFIG', 'NEO4J_PASSWORD…'),
    ]) {
      const { formatted, error: wrapped } = fromResolver(error);
      const out = formatError(formatted, wrapped);
      assert.deepEqual(out, { message: INTERNAL_MESSAGE, path: ['principal'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      assert.equal(isServerFault(wrapped), true);
    }
  });

  it('answers GRAPH_UNAVAILABLE with a message that does not say where the database is', () => {
    const { formatted, error } = fromResolver(new GraphUnavailableError('Neo4j at bolt://db.internal:7687 is not reachable'));
    const out = formatError(formatted, error);
    assert.equal(out.extensions?.['code'], 'GRAPH_UNAVAILABLE');
    assert.doesNotMatch(out.message, /db\.internal|bolt/);
    assert.equal(isServerFault(error), true, 'logged in full');
  });

  it("keeps GraphQL's own codes (validation, parsing, limits) without stack traces", () => {
    const out = formatError(
      {
        message: 'Cannot query field "nope"',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['x'] },
      },
      new GraphQLError('Cannot query field "nope"'),
    );
    assert.deepEqual(out, {
      message: 'Cannot query field "nope"',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it("turns graphql-js's token-limit syntax error into QUERY_TOO_LARGE, and a parser stack overflow into QUERY_TOO_DEEP, naming the settings", () => {
    let thrown: unknown;
    try {
      parse(`{ ${'a '.repeat(200)} }`, { maxTokens: 100 });
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof GraphQLError, 'the parser stops at maxTokens');
    const out = formatError(
      { message: thrown.message, locations: [{ line: 1, column: 200 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
      thrown,
    );
    assert.equal(out.extensions?.['code'], 'QUERY_TOO_LARGE');
    assert.match(out.message, /^The document has more than 100 tokens .*; the server allows at most 100 \(WHOCAN_MAX_QUERY_TOKENS\)\./);
    // A document nested deeper than the recursive parser goes (Apollo reports the stack overflow as a syntax error).
    const deep = formatError(
      { message: 'Maximum call stack size exceeded', extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
      new GraphQLError('Maximum call stack size exceeded'),
    );
    assert.equal(deep.extensions?.['code'], 'QUERY_TOO_DEEP');
    assert.match(deep.message, /nests selections too deeply to be read .*WHOCAN_MAX_QUERY_DEPTH/);
    // Any other syntax error keeps its message.
    const other = formatError(
      { message: 'Syntax Error: Expected Name, found <EOF>.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
      new GraphQLError('x'),
    );
    assert.deepEqual(other, { message: 'Syntax Error: Expected Name, found <EOF>.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });
});
