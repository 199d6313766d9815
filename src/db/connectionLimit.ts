/**
 * How many Neo4j transactions (so pooled connections) one holder — a
 * GraphQL request — may run at once. Past the limit a transaction waits for
 * one of the holder's own to finish, so a request asking for many fields in
 * parallel cannot take the whole pool from the others. Waiting stops when
 * the holder's signal aborts (its deadline), with the signal's reason.
 */
export class ConnectionLimit {
  private active = 0;
  private readonly waiting: { grant: () => void; fail: (error: unknown) => void }[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`ConnectionLimit: expected a whole number of at least 1, got ${max}`);
  }

  /** Transactions running now (for tests and metrics). */
  get inUse(): number {
    return this.active;
  }

  /** Waits for a free place, then returns the function that frees it (call it exactly once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.max) {
      this.active += 1;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: reject,
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : new Error('the request was aborted while it waited for a database connection'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The place passes straight to the next waiter (active stays the same).
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}
