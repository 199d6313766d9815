import { migrationsDir } from '../../config/paths';
import { SnapshotService, type IndexStatus } from '../../services';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { renderTable } from '../output';
import { withGraph } from '../withGraph';

/** `whocan snapshots`: the snapshots in the graph, newest first, with the current one marked. */
/** The index column: complete (with its maxHops), none, and a build running or interrupted. */
function indexColumn(index: IndexStatus): string {
  const state = index.state === 'complete' ? `complete (${index.maxHops ?? '?'} hops)` : index.building ? '' : 'none';
  const building = index.building ? (index.building.status === 'running' ? 'rebuilding' : 'build interrupted') : '';
  return [state, building].filter(Boolean).join(', ');
}

export const registerSnapshots: RegisterCommand = (program, cli) => {
  program
    .command('snapshots')
    .description(
      "list the ingested snapshots, newest first (* marks the current one), with the state of each one's access index (complete, a build running, or an interrupted build to rerun)",
    )
    .option('--json', 'print them as JSON on stdout')
    .action(
      action(cli, async (options: { json?: boolean }) =>
        withGraph(async ({ graph, config }) => {
          const snapshots = await new SnapshotService(graph, {
            migrationsDir: migrationsDir(),
            keepSnapshots: config.ingest.keepSnapshots,
          }).list();
          if (options.json) {
            cli.io.out(JSON.stringify(snapshots, null, 2));
            return EXIT_OK;
          }
          if (snapshots.length === 0) {
            cli.io.out('No snapshot yet: load one with `whocan ingest DIR` (npm start loads the demo from seed/ into an empty graph).');
            return EXIT_OK;
          }
          cli.io.out(
            renderTable(
              ['', 'id', 'state', 'index', 'nodes', 'relationships', 'warnings', 'completed', 'source'],
              snapshots.map((s) => [
                s.current ? '*' : '',
                s.id,
                s.state,
                indexColumn(s.index),
                String(s.nodes ?? ''),
                String(s.links ?? ''),
                String(s.warnings ?? ''),
                s.completedAt ?? '',
                s.source ?? '',
              ]),
            ),
          );
          for (const s of snapshots) {
            const b = s.index.building;
            if (b?.status !== 'interrupted' || s.state !== 'complete') continue;
            cli.io.out(
              `\nThe access index build ${b.build} of snapshot ${s.id} was interrupted (process ${b.pid ?? '?'} on ${b.host ?? '?'}, started ${b.startedAt ?? '?'}): ` +
                `run \`whocan index --snapshot ${s.id}\` to rebuild it. ${s.index.state === 'complete' ? 'Questions read the previous index meanwhile.' : 'Questions are answered by the analysis meanwhile.'}`,
            );
          }
          return EXIT_OK;
        }),
      ),
    );
};
