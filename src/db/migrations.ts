import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MigrationConflictError, UserInputError } from '../errors';
import { cypher, type Graph, type TxOptions } from './graph';

/**
 * Schema migrations: `migrations/NNNN_description.cypher`, applied in order,
 * each recorded in the graph as (:Migration {version, name, checksum, appliedAt}).
 *
 * - A file is split into statements on `;` at line ends; `//` comment lines are ignored.
 * - Each statement runs in its own auto-commit transaction (Neo4j refuses schema
 *   changes mixed with writes), so statements should be idempotent
 *   (`IF NOT EXISTS`): a run interrupted half way is finished by the next one.
 * - A recorded migration whose file changed since is refused, naming the file:
 *   add a new migration instead of editing an applied one.
 */
export interface MigrationFile {
  version: number;
  name: string;
  file: string;
  checksum: string;
  statements: string[];
}

export interface MigrationStatus {
  applied: { version: number; name: string; appliedAt: string }[];
  pending: MigrationFile[];
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.cypher$/;

const ENSURE_MIGRATION_CONSTRAINT = cypher(
  'ensureMigrationConstraint',
  'CREATE CONSTRAINT whocan_migration_version IF NOT EXISTS FOR (m:Migration) REQUIRE m.version IS UNIQUE',
);
const LIST_APPLIED = cypher(
  'listAppliedMigrations',
  'MATCH (m:Migration) RETURN m.version AS version, m.name AS name, m.checksum AS checksum, toString(m.appliedAt) AS appliedAt ORDER BY m.version',
);
const RECORD_APPLIED = cypher(
  'recordMigration',
  'MERGE (m:Migration {version: $version}) ON CREATE SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()',
);

/** Reads and validates the migration files of a folder, in version order. */
export function readMigrationFiles(dir: string): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cypher'))
    .sort();
  const problems: string[] = [];
  const seen = new Map<number, string>();
  const migrations: MigrationFile[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      problems.push(`${file}: expected a name like 0001_short_description.cypher`);
      continue;
    }
    const version = Number(match[1]);
    const other = seen.get(version);
    if (other) problems.push(`${file}: version ${version} is also used by ${other}`);
    seen.set(version, file);
    const text = readFileSync(path.join(dir, file), 'utf8');
    const statements = splitStatements(text);
    if (statements.length === 0) problems.push(`${file}: holds no statement`);
    migrations.push({ version, name: match[2] ?? file, file, checksum: sha256(text), statements });
  }
  if (problems.length > 0) throw new UserInputError(`Invalid migration files in ${dir}:`, problems);
  return migrations;
}

export function splitStatements(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function sha256(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** Compares files with what the graph records; throws if an applied file was edited or removed. */
export async function migrationStatus(graph: Graph, dir: string, tx: TxOptions = {}): Promise<MigrationStatus> {
  const files = readMigrationFiles(dir);
  const applied = await graph.read<{ version: number; name: string; checksum: string; appliedAt: string }>(LIST_APPLIED, {}, tx);
  const byVersion = new Map(files.map((f) => [f.version, f]));
  const conflicts: string[] = [];
  for (const record of applied) {
    const file = byVersion.get(record.version);
    if (!file) {
      conflicts.push(`migration ${String(record.version).padStart(4, '0')}_${record.name} was applied but its file is gone from ${dir}`);
    } else if (file.checksum !== record.checksum) {
      conflicts.push(
        `${file.file} was applied on ${record.appliedAt} and has been edited since (checksum ${record.checksum.slice(0, 12)}… → ${file.checksum.slice(0, 12)}…)`,
      );
    }
  }
  if (conflicts.length > 0) {
    throw new MigrationConflictError(
      'Refusing to migrate: applied migrations do not match their files. Restore the original files and put changes in a new migration.',
      conflicts,
    );
  }
  const appliedVersions = new Set(applied.map((a) => a.version));
  return {
    applied: applied.map(({ version, name, appliedAt }) => ({ version, name, appliedAt })),
    pending: files.filter((f) => !appliedVersions.has(f.version)),
  };
}

/** Applies every pending migration in order; returns the ones it applied (none on a second run). */
export async function migrate(graph: Graph, dir: string, onApplied?: (m: MigrationFile) => void): Promise<MigrationFile[]> {
  await graph.runAutoCommit(ENSURE_MIGRATION_CONSTRAINT);
  const { pending } = await migrationStatus(graph, dir);
  for (const migration of pending) {
    for (const [index, statement] of migration.statements.entries()) {
      await graph.runAutoCommit(cypher(`${migration.file}#${index + 1}`, statement));
    }
    await graph.write(RECORD_APPLIED, { version: migration.version, name: migration.name, checksum: migration.checksum });
    onApplied?.(migration);
  }
  return pending;
}
