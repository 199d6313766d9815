import { UserInputError } from '../../errors';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { addQuestionOptions, questionOptions, type RawQuestionOptions } from '../questionOptions';
import { renderWhoCan } from '../render/whoCan';
import { withAnalysis } from '../withAnalysis';

/**
 * `whocan who-can-invoke ARN` and `whocan who-can ACTION ARN`: everyone who
 * can, directly or through chains of roles, with the decision (allowed,
 * conditional, partial), the conditions and the paths. `--json` prints the
 * answer as one object (the contract scripted reviews rely on); without it, a
 * table. A malformed ARN, or one that names nothing ingested, exits with 2.
 */
export const registerWhoCanInvoke: RegisterCommand = (program, cli) => {
  addQuestionOptions(
    program
      .command('who-can-invoke')
      .description(
        'who can invoke an API method: by request ARN (…/prod/GET/pets/42), method template ARN (…/prod/GET/pets/{id}), or --api/--stage/--verb/--path',
      )
      .argument('[arn]', 'arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH')
      .option('--api <id>', 'the API id (with --stage, --verb and --path instead of an ARN)')
      .option('--stage <name>', 'the stage')
      .option('--verb <verb>', 'GET, POST, …, ANY, or $default')
      .option('--path <template>', 'the path template, e.g. /pets/{id}'),
    { denied: true },
  ).action(
    action(
      cli,
      async (arn: string | undefined, raw: RawQuestionOptions & { api?: string; stage?: string; verb?: string; path?: string }) => {
        const byRef = raw.api !== undefined || raw.stage !== undefined || raw.verb !== undefined || raw.path !== undefined;
        if (arn !== undefined && byRef) throw new UserInputError('Give either an ARN or --api/--stage/--verb/--path, not both.');
        if (arn === undefined && !byRef)
          throw new UserInputError('Missing the method: give an execute-api ARN, or --api ID --stage NAME --verb VERB --path TEMPLATE.');
        if (byRef && (!raw.api || !raw.stage || !raw.verb || (raw.path === undefined && raw.verb !== '$default'))) {
          throw new UserInputError('A method reference needs --api, --stage, --verb and --path (no --path for --verb $default).');
        }
        const options = questionOptions(raw);
        return withAnalysis(cli.io, async (analysis) => {
          const answer = await analysis.whoCanInvoke(
            arn !== undefined
              ? { requestArn: arn }
              : { method: { apiId: raw.api!, stage: raw.stage!, verb: raw.verb!, path: raw.path ?? '' } },
            options,
          );
          cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderWhoCan(answer));
          return EXIT_OK;
        });
      },
    ),
  );
};

export const registerWhoCan: RegisterCommand = (program, cli) => {
  addQuestionOptions(
    program
      .command('who-can')
      .description(
        'who can perform ACTION on ARN: apigateway:PATCH on arn:aws:apigateway:REGION::/restapis/ID, sts:AssumeRole on a role, lambda:InvokeFunction on a function, iam:PassRole, execute-api:…',
      )
      .argument('<action>', 'service:Action, e.g. apigateway:PATCH')
      .argument('<arn>', 'the resource ARN'),
    { denied: true },
  ).action(
    action(cli, async (actionName: string, arn: string, raw: RawQuestionOptions) => {
      const options = questionOptions(raw);
      return withAnalysis(cli.io, async (analysis) => {
        const answer = await analysis.whoCan(actionName, arn, options);
        cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderWhoCan(answer));
        return EXIT_OK;
      });
    }),
  );
};
