import { connectGraph, cypher, type Graph } from '../../../src/db';
import { silentLogger } from '../../../src/logging';

/**
 * Connection settings of the throwaway Neo4j that the test harness
 * (test/harness/runTests.ts) started for this run.
 */
export function testNeo4j(): { uri: string; user: string; password: string } {
  const uri = process.env['WHOCAN_TEST_NEO4J_URI'];
  const password = process.env['WHOCAN_TEST_NEO4J_PASSWORD'];
  if (!uri || !password) {
    throw new Error(
      'Integration tests need the Neo4j that `npm test` starts: run them through `npm test` (e.g. `npm test -- migrations`).',
    );
  }
  return { uri, user: 'neo4j', password };
}

/** The environment a whocan process needs to use the test Neo4j. */
export function testNeo4jEnv(): Record<string, string> {
  const { uri, user, password } = testNeo4j();
  return { NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' };
}

export async function testGraph(): Promise<Graph> {
  const { uri, user, password } = testNeo4j();
  return connectGraph({
    uri,
    user,
    password,
    database: 'neo4j',
    transactionTimeoutMs: 60_000,
    connectionTimeoutMs: 10_000,
    logger: silentLogger(),
  });
}

/** Empties the test database: every node, constraint and index. */
export async function resetGraph(graph: Graph): Promise<void> {
  await graph.write(cypher('testWipeData', 'MATCH (n) DETACH DELETE n'));
  const constraints = await graph.read<{ name: string }>(cypher('testListConstraints', 'SHOW CONSTRAINTS YIELD name RETURN name'));
  for (const { name } of constraints)
    await graph.runAutoCommit(cypher('testDropConstraint', `DROP CONSTRAINT \`${name.replace(/`/g, '``')}\` IF EXISTS`));
  const indexes = await graph.read<{ name: string }>(
    cypher('testListIndexes', "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"),
  );
  for (const { name } of indexes)
    await graph.runAutoCommit(cypher('testDropIndex', `DROP INDEX \`${name.replace(/`/g, '``')}\` IF EXISTS`));
}
