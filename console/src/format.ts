// The engine's ARN rules: a file that imports nothing, so the bundle takes it alone.
import { accountIdOfArn, isAwsPartition, parseArn, principalAccountOf } from '../../src/policy/match/arn';
import { h } from './dom';

/** A readable name for an ARN or policy key, as the graph and tables show it; the full ARN stays in titles and links. */
export function shortName(id: string): string {
  const hash = id.indexOf('#');
  if (hash > 0) {
    const owner = shortName(id.slice(0, hash));
    const rest = id.slice(hash + 1);
    if (rest.startsWith('inline/')) return `inline ${rest.slice(7)} (${owner})`;
    if (rest === 'trust') return `trust policy of ${owner}`;
    if (rest === 'resource-policy') return `resource policy of ${owner}`;
    return `${owner} ${rest}`;
  }
  let m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}|\*|aws):root$/.exec(id);
  if (m) return m[1] === '*' ? 'any AWS account' : `account ${m[1]}`;
  m = /^arn:aws[a-z-]*:(?:iam|sts)::(?:\d{12}|aws|\*):(user|group|role|policy|assumed-role)\/(?:.*\/)?([^/]+)$/.exec(id);
  if (m) return `${m[1]}/${m[2]}`;
  m = /^arn:aws[a-z-]*:execute-api:[^:]*:\d{12}:([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(id);
  if (m) return m[3] === '$default' && !m[4] ? `$default (${m[1]}/${m[2]})` : `${m[3]} ${m[4] ?? '/'} (${m[1]}/${m[2]})`;
  m = /^arn:aws[a-z-]*:lambda:[^:]*:\d{12}:function:([^:]+)/.exec(id);
  if (m) return `function ${m[1]}`;
  m = /^arn:aws[a-z-]*:apigateway:[^:]*::\/(?:restapis|apis)\/([^/]+)$/.exec(id);
  if (m) return `API ${m[1]}`;
  return id;
}

/** The account of an IAM/STS ARN, or of an execute-api ARN; undefined for services and anonymous. */
export function accountOf(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service === 'execute-api' && isAwsPartition(parsed.partition)) return accountIdOfArn(arn);
  return principalAccountOf(arn);
}

export function isPrincipalArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\//.test(arn);
}

export function isMethodArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:execute-api:/.test(arn);
}

const DECISION_LABEL: Record<string, string> = { ALLOWED: 'allowed', CONDITIONAL: 'conditional', PARTIAL: 'partial', DENIED: 'denied' };

export function decisionBadge(decision: string): HTMLElement {
  return h('span', { class: `badge decision-${decision.toLowerCase()}` }, DECISION_LABEL[decision] ?? decision.toLowerCase());
}

export function severityBadge(severity: string): HTMLElement {
  return h('span', { class: `badge severity-${severity.toLowerCase()}` }, severity.toLowerCase());
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}
