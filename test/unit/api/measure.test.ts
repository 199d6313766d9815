import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { measureOperation, NEO4J_FIELD_COST } from '../../../src/api/limits';
import { buildWhocanSchema } from '../../../src/api/schema';

/** Depth and cost of operations on the real schema, computed from the document alone (no database). */
describe('measureOperation', () => {
  let schema: GraphQLSchema;
  before(async () => {
    schema = await buildWhocanSchema();
  });
  const options = { defaultPageSize: 20, maxPageSize: 100, defaultListSize: 10 };
  const measure = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = getOperationAST(document);
    assert.ok(operation);
    return measureOperation(schema, document, operation, variables, options);
  };

  it('counts a root field at depth 1, every field as 1 and a field that reaches Neo4j as NEO4J_FIELD_COST', () => {
    assert.deepEqual(measure('{ health { ok } }'), {
      depth: 2,
      cost: NEO4J_FIELD_COST + 1,
      pageSizeProblems: [],
      aliases: 0,
      rootFields: 1,
    });
    assert.deepEqual(measure('{ health { ok neo4jVersion } snapshots(first: 0) { totalCount } }'), {
      depth: 2,
      cost: NEO4J_FIELD_COST + 2 + NEO4J_FIELD_COST + 1,
      pageSizeProblems: [],
      aliases: 0,
      rootFields: 2,
    });
  });

  it('multiplies what a connection holds by first, its default when omitted, and not again for edges and nodes', () => {
    // principals(first: 5): 10 + 5 × (nodes 1 + 1 × (arn 1 + name 1)) = 10 + 5 × 3
    assert.equal(measure('{ principals(first: 5) { nodes { arn name } } }').cost, NEO4J_FIELD_COST + 15);
    assert.equal(measure('{ principals { nodes { arn name } } }').cost, NEO4J_FIELD_COST + 20 * 3);
    assert.equal(measure('query($n: Int) { principals(first: $n) { nodes { arn } } }', { n: 50 }).cost, NEO4J_FIELD_COST + 50 * 2);
    // Nested connections multiply: 10 + 2 × (nodes 1 + (methods 10 + 3 × (nodes 1 + verb 1)))
    assert.equal(
      measure('{ restApis(first: 2) { nodes { methods(first: 3) { nodes { verb } } } } }').cost,
      NEO4J_FIELD_COST + 2 * (1 + (NEO4J_FIELD_COST + 3 * 2)),
    );
  });

  it('multiplies lists that are not connections by their expected length', () => {
    // principal 10 + policies (10 + 10 × (id 1 + statements (10 + 10 × sid 1)))
    const cost = measure('{ principal(arn: "arn:aws:iam::111122223333:user/a") { policies { id statements { sid } } } }').cost;
    assert.equal(cost, NEO4J_FIELD_COST + (NEO4J_FIELD_COST + 10 * (1 + (NEO4J_FIELD_COST + 10 * 1))));
  });

  it('follows fragments and inline fragments, and does not count __typename or introspection', () => {
    const viaFragment = measure(`fragment P on Principal { arn policies { id } }
      query { principals(first: 2) { nodes { ...P ... on Role { trustPolicy { id } } __typename } } }`);
    assert.equal(viaFragment.depth, 4);
    assert.equal(viaFragment.cost, NEO4J_FIELD_COST + 2 * (1 + (1 + (NEO4J_FIELD_COST + 10 * 1) + (NEO4J_FIELD_COST + 1))));
    assert.deepEqual(measure('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }'), {
      depth: 0,
      cost: 0,
      pageSizeProblems: [],
      aliases: 0,
      rootFields: 0,
    });
  });

  it('reports every first outside 0..maxPageSize by its path, inline or from a variable', () => {
    const m = measure(
      'query($n: Int) { big: principals(first: 101) { totalCount } restApis { nodes { methods(first: $n) { totalCount } } } snapshots(first: -1) { totalCount } }',
      { n: 500 },
    );
    assert.deepEqual(m.pageSizeProblems, [
      'big(first: 101): expected a whole number from 0 to 100 (the maximum page size)',
      'restApis.nodes.methods(first: 500): expected a whole number from 0 to 100 (the maximum page size)',
      'snapshots(first: -1): expected a whole number from 0 to 100 (the maximum page size)',
    ]);
    assert.deepEqual(measure('{ principals(first: 100) { totalCount } snapshots(first: 0) { totalCount } }').pageSizeProblems, []);
  });

  it('counts an analysis question at its own cost (complexityCost), plus what is selected in it', () => {
    // findings: 20 000; first: 0 still multiplies by 1; totalCount 1.
    assert.equal(measure('{ findings(first: 0) { totalCount } }').cost, 20_000 + 1);
    // whoCanInvoke 500 + principals (1 + 5 × (nodes 1 + 1 × (arn 1 + paths (1 + 20 × kind 1))))
    assert.equal(
      measure('{ whoCanInvoke(requestArn: "x") { principals(first: 5) { nodes { arn paths { kind } } } } }').cost,
      500 + 1 + 5 * (1 + (1 + (1 + 20 * 1))),
    );
    // Costs add up over aliases: three findings are over the default limit of 50 000.
    assert.equal(
      measure('{ a: findings { totalCount } b: findings { totalCount } c: findings { totalCount } }').cost,
      3 * (20_000 + 20 * 1),
    );
    assert.equal(measure('{ accessDiff(first: 1) { totalCount } rolePaths(from: "a", to: "b") { hops } }').cost, 30_000 + 1 + 100 + 1);
  });

  it('counts mutations from the mutation type', () => {
    assert.deepEqual(measure('mutation { setCurrentSnapshot(id: "x") { id current } }'), {
      depth: 2,
      cost: NEO4J_FIELD_COST + 2,
      pageSizeProblems: [],
      aliases: 0,
      rootFields: 1,
    });
  });

  it('counts aliases each time they run (lists and fragments repeat them) and root fields by response key', () => {
    const m = measure('{ a: health { ok } b: health { ok } health { ok } snapshots(first: 3) { nodes { x: id y: id } } }');
    assert.equal(m.rootFields, 4);
    assert.equal(m.aliases, 2 + 3 * 2);
    // Root fields through fragments and inline fragments; the same key twice is one field.
    const viaFragments = measure(
      'fragment R on Query { a: health { ok } b: health { ok } } query { ...R ... on Query { c: health { ok } a: health { ok } } ...R }',
    );
    assert.equal(viaFragments.rootFields, 3);
    const many = measure(`{ ${Array.from({ length: 500 }, (_, i) => `h${i}: health { ok }`).join(' ')} }`);
    assert.deepEqual([many.rootFields, many.aliases, many.cost], [500, 500, 500 * (NEO4J_FIELD_COST + 1)]);
  });

  it('measures each fragment once: a fragment bomb 22 levels deep is measured in milliseconds, with the cost it would have', () => {
    // F0 = { arn }; Fk spreads F(k-1) twice (aliased apart); the operation spreads F22 once inside principals(first: 1).
    const levels = 22;
    const fragments = [`fragment F0 on Principal { arn }`];
    for (let k = 1; k <= levels; k += 1) fragments.push(`fragment F${k} on Principal { ...F${k - 1} ... on Principal { ...F${k - 1} } }`);
    const query = `${fragments.join('\n')}\nquery { principals(first: 1) { nodes { ...F${levels} } } }`;
    const started = process.hrtime.bigint();
    const m = measure(query);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(m.cost, NEO4J_FIELD_COST + (1 + 2 ** levels));
    assert.equal(m.depth, 3);
    assert.ok(ms < 500, `measured in ${ms.toFixed(1)} ms`);
    // With aliases inside, the alias count grows the same way (and is refused by WHOCAN_MAX_ALIASES).
    const aliased = measure(
      `${fragments.join('\n').replace('{ arn }', '{ x: arn }')}\nquery { principals(first: 1) { nodes { ...F${levels} } } }`,
    );
    assert.equal(aliased.aliases, 2 ** levels);
  });
});
