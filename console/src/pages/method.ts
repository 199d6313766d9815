import { carriedParams, contextForm } from '../context';
import { field, h, link, renderRows } from '../dom';
import { plural } from '../format';
import { href, navigate, type Route } from '../router';
import { pageHeader, section, table, td } from '../ui';
import { loadApi, methodArn } from './api';
import { loadSummaryRows } from './overview';
import { answer } from './methodAnswer';

/**
 * A method: search (execute-api ARN, API name, or a concrete request such
 * as `petstore-api prod GET /pets/42`), then the answer: the method's
 * authorization, resource policy and integration, and who can invoke it,
 * paged and filterable. Principals selected in the list (`p=` in the route)
 * have their paths drawn.
 */
const VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);

export async function methodPage(root: HTMLElement, route: Route): Promise<void> {
  const arn = route.params.get('arn') ?? '';
  const q = route.params.get('q') ?? '';
  const input = h('input', {
    type: 'search',
    name: 'q',
    value: arn || q,
    placeholder: 'arn:aws:execute-api:… , petstore-api prod GET /pets/42, or /pets/42',
    autocomplete: 'off',
    'data-search': 'true',
  });
  input.setAttribute('aria-label', 'Method: execute-api ARN, API name, or request path');
  const search = h(
    'form',
    {
      class: 'search',
      role: 'search',
      on: {
        submit: (e) => {
          e.preventDefault();
          const text = input.value.trim();
          if (!text) return;
          navigate(href('method', /^arn:/.test(text) ? { arn: text, ...carriedParams(route) } : { q: text, ...carriedParams(route) }));
        },
      },
    },
    field(
      'Find a method',
      input,
      'An execute-api ARN (template …/prod/GET/pets/{id} or request …/prod/GET/pets/42), an API name or id, a stage, a verb, and a path.',
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Find'),
  );
  const body = h('div');
  root.replaceChildren(pageHeader('Who can invoke a method'), search, contextForm(route), body);
  if (arn) await answer(body, route, arn);
  else if (q) await results(body, route, q);
  else
    body.replaceChildren(
      h(
        'p',
        {},
        'Search for a method, or pick one on the ',
        link(href('overview'), 'overview'),
        '. Example: ',
        link(href('method', { q: 'petstore-api prod GET /pets' }), 'petstore-api prod GET /pets'),
        '.',
      ),
    );
}

/** Whether a concrete request path matches a path template (`{id}` one segment, `{proxy+}` one or more). */
export function templateMatches(template: string, path: string): boolean {
  const a = template.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  for (let i = 0; i < a.length; i++) {
    const part = a[i]!;
    if (/^\{.+\+\}$/.test(part)) return b.length > i;
    if (b[i] === undefined) return false;
    if (/^\{.+\}$/.test(part)) continue;
    if (part !== b[i]) return false;
  }
  return a.length === b.length;
}

async function results(body: HTMLElement, route: Route, q: string): Promise<void> {
  await section(body, 'matching methods', async () => {
    const terms = q.split(/\s+/).filter(Boolean);
    const verb = terms.find((t) => VERBS.has(t.toUpperCase()))?.toUpperCase();
    const path = terms.find((t) => t.startsWith('/'));
    const words = terms.filter((t) => t !== path && t.toUpperCase() !== verb).map((t) => t.toLowerCase());
    const rows = await loadSummaryRows();
    const stagesNamed = new Set(rows.map((r) => r.stage.toLowerCase()).filter((s) => words.includes(s)));
    const apiWords = words.filter((w) => !stagesNamed.has(w));
    const stages = rows.filter(
      (r) =>
        (stagesNamed.size === 0 || stagesNamed.has(r.stage.toLowerCase())) &&
        apiWords.every((w) => (r.apiName ?? '').toLowerCase().includes(w) || r.apiId.toLowerCase().includes(w)),
    );
    const limit = 20;
    const out: { arn: string; label: string; api: string; authorizationType: string }[] = [];
    const apis = new Map<string, Awaited<ReturnType<typeof loadApi>>>();
    for (const r of stages.slice(0, limit)) {
      let api = apis.get(r.apiId);
      if (!api) {
        api = await loadApi(r.apiId, r.apiType);
        apis.set(r.apiId, api);
      }
      for (const m of api.methods.nodes) {
        if (verb && m.verb !== verb && m.verb !== 'ANY' && m.verb !== '*') continue;
        if (path && m.verb !== '*' && !templateMatches(m.path, path)) continue;
        // A concrete path (no {param}) is asked as that request; API Gateway routes it to this method.
        const concrete = path !== undefined && !path.includes('{') && m.verb !== '*' && (path !== m.path || m.verb === 'ANY');
        const requestVerb = verb ?? (m.verb === 'ANY' ? 'GET' : m.verb);
        const target = concrete
          ? `${api.executeApiArn}/${r.stage}/${m.verb === 'ANY' ? requestVerb : m.verb}${path}`
          : methodArn(api, r.stage, m);
        out.push({
          arn: target,
          label: `${m.verb === '*' ? '$default' : `${m.verb} ${m.path}`} on ${r.stage}${concrete ? ` (request ${path})` : ''}`,
          api: r.apiName ?? r.apiId,
          authorizationType: m.authorizationType,
        });
      }
    }
    if (out.length === 0)
      return h(
        'p',
        { role: 'status' },
        `No method matches “${q}”. Try an API name (${[...new Set(rows.map((r) => r.apiName ?? r.apiId))].slice(0, 5).join(', ')}), a stage, a verb and a path.`,
      );
    const { table: t, body: tb } = table(
      `${plural(out.length, 'method')} match “${q}”${stages.length > limit ? ` (first ${limit} API stages searched: add the API name or stage to narrow)` : ''}`,
      ['API', 'Method', 'Authorization', 'ARN'],
    );
    await renderRows(tb, out, (m) =>
      h(
        'tr',
        {},
        td(m.api),
        td(link(href('method', { arn: m.arn, ...carriedParams(route) }), m.label)),
        td(m.authorizationType),
        td(h('code', {}, m.arn)),
      ),
    );
    return h('div', { class: 'table-wrap' }, t);
  });
}
