import 'reflect-metadata';
import { buildWhocanSchema } from './api/schema';
import { startApiServer } from './api/server';
import { openGraph } from './bootstrap/openGraph';
import { loggerFor } from './bootstrap/logger';
import { loadConfig, type Config } from './config';
import { migrationsDir, seedDir } from './config/paths';
import { migrate } from './db';
import { isAppError } from './errors';
import { stopLocalNeo4j } from './localNeo4j';
import { createServices } from './services';

/**
 * `npm start`: the main job. Uses NEO4J_URI when set; otherwise starts the
 * local Neo4j (tools/neo4j). Applies migrations, then serves GraphQL until
 * SIGTERM/SIGINT, when it stops accepting requests, drains, closes the driver
 * and exits 0.
 */
async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error);
    return;
  }
  const logger = loggerFor(config);
  try {
    const { graph, startedLocal, uri } = await openGraph(config, logger, { startLocal: true });
    const applied = await migrate(graph, migrationsDir(), (m) => logger.info({ migration: m.file }, 'applied migration'));
    logger.info({ applied: applied.length }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');
    const services = createServices(graph, { migrationsDir: migrationsDir(), keepSnapshots: config.ingest.keepSnapshots });
    if (config.ingest.loadDemoWhenEmpty && (await services.snapshots.list()).length === 0) {
      logger.info(
        { dir: seedDir() },
        'the graph has no snapshot yet: loading the demo snapshot from seed/ (set WHOCAN_LOAD_DEMO=false to skip)',
      );
      const demo = await services.snapshots.ingest(
        seedDir(),
        (event) => {
          if (event.type === 'phase') logger.info(event.message);
        },
        // The ingest built the analysis already: questions start from it instead of reading the snapshot back.
        { onAnalysis: (snapshot, analysis) => services.analysis.remember(snapshot, analysis) },
      );
      logger.info(
        { snapshot: demo.snapshotId, nodes: demo.nodes, relationships: demo.links, warnings: demo.warnings.length },
        'demo snapshot loaded',
      );
    }
    const schema = await buildWhocanSchema(services);
    const server = await startApiServer({
      schema,
      services,
      logger,
      host: config.server.host,
      port: config.server.port,
      introspection: config.server.introspection,
      maxBodyBytes: config.server.maxBodyBytes,
      apiTokens: config.server.apiTokens,
      limits: {
        requestTimeoutMs: config.server.requestTimeoutMs,
        maxQueryDepth: config.server.maxQueryDepth,
        maxQueryCost: config.server.maxQueryCost,
        maxPageSize: config.server.maxPageSize,
        maxQueryTokens: config.server.maxQueryTokens,
        maxAliases: config.server.maxAliases,
        maxRootFields: config.server.maxRootFields,
        maxRequestConnections: config.server.maxRequestConnections,
        maxRulesBytes: config.server.maxRulesBytes,
        maxRules: config.server.maxRules,
        maxReviewListed: config.server.maxReviewListed,
      },
    });
    logger.info({ url: server.url, neo4j: uri }, 'whocan is serving GraphQL');
    // Read the current snapshot's analysis now, so the first question does not wait for it (seconds on large organizations).
    const warming = Date.now();
    services.analysis
      .analysis()
      .then(({ snapshot }) => {
        logger.info({ snapshot, ms: Date.now() - warming }, 'analysis of the current snapshot ready');
        // The access summary is not computed here: it asks who can invoke every method on every stage, which
        // takes minutes on large organizations and slowed every other question meanwhile (the medium preset's
        // HTTP median went from tens of milliseconds to seconds). The overview computes it on first request.
      })
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'could not prepare the analysis of the current snapshot; questions will try again'),
      );
    process.stderr.write(
      `\nwhocan is ready: ${server.url}\n` +
        `Web console: ${server.url.replace(/\/graphql$/, '/')}\n` +
        `Try:  curl -s ${server.url} -H 'content-type: application/json' -d '{"query":"{ health { ok neo4jVersion migrationsApplied } }"}'\n\n`,
    );

    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: draining requests');
      void (async () => {
        await server.close();
        await graph.close();
        if (startedLocal) {
          logger.info('stopping the local Neo4j this process started');
          await stopLocalNeo4j({ home: config.localNeo4j.home });
        }
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      })().catch((error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      });
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  } catch (error) {
    logger.flush();
    fail(error);
  }
}

function fail(error: unknown): void {
  if (isAppError(error)) {
    process.stderr.write(`whocan: ${error.describe()}\n`);
    process.exit(2);
  }
  process.stderr.write(`whocan: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(70);
}

void start();
