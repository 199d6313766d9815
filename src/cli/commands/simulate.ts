import { readFile } from 'node:fs/promises';
import { UserInputError } from '../../errors';
import { runSimulation, runSimulationBatch } from '../../services/simulation';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';

/**
 * `whocan simulate FILE` / `whocan simulate --batch FILE`: evaluates an AWS
 * SimulateCustomPolicy-style request with whocan's policy engine and prints
 * AWS-style results as JSON on stdout. No database is needed.
 *
 * Exit codes: 0 answered (whatever the decisions), 2 bad input (the message
 * names the file or the field).
 * Request format: docs/policy-engine.md, section "simulate".
 */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((error as Error).message);
    throw new UserInputError(`Cannot read ${file}: ${reason}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export const registerSimulate: RegisterCommand = (program, cli) => {
  program
    .command('simulate')
    .description('decide an AWS SimulateCustomPolicy-style request (JSON file) with the policy engine; prints AWS-style results as JSON')
    .argument('[file]', 'a JSON request: CallerArn, ActionNames, ResourceArns, PolicyInputList, ResourcePolicy, ContextEntries, …')
    .option('--batch <file>', 'a JSON array of requests; prints an array of results, in order')
    .action(
      action(cli, async (file: string | undefined, options: { batch?: string }) => {
        if (file !== undefined && options.batch !== undefined) {
          throw new UserInputError('Give either a request FILE or --batch FILE, not both');
        }
        if (options.batch !== undefined) {
          const output = await runSimulationBatch(await readJson(options.batch)).catch((error: unknown) => {
            throw error instanceof UserInputError ? new UserInputError(`${options.batch}: ${error.message}`, error.details) : error;
          });
          cli.io.out(JSON.stringify(output, null, 2));
          return EXIT_OK;
        }
        if (file === undefined)
          throw new UserInputError('Missing the request FILE (or --batch FILE)', [
            'usage: whocan simulate FILE | whocan simulate --batch FILE',
          ]);
        const request = await readJson(file);
        if (Array.isArray(request)) throw new UserInputError(`${file} holds a list of requests: run \`whocan simulate --batch ${file}\``);
        const output = await runSimulation(request).catch((error: unknown) => {
          throw error instanceof UserInputError ? new UserInputError(`${file}: ${error.message}`, error.details) : error;
        });
        cli.io.out(JSON.stringify(output, null, 2));
        return EXIT_OK;
      }),
    );
};
