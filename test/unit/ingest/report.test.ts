import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssue, IngestInputError, MAX_ISSUES_SHOWN } from '../../../src/ingest';

describe('ingest reports stay bounded', () => {
  it('an IngestInputError shows the first problems and counts the rest, keeping them all', () => {
    const problems = Array.from({ length: 250 }, (_, i) => ({
      file: 'f.json',
      path: `$.List[${i}]`,
      message: 'required field is missing',
    }));
    const error = new IngestInputError('dir', problems);
    assert.equal(error.problems.length, 250);
    assert.equal(error.details.length, MAX_ISSUES_SHOWN + 1);
    assert.equal(error.details[0], 'f.json: $.List[0]: required field is missing');
    assert.equal(error.details[MAX_ISSUES_SHOWN], '… and 150 more problems (the first 100 are shown)');
    assert.match(error.message, /250 problems/);
    assert.equal(new IngestInputError('dir', problems.slice(0, 3)).details.length, 3, 'no count line when all are shown');
  });

  it('one issue prints as at most a few thousand characters', () => {
    const line = formatIssue({ file: 'f.json', path: '$', message: `user ${'x'.repeat(1_000_000)} also appears` });
    assert.ok(line.length < 2_100, String(line.length));
    assert.match(line, /… \(\d+ more characters\)$/);
  });
});
