import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { seedDir } from '../../../src/config/paths';
import { readSnapshot } from '../../../src/ingest';
import { discoverSnapshotFiles } from '../../../src/ingest/discover';
import { IngestReport } from '../../../src/ingest/report';

describe('snapshot discovery and reading', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'whocan-discover-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every file of the layout and reports what does not fit, skipping READMEs', () => {
    const files: Record<string, string> = {
      'organization.json': '{}',
      'README.md': '# notes',
      'notes.txt': 'x',
      'not-an-account/x.json': '{}',
      '123456789012/iam/authorization-details-1.json': '{}',
      '123456789012/iam/authorization-details-2.json': '{}',
      '123456789012/iam/credential-report.csv': '',
      '123456789012/us-east-1/apigateway/rest-apis.json': '{}',
      '123456789012/us-east-1/apigateway/abc123/resources.json': '{}',
      '123456789012/us-east-1/apigateway/abc123/stages.json': '{}',
      '123456789012/us-east-1/apigateway/abc123/deployments.json': '{}',
      '123456789012/us-east-1/apigatewayv2/apis.json': '{}',
      '123456789012/us-east-1/apigatewayv2/h1/routes.json': '{}',
      '123456789012/us-east-1/lambda/functions.json': '{}',
      '123456789012/us-east-1/lambda/policies/fn-a.json': '{}',
      '123456789012/us-east-1/s3/buckets.json': '{}',
      '123456789012/moon-base-1/apigateway/rest-apis.json': '{}',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    const report = new IngestReport();
    const found = discoverSnapshotFiles(dir, report);
    assert.equal(found.organization, 'organization.json');
    const account = found.accounts.get('123456789012');
    assert.deepEqual(account?.iam, ['123456789012/iam/authorization-details-1.json', '123456789012/iam/authorization-details-2.json']);
    const region = account?.regions.get('us-east-1');
    assert.equal(region?.restApis, '123456789012/us-east-1/apigateway/rest-apis.json');
    assert.deepEqual(region?.restApiFiles.get('abc123'), {
      resources: '123456789012/us-east-1/apigateway/abc123/resources.json',
      stages: '123456789012/us-east-1/apigateway/abc123/stages.json',
    });
    assert.deepEqual(region?.httpApiFiles.get('h1'), { routes: '123456789012/us-east-1/apigatewayv2/h1/routes.json' });
    assert.deepEqual(region?.lambdaPolicies, ['123456789012/us-east-1/lambda/policies/fn-a.json']);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.warnings.map((w) => w.file).sort(), [
      '123456789012/iam/credential-report.csv',
      '123456789012/moon-base-1/',
      '123456789012/us-east-1/apigateway/abc123/deployments.json',
      '123456789012/us-east-1/s3/',
      'not-an-account/',
      'notes.txt',
    ]);
  });

  it('reads seed/ with no problem and exactly the warnings its README announces', () => {
    const { rows, report } = readSnapshot(seedDir());
    assert.deepEqual(report.problems, []);
    assert.deepEqual(
      report.warnings.map((w) => w.message.replace(/ is used as.*/, '')),
      ['arn:aws:iam::aws:policy/PowerUserAccess'],
    );
    assert.deepEqual(
      rows.accounts.map((a) => [a.id, a.ingested, a.inOrganization]),
      [
        ['111122223333', true, true],
        ['222233334444', true, true],
        ['333344445555', true, true],
      ],
    );
  });

  it('follows links only inside the snapshot directory; names dangling, looping and outside links, and what is not a file', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'whocan-links-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'whocan-outside-'));
    try {
      const write = (rel: string, text = '{}') => {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), text);
      };
      write('.store/authorization-details.json');
      mkdirSync(path.join(root, '123456789012', 'iam'), { recursive: true });
      symlinkSync('../../.store/authorization-details.json', path.join(root, '123456789012', 'iam', 'authorization-details-1.json'));
      symlinkSync('/etc/passwd', path.join(root, '123456789012', 'iam', 'authorization-details-2.json'));
      symlinkSync('authorization-details-3.json', path.join(root, '123456789012', 'iam', 'authorization-details-3.json'));
      symlinkSync(path.join(outside, 'gone.json'), path.join(root, '123456789012', 'iam', 'authorization-details-4.json'));
      symlinkSync(outside, path.join(root, '210987654321'));
      symlinkSync(outside, path.join(root, 'rules'));
      assert.equal(spawnSync('mkfifo', [path.join(root, '123456789012', 'iam', 'authorization-details-5.json')]).status, 0);
      const report = new IngestReport();
      const found = discoverSnapshotFiles(root, report);
      assert.deepEqual(
        found.accounts.get('123456789012')?.iam,
        ['123456789012/iam/authorization-details-1.json'],
        'the link inside is followed',
      );
      assert.equal(found.accounts.has('210987654321'), false);
      assert.deepEqual(report.problems.map((p) => `${p.file}: ${p.message.replace(/[:(].*$/, '').trim()}`).sort(), [
        '123456789012/iam/authorization-details-2.json: is a symbolic link to a location outside the snapshot directory',
        '123456789012/iam/authorization-details-3.json: is a symbolic link that leads nowhere',
        '123456789012/iam/authorization-details-4.json: is a symbolic link that leads nowhere',
        '123456789012/iam/authorization-details-5.json: is neither a regular file nor a folder',
        '210987654321: is a symbolic link to a location outside the snapshot directory',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
