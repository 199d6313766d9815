import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { migrationsDir } from '../../src/config/paths';
import { cypher, migrate, migrationStatus, readMigrationFiles, type Graph } from '../../src/db';
import { MigrationConflictError } from '../../src/errors';
import { resetGraph, testGraph } from './support/graph';

describe('migrations against a real Neo4j', () => {
  let graph: Graph;
  let dir: string;
  before(async () => {
    graph = await testGraph();
  });
  beforeEach(async () => {
    await resetGraph(graph);
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(path.join(tmpdir(), 'whocan-migrations-'));
    cpSync(migrationsDir(), dir, { recursive: true });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await resetGraph(graph);
    await graph.close();
  });

  it('applies every project migration once; a second run changes nothing', async () => {
    const files = readMigrationFiles(dir);
    const first = await migrate(graph, dir);
    assert.deepEqual(
      first.map((m) => m.version),
      files.map((f) => f.version),
    );
    const constraintsAfterFirst = await graph.read<{ name: string }>(
      cypher('testConstraints', 'SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name'),
    );
    assert.ok(
      constraintsAfterFirst.some((c) => c.name === 'snapshot_id'),
      'the snapshot constraint exists',
    );

    const second = await migrate(graph, dir);
    assert.deepEqual(second, []);
    const records = await graph.read<{ version: number; checksum: string }>(
      cypher('testMigrationNodes', 'MATCH (m:Migration) RETURN m.version AS version, m.checksum AS checksum ORDER BY version'),
    );
    assert.deepEqual(
      records,
      files.map((f) => ({ version: f.version, checksum: f.checksum })),
    );
    const constraintsAfterSecond = await graph.read<{ name: string }>(
      cypher('testConstraints', 'SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name'),
    );
    assert.deepEqual(constraintsAfterSecond, constraintsAfterFirst);
  });

  it('applies a new migration added later, and only that one', async () => {
    await migrate(graph, dir);
    const next = readMigrationFiles(dir).length + 1;
    writeFileSync(
      path.join(dir, `${String(next).padStart(4, '0')}_test_extra.cypher`),
      'CREATE INDEX test_extra IF NOT EXISTS FOR (n:TestExtra) ON (n.x);\n',
    );
    const applied = await migrate(graph, dir);
    assert.deepEqual(
      applied.map((m) => m.name),
      ['test_extra'],
    );
    assert.equal((await migrationStatus(graph, dir)).pending.length, 0);
  });

  it('refuses an applied migration that was edited, naming the file', async () => {
    await migrate(graph, dir);
    appendFileSync(path.join(dir, '0001_snapshots.cypher'), '\nCREATE INDEX sneaky IF NOT EXISTS FOR (n:Sneaky) ON (n.x);\n');
    await assert.rejects(migrate(graph, dir), (error: unknown) => {
      assert.ok(error instanceof MigrationConflictError);
      assert.match(error.describe(), /0001_snapshots\.cypher was applied on .* and has been edited since/);
      return true;
    });
    const sneaky = await graph.read(cypher('testSneakyIndex', "SHOW INDEXES YIELD name WHERE name = 'sneaky' RETURN name"));
    assert.deepEqual(sneaky, [], 'nothing of the edited file ran');
  });
});
