import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerGenerate } from '../../../src/cli/commands/generate';
import type { CliContext } from '../../../src/cli/command';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliContext = { io: { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false }, exitCode: 0 };
  const program = new Command('whocan').exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerGenerate(program, cli);
  await program.parseAsync(['generate', ...args], { from: 'user' });
  return { code: cli.exitCode, out, err };
}

describe('whocan generate command', () => {
  it('generates, then refuses a non-empty --out without --force, then replaces it with --force', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-gen-cli-'));
    try {
      const out = path.join(tmp, 'snap');
      const first = await run(['--preset', 'small', '--seed', '5', '--out', out]);
      assert.equal(first.code, 0);
      assert.match(first.out.join('\n'), /300 users/);
      assert.ok(fs.existsSync(path.join(out, 'generated.json')));
      const again = await run(['--preset', 'small', '--seed', '5', '--out', out]);
      assert.equal(again.code, 2);
      assert.match(again.err.join('\n'), /not empty; pass --force/);
      const forced = await run(['--preset', 'small', '--seed', '6', '--out', out, '--force']);
      assert.equal(forced.code, 0);
      assert.equal((JSON.parse(fs.readFileSync(path.join(out, 'generated.json'), 'utf8')) as { seed: number }).seed, 6);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('rejects an unknown preset and a bad seed with a clear message', async () => {
    const r = await run(['--preset', 'huge', '--seed', 'abc', '--out', path.join(os.tmpdir(), 'whocan-never-written')]);
    assert.equal(r.code, 2);
    const text = r.err.join('\n');
    assert.match(text, /--preset must be one of small, medium, large \(got "huge"\)/);
    assert.match(text, /--seed must be a non-negative integer \(got "abc"\)/);
  });
});
