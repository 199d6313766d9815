import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { depthExceeds, describeJsonError, firstInvalidUtf8Byte, MAX_DEPTH, readJsonFile } from '../../../src/ingest/readJsonFile';
import { IngestReport } from '../../../src/ingest/report';

describe('readJsonFile: one snapshot file, read defensively', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'whocan-readjson-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function read(rel: string, content: string | Buffer): { data?: unknown; problems: string[] } {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
    const report = new IngestReport();
    const file = readJsonFile(dir, rel, report);
    return { ...(file ? { data: file.data } : {}), problems: report.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`) };
  }

  it('parses UTF-8 JSON (a byte order mark is tolerated)', () => {
    assert.deepEqual(read('a.json', '{"x": "é"}').data, { x: 'é' });
    assert.deepEqual(read('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[1]')])).data, [1]);
  });

  it('finds the first byte that is not UTF-8', () => {
    const bytes = Buffer.from('{"x": "abc"}');
    bytes[8] = 0xc3; // a lead byte followed by an ASCII byte: invalid at 8
    assert.equal(firstInvalidUtf8Byte(bytes), 8);
    assert.equal(firstInvalidUtf8Byte(Buffer.from([0x61, 0x62, 0xff])), 2);
    assert.equal(firstInvalidUtf8Byte(Buffer.from([0x61, 0x62, 0xe2, 0x82])), 2, 'a sequence cut short by the end of the file');
    assert.deepEqual(read('bad.json', bytes).problems, [
      "bad.json: $: is not valid UTF-8 (first invalid byte at offset 8): expected the AWS CLI's UTF-8 output (a file saved as UTF-16, e.g. by PowerShell's >, must be converted)",
    ]);
  });

  it('describes a JSON syntax error by position, quoting at most one escaped character of the input', () => {
    const message = (text: string) => {
      try {
        JSON.parse(text);
      } catch (error) {
        return describeJsonError((error as Error).message, text);
      }
      return 'parsed';
    };
    assert.equal(message('root:x:0:0:root:/root:/bin/bash'), "unexpected character 'r'");
    assert.equal(message('\u001b[31m'), 'unexpected character U+001B');
    assert.equal(message('{\n  "a": 1,\n}'), 'expected double-quoted property name at line 3, column 1');
    assert.equal(message('[1] secret'), 'unexpected non-whitespace character after JSON at line 1, column 5');
    assert.equal(message('{"a": '), 'unexpected end of JSON input');
    const problems = read('passwd.json', 'root:x:0:0:root:/root:/bin/bash\n').problems;
    assert.equal(problems.length, 1);
    assert.doesNotMatch(problems[0] ?? '', /root:x|bin\/bash/);
  });

  it('refuses nesting deeper than MAX_DEPTH without recursion', () => {
    assert.equal(depthExceeds(JSON.parse(`${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`), MAX_DEPTH), false);
    assert.equal(depthExceeds(JSON.parse(`${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`), MAX_DEPTH), true);
    assert.equal(depthExceeds(JSON.parse(`${'{"a":'.repeat(300_000)}1${'}'.repeat(300_000)}`), MAX_DEPTH), true);
    assert.match(read('deep.json', `${'['.repeat(500)}${']'.repeat(500)}`).problems[0] ?? '', /is nested more than 100 levels deep/);
  });

  it('does not read through a link that leads out of the directory', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'whocan-outside-'));
    try {
      writeFileSync(path.join(outside, 'secret.json'), '{"secret": true}');
      symlinkSync(path.join(outside, 'secret.json'), path.join(dir, 'link.json'));
      const report = new IngestReport();
      assert.equal(readJsonFile(dir, 'link.json', report), undefined);
      assert.match(report.problems[0]?.message ?? '', /leads outside the snapshot directory/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
