import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { reportError, type CliContext, type RegisterCommand } from './command';
import { registerDb } from './commands/db';
import { registerGenerate } from './commands/generate';
import { registerIngest } from './commands/ingest';
import { registerIndex } from './commands/accessIndex';
import { registerMigrate } from './commands/migrate';
import { registerSchema } from './commands/schema';
import { registerSimulate } from './commands/simulate';
import { registerSnapshots } from './commands/snapshots';
import { registerToken } from './commands/token';
import { registerWhoCan, registerWhoCanInvoke } from './commands/whoCan';
import { registerCan } from './commands/can';
import { registerFindings } from './commands/findings';
import { registerInvocable } from './commands/invocable';
import { registerReach } from './commands/reach';
import { registerRolePaths } from './commands/rolePaths';
import { registerReview } from './commands/review';
import { registerDiff } from './commands/diff';
import { registerPaths } from './commands/paths';
import { EXIT_OK, EXIT_USAGE } from './exitCodes';
import { processIo, type CliIo } from './output';

/**
 * Every subcommand, in the order `whocan --help` lists them. Each lives in
 * its own file under ./commands and exports a RegisterCommand.
 */
const COMMANDS: readonly RegisterCommand[] = [
  registerWhoCanInvoke,
  registerWhoCan,
  registerCan,
  registerInvocable,
  registerRolePaths,
  registerReach,
  registerFindings,
  registerReview,
  registerDiff,
  registerPaths,
  registerIngest,
  registerIndex,
  registerSnapshots,
  registerSimulate,
  registerGenerate,
  registerDb,
  registerMigrate,
  registerSchema,
  registerToken,
];

/** Entry point of the `whocan` executable; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const cli: CliContext = { io, exitCode: EXIT_OK };
  const program = new Command('whocan')
    .description('Who can invoke this API method, who can change this API, and through which path.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  for (const register of COMMANDS) register(program, cli);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes with 1, which we report as 2.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    // An option's own parser (--max-hops, --context …) refuses a value with whocan's errors: exit 2 with the message, as inside a command.
    return reportError(cli, error);
  }
  return cli.exitCode;
}
