import type { PathHop } from '../../services';
import type { PrincipalPaths } from '../../services/review';
import { describeConditions, describePath, policyName, shortArn } from './paths';

/**
 * A principal's access paths as a graph: every entity a path passes
 * (principal, group, policy, role, resource) once, every step an edge
 * labelled with what grants it (the statement, the trust policy) and its
 * conditions. Rendered as Mermaid (renders in GitHub/GitLab Markdown inside
 * a ```mermaid block) or Graphviz DOT (`dot -Tsvg`).
 */
interface DiagramNode {
  id: string;
  label: string;
  kind: 'principal' | 'identity' | 'policy' | 'resource' | 'other';
}

interface DiagramEdge {
  from: string;
  to: string;
  label: string;
}

export interface Diagram {
  title: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export const PATHS_FORMATS = ['text', 'mermaid', 'dot', 'json'] as const;
export type PathsFormat = (typeof PATHS_FORMATS)[number];

export function renderPaths(answer: PrincipalPaths, format: PathsFormat): string {
  switch (format) {
    case 'text':
      return pathsText(answer);
    case 'json':
      return JSON.stringify(answer, null, 2);
    case 'mermaid':
      return mermaid(diagramOf(answer));
    case 'dot':
      return dot(diagramOf(answer));
  }
}

function headline(a: PrincipalPaths): string {
  const who = shortArn(a.principal);
  if (a.decision === 'denied') return `${who} cannot ${a.action} on ${a.resource} (snapshot ${a.snapshot})`;
  return `${who} can ${a.action} on ${a.resource}: ${a.decision}, ${a.hops} role assumption${a.hops === 1 ? '' : 's'} (snapshot ${a.snapshot})`;
}

function pathsText(a: PrincipalPaths): string {
  const lines = [headline(a)];
  if (a.conditions.length > 0) lines.push(`  when ${describeConditions(a.conditions)}`);
  if (a.partial) lines.push(`  only some requests, e.g. ${a.partial.allowedRequests.slice(0, 3).join(', ')}`);
  a.paths.forEach((p, i) => lines.push(`  ${i + 1}. ${describePath(p)}`));
  if (a.morePaths) lines.push('  (more paths exist: raise --max-paths)');
  return lines.join('\n');
}

/** A node's text: short ARNs and policy names. */
function nodeLabel(key: string): string {
  if (key === 'anonymous') return 'anonymous caller';
  if (/#/.test(key) || /:policy\//.test(key)) return policyName(key);
  const group = /^arn:aws[a-z-]*:iam::(\d{12}):group\/(?:.*\/)?([^/]+)$/.exec(key);
  if (group) return `group/${group[2]} @${group[1]}`;
  const fn = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:([^:]+)/.exec(key);
  if (fn) return `function ${fn[1]}`;
  const api = /^arn:aws[a-z-]*:execute-api:[^:]*:\d{12}:(.+)$/.exec(key);
  if (api) return `execute-api ${api[1]}`;
  const mgmt = /^arn:aws[a-z-]*:apigateway:[^:]*::(.+)$/.exec(key);
  if (mgmt) return `apigateway ${mgmt[1]}`;
  return shortArn(key);
}

function edgeLabel(hop: PathHop): string {
  const when = hop.conditions?.length ? ` if ${describeConditions(hop.conditions)}` : '';
  const sid = hop.statement ? ` [${hop.statement}]` : '';
  switch (hop.kind) {
    case 'member-of':
      return 'member of';
    case 'policy':
      return 'has policy';
    case 'statement':
      return `allows${sid}${when}`;
    case 'resource-policy':
      return `${hop.policy ? policyName(hop.policy) : 'resource policy'}${sid} allows${when}`;
    case 'assume-role':
      return `sts:AssumeRole (trust${sid}${identityPart(hop)})${when}`;
    case 'unsigned':
      return `unsigned request${when}`;
    case 'authorizer':
      return "accepted by the method's authorizer";
    case 'root':
      return 'root user';
    case 'integration':
      return `API Gateway calls it${hop.role ? ` as ${shortArn(hop.role)}` : ''}${hop.policy ? ` (${policyName(hop.policy)}${sid})` : sid}${when}`;
  }
}

/** The caller's own statement that lets it assume the role; an account outside the snapshot has policies nobody can see. */
function identityPart(hop: PathHop): string {
  if (!hop.identityPolicy) return '';
  if (hop.identityPolicy.endsWith('#own-policies')) return '; its own policies, not in the snapshot';
  return `; ${policyName(hop.identityPolicy)}${hop.identityStatement ? ` [${hop.identityStatement}]` : ''}`;
}

export function diagramOf(a: PrincipalPaths): Diagram {
  const nodes = new Map<string, DiagramNode>();
  const node = (key: string, kind: DiagramNode['kind']) => {
    let n = nodes.get(key);
    if (!n) {
      n = { id: `n${nodes.size + 1}`, label: nodeLabel(key), kind };
      nodes.set(key, n);
    }
    return n;
  };
  node(a.principal, 'principal');
  const target = node(a.resource, 'resource');
  const edges = new Map<string, DiagramEdge>();
  for (const path of a.paths) {
    for (const hop of path) {
      // A statement or resource policy grants on the asked resource: draw the edge to it, whatever request ARN it names.
      const toKey =
        hop.kind === 'statement' ||
        hop.kind === 'resource-policy' ||
        hop.kind === 'unsigned' ||
        hop.kind === 'authorizer' ||
        hop.kind === 'root'
          ? a.resource
          : hop.to;
      const from = node(hop.from, hop.kind === 'statement' ? 'policy' : 'identity');
      const to = toKey === a.resource ? target : node(toKey, hop.kind === 'policy' ? 'policy' : 'identity');
      const edge = { from: from.id, to: to.id, label: edgeLabel(hop) };
      edges.set(`${edge.from} ${edge.to} ${edge.label}`, edge);
    }
  }
  const title = headline(a);
  return { title, nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Mermaid text inside double quotes: entity codes for the characters that
 * end or reinterpret a label (https://mermaid.js.org/syntax/flowchart.html,
 * "Entity codes to escape characters").
 */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/`/g, '#96;')
    .replace(/[\r\n]+/g, ' ');
}

function mermaid(d: Diagram): string {
  const shape: Record<DiagramNode['kind'], [string, string]> = {
    principal: ['([', '])'],
    identity: ['(', ')'],
    policy: ['[', ']'],
    resource: ['{{', '}}'],
    other: ['[', ']'],
  };
  const lines = [`%% ${d.title.replace(/[\r\n]+/g, ' ')}`, 'flowchart LR'];
  for (const n of d.nodes) {
    const [open, close] = shape[n.kind];
    lines.push(`  ${n.id}${open}"${mermaidText(n.label)}"${close}`);
  }
  for (const e of d.edges) lines.push(`  ${e.from} -->|"${mermaidText(e.label)}"| ${e.to}`);
  if (d.edges.length === 0) lines.push(`  %% no path: the principal has no access`);
  return lines.join('\n');
}

/** A Graphviz double-quoted string (https://graphviz.org/doc/info/lang.html): backslashes and quotes escaped, line breaks as \n. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function dot(d: Diagram): string {
  const shape: Record<DiagramNode['kind'], string> = {
    principal: 'ellipse',
    identity: 'box, style=rounded',
    policy: 'note',
    resource: 'hexagon',
    other: 'box',
  };
  const lines = [
    'digraph whocan {',
    '  rankdir=LR;',
    `  label=${dotString(d.title)};`,
    '  labelloc=t;',
    '  node [fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const n of d.nodes) lines.push(`  ${n.id} [label=${dotString(n.label)}, shape=${shape[n.kind]}];`);
  for (const e of d.edges) lines.push(`  ${e.from} -> ${e.to} [label=${dotString(e.label)}];`);
  lines.push('}');
  return lines.join('\n');
}
