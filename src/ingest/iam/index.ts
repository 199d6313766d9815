/**
 * IAM: `<account>/iam/authorization-details*.json` (`aws iam
 * get-account-authorization-details`, one file or its pages); transformed by
 * ./transform.ts once every account is read (see there).
 */
import type { AccountSource } from '../source';
import { createIamTransform } from './transform';

const IAM_FILE = /^authorization-details.*\.json$/;

export interface IamPaths {
  iam: string[];
}

export const iamSource: AccountSource<IamPaths> = {
  folder: 'iam',
  noFiles: () => ({ iam: [] }),
  discover(context, dir, rel, files) {
    for (const file of context.list(dir)) {
      if (!file.isDir && IAM_FILE.test(file.name)) files.iam.push(context.take(`${rel}/${file.name}`));
      else context.unknown(`${rel}/${file.name}`, 'expected authorization-details*.json');
    }
  },
  start(ctx) {
    const iam = createIamTransform(ctx);
    return {
      addAccount(account, files, read) {
        if (files.iam.length > 0) {
          iam.addAccount(
            account,
            files.iam.map(read).filter((file) => file !== undefined),
          );
        } else {
          ctx.report.warn(
            `${account}/`,
            '$',
            'no iam/authorization-details*.json: the account is loaded with what it has, without its users, groups, roles and policies',
          );
        }
      },
      finish: () => iam.finish(),
    };
  },
};
