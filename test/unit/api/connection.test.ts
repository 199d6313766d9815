import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor, pageRequest, toConnection } from '../../../src/api/connection';
import { UserInputError } from '../../../src/errors';
import { DEFAULT_API_LIMITS } from '../../../src/api/limits';

const ctx = { limits: { ...DEFAULT_API_LIMITS, maxPageSize: 100, maxQueryCost: 1, maxQueryDepth: 1, requestTimeoutMs: 1 } };

describe('connections', () => {
  it('cursors are opaque, round-trip any sort key, and belong to one list', () => {
    for (const key of ['arn:aws:iam::111122223333:user/a', '/pets/{id} GET', 'ünï\ncødé', '']) {
      const cursor = encodeCursor('principals', key);
      assert.match(cursor, /^[A-Za-z0-9_-]+$/);
      assert.equal(decodeCursor('principals', cursor), key);
      assert.throws(
        () => decodeCursor('restApis', cursor),
        (e: unknown) => e instanceof UserInputError && /^after: not a cursor of this list/.test(e.message),
      );
    }
    for (const bad of [
      '',
      'not a cursor!',
      Buffer.from('c2\nprincipals\nx').toString('base64url'),
      Buffer.from('garbage').toString('base64url'),
      'A'.repeat(9000),
    ]) {
      assert.throws(() => decodeCursor('principals', bad), UserInputError, JSON.stringify(bad.slice(0, 20)));
    }
  });

  it('first defaults to 20 (or the maximum page size when smaller) and must be 0..max', () => {
    assert.deepEqual(pageRequest({}, 'principals', ctx), { first: 20, after: undefined });
    assert.deepEqual(pageRequest({ first: null, after: null }, 'principals', ctx), { first: 20, after: undefined });
    assert.deepEqual(pageRequest({}, 'principals', { limits: { ...ctx.limits, maxPageSize: 5 } }), { first: 5, after: undefined });
    assert.deepEqual(pageRequest({ first: 0 }, 'principals', ctx), { first: 0, after: undefined });
    assert.deepEqual(pageRequest({ first: 100, after: encodeCursor('principals', 'k') }, 'principals', ctx), { first: 100, after: 'k' });
    assert.throws(() => pageRequest({ first: 101 }, 'principals', ctx), /^UserInputError: first: expected a whole number from 0 to 100/);
    assert.throws(() => pageRequest({ first: -1 }, 'principals', ctx), UserInputError);
  });

  it('makes edges, nodes, pageInfo and totalCount from a page', () => {
    const page = {
      items: [
        { node: { n: 1 }, sortKey: 'a' },
        { node: { n: 2 }, sortKey: 'b' },
      ],
      hasNextPage: true,
      hasPreviousPage: false,
      totalCount: 7,
    };
    const connection = toConnection(page, 'things');
    assert.deepEqual(connection.nodes, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(
      connection.edges.map((e) => decodeCursor('things', e.cursor)),
      ['a', 'b'],
    );
    assert.deepEqual(connection.pageInfo, {
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: connection.edges[0]?.cursor,
      endCursor: connection.edges[1]?.cursor,
    });
    assert.equal(connection.totalCount, 7);
    const empty = toConnection({ items: [], hasNextPage: false, hasPreviousPage: true, totalCount: 7 }, 'things');
    assert.deepEqual(empty.pageInfo, { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });
});
