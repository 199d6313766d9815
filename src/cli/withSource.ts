import type { Command } from 'commander';
import { LocalAccessSource, type AccessSource } from '../services/review';
import type { CliIo } from './output';
import { withAnalysis } from './withAnalysis';

/** Options of the commands that can ask the local database or a whocan server. */
export interface RawSourceOptions {
  server?: string;
  token?: string;
}

export function addSourceOptions(command: Command): Command {
  return command;
}

/** Runs a command body with the access source the options name: the local database. */
export async function withSource<T>(io: CliIo, _raw: RawSourceOptions, body: (source: AccessSource) => Promise<T>): Promise<T> {
  return withAnalysis(io, (analysis) => body(new LocalAccessSource(analysis)));
}
