import type { Command } from 'commander';
import { UserInputError } from '../errors';
import { RemoteAccessSource } from '../services/remote';
import { IndexAccessSource, type AccessSource } from '../services/review';
import type { CliIo } from './output';
import { withAnalysis } from './withAnalysis';

/**
 * Where `review`, `diff` and `paths` get their answers: the local database
 * (as every other question), or a whocan server over GraphQL with
 * `--server URL` (`--token`, or WHOCAN_TOKEN, for its API token).
 */
export interface RawSourceOptions {
  server?: string;
  token?: string;
}

export function addSourceOptions(command: Command): Command {
  return command
    .option('--server <url>', 'ask a whocan server over GraphQL instead of the local database (e.g. https://whocan.example.com/graphql)')
    .option(
      '--token <token>',
      'API token for --server (default: the WHOCAN_TOKEN environment variable, which keeps it out of process lists)',
    );
}

/** Runs a command body with the access source the options name. */
export async function withSource<T>(
  io: CliIo,
  raw: RawSourceOptions,
  body: (source: AccessSource) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  if (raw.token !== undefined && raw.server === undefined)
    throw new UserInputError(
      '--token is for --server: give the URL of the whocan server too (without --server the local database is asked, which needs no token).',
    );
  if (raw.server !== undefined) {
    return body(new RemoteAccessSource({ url: raw.server, token: raw.token ?? env['WHOCAN_TOKEN'] }));
  }
  // The local database: the access index where it answers (reviews over every API), the analysis for the rest.
  return withAnalysis(io, (analysis, session) => body(new IndexAccessSource(session.graph, analysis)));
}
