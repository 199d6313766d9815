import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType } from 'graphql';
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
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(schema.getQueryType()?.getFields()['health'], 'the health query exists');
  });
});
