import { migrationsDir } from '../../config/paths';
import { SnapshotService } from '../../services';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { renderTable } from '../output';
import { withGraph } from '../withGraph';

/** `whocan snapshots`: the snapshots in the graph, newest first, with the current one marked. */
export const registerSnapshots: RegisterCommand = (program, cli) => {
  program
    .command('snapshots')
    .description('list the ingested snapshots, newest first (* marks the current one)')
    .option('--json', 'print them as JSON on stdout')
    .action(
      action(cli, async (options: { json?: boolean }) =>
        withGraph(async ({ graph, config }) => {
          const snapshots = await new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: config.ingest.keepSnapshots }).list();
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
              ['', 'id', 'state', 'nodes', 'relationships', 'warnings', 'completed', 'source'],
              snapshots.map((s) => [s.current ? '*' : '', s.id, s.state, String(s.nodes ?? ''), String(s.links ?? ''), String(s.warnings ?? ''), s.completedAt ?? '', s.source ?? '']),
            ),
          );
          return EXIT_OK;
        }),
      ),
    );
};
