import { ConnectionLimit, type TxOptions } from '../db';
import { TimeoutError } from '../errors';

export interface RequestScopeOptions {
  /** The request's id: sent to Neo4j as transaction metadata, so `SHOW TRANSACTIONS` and query.log trace back to it. */
  requestId: string;
  /** How long the request may take, from now, in milliseconds. */
  timeoutMs: number;
  /** Start of the request (default: now), in `Date.now()` milliseconds. */
  startedAt?: number;
  /** Most Neo4j transactions (pooled connections) the request may run at once; default: no limit of its own. */
  maxConnections?: number;
}

/**
 * The time budget of one request, shared by everything that request does.
 * Every Neo4j transaction it runs gets the time left as its timeout (so the
 * database stops the work at the deadline too), no transaction starts or is
 * retried once the deadline has passed, and `race` makes a pending piece of
 * work fail with a TimeoutError at the deadline. With `maxConnections`, at
 * most that many of its transactions hold a Neo4j connection at once (the
 * others wait their turn, until the deadline), so one request cannot take the
 * whole pool. `dispose()` when the request ends.
 */
export class RequestScope {
  readonly requestId: string;
  readonly timeoutMs: number;
  readonly deadline: number;
  /** The GraphQL operation, once known (for transaction metadata and messages). */
  operationName: string | undefined;
  /** The request's share of the Neo4j connection pool (undefined: no limit of its own). */
  readonly connections: ConnectionLimit | undefined;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly expiry: Promise<never>;

  constructor(options: RequestScopeOptions) {
    this.requestId = options.requestId;
    this.timeoutMs = options.timeoutMs;
    this.deadline = (options.startedAt ?? Date.now()) + options.timeoutMs;
    this.connections = options.maxConnections === undefined ? undefined : new ConnectionLimit(options.maxConnections);
    let fail: (error: TimeoutError) => void = () => undefined;
    this.expiry = new Promise<never>((_, reject) => {
      fail = reject;
    });
    // Nobody may be racing when the deadline passes: that is not an unhandled rejection.
    this.expiry.catch(() => undefined);
    this.timer = setTimeout(
      () => {
        const error = this.timeoutError();
        // Work that checks the signal (signal.throwIfAborted()) stops with the same TIMEOUT.
        this.controller.abort(error);
        fail(error);
      },
      Math.max(0, this.deadline - Date.now()),
    );
    this.timer.unref();
  }

  /** Aborted at the deadline. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  expired(): boolean {
    return this.controller.signal.aborted || this.remainingMs() <= 0;
  }

  /** Throws the request's TimeoutError once the deadline has passed. */
  assertTimeLeft(): void {
    if (this.expired()) throw this.timeoutError();
  }

  /**
   * Options for the next transaction: the time left (at most `capMs`, the
   * graph's own default limit) as its timeout, the abort signal, and metadata
   * naming the request. Throws a TimeoutError when no time is left.
   */
  txOptions(capMs?: number): TxOptions {
    this.assertTimeLeft();
    const left = Math.max(1, Math.ceil(this.remainingMs()));
    return {
      timeoutMs: capMs === undefined ? left : Math.min(left, capMs),
      signal: this.controller.signal,
      metadata: { requestId: this.requestId, ...(this.operationName ? { operation: this.operationName } : {}) },
      ...(this.connections ? { connections: this.connections } : {}),
    };
  }

  /** Resolves or rejects like `work`, or rejects with the request's TimeoutError at the deadline, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.expired()) {
      work.catch(() => undefined);
      return Promise.reject(this.timeoutError());
    }
    return Promise.race([work, this.expiry]);
  }

  /** Stops the deadline timer; call when the request ends. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  timeoutError(): TimeoutError {
    return new TimeoutError(
      `The request took longer than the server's limit of ${this.timeoutMs} ms per request and was stopped (its database work too). Ask for less (smaller pages, fewer nested fields), or ask the operator to raise WHOCAN_REQUEST_TIMEOUT_MS.`,
    );
  }
}
