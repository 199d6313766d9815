import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalNeo4jError } from '../../../src/errors';
import { localNeo4jPassword, localPasswordFile } from '../../../src/localNeo4j/password';

describe("the local Neo4j's password: one per installation, owner-only", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'whocan-password-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once, stored with mode 600, and the same afterwards', () => {
    const home = path.join(dir, 'a', 'neo4j');
    const first = localNeo4jPassword(home);
    assert.ok(first.length >= 24, first);
    assert.notEqual(first, 'whocan-local-dev');
    const file = localPasswordFile(home);
    assert.equal(file, path.join(home, 'password'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), first);
    assert.equal(localNeo4jPassword(home), first);
  });

  it('differs between installations', () => {
    assert.notEqual(localNeo4jPassword(path.join(dir, 'b')), localNeo4jPassword(path.join(dir, 'c')));
  });

  it('tightens a file others can read, and refuses one that is too short', () => {
    const home = path.join(dir, 'd');
    const password = localNeo4jPassword(home);
    chmodSync(localPasswordFile(home), 0o644);
    assert.equal(localNeo4jPassword(home), password);
    assert.equal(statSync(localPasswordFile(home)).mode & 0o777, 0o600);
    writeFileSync(localPasswordFile(home), 'short\n');
    assert.throws(
      () => localNeo4jPassword(home),
      (error: unknown) => error instanceof LocalNeo4jError && /fewer than 8 characters/.test(error.message),
    );
  });
});
