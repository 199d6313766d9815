import { ApiError, gql } from '../api';
import { carriedParams, contextForm, questionVariables } from '../context';
import { field, h, link, renderRows } from '../dom';
import { decisionBadge, plural, shortName } from '../format';
import { graphPanel } from '../graph';
import { addEdge, addNode, addPath, emptyGraph, HOP_FIELDS, type Condition, type Hop } from '../graphModel';
import { href, navigate, type Route } from '../router';
import { code, facts, pageHeader, section, table, td } from '../ui';

/**
 * A user or role: what it can invoke, what it can manage (change or delete
 * each API), what it can assume, and the roles it reaches, as lists and as
 * a graph.
 */
const GRAPH_METHODS = 60;

interface PolicyRef {
  id: string;
  name: string | null;
  kind: string;
}

interface PrincipalDetail {
  arn: string;
  name: string;
  kind: string;
  account: string;
  path: string;
  tags: { key: string; value: string }[];
  policies: PolicyRef[];
  permissionsBoundary: PolicyRef | null;
  groups?: { arn: string; name: string; policies: PolicyRef[] }[];
  trustPolicy?: { statements: { sid: string | null; index: number; effect: string; principal: unknown; condition: unknown }[] } | null;
}

interface Invocable {
  rolesReached: number;
  methods: {
    totalCount: number;
    nodes: {
      methodArn: string;
      apiName: string | null;
      stage: string;
      verb: string;
      path: string;
      decision: string;
      hops: number;
      via: string;
      conditions: Condition[];
      accessPath: Hop[];
    }[];
  };
}

interface ReachedRole {
  role: string;
  hops: number;
  decision: string;
  conditions: Condition[];
  path: Hop[];
}

export async function principalPage(root: HTMLElement, route: Route): Promise<void> {
  const arn = route.params.get('arn') ?? '';
  const q = route.params.get('q') ?? '';
  const input = h('input', {
    type: 'search',
    name: 'q',
    value: arn || q,
    placeholder: 'arn:aws:iam::333344445555:user/bob-caller, or part of a name',
    autocomplete: 'off',
    'data-search': 'true',
  });
  const search = h(
    'form',
    {
      class: 'search',
      role: 'search',
      on: {
        submit: (e) => {
          e.preventDefault();
          const text = input.value.trim();
          if (text)
            navigate(
              href(
                'principal',
                /^arn:|\.amazonaws\.com$/.test(text) ? { arn: text, ...carriedParams(route) } : { q: text, ...carriedParams(route) },
              ),
            );
        },
      },
    },
    field('Find a user or role', input, 'A principal ARN, or part of a user or role name.'),
    h('button', { type: 'submit', class: 'primary' }, 'Find'),
  );
  const body = h('div');
  root.replaceChildren(pageHeader(arn ? shortName(arn) : 'What can a principal do'), search, contextForm(route), body);
  if (arn) await principalAnswer(body, route, arn);
  else if (q) await principalResults(body, route, q);
  else body.replaceChildren(h('p', {}, 'Search for a user or role. Example: ', link(href('principal', { q: 'ivan' }), 'ivan'), '.'));
}

async function principalResults(body: HTMLElement, route: Route, q: string): Promise<void> {
  await section(body, 'matching principals', async () => {
    const { principals } = await gql<{
      principals: { totalCount: number; nodes: { arn: string; name: string; kind: string; account: string }[] };
    }>(
      'query ConsolePrincipals($q: String!) { principals(filter: { nameContains: $q }, first: 100) { totalCount nodes { arn name kind account } } }',
      { q },
    );
    if (principals.totalCount === 0) return h('p', { role: 'status' }, `No user or role name contains “${q}”.`);
    const { table: t, body: tb } = table(
      `${plural(principals.totalCount, 'principal')} match “${q}”${principals.totalCount > 100 ? ' (first 100)' : ''}`,
      ['Principal', 'Kind', 'Account'],
    );
    await renderRows(tb, principals.nodes, (p) =>
      h(
        'tr',
        {},
        td(link(href('principal', { arn: p.arn, ...carriedParams(route) }), p.name, { title: p.arn })),
        td(p.kind.toLowerCase()),
        td(p.account),
      ),
    );
    return h('div', { class: 'table-wrap' }, t);
  });
}

async function principalAnswer(body: HTMLElement, route: Route, arn: string): Promise<void> {
  const about = h('section', { class: 'panel', 'aria-labelledby': 'about-h' });
  const roles = h('section', { class: 'panel', 'aria-labelledby': 'roles-h' });
  const invoke = h('section', { class: 'panel wide', 'aria-labelledby': 'inv-h' });
  const manage = h('section', { class: 'panel wide', 'aria-labelledby': 'man-h' });
  const graph = graphPanel('What it reaches: roles it becomes and methods it invokes', 'whocan-principal');
  body.replaceChildren(about, graph.element, roles, invoke, manage);
  graph.clear('Loading…');
  const carried = carriedParams(route);
  const vars = { arn, ...questionVariables(route) };

  const aboutDone = section(about, 'the principal', async () => {
    try {
      const { principal: p } = await gql<{ principal: PrincipalDetail }>(
        `query ConsolePrincipal($arn: String!) { principal(arn: $arn) {
          arn name kind account path tags { key value } policies { id name kind } permissionsBoundary { id name kind }
          ... on User { groups { arn name policies { id name kind } } }
          ... on Role { trustPolicy { statements { sid index effect principal condition } } }
        } }`,
        { arn },
      );
      const policyList = (list: PolicyRef[]) =>
        list.length === 0
          ? 'none'
          : h(
              'ul',
              { class: 'plain' },
              ...list.map((x) => h('li', { title: x.id }, `${x.name ?? shortName(x.id)} (${x.kind.toLowerCase()})`)),
            );
      return [
        h('h2', { id: 'about-h' }, `${p.kind.toLowerCase()} ${p.name}`),
        facts([
          ['ARN', h('code', {}, p.arn)],
          ['Account', p.account],
          ['Policies', policyList(p.policies)],
          [
            'Groups',
            p.groups
              ? p.groups.length === 0
                ? 'none'
                : h(
                    'ul',
                    { class: 'plain' },
                    ...p.groups.map((g) =>
                      h(
                        'li',
                        { title: g.arn },
                        `${g.name}: `,
                        g.policies.map((x) => x.name ?? shortName(x.id)).join(', ') || 'no policies',
                      ),
                    ),
                  )
              : null,
          ],
          ['Permissions boundary', p.permissionsBoundary ? `${p.permissionsBoundary.name ?? shortName(p.permissionsBoundary.id)}` : 'none'],
          ['Tags', p.tags.length === 0 ? 'none' : p.tags.map((t) => `${t.key}=${t.value}`).join(', ')],
        ]),
        p.trustPolicy ? h('h3', {}, 'Trust policy') : null,
        ...(p.trustPolicy?.statements ?? []).map((s) =>
          h(
            'div',
            { class: `statement effect-${s.effect.toLowerCase()}` },
            h('p', {}, h('strong', {}, `${s.effect} · ${s.sid ? `Sid ${s.sid}` : `statement #${s.index}`}`)),
            code(JSON.stringify({ Principal: s.principal, ...(s.condition ? { Condition: s.condition } : {}) }, null, 2)),
          ),
        ),
      ];
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'not-found')
        return [
          h('h2', { id: 'about-h' }, shortName(arn)),
          h(
            'p',
            {},
            'Not an ingested user or role (an account, a service or a principal only named by policies): what it reaches is below.',
          ),
        ];
      throw error;
    }
  });

  let reached: ReachedRole[] = [];
  let methods: Invocable['methods']['nodes'] = [];
  const rolesDone = section(roles, 'the roles it reaches', async () => {
    const { reachableRoles } = await gql<{ reachableRoles: { roles: ReachedRole[] } }>(
      `query ConsoleRoles($arn: String!, $context: [ContextEntry!], $maxHops: Int) { reachableRoles(principal: $arn, context: $context, maxHops: $maxHops) { roles { role hops decision conditions { when keys } path { ${HOP_FIELDS} } } } }`,
      vars,
    );
    reached = reachableRoles.roles;
    const { table: t, body: tb } = table(`Roles it can assume or reach (${reached.length})`, [
      'Role',
      'Hops',
      'Decision',
      'Chain',
      'Conditions',
    ]);
    await renderRows(tb, reached, (r) =>
      h(
        'tr',
        {},
        td(link(href('principal', { arn: r.role, ...carried }), shortName(r.role), { title: r.role })),
        td(String(r.hops)),
        td(decisionBadge(r.decision)),
        td(r.path.map((x) => shortName(x.to)).join(' → ')),
        td(r.conditions.map((c) => c.when).join('; ') || '—'),
      ),
    );
    return [
      h('h2', { id: 'roles-h' }, 'Can assume'),
      reached.length === 0
        ? h('p', {}, 'No role: it cannot assume any role within the hops followed.')
        : h('div', { class: 'table-wrap' }, t),
    ];
  });

  const invokeDone = section(invoke, 'the methods it can invoke', async () => {
    const { invocableMethods: inv } = await gql<{ invocableMethods: Invocable }>(
      `query ConsoleInvocable($arn: String!, $context: [ContextEntry!], $maxHops: Int) { invocableMethods(principal: $arn, context: $context, maxHops: $maxHops) {
        rolesReached methods(first: 100) { totalCount nodes { methodArn apiName stage verb path decision hops via conditions { when keys } accessPath { ${HOP_FIELDS} } } }
      } }`,
      vars,
    );
    methods = inv.methods.nodes;
    const { table: t, body: tb } = table(
      `Methods it can invoke (${inv.methods.totalCount}${inv.methods.totalCount > methods.length ? `, first ${methods.length}` : ''})`,
      ['Method', 'API', 'Stage', 'Decision', 'Hops', 'As', 'Conditions'],
    );
    await renderRows(tb, methods, (m) =>
      h(
        'tr',
        {},
        td(
          link(href('method', { arn: m.methodArn, p: arn, ...carried }), `${m.verb === '*' ? '$default' : `${m.verb} ${m.path}`}`, {
            title: m.methodArn,
          }),
        ),
        td(m.apiName ?? '—'),
        td(m.stage),
        td(decisionBadge(m.decision)),
        td(String(m.hops)),
        td(m.via === arn ? 'itself' : shortName(m.via)),
        td(m.conditions.map((c) => c.when).join('; ') || '—'),
      ),
    );
    return [
      h('h2', { id: 'inv-h' }, 'Can invoke'),
      h('p', { class: 'muted' }, `Signed (AWS_IAM) methods, itself or as one of the ${plural(inv.rolesReached, 'role')} it reaches.`),
      h('div', { class: 'table-wrap' }, t),
    ];
  });

  const manageDone = section(manage, 'the APIs it can change', async () => {
    const { restApis, httpApis } = await gql<{
      restApis: { totalCount: number; nodes: { id: string; name: string | null; arn: string }[] };
      httpApis: { totalCount: number; nodes: { id: string; name: string | null; arn: string }[] };
    }>('{ restApis(first: 100) { totalCount nodes { id name arn } } httpApis(first: 100) { totalCount nodes { id name arn } } }');
    const apis = [...restApis.nodes, ...httpApis.nodes];
    const rows: { api: (typeof apis)[number]; patch: string; del: string; patchHops: number | null }[] = [];
    for (let i = 0; i < apis.length; i += 10) {
      const chunk = apis.slice(i, i + 10);
      const v: Record<string, unknown> = { ...vars };
      const fields = chunk.map((api, j) => {
        v[`r${j}`] = api.arn;
        return `p${j}: can(principal: $arn, action: "apigateway:PATCH", resource: $r${j}, context: $context, maxHops: $maxHops) { overall { decision hops } }
                d${j}: can(principal: $arn, action: "apigateway:DELETE", resource: $r${j}, context: $context, maxHops: $maxHops) { overall { decision hops } }`;
      });
      const decl = chunk.map((_, j) => `$r${j}: String!`).join(', ');
      const data = await gql<Record<string, { overall: { decision: string; hops: number | null } }>>(
        `query ConsoleManage($arn: String!, ${decl}, $context: [ContextEntry!], $maxHops: Int) { ${fields.join('\n')} }`,
        v,
      );
      chunk.forEach((api, j) =>
        rows.push({
          api,
          patch: data[`p${j}`]!.overall.decision,
          del: data[`d${j}`]!.overall.decision,
          patchHops: data[`p${j}`]!.overall.hops,
        }),
      );
    }
    const can = rows.filter((r) => r.patch !== 'DENIED' || r.del !== 'DENIED');
    const { table: t, body: tb } = table(`APIs it can change (${can.length} of ${apis.length} checked)`, [
      'API',
      'Change (apigateway:PATCH)',
      'Delete (apigateway:DELETE)',
      'Hops',
    ]);
    await renderRows(tb, can, (r) =>
      h(
        'tr',
        {},
        td(h('span', { title: r.api.arn }, `${r.api.name ?? r.api.id} (${r.api.id})`)),
        td(decisionBadge(r.patch)),
        td(decisionBadge(r.del)),
        td(r.patchHops === null ? '—' : String(r.patchHops)),
      ),
    );
    const more = restApis.totalCount + httpApis.totalCount > apis.length;
    return [
      h('h2', { id: 'man-h' }, 'Can manage'),
      more ? h('p', { class: 'muted' }, `The first ${apis.length} APIs were checked; ask whoCan over GraphQL for the others.`) : null,
      can.length === 0 ? h('p', {}, 'It cannot change or delete any API.') : h('div', { class: 'table-wrap' }, t),
    ];
  });

  await Promise.all([aboutDone, rolesDone, invokeDone]);
  const model = emptyGraph();
  addNode(model, arn);
  for (const r of reached) addPath(model, r.path);
  for (const m of methods.slice(0, GRAPH_METHODS)) {
    if (m.accessPath.length > 0) addPath(model, m.accessPath);
    else {
      addNode(model, m.methodArn);
      addEdge(model, m.via, m.methodArn, 'invokes');
    }
  }
  if (model.nodes.size <= 1) graph.clear('It reaches no role and invokes no signed method.');
  else
    graph.show(
      model,
      `${plural(reached.length, 'role')} and ${plural(Math.min(methods.length, GRAPH_METHODS), 'method')} drawn${methods.length > GRAPH_METHODS ? ` (the first ${GRAPH_METHODS} methods)` : ''}.`,
    );
  await manageDone;
}
