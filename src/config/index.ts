import { ConfigError } from '../errors';
import { isLoopbackHost, parseApiTokenEntries, type ApiTokenEntry } from '../security/apiTokens';

/**
 * Every setting whocan reads, parsed once from environment variables.
 * `loadConfig()` validates all of them together and throws one ConfigError
 * listing every problem, so a bad deployment is fixed in one go.
 */
export interface Config {
  /** `development` turns on introspection and the landing page by default; `production` turns them off. */
  env: 'development' | 'production' | 'test';
  neo4j: {
    /** Where Neo4j runs. Undefined means "use the local launcher in tools/neo4j" (started on demand). */
    uri: string | undefined;
    user: string;
    /**
     * NEO4J_PASSWORD. Undefined only for the local Neo4j (no NEO4J_URI): then
     * the installation's generated password is used (src/localNeo4j/password.ts,
     * resolved where the local Neo4j is opened).
     */
    password: string | undefined;
    database: string;
    /** Upper bound for every transaction whocan runs, in milliseconds. */
    transactionTimeoutMs: number;
    /** Upper bound for opening a connection to Neo4j and for waiting for a pooled one. */
    connectionTimeoutMs: number;
    /** How long the driver retries a transaction that failed transiently or could not reach Neo4j. */
    maxRetryTimeMs: number;
  };
  /** The local Neo4j started by `whocan db start` / `npm start` when NEO4J_URI is not set. */
  localNeo4j: {
    boltPort: number;
    /** Data, logs and the pid file live here (git-ignored). */
    home: string;
    heap: string;
    pageCache: string;
    startTimeoutMs: number;
  };
  server: {
    /** Interface to listen on; 127.0.0.1 unless set. */
    host: string;
    port: number;
    /** Largest accepted GraphQL request body, in bytes. */
    maxBodyBytes: number;
    /** Schema introspection and the Apollo landing page; default: on in development, off otherwise. */
    introspection: boolean;
    /**
     * Accepted bearer tokens (WHOCAN_API_TOKENS, from `whocan token create`).
     * With none, the server serves loopback only and needs no token.
     */
    apiTokens: ApiTokenEntry[];
    /** Upper bound of one GraphQL request, in milliseconds; it also bounds every Neo4j transaction the request runs. */
    requestTimeoutMs: number;
    /** Deepest nesting of fields a GraphQL operation may have. */
    maxQueryDepth: number;
    /** Highest cost a GraphQL operation may have (every field costs 1; lists multiply what they contain by their page size). */
    maxQueryCost: number;
    /** Largest `first` a connection accepts. */
    maxPageSize: number;
    /** Most lexical tokens a GraphQL document may have (checked while parsing, before validation). */
    maxQueryTokens: number;
    /** Most aliased fields an operation may run. */
    maxAliases: number;
    /** Most root fields an operation may have. */
    maxRootFields: number;
    /** Most Neo4j connections one request may hold at once. */
    maxRequestConnections: number;
    /** `review` query: largest rules text, in UTF-8 bytes (refused before it is parsed). */
    maxRulesBytes: number;
    /** `review` query: most rules in one rules text. */
    maxRules: number;
    /** `review` query: most accesses one report lists over all its rules (bounds maxViolations, maxAccess and `all`). */
    maxReviewListed: number;
  };
  ingest: {
    /** How many complete snapshots to keep for comparison (the current one included). */
    keepSnapshots: number;
    /** `npm start` loads the demo snapshot from seed/ when the graph has no snapshot yet. */
    loadDemoWhenEmpty: boolean;
  };
  log: {
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    /** `json` (default when not on a terminal) or `pretty` (default on a terminal). */
    format: 'json' | 'pretty';
  };
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ENVS = ['development', 'production', 'test'] as const;
const SIZE = /^\d+(\.\d+)?[kmgKMG]$/;

/** Collects problems while reading variables, so all of them are reported at once. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    return raw;
  }

  optional(name: string): string | undefined {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(raw);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = raw.trim().toLowerCase();
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)}: expected true or false`);
    return fallback;
  }

  size(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!SIZE.test(raw.trim())) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected a size such as 512m or 2g`);
      return fallback;
    }
    return raw.trim().toLowerCase();
  }
}

const NEO4J_SCHEMES = ['bolt:', 'bolt+s:', 'bolt+ssc:', 'neo4j:', 'neo4j+s:', 'neo4j+ssc:'];

export function loadConfig(env: Env = process.env, options: { cwd?: string; isTty?: boolean } = {}): Config {
  const read = new EnvReader(env);
  const cwd = options.cwd ?? process.cwd();

  const uri = read.optional('NEO4J_URI');
  if (uri !== undefined) {
    let scheme: string | undefined;
    try {
      scheme = new URL(uri).protocol;
    } catch {
      scheme = undefined;
    }
    if (scheme === undefined || !NEO4J_SCHEMES.includes(scheme)) {
      read.problems.push(
        `NEO4J_URI=${JSON.stringify(uri)}: expected a URI such as bolt://host:7687 or neo4j+s://host (schemes: ${NEO4J_SCHEMES.map((s) => s.slice(0, -1)).join(', ')})`,
      );
    }
  }
  const password = read.optional('NEO4J_PASSWORD');
  if (uri !== undefined && password === undefined) {
    read.problems.push('NEO4J_PASSWORD is not set: it is required when NEO4J_URI points at an existing Neo4j');
  }
  if (password !== undefined && password.length < 8) {
    read.problems.push('NEO4J_PASSWORD: expected at least 8 characters (Neo4j 5 refuses shorter passwords)');
  }

  const nodeEnv = read.oneOf('NODE_ENV', ENVS, 'development');
  const tokens = parseApiTokenEntries(read.string('WHOCAN_API_TOKENS', ''));
  read.problems.push(...tokens.problems);
  const host = read.string('HOST', '127.0.0.1');
  if (tokens.entries.length === 0 && !isLoopbackHost(host)) {
    read.problems.push(
      `HOST=${JSON.stringify(host)} is reachable from other machines, and no API token is configured: whocan never serves an unauthenticated non-loopback interface. Create one with \`whocan token create --role reader\` and set WHOCAN_API_TOKENS, or leave HOST unset (127.0.0.1).`,
    );
  }
  const config: Config = {
    env: nodeEnv,
    neo4j: {
      uri,
      user: read.string('NEO4J_USER', 'neo4j'),
      password,
      database: read.string('NEO4J_DATABASE', 'neo4j'),
      transactionTimeoutMs: read.integer('WHOCAN_TX_TIMEOUT_MS', 30_000, 100, 3_600_000),
      connectionTimeoutMs: read.integer('NEO4J_CONNECTION_TIMEOUT_MS', 5_000, 100, 600_000),
      maxRetryTimeMs: read.integer('NEO4J_MAX_RETRY_TIME_MS', 1_000, 0, 600_000),
    },
    localNeo4j: {
      boltPort: read.integer('WHOCAN_NEO4J_PORT', 7687, 1, 65_535),
      home: read.string('WHOCAN_NEO4J_HOME', `${cwd}/.whocan/neo4j`),
      heap: read.size('WHOCAN_NEO4J_HEAP', '4g'),
      pageCache: read.size('WHOCAN_NEO4J_PAGECACHE', '6g'),
      startTimeoutMs: read.integer('WHOCAN_NEO4J_START_TIMEOUT_MS', 180_000, 1_000, 3_600_000),
    },
    server: {
      host,
      port: read.integer('PORT', 4000, 0, 65_535),
      maxBodyBytes: read.integer('WHOCAN_MAX_BODY_BYTES', 1_048_576, 1_024, 104_857_600),
      introspection: read.boolean('WHOCAN_INTROSPECTION', nodeEnv === 'development'),
      apiTokens: tokens.entries,
      requestTimeoutMs: read.integer('WHOCAN_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
      maxQueryDepth: read.integer('WHOCAN_MAX_QUERY_DEPTH', 12, 2, 100),
      maxQueryCost: read.integer('WHOCAN_MAX_QUERY_COST', 50_000, 10, 10_000_000),
      maxPageSize: read.integer('WHOCAN_MAX_PAGE_SIZE', 100, 1, 10_000),
      maxQueryTokens: read.integer('WHOCAN_MAX_QUERY_TOKENS', 5_000, 100, 1_000_000),
      maxAliases: read.integer('WHOCAN_MAX_ALIASES', 30, 0, 100_000),
      maxRootFields: read.integer('WHOCAN_MAX_ROOT_FIELDS', 20, 1, 10_000),
      maxRequestConnections: read.integer('WHOCAN_MAX_REQUEST_CONNECTIONS', 4, 1, 100),
      maxRulesBytes: read.integer('WHOCAN_MAX_RULES_BYTES', 262_144, 1_024, 16_777_216),
      maxRules: read.integer('WHOCAN_MAX_RULES', 200, 1, 10_000),
      maxReviewListed: read.integer('WHOCAN_MAX_REVIEW_LISTED', 10_000, 1, 1_000_000),
    },
    ingest: {
      keepSnapshots: read.integer('WHOCAN_KEEP_SNAPSHOTS', 3, 1, 100),
      loadDemoWhenEmpty: read.boolean('WHOCAN_LOAD_DEMO', true),
    },
    log: {
      level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
      format: read.oneOf('LOG_FORMAT', ['json', 'pretty'] as const, (options.isTty ?? Boolean(process.stdout.isTTY)) ? 'pretty' : 'json'),
    },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
