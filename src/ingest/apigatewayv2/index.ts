/**
 * API Gateway HTTP APIs: `<account>/<region>/apigatewayv2/apis.json`
 * (`aws apigatewayv2 get-apis`) and per API `<api-id>/routes.json`,
 * `stages.json` and `integrations.json`; transformed by ./transform.ts.
 */
import { discoverApiFolders, readApiFolders } from '../apigateway/apiFolders';
import type { RegionSource } from '../source';
import { transformHttpApis } from './transform';

const PER_API = ['routes', 'stages', 'integrations'] as const;

export interface HttpApiPaths {
  httpApis: string | null;
  httpApiFiles: Map<string, { routes?: string; stages?: string; integrations?: string }>;
}

export const apigatewayv2Source: RegionSource<HttpApiPaths> = {
  folder: 'apigatewayv2',
  noFiles: () => ({ httpApis: null, httpApiFiles: new Map() }),
  discover(context, dir, rel, files) {
    const found = discoverApiFolders(context, dir, rel, 'apis.json', PER_API);
    files.httpApis = found.listing;
    files.httpApiFiles = found.perApi;
  },
  transform(ctx, { account, region }, files, read) {
    if (files.httpApis) {
      const httpApis = read(files.httpApis);
      const perApi = readApiFolders(files.httpApiFiles, PER_API, read);
      if (httpApis) transformHttpApis(ctx, account, region, httpApis, perApi);
    } else if (files.httpApiFiles.size > 0) {
      ctx.report.warn(
        `${account}/${region}/apigatewayv2/`,
        '$',
        'per-API folders without apis.json: skipped (run `aws apigatewayv2 get-apis`)',
      );
    }
  },
};
