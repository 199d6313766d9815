import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/output';

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTty: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('whocan CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const io = captureIo();
    assert.equal(await main(['node', 'whocan', '--help'], io), 0);
    const help = io.stdout.join('\n');
    for (const command of ['ingest', 'snapshots', 'simulate', 'generate', 'db', 'migrate', 'schema', 'token'])
      assert.match(help, new RegExp(`\\b${command}\\b`));
  });

  it('an unknown command exits 2 with a hint', async () => {
    const io = captureIo();
    assert.equal(await main(['node', 'whocan', 'frobnicate'], io), 2);
    assert.match(io.stderr.join('\n'), /unknown command 'frobnicate'/);
  });

  it('a value an option refuses exits 2 with the message, not an internal error with a stack trace', async () => {
    for (const argv of [
      ['who-can-invoke', 'arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/pets', '--max-hops', 'abc'],
      ['who-can-invoke', 'arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/pets', '--max-hops', '99'],
    ]) {
      const io = captureIo();
      assert.equal(await main(['node', 'whocan', ...argv], io), 2, argv.join(' '));
      const stderr = io.stderr.join('\n');
      assert.match(stderr, /--max-hops \S+: expected a whole number from 0 to 20/);
      assert.doesNotMatch(stderr, /internal error|\n\s+at /);
    }
  });
});
