import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The checkout (or installed package) root: the nearest folder above this file
 * that holds package.json. Works from src/ under a TS runner and from dist/src/.
 */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'migrations'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`whocan: cannot find the package root above ${__dirname}`);
    dir = parent;
  }
}

export const migrationsDir = (): string => path.join(packageRoot(), 'migrations');
export const schemaFile = (): string => path.join(packageRoot(), 'schema', 'schema.graphql');
export const seedDir = (): string => path.join(packageRoot(), 'seed');
