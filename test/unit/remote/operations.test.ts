import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import 'reflect-metadata';
import { buildSchema, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { DEFAULT_API_LIMITS, DEFAULT_LIST_SIZE, DEFAULT_PAGE_SIZE, measureOperation } from '../../../src/api/limits';
import { buildWhocanSchema } from '../../../src/api/schema';
import { schemaFile } from '../../../src/config/paths';
import { REMOTE_OPERATIONS, REMOTE_PAGE_SIZES } from '../../../src/services/remote';

/**
 * The operations remote mode sends are valid against the committed schema
 * (schema/schema.graphql), and fit the server's default limits (cost
 * WHOCAN_MAX_QUERY_COST 50 000, depth, root fields, aliases, tokens) at the
 * page sizes the client asks first.
 */
const schema = buildSchema(readFileSync(schemaFile(), 'utf8'));
const FIRST: Record<string, number> = {
  snapshots: REMOTE_PAGE_SIZES.snapshots,
  restApis: REMOTE_PAGE_SIZES.apis,
  httpApis: REMOTE_PAGE_SIZES.apis,
  restApiMethods: REMOTE_PAGE_SIZES.methods,
  httpApiMethods: REMOTE_PAGE_SIZES.methods,
  roles: REMOTE_PAGE_SIZES.roles,
  whoCan: REMOTE_PAGE_SIZES.whoCan,
  findings: REMOTE_PAGE_SIZES.findings,
  accessDiff: REMOTE_PAGE_SIZES.accessDiff,
};

describe('the operations of remote mode', () => {
  // The schema built from the code carries the fields' costs (the SDL does not).
  let costed: GraphQLSchema;
  before(async () => {
    costed = await buildWhocanSchema();
  });
  for (const [name, text] of Object.entries(REMOTE_OPERATIONS)) {
    it(`${name}: valid against schema/schema.graphql and within the default cost limit`, () => {
      const document = parse(text);
      assert.deepEqual(
        validate(schema, document).map((e) => e.message),
        [],
      );
      const operation = document.definitions[0] as OperationDefinitionNode;
      const measure = measureOperation(
        costed,
        document,
        operation,
        { first: FIRST[name] ?? null },
        { defaultPageSize: DEFAULT_PAGE_SIZE, maxPageSize: 100, defaultListSize: DEFAULT_LIST_SIZE },
      );
      assert.ok(measure.cost <= 50_000, `${name} costs ${measure.cost}`);
      assert.ok(measure.depth <= 12, `${name} is ${measure.depth} deep`);
      assert.ok(measure.rootFields <= DEFAULT_API_LIMITS.maxRootFields, `${name} has ${measure.rootFields} root fields`);
      assert.ok(measure.aliases <= DEFAULT_API_LIMITS.maxAliases, `${name} runs ${measure.aliases} aliased fields`);
      assert.ok(parse(text, { maxTokens: DEFAULT_API_LIMITS.maxQueryTokens }), `${name} is under the token limit`);
    });
  }
});
