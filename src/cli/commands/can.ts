import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { addQuestionOptions, questionOptions, type RawQuestionOptions } from '../questionOptions';
import { renderCan } from '../render/can';
import { withAnalysis } from '../withAnalysis';

/** `whocan can PRINCIPAL ACTION ARN`: the policy simulator on the ingested data, plus what the principal reaches through roles. */
export const registerCan: RegisterCommand = (program, cli) => {
  addQuestionOptions(
    program
      .command('can')
      .description(
        'can PRINCIPAL do ACTION on ARN? The decision with the deciding statements of every policy type, and what roles it can become add',
      )
      .argument('<principal>', 'a user or role ARN, arn:aws:iam::ACCOUNT:root, or a service name')
      .argument('<action>', 'service:Action, e.g. execute-api:Invoke')
      .argument('<arn>', 'the resource ARN'),
    { root: false },
  ).action(
    action(cli, async (principal: string, actionName: string, arn: string, raw: RawQuestionOptions) =>
      withAnalysis(cli.io, async (analysis) => {
        const answer = await analysis.can(principal, actionName, arn, questionOptions(raw));
        cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderCan(answer));
        return EXIT_OK;
      }),
    ),
  );
};
