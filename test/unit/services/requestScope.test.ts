import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeoutError } from '../../../src/errors';
import { RequestScope } from '../../../src/services';

describe('RequestScope', () => {
  it('gives each transaction the time left (capped), the abort signal and metadata naming the request', () => {
    const scope = new RequestScope({ requestId: 'r-1', timeoutMs: 60_000 });
    try {
      scope.operationName = 'ListThem';
      const tx = scope.txOptions();
      assert.ok(tx.timeoutMs !== undefined && tx.timeoutMs > 59_000 && tx.timeoutMs <= 60_000);
      assert.deepEqual(tx.metadata, { requestId: 'r-1', operation: 'ListThem' });
      assert.equal(tx.signal?.aborted, false);
      assert.equal(scope.txOptions(5_000).timeoutMs, 5_000, 'capped at the graph default');
    } finally {
      scope.dispose();
    }
  });

  it('once the deadline has passed: no transaction options, aborted signal, and race() fails with TIMEOUT', async () => {
    const scope = new RequestScope({ requestId: 'r-2', timeoutMs: 20, startedAt: Date.now() - 1_000 });
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(scope.expired(), true);
    assert.equal(scope.signal.aborted, true);
    assert.throws(
      () => scope.txOptions(),
      (e: unknown) => e instanceof TimeoutError && /limit of 20 ms per request/.test(e.message),
    );
    await assert.rejects(scope.race(Promise.resolve(1)), TimeoutError);
    scope.dispose();
  });

  it('race() lets work that finishes in time through, and fails work still pending at the deadline', async () => {
    // The deadline timer does not keep a process alive (unref); in the server the open socket does, here this timer.
    const alive = setTimeout(() => undefined, 5_000);
    const scope = new RequestScope({ requestId: 'r-3', timeoutMs: 50 });
    try {
      assert.equal(await scope.race(Promise.resolve('done')), 'done');
      await assert.rejects(scope.race(new Promise(() => undefined)), (e: unknown) => e instanceof TimeoutError);
      assert.equal(scope.signal.aborted, true);
    } finally {
      scope.dispose();
      clearTimeout(alive);
    }
  });
});
