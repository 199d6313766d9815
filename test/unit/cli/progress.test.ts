import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingestProgressPrinter } from '../../../src/cli/progress';
import type { CliIo } from '../../../src/cli/output';

/** Progress of counted steps (the access index: targets decided, rows written) off a terminal: a line every interval, and the last one. */
describe('ingestProgressPrinter: counted steps', () => {
  it('prints phases at once, and a counted step at most once per interval and when it completes', () => {
    const lines: string[] = [];
    const io: CliIo = { out: () => undefined, err: (text) => lines.push(text), isTty: false };
    let clock = 10_000;
    const print = ingestProgressPrinter(io, { tty: false, intervalMs: 5_000, now: () => clock });
    print({ type: 'phase', message: 'computing the access index (policy engine)' });
    print({ type: 'step', step: 'access index: deciding', done: 1, total: 2_000 });
    clock += 1_000;
    print({ type: 'step', step: 'access index: deciding', done: 500, total: 2_000 });
    clock += 5_000;
    print({ type: 'step', step: 'access index: deciding', done: 1_500, total: 2_000 });
    clock += 10;
    print({ type: 'step', step: 'access index: deciding', done: 2_000, total: 2_000 });
    assert.deepEqual(lines, [
      'computing the access index (policy engine)',
      'access index: deciding: 1/2,000 · 0%',
      'access index: deciding: 1,500/2,000 · 75%',
      'access index: deciding: 2,000/2,000 · 100%',
    ]);
  });
});
