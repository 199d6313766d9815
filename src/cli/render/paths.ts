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
      // The condition is the authorizer's own answer: nothing more to say.
      return "accepted by the method's authorizer";
    case 'root':
      return 'root user';
    case 'integration': {
      const fn = hop.to.split(':')[6] ?? hop.to;
      const how = hop.role
        ? `as ${shortArn(hop.role)}`
        : hop.policy?.endsWith('#resource-policy')
          ? 'allowed by its resource policy'
          : "with the caller's credentials";
      return `API Gateway calls function ${fn} ${how}${hop.policy && !hop.policy.endsWith('#resource-policy') ? ` (${policyName(hop.policy)}${statementSuffix(hop.statement)})` : statementSuffix(hop.statement)}${when}`;
    }
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

/**
 * Conditions in words: each summary's formula (AND, OR, NOT as the engine
 * wrote it) without the statement references the JSON carries; several
 * summaries (alternative paths or requests) are separated by "; ".
 */
export function describeConditions(conditions: readonly ConditionSummary[]): string {
  const texts = new Set(conditions.map((c) => simplify(c.when)));
  return [...texts].join('; ');
}

/** Indents every line of a block (tables under a heading). */
export function indent(text: string, spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/** When a principal's access holds: for each listed path, its hops' conditions together; any path will do. */
export function describePathConditions(paths: readonly AccessPath[]): string {
  const alternatives = new Set<string>();
  for (const path of paths) {
    const conditions = path.flatMap((h) => h.conditions ?? []);
    if (conditions.length === 0) return '';
    const texts = [...new Set(conditions.map((c) => simplify(c.when)))];
    alternatives.add(texts.map((w) => (texts.length > 1 ? `(${w})` : w)).join(' AND '));
  }
  return [...alternatives].join(' OR ');
}

/** The engine's formula without statement references; an unknown policy reads as `<its name> allows` / `explicitly denies`. */
function simplify(when: string): string {
  return (
    when
      // An unknown policy that must allow and not deny: "X allows" says it.
      .replace(
        /policy (\S+) "([^"]+)" \([^)]*\) allows the request \[unknown:[^\]]*\] AND NOT \(policy \1 "[^"]+" \([^)]*\) explicitly denies the request \[unknown:[^\]]*\]\)/g,
        '$2 allows',
      )
      .replace(/ \[(?:Allow|Deny) [^\]]*\]/g, '')
      .replace(/policy \S+ "([^"]+)" \([^)]*\) (allows|explicitly denies) the request \[unknown:[^\]]*\]/g, '$1 $2')
  );
}
