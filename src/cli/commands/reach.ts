import { UserInputError } from '../../errors';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { addQuestionOptions, questionOptions, type RawQuestionOptions } from '../questionOptions';
import { renderCallerReach, renderFunctionReach } from '../render/reach';
import { withAnalysis } from '../withAnalysis';

/**
 * `whocan reach --principal ARN`: the Lambda functions a caller reaches
 * through API methods (caller → method → the role the integration runs as →
 * function), even those it may not invoke directly.
 * `whocan reach --function ARN`: who reaches a function, directly or through APIs.
 */
export const registerReach: RegisterCommand = (program, cli) => {
  addQuestionOptions(
    program
      .command('reach')
      .description('backends reached through API integrations: --principal ARN (what it reaches) or --function ARN (who reaches it)')
      .option('--principal <arn>', 'a user or role ARN')
      .option('--function <arn>', 'a Lambda function ARN'),
    { denied: false },
  ).action(
    action(cli, async (raw: RawQuestionOptions & { principal?: string; function?: string }) => {
      if ((raw.principal === undefined) === (raw.function === undefined))
        throw new UserInputError('Give exactly one of --principal ARN or --function ARN.');
      const options = questionOptions(raw);
      return withAnalysis(cli.io, async (analysis) => {
        if (raw.principal !== undefined) {
          const answer = await analysis.callerReach(raw.principal, options);
          cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderCallerReach(answer));
        } else {
          const answer = await analysis.functionReach(raw.function!, options);
          cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderFunctionReach(answer));
        }
        return EXIT_OK;
      });
    }),
  );
};
