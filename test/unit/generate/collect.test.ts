import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { seedDir } from '../../../src/config/paths';
import { readSnapshot } from '../../../src/ingest';

/**
 * scripts/collect.sh against a stand-in `aws` command that records every
 * call and prints canned output: it writes the snapshot layout whocan reads,
 * VPC endpoints included, and calls only read operations.
 */
const ACCOUNT = '333344445555';
const ENDPOINTS = path.join(seedDir(), ACCOUNT, 'us-east-1', 'ec2', 'vpc-endpoints.json');

const FAKE_AWS = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_AWS_LOG"
args=" $* "
case "$args" in
  *" sts get-caller-identity "*) echo ${ACCOUNT} ;;
  *" iam get-account-authorization-details "*) echo '{"UserDetailList":[],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}' ;;
  *" apigateway get-rest-apis "*) echo '{"items":[]}' ;;
  *" apigatewayv2 get-apis "*) echo '{"Items":[]}' ;;
  *" lambda list-functions "*) echo '{"Functions":[]}' ;;
  *" ec2 describe-vpc-endpoints "*) cat "$FAKE_ENDPOINTS" ;;
  *) echo "unexpected call: $*" >&2; exit 1 ;;
esac
`;

describe('scripts/collect.sh', () => {
  it('writes <account>/<region>/ec2/vpc-endpoints.json from describe-vpc-endpoints, with read-only calls only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'whocan-collect-'));
    try {
      const bin = path.join(dir, 'bin');
      execFileSync('mkdir', ['-p', bin]);
      writeFileSync(path.join(bin, 'aws'), FAKE_AWS);
      chmodSync(path.join(bin, 'aws'), 0o755);
      const log = path.join(dir, 'calls.log');
      const out = path.join(dir, 'snapshot');
      execFileSync('bash', [path.join(seedDir(), '..', 'scripts', 'collect.sh'), '--out', out, '--region', 'us-east-1'], {
        env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, FAKE_AWS_LOG: log, FAKE_ENDPOINTS: ENDPOINTS },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const written = path.join(out, ACCOUNT, 'us-east-1', 'ec2', 'vpc-endpoints.json');
      assert.deepEqual(JSON.parse(readFileSync(written, 'utf8')), JSON.parse(readFileSync(ENDPOINTS, 'utf8')));
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      assert.ok(
        calls.some((c) => / ec2 describe-vpc-endpoints --region us-east-1$/.test(c)),
        calls.join('\n'),
      );
      for (const call of calls) {
        const operation = call.replace(/^(--\S+ \S+ )*/, '').split(' ')[1] ?? '';
        assert.match(operation, /^(get|list|describe)-/, call);
      }
      const { rows, report } = readSnapshot(out);
      assert.deepEqual(report.problems, []);
      assert.deepEqual(rows.vpcEndpoints.map((e) => e.id).sort(), ['vpce-0a1b2c3d4e5f60789', 'vpce-0fedcba9876543210']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
