import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toReviewOptions } from '../../../src/api/review/review.input';
import { UserInputError } from '../../../src/errors';

/** The options of the `review` query, checked at the edge before any work. */
describe('review query options', () => {
  it('options: defaults, and each malformed one is one BAD_USER_INPUT naming it', () => {
    assert.deepEqual(toReviewOptions(null, 10), { file: 'rules.yaml' });
    assert.deepEqual(
      toReviewOptions(
        { file: 'ci/rules.yaml', rules: ['a', 'b'], maxHops: 3, maxPaths: 2, maxViolations: 5, maxAccess: 1, all: false },
        10,
      ),
      {
        file: 'ci/rules.yaml',
        only: ['a', 'b'],
        maxHops: 3,
        maxPaths: 2,
        maxViolations: 5,
        maxAccess: 1,
      },
    );
    assert.deepEqual(toReviewOptions({ all: true }, 10), { file: 'rules.yaml', all: true });
    const refused = (options: Parameters<typeof toReviewOptions>[0], message: RegExp) =>
      assert.throws(
        () => toReviewOptions(options, 3),
        (e: unknown) => e instanceof UserInputError && message.test(e.message),
      );
    refused({ file: 'a\nb.yaml' }, /^options\.file: expected a file name without control characters/);
    refused({ file: ' ' }, /^options\.file: must not be empty/);
    refused({ file: 'x'.repeat(1_025) }, /^options\.file: longer than 1024 characters/);
    refused({ rules: ['a', 'b', 'c', 'd'] }, /^options\.rules: at most 3 rule ids \(WHOCAN_MAX_RULES\), got 4/);
    refused({ rules: ['a', ''] }, /^options\.rules\[1\]: must not be empty/);
    refused({ maxHops: 11 }, /^options\.maxHops: expected a whole number from 0 to 10, got 11/);
    refused({ maxPaths: 11 }, /^options\.maxPaths: expected a whole number from 1 to 10, got 11/);
    refused({ maxViolations: 0 }, /^options\.maxViolations: expected a whole number from 1/);
    refused({ maxAccess: 1.5 }, /^options\.maxAccess: expected a whole number from 1/);
  });
});
