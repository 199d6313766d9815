import { gql } from '../api';
import { carriedParams } from '../context';
import { field, h, link, renderRows, select } from '../dom';
import { decisionBadge, isMethodArn, isPrincipalArn, plural, severityBadge, shortName } from '../format';
import { href, navigate, type Route } from '../router';
import { loadMoreButton, pageHeader, section, table, td, timed } from '../ui';

/** The findings, most severe first, filterable by severity and kind, each linking to its method or principal. */
const KINDS = [
  'PUBLIC_METHOD',
  'OPEN_RESOURCE_POLICY',
  'CROSS_ACCOUNT_GRANT',
  'WILDCARD_INVOKE',
  'WILDCARD_MANAGE',
  'ESCALATION_VIA_APIGATEWAY',
  'BROAD_INTEGRATION_ROLE',
  'BROKEN_INTEGRATION',
] as const;

interface FindingRow {
  id: string;
  kind: string;
  severity: string;
  title: string;
  detail: string;
  resource: string;
  principal: string | null;
  decision: string;
  related: string[];
}

interface FindingsPage {
  findings: {
    snapshot: string;
    totalCount: number;
    counts: { high: number; medium: number; low: number };
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: FindingRow[];
  };
}

const QUERY = `query ConsoleFindings($kinds: [FindingKind!], $severity: Severity, $after: String) {
  findings(kinds: $kinds, minimumSeverity: $severity, first: 100, after: $after) {
    snapshot totalCount counts { high medium low } pageInfo { hasNextPage endCursor }
    nodes { id kind severity title detail resource principal decision related }
  }
}`;

/** A link to what an ARN names: a method page, a principal page, or an API page. */
export function targetLink(id: string, route: Route): HTMLElement {
  const carried = carriedParams(route);
  // A finding about part of something (`<role>#open-methods`, `<api>#<statement>`) links to the whole.
  const arn = id.split('#', 1)[0]!;
  // Wildcard findings are decided on a probe API that does not exist: nothing to link to.
  if (isMethodArn(arn) && !arn.includes(':whocan-probe/')) return link(href('method', { arn, ...carried }), shortName(id), { title: id });
  if (isPrincipalArn(arn)) return link(href('principal', { arn, ...carried }), shortName(id), { title: id });
  const api = /^arn:aws[a-z-]*:apigateway:[^:]*::\/(restapis|apis)\/([^/]+)$/.exec(arn);
  if (api) return link(href('method', { q: api[2]!, ...carried }), shortName(id), { title: id });
  return h('span', { title: id }, shortName(id));
}

export async function findingsPage(root: HTMLElement, route: Route): Promise<void> {
  const severity = route.params.get('severity') ?? '';
  const kind = route.params.get('kind') ?? '';
  const sev = select(
    'severity',
    [
      ['', 'every severity'],
      ['HIGH', 'high'],
      ['MEDIUM', 'medium and high'],
      ['LOW', 'low and above'],
    ],
    severity,
  );
  const kd = select('kind', [['', 'every kind'], ...KINDS.map((k) => [k, k.toLowerCase().replace(/_/g, ' ')] as const)], kind);
  const onChange = () => navigate(href('findings', { severity: sev.value, kind: kd.value }));
  sev.addEventListener('change', onChange);
  kd.addEventListener('change', onChange);
  const body = h('div');
  root.replaceChildren(
    pageHeader('Findings'),
    h('div', { class: 'filters', role: 'group', 'aria-label': 'Filter the findings' }, field('Severity', sev), field('Kind', kd)),
    body,
  );
  await section(body, 'the findings', async () => {
    const vars = { kinds: kind ? [kind] : null, severity: severity || null };
    const first = await gql<FindingsPage>(QUERY, { ...vars, after: null });
    const f = first.findings;
    const { table: t, body: tb } = table(
      `${plural(f.totalCount, 'finding')} (high ${f.counts.high}, medium ${f.counts.medium}, low ${f.counts.low} in all)`,
      ['Severity', 'Finding', 'Resource', 'Principal', 'Decision'],
    );
    const rowOf = (x: FindingRow) =>
      h(
        'tr',
        { 'data-kind': x.kind },
        td(severityBadge(x.severity)),
        td(
          h('strong', {}, x.title),
          h('p', { class: 'muted' }, x.detail),
          x.related.length > 0 ? h('p', { class: 'muted' }, `Related: ${x.related.map(shortName).join(', ')}`) : null,
        ),
        td(targetLink(x.resource, route)),
        td(x.principal ? targetLink(x.principal, route) : '—'),
        td(decisionBadge(x.decision)),
      );
    await timed(body, 'findings', () => renderRows(tb, f.nodes, rowOf));
    const more = loadMoreButton(
      f.pageInfo,
      async (after) => {
        const next = await gql<FindingsPage>(QUERY, { ...vars, after });
        for (const x of next.findings.nodes) tb.appendChild(rowOf(x));
        return next.findings.pageInfo;
      },
      'more findings',
    );
    return [h('p', { class: 'muted' }, `Snapshot ${f.snapshot}.`), h('div', { class: 'table-wrap' }, t), more];
  });
}
