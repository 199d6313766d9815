import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AccessAnalysis, buildAccessIndex, buildAccessIndexThreaded, deriveAccessRows, indexThreads } from '../../../src/analysis';
import { generate } from '../../../src/generate';
import { readSnapshot } from '../../../src/ingest';
import { loadAnalysisSettings } from '../../../src/services';

/**
 * The access index built on worker threads (each thread builds its own
 * model from the snapshot's rows and decides the jobs it is sent) must be
 * the index built on one thread, target for target, answer for answer and
 * caller for caller.
 */
describe('access index on worker threads', () => {
  it('two threads build exactly the index one thread builds (small organization, seed 2)', { timeout: 600_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-index-threads-'));
    let analysis: AccessAnalysis;
    try {
      generate({ preset: 'small', seed: 2, out: dir });
      const { rows } = readSnapshot(dir);
      analysis = deriveAccessRows(rows, await loadAnalysisSettings());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const progress: string[] = [];
    const threaded = await buildAccessIndexThreaded(analysis, { threads: 2, onProgress: (p) => progress.push(p.step) });
    const single = buildAccessIndex(analysis);
    assert.equal(threaded.stats.threads, 2, 'the small organization has enough jobs for threads');
    assert.deepEqual(threaded.targets, single.targets);
    assert.deepEqual(threaded.sets, single.sets);
    assert.deepEqual([...threaded.accessors].sort(), [...single.accessors].sort());
    const { ms: _a, threads: _b, decisions: madeThreaded, reusedDecisions: reusedThreaded, ...threadedCounts } = threaded.stats;
    const { ms: _c, threads: _d, decisions: madeSingle, reusedDecisions: reusedSingle, ...singleCounts } = single.stats;
    assert.deepEqual(threadedCounts, singleCounts);
    // Each thread reuses only its own decisions: how many are made or reused varies, not their sum.
    assert.equal(madeThreaded + reusedThreaded, madeSingle + reusedSingle);
    assert.ok(reusedSingle > 0, 'decisions are reused across targets');
    assert.ok(
      progress.includes('deciding') && progress.includes('storing answers'),
      `progress steps: ${[...new Set(progress)].join(', ')}`,
    );
  });

  it('the thread count: WHOCAN_INDEX_THREADS, else the machine, at most 8', () => {
    const saved = process.env.WHOCAN_INDEX_THREADS;
    try {
      process.env.WHOCAN_INDEX_THREADS = '3';
      assert.equal(indexThreads(undefined), 3);
      assert.equal(indexThreads(1), 1, 'an explicit count wins');
      process.env.WHOCAN_INDEX_THREADS = 'many';
      assert.throws(() => indexThreads(undefined), /WHOCAN_INDEX_THREADS="many": expected a number of threads from 1 to 8/);
      delete process.env.WHOCAN_INDEX_THREADS;
      assert.ok(indexThreads(undefined) >= 1 && indexThreads(undefined) <= 8);
      assert.equal(indexThreads(64), 8);
    } finally {
      if (saved === undefined) delete process.env.WHOCAN_INDEX_THREADS;
      else process.env.WHOCAN_INDEX_THREADS = saved;
    }
  });
});
