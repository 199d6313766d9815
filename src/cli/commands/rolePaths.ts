import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { addQuestionOptions, questionOptions, type RawQuestionOptions } from '../questionOptions';
import { renderRolePaths } from '../render/rolePaths';
import { withAnalysis } from '../withAnalysis';

/** `whocan role-paths FROM TO`: the chains of sts:AssumeRole from a principal to a role. */
export const registerRolePaths: RegisterCommand = (program, cli) => {
  addQuestionOptions(
    program
      .command('role-paths')
      .description('how can FROM become the role TO? Chains of sts:AssumeRole, shortest first, with the deciding statements and conditions of each hop')
      .argument('<from>', 'a user or role ARN, an account stand-in arn:aws:iam::ACCOUNT:root, or a service name')
      .argument('<to>', 'the role ARN'),
    { root: false },
  ).action(
    action(cli, async (from: string, to: string, raw: RawQuestionOptions) =>
      withAnalysis(cli.io, async (analysis) => {
        const answer = await analysis.rolePaths(from, to, questionOptions(raw));
        cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderRolePaths(answer));
        return EXIT_OK;
      }),
    ),
  );
};
