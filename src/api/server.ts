import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { isLoopbackHost, verifyApiToken, type ApiRole, type ApiTokenEntry } from '../security/apiTokens';
import { RequestScope, type Services } from '../services';
import { loadConsoleAssets, serveConsole, type ConsoleAssets } from './console/static';
import type { ApiContext } from './context';
import { appErrorOf, formatError, isServerFault } from './formatError';
import { DEFAULT_API_LIMITS, limitsPlugin, parseOptionsFor, type ApiLimits } from './limits';

export interface ApiServerOptions {
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  host: string;
  port: number;
  /** Introspection and the Apollo landing page (on in development, off in production). */
  introspection: boolean;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Accepted bearer tokens; when empty, every caller is trusted (the server must then listen on loopback only). */
  apiTokens: readonly ApiTokenEntry[];
  /** Request timeout, document size, depth, root fields, aliases, cost, page size and connections per request; each one not given has the configuration's default. */
  limits?: Partial<ApiLimits>;
  /** The web console's files; default: dist/console (built by `npm run build`). */
  console?: ConsoleAssets | undefined;
}

export interface RunningApiServer {
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** /readyz answers within this time, whatever Neo4j does. */
const READINESS_TIMEOUT_MS = 1_500;

/**
 * The HTTP front: `/healthz` (process alive), `/readyz` (Neo4j reachable and
 * migrations applied), the web console's static files at `/` and
 * `/console/…` (no token: they hold no data), and `/graphql` served by
 * Apollo through its framework-neutral `executeHTTPGraphQLRequest`, so that
 * body limits and request ids are handled here, in one place, without an
 * extra web framework.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const { logger } = options;
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...options.limits };
  if (options.apiTokens.length === 0) {
    if (!isLoopbackHost(options.host))
      throw new AppError(
        'BAD_CONFIG',
        `Refusing to serve ${options.host} without API tokens: set WHOCAN_API_TOKENS (whocan token create) or listen on 127.0.0.1.`,
      );
    logger.warn('no API token configured (WHOCAN_API_TOKENS): serving on loopback only, without authentication');
  }
  const consoleAssets = 'console' in options ? options.console : loadConsoleAssets();
  const httpServer: Server = createServer();
  const apollo = new ApolloServer<ApiContext>({
    schema: options.schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT: it stops the server, then closes the driver, then exits.
    stopOnTerminationSignals: false,
    formatError,
    // The token limit applies while parsing, before validation.
    parseOptions: parseOptionsFor(limits),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      options.introspection ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      limitsPlugin(limits),
      requestLoggingPlugin(),
    ],
  });
  await apollo.start();

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const requestLog = logger.child({ requestId });
    handle(req, res, requestId, requestLog).catch((error: unknown) => {
      requestLog.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error', requestId });
      else res.end();
    });
  });

  /** The caller's role: from a valid bearer token, or admin when no token is configured (loopback only). */
  function authenticate(header: string | undefined): ApiRole | undefined {
    if (options.apiTokens.length === 0) return 'admin';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match?.[1] ? verifyApiToken(match[1], options.apiTokens) : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string, requestLog: Logger): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/readyz') {
      // Bounded, and says nothing internal (no driver message, no address): anyone may ask.
      const readiness = await options.services.health.readiness(READINESS_TIMEOUT_MS);
      if (readiness.state === 'ready') sendJson(res, 200, { status: 'ready', migrationsPending: 0 });
      else if (readiness.state === 'migrations pending') {
        sendJson(res, 503, {
          status: 'not ready',
          reason: `${readiness.migrationsPending} migration(s) pending: run \`whocan migrate\``,
          migrationsPending: readiness.migrationsPending,
        });
      } else {
        requestLog.warn({ err: readiness.error, reason: readiness.reason }, 'readiness check failed');
        sendJson(res, 503, { status: 'not ready', reason: `${readiness.reason}; the server log has the details` });
      }
      return;
    }
    if (serveConsole(req, res, url, consoleAssets)) return;
    if (url.pathname !== '/graphql' && url.pathname !== '/') {
      sendJson(res, 404, { error: `no route ${url.pathname}: GraphQL is served at /graphql` });
      return;
    }
    const role = authenticate(req.headers.authorization);
    if (role === undefined) {
      req.resume();
      res.setHeader('www-authenticate', 'Bearer realm="whocan"');
      sendJson(res, 401, {
        errors: [
          {
            message: 'Missing or invalid API token: send the header Authorization: Bearer <token> (create one with `whocan token create`).',
            extensions: { code: 'UNAUTHENTICATED', requestId },
          },
        ],
      });
      requestLog.info({ outcome: 'refused', status: 401, errorCodes: ['UNAUTHENTICATED'] }, 'graphql request');
      return;
    }
    const body = req.method === 'POST' ? await readJsonBody(req, options.maxBodyBytes) : undefined;
    if (body instanceof BodyError) {
      sendJson(res, body.status, { errors: [{ message: body.message, extensions: { code: body.code, requestId } }] });
      requestLog.info({ outcome: 'refused', status: body.status, errorCodes: [body.code], role }, 'graphql request');
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const scope = new RequestScope({ requestId, timeoutMs: limits.requestTimeoutMs, maxConnections: limits.maxRequestConnections });
    let response: Awaited<ReturnType<typeof apollo.executeHTTPGraphQLRequest>>;
    try {
      response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
        context: async () => ({
          requestId,
          role,
          logger: requestLog,
          services: options.services,
          limits,
          scope,
          browse: options.services.browse.session(scope, { maxPageSize: limits.maxPageSize }),
        }),
      });
    } finally {
      scope.dispose();
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (error: NodeJS.ErrnoException) => {
      void apollo.stop();
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new AppError(
              'BAD_CONFIG',
              `Cannot listen on ${options.host}:${options.port} (${error.code}): ${error.code === 'EADDRINUSE' ? 'another process uses that port; set PORT to a free one' : 'set HOST and PORT to an address this machine can bind'}.`,
            )
          : error,
      );
    });
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/graphql`,
    async close() {
      await apollo.stop(); // the drain plugin stops the HTTP server and waits for in-flight requests
    },
  };
}

class BodyError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

/** Reads a JSON body, refusing it once it passes the limit (413) or when it is not JSON (400). */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return new BodyError(413, 'PAYLOAD_TOO_LARGE', `Request body of ${declared} bytes is over the limit of ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return new BodyError(413, 'PAYLOAD_TOO_LARGE', `Request body is over the limit of ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json')) {
    return new BodyError(415, 'BAD_REQUEST', 'Send GraphQL requests as JSON with the header content-type: application/json.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new BodyError(400, 'BAD_REQUEST', 'Request body is not valid JSON.');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/**
 * One log line per GraphQL request: request id (from the child logger), role,
 * operation, duration and outcome with the error codes. Never variables,
 * tokens or policy documents. Errors that are the server's fault are logged
 * in full with the request id; every error sent carries the request id in
 * `extensions.requestId`, and the TIMEOUT errors of one request are sent as
 * one.
 */
function requestLoggingPlugin(): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      let operationName: string | null = null;
      return {
        async didResolveOperation(ctx) {
          operationName = (ctx.operationName ?? ctx.operation?.name?.value ?? null)?.slice(0, 100) ?? null;
        },
        async didEncounterErrors(ctx) {
          for (const error of ctx.errors) {
            if (!isServerFault(error)) continue;
            const app = appErrorOf(error);
            if (app?.code === 'GRAPH_UNAVAILABLE') contextValue.logger.warn({ err: app, operationName }, 'graph unavailable');
            else contextValue.logger.error({ err: app ?? error.originalError ?? error, operationName, path: error.path }, 'resolver error');
          }
        },
        async willSendResponse(ctx) {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          const body = ctx.response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          if (result.errors?.length) {
            let timeoutSeen = false;
            const errors = result.errors.filter((e) => {
              if (e.extensions?.['code'] !== 'TIMEOUT') return true;
              if (timeoutSeen) return false;
              timeoutSeen = true;
              return true;
            });
            result.errors = errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }));
          }
          const errors = result.errors;
          contextValue.logger.info(
            {
              role: contextValue.role,
              operationName,
              durationMs: Math.round(durationMs * 10) / 10,
              outcome: errors?.length ? 'error' : 'ok',
              ...(errors?.length ? { errorCodes: [...new Set(errors.map((e) => e.extensions?.['code']))] } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
