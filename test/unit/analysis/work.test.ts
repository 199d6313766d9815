import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInSlices, runToEnd, type Work } from '../../../src/analysis';

/** Busy work that yields after each step and returns how many steps it took. */
function* busy(steps: number, msPerStep: number): Work<number> {
  for (let i = 0; i < steps; i++) {
    const until = performance.now() + msPerStep;
    while (performance.now() < until) {
      // spin: a CPU-bound step, like deciding one API's methods
    }
    yield;
  }
  return steps;
}

describe('long questions run in slices', () => {
  it('runToEnd runs the work straight through and returns its value', () => {
    assert.equal(runToEnd(busy(5, 0)), 5);
  });

  it('runInSlices gives the event loop back between slices, so other callbacks run before the work ends', async () => {
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    const result = await runInSlices(busy(40, 2), { sliceMs: 5 });
    assert.equal(result, 40);
    assert.ok(ranMeanwhile, 'a callback queued before the work ran while it was going on');
  });

  it("stops with the signal's reason once the signal aborts (the request's deadline)", async () => {
    const controller = new AbortController();
    const reason = new Error('deadline passed');
    setTimeout(() => controller.abort(reason), 20);
    let steps = 0;
    function* endless(): Work<never> {
      for (;;) {
        steps++;
        const until = performance.now() + 1;
        while (performance.now() < until) {
          // spin
        }
        yield;
      }
    }
    await assert.rejects(runInSlices(endless(), { signal: controller.signal, sliceMs: 5 }), reason);
    assert.ok(steps > 0 && steps < 10_000, `stopped after ${steps} steps`);
  });
});
