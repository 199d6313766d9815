import { field, h, select } from './dom';
import { navigate, withParams, type Route } from './router';

/**
 * The request context every question can be asked with (source IP, VPC
 * endpoint, MFA, principal tags, external id, any other condition key) and
 * the number of role assumptions to follow. It lives in the route
 * (`c=KEY=VALUE`, repeatable; `hops=N`), so changing it re-asks the question
 * and a link carries it.
 */
export interface ContextEntry {
  key: string;
  values: string[];
}

const KNOWN = {
  sourceIp: 'aws:SourceIp',
  vpce: 'aws:SourceVpce',
  mfa: 'aws:MultiFactorAuthPresent',
  externalId: 'sts:ExternalId',
} as const;
const TAG_PREFIX = 'aws:PrincipalTag/';

/** The context of a route, as the GraphQL `context` argument. */
export function contextOf(route: Route): ContextEntry[] {
  const byKey = new Map<string, ContextEntry>();
  for (const raw of route.params.getAll('c')) {
    const at = raw.indexOf('=');
    if (at <= 0) continue;
    const key = raw.slice(0, at).trim();
    const value = raw.slice(at + 1).trim();
    if (!key) continue;
    const entry = byKey.get(key.toLowerCase()) ?? { key, values: [] };
    entry.values.push(value);
    byKey.set(key.toLowerCase(), entry);
  }
  return [...byKey.values()];
}

export function maxHopsOf(route: Route): number | undefined {
  const value = route.params.get('hops');
  if (value === null || !/^\d{1,2}$/.test(value)) return undefined;
  return Math.min(10, Number(value));
}

/** The variables every question shares: context (null when empty) and maxHops. */
export function questionVariables(route: Route): { context: ContextEntry[] | null; maxHops: number | null } {
  const context = contextOf(route);
  return { context: context.length > 0 ? context : null, maxHops: maxHopsOf(route) ?? null };
}

/** The params a route keeps when moving to another page (context and hops). */
export function carriedParams(route: Route): Record<string, string[]> {
  const hops = route.params.get('hops');
  return { c: route.params.getAll('c'), ...(hops ? { hops: [hops] } : {}) };
}

function valueOf(entries: ContextEntry[], key: string): string {
  return entries.find((e) => e.key.toLowerCase() === key.toLowerCase())?.values.join(', ') ?? '';
}

/** The form; applying it navigates to the same page with the new context. */
export function contextForm(route: Route): HTMLElement {
  const entries = contextOf(route);
  const knownKeys = new Set(Object.values(KNOWN).map((k) => k.toLowerCase()));
  const sourceIp = h('input', {
    type: 'text',
    name: 'sourceIp',
    value: valueOf(entries, KNOWN.sourceIp),
    placeholder: '198.51.100.7',
    autocomplete: 'off',
  });
  const vpce = h('input', {
    type: 'text',
    name: 'vpce',
    value: valueOf(entries, KNOWN.vpce),
    placeholder: 'vpce-0a1b2c3d4e5f60789',
    autocomplete: 'off',
  });
  const mfa = select(
    'mfa',
    [
      ['', 'not given'],
      ['true', 'true'],
      ['false', 'false'],
    ],
    valueOf(entries, KNOWN.mfa),
  );
  const externalId = h('input', { type: 'text', name: 'externalId', value: valueOf(entries, KNOWN.externalId), autocomplete: 'off' });
  const tags = h('textarea', { name: 'tags', placeholder: 'team=payments', 'aria-label': 'Principal tags' });
  tags.value = entries
    .filter((e) => e.key.toLowerCase().startsWith(TAG_PREFIX.toLowerCase()))
    .map((e) => `${e.key.slice(TAG_PREFIX.length)}=${e.values.join(',')}`)
    .join('\n');
  const other = h('textarea', { name: 'other', placeholder: 'aws:PrincipalOrgID=o-…' });
  other.value = entries
    .filter((e) => !knownKeys.has(e.key.toLowerCase()) && !e.key.toLowerCase().startsWith(TAG_PREFIX.toLowerCase()))
    .flatMap((e) => e.values.map((v) => `${e.key}=${v}`))
    .join('\n');
  const hops = select(
    'hops',
    [['', '5 (default)'], ...[0, 1, 2, 3, 4, 6, 7, 8, 9, 10].map((n) => [String(n), String(n)] as const)],
    route.params.get('hops') ?? '',
  );

  const apply = (event: Event) => {
    event.preventDefault();
    const c: string[] = [];
    const add = (key: string, value: string) => {
      for (const v of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean))
        c.push(`${key}=${v}`);
    };
    add(KNOWN.sourceIp, sourceIp.value);
    add(KNOWN.vpce, vpce.value);
    if (mfa.value) c.push(`${KNOWN.mfa}=${mfa.value}`);
    if (externalId.value.trim()) c.push(`${KNOWN.externalId}=${externalId.value.trim()}`);
    for (const line of tags.value.split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) add(`${TAG_PREFIX}${line.slice(0, at).trim()}`, line.slice(at + 1));
    }
    for (const line of other.value.split('\n')) {
      const at = line.indexOf('=');
      if (at > 0 && line.slice(0, at).trim()) c.push(`${line.slice(0, at).trim()}=${line.slice(at + 1).trim()}`);
    }
    navigate(withParams(route, { c, hops: hops.value || undefined }));
  };
  const clear = () => navigate(withParams(route, { c: undefined, hops: undefined }));
  const summary =
    entries.length > 0
      ? `Request context: ${entries.map((e) => `${e.key}=${e.values.join(',')}`).join('; ')}`
      : 'Request context: none given (answers that depend on it are conditional)';
  return h(
    'details',
    { class: 'context', ...(entries.length > 0 ? { 'data-active': 'true' } : {}) },
    h('summary', {}, summary),
    h(
      'form',
      { class: 'context-form', 'aria-label': 'Request context', on: { submit: apply } },
      h(
        'div',
        { class: 'grid' },
        field('Source IP (aws:SourceIp)', sourceIp),
        field('VPC endpoint (aws:SourceVpce)', vpce),
        field('MFA (aws:MultiFactorAuthPresent)', mfa),
        field('External id (sts:ExternalId)', externalId),
        field('Principal tags (one key=value a line)', tags),
        field('Other condition keys (one key=value a line)', other),
        field('Role assumptions to follow', hops),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Apply context'),
        h('button', { type: 'button', on: { click: clear } }, 'Clear'),
      ),
    ),
  );
}
