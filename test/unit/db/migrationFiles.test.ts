import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { migrationsDir } from '../../../src/config/paths';
import { readMigrationFiles } from '../../../src/db';
import { splitStatements } from '../../../src/db/migrations';
import { UserInputError } from '../../../src/errors';

function withDir(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'whocan-mig-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('migration files', () => {
  it('splits statements on semicolons at line ends and drops comment lines', () => {
    assert.deepEqual(
      splitStatements('// hi\nCREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\n\nCREATE INDEX b IF NOT EXISTS\n  FOR (n:B) ON (n.y);\n'),
      ['CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)', 'CREATE INDEX b IF NOT EXISTS\n  FOR (n:B) ON (n.y)'],
    );
    assert.deepEqual(splitStatements("RETURN 'a;b' AS x"), ["RETURN 'a;b' AS x"]);
  });

  it('reads files in version order with stable checksums', () => {
    withDir({ '0002_b.cypher': 'RETURN 2;', '0001_a.cypher': 'RETURN 1;' }, (dir) => {
      const files = readMigrationFiles(dir);
      assert.deepEqual(
        files.map((f) => f.version),
        [1, 2],
      );
      assert.equal(files[0]?.name, 'a');
      assert.match(files[0]?.checksum ?? '', /^[0-9a-f]{64}$/);
      assert.notEqual(files[0]?.checksum, files[1]?.checksum);
    });
  });

  it('refuses badly named, duplicate and empty files, listing each', () => {
    withDir(
      { '0001_a.cypher': 'RETURN 1;', '0001_b.cypher': 'RETURN 1;', 'x.cypher': 'RETURN 1;', '0003_empty.cypher': '// nothing\n' },
      (dir) => {
        assert.throws(
          () => readMigrationFiles(dir),
          (error: unknown) =>
            error instanceof UserInputError &&
            error.details.length === 3 &&
            /0001_b.cypher: version 1 is also used by 0001_a.cypher/.test(error.describe()),
        );
      },
    );
  });

  it('the project migrations are valid', () => {
    const files = readMigrationFiles(migrationsDir());
    assert.ok(files.length >= 1);
    assert.deepEqual(
      files.map((f) => f.version),
      files.map((_, i) => i + 1),
      'versions are consecutive from 1',
    );
  });
});
