import { ApiError } from './api';
import { h, type Child } from './dom';

/** Page-level pieces every page uses: headings, loading and error states, tables. */

export function pageHeader(title: string, ...rest: Child[]): HTMLElement {
  return h('header', { class: 'page-header' }, h('h1', { tabindex: -1 }, title), ...rest);
}

export function loading(what: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

const TITLES: Record<string, string> = {
  unreachable: 'The server is unreachable',
  unauthenticated: 'The API token was refused',
  forbidden: 'Not allowed with this token',
  timeout: 'The question timed out',
  'not-found': 'Not found',
  'bad-input': 'The question is not valid',
  server: 'The server could not answer',
  console: 'The console could not show this',
};

/** An error as a message box: what happened, what to do, and the request id the server logged it under. */
export function errorBox(error: unknown, what?: string): HTMLElement {
  const api = error instanceof ApiError ? error : undefined;
  const kind = api?.kind ?? 'console';
  return h(
    'div',
    { class: `error error-${kind}`, role: 'alert', 'data-error-kind': kind },
    h('strong', {}, `${TITLES[kind] ?? 'Error'}${what ? ` (${what})` : ''}`),
    h('p', {}, error instanceof Error ? error.message : String(error)),
    api?.requestId ? h('p', { class: 'muted' }, `Request id: ${api.requestId}`) : null,
  );
}

/** Runs a loader into a section: a loading line, then the content or an error box. */
export async function section(container: HTMLElement, what: string, load: () => Promise<Child | Child[]>): Promise<void> {
  container.replaceChildren(loading(what));
  try {
    const content = await load();
    container.replaceChildren();
    for (const child of Array.isArray(content) ? content : [content])
      if (child !== null && child !== undefined && child !== false) container.append(typeof child === 'object' ? child : String(child));
  } catch (error) {
    if (error instanceof ApiError && error.message === 'cancelled') return;
    container.replaceChildren(errorBox(error, what));
  }
}

export function table(
  caption: string,
  headings: readonly string[],
  attrs: { class?: string } = {},
): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = h('tbody');
  const t = h(
    'table',
    { class: attrs.class ?? 'data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headings.map((x) => h('th', { scope: 'col' }, x)))),
    body,
  );
  return { table: t, body };
}

export function td(...children: Child[]): HTMLTableCellElement {
  return h('td', {}, ...children);
}

/** A definition list of label → value. */
export function facts(pairs: readonly (readonly [string, Child])[]): HTMLElement {
  return h('dl', { class: 'facts' }, ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
}

/** Policy text (documents, conditions) as preformatted text: never parsed as HTML. */
export function code(text: string): HTMLElement {
  return h('pre', { class: 'code' }, text);
}

/** Times the rendering of data that just arrived; the result is kept on the element (data-render-ms) and in the console's performance entries. */
export function timed<T>(element: HTMLElement, name: string, render: () => T): T {
  const started = performance.now();
  const result = render();
  const ms = performance.now() - started;
  element.dataset['renderMs'] = ms.toFixed(1);
  performance.measure?.(`whocan:${name}`, { start: started, duration: ms });
  return result;
}

/** Where a GraphQL connection's page ends. */
export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * "Load 100 more": asks `loadAfter` for the page after the last one loaded
 * (it adds the rows and returns the new page's PageInfo), then hides itself
 * after the last page; a failure is shown beside it as `what`.
 */
export function loadMoreButton(first: PageInfo, loadAfter: (cursor: string | null) => Promise<PageInfo>, what: string): HTMLButtonElement {
  let pageInfo = first;
  const more = h(
    'button',
    {
      type: 'button',
      hidden: !pageInfo.hasNextPage,
      on: {
        click: async () => {
          more.disabled = true;
          try {
            pageInfo = await loadAfter(pageInfo.endCursor);
          } catch (error) {
            more.after(errorBox(error, what));
          }
          more.disabled = false;
          more.hidden = !pageInfo.hasNextPage;
        },
      },
    },
    'Load 100 more',
  );
  return more;
}
