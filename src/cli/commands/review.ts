import { writeFileSync } from 'node:fs';
import { Option } from 'commander';
import { UserInputError } from '../../errors';
import { atLeastAsSevere } from '../../services';
import { RemoteAccessSource } from '../../services/remote';
import {
  DEFAULT_MAX_ACCESS,
  DEFAULT_MAX_VIOLATIONS,
  parseRules,
  readRulesFile,
  runReview,
  selectRules,
  SEVERITIES,
  type ReviewReport,
  type RuleSeverity,
} from '../../services/review';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK, EXIT_VIOLATION } from '../exitCodes';
import { parsePositiveInteger } from '../options';
import { ingestProgressPrinter } from '../progress';
import { parseHops } from '../questionOptions';
import { REPORT_FORMATS, type ReportFormat } from '../render/formats';
import { renderReview } from '../render/review';
import { addSourceOptions, withSource, type RawSourceOptions } from '../withSource';

/**
 * `whocan review RULES.yaml`: checks every rule of a rules file on a
 * snapshot (docs/review.md). Exit 0 when every rule holds, 1 when a rule is
 * violated (of at least --fail-on severity), 2 when the rules file, the
 * options or the setup is wrong (nothing is evaluated then).
 */
interface RawReviewOptions extends RawSourceOptions {
  format: ReportFormat;
  json?: boolean;
  output?: string;
  rule: string[];
  snapshot?: string;
  maxHops?: number;
  maxPaths?: number;
  maxViolations?: number;
  maxAccess?: number;
  all?: boolean;
  failOn: RuleSeverity;
  validate?: boolean;
}

export const registerReview: RegisterCommand = (program, cli) => {
  addSourceOptions(
    program
      .command('review')
      .description(
        'check the access rules of RULES.yaml on a snapshot: exit 0 when every rule holds, 1 when one is violated, 2 on bad input',
      )
      .argument('<rules>', 'the rules file (YAML; schema: schema/rules.schema.json)')
      .addOption(
        new Option('--format <format>', 'table (for people), json, csv, markdown or junit (JUnit XML for CI)')
          .choices(REPORT_FORMATS)
          .default('table'),
      )
      .option('--json', 'the same as --format json')
      .option('--output <file>', 'write the report in --format to this file, and print the table on stdout')
      .option(
        '--rule <id>',
        'check only this rule (repeatable)',
        (value: string, previous: string[]) => [...previous, value],
        [] as string[],
      )
      .option('--snapshot <id>', 'review this snapshot (default: the current one; see `whocan snapshots`)')
      .option('--max-hops <n>', 'role assumptions to follow (default 5; max-hops rules follow at least their limit)', parseHops)
      .option('--max-paths <n>', 'paths listed per violating access (default 3)', parsePositiveInteger)
      .option(
        '--max-violations <n>',
        `violations listed per rule (default ${DEFAULT_MAX_VIOLATIONS}; the report counts them all)`,
        parsePositiveInteger,
      )
      .option(
        '--max-access <n>',
        `accesses listed per violation (default ${DEFAULT_MAX_ACCESS}; the report counts them all)`,
        parsePositiveInteger,
      )
      .option('--all', 'list every violation and every access (no --max-violations, --max-access limit)')
      .addOption(
        new Option('--fail-on <severity>', 'exit 1 only when a rule of this severity or higher is violated')
          .choices(SEVERITIES)
          .default('low'),
      )
      .option('--validate', 'only check the rules file against the schema (no database needed): exit 0 when valid, 2 when not'),
  ).action(
    action(cli, async (file: string, raw: RawReviewOptions) => {
      const format: ReportFormat = raw.json ? 'json' : raw.format;
      if (raw.json && raw.format !== 'table' && raw.format !== 'json')
        throw new UserInputError(`--json and --format ${raw.format} disagree: give one of them.`);
      // The rules are read and checked before anything else: a bad file is refused whole.
      const text = readRulesFile(file);
      const rules = parseRules(text, file);
      if (raw.validate) {
        cli.io.out(
          `${file}: valid (${rules.rules.length} rule${rules.rules.length === 1 ? '' : 's'}: ${rules.rules.map((r) => r.id).join(', ')})`,
        );
        return EXIT_OK;
      }
      if (raw.all && (raw.maxViolations !== undefined || raw.maxAccess !== undefined))
        throw new UserInputError('--all lists everything: give it without --max-violations and --max-access.');
      return withSource(cli.io, raw, async (source) => {
        const started = Date.now();
        const options = {
          snapshot: raw.snapshot,
          maxHops: raw.maxHops,
          maxPaths: raw.maxPaths,
          maxViolations: raw.maxViolations,
          maxAccess: raw.maxAccess,
          all: raw.all,
          only: raw.rule,
        };
        let report: ReviewReport | undefined;
        if (source instanceof RemoteAccessSource) {
          // The server runs the whole review (on its access index): the rules file is sent, the report comes back.
          selectRules(rules, raw.rule); // an unknown --rule is refused here, as locally
          report = await source.review({ text, file }, options);
          if (!report)
            cli.io.err(
              `whocan: the server at ${source.origin} has no review query (an older whocan): asking it the review's questions one by one.`,
            );
        }
        let last = 0;
        let ruleIndex = 0;
        let ruleTotal = 0;
        // On a terminal, one line on stderr rewritten in place; otherwise a line every few seconds once a review takes long enough to wonder.
        const tty = cli.io.isTty && Boolean(process.stderr.isTTY);
        const printer = tty ? ingestProgressPrinter(cli.io, { tty }) : undefined;
        report ??= await runReview(source, rules, {
          ...options,
          onRule: (_rule, index, total) => {
            ruleIndex = index;
            ruleTotal = total;
          },
          onProgress: (rule, done, total) => {
            const now = Date.now();
            if (printer) {
              if (now - last > 100 || done === total) {
                last = now;
                printer({ type: 'step', step: `rule ${ruleIndex + 1}/${ruleTotal} ${rule.id}: questions`, done, total });
              }
            } else if (now - started > 2_000 && now - last > 2_000) {
              last = now;
              cli.io.err(`rule ${ruleIndex + 1}/${ruleTotal} ${rule.id}: ${done}/${total} questions…`);
            }
          },
        });
        printer?.({
          type: 'phase',
          message: `review: ${report.counts.rules} rule${report.counts.rules === 1 ? '' : 's'} checked in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        });
        const rendered = renderReview(report, format);
        if (raw.output !== undefined) {
          writeReport(raw.output, rendered);
          cli.io.out(renderReview(report, 'table'));
        } else {
          cli.io.out(rendered);
        }
        const threshold = raw.failOn;
        return report.results.some((r) => r.status === 'fail' && atLeastAsSevere(r.severity, threshold)) ? EXIT_VIOLATION : EXIT_OK;
      });
    }),
  );
};

/** Writes a report file; a path that cannot be written is the user's to fix (exit 2). */
export function writeReport(file: string, text: string): void {
  try {
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  } catch (error) {
    throw new UserInputError(
      `--output ${file}: cannot write the report: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
