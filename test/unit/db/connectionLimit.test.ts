import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionLimit } from '../../../src/db';

describe('ConnectionLimit', () => {
  it('lets at most max holders in at once; the others wait their turn, in order', async () => {
    const limit = new ConnectionLimit(2);
    const order: string[] = [];
    const a = await limit.acquire();
    const b = await limit.acquire();
    assert.equal(limit.inUse, 2);
    const c = limit.acquire().then((release) => {
      order.push('c');
      return release;
    });
    const d = limit.acquire().then((release) => {
      order.push('d');
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, [], 'nobody got in past the limit');
    a();
    a(); // releasing twice frees one place only
    const releaseC = await c;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['c']);
    assert.equal(limit.inUse, 2);
    b();
    const releaseD = await d;
    assert.deepEqual(order, ['c', 'd']);
    releaseC();
    releaseD();
    assert.equal(limit.inUse, 0);
  });

  it('stops waiting when the signal aborts, with its reason, and gives the place to nobody', async () => {
    const limit = new ConnectionLimit(1);
    const held = await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    const reason = new Error('deadline');
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
    held();
    assert.equal(limit.inUse, 0);
    await assert.rejects(limit.acquire(controller.signal), (e) => e === reason, 'an aborted signal is refused at once');
  });

  it('refuses a limit below 1', () => {
    assert.throws(() => new ConnectionLimit(0), RangeError);
  });
});
