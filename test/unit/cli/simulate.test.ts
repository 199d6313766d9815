import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import type { CliContext } from '../../../src/cli/command';
import { registerSimulate } from '../../../src/cli/commands/simulate';
import { EXIT_OK, EXIT_USAGE } from '../../../src/cli/exitCodes';
import type { CliIo } from '../../../src/cli/output';

/**
 * `whocan simulate` end to end through commander, built the way src/cli/main.ts
 * builds the program (exitOverride; commander usage errors are exit 2).
 */
async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { isTty: false, out: (t) => out.push(t), err: (t) => err.push(t) };
  const cli: CliContext = { io, exitCode: EXIT_OK };
  const program = new Command('whocan').exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerSimulate(program, cli);
  let code: number;
  try {
    await program.parseAsync(['node', 'whocan', 'simulate', ...args]);
    code = cli.exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const dir = mkdtempSync(path.join(tmpdir(), 'whocan-simulate-'));
function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

function examples(name: string): string {
  let d = __dirname;
  while (!path.basename(d).startsWith('dist') && path.dirname(d) !== d) d = path.dirname(d);
  return path.join(path.dirname(d), 'docs', 'examples', 'simulate', name);
}

const REQUEST = {
  CallerArn: 'arn:aws:iam::111111111111:user/alice',
  ActionNames: ['execute-api:Invoke'],
  ResourceArns: ['arn:aws:execute-api:us-east-1:111111111111:abc123/prod/GET/pets'],
  PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}}'],
};

function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.doesNotMatch(text, /internal error/);
}

describe('whocan simulate', () => {
  it('prints AWS-style results as JSON and exits 0', async () => {
    const r = await run([file('ok.json', REQUEST)]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      EvaluationResults: { EvalDecision: string; EvalActionName: string; MatchedStatements: { SourcePolicyId: string }[] }[];
    };
    assert.equal(out.EvaluationResults.length, 1);
    assert.equal(out.EvaluationResults[0]?.EvalDecision, 'allowed');
    assert.equal(out.EvaluationResults[0]?.MatchedStatements[0]?.SourcePolicyId, 'PolicyInputList.1');
  });

  it('--batch prints one output per request, in order', async () => {
    const deny = { ...REQUEST, PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}'] };
    const r = await run(['--batch', file('batch.json', [REQUEST, deny, { ...REQUEST, PolicyInputList: [] }])]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { EvaluationResults: { EvalDecision: string }[] }[];
    assert.deepEqual(
      out.map((o) => o.EvaluationResults[0]?.EvalDecision),
      ['allowed', 'explicitDeny', 'implicitDeny'],
    );
  });

  it('a missing file: exit 2, the message names the file, no stack trace', async () => {
    const missing = path.join(dir, 'nope.json');
    const r = await run([missing]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`Cannot read ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such file`));
    assertNoStack(r.stderr);
    assert.equal(r.stdout, '');
  });

  it('invalid JSON: exit 2 naming the file', async () => {
    const p = file('broken.json', '{"CallerArn": ');
    const r = await run([p]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.json is not valid JSON/);
    assertNoStack(r.stderr);
  });

  it('a bad field: exit 2, every problem named by its JSON path', async () => {
    const p = file('bad.json', {
      ...REQUEST,
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1'], ContextKeyType: 'IP' }],
      PolicyInputList: [
        {
          Statement: {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: '*',
            Condition: { IpAdress: { 'aws:SourceIp': '10.0.0.0/8' } },
          },
        },
      ],
    });
    const r = await run([p]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.json: Invalid simulate request \(2 problems\)/);
    assert.match(r.stderr, /\$\.ContextEntries\[0\]\.ContextKeyType: expected one of/);
    assert.match(r.stderr, /\$\.PolicyInputList\[0\]\.Statement\.Condition\.IpAdress: unknown condition operator/);
    assertNoStack(r.stderr);
  });

  it('a bad request in a batch is named by its index', async () => {
    const r = await run(['--batch', file('batch-bad.json', [REQUEST, { ...REQUEST, CallerArn: 'alice' }])]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\$\[1\]\.CallerArn: expected an IAM user/);
    assert.equal(r.stdout, '');
  });

  it('--batch needs a JSON array', async () => {
    const r = await run(['--batch', file('not-array.json', REQUEST)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\$: expected a JSON array of simulate requests/);
  });

  it('a list of requests without --batch: exit 2 with a hint', async () => {
    const r = await run([file('list.json', [REQUEST])]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /list\.json holds a list of requests: run `whocan simulate --batch /);
  });

  it('needs exactly one of FILE and --batch', async () => {
    const none = await run([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Missing the request FILE/);
    const both = await run([file('a.json', REQUEST), '--batch', file('b.json', [REQUEST])]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either a request FILE or --batch FILE, not both/);
  });

  it('the documented examples run', async () => {
    for (const name of ['cross-account-iam.json', 'private-api-analysis.json', 'organizations.json']) {
      const r = await run([examples(name)]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    }
    const batch = await run(['--batch', examples('batch.json')]);
    assert.equal(batch.code, 0, batch.stderr);
    const decisions = (JSON.parse(batch.stdout) as { EvaluationResults: { EvalDecision: string }[] }[]).map(
      (o) => o.EvaluationResults[0]?.EvalDecision,
    );
    assert.deepEqual(decisions, ['allowed', 'explicitDeny']);
    const cross = JSON.parse((await run([examples('cross-account-iam.json')])).stdout) as { EvaluationResults: { EvalDecision: string }[] };
    assert.deepEqual(
      cross.EvaluationResults.map((e) => e.EvalDecision),
      ['allowed', 'implicitDeny'],
    );
  });
});
