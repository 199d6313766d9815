import { ApiError, gql } from '../api';
import { carriedParams, questionVariables } from '../context';
import { field, h, link, renderRows, replace, select } from '../dom';
import { accountOf, decisionBadge, isPrincipalArn, plural, shortName } from '../format';
import { graphPanel } from '../graph';
import { addEdge, addNode, addPath, emptyGraph, HOP_FIELDS, type Condition, type Hop } from '../graphModel';
import { href, withParams, type Route } from '../router';
import { code, errorBox, facts, loadMoreButton, section, table, td, timed } from '../ui';

/**
 * The answer to "who can invoke this method?": the method's authorization, resource
 * policy and integration, and who can invoke it, paged and filterable;
 * principals selected in the list (`p=` in the route) have their paths drawn.
 */
const MAX_SELECTED = 25;

interface MethodDetail {
  verb: string;
  path: string;
  routeKey: string | null;
  authorizationType: string;
  authorizerId: string | null;
  apiKeyRequired: boolean;
  api: { id: string; name: string | null; account: string; endpointType: string };
  resourcePolicy: {
    id: string;
    statements: {
      sid: string | null;
      index: number;
      effect: string;
      principal: unknown;
      actions: string[] | null;
      resources: string[] | null;
      condition: unknown;
    }[];
  } | null;
  integration: { type: string; uri: string | null; credentialsMode: string; roleArn: string | null; lambdaArn: string | null } | null;
}

interface PrincipalRow {
  arn: string;
  kind: string;
  decision: string;
  hops: number;
  conditions: Condition[];
  partial: { allowedRequests: string[]; deniedRequests: string[] } | null;
}

interface WhoPage {
  whoCanInvoke: {
    public: boolean;
    resource: string;
    method: { apiName: string | null; stage: string; verb: string; path: string; authorizationType: string } | null;
    principals: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { cursor: string; node: PrincipalRow }[];
    };
  };
}

const WHO_QUERY = `query ConsoleWhoCanInvoke($arn: String!, $after: String, $context: [ContextEntry!], $maxHops: Int) {
  whoCanInvoke(requestArn: $arn, context: $context, maxHops: $maxHops) {
    public resource
    method { apiName stage verb path authorizationType }
    principals(first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { arn kind decision hops conditions { when keys } partial { allowedRequests deniedRequests } } }
    }
  }
}`;

const PATHS_QUERY = `query ConsolePaths($arn: String!, $after: String, $context: [ContextEntry!], $maxHops: Int) {
  whoCanInvoke(requestArn: $arn, context: $context, maxHops: $maxHops, maxPaths: 5) {
    principals(first: 1, after: $after) { nodes { arn morePaths paths { ${HOP_FIELDS} } } }
  }
}`;

const DETAIL_QUERY = `query ConsoleMethod($arn: String!) {
  method(arn: $arn) {
    verb path routeKey authorizationType authorizerId apiKeyRequired
    api { id name account endpointType }
    resourcePolicy { id statements { sid index effect principal actions resources condition } }
    integration { type uri credentialsMode roleArn lambdaArn }
  }
}`;

export async function answer(body: HTMLElement, route: Route, arn: string): Promise<void> {
  const details = h('section', { class: 'panel', 'aria-labelledby': 'md-h' });
  const who = h('section', { class: 'panel wide', 'aria-labelledby': 'who-h' });
  const graph = graphPanel('Access paths of the selected principals', 'whocan-paths');
  body.replaceChildren(details, who, graph.element);
  graph.clear('Select principals in the list to draw their paths (at most 25).');
  let detail: MethodDetail | undefined;
  const detailDone = section(details, 'the method', async () => {
    detail = (await gql<{ method: MethodDetail }>(DETAIL_QUERY, { arn })).method;
    return methodDetails(detail, route);
  });

  const selected = new Set(route.params.getAll('p'));
  const edges: { cursor: string; node: PrincipalRow }[] = [];
  const vars = { arn, ...questionVariables(route) };
  const pathsCache = new Map<string, Hop[][]>();

  const draw = async () => {
    await detailDone;
    const chosen = [...selected].slice(0, MAX_SELECTED);
    if (chosen.length === 0) {
      graph.clear('Select principals in the list to draw their paths (at most 25).');
      return;
    }
    graph.clear(`Loading the paths of ${plural(chosen.length, 'principal')}…`);
    try {
      const model = emptyGraph();
      for (const p of chosen) {
        let paths = pathsCache.get(p);
        if (!paths) {
          const at = edges.findIndex((e) => e.node.arn === p);
          if (at < 0) continue;
          const after = at === 0 ? null : edges[at - 1]!.cursor;
          const data = await gql<{ whoCanInvoke: { principals: { nodes: { arn: string; paths: Hop[][] }[] } } }>(PATHS_QUERY, {
            ...vars,
            after,
          });
          const node = data.whoCanInvoke.principals.nodes[0];
          if (!node || node.arn !== p)
            throw new ApiError('server', 'The answer changed while it was read (a new snapshot?): reload the page.');
          paths = node.paths;
          pathsCache.set(p, paths);
        }
        for (const path of paths) addPath(model, path);
      }
      const resource = [...model.nodes.values()].find((n) => n.kind === 'method')?.id ?? arn;
      if (detail?.integration) {
        const target = detail.integration.lambdaArn ?? detail.integration.uri;
        if (target) {
          addNode(model, resource);
          if (detail.integration.credentialsMode === 'ROLE' && detail.integration.roleArn) {
            addNode(model, detail.integration.roleArn);
            addNode(model, target);
            addEdge(model, resource, detail.integration.roleArn, 'integration runs as', [
              `integration ${detail.integration.type}, credentials: the role`,
            ]);
            addEdge(model, detail.integration.roleArn, target, 'invokes');
          } else {
            addNode(model, target);
            addEdge(model, resource, target, `integration (${detail.integration.credentialsMode.toLowerCase().replace(/_/g, ' ')})`, [
              `integration ${detail.integration.type}`,
            ]);
          }
        }
      }
      graph.show(
        model,
        `${plural(chosen.length, 'principal')} drawn${selected.size > MAX_SELECTED ? ` (the first ${MAX_SELECTED} selected)` : ''}.`,
      );
    } catch (error) {
      graph.clear('');
      graph.element.append(errorBox(error, 'paths'));
    }
  };

  await section(who, 'who can invoke it', async () => {
    const first = await gql<WhoPage>(WHO_QUERY, { ...vars, after: null });
    const w = first.whoCanInvoke;
    edges.push(...w.principals.edges);
    let pageInfo = w.principals.pageInfo;
    const filters = {
      decision: route.params.get('decision') ?? '',
      hops: route.params.get('shownHops') ?? '',
      account: route.params.get('account') ?? '',
      kind: route.params.get('kind') ?? '',
    };
    const { table: t, body: tb } = table('Principals who can invoke it', [
      'Draw',
      'Principal',
      'Kind',
      'Account',
      'Decision',
      'Hops',
      'Conditions',
    ]);
    t.setAttribute('id', 'principals');
    const count = h('p', { class: 'muted', role: 'status' });
    const keep = (p: PrincipalRow) =>
      (!filters.decision || p.decision === filters.decision) &&
      (!filters.hops || (filters.hops === '2+' ? p.hops >= 2 : p.hops === Number(filters.hops))) &&
      (!filters.account || accountOf(p.arn) === filters.account) &&
      (!filters.kind || p.kind === filters.kind);
    const carried = carriedParams(route);
    const rowOf = (p: PrincipalRow) => {
      const box = h('input', {
        type: 'checkbox',
        checked: selected.has(p.arn),
        'aria-label': `Draw the paths of ${shortName(p.arn)}`,
        'data-principal': p.arn,
        on: {
          change: () => {
            if (box.checked) selected.add(p.arn);
            else selected.delete(p.arn);
            // The selection is part of the link, without re-asking the question.
            history.replaceState(null, '', withParams(route, { p: [...selected] }));
            void draw();
          },
        },
      });
      const fullConditions = p.conditions.map((c) => c.when).join('; ');
      // Long conditions are cut here; the whole text is in the title and in the drawn path's hop list.
      const conditions = fullConditions.length > 220 ? `${fullConditions.slice(0, 220)}…` : fullConditions;
      const partial = p.partial
        ? `only some requests: ${p.partial.allowedRequests.slice(0, 3).map(shortName).join(', ')}${p.partial.allowedRequests.length > 3 ? ', …' : ''}`
        : '';
      return h(
        'tr',
        { 'data-arn': p.arn, 'data-decision': p.decision },
        td(box),
        td(
          isPrincipalArn(p.arn)
            ? link(href('principal', { arn: p.arn, ...carried }), shortName(p.arn), { title: p.arn })
            : h('span', { title: p.arn }, shortName(p.arn)),
        ),
        td(p.kind.toLowerCase()),
        td(accountOf(p.arn) ?? '—'),
        td(decisionBadge(p.decision)),
        td(String(p.hops)),
        td(h('span', { class: 'conditions', title: fullConditions }, [conditions, partial].filter(Boolean).join(' · ') || '—')),
      );
    };
    const render = () => {
      const shown = edges.map((e) => e.node).filter(keep);
      count.textContent = `${plural(w.principals.totalCount, 'principal')} can invoke it${pageInfo.hasNextPage ? ` (${edges.length} loaded)` : ''}; ${shown.length} shown.`;
      return renderRows(tb, shown, rowOf);
    };
    const accounts = () => [...new Set(edges.map((e) => accountOf(e.node.arn)).filter((a): a is string => a !== undefined))].sort();
    const kinds = () => [...new Set(edges.map((e) => e.node.kind))].sort();
    const filterBar = () => {
      const decision = select(
        'decision',
        [
          ['', 'any'],
          ['ALLOWED', 'allowed'],
          ['CONDITIONAL', 'conditional'],
          ['PARTIAL', 'partial'],
        ],
        filters.decision,
      );
      const hops = select(
        'hops',
        [
          ['', 'any'],
          ['0', '0 (own policies)'],
          ['1', '1'],
          ['2+', '2 or more'],
        ],
        filters.hops,
      );
      const account = select('account', [['', 'any'], ...accounts().map((a) => [a, a] as const)], filters.account);
      const kind = select('kind', [['', 'any'], ...kinds().map((k) => [k, k.toLowerCase()] as const)], filters.kind);
      const onChange = () => {
        filters.decision = decision.value;
        filters.hops = hops.value;
        filters.account = account.value;
        filters.kind = kind.value;
        history.replaceState(
          null,
          '',
          withParams(route, {
            decision: filters.decision || undefined,
            shownHops: filters.hops || undefined,
            account: filters.account || undefined,
            kind: filters.kind || undefined,
            p: [...selected],
          }),
        );
        void render();
      };
      for (const s of [decision, hops, account, kind]) s.addEventListener('change', onChange);
      return h(
        'div',
        { class: 'filters', role: 'group', 'aria-label': 'Filter the principals' },
        field('Decision', decision),
        field('Hops', hops),
        field('Account', account),
        field('Kind', kind),
      );
    };
    const filterHolder = h('div', {}, filterBar());
    const more = loadMoreButton(
      pageInfo,
      async (after) => {
        const next = await gql<WhoPage>(WHO_QUERY, { ...vars, after });
        edges.push(...next.whoCanInvoke.principals.edges);
        pageInfo = next.whoCanInvoke.principals.pageInfo;
        replace(filterHolder, filterBar());
        await render();
        return pageInfo;
      },
      'more principals',
    );
    await timed(who, 'method-principals', render);
    const m = w.method;
    return [
      h('h2', { id: 'who-h' }, 'Who can invoke it'),
      h(
        'p',
        { class: w.public ? 'warning' : '' },
        w.public
          ? 'Public: anonymous callers from the internet may invoke this method.'
          : 'Not public: callers need what the list below shows.',
        m ? ` ${m.apiName ?? ''} ${m.stage} ${m.verb} ${m.path}, authorization ${m.authorizationType}.` : '',
      ),
      filterHolder,
      count,
      h('div', { class: 'table-wrap' }, t),
      more,
    ];
  });
  if (selected.size > 0) await draw();
}

function methodDetails(d: MethodDetail, route: Route): HTMLElement[] {
  const carried = carriedParams(route);
  const statements = d.resourcePolicy?.statements ?? [];
  const integration = d.integration;
  return [
    h('h2', { id: 'md-h' }, `${d.verb === '*' ? '$default' : `${d.verb} ${d.path}`} · ${d.api.name ?? d.api.id}`),
    facts([
      [
        'API',
        link(
          href('api', { id: d.api.id, stage: stageOf(route.params.get('arn') ?? ''), show: 'methods', ...carried }),
          `${d.api.name ?? d.api.id} (${d.api.id})`,
        ),
      ],
      ['Account', d.api.account],
      ['Endpoint', d.api.endpointType],
      [
        'Authorization',
        `${d.authorizationType}${d.authorizerId ? ` (authorizer ${d.authorizerId})` : ''}${d.apiKeyRequired ? ', API key required' : ''}`,
      ],
      [
        'Integration',
        integration
          ? h(
              'span',
              {},
              `${integration.type}, credentials: ${integration.credentialsMode.toLowerCase().replace(/_/g, ' ')}`,
              integration.roleArn
                ? h(
                    'span',
                    {},
                    ', runs as ',
                    link(href('principal', { arn: integration.roleArn, ...carried }), shortName(integration.roleArn), {
                      title: integration.roleArn,
                    }),
                  )
                : null,
              integration.lambdaArn ? `, calls ${shortName(integration.lambdaArn)}` : integration.uri ? `, ${integration.uri}` : null,
            )
          : 'none',
      ],
    ]),
    d.resourcePolicy
      ? h(
          'details',
          { class: 'policy' },
          h(
            'summary',
            {},
            `Resource policy (${plural(statements.length, 'statement')}): ${statements.map((s) => `${s.effect} ${s.sid ?? `#${s.index}`}`).join(', ')}`,
          ),
          ...statements.map((s) =>
            h(
              'div',
              { class: `statement effect-${s.effect.toLowerCase()}` },
              h('p', {}, h('strong', {}, `${s.effect} · ${s.sid ? `Sid ${s.sid}` : `statement #${s.index}`}`)),
              code(
                JSON.stringify(
                  { Principal: s.principal, Action: s.actions, Resource: s.resources, ...(s.condition ? { Condition: s.condition } : {}) },
                  null,
                  2,
                ),
              ),
            ),
          ),
        )
      : h('p', {}, 'Resource policy: none.'),
  ];
}

function stageOf(arn: string): string {
  return /^arn:[^:]+:execute-api:[^:]*:\d{12}:[^/]+\/([^/]+)/.exec(arn)?.[1] ?? '';
}
