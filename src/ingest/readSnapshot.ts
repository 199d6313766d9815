import type { AccountRow, SnapshotRows } from '../model';
import { discoverSnapshotFiles } from './discover';
import { iamAccountRow } from './iam/transform';
import { readJsonFile } from './readJsonFile';
import { IngestReport } from './report';
import type { ReadFile } from './source';
import { ACCOUNT_SOURCE, REGION_SOURCES, SNAPSHOT_SOURCE } from './sources';
import type { TransformContext } from './transformContext';
import { RowCollector } from './rowCollector';

/**
 * get → transform for a whole snapshot directory: finds its files, parses
 * every one, and turns AWS CLI output into rows, source by source
 * (src/ingest/sources.ts). Pure apart from reading files; nothing is
 * written anywhere. Every problem and warning is collected
 * (with file and JSON path) so the user sees all of them in one run.
 */
export function readSnapshot(dir: string): { rows: SnapshotRows; report: IngestReport } {
  const report = new IngestReport();
  const ctx: TransformContext = { report, rows: new RowCollector(report) };
  const files = discoverSnapshotFiles(dir, report);
  if (!files.all.some((file) => file !== files.organization)) {
    // An empty directory, a README, only organization.json: loading it would make an empty snapshot current.
    const skipped = report.warnings.map((w) => w.file);
    report.problem(
      '.',
      '$',
      'holds no account data: expected at least one <12-digit account id>/ folder with iam/authorization-details*.json, <region>/apigateway/rest-apis.json, <region>/apigatewayv2/apis.json or <region>/lambda/functions.json (see "Snapshot layout" in the README)' +
        (skipped.length > 0
          ? `; ${skipped.length} entr${skipped.length === 1 ? 'y does' : 'ies do'} not fit the layout: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`
          : ''),
    );
    return { rows: ctx.rows.rows(), report };
  }

  const read: ReadFile = (file) => readJsonFile(dir, file, report);

  const accounts = new Map<string, AccountRow>();
  if (files.organization) {
    const organization = read(files.organization);
    if (organization) SNAPSHOT_SOURCE.transform(ctx, organization);
  }

  const perAccount = ACCOUNT_SOURCE.start(ctx);
  for (const [account, accountFiles] of files.accounts) {
    perAccount.addAccount(account, accountFiles, read);
    accounts.set(account, iamAccountRow(account));
    for (const [region, regionFiles] of accountFiles.regions) {
      for (const source of REGION_SOURCES) source.transform(ctx, { account, region }, regionFiles, read);
    }
  }
  perAccount.finish();

  // Accounts: what the organization says, marked ingested when the snapshot has a folder for them.
  const rows = ctx.rows.rows();
  const fromOrganization = new Map(rows.accounts.map((a) => [a.key, a]));
  for (const [id, row] of accounts) {
    const known = fromOrganization.get(id);
    fromOrganization.set(id, known ? { ...known, ingested: true } : row);
  }
  rows.accounts = [...fromOrganization.values()].sort((a, b) => a.key.localeCompare(b.key));
  return { rows, report };
}
