import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IamPaths } from './iam';
import type { IngestReport } from './report';
import type { DiscoverContext, FolderEntry } from './source';
import { ACCOUNT_SOURCE, noRegionFiles, REGION_SOURCES, SNAPSHOT_SOURCE, type RegionFiles } from './sources';

/**
 * Finds the files of one snapshot directory (the layout in the README,
 * "Snapshot layout"). Files and folders that fit no part of the layout are
 * reported as warnings and skipped; README files are documentation and a
 * top-level rules/ folder holds review rules kept beside the snapshot
 * (`whocan review`, as in seed/rules/): both are passed over silently.
 * Symbolic links are followed only inside the snapshot directory (`lister`).
 */
export type { RegionFiles };

export interface AccountFiles extends IamPaths {
  regions: Map<string, RegionFiles>;
}

export interface SnapshotFiles {
  organization: string | null;
  accounts: Map<string, AccountFiles>;
  /** Every file that will be read, relative to the snapshot directory. */
  all: string[];
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const IGNORED = /^(README.*|\..*)$/i;
const REVIEW_RULES_DIR = 'rules';

type Lister = (dir: string) => FolderEntry[];

/**
 * Lists a folder of the snapshot, sorted by name. Symbolic links are
 * followed only when they lead to a file or folder inside the snapshot
 * directory; a link that leads outside it, nowhere (dangling) or round in a
 * loop is a problem naming the link (never what it points at, never its
 * contents) and is skipped. So is anything that is neither a regular file
 * nor a folder (a FIFO would block the read forever, a device is no AWS CLI
 * output).
 */
function lister(root: string, report: IngestReport): Lister {
  const realRoot = realpathSync(root);
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot + path.sep);
  return (dir) => {
    const entries: FolderEntry[] = [];
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      // Never read by the ingest: documentation, hidden files, the review rules kept beside the snapshot.
      if (IGNORED.test(entry.name) || (dir === root && entry.name === REVIEW_RULES_DIR)) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(full);
        } catch {
          report.problem(
            rel,
            '$',
            'is a symbolic link that leads nowhere (its target does not exist, or the links form a loop): expected a file or folder of the snapshot; not followed',
          );
          continue;
        }
        if (!inside(real)) {
          report.problem(
            rel,
            '$',
            'is a symbolic link to a location outside the snapshot directory: not followed (links may only point inside the snapshot directory)',
          );
          continue;
        }
        const target = statSync(real);
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (!isDir && !isFile) {
        report.problem(
          rel,
          '$',
          'is neither a regular file nor a folder (a pipe, socket or device): expected AWS CLI output saved to a file; not read',
        );
        continue;
      }
      entries.push({ name: entry.name, isDir });
    }
    return entries;
  };
}

export function discoverSnapshotFiles(root: string, report: IngestReport): SnapshotFiles {
  const result: SnapshotFiles = { organization: null, accounts: new Map(), all: [] };
  const context: DiscoverContext = {
    list: lister(root, report),
    unknown: (rel, why) => report.warn(rel, '$', `not part of the snapshot layout (${why}); skipped`),
    take: (rel) => {
      result.all.push(rel);
      return rel;
    },
  };

  for (const entry of context.list(root)) {
    if (!entry.isDir) {
      if (entry.name === SNAPSHOT_SOURCE.file) result.organization = context.take(entry.name);
      else if (entry.name !== 'generated.json') context.unknown(entry.name, `expected ${SNAPSHOT_SOURCE.file} or <account-id>/ folders`);
      continue;
    }
    if (!ACCOUNT.test(entry.name)) {
      context.unknown(`${entry.name}/`, 'expected a 12-digit account id');
      continue;
    }
    const account: AccountFiles = { ...ACCOUNT_SOURCE.noFiles(), regions: new Map() };
    result.accounts.set(entry.name, account);
    const accountDir = path.join(root, entry.name);
    for (const sub of context.list(accountDir)) {
      const rel = `${entry.name}/${sub.name}`;
      if (sub.name === ACCOUNT_SOURCE.folder && sub.isDir) {
        ACCOUNT_SOURCE.discover(context, path.join(accountDir, sub.name), rel, account);
      } else if (sub.isDir && REGION.test(sub.name)) {
        account.regions.set(sub.name, discoverRegion(context, path.join(accountDir, sub.name), rel));
      } else {
        context.unknown(sub.isDir ? `${rel}/` : rel, `expected ${ACCOUNT_SOURCE.folder}/ or a region folder such as us-east-1/`);
      }
    }
  }
  return result;
}

/** `apigateway/, apigatewayv2/, lambda/ or ec2/`. */
const REGION_FOLDERS = REGION_SOURCES.map((source) => `${source.folder}/`)
  .join(', ')
  .replace(/, ([^,]*)$/, ' or $1');

function discoverRegion(context: DiscoverContext, dir: string, rel: string): RegionFiles {
  const region = noRegionFiles();
  for (const service of context.list(dir)) {
    const serviceRel = `${rel}/${service.name}`;
    if (!service.isDir) {
      context.unknown(serviceRel, `expected ${REGION_FOLDERS}`);
      continue;
    }
    const source = REGION_SOURCES.find((s) => s.folder === service.name);
    if (source) source.discover(context, path.join(dir, service.name), serviceRel, region);
    else context.unknown(`${serviceRel}/`, `expected ${REGION_FOLDERS}`);
  }
  return region;
}
