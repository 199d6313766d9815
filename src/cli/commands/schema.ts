import { readFileSync, writeFileSync } from 'node:fs';
import { buildWhocanSchema, printWhocanSchema } from '../../api/schema';
import { schemaFile } from '../../config/paths';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK, EXIT_VIOLATION } from '../exitCodes';

/** `whocan schema [--write|--check]`: prints the GraphQL SDL the code defines, writes it to schema/, or checks for drift. */
export const registerSchema: RegisterCommand = (program, cli) => {
  program
    .command('schema')
    .description('print the GraphQL schema (SDL); --write updates schema/schema.graphql, --check fails on drift')
    .option('--write', 'write schema/schema.graphql')
    .option('--check', 'exit 1 when schema/schema.graphql differs from the code')
    .action(
      action(cli, async (options: { write?: boolean; check?: boolean }) => {
        const sdl = printWhocanSchema(await buildWhocanSchema());
        const file = schemaFile();
        if (options.write) {
          writeFileSync(file, sdl);
          cli.io.err(`wrote ${file}`);
          return EXIT_OK;
        }
        if (options.check) {
          let committed: string;
          try {
            committed = readFileSync(file, 'utf8');
          } catch {
            committed = '';
          }
          if (committed !== sdl) {
            cli.io.err(`${file} differs from the schema the code defines: run \`npm run schema\` and commit the result.`);
            return EXIT_VIOLATION;
          }
          cli.io.out(`${file} is up to date.`);
          return EXIT_OK;
        }
        cli.io.out(sdl);
        return EXIT_OK;
      }),
    );
};
