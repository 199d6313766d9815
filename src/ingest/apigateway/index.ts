/**
 * API Gateway REST APIs: `<account>/<region>/apigateway/rest-apis.json`
 * (`aws apigateway get-rest-apis`) and per API `<api-id>/resources.json` and
 * `<api-id>/stages.json`; transformed by ./transform.ts.
 */
import type { RegionSource } from '../source';
import { discoverApiFolders, readApiFolders } from './apiFolders';
import { transformRestApis } from './transform';

const PER_API = ['resources', 'stages'] as const;

export interface RestApiPaths {
  restApis: string | null;
  restApiFiles: Map<string, { resources?: string; stages?: string }>;
}

export const apigatewaySource: RegionSource<RestApiPaths> = {
  folder: 'apigateway',
  noFiles: () => ({ restApis: null, restApiFiles: new Map() }),
  discover(context, dir, rel, files) {
    const found = discoverApiFolders(context, dir, rel, 'rest-apis.json', PER_API);
    files.restApis = found.listing;
    files.restApiFiles = found.perApi;
  },
  transform(ctx, { account, region }, files, read) {
    if (files.restApis) {
      const restApis = read(files.restApis);
      const perApi = readApiFolders(files.restApiFiles, PER_API, read);
      if (restApis) transformRestApis(ctx, account, region, restApis, perApi);
    } else if (files.restApiFiles.size > 0) {
      ctx.report.warn(
        `${account}/${region}/apigateway/`,
        '$',
        'per-API folders without rest-apis.json: skipped (run `aws apigateway get-rest-apis`)',
      );
    }
  },
};
