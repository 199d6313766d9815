import type { Command } from 'commander';
import { UserInputError } from '../errors';
import type { QuestionOptions } from '../services';
import { parsePositiveInteger } from './options';

/**
 * The options every access question shares (`who-can`, `who-can-invoke`,
 * `can`, `invocable`, `role-paths`, `reach`, …), declared and read in one place.
 */
export interface RawQuestionOptions {
  context?: string[];
  maxHops?: number;
  maxPaths?: number;
  includeRoot?: boolean;
  includeDenied?: boolean;
  snapshot?: string;
  json?: boolean;
}

export function addQuestionOptions(command: Command, extra: { paths?: boolean; denied?: boolean; root?: boolean } = {}): Command {
  command
    .option(
      '--context <key=value>',
      'request context, repeatable: aws:SourceIp=203.0.113.9, aws:MultiFactorAuthPresent=true, sts:ExternalId=…; a key given twice is a list',
      collect,
      [],
    )
    .option('--max-hops <n>', 'role assumptions to follow (default 5)', parseHops)
    .option('--snapshot <id>', 'ask about this snapshot (default: the current one; see `whocan snapshots`)');
  if (extra.paths !== false)
    command.option('--max-paths <n>', 'paths listed per principal, shortest first (default 10)', parsePositiveInteger);
  if (extra.root !== false)
    command.option(
      '--include-root',
      'include the root users of the ingested accounts (left out by default: they can do everything in their own account unless an SCP denies)',
    );
  if (extra.denied) command.option('--include-denied', 'also list callers that were decided and denied');
  return command.option('--json', 'print one JSON object on stdout (for scripts)');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseHops(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 20) throw new UserInputError(`--max-hops ${value}: expected a whole number from 0 to 20`);
  return Number(value);
}

const CONTEXT_KEY = /^[A-Za-z0-9-]+:[^=\s]+$/;

/** `KEY=VALUE` entries as request context; a key given more than once becomes a list. */
export function parseContext(entries: readonly string[]): Record<string, string | string[]> | undefined {
  if (entries.length === 0) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const key = at > 0 ? entry.slice(0, at).trim() : '';
    if (!CONTEXT_KEY.test(key)) {
      throw new UserInputError(
        `--context ${JSON.stringify(entry)}: expected KEY=VALUE with a condition key such as aws:SourceIp=203.0.113.9 or aws:PrincipalTag/team=payments`,
      );
    }
    const value = entry.slice(at + 1);
    const existing = Object.keys(out).find((k) => k.toLowerCase() === key.toLowerCase());
    if (existing === undefined) out[key] = value;
    else {
      const previous = out[existing]!;
      out[existing] = Array.isArray(previous) ? [...previous, value] : [previous, value];
    }
  }
  return out;
}

export function questionOptions(raw: RawQuestionOptions): QuestionOptions {
  const context = parseContext(raw.context ?? []);
  return {
    ...(context ? { context } : {}),
    ...(raw.maxHops !== undefined ? { maxHops: raw.maxHops } : {}),
    ...(raw.maxPaths !== undefined ? { maxPaths: raw.maxPaths } : {}),
    ...(raw.includeRoot ? { includeRoot: true } : {}),
    ...(raw.includeDenied ? { includeDenied: true } : {}),
    ...(raw.snapshot !== undefined ? { snapshot: raw.snapshot } : {}),
  };
}
