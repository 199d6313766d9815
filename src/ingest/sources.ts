/**
 * Every AWS source the ingest reads, one folder each (`src/ingest/<source>/`:
 * `index.ts` says which files it reads, `transform.ts` turns them into rows).
 * discover.ts finds their files and readSnapshot.ts transforms them in this
 * order: the organization, IAM per account, then per region each regional
 * source.
 */
import { apigatewaySource, type RestApiPaths } from './apigateway';
import { apigatewayv2Source, type HttpApiPaths } from './apigatewayv2';
import { ec2Source, type Ec2Paths } from './ec2';
import { iamSource } from './iam';
import { lambdaSource, type LambdaPaths } from './lambda';
import { organizationSource } from './organization';

export const SNAPSHOT_SOURCE = organizationSource;
export const ACCOUNT_SOURCE = iamSource;
export const REGION_SOURCES = [apigatewaySource, apigatewayv2Source, lambdaSource, ec2Source] as const;

/** The files of every regional source in one region folder. */
export type RegionFiles = RestApiPaths & HttpApiPaths & LambdaPaths & Ec2Paths;

export function noRegionFiles(): RegionFiles {
  return Object.assign({}, ...REGION_SOURCES.map((source) => source.noFiles())) as RegionFiles;
}
