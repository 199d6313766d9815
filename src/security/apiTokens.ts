import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer API tokens for the GraphQL API.
 *
 * A token looks like `whocan_<id>_<secret>`: `id` (8 bytes, hex) is public and
 * finds the configured entry, `secret` (32 random bytes, base64url) is never
 * stored. The configuration holds, per token, `role:id:salt:sha256(salt‖secret)`
 * (entries separated by commas, in WHOCAN_API_TOKENS). A salted SHA-256 is
 * enough here: the secret is 256 random bits, so there is nothing to guess by
 * brute force, and a slow KDF would cost every request. Hashes are compared
 * with timingSafeEqual.
 */
export type ApiRole = 'reader' | 'admin';
export const API_ROLES: readonly ApiRole[] = ['reader', 'admin'];

export interface ApiTokenEntry {
  role: ApiRole;
  id: string;
  salt: Buffer;
  hash: Buffer;
}

const TOKEN = /^whocan_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const ENTRY = /^(reader|admin):([0-9a-f]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{43})$/;

function digest(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}

/** Makes a new token; returns the token (shown once) and the configuration entry to store. */
export function createApiToken(role: ApiRole): { token: string; entry: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  return {
    token: `whocan_${id}_${secret}`,
    entry: `${role}:${id}:${salt.toString('base64url')}:${digest(salt, secret).toString('base64url')}`,
  };
}

/** Parses WHOCAN_API_TOKENS; returns the entries and a problem per malformed one (by position, never echoing it). */
export function parseApiTokenEntries(value: string): { entries: ApiTokenEntry[]; problems: string[] } {
  const entries: ApiTokenEntry[] = [];
  const problems: string[] = [];
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  parts.forEach((part, index) => {
    const match = ENTRY.exec(part);
    if (!match) {
      problems.push(`WHOCAN_API_TOKENS entry ${index + 1}: expected role:id:salt:hash as printed by \`whocan token create\``);
      return;
    }
    entries.push({
      role: match[1] as ApiRole,
      id: match[2] ?? '',
      salt: Buffer.from(match[3] ?? '', 'base64url'),
      hash: Buffer.from(match[4] ?? '', 'base64url'),
    });
  });
  return { entries, problems };
}

/** Returns the role of a presented token, or undefined when it matches no configured entry. */
export function verifyApiToken(presented: string, entries: readonly ApiTokenEntry[]): ApiRole | undefined {
  const match = TOKEN.exec(presented);
  if (!match) return undefined;
  const [, id, secret] = match;
  let role: ApiRole | undefined;
  for (const entry of entries) {
    // Compare against every entry with this id (normally one) in constant time per entry.
    if (entry.id !== id) continue;
    if (timingSafeEqual(digest(entry.salt, secret ?? ''), entry.hash)) role = entry.role;
  }
  return role;
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
