import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
import type { Logger } from '../logging';
import { TimeoutError } from '../errors';
import type { ConnectionLimit } from './connectionLimit';
import { mapNeo4jError } from './errors';

/**
 * A named Cypher statement. Every query whocan runs is one of these, declared
 * as a constant next to the code that uses it, so the text is reviewable and
 * the name shows up in Neo4j's transaction metadata and in debug logs.
 * Values always travel as `$parameters`; labels come from constants.
 */
export interface CypherQuery {
  readonly name: string;
  readonly text: string;
}

export function cypher(name: string, text: string): CypherQuery {
  return Object.freeze({ name, text: text.trim() });
}

export interface TxOptions {
  /** Overrides the default transaction timeout (milliseconds); enforced by the server. */
  timeoutMs?: number;
  /** Extra metadata shown by `SHOW TRANSACTIONS` and in query.log (e.g. requestId, operation). */
  metadata?: Record<string, string>;
  /**
   * Once aborted (the request this transaction serves ran out of time), the
   * transaction is not started, nor retried by the driver: it fails with a
   * TimeoutError instead.
   */
  signal?: AbortSignal;
  /** The share of the connection pool the caller may hold (a request's limit): the transaction waits for a place. */
  connections?: ConnectionLimit;
}

/** What the Graph reports to observers: each transaction it opens and each statement it runs. */
export type GraphEvent =
  | { kind: 'transaction'; name: string; mode: 'READ' | 'WRITE' | 'AUTO'; timeoutMs: number | undefined; metadata: Record<string, string> }
  | { kind: 'statement'; name: string }
  /** A transaction (READ, WRITE or AUTO) ended, its connection back in the pool. */
  | { kind: 'transactionEnd'; name: string; metadata: Record<string, string> };

export interface GraphOptions {
  database: string;
  defaultTimeoutMs: number;
  /** For messages: where the database is (URI, never the password). */
  target: string;
  logger: Logger;
}

export type Params = Record<string, unknown>;

/**
 * The one choke point for Cypher: opens sessions on an explicit database,
 * routes reads to executeRead and writes to executeWrite (retried by the driver
 * on transient errors, so write functions must be idempotent), closes sessions
 * in finally, attaches transaction metadata and maps driver errors.
 */
export class Graph {
  private readonly observers = new Set<(event: GraphEvent) => void>();

  constructor(
    private readonly driver: Driver,
    readonly options: GraphOptions,
  ) {}

  /** Runs one read query and returns its records as plain objects. */
  async read<T extends RecordShape = RecordShape>(query: CypherQuery, params: Params = {}, tx: TxOptions = {}): Promise<T[]> {
    return this.readTx(query.name, async (t) => toObjects<T>(await this.run(t, query, params)), tx);
  }

  /**
   * Runs one read query whose result may be large (a whole snapshot's rows):
   * records are turned into plain objects as they stream in instead of being
   * buffered by the driver first. A retried transaction starts over.
   */
  async readAll<T extends RecordShape = RecordShape>(query: CypherQuery, params: Params = {}, tx: TxOptions = {}): Promise<T[]> {
    return this.readTx(
      query.name,
      async (t) => {
        const rows: T[] = [];
        this.options.logger.debug({ query: query.name, params: summariseParams(params) }, 'cypher (streamed)');
        for await (const record of t.run(query.text, params)) rows.push(record.toObject());
        return rows;
      },
      tx,
    );
  }

  /** Runs one write query and returns its records as plain objects. */
  async write<T extends RecordShape = RecordShape>(query: CypherQuery, params: Params = {}, tx: TxOptions = {}): Promise<T[]> {
    return this.writeTx(query.name, async (t) => toObjects<T>(await this.run(t, query, params)), tx);
  }

  /**
   * Writes rows in batches, one `UNWIND $rows` transaction per batch: one round
   * trip and one cached plan per batch (Neo4j's ingestion guidance).
   */
  async writeBatches(
    query: CypherQuery,
    rows: readonly unknown[],
    options: { batchSize?: number; params?: Params; tx?: TxOptions; onBatch?: (written: number) => void } = {},
  ): Promise<void> {
    const size = options.batchSize ?? 2_000;
    for (let start = 0; start < rows.length; start += size) {
      const batch = rows.slice(start, start + size);
      await this.writeTx(query.name, (t) => this.run(t, query, { ...options.params, rows: batch }), options.tx ?? {});
      options.onBatch?.(Math.min(start + size, rows.length));
    }
  }

  /** A read transaction running several statements; the work must only read. */
  async readTx<T>(name: string, work: (tx: ManagedTransaction) => Promise<T>, tx: TxOptions = {}): Promise<T> {
    return this.transaction('READ', name, work, tx);
  }

  /** A write transaction; the driver may retry it, so the work must be idempotent. */
  async writeTx<T>(name: string, work: (tx: ManagedTransaction) => Promise<T>, tx: TxOptions = {}): Promise<T> {
    return this.transaction('WRITE', name, work, tx);
  }

  /** Runs a statement inside a transaction given to readTx/writeTx work, with debug logging. */
  async run(tx: ManagedTransaction, query: CypherQuery, params: Params = {}): Promise<QueryResult> {
    this.options.logger.debug({ query: query.name, params: summariseParams(params) }, 'cypher');
    this.emit({ kind: 'statement', name: query.name });
    return tx.run(query.text, params);
  }

  /**
   * Calls `observer` for every transaction opened and every statement run
   * from now on (tests count queries with it; metrics could hook in here).
   * Returns the function that stops observing.
   */
  observe(observer: (event: GraphEvent) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private emit(event: GraphEvent): void {
    for (const observer of this.observers) observer(event);
  }

  /**
   * Runs one statement in an auto-commit transaction. Needed for schema
   * statements (CREATE CONSTRAINT / INDEX: Neo4j does not allow them beside
   * data writes in one transaction) and for `CALL { … } IN TRANSACTIONS`
   * (bulk deletes), which manage their own transactions. Not retried.
   */
  async runAutoCommit(query: CypherQuery, params: Params = {}, tx: TxOptions = {}): Promise<void> {
    if (tx.signal?.aborted) throw timedOut(query.name);
    const release = await this.place(tx, query.name);
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      if (tx.signal?.aborted) throw timedOut(query.name);
      this.options.logger.debug({ query: query.name, params: summariseParams(params) }, 'cypher (auto-commit)');
      this.emit({ kind: 'transaction', name: query.name, mode: 'AUTO', timeoutMs: tx.timeoutMs, metadata: { ...tx.metadata } });
      this.emit({ kind: 'statement', name: query.name });
      await session.run(query.text, params, {
        metadata: { app: 'whocan', query: query.name, ...tx.metadata },
        ...(tx.timeoutMs ? { timeout: tx.timeoutMs } : {}),
      });
    } catch (error) {
      throw mapNeo4jError(error, `Schema statement ${query.name}`, this.options.target);
    } finally {
      await session.close();
      release();
      this.emit({ kind: 'transactionEnd', name: query.name, metadata: { ...tx.metadata } });
    }
  }

  /** Checks that the server answers and the credentials work; returns its version and edition. */
  async serverInfo(tx: TxOptions = {}): Promise<{ version: string; edition: string; address: string }> {
    const rows = await this.read<{ version: string; edition: string }>(
      cypher(
        'serverComponents',
        "CALL dbms.components() YIELD name, versions, edition WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition",
      ),
      {},
      tx,
    );
    const row = rows[0];
    return { version: row?.version ?? 'unknown', edition: row?.edition ?? 'unknown', address: this.options.target };
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async transaction<T>(
    mode: 'READ' | 'WRITE',
    name: string,
    work: (tx: ManagedTransaction) => Promise<T>,
    tx: TxOptions,
  ): Promise<T> {
    const signal = tx.signal;
    if (signal?.aborted) throw timedOut(name);
    const release = await this.place(tx, name);
    const session = this.driver.session({
      database: this.options.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const config = {
      timeout: tx.timeoutMs ?? this.options.defaultTimeoutMs,
      metadata: { app: 'whocan', query: name, ...tx.metadata },
    };
    this.emit({ kind: 'transaction', name, mode, timeoutMs: config.timeout, metadata: config.metadata });
    // Checked before every attempt: the driver retries transient failures, but not past the caller's deadline.
    const attempt = signal
      ? async (t: ManagedTransaction) => {
          if (signal.aborted) throw timedOut(name);
          return work(t);
        }
      : work;
    try {
      return mode === 'READ' ? await session.executeRead(attempt, config) : await session.executeWrite(attempt, config);
    } catch (error) {
      throw mapNeo4jError(error, `Query ${name}`, this.options.target);
    } finally {
      await session.close();
      release();
      this.emit({ kind: 'transactionEnd', name, metadata: config.metadata });
    }
  }

  /** Waits for a place under the caller's connection limit (none: at once). */
  private async place(tx: TxOptions, name: string): Promise<() => void> {
    if (!tx.connections) return () => undefined;
    try {
      return await tx.connections.acquire(tx.signal);
    } catch {
      throw timedOut(name);
    }
  }
}

function timedOut(name: string): TimeoutError {
  return new TimeoutError(`Query ${name} was not started: the request it serves ran out of time.`);
}

function toObjects<T extends RecordShape>(result: QueryResult): T[] {
  return result.records.map((record) => record.toObject() as T);
}

/** Keeps debug logs small and free of bulk data: arrays are summarised by length. */
function summariseParams(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] = Array.isArray(value)
      ? `[${value.length} rows]`
      : typeof value === 'string' && value.length > 200
        ? `${value.slice(0, 200)}…`
        : value;
  }
  return out;
}

export interface ConnectOptions {
  uri: string;
  user: string;
  password: string;
  database: string;
  transactionTimeoutMs: number;
  /** Upper bound for opening a connection, and for waiting for one from the pool. */
  connectionTimeoutMs: number;
  /**
   * How long the driver keeps retrying a transaction that failed on a
   * transient error or because the database could not be reached (default
   * 1000 ms: one retry). Short, so that requests fail fast with
   * GRAPH_UNAVAILABLE while Neo4j is down instead of waiting for it.
   */
  maxRetryTimeMs?: number;
  logger: Logger;
}

/** The driver's retry window for transactions when ConnectOptions does not say. */
export const DEFAULT_MAX_RETRY_TIME_MS = 1_000;

/**
 * Opens a driver (integers as JS numbers, explicit database) and checks the
 * server answers. Connecting and waiting for a pooled connection are both
 * bounded by `connectionTimeoutMs`, and retries by `maxRetryTimeMs`, so an
 * unreachable database is reported within seconds.
 */
export async function connectGraph(options: ConnectOptions, { verify = true }: { verify?: boolean } = {}): Promise<Graph> {
  const driver = neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
    disableLosslessIntegers: true,
    connectionTimeout: options.connectionTimeoutMs,
    connectionAcquisitionTimeout: options.connectionTimeoutMs,
    maxTransactionRetryTime: options.maxRetryTimeMs ?? DEFAULT_MAX_RETRY_TIME_MS,
    userAgent: 'whocan',
  });
  const graph = new Graph(driver, {
    database: options.database,
    defaultTimeoutMs: options.transactionTimeoutMs,
    target: options.uri,
    logger: options.logger,
  });
  if (verify) {
    try {
      await graph.serverInfo();
    } catch (error) {
      await driver.close();
      throw error;
    }
  }
  return graph;
}
