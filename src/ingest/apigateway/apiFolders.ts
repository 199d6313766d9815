/**
 * The folder layout API Gateway's two sources share: a listing file
 * (`rest-apis.json`, `apis.json`) and one folder per API id holding that
 * API's files (`<api-id>/resources.json`, …).
 */
import path from 'node:path';
import type { DiscoverContext, ReadFile } from '../source';
import type { JsonFile } from '../transformContext';

export interface ApiFolderPaths<Name extends string> {
  /** The listing file, when present. */
  listing: string | null;
  /** API id → its files found, by name (without `.json`). */
  perApi: Map<string, Partial<Record<Name, string>>>;
}

export function discoverApiFolders<Name extends string>(
  context: DiscoverContext,
  dir: string,
  rel: string,
  listFile: string,
  perApiNames: readonly Name[],
): ApiFolderPaths<Name> {
  const found: ApiFolderPaths<Name> = { listing: null, perApi: new Map() };
  for (const entry of context.list(dir)) {
    const entryRel = `${rel}/${entry.name}`;
    if (!entry.isDir) {
      if (entry.name === listFile) found.listing = context.take(entryRel);
      else context.unknown(entryRel, `expected ${listFile} or <api-id>/ folders`);
      continue;
    }
    const files: Partial<Record<Name, string>> = {};
    for (const file of context.list(path.join(dir, entry.name))) {
      const name = file.name.replace(/\.json$/, '') as Name;
      if (!file.isDir && file.name.endsWith('.json') && perApiNames.includes(name)) files[name] = context.take(`${entryRel}/${file.name}`);
      else context.unknown(`${entryRel}/${file.name}`, `expected ${perApiNames.map((n) => `${n}.json`).join(', ')}`);
    }
    found.perApi.set(entry.name, files);
  }
  return found;
}

/** Reads each API's files, in the order of `names`; a file that could not be read (already reported) is left out. */
export function readApiFolders<Name extends string>(
  perApi: ReadonlyMap<string, Partial<Record<Name, string>>>,
  names: readonly Name[],
  read: ReadFile,
): Map<string, Partial<Record<Name, JsonFile>>> {
  return new Map(
    [...perApi].map(([id, paths]) => {
      const files: Partial<Record<Name, JsonFile>> = {};
      for (const name of names) {
        const rel = paths[name];
        const file = rel === undefined ? undefined : read(rel);
        if (file !== undefined) files[name] = file;
      }
      return [id, files];
    }),
  );
}
