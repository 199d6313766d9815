import { shortName } from './format';

/**
 * An access path's graph before it is drawn (graph.ts draws it): nodes by
 * kind (user, group, policy, statement, role, method, function, …) and
 * edges with their statements and conditions, built from an answer's path
 * hops by addPath.
 */
export interface Condition {
  when: string;
  keys: string[];
}

export interface Hop {
  kind: string;
  from: string;
  to: string;
  policy?: string | null;
  statement?: string | null;
  identityPolicy?: string | null;
  identityStatement?: string | null;
  role?: string | null;
  conditions?: Condition[];
}

/** The GraphQL selection of a `Hop`, for the queries whose paths the graph draws. */
export const HOP_FIELDS = 'kind from to policy statement identityPolicy identityStatement role conditions { when keys }';

export type NodeKind =
  'user' | 'group' | 'role' | 'policy' | 'statement' | 'method' | 'function' | 'account' | 'service' | 'anonymous' | 'api' | 'other';

export interface GraphNode {
  id: string;
  label: string;
  kind: NodeKind;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  /** The statement and conditions of the hop, as text lines. */
  details: string[];
  conditional: boolean;
}

export interface GraphModel {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
}

export function emptyGraph(): GraphModel {
  return { nodes: new Map(), edges: new Map() };
}

function kindOf(id: string): NodeKind {
  if (id === 'anonymous') return 'anonymous';
  if (/\.amazonaws\.com$/.test(id)) return 'service';
  if (/:root$/.test(id)) return 'account';
  const iam = /^arn:aws[a-z-]*:(?:iam|sts)::[^:]*:(user|group|role|policy|assumed-role)\//.exec(id);
  if (iam) return iam[1] === 'assumed-role' ? 'role' : (iam[1] as NodeKind);
  if (id.includes('#inline/') || id.endsWith('#trust') || id.endsWith('#resource-policy')) return 'policy';
  if (/^arn:aws[a-z-]*:execute-api:/.test(id)) return 'method';
  if (/^arn:aws[a-z-]*:lambda:/.test(id)) return 'function';
  if (/^arn:aws[a-z-]*:apigateway:/.test(id)) return 'api';
  return 'other';
}

export function addNode(model: GraphModel, id: string, label = shortName(id), kind = kindOf(id)): void {
  if (!model.nodes.has(id)) model.nodes.set(id, { id, label, kind });
}

export function addEdge(
  model: GraphModel,
  source: string,
  target: string,
  label: string,
  details: string[] = [],
  conditions: Condition[] = [],
): void {
  const id = `${source} -> ${target} : ${label}`;
  if (model.edges.has(id)) return;
  const keys = [...new Set(conditions.flatMap((c) => c.keys))];
  model.edges.set(id, {
    id,
    source,
    target,
    label: keys.length > 0 ? `${label} if ${keys.join(', ')}` : label,
    details: [...details, ...conditions.map((c) => `condition: ${c.when}`)],
    conditional: conditions.length > 0,
  });
}

function statementName(statement: string | null | undefined): string {
  if (!statement) return 'statement';
  return statement.startsWith('#') ? `statement ${statement}` : `Sid ${statement}`;
}

/** Adds one path's hops to the graph. */
export function addPath(model: GraphModel, path: readonly Hop[]): void {
  for (const hop of path) {
    const conditions = hop.conditions ?? [];
    const where = hop.policy ? `${shortName(hop.policy)} · ${statementName(hop.statement)}` : undefined;
    addNode(model, hop.from);
    addNode(model, hop.to);
    switch (hop.kind) {
      case 'MEMBER_OF':
        addEdge(model, hop.from, hop.to, 'member of', [], conditions);
        break;
      case 'POLICY':
        if (hop.policy) {
          addNode(model, hop.policy);
          addEdge(model, hop.from, hop.policy, 'has policy', [], conditions);
        }
        break;
      case 'STATEMENT':
      case 'RESOURCE_POLICY': {
        const policy = hop.policy ?? hop.from;
        const statementId = `${policy} :: ${hop.statement ?? '?'}`;
        const isResourcePolicy = hop.kind === 'RESOURCE_POLICY';
        addNode(model, statementId, `${isResourcePolicy ? `${shortName(policy)}: ` : ''}${statementName(hop.statement)}`, 'statement');
        if (isResourcePolicy) addEdge(model, hop.from, statementId, 'named by', [`resource policy ${shortName(policy)}`]);
        else addEdge(model, hop.from, statementId, 'contains');
        addEdge(model, statementId, hop.to, 'allows', where ? [`statement: ${where}`] : [], conditions);
        break;
      }
      case 'ASSUME_ROLE':
        addEdge(
          model,
          hop.from,
          hop.to,
          `assumes (trust ${hop.statement ?? '?'})`,
          [
            ...(where ? [`trust statement: ${where}`] : []),
            ...(hop.identityPolicy
              ? [`caller's statement: ${shortName(hop.identityPolicy)} · ${statementName(hop.identityStatement)}`]
              : []),
          ],
          conditions,
        );
        break;
      case 'INTEGRATION':
        if (hop.role) {
          addNode(model, hop.role);
          addEdge(model, hop.from, hop.role, 'integration runs as');
          addEdge(model, hop.role, hop.to, 'invokes', where ? [`statement: ${where}`] : [], conditions);
        } else {
          addEdge(model, hop.from, hop.to, 'integration invokes', where ? [`statement: ${where}`] : [], conditions);
        }
        break;
      default:
        addEdge(model, hop.from, hop.to, hop.kind.toLowerCase().replace(/_/g, ' '), where ? [`statement: ${where}`] : [], conditions);
    }
  }
}
