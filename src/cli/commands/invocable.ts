import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { addQuestionOptions, questionOptions, type RawQuestionOptions } from '../questionOptions';
import { renderInvocable } from '../render/invocable';
import { withAnalysis } from '../withAnalysis';

/** `whocan invocable PRINCIPAL`: every method the principal, or a role it becomes, may invoke. */
export const registerInvocable: RegisterCommand = (program, cli) => {
  addQuestionOptions(
    program
      .command('invocable')
      .description('what can PRINCIPAL invoke? Every API method it, or a role it can become, may invoke')
      .argument('<principal>', 'a user or role ARN (or an account stand-in arn:aws:iam::ACCOUNT:root)')
      .option(
        '--include-unsigned',
        'also list methods without IAM authorization (NONE, Lambda, Cognito and JWT authorizers), which anyone the authorizer accepts may call',
      ),
    { paths: false, root: false },
  ).action(
    action(cli, async (principal: string, raw: RawQuestionOptions & { includeUnsigned?: boolean }) =>
      withAnalysis(cli.io, async (analysis) => {
        const answer = await analysis.invocableMethods(principal, {
          ...questionOptions(raw),
          ...(raw.includeUnsigned ? { includeUnsigned: true } : {}),
        });
        cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderInvocable(answer));
        return EXIT_OK;
      }),
    ),
  );
};
