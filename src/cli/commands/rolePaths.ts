import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { addQuestionOptions, questionOptions, type RawQuestionOptions } from '../questionOptions';
import { renderReachableRoles, renderRolePaths } from '../render/rolePaths';
import { withAnalysis } from '../withAnalysis';

/** `whocan role-paths FROM [TO]`: the chains of sts:AssumeRole from a principal to a role, or every role it can become. */
export const registerRolePaths: RegisterCommand = (program, cli) => {
  addQuestionOptions(
    program
      .command('role-paths')
      .description(
        'how can FROM become the role TO? Chains of sts:AssumeRole, shortest first, with the deciding statements and conditions of each hop. Without TO: every role FROM can become, with its shortest chain',
      )
      .argument('<from>', 'a user or role ARN, an account stand-in arn:aws:iam::ACCOUNT:root, or a service name')
      .argument('[to]', 'the role ARN; leave it out to list every role FROM reaches'),
    { root: false },
  ).action(
    action(cli, async (from: string, to: string | undefined, raw: RawQuestionOptions) =>
      withAnalysis(cli.io, async (analysis) => {
        const options = questionOptions(raw);
        if (to === undefined) {
          const answer = await analysis.reachableRoles(from, options);
          cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderReachableRoles(answer));
        } else {
          const answer = await analysis.rolePaths(from, to, options);
          cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderRolePaths(answer));
        }
        return EXIT_OK;
      }),
    ),
  );
};
