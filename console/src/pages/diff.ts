import { ApiError, gql } from '../api';
import { field, h, renderRows, select } from '../dom';
import { decisionBadge, plural } from '../format';
import { href, navigate, type Route } from '../router';
import { errorBox, loadMoreButton, pageHeader, section, table, td, timed } from '../ui';
import { targetLink } from './findings';

/** Who gained, lost or changed which access between any two snapshots, each change linking to its method, API or role and principal. */
interface Change {
  change: string;
  kind: string;
  action: string;
  resource: string;
  principal: string;
  principalKind: string;
  before: { decision: string; hops: number } | null;
  after: { decision: string; hops: number } | null;
}

interface DiffPage {
  accessDiff: {
    from: string;
    to: string;
    compared: number;
    counts: { gained: number; lost: number; changed: number };
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Change[];
  };
}

const QUERY = `query ConsoleDiff($from: String, $to: String, $kinds: [AccessKind!], $after: String) {
  accessDiff(from: $from, to: $to, kinds: $kinds, first: 100, after: $after) {
    from to compared counts { gained lost changed } totalCount pageInfo { hasNextPage endCursor }
    nodes { change kind action resource principal principalKind before { decision hops } after { decision hops } }
  }
}`;

export async function diffPage(root: HTMLElement, route: Route): Promise<void> {
  const params = {
    from: route.params.get('from') ?? '',
    to: route.params.get('to') ?? '',
    kind: route.params.get('kind') ?? '',
    change: route.params.get('change') ?? '',
  };
  const controls = h('div', { class: 'filters', role: 'group', 'aria-label': 'Compare snapshots' });
  const body = h('div');
  root.replaceChildren(pageHeader('Access changes between snapshots'), controls, body);
  await section(controls, 'the snapshots', async () => {
    const { snapshots } = await gql<{
      snapshots: { nodes: { id: string; current: boolean; state: string; completedAt: string | null }[] };
    }>('{ snapshots(first: 100) { nodes { id current state completedAt } } }');
    const complete = snapshots.nodes.filter((s) => s.state === 'COMPLETE');
    const options = complete.map((s) => [s.id, `${s.id}${s.current ? ' (current)' : ''}`] as const);
    const from = select('from', [['', 'the one before "to"'], ...options], params.from);
    const to = select('to', [['', 'the current snapshot'], ...options], params.to);
    const kind = select(
      'kind',
      [
        ['', 'every kind'],
        ['INVOKE', 'invoke'],
        ['MANAGE', 'manage'],
        ['ASSUME', 'assume'],
      ],
      params.kind,
    );
    const change = select(
      'change',
      [
        ['', 'every change'],
        ['GAINED', 'gained'],
        ['LOST', 'lost'],
        ['CHANGED', 'changed'],
      ],
      params.change,
    );
    const go = () => navigate(href('diff', { from: from.value, to: to.value, kind: kind.value, change: change.value }));
    for (const s of [from, to, kind, change]) s.addEventListener('change', go);
    return [field('From', from), field('To', to), field('Kind', kind), field('Change', change)];
  });
  await section(body, 'the changes', async () => {
    const vars = { from: params.from || null, to: params.to || null, kinds: params.kind ? [params.kind] : null };
    let first: DiffPage;
    try {
      first = await gql<DiffPage>(QUERY, { ...vars, after: null });
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'not-found')
        return [errorBox(error), h('p', {}, 'Ingest another snapshot (whocan ingest DIR) to compare two.')];
      throw error;
    }
    const d = first.accessDiff;
    const keep = (c: Change) => !params.change || c.change === params.change;
    const { table: t, body: tb } = table(
      `${plural(d.totalCount, 'change')}: ${d.counts.gained} gained, ${d.counts.lost} lost, ${d.counts.changed} changed (${plural(d.compared, 'question')} compared)`,
      ['Change', 'Principal', 'Action', 'Resource', 'Before', 'After'],
    );
    const state = (s: Change['before']) => (s ? h('span', {}, decisionBadge(s.decision), ` ${s.hops} hop${s.hops === 1 ? '' : 's'}`) : '—');
    const rowOf = (c: Change) =>
      h(
        'tr',
        { 'data-change': c.change },
        td(c.change.toLowerCase()),
        td(targetLink(c.principal, route)),
        td(c.action),
        td(targetLink(c.resource, route)),
        td(state(c.before)),
        td(state(c.after)),
      );
    await timed(body, 'diff', () => renderRows(tb, d.nodes.filter(keep), rowOf));
    const more = loadMoreButton(
      d.pageInfo,
      async (after) => {
        const next = await gql<DiffPage>(QUERY, { ...vars, after });
        for (const c of next.accessDiff.nodes.filter(keep)) tb.appendChild(rowOf(c));
        return next.accessDiff.pageInfo;
      },
      'more changes',
    );
    return [h('p', { class: 'muted' }, `From ${d.from} to ${d.to}.`), h('div', { class: 'table-wrap' }, t), more];
  });
}
