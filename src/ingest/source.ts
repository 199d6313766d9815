/**
 * What one AWS source of the snapshot is: which files of the snapshot
 * directory it reads (as `discoverSnapshotFiles` finds them) and how it turns
 * them into rows. Each source's folder (`src/ingest/<source>/index.ts`)
 * exports one descriptor; src/ingest/sources.ts lists them, and the discovery
 * and readSnapshot iterate over that list.
 */
import type { JsonFile, TransformContext } from './transformContext';

/** One entry of a snapshot folder (links already resolved, documentation and hidden files left out). */
export interface FolderEntry {
  name: string;
  isDir: boolean;
}

/** What a source's discovery gets. */
export interface DiscoverContext {
  /** The entries of a folder of the snapshot, sorted by name. */
  list(dir: string): FolderEntry[];
  /** Records a file the ingest will read (relative to the snapshot directory) and returns it. */
  take(rel: string): string;
  /** Warns that an entry fits no part of the layout; `why` says what was expected. */
  unknown(rel: string, why: string): void;
}

/** Reads and parses one file of the snapshot; undefined when it could not be (already reported). */
export type ReadFile = (rel: string) => JsonFile | undefined;

/** A source whose files live in a folder of each region (`<account>/<region>/<folder>/`). */
export interface RegionSource<Files extends object> {
  /** The folder name under the region folder. */
  readonly folder: string;
  /** Its files of one region before discovery: nothing found. */
  noFiles(): Files;
  /** Finds its files in `dir` (`rel` relative to the snapshot directory), into `files`. */
  discover(context: DiscoverContext, dir: string, rel: string, files: Files): void;
  /** Reads and transforms the files of one region of one account. */
  transform(ctx: TransformContext, where: { account: string; region: string }, files: Files, read: ReadFile): void;
}

/** A source whose files live in a folder of each account (`<account>/<folder>/`); its transform sees every account before it finishes. */
export interface AccountSource<Files extends object> {
  readonly folder: string;
  noFiles(): Files;
  discover(context: DiscoverContext, dir: string, rel: string, files: Files): void;
  /** Starts the transform of one snapshot: one call of `addAccount` per account, then `finish`. */
  start(ctx: TransformContext): { addAccount(account: string, files: Files, read: ReadFile): void; finish(): void };
}

/** A source with one file at the top of the snapshot directory. */
export interface SnapshotSource {
  readonly file: string;
  transform(ctx: TransformContext, file: JsonFile): void;
}
