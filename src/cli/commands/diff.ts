import { Option } from 'commander';
import { UserInputError } from '../../errors';
import { ACCESS_KINDS, type AccessKind } from '../../services';
import { runDiff, widens } from '../../services/review';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK, EXIT_VIOLATION } from '../exitCodes';
import { parsePositiveInteger } from '../options';
import { parseContext, parseHops } from '../questionOptions';
import { renderDiff } from '../render/diff';
import { REPORT_FORMATS, type ReportFormat } from '../render/formats';
import { addSourceOptions, withSource, type RawSourceOptions } from '../withSource';
import { writeReport } from './review';

/**
 * `whocan diff [--from ID] [--to ID]`: who gained and who lost which access
 * between two snapshots (by default the one before the current one, and the
 * current one): invoke (every method on every stage), manage (POST, PUT,
 * PATCH, DELETE on every API) and assume (who can assume each role directly).
 */
interface RawDiffOptions extends RawSourceOptions {
  from?: string;
  to?: string;
  kind: string[];
  api: string[];
  context: string[];
  maxHops?: number;
  maxPaths?: number;
  format: ReportFormat;
  json?: boolean;
  output?: string;
  failOnGain?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const registerDiff: RegisterCommand = (program, cli) => {
  addSourceOptions(
    program
      .command('diff')
      .description(
        'who gained and who lost which access between two snapshots, with paths (default: the previous snapshot and the current one)',
      )
      .option('--from <id>', 'the earlier snapshot (default: the newest complete snapshot before --to)')
      .option('--to <id>', 'the later snapshot (default: the current one)')
      .option('--kind <kind>', `only this kind of access (repeatable): ${ACCESS_KINDS.join(', ')}`, collect, [] as string[])
      .option('--api <id-or-name>', 'only this API (repeatable; * and ? match any characters)', collect, [] as string[])
      .option('--context <key=value>', 'request context, repeatable (as for who-can)', collect, [] as string[])
      .option('--max-hops <n>', 'role assumptions to follow (default 5)', parseHops)
      .option('--max-paths <n>', 'paths listed per change (default 3)', parsePositiveInteger)
      .addOption(new Option('--format <format>', 'table, json, csv, markdown or junit').choices(REPORT_FORMATS).default('table'))
      .option('--json', 'the same as --format json')
      .option('--output <file>', 'write the report in --format to this file, and print the table on stdout')
      .option('--fail-on-gain', 'exit 1 when someone gained access (or broader access); lost access alone exits 0'),
  ).action(
    action(cli, async (raw: RawDiffOptions) => {
      const format: ReportFormat = raw.json ? 'json' : raw.format;
      if (raw.json && raw.format !== 'table' && raw.format !== 'json')
        throw new UserInputError(`--json and --format ${raw.format} disagree: give one of them.`);
      for (const kind of raw.kind) {
        if (!(ACCESS_KINDS as readonly string[]).includes(kind))
          throw new UserInputError(`--kind ${kind}: expected one of ${ACCESS_KINDS.join(', ')}`);
      }
      const context = parseContext(raw.context);
      return withSource(cli.io, raw, async (source) => {
        let last = 0;
        const started = Date.now();
        const report = await runDiff(
          source,
          { from: raw.from, to: raw.to },
          {
            ...(raw.kind.length ? { kinds: raw.kind as AccessKind[] } : {}),
            ...(raw.api.length ? { apis: raw.api } : {}),
            ...(context ? { context } : {}),
            maxHops: raw.maxHops,
            maxPaths: raw.maxPaths,
            onProgress: (done, total) => {
              // Only when comparing takes long enough to wonder.
              const now = Date.now();
              if (now - started > 2_000 && now - last > 2_000) {
                last = now;
                cli.io.err(`comparing: ${done}/${total} questions…`);
              }
            },
          },
        );
        const text = renderDiff(report, format);
        if (raw.output !== undefined) {
          writeReport(raw.output, text);
          cli.io.out(renderDiff(report, 'table'));
        } else {
          cli.io.out(text);
        }
        return raw.failOnGain && report.changes.some(widens) ? EXIT_VIOLATION : EXIT_OK;
      });
    }),
  );
};
