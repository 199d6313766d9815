import type { AccessPath, ConditionSummary, PathHop } from '../../services';

/**
 * Short, readable names for what answers carry as ARNs and policy keys, for
 * terminal tables. JSON output keeps the full ARNs.
 */

/** `arn:aws:iam::333344445555:user/bob-caller` → `user/bob-caller @333344445555`. */
export function shortArn(arn: string): string {
  let m = /^arn:aws[a-z-]*:iam::(\d{12}|\*):root$/.exec(arn);
  if (m) return m[1] === '*' ? 'any AWS account' : `account ${m[1]}`;
  m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (m) return `${m[2]!.replace(/^(user|role)\/(?:[^/]+\/)*([^/]+)$/, '$1/$2')} @${m[1]}`;
  return arn;
}

/** A policy key as a name: managed policy name, `NAME (inline)`, `trust policy of role/R`, `resource policy of …`. */
export function policyName(key: string): string {
  let m = /#inline\/(.+)$/.exec(key);
  if (m) return `${m[1]} (inline)`;
  m = /^arn:aws[a-z-]*:iam::(?:\d{12}|aws):policy\/(?:.*\/)?([^/]+)$/.exec(key);
  if (m) return m[1]!;
  if (key.endsWith('#trust')) return `trust policy of ${shortArn(key.slice(0, -'#trust'.length))}`;
  if (key.endsWith('#resource-policy')) {
    const owner = key.slice(0, -'#resource-policy'.length);
    const api = /\/(?:restapis|apis)\/([^/]+)$/.exec(owner);
    if (api) return `resource policy of API ${api[1]}`;
    const fn = /:function:([^:]+)$/.exec(owner);
    if (fn) return `resource policy of function ${fn[1]}`;
    return `resource policy of ${owner}`;
  }
  return key;
}

function statementSuffix(statement: string | undefined): string {
  return statement ? ` [${statement}]` : '';
}

export function describeHop(hop: PathHop): string {
  const when = hop.conditions?.length ? ` (if ${describeConditions(hop.conditions)})` : '';
  switch (hop.kind) {
    case 'member-of':
      return `group/${hop.to.split('/').pop()}`;
    case 'policy':
      return policyName(hop.to);
    case 'statement':
      return `${statementSuffix(hop.statement).trim()}${when}`;
    case 'resource-policy':
      return `${hop.policy ? policyName(hop.policy) : 'resource policy'}${statementSuffix(hop.statement)}${when}`;
    case 'assume-role':
      return `assumes ${shortArn(hop.to)}${when}`;
    case 'unsigned':
      return `unsigned request${when}`;
    case 'authorizer':
      return `accepted by the method's authorizer${when}`;
    case 'root':
      return 'root user';
    case 'integration':
      return `${hop.policy ? `${hop.policy} ` : ''}integration → ${hop.to}${when}`;
  }
}

/** One line: `group/api-callers → InvokePetsProd [InvokePetsProd]`. */
export function describePath(path: AccessPath): string {
  const parts: string[] = [];
  for (const hop of path) {
    const text = describeHop(hop);
    // A statement reads as a suffix of the policy before it.
    if (hop.kind === 'statement' && parts.length > 0) parts[parts.length - 1] += ` ${text}`;
    else parts.push(text);
  }
  return parts.join(' → ');
}

/** Conditions in words: `aws:SourceIp IpAddress 198.51.100.0/24`; a Deny's condition must not hold: `not (…)`. */
export function describeConditions(conditions: readonly ConditionSummary[]): string {
  const clauses = new Set<string>();
  for (const c of conditions) {
    for (const clause of c.clauses) {
      const text = `${clause.key} ${clause.operator} ${clause.values.join(', ')}`;
      clauses.add(clause.effect === 'Deny' ? `not (${text})` : text);
    }
    if (c.clauses.length === 0) clauses.add(c.when);
  }
  return [...clauses].join(' and ');
}
