import type { Command } from 'commander';
import { isAppError } from '../errors';
import { EXIT_INTERNAL, EXIT_USAGE } from './exitCodes';
import type { CliIo } from './output';

/**
 * What every command module exports: a function that adds its subcommand to
 * the program. Actions are wrapped by `action()` below so that every command
 * turns errors into one clear message and an exit code the same way.
 */
export type RegisterCommand = (program: Command, cli: CliContext) => void;

export interface CliContext {
  io: CliIo;
  /** Set by `action()`; read by main() once commander has finished. */
  exitCode: number;
}

/** Maps an error to a message and an exit code: AppErrors are the user's to fix (2), anything else is a bug (70). */
export function reportError(cli: CliContext, error: unknown): number {
  if (isAppError(error)) {
    cli.io.err(`whocan: ${error.describe()}`);
    return EXIT_USAGE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  cli.io.err(`whocan: internal error (a bug in whocan; please report it with the lines below)\n${detail}`);
  return EXIT_INTERNAL;
}

/** Wraps a command body: its resolved number is the exit code; a thrown error is reported. */
export function action<Args extends unknown[]>(
  cli: CliContext,
  body: (...args: Args) => Promise<number>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      cli.exitCode = await body(...args);
    } catch (error) {
      cli.exitCode = reportError(cli, error);
    }
  };
}
