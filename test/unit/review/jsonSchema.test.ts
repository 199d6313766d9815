import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import path from 'node:path';
import { seedDir } from '../../../src/config/paths';
import { loadRules, reviewReportProblems, reviewReportSchema, runReview } from '../../../src/services/review';
import { checkSupportedKeywords, validateJson, type JsonSchema } from '../../../src/services/review/jsonSchema';
import { seedSource } from './support';

/** The small JSON Schema validator behind rules files: each keyword it implements, and refusing those it does not. */
const messages = (value: unknown, schema: JsonSchema) =>
  validateJson(value, schema).map((p) => `${p.path.join('.') || '$'} [${p.at}] ${p.message}`);

describe('the rules-file JSON Schema validator', () => {
  it('type: integers are numbers, lists are not mappings, and a number where text is expected says to quote it', () => {
    assert.deepEqual(messages(1.5, { type: 'integer' }), ['$ [value] expected a whole number, got the number 1.5']);
    assert.deepEqual(messages([], { type: 'object' }), ['$ [value] expected a mapping, got an empty list']);
    assert.deepEqual(messages(12, { type: 'string', description: 'an id' }), [
      '$ [value] expected an id, got the number 12 (put it in quotes)',
    ]);
    assert.deepEqual(messages(null, { type: ['string', 'boolean'] }), ['$ [value] expected a text or true or false, got nothing']);
    assert.deepEqual(messages(true, { type: ['string', 'boolean'] }), []);
  });

  it('properties, required, additionalProperties (false or a schema) and propertyNames', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
      additionalProperties: false,
    };
    assert.deepEqual(messages({ a: 'x', bb: 1 }, schema), ['bb [key] unknown key "bb" (did you mean b?): expected a, b']);
    assert.deepEqual(messages({ zzzz: 1 }, schema), ['$ [parent] missing a', 'zzzz [key] unknown key "zzzz": expected a, b']);
    const map: JsonSchema = {
      type: 'object',
      propertyNames: { pattern: '^[a-z]+$', description: 'a lower-case name' },
      additionalProperties: { type: 'integer' },
    };
    assert.deepEqual(messages({ ok: 1, Bad: 2, fine: 'x' }, map), [
      'Bad [key] key: expected a lower-case name, got "Bad"',
      'fine [value] expected a whole number, got "x"',
    ]);
  });

  it('const, enum, pattern, minLength, minimum and maximum', () => {
    assert.deepEqual(messages(2, { const: 1 }), ['$ [value] expected 1, got the number 2']);
    assert.deepEqual(messages('x', { enum: ['a', 'b'] }), ['$ [value] expected one of a, b, got "x"']);
    assert.deepEqual(messages('abc', { type: 'string', pattern: '^[0-9]+$', description: 'digits' }), [
      '$ [value] expected digits, got "abc"',
    ]);
    assert.deepEqual(messages('', { type: 'string', minLength: 1 }), ['$ [value] expected at least 1 character(s), got an empty text']);
    assert.deepEqual(messages(0, { type: 'integer', minimum: 1, maximum: 3 }), ['$ [value] expected a number from 1 to 3, got 0']);
    assert.deepEqual(messages(4, { type: 'integer', minimum: 1, maximum: 3 }), ['$ [value] expected a number from 1 to 3, got 4']);
    assert.deepEqual(messages(3, { type: 'integer', minimum: 1, maximum: 3 }), []);
  });

  it('items, minItems and uniqueItems apply to lists only', () => {
    const schema: JsonSchema = { type: ['string', 'array'], minItems: 2, uniqueItems: true, items: { type: 'string' } };
    assert.deepEqual(messages('one', schema), []);
    assert.deepEqual(messages(['a'], schema), ['$ [value] expected a list with at least 2 item(s), got 1']);
    assert.deepEqual(messages(['a', 1, 'a'], schema), [
      '1 [value] expected a text, got the number 1 (put it in quotes)',
      '2 [value] "a" is listed twice',
    ]);
  });

  it('min/maxProperties of one reads as "exactly one of"', () => {
    const schema: JsonSchema = { type: 'object', minProperties: 1, maxProperties: 1, properties: { x: {}, y: {} } };
    assert.deepEqual(messages({}, schema), ['$ [value] expected exactly one of x, y, got an empty mapping']);
    assert.deepEqual(messages({ x: 1, y: 2 }, schema), ['$ [parent] expected exactly one of x, y, got 2: x, y']);
  });

  it("oneOf: required-only branches, the branch fitting the value's kind, ambiguity", () => {
    const keys: JsonSchema = { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] };
    assert.deepEqual(messages({}, keys), ['$ [parent] expected exactly one of a, b']);
    assert.deepEqual(messages({ a: 1, b: 2 }, keys), ['$ [parent] expected exactly one of a, b, got a and b']);
    assert.deepEqual(messages({ a: 1 }, keys), []);
    const forms: JsonSchema = {
      description: 'a thing',
      oneOf: [
        { title: 'a name', type: 'string', pattern: '^n' },
        { title: 'a list', type: 'array', items: { type: 'integer' } },
      ],
    };
    assert.deepEqual(messages('x', forms), ['$ [value] expected text matching ^n, got "x"']);
    assert.deepEqual(messages(['x'], forms), ['0 [value] expected a whole number, got "x"']);
    assert.deepEqual(messages(5, forms), ['$ [value] expected a thing (a name, or a list), got the number 5']);
    assert.deepEqual(
      messages('n', {
        oneOf: [
          { title: 'one', type: 'string' },
          { title: 'two', type: 'string' },
        ],
      }),
      ['$ [value] "n" is ambiguous: it reads as one and as two'],
    );
  });

  it("$ref resolves into $defs; the referring schema's description wins", () => {
    const root: JsonSchema = {
      type: 'object',
      properties: { id: { $ref: '#/$defs/id', description: 'the id of this' } },
      $defs: { id: { type: 'string', description: 'an id' } },
    };
    assert.deepEqual(messages({ id: 1 }, root), ['id [value] expected the id of this, got the number 1 (put it in quotes)']);
  });

  it('a schema with a keyword the validator does not implement is refused', () => {
    assert.doesNotThrow(() => checkSupportedKeywords({ type: 'object', properties: { a: { type: 'string', description: 'x' } } }));
    assert.throws(
      () => checkSupportedKeywords({ type: 'object', properties: { a: { type: 'string', format: 'email' } } }),
      /keyword format at #\/properties\/a is not supported/,
    );
    assert.throws(() => checkSupportedKeywords({ $defs: { x: { anyOf: [] } } }), /keyword anyOf at #\/\$defs\/x/);
    assert.throws(() => checkSupportedKeywords({ oneOf: [{ if: {} }] }), /keyword if at #\/oneOf\/0/);
  });

  it('the shipped report schema uses only implemented keywords and fits the reports whocan writes, bounded or whole; it refuses one without the totals', async () => {
    assert.doesNotThrow(() => reviewReportSchema());
    const rules = loadRules(path.join(seedDir(), 'rules', 'violations.yaml'));
    for (const options of [{}, { all: true }, { maxViolations: 1, maxAccess: 1, maxPaths: 1 }]) {
      const report = JSON.parse(JSON.stringify(await runReview(await seedSource(), rules, options))) as Record<string, unknown>;
      assert.deepEqual(reviewReportProblems(report), [], JSON.stringify(options));
    }
    const report = JSON.parse(JSON.stringify(await runReview(await seedSource(), rules, { maxViolations: 1 }))) as {
      results: Record<string, unknown>[];
      counts: Record<string, unknown>;
    };
    delete report.results[0]!['violationCount'];
    delete report.counts['listed'];
    assert.deepEqual(
      reviewReportProblems(report).map((p) => `${p.path.join('.')} ${p.message}`),
      ['results.0 missing violationCount (a whole number, 0 or more)', 'counts missing listed (a whole number, 0 or more)'],
    );
  });
});
