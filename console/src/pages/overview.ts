import { ApiError, gql } from '../api';
import { h, link, renderRows } from '../dom';
import { plural, severityBadge } from '../format';
import { href, type Route } from '../router';
import { errorBox, pageHeader, section, table, td, timed } from '../ui';

export interface SummaryRow {
  accountId: string;
  apiId: string;
  apiName: string | null;
  apiType: 'REST' | 'HTTP';
  stage: string;
  endpointType: string;
  methods: number;
  publicMethods: number;
  principalsWithAccess: number;
  principalsFromOtherAccounts: number;
  outsideOrganizationAccounts: string[];
}

interface SummaryPage {
  accessSummary: {
    snapshot: string;
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totals: Omit<SummaryRow, 'accountId' | 'apiId' | 'apiName' | 'apiType' | 'stage' | 'endpointType'> & {
      accounts: number;
      apis: number;
      stages: number;
    };
    nodes: SummaryRow[];
  };
}

export const SUMMARY_QUERY = `query ConsoleSummary($after: String) {
  accessSummary(first: 100, after: $after) {
    snapshot totalCount pageInfo { hasNextPage endCursor }
    totals { accounts apis stages methods publicMethods principalsWithAccess principalsFromOtherAccounts outsideOrganizationAccounts }
    nodes { accountId apiId apiName apiType stage endpointType methods publicMethods principalsWithAccess principalsFromOtherAccounts outsideOrganizationAccounts }
  }
}`;

/** Every row of the summary (pages of 100, at most `maxPages`). */
export async function loadSummaryRows(maxPages = 50): Promise<SummaryRow[]> {
  const rows: SummaryRow[] = [];
  let after: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: SummaryPage = await gql<SummaryPage>(SUMMARY_QUERY, { after });
    rows.push(...page.accessSummary.nodes);
    if (!page.accessSummary.pageInfo.hasNextPage) break;
    after = page.accessSummary.pageInfo.endCursor;
  }
  return rows;
}

export function apiLink(row: Pick<SummaryRow, 'apiId' | 'stage' | 'apiType'>, show: string, text: string | number): HTMLAnchorElement {
  return link(href('api', { id: row.apiId, stage: row.stage, type: row.apiType, show }), String(text));
}

const FILTERS: Record<string, { label: string; keep: (r: SummaryRow) => boolean }> = {
  public: { label: 'API stages with public methods', keep: (r) => r.publicMethods > 0 },
  other: { label: 'API stages that principals of other accounts may invoke', keep: (r) => r.principalsFromOtherAccounts > 0 },
  outside: { label: 'API stages that accounts outside the organization may invoke', keep: (r) => r.outsideOrganizationAccounts.length > 0 },
  access: { label: 'API stages that some principal may invoke', keep: (r) => r.principalsWithAccess > 0 },
};

export async function overviewPage(root: HTMLElement, route: Route): Promise<void> {
  const only = route.params.get('only') ?? '';
  const filter = FILTERS[only];
  const totals = h('section', { class: 'cards', 'aria-label': 'Totals' });
  const severity = h('section', { class: 'panel', 'aria-labelledby': 'sev-h' });
  const changes = h('section', { class: 'panel', 'aria-labelledby': 'chg-h' });
  const apis = h('section', { class: 'panel wide', 'aria-labelledby': 'apis-h', id: 'summary' });
  root.replaceChildren(
    pageHeader(
      'Overview',
      h('p', { class: 'muted' }, 'The exposure of the current snapshot: who may invoke which API, what is public, who comes from outside.'),
    ),
    totals,
    h('div', { class: 'columns' }, severity, changes),
    apis,
  );

  const summary = section(apis, 'the access summary', async () => {
    const first = await gql<SummaryPage>(SUMMARY_QUERY, { after: null });
    const s = first.accessSummary;
    const t = s.totals;
    const card = (value: number, label: string, to: string) =>
      link(to, h('span', {}, h('span', { class: 'value' }, value.toLocaleString('en')), h('span', { class: 'label' }, label)), {
        class: 'card',
      });
    totals.replaceChildren(
      card(t.accounts, 'accounts with APIs', href('overview', { only: 'access' })),
      card(t.apis, 'APIs', href('overview', {})),
      card(t.stages, 'API stages', href('overview', {})),
      card(t.methods, 'methods × stages', href('overview', {})),
      card(t.publicMethods, 'public methods', href('findings', { kind: 'PUBLIC_METHOD' })),
      card(t.principalsWithAccess, 'principals with access', href('overview', { only: 'access' })),
      card(t.principalsFromOtherAccounts, 'from other accounts', href('overview', { only: 'other' })),
      card(t.outsideOrganizationAccounts.length, 'accounts outside the organization', href('overview', { only: 'outside' })),
    );
    totals.setAttribute('data-snapshot', s.snapshot);
    const { table: tbl, body } = table(filter ? filter.label : `API stages (${s.totalCount})`, [
      'Account',
      'API',
      'Type',
      'Stage',
      'Endpoint',
      'Methods',
      'Public methods',
      'Principals with access',
      'From other accounts',
      'Outside the organization',
    ]);
    const rowOf = (r: SummaryRow) =>
      h(
        'tr',
        {},
        td(r.accountId),
        td(apiLink(r, 'methods', r.apiName ?? r.apiId), ' ', h('span', { class: 'muted' }, r.apiId)),
        td(r.apiType),
        td(r.stage),
        td(r.endpointType),
        td(apiLink(r, 'methods', r.methods)),
        td(r.publicMethods > 0 ? apiLink(r, 'public', r.publicMethods) : '0'),
        td(apiLink(r, 'principals', r.principalsWithAccess)),
        td(r.principalsFromOtherAccounts > 0 ? apiLink(r, 'other', r.principalsFromOtherAccounts) : '0'),
        td(r.outsideOrganizationAccounts.length > 0 ? apiLink(r, 'outside', r.outsideOrganizationAccounts.join(', ')) : '—'),
      );
    const keep = filter?.keep ?? (() => true);
    const rows = s.nodes.filter(keep);
    const more = h('p', { class: 'muted' });
    await timed(apis, 'overview', () => renderRows(body, rows, rowOf));
    // Later pages (large organizations) are added as they arrive.
    let after = s.pageInfo.hasNextPage ? s.pageInfo.endCursor : null;
    const rest = async () => {
      let shown = rows.length;
      while (after && body.isConnected) {
        const page = await gql<SummaryPage>(SUMMARY_QUERY, { after });
        const next = page.accessSummary.nodes.filter(keep);
        const fragment = document.createDocumentFragment();
        for (const r of next) fragment.appendChild(rowOf(r));
        body.appendChild(fragment);
        shown += next.length;
        more.textContent = `${plural(shown, 'row')} shown`;
        after = page.accessSummary.pageInfo.hasNextPage ? page.accessSummary.pageInfo.endCursor : null;
      }
    };
    void rest().catch((error: unknown) => more.replaceChildren(errorBox(error, 'more API stages')));
    return [
      h('h2', { id: 'apis-h' }, 'APIs and stages'),
      filter ? h('p', {}, `Showing ${filter.label.toLowerCase()}. `, link(href('overview'), 'Show every API stage')) : null,
      h('div', { class: 'table-wrap' }, tbl),
      more,
    ];
  });

  const findings = section(severity, 'the findings', async () => {
    const { findings: f } = await gql<{ findings: { totalCount: number; counts: { high: number; medium: number; low: number } } }>(
      `query ConsoleFindingCounts { findings(first: 0) { totalCount counts { high medium low } } }`,
    );
    const row = (sev: 'HIGH' | 'MEDIUM' | 'LOW', n: number) =>
      h('li', {}, severityBadge(sev), ' ', link(href('findings', { severity: sev }), plural(n, 'finding')));
    return [
      h('h2', { id: 'sev-h' }, 'Findings by severity'),
      h('ul', { class: 'plain' }, row('HIGH', f.counts.high), row('MEDIUM', f.counts.medium), row('LOW', f.counts.low)),
      link(href('findings'), `All ${plural(f.totalCount, 'finding')}`),
    ];
  });

  const diff = section(changes, 'the changes since the previous snapshot', async () => {
    try {
      const { accessDiff: d } = await gql<{
        accessDiff: { from: string; to: string; compared: number; counts: { gained: number; lost: number; changed: number } };
      }>(`query ConsoleDiffCounts { accessDiff(first: 0) { from to compared counts { gained lost changed } } }`);
      const row = (change: string, n: number, word: string) =>
        h('li', {}, link(href('diff', { from: d.from, to: d.to, change }), `${n.toLocaleString('en')} ${word}`));
      return [
        h('h2', { id: 'chg-h' }, 'Changes since the previous snapshot'),
        h('p', { class: 'muted' }, `${d.from} → ${d.to} (${plural(d.compared, 'question')} compared)`),
        h(
          'ul',
          { class: 'plain' },
          row('GAINED', d.counts.gained, 'accesses gained'),
          row('LOST', d.counts.lost, 'accesses lost'),
          row('CHANGED', d.counts.changed, 'decisions changed'),
        ),
      ];
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'not-found') {
        return [
          h('h2', { id: 'chg-h' }, 'Changes since the previous snapshot'),
          h(
            'p',
            {},
            'There is no earlier snapshot to compare with: ingest another one (whocan ingest DIR) to see who gained and lost access.',
          ),
        ];
      }
      throw error;
    }
  });
  await Promise.all([summary, findings, diff]);
}
