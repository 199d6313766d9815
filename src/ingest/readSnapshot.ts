import type { AccountRow, SnapshotRows } from '../model';
import { transformRestApis } from './apigateway/transform';
import { transformHttpApis } from './apigatewayv2/transform';
import { discoverSnapshotFiles } from './discover';
import { createIamTransform, iamAccountRow } from './iam/transform';
import { transformLambda } from './lambda/transform';
import { transformOrganization } from './organization/transform';
import { transformVpcEndpoints } from './ec2/transform';
import { readJsonFile } from './readJsonFile';
import { IngestReport } from './report';
import { RowCollector } from './rowCollector';
import type { JsonFile, TransformContext } from './transformContext';

/**
 * get → transform for a whole snapshot directory: finds its files, parses
 * every one, and turns AWS CLI output into rows. Pure apart from reading
 * files; nothing is written anywhere. Every problem and warning is collected
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

  const read = (file: string): JsonFile | undefined => readJsonFile(dir, file, report);
  const present = <T>(value: T | undefined): value is T => value !== undefined;

  const accounts = new Map<string, AccountRow>();
  if (files.organization) {
    const organization = read(files.organization);
    if (organization) transformOrganization(ctx, organization);
  }

  const iam = createIamTransform(ctx);
  for (const [account, accountFiles] of files.accounts) {
    if (accountFiles.iam.length > 0) {
      iam.addAccount(account, accountFiles.iam.map(read).filter(present));
    } else {
      report.warn(
        `${account}/`,
        '$',
        'no iam/authorization-details*.json: the account is loaded with what it has, without its users, groups, roles and policies',
      );
    }
    accounts.set(account, iamAccountRow(account));
    for (const [region, regionFiles] of accountFiles.regions) {
      if (regionFiles.restApis) {
        const restApis = read(regionFiles.restApis);
        const perApi = new Map(
          [...regionFiles.restApiFiles].map(([id, f]) => [
            id,
            { ...(f.resources ? { resources: read(f.resources) } : {}), ...(f.stages ? { stages: read(f.stages) } : {}) },
          ]),
        );
        if (restApis) transformRestApis(ctx, account, region, restApis, dropUndefined(perApi));
      } else if (regionFiles.restApiFiles.size > 0) {
        report.warn(
          `${account}/${region}/apigateway/`,
          '$',
          'per-API folders without rest-apis.json: skipped (run `aws apigateway get-rest-apis`)',
        );
      }
      if (regionFiles.httpApis) {
        const httpApis = read(regionFiles.httpApis);
        const perApi = new Map(
          [...regionFiles.httpApiFiles].map(([id, f]) => [
            id,
            {
              ...(f.routes ? { routes: read(f.routes) } : {}),
              ...(f.stages ? { stages: read(f.stages) } : {}),
              ...(f.integrations ? { integrations: read(f.integrations) } : {}),
            },
          ]),
        );
        if (httpApis) transformHttpApis(ctx, account, region, httpApis, dropUndefined(perApi));
      } else if (regionFiles.httpApiFiles.size > 0) {
        report.warn(
          `${account}/${region}/apigatewayv2/`,
          '$',
          'per-API folders without apis.json: skipped (run `aws apigatewayv2 get-apis`)',
        );
      }
      if (regionFiles.functions || regionFiles.lambdaPolicies.length > 0) {
        transformLambda(
          ctx,
          account,
          region,
          regionFiles.functions ? read(regionFiles.functions) : undefined,
          regionFiles.lambdaPolicies.map(read).filter(present),
        );
      }
      const vpcEndpoints = regionFiles.vpcEndpoints ? read(regionFiles.vpcEndpoints) : undefined;
      if (vpcEndpoints) transformVpcEndpoints(ctx, account, region, vpcEndpoints);
    }
  }
  iam.finish();

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

/** Per-API file maps without the entries whose file could not be read (already reported). */
function dropUndefined<T extends Record<string, JsonFile | undefined>>(map: Map<string, T>): Map<string, { [K in keyof T]?: JsonFile }> {
  return new Map(
    [...map].map(([id, files]) => [
      id,
      Object.fromEntries(Object.entries(files).filter(([, f]) => f !== undefined)) as { [K in keyof T]?: JsonFile },
    ]),
  );
}
