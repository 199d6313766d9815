import { migrationsDir } from '../../config/paths';
import { migrate, migrationStatus } from '../../db';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { renderTable } from '../output';
import { withGraph } from '../withGraph';

/** `whocan migrate [--status]`: applies pending schema migrations (each once; edited applied files are refused). */
export const registerMigrate: RegisterCommand = (program, cli) => {
  program
    .command('migrate')
    .description('apply pending schema migrations from migrations/ (npm start does this too)')
    .option('--status', 'only list applied and pending migrations')
    .action(
      action(cli, async (options: { status?: boolean }) =>
        withGraph(async ({ graph }) => {
          const dir = migrationsDir();
          if (options.status) {
            const status = await migrationStatus(graph, dir);
            const rows = [
              ...status.applied.map((m) => [String(m.version).padStart(4, '0'), m.name, `applied ${m.appliedAt}`]),
              ...status.pending.map((m) => [String(m.version).padStart(4, '0'), m.name, 'pending']),
            ];
            cli.io.out(renderTable(['version', 'name', 'state'], rows));
            return EXIT_OK;
          }
          const applied = await migrate(graph, dir, (m) => cli.io.err(`applied ${m.file}`));
          cli.io.out(applied.length === 0 ? 'Schema is up to date: no migration to apply.' : `Applied ${applied.length} migration(s).`);
          return EXIT_OK;
        }),
      ),
    );
};
