import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nonEmpty, toContext, toQuestionOptions } from '../../../src/api/analysis/question.input';
import { toInvokeTarget, toMethodRef } from '../../../src/api/analysis/whoCan.input';
import { pageOfList } from '../../../src/api/analysis/listPage';
import { UserInputError } from '../../../src/errors';

/** The analysis questions' arguments, checked at the edge (no database): one BAD_USER_INPUT naming the argument. */
const refused = (work: () => unknown, message: RegExp) =>
  assert.throws(work, (e: unknown) => e instanceof UserInputError && message.test(e.message), String(message));

describe('analysis arguments', () => {
  it('request context: one value stays a string, several are a list; absent is undefined', () => {
    assert.equal(toContext(undefined), undefined);
    assert.equal(toContext(null), undefined);
    assert.deepEqual(toContext([]), {});
    assert.deepEqual(
      toContext([
        { key: 'aws:SourceIp', values: ['198.51.100.7'] },
        { key: 'aws:TagKeys', values: ['team', 'env'] },
        { key: ' aws:PrincipalTag/team ', values: ['payments'] },
      ]),
      { 'aws:SourceIp': '198.51.100.7', 'aws:TagKeys': ['team', 'env'], 'aws:PrincipalTag/team': 'payments' },
    );
  });

  it('request context: malformed keys, a key given twice, no values or too many, and long values are refused by their path', () => {
    refused(
      () =>
        toContext([
          { key: 'aws:SourceIp', values: ['1'] },
          { key: 'SourceIp', values: ['1'] },
        ]),
      /^context\[1\]\.key: expected a condition key such as aws:SourceIp/,
    );
    refused(() => toContext([{ key: 'aws:Source Ip', values: ['1'] }]), /^context\[0\]\.key: expected a condition key/);
    refused(() => toContext([{ key: 'aws:SourceIp=1.2.3.4', values: ['1'] }]), /^context\[0\]\.key/);
    refused(() => toContext([{ key: `aws:${'k'.repeat(300)}`, values: ['1'] }]), /^context\[0\]\.key: expected a condition key .*…"\.$/);
    refused(
      () =>
        toContext([
          { key: 'aws:SourceIp', values: ['1'] },
          { key: 'AWS:SOURCEIP', values: ['2'] },
        ]),
      /^context\[1\]\.key: AWS:SOURCEIP is already given by context\[0\]/,
    );
    refused(
      () => toContext([{ key: 'aws:SourceIp', values: [] }]),
      /^context\[0\]\.values: expected 1 to 100 values for aws:SourceIp, got 0\.$/,
    );
    refused(
      () => toContext([{ key: 'aws:TagKeys', values: Array.from({ length: 101 }, (_, i) => `t${i}`) }]),
      /^context\[0\]\.values: expected 1 to 100 values/,
    );
    refused(
      () => toContext([{ key: 'aws:UserAgent', values: ['ok', 'x'.repeat(1025)] }]),
      /^context\[0\]\.values\[1\]: longer than 1024 characters\.$/,
    );
    refused(
      () => toContext(Array.from({ length: 51 }, (_, i) => ({ key: `aws:K${i}`, values: ['v'] }))),
      /^context: at most 50 entries, got 51\.$/,
    );
  });

  it('maxHops 0..10 and maxPaths 1..50; flags only when true', () => {
    assert.deepEqual(toQuestionOptions({}), {});
    assert.deepEqual(toQuestionOptions({ maxHops: 0, maxPaths: 1, includeRoot: false, includeDenied: true }), {
      maxHops: 0,
      maxPaths: 1,
      includeDenied: true,
    });
    assert.deepEqual(
      toQuestionOptions({ maxHops: 10, maxPaths: 50, includeRoot: true, context: [{ key: 'aws:SourceIp', values: ['1.2.3.4'] }] }),
      {
        maxHops: 10,
        maxPaths: 50,
        includeRoot: true,
        context: { 'aws:SourceIp': '1.2.3.4' },
      },
    );
    refused(() => toQuestionOptions({ maxHops: 11 }), /^maxHops: expected a whole number from 0 to 10, got 11\.$/);
    refused(() => toQuestionOptions({ maxHops: -1 }), /^maxHops/);
    refused(() => toQuestionOptions({ maxPaths: 0 }), /^maxPaths: expected a whole number from 1 to 50, got 0\.$/);
    refused(() => toQuestionOptions({ maxPaths: 51 }), /^maxPaths/);
  });

  it('whoCanInvoke takes exactly one of requestArn and method; a method reference is checked part by part', () => {
    assert.deepEqual(toInvokeTarget('arn:aws:execute-api:us-east-1:1:a/prod/GET/pets', null), {
      requestArn: 'arn:aws:execute-api:us-east-1:1:a/prod/GET/pets',
    });
    assert.deepEqual(toInvokeTarget(undefined, { apiId: 'a1b2c3d4e5', stage: 'prod', verb: 'GET', path: '/pets' }), {
      method: { apiId: 'a1b2c3d4e5', stage: 'prod', verb: 'GET', path: '/pets' },
    });
    assert.deepEqual(toMethodRef({ apiId: 'h7t8p9a0b1', stage: '$default', verb: '$default', path: null }), {
      apiId: 'h7t8p9a0b1',
      stage: '$default',
      verb: '$default',
      path: '',
    });
    refused(() => toInvokeTarget(null, null), /^whoCanInvoke: give either requestArn/);
    refused(() => toInvokeTarget('arn:x', { apiId: 'a', stage: 'prod', verb: 'GET', path: '/' }), /not both and not neither/);
    refused(() => toInvokeTarget(`arn:${'x'.repeat(2048)}`, null), /^requestArn: longer than 2048 characters/);
    refused(() => toInvokeTarget('  ', null), /^requestArn: must not be empty\.$/);
    refused(
      () => toMethodRef({ apiId: 'a1b2/c3', stage: 'prod', verb: 'GET', path: '/pets' }),
      /^method\.apiId: expected an API Gateway API id/,
    );
    refused(() => toMethodRef({ apiId: 'a1b2c3d4e5', stage: '', verb: 'GET', path: '/pets' }), /^method\.stage: must not be empty/);
    refused(
      () => toMethodRef({ apiId: 'a1b2c3d4e5', stage: 'prod', verb: 'G'.repeat(17), path: '/pets' }),
      /^method\.verb: longer than 16 characters/,
    );
  });

  it('a filter list may be absent (all) but not empty', () => {
    assert.equal(nonEmpty(undefined, 'kinds'), undefined);
    assert.equal(nonEmpty(null, 'kinds'), undefined);
    assert.deepEqual(nonEmpty(['a'], 'kinds'), ['a']);
    refused(() => nonEmpty([], 'apis'), /^apis: give at least one value, or leave apis out for all\.$/);
  });
});

describe('pages over an answer held in memory', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const key = (s: string) => `arn:${s}`;

  it('pages in order with the position and key as sort key; the last page says no more follow', () => {
    const first = pageOfList(items, key, { first: 2, after: undefined });
    assert.deepEqual(first, {
      items: [
        { node: 'a', sortKey: '0:arn:a' },
        { node: 'b', sortKey: '1:arn:b' },
      ],
      hasNextPage: true,
      hasPreviousPage: false,
      totalCount: 5,
    });
    const second = pageOfList(items, key, { first: 2, after: '1:arn:b' });
    assert.deepEqual(
      second.items.map((i) => i.node),
      ['c', 'd'],
    );
    assert.equal(second.hasPreviousPage, true);
    const last = pageOfList(items, key, { first: 2, after: '3:arn:d' });
    assert.deepEqual([last.items.map((i) => i.node), last.hasNextPage], [['e'], false]);
    const exact = pageOfList(items, key, { first: 5, after: undefined });
    assert.equal(exact.hasNextPage, false);
    assert.deepEqual(pageOfList(items, key, { first: 3, after: '4:arn:e' }).items, []);
    assert.deepEqual(pageOfList(items, key, { first: 0, after: undefined }), {
      items: [],
      hasNextPage: true,
      hasPreviousPage: false,
      totalCount: 5,
    });
    assert.deepEqual(pageOfList([], key, { first: 3, after: undefined }), {
      items: [],
      hasNextPage: false,
      hasPreviousPage: false,
      totalCount: 0,
    });
  });

  it('refuses a sort key whose position does not hold that item (a cursor of another answer)', () => {
    for (const after of ['1:arn:c', '9:arn:a', 'arn:a', '-1:arn:a', '']) {
      refused(() => pageOfList(items, key, { first: 2, after }), /^after: this cursor does not belong to this answer/);
    }
  });
});
