import { InvalidArgumentError } from 'commander';
import { API_ROLES, createApiToken, type ApiRole } from '../../security/apiTokens';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';

/** `whocan token create --role reader|admin`: prints a new API token once, and the configuration line that accepts it. */
export const registerToken: RegisterCommand = (program, cli) => {
  const token = program.command('token').description('manage API tokens for the GraphQL server');
  token
    .command('create')
    .description('create an API token: prints the token once and the WHOCAN_API_TOKENS entry to configure')
    .requiredOption('--role <role>', `what the token may do: ${API_ROLES.join(' or ')}`, (value: string) => {
      if (!(API_ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${API_ROLES.join(' or ')}`);
      return value as ApiRole;
    })
    .action(
      action(cli, async (options: { role: ApiRole }) => {
        const created = createApiToken(options.role);
        cli.io.out(
          [
            `New ${options.role} token (shown only now; store it in your secret manager):`,
            '',
            `  ${created.token}`,
            '',
            'Accept it on the server by adding this entry to WHOCAN_API_TOKENS (comma-separated; it holds only a salted hash):',
            '',
            `  WHOCAN_API_TOKENS=${created.entry}`,
            '',
            `Call the API with:  curl -H 'Authorization: Bearer ${created.token.slice(0, 12)}…' …`,
          ].join('\n'),
        );
        return EXIT_OK;
      }),
    );
};
