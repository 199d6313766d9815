import { ApiError, gql } from '../api';
import { carriedParams, contextForm, questionVariables } from '../context';
import { h, link, renderRows } from '../dom';
import { accountOf, decisionBadge, plural, shortName } from '../format';
import { href, type Route } from '../router';
import { pageHeader, section, table, td } from '../ui';

/**
 * One API on one stage: its methods (each linking to its method page) and
 * everyone who may invoke any of them: the lists behind the overview's
 * numbers (`show=methods|public|principals|other|outside`).
 */
interface ApiInfo {
  id: string;
  name: string | null;
  account: string;
  region: string;
  endpointType: string;
  executeApiArn: string;
  arn: string;
  stages: { name: string }[];
  methods: { totalCount: number; nodes: { verb: string; path: string; authorizationType: string }[] };
}

const API_FIELDS =
  'id name account region endpointType executeApiArn arn stages { name } methods(first: 100) { totalCount nodes { verb path authorizationType } }';

export async function loadApi(id: string, type: string | null): Promise<ApiInfo & { kind: 'REST' | 'HTTP' }> {
  const order: ('REST' | 'HTTP')[] = type === 'HTTP' ? ['HTTP', 'REST'] : ['REST', 'HTTP'];
  let last: ApiError | undefined;
  for (const kind of order) {
    try {
      const field = kind === 'REST' ? 'restApi' : 'httpApi';
      const data = await gql<Record<string, ApiInfo>>(`query ConsoleApi($id: String!) { api: ${field}(id: $id) { ${API_FIELDS} } }`, {
        id,
      });
      if (data['api']) return { ...data['api'], kind };
    } catch (error) {
      if (!(error instanceof ApiError && error.kind === 'not-found')) throw error;
      last = error;
    }
  }
  throw last ?? new ApiError('not-found', `No API ${id} in the snapshot.`);
}

export function methodArn(api: Pick<ApiInfo, 'executeApiArn'>, stage: string, m: { verb: string; path: string }): string {
  return m.verb === '*' ? `${api.executeApiArn}/${stage}/$default` : `${api.executeApiArn}/${stage}/${m.verb}${m.path}`;
}

interface Who {
  public: boolean;
  principals: { totalCount: number; nodes: { arn: string; kind: string; decision: string; hops: number }[] };
}

const RANK: Record<string, number> = { ALLOWED: 3, PARTIAL: 2, CONDITIONAL: 1, DENIED: 0 };
const SHOW: Record<string, string> = {
  methods: 'Methods',
  public: 'Public methods',
  principals: 'Principals with access',
  other: 'Principals from other accounts',
  outside: 'Principals outside the organization',
};

export async function apiPage(root: HTMLElement, route: Route): Promise<void> {
  const id = route.params.get('id') ?? '';
  const stage = route.params.get('stage') ?? '';
  const show = route.params.get('show') ?? 'methods';
  const body = h('div');
  root.replaceChildren(pageHeader(`API ${id} · stage ${stage}`), contextForm(route), body);
  if (!id || !stage) {
    body.replaceChildren(h('p', {}, 'Choose an API stage on the ', link(href('overview'), 'overview'), '.'));
    return;
  }
  await section(body, 'the API and who may invoke its methods', async () => {
    const api = await loadApi(id, route.params.get('type'));
    const outside = new Set<string>();
    if (show === 'outside') {
      const { organization } = await gql<{
        organization: { hasOrganization: boolean; accounts: { id: string; ingested: boolean; inOrganization: boolean }[] };
      }>('{ organization { hasOrganization accounts { id ingested inOrganization } } }');
      for (const a of organization.accounts) if (organization.hasOrganization ? !a.inOrganization : !a.ingested) outside.add(a.id);
      outside.add('*');
    }
    const methods = api.methods.nodes;
    const answers: (Who | undefined)[] = [];
    // Five questions a request (each costs 500 of the 50,000 a request may cost).
    for (let i = 0; i < methods.length; i += 5) {
      const chunk = methods.slice(i, i + 5);
      const vars: Record<string, unknown> = { ...questionVariables(route) };
      const fields = chunk.map((m, j) => {
        vars[`a${j}`] = methodArn(api, stage, m);
        return `m${j}: whoCanInvoke(requestArn: $a${j}, context: $context, maxHops: $maxHops) { public principals(first: 100) { totalCount nodes { arn kind decision hops } } }`;
      });
      const decl = chunk.map((_, j) => `$a${j}: String!`).join(', ');
      const data = await gql<Record<string, Who>>(
        `query ConsoleApiWho(${decl}, $context: [ContextEntry!], $maxHops: Int) { ${fields.join('\n')} }`,
        vars,
      );
      chunk.forEach((_, j) => answers.push(data[`m${j}`]));
    }
    const carried = carriedParams(route);
    const methodRows = methods.map((m, i) => ({ m, who: answers[i] })).filter(({ who }) => show !== 'public' || who?.public === true);
    const { table: mt, body: mb } = table(`${show === 'public' ? 'Public methods' : 'Methods'} of ${api.name ?? api.id} on ${stage}`, [
      'Method',
      'Authorization',
      'Public',
      'Principals with access',
    ]);
    await renderRows(mb, methodRows, ({ m, who }) =>
      h(
        'tr',
        {},
        td(link(href('method', { arn: methodArn(api, stage, m), ...carried }), m.verb === '*' ? '$default' : `${m.verb} ${m.path}`)),
        td(m.authorizationType),
        td(who?.public ? 'yes' : 'no'),
        td(who ? `${who.principals.totalCount}` : '—'),
      ),
    );
    const everyone = new Map<string, { arn: string; kind: string; decision: string; hops: number; methods: number }>();
    let truncated = false;
    for (const who of answers) {
      if (!who) continue;
      if (who.principals.totalCount > who.principals.nodes.length) truncated = true;
      for (const p of who.principals.nodes) {
        const seen = everyone.get(p.arn);
        if (!seen) everyone.set(p.arn, { ...p, methods: 1 });
        else {
          seen.methods++;
          if ((RANK[p.decision] ?? 0) > (RANK[seen.decision] ?? 0)) seen.decision = p.decision;
          seen.hops = Math.min(seen.hops, p.hops);
        }
      }
    }
    const keep = (p: { arn: string; kind: string }) => {
      const account = accountOf(p.arn);
      if (show === 'other') return account !== undefined && account !== api.account && p.kind !== 'SERVICE' && p.kind !== 'ANONYMOUS';
      if (show === 'outside') return account !== undefined && outside.has(account);
      return true;
    };
    const people = [...everyone.values()].filter(keep).sort((a, b) => a.hops - b.hops || (a.arn < b.arn ? -1 : 1));
    const { table: pt, body: pb } = table(
      `${SHOW[show === 'methods' || show === 'public' ? 'principals' : show] ?? 'Principals'} (${people.length})`,
      ['Principal', 'Kind', 'Account', 'Best decision', 'Fewest hops', 'Methods'],
    );
    await renderRows(pb, people, (p) =>
      h(
        'tr',
        {},
        td(
          p.kind === 'USER' || p.kind === 'ROLE'
            ? link(href('principal', { arn: p.arn, ...carried }), shortName(p.arn), { title: p.arn })
            : shortName(p.arn),
        ),
        td(p.kind.toLowerCase()),
        td(accountOf(p.arn) ?? '—'),
        td(decisionBadge(p.decision)),
        td(String(p.hops)),
        td(String(p.methods)),
      ),
    );
    const tab = (key: string) =>
      key === show
        ? h('span', { class: 'tab current', 'aria-current': 'page' }, SHOW[key] ?? key)
        : link(href('api', { id, stage, type: api.kind, show: key, ...carried }), SHOW[key] ?? key, { class: 'tab' });
    const principalFirst = show !== 'methods' && show !== 'public';
    pt.id = 'api-principals';
    mt.id = 'api-methods';
    return [
      h(
        'p',
        { class: 'muted' },
        `${api.kind} API in account ${api.account}, ${api.region}, ${api.endpointType}; ${plural(api.methods.totalCount, 'method')}.`,
      ),
      h('nav', { class: 'tabs', 'aria-label': 'Lists' }, ...Object.keys(SHOW).map(tab)),
      truncated
        ? h(
            'p',
            { class: 'muted' },
            'Some methods have more than 100 principals: the list below holds the first 100 of each; the method page lists them all.',
          )
        : null,
      h('div', { class: 'table-wrap' }, principalFirst ? pt : mt),
      h('div', { class: 'table-wrap' }, principalFirst ? mt : pt),
    ];
  });
}
