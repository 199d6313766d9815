import { migrationsDir } from '../../config/paths';
import { formatIssue, MAX_ISSUES_SHOWN, SnapshotService, type IndexBuildResult, type IngestResult } from '../../services';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { renderTable } from '../output';
import { ingestProgressPrinter } from '../progress';
import { withGraph } from '../withGraph';
import { parsePositiveInteger } from '../options';

const MAX_WARNINGS_SHOWN = 20;

/** `whocan ingest DIR`: validates a snapshot directory completely, then loads it; it becomes current only when complete. */
export const registerIngest: RegisterCommand = (program, cli) => {
  program
    .command('ingest')
    .description('load a snapshot directory of AWS CLI output (see "Snapshot layout" in the README) into the graph')
    .argument('<dir>', 'the snapshot directory')
    .option('--keep <n>', 'how many complete snapshots to keep (default WHOCAN_KEEP_SNAPSHOTS, 3)', parsePositiveInteger)
    .option('--batch-size <n>', 'rows per write transaction (default 5000)', parsePositiveInteger)
    .option(
      '--allow-shrink',
      "accept a snapshot that removes more than half of the current snapshot's principals or APIs (refused otherwise)",
    )
    .option(
      '--index',
      'also build the access index before the snapshot becomes current (slow on large organizations; `whocan index` builds it later)',
    )
    .option('--json', 'print the result as JSON on stdout')
    .action(
      action(
        cli,
        async (dir: string, options: { keep?: number; batchSize?: number; allowShrink?: boolean; index?: boolean; json?: boolean }) =>
          withGraph(async ({ graph, config }) => {
            const service = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: config.ingest.keepSnapshots });
            const started = Date.now();
            const result = await service.ingest(
              dir,
              ingestProgressPrinter(cli.io, { tty: cli.io.isTty && Boolean(process.stderr.isTTY) }),
              {
                ...(options.keep ? { keep: options.keep } : {}),
                ...(options.batchSize ? { batchSize: options.batchSize } : {}),
                ...(options.allowShrink ? { allowShrink: true } : {}),
                ...(options.index ? { index: true } : {}),
              },
            );
            const seconds = (Date.now() - started) / 1000;
            if (options.json) {
              // Bounded like the text: the first warnings, and how many there are.
              const warnings = result.warnings.slice(0, MAX_ISSUES_SHOWN);
              cli.io.out(
                JSON.stringify(
                  {
                    ...result,
                    warnings,
                    warningCount: result.warnings.length,
                    warningsNotShown: result.warnings.length - warnings.length,
                    seconds,
                  },
                  null,
                  2,
                ),
              );
              return EXIT_OK;
            }
            cli.io.out(summary(result, seconds));
            return EXIT_OK;
          }),
      ),
    );
};

function summary(result: IngestResult & { index: IndexBuildResult['stats'] | null }, seconds: number): string {
  const entities = result.nodes + result.links;
  const lines = [
    `Snapshot ${result.snapshotId} is now current: ${result.nodes.toLocaleString('en-US')} nodes and ${result.links.toLocaleString('en-US')} relationships in ${seconds.toFixed(1)} s (${Math.round(entities / Math.max(result.loadMs / 1000, 0.001)).toLocaleString('en-US')} entities/s written; reading and validating took ${(result.readMs / 1000).toFixed(1)} s).`,
    '',
    renderTable(
      ['entity', 'count'],
      Object.entries(result.counts)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => [kind, n.toLocaleString('en-US')]),
    ),
  ];
  if (result.index) {
    const s = result.index;
    lines.push(
      '',
      `Access index: ${s.targets.toLocaleString('en-US')} targets (${s.decided.toLocaleString('en-US')} decided, ${s.shared.toLocaleString('en-US')} sharing an answer), ${s.sets.toLocaleString('en-US')} distinct answers, ${s.accessors.toLocaleString('en-US')} callers in ${s.classes.toLocaleString('en-US')} classes; computed in ${(s.computeMs / 1000).toFixed(1)} s on ${s.threads} thread${s.threads === 1 ? '' : 's'} (${s.reusedDecisions.toLocaleString('en-US')} of ${(s.decisions + s.reusedDecisions).toLocaleString('en-US')} engine decisions reused across targets), written in ${(s.writeMs / 1000).toFixed(1)} s.`,
    );
  }
  if (result.pruned.length > 0) lines.push('', `Deleted old snapshot(s): ${result.pruned.join(', ')}`);
  if (result.warnings.length > 0) {
    lines.push('', `${result.warnings.length} warning(s):`);
    for (const w of result.warnings.slice(0, MAX_WARNINGS_SHOWN)) lines.push(`  - ${formatIssue(w)}`);
    if (result.warnings.length > MAX_WARNINGS_SHOWN)
      lines.push(`  … and ${result.warnings.length - MAX_WARNINGS_SHOWN} more (--json lists the first ${MAX_ISSUES_SHOWN})`);
  }
  return lines.join('\n');
}
