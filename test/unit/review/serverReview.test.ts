import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { seedDir } from '../../../src/config/paths';
import { TimeoutError, UserInputError } from '../../../src/errors';
import { checkRulesSize, deadlineBound, loadRules, runReview, type AccessSource } from '../../../src/services/review';
import { seedSource } from './support';

/**
 * The bounds of a review run by a server (the GraphQL `review` query) that
 * need no database: the rules text's size (counted in UTF-8 bytes) and the
 * deadline checked before every question.
 */
describe('reviews run by a server: bounds', () => {
  it('the rules text is measured in UTF-8 bytes against the limit, and refused with a message naming the limit', () => {
    assert.doesNotThrow(() => checkRulesSize('a'.repeat(1_024), { maxRulesBytes: 1_024 }));
    assert.throws(
      () => checkRulesSize('a'.repeat(1_025), { maxRulesBytes: 1_024 }),
      (e: unknown) => {
        assert.ok(e instanceof UserInputError);
        assert.equal(
          e.message,
          'rules: the rules text is 1025 bytes; this server accepts at most 1024 (WHOCAN_MAX_RULES_BYTES). Split the file, or ask the operator to raise the limit.',
        );
        return true;
      },
    );
    // 400 characters of three bytes each: 1 200 bytes.
    assert.throws(() => checkRulesSize('€'.repeat(400), { maxRulesBytes: 1_024 }), /the rules text is 1200 bytes/);
    assert.doesNotThrow(() => checkRulesSize('€'.repeat(341), { maxRulesBytes: 1_024 }));
  });

  it('deadlineBound: once the time is up, the next question fails with TIMEOUT and the source is asked nothing more', async () => {
    const rules = loadRules(path.join(seedDir(), 'rules', 'violations.yaml'));
    const seed = await seedSource();
    let asked = 0;
    const counting: AccessSource = {
      origin: seed.origin,
      resolveSnapshot: (s) => seed.resolveSnapshot(s),
      apis: (s) => seed.apis(s),
      roles: (s) => seed.roles(s),
      accounts: (s) => seed.accounts(s),
      groupsOf: (p, s) => seed.groupsOf(p, s),
      whoCan: (...args) => {
        asked++;
        return seed.whoCan(...args);
      },
      can: (...args) => seed.can(...args),
      findings: (...args) => seed.findings(...args),
      accessDiff: (...args) => seed.accessDiff(...args),
    };
    const whole = await runReview(counting, rules);
    const questions = asked;
    assert.ok(questions > 10, `the review asks ${questions} questions`);
    assert.equal(whole.origin, 'local database');

    let checks = 0;
    const scope = {
      assertTimeLeft() {
        if (++checks > 8) throw new TimeoutError('out of time');
      },
    };
    asked = 0;
    await assert.rejects(runReview(deadlineBound(counting, scope, 'whocan server'), rules), TimeoutError);
    assert.ok(asked < questions, `stopped after ${asked} of ${questions} questions`);
    const askedWhenStopped = asked;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(asked, askedWhenStopped, 'nothing is asked after the deadline');

    const named = await runReview(deadlineBound(counting, { assertTimeLeft() {} }, 'whocan server'), rules);
    assert.equal(named.origin, 'whocan server');
    assert.deepEqual(
      named.results.map((r) => r.violations),
      whole.results.map((r) => r.violations),
    );
  });
});
