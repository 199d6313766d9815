import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IngestReport } from './report';

/**
 * Finds the files of one snapshot directory (the layout in the README,
 * "Snapshot layout"). Files and folders that fit no part of the layout are
 * reported as warnings and skipped; README files are documentation and a
 * top-level rules/ folder holds review rules kept beside the snapshot
 * (`whocan review`, as in seed/rules/): both are passed over silently.
 * Symbolic links are followed only inside the snapshot directory (`lister`).
 */
export interface RegionFiles {
  restApis: string | null;
  restApiFiles: Map<string, { resources?: string; stages?: string }>;
  httpApis: string | null;
  httpApiFiles: Map<string, { routes?: string; stages?: string; integrations?: string }>;
  functions: string | null;
  lambdaPolicies: string[];
  /** ec2/vpc-endpoints.json: `aws ec2 describe-vpc-endpoints`. */
  vpcEndpoints: string | null;
}

export interface AccountFiles {
  iam: string[];
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
const IAM_FILE = /^authorization-details.*\.json$/;
const IGNORED = /^(README.*|\..*)$/i;
const REVIEW_RULES_DIR = 'rules';

type Lister = (dir: string) => { name: string; isDir: boolean }[];

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
    const entries: { name: string; isDir: boolean }[] = [];
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
  const list = lister(root, report);
  const unknown = (rel: string, why: string) => report.warn(rel, '$', `not part of the snapshot layout (${why}); skipped`);
  const take = (rel: string) => {
    result.all.push(rel);
    return rel;
  };

  for (const entry of list(root)) {
    if (IGNORED.test(entry.name) || (entry.isDir && entry.name === REVIEW_RULES_DIR)) continue;
    if (!entry.isDir) {
      if (entry.name === 'organization.json') result.organization = take(entry.name);
      else if (entry.name !== 'generated.json') unknown(entry.name, 'expected organization.json or <account-id>/ folders');
      continue;
    }
    if (!ACCOUNT.test(entry.name)) {
      unknown(`${entry.name}/`, 'expected a 12-digit account id');
      continue;
    }
    const account: AccountFiles = { iam: [], regions: new Map() };
    result.accounts.set(entry.name, account);
    const accountDir = path.join(root, entry.name);
    for (const sub of list(accountDir)) {
      const rel = `${entry.name}/${sub.name}`;
      if (IGNORED.test(sub.name)) continue;
      if (sub.name === 'iam' && sub.isDir) {
        for (const file of list(path.join(accountDir, 'iam'))) {
          if (IGNORED.test(file.name)) continue;
          if (!file.isDir && IAM_FILE.test(file.name)) account.iam.push(take(`${rel}/${file.name}`));
          else unknown(`${rel}/${file.name}`, 'expected authorization-details*.json');
        }
      } else if (sub.isDir && REGION.test(sub.name)) {
        account.regions.set(sub.name, discoverRegion(path.join(accountDir, sub.name), rel, unknown, take, list));
      } else {
        unknown(sub.isDir ? `${rel}/` : rel, 'expected iam/ or a region folder such as us-east-1/');
      }
    }
  }
  return result;
}

function discoverRegion(
  dir: string,
  rel: string,
  unknown: (rel: string, why: string) => void,
  take: (rel: string) => string,
  list: Lister,
): RegionFiles {
  const region: RegionFiles = {
    restApis: null,
    restApiFiles: new Map(),
    httpApis: null,
    httpApiFiles: new Map(),
    functions: null,
    lambdaPolicies: [],
    vpcEndpoints: null,
  };
  for (const service of list(dir)) {
    const serviceRel = `${rel}/${service.name}`;
    if (IGNORED.test(service.name)) continue;
    if (!service.isDir) {
      unknown(serviceRel, 'expected apigateway/, apigatewayv2/, lambda/ or ec2/');
      continue;
    }
    const serviceDir = path.join(dir, service.name);
    if (service.name === 'apigateway' || service.name === 'apigatewayv2') {
      const listFile = service.name === 'apigateway' ? 'rest-apis.json' : 'apis.json';
      const perApiNames = service.name === 'apigateway' ? ['resources', 'stages'] : ['routes', 'stages', 'integrations'];
      for (const entry of list(serviceDir)) {
        const entryRel = `${serviceRel}/${entry.name}`;
        if (IGNORED.test(entry.name)) continue;
        if (!entry.isDir) {
          if (entry.name === listFile) {
            if (service.name === 'apigateway') region.restApis = take(entryRel);
            else region.httpApis = take(entryRel);
          } else unknown(entryRel, `expected ${listFile} or <api-id>/ folders`);
          continue;
        }
        const files: Record<string, string> = {};
        for (const file of list(path.join(serviceDir, entry.name))) {
          if (IGNORED.test(file.name)) continue;
          const name = file.name.replace(/\.json$/, '');
          if (!file.isDir && file.name.endsWith('.json') && perApiNames.includes(name)) files[name] = take(`${entryRel}/${file.name}`);
          else unknown(`${entryRel}/${file.name}`, `expected ${perApiNames.map((n) => `${n}.json`).join(', ')}`);
        }
        if (service.name === 'apigateway') region.restApiFiles.set(entry.name, files);
        else region.httpApiFiles.set(entry.name, files);
      }
    } else if (service.name === 'lambda') {
      for (const entry of list(serviceDir)) {
        const entryRel = `${serviceRel}/${entry.name}`;
        if (IGNORED.test(entry.name)) continue;
        if (!entry.isDir && entry.name === 'functions.json') region.functions = take(entryRel);
        else if (entry.isDir && entry.name === 'policies') {
          for (const file of list(path.join(serviceDir, 'policies'))) {
            if (IGNORED.test(file.name)) continue;
            if (!file.isDir && file.name.endsWith('.json')) region.lambdaPolicies.push(take(`${entryRel}/${file.name}`));
            else unknown(`${entryRel}/${file.name}`, 'expected <function-name>.json');
          }
        } else unknown(entryRel, 'expected functions.json or policies/');
      }
    } else if (service.name === 'ec2') {
      for (const entry of list(serviceDir)) {
        const entryRel = `${serviceRel}/${entry.name}`;
        if (IGNORED.test(entry.name)) continue;
        if (!entry.isDir && entry.name === 'vpc-endpoints.json') region.vpcEndpoints = take(entryRel);
        else unknown(entryRel, 'expected vpc-endpoints.json');
      }
    } else {
      unknown(`${serviceRel}/`, 'expected apigateway/, apigatewayv2/, lambda/ or ec2/');
    }
  }
  return region;
}
