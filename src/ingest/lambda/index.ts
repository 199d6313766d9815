/**
 * Lambda: `<account>/<region>/lambda/functions.json` (`aws lambda
 * list-functions`) and `lambda/policies/<function-name>.json` (`aws lambda
 * get-policy`); transformed by ./transform.ts.
 */
import path from 'node:path';
import type { RegionSource } from '../source';
import { transformLambda } from './transform';

export interface LambdaPaths {
  functions: string | null;
  lambdaPolicies: string[];
}

export const lambdaSource: RegionSource<LambdaPaths> = {
  folder: 'lambda',
  noFiles: () => ({ functions: null, lambdaPolicies: [] }),
  discover(context, dir, rel, files) {
    for (const entry of context.list(dir)) {
      const entryRel = `${rel}/${entry.name}`;
      if (!entry.isDir && entry.name === 'functions.json') files.functions = context.take(entryRel);
      else if (entry.isDir && entry.name === 'policies') {
        for (const file of context.list(path.join(dir, 'policies'))) {
          if (!file.isDir && file.name.endsWith('.json')) files.lambdaPolicies.push(context.take(`${entryRel}/${file.name}`));
          else context.unknown(`${entryRel}/${file.name}`, 'expected <function-name>.json');
        }
      } else context.unknown(entryRel, 'expected functions.json or policies/');
    }
  },
  transform(ctx, { account, region }, files, read) {
    if (!files.functions && files.lambdaPolicies.length === 0) return;
    const functions = files.functions ? read(files.functions) : undefined;
    const policies = files.lambdaPolicies.map(read).filter((file) => file !== undefined);
    transformLambda(ctx, account, region, functions, policies);
  },
};
