import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalNeo4jError } from '../errors';

/**
 * The password of the local Neo4j, one per installation: generated at first
 * use (24 random bytes, base64url) and kept in `<home>/password` (by default
 * `.whocan/neo4j/password`), readable by its owner only (mode 600). The
 * launcher sets it on user `neo4j` at every start, so an installation whose
 * data was created under an older password takes the new one at its next
 * start. NEO4J_PASSWORD, when set, is used instead and nothing is written.
 */
export function localPasswordFile(home: string): string {
  return path.join(path.resolve(home), 'password');
}

export function localNeo4jPassword(home: string): string {
  const file = localPasswordFile(home);
  try {
    const existing = readExisting(file);
    if (existing !== undefined) return existing;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const password = randomBytes(24).toString('base64url');
    try {
      // 'wx': never overwrite one that another process has just written; it is read back below.
      writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
      return password;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const raced = readExisting(file);
      if (raced !== undefined) return raced;
      throw error;
    }
  } catch (error) {
    if (error instanceof LocalNeo4jError) throw error;
    throw new LocalNeo4jError(
      `Cannot read or create the local Neo4j's password file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}). Check the permissions of that directory, or set NEO4J_PASSWORD.`,
    );
  }
}

function readExisting(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // Someone loosened it (a copy, an umask): only its owner may read it.
  if ((mode & 0o077) !== 0) chmodSync(file, 0o600);
  const password = readFileSync(file, 'utf8').trim();
  if (password.length < 8) {
    throw new LocalNeo4jError(
      `The local Neo4j's password file ${file} holds fewer than 8 characters. Delete it (a new password is generated at the next start, and applied by \`whocan db stop && whocan db start\`), or set NEO4J_PASSWORD.`,
    );
  }
  return password;
}
