/** Word lists and identifier formats for the synthetic organizations. */
import { HEX, LOWER_ALNUM, type Rng } from './prng';

export const FIRST_NAMES = [
  'ada',
  'alan',
  'alice',
  'amara',
  'ana',
  'arjun',
  'ben',
  'bob',
  'carla',
  'carol',
  'chen',
  'chloe',
  'dan',
  'dara',
  'dave',
  'diego',
  'elena',
  'eli',
  'emma',
  'erin',
  'fatima',
  'felix',
  'frank',
  'grace',
  'hana',
  'hassan',
  'henry',
  'ines',
  'ivan',
  'jack',
  'jana',
  'jin',
  'judy',
  'kai',
  'kim',
  'lara',
  'leo',
  'lina',
  'luca',
  'maria',
  'marta',
  'mei',
  'mia',
  'nadia',
  'nina',
  'noah',
  'olga',
  'omar',
  'oscar',
  'paula',
  'pedro',
  'priya',
  'quinn',
  'rafael',
  'raj',
  'rosa',
  'ruth',
  'sam',
  'sara',
  'sofia',
  'tariq',
  'tom',
  'uma',
  'victor',
  'wei',
  'yara',
  'yusuf',
  'zoe',
] as const;

export const LAST_NAMES = [
  'abe',
  'adams',
  'ali',
  'bauer',
  'berg',
  'costa',
  'cruz',
  'dubois',
  'diaz',
  'evans',
  'fischer',
  'garcia',
  'gomez',
  'hall',
  'ito',
  'jensen',
  'khan',
  'kim',
  'kowalski',
  'lee',
  'lopez',
  'martin',
  'meyer',
  'moreau',
  'nakamura',
  'nguyen',
  'novak',
  'okafor',
  'olsen',
  'patel',
  'perez',
  'quist',
  'reyes',
  'rossi',
  'sato',
  'schmidt',
  'silva',
  'singh',
  'smith',
  'suzuki',
  'tanaka',
  'torres',
  'usman',
  'varga',
  'wagner',
  'wang',
  'weber',
  'xu',
  'yilmaz',
  'zhang',
] as const;

export const TEAMS = [
  'payments',
  'orders',
  'catalog',
  'shipping',
  'billing',
  'search',
  'identity',
  'mobile',
  'web',
  'data',
  'platform',
  'security',
  'support',
  'partners',
  'inventory',
  'pricing',
  'reviews',
  'loyalty',
  'notifications',
  'analytics',
] as const;

/** Business domains for API names and their resource words. */
export const DOMAINS: Readonly<Record<string, readonly string[]>> = {
  orders: ['orders', 'items', 'refunds', 'returns', 'carts'],
  payments: ['payments', 'cards', 'wallets', 'payouts', 'disputes'],
  catalog: ['products', 'categories', 'prices', 'images', 'variants'],
  shipping: ['shipments', 'labels', 'carriers', 'rates', 'tracking'],
  customers: ['customers', 'addresses', 'preferences', 'consents', 'sessions'],
  inventory: ['stock', 'warehouses', 'reservations', 'transfers', 'counts'],
  reviews: ['reviews', 'ratings', 'reports', 'replies', 'moderation'],
  billing: ['invoices', 'subscriptions', 'plans', 'usage', 'credits'],
  search: ['queries', 'suggestions', 'indexes', 'synonyms', 'facets'],
  loyalty: ['members', 'points', 'rewards', 'tiers', 'campaigns'],
};
export const DOMAIN_NAMES = Object.keys(DOMAINS);

export const STAGE_PAIRS: readonly (readonly [string, string])[] = [
  ['prod', 'staging'],
  ['prod', 'dev'],
  ['live', 'test'],
  ['v1', 'v2'],
  ['prod', 'beta'],
];

export const CIDRS = ['10.0.0.0/8', '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '172.16.0.0/12', '100.64.0.0/10'];

/** A 12-digit account id not starting with 0. */
export function accountId(rng: Rng): string {
  return String(rng.range(1, 9)) + rng.chars('0123456789', 11);
}

/** IAM unique ids: a four-letter prefix (AIDA users, AGPA groups, AROA roles, ANPA policies) + 17 characters. */
export function iamUniqueId(rng: Rng, prefix: 'AIDA' | 'AGPA' | 'AROA' | 'ANPA'): string {
  return prefix + rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17);
}

/** API Gateway ids: 10 lowercase alphanumerics for APIs and root resources, 6 for resources. */
export function apiId(rng: Rng): string {
  return rng.chars(LOWER_ALNUM, 10);
}
export function resourceId(rng: Rng): string {
  return rng.chars(LOWER_ALNUM, 6);
}
export function shortId(rng: Rng, length = 7): string {
  return rng.chars(LOWER_ALNUM, length);
}

export function uuid(rng: Rng): string {
  const h = rng.chars(HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const BASE_DAY = Date.UTC(2019, 0, 1) / 86400000;

/** A timestamp as AWS CLI v2 prints it (ISO 8601 with +00:00), between 2019 and 2026. */
export function isoDate(rng: Rng, fromYear = 2019, toYear = 2026): string {
  const first = Date.UTC(fromYear, 0, 1) / 86400000 - BASE_DAY;
  const last = Date.UTC(toYear, 10, 1) / 86400000 - BASE_DAY;
  const day = BASE_DAY + rng.range(first, last);
  const ms = day * 86400000 + rng.int(86400) * 1000;
  return new Date(ms).toISOString().replace('.000Z', '+00:00');
}

/** Lambda's LastModified format: 2024-05-02T10:11:12.000+0000. */
export function lambdaDate(rng: Rng): string {
  return isoDate(rng, 2023, 2026).replace('+00:00', '.000+0000');
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** "orders-api" → "OrdersApi". */
export function pascal(words: string): string {
  return words
    .split(/[-_.\s]+/)
    .map(capitalize)
    .join('');
}
