/**
 * TEST ONLY. Named points in the life of a snapshot (created, loading,
 * loaded, completed, marked for deletion, each label deleted, …) where a test
 * can stop the process dead, to prove that an interruption at any of them
 * leaves the graph consistent (test/hostile/killAtEveryStep.test.ts).
 *
 * - `WHOCAN_TEST_KILL_AT=<step>`: the process sends itself SIGKILL when it
 *   reaches that step (the first time), exactly as `kill -9` would.
 * - `WHOCAN_TEST_STEPS=1`: prints `whocan-test-step <step>` on stderr at every
 *   step, so a test can list the steps instead of guessing them.
 *
 * Both are unset in normal use, and then this does nothing.
 */
export function testStep(step: string): void {
  if (process.env['WHOCAN_TEST_STEPS'] === '1') process.stderr.write(`whocan-test-step ${step}\n`);
  if (process.env['WHOCAN_TEST_KILL_AT'] === step) process.kill(process.pid, 'SIGKILL');
}
