import { Option } from 'commander';
import { principalPaths } from '../../services/review';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK, EXIT_VIOLATION } from '../exitCodes';
import { parsePositiveInteger } from '../options';
import { parseContext, parseHops } from '../questionOptions';
import { PATHS_FORMATS, renderPaths, type PathsFormat } from '../render/diagram';
import { addSourceOptions, withSource, type RawSourceOptions } from '../withSource';

/**
 * `whocan paths ARN --principal P`: how P reaches ARN, as text, a Mermaid
 * or Graphviz diagram, or JSON. The action follows from the ARN
 * (execute-api → execute-api:Invoke, role → sts:AssumeRole, Lambda function
 * → lambda:InvokeFunction); API Gateway management ARNs need --action.
 * Exit 0 when P has access, 1 when it has none, 2 on bad input.
 */
interface RawPathsOptions extends RawSourceOptions {
  principal: string;
  action?: string;
  format: PathsFormat;
  context: string[];
  maxHops?: number;
  maxPaths?: number;
  snapshot?: string;
}

export const registerPaths: RegisterCommand = (program, cli) => {
  addSourceOptions(
    program
      .command('paths')
      .description("a principal's access paths to a resource, as text or a diagram (Mermaid, Graphviz DOT) for review documents")
      .argument('<arn>', 'the resource: an execute-api method ARN, a role, a Lambda function, or an apigateway ARN with --action')
      .requiredOption('--principal <arn>', 'whose paths: arn:aws:iam::ACCOUNT:user/NAME, …:role/NAME, …:root, a service, or anonymous')
      .option('--action <action>', 'the action (default: from the ARN; required for apigateway ARNs)')
      .addOption(
        new Option('--format <format>', 'text, mermaid (flowchart for Markdown), dot (Graphviz) or json')
          .choices(PATHS_FORMATS)
          .default('text'),
      )
      .option(
        '--context <key=value>',
        'request context, repeatable (as for who-can)',
        (value: string, previous: string[]) => [...previous, value],
        [] as string[],
      )
      .option('--max-hops <n>', 'role assumptions to follow (default 5)', parseHops)
      .option('--max-paths <n>', 'paths drawn, shortest first (default 10)', parsePositiveInteger)
      .option('--snapshot <id>', 'ask about this snapshot (default: the current one)'),
  ).action(
    action(cli, async (arn: string, raw: RawPathsOptions) => {
      const context = parseContext(raw.context);
      return withSource(cli.io, raw, async (source) => {
        const answer = await principalPaths(source, arn, raw.principal, {
          action: raw.action,
          snapshot: raw.snapshot,
          context,
          maxHops: raw.maxHops,
          maxPaths: raw.maxPaths,
        });
        cli.io.out(renderPaths(answer, raw.format));
        if (answer.decision === 'denied' && raw.format !== 'text' && raw.format !== 'json')
          cli.io.err(`whocan: ${answer.principal} has no path to ${answer.resource} (${answer.action}).`);
        return answer.decision === 'denied' ? EXIT_VIOLATION : EXIT_OK;
      });
    }),
  );
};
