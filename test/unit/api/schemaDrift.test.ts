import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLField,
  type GraphQLInputField,
} from 'graphql';
import { buildWhocanSchema, printWhocanSchema } from '../../../src/api/schema';
import { schemaFile } from '../../../src/config/paths';

describe('schema/schema.graphql', () => {
  it('equals the schema the code emits (run `npm run schema` and commit when this fails)', async () => {
    const emitted = printWhocanSchema(await buildWhocanSchema());
    assert.equal(readFileSync(schemaFile(), 'utf8'), emitted);
  });

  it('describes every type, field and argument', async () => {
    const schema = await buildWhocanSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
      if (!type.description && type.name !== 'Query' && type.name !== 'Mutation') missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type) || isInterfaceType(type)) {
        const fields: (GraphQLField<unknown, unknown> | GraphQLInputField)[] = isInputObjectType(type)
          ? Object.values(type.getFields())
          : Object.values(type.getFields());
        for (const field of fields) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(schema.getQueryType()?.getFields()['health'], 'the health query exists');
  });
});

describe('request deadline', () => {
  it('is enforced on every resolver class (a class without @UseMiddleware(enforceDeadline) would run past the request timeout)', async () => {
    const { getMetadataStorage } = await import('type-graphql');
    const { RESOLVERS } = await import('../../../src/api/schema');
    const { enforceDeadline } = await import('../../../src/api/limits');
    const storage = getMetadataStorage() as unknown as { resolverMiddlewares: { target: unknown; middlewares: unknown[] }[] };
    const guarded = new Set(storage.resolverMiddlewares.filter((m) => m.middlewares.includes(enforceDeadline)).map((m) => m.target));
    const unguarded = RESOLVERS.filter((cls) => !guarded.has(cls)).map((cls) => cls.name);
    assert.ok(RESOLVERS.length > 10, 'the resolver classes are listed');
    assert.deepEqual(unguarded, []);
  });
});
