/**
 * EC2: `<account>/<region>/ec2/vpc-endpoints.json` (`aws ec2
 * describe-vpc-endpoints`), the execute-api interface endpoints; transformed
 * by ./transform.ts.
 */
import type { RegionSource } from '../source';
import { transformVpcEndpoints } from './transform';

export interface Ec2Paths {
  /** ec2/vpc-endpoints.json: `aws ec2 describe-vpc-endpoints`. */
  vpcEndpoints: string | null;
}

export const ec2Source: RegionSource<Ec2Paths> = {
  folder: 'ec2',
  noFiles: () => ({ vpcEndpoints: null }),
  discover(context, dir, rel, files) {
    for (const entry of context.list(dir)) {
      const entryRel = `${rel}/${entry.name}`;
      if (!entry.isDir && entry.name === 'vpc-endpoints.json') files.vpcEndpoints = context.take(entryRel);
      else context.unknown(entryRel, 'expected vpc-endpoints.json');
    }
  },
  transform(ctx, { account, region }, files, read) {
    const vpcEndpoints = files.vpcEndpoints ? read(files.vpcEndpoints) : undefined;
    if (vpcEndpoints) transformVpcEndpoints(ctx, account, region, vpcEndpoints);
  },
};
