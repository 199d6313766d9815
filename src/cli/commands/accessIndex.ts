import { InvalidArgumentError } from 'commander';
import { migrate } from '../../db';
import { migrationsDir } from '../../config/paths';
import { rebuildAccessIndex, type IndexBuildResult } from '../../services';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { renderTable } from '../output';
import { ingestProgressPrinter } from '../progress';
import { withAnalysis } from '../withAnalysis';

/** `whocan index [--snapshot ID]`: rebuilds the access index of an existing snapshot. */
export const registerIndex: RegisterCommand = (program, cli) => {
  program
    .command('index')
    .description(
      'build (or rebuild) the access index of a snapshot (who can invoke, manage, assume, pass and call what), stored in the graph (opt-in: a plain ingest does not build it; `ingest --index` does); WHOCAN_INDEX_THREADS sets the threads (default: the cores). ' +
        'Questions keep reading the previous index until the new one is complete. One build per snapshot at a time: a second one is refused (exit 2) while the first runs; ' +
        'a build that was killed shows as interrupted in `whocan snapshots`, and the next `whocan index` takes it over and removes what it left.',
    )
    .option('--snapshot <id>', 'the snapshot (default: the current one)')
    .option(
      '--keep-previous <seconds>',
      'how long the replaced index stays readable for questions already reading it, before it is removed (default: WHOCAN_REQUEST_TIMEOUT_MS, the longest an API request runs)',
      parseSeconds,
    )
    .option('--json', 'print the result as JSON on stdout')
    .action(
      action(cli, async (options: { snapshot?: string; keepPrevious?: number; json?: boolean }) =>
        withAnalysis(cli.io, async (analyses, { graph, config }) => {
          await migrate(graph, migrationsDir());
          const started = Date.now();
          const result = await rebuildAccessIndex(graph, analyses, {
            snapshot: options.snapshot,
            retireAfterMs: options.keepPrevious !== undefined ? options.keepPrevious * 1000 : config.server.requestTimeoutMs,
            onEvent: ingestProgressPrinter(cli.io, { tty: cli.io.isTty && Boolean(process.stderr.isTTY) }),
          });
          const seconds = (Date.now() - started) / 1000;
          if (options.json) cli.io.out(JSON.stringify({ ...result, seconds }, null, 2));
          else cli.io.out(indexSummary(result, seconds));
          return EXIT_OK;
        }),
      ),
    );
};

function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 3600) throw new InvalidArgumentError('expected a whole number of seconds from 0 to 3600');
  return Number(value);
}

export function indexSummary(result: IndexBuildResult, seconds: number): string {
  const s = result.stats;
  return [
    `Access index of ${result.snapshot} built in ${seconds.toFixed(1)} s (computed in ${(s.computeMs / 1000).toFixed(1)} s on ${s.threads} thread${s.threads === 1 ? '' : 's'}, written in ${(s.writeMs / 1000).toFixed(1)} s).`,
    '',
    renderTable(
      ['', 'count'],
      [
        ['targets (action × resource)', s.targets],
        ['targets decided', s.decided],
        ['targets sharing an answer decided before', s.shared],
        ['engine decisions made', s.decisions],
        ['engine decisions reused from another target', s.reusedDecisions],
        ['distinct answers (access sets)', s.sets],
        ['callers with access', s.accessors],
        ['caller classes', s.classes],
        ['class × answer relationships', s.accessRelationships],
      ].map(([k, v]) => [String(k), Number(v).toLocaleString('en-US')]),
    ),
  ].join('\n');
}
