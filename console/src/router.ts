/**
 * Hash routes, so a URL names what is on screen and can be pasted into a
 * ticket: `#/method?arn=…`, `#/principal?arn=…`, `#/api?id=…&stage=…`,
 * `#/findings?severity=HIGH`, `#/diff`. The request context is part of the
 * route (`c=aws:SourceIp=198.51.100.7`, repeatable), so a link reproduces
 * the answer it shows.
 */
export type Page = 'overview' | 'method' | 'api' | 'principal' | 'findings' | 'diff';

export interface Route {
  page: Page;
  params: URLSearchParams;
}

const PAGES: readonly Page[] = ['overview', 'method', 'api', 'principal', 'findings', 'diff'];

export function currentRoute(): Route {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const [path = '', query = ''] = hash.split('?', 2);
  const page = (PAGES as readonly string[]).includes(path) ? (path as Page) : 'overview';
  return { page, params: new URLSearchParams(query) };
}

/** The href of a route; parameters with empty values are left out. */
export function href(page: Page, params: Record<string, string | readonly string[] | undefined> | URLSearchParams = {}): string {
  const search = new URLSearchParams();
  const entries =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).flatMap(([k, v]) =>
          v === undefined ? [] : typeof v === 'string' ? [[k, v] as const] : v.map((x) => [k, x] as const),
        );
  for (const [k, v] of entries) if (v !== '') search.append(k, v);
  const query = search.toString();
  return `#/${page === 'overview' ? '' : page}${query ? `?${query}` : ''}`;
}

/** The same page with some parameters changed (undefined removes one). */
export function withParams(route: Route, changes: Record<string, string | readonly string[] | undefined>): string {
  const params = new URLSearchParams(route.params);
  for (const [k, v] of Object.entries(changes)) {
    params.delete(k);
    if (v === undefined) continue;
    for (const value of typeof v === 'string' ? [v] : v) if (value !== '') params.append(k, value);
  }
  return href(route.page, params);
}

export function navigate(to: string): void {
  if (location.hash === to) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = to;
}
