import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApiToken, isLoopbackHost, parseApiTokenEntries, verifyApiToken } from '../../../src/security/apiTokens';

describe('API tokens', () => {
  it('a created token verifies against its entry, with its role', () => {
    const reader = createApiToken('reader');
    const admin = createApiToken('admin');
    const { entries, problems } = parseApiTokenEntries(`${reader.entry}, ${admin.entry}`);
    assert.deepEqual(problems, []);
    assert.equal(verifyApiToken(reader.token, entries), 'reader');
    assert.equal(verifyApiToken(admin.token, entries), 'admin');
  });

  it('the entry never contains the secret', () => {
    const { token, entry } = createApiToken('reader');
    const secret = token.split('_').slice(2).join('_');
    assert.ok(!entry.includes(secret));
  });

  it('refuses a token with a wrong secret, an unknown id, or a bad shape', () => {
    const { token, entry } = createApiToken('reader');
    const { entries } = parseApiTokenEntries(entry);
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    assert.equal(verifyApiToken(token.slice(0, -1) + lastChar, entries), undefined);
    assert.equal(verifyApiToken(createApiToken('reader').token, entries), undefined);
    assert.equal(verifyApiToken('', entries), undefined);
    assert.equal(verifyApiToken(`${token}x`, entries), undefined);
  });

  it('tells loopback hosts from the others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '']) assert.equal(isLoopbackHost(host), false, host);
  });
});
