import { loadConfig } from '../../config';
import { localNeo4jPassword, localNeo4jStatus, startLocalNeo4j, stopLocalNeo4j } from '../../localNeo4j';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';

/** `whocan db status` when the local Neo4j is not running (scripts: `whocan db status >/dev/null && …`). */
export const EXIT_NOT_RUNNING = 3;

/**
 * `whocan db start | stop | status`: the local Neo4j (tools/neo4j, Neo4j
 * Community embedded on 127.0.0.1) that whocan uses when NEO4J_URI is not set.
 * Settings: WHOCAN_NEO4J_PORT, WHOCAN_NEO4J_HOME, WHOCAN_NEO4J_HEAP,
 * WHOCAN_NEO4J_PAGECACHE, WHOCAN_NEO4J_START_TIMEOUT_MS, NEO4J_PASSWORD.
 *
 * Exit codes: 0 done (status: running), 2 a problem to fix (message says
 * which), 3 status: not running.
 */
export const registerDb: RegisterCommand = (program, cli) => {
  const db = program.command('db').description('start, stop or inspect the local Neo4j that whocan uses when NEO4J_URI is not set');

  db.command('start')
    .description('start the local Neo4j in the background (builds tools/neo4j with Maven on first use); does nothing if it already runs')
    .option('--force', 'start it even though NEO4J_URI points whocan at another Neo4j')
    .action(
      action(cli, async (options: { force?: boolean }) => {
        const config = loadConfig();
        if (config.neo4j.uri !== undefined && !options.force) {
          cli.io.err(
            `NEO4J_URI is set (${config.neo4j.uri}): whocan uses that Neo4j, so the local one is not needed and was not started. ` +
              'Unset NEO4J_URI to use the local Neo4j, or run `whocan db start --force` to start it anyway.',
          );
          return EXIT_OK;
        }
        const started = Date.now();
        const result = await startLocalNeo4j({
          ...config.localNeo4j,
          password: config.neo4j.password ?? localNeo4jPassword(config.localNeo4j.home),
          onProgress: (message) => cli.io.err(message),
        });
        if (result.alreadyRunning) {
          cli.io.err(`already running at ${result.uri} (pid ${result.pid})`);
        } else {
          cli.io.err(`ready at ${result.uri} (pid ${result.pid}) after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
        if (config.neo4j.uri !== undefined) cli.io.err(`note: whocan still uses NEO4J_URI=${config.neo4j.uri} while it is set`);
        return EXIT_OK;
      }),
    );

  db.command('stop')
    .description('stop the local Neo4j (SIGTERM; SIGKILL only if it has not stopped after a minute)')
    .action(
      action(cli, async () => {
        const config = loadConfig();
        const result = await stopLocalNeo4j({ home: config.localNeo4j.home });
        cli.io.out(
          result.stopped
            ? `stopped the local Neo4j (pid ${result.pid}, home ${config.localNeo4j.home})`
            : `the local Neo4j is not running (home ${config.localNeo4j.home}); nothing to stop`,
        );
        return EXIT_OK;
      }),
    );

  db.command('status')
    .description(`say whether the local Neo4j runs, where, and where its log is (exit code 0 running, ${EXIT_NOT_RUNNING} not running)`)
    .action(
      action(cli, async () => {
        const config = loadConfig();
        const status = await localNeo4jStatus({ home: config.localNeo4j.home, boltPort: config.localNeo4j.boltPort });
        const lines: string[] = [];
        if (status.running) {
          lines.push(`running at ${status.uri} (pid ${status.pid})`);
        } else if (status.pid !== undefined) {
          lines.push(
            `not answering: pid ${status.pid} is alive but Bolt at ${status.uri} does not answer (still starting, or stuck: see the log)`,
          );
        } else {
          lines.push('not running (start it with `whocan db start`)');
        }
        lines.push(`home: ${status.home}`, `log:  ${status.logFile}`);
        if (config.neo4j.uri !== undefined) lines.push(`note: NEO4J_URI is set, so whocan uses ${config.neo4j.uri}, not the local Neo4j`);
        cli.io.out(lines.join('\n'));
        return status.running ? EXIT_OK : EXIT_NOT_RUNNING;
      }),
    );
};
