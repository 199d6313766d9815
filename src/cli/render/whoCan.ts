import type { PrincipalAccess, WhoCanAnswer } from '../../services';
import { renderTable } from '../output';
import { describeConditions, describePath, describePathConditions, shortArn } from './paths';

/** A who-can answer as a terminal table: one row per principal with its shortest path, then the conditions. */
export function renderWhoCan(answer: WhoCanAnswer & { snapshot?: string }): string {
  const lines: string[] = [`Who can ${answer.action} on ${answer.resource}`];
  const m = answer.method;
  if (m) {
    lines.push(
      `  method ${m.apiName ?? m.api} (${m.api}) · stage ${m.stage} · ${m.verb === '$default' ? '$default route' : `${m.verb} ${m.path}`} · authorization ${m.authorizationType} · public: ${answer.public ? 'YES, anonymous callers included' : 'no'}`,
    );
  }
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}${answer.stats.fromIndex ? ' · answered from its access index' : ''}`);
  if (answer.refused) lines.push(`  AWS refuses this whatever the policies say: ${answer.refused}`);
  lines.push('');
  if (answer.principals.length === 0) {
    lines.push(answer.refused ? 'Nobody.' : 'Nobody: no principal in the snapshot can do this (within the role hops followed).');
    return lines.join('\n');
  }
  // A private API's answer also says through which VPC endpoints each principal gets its access.
  const endpoints = answer.principals.some((p) => p.endpoints !== undefined);
  lines.push(
    renderTable(
      ['PRINCIPAL', 'TYPE', 'BEST DECISION', 'AT HOPS', 'DIRECT (0 HOPS)', ...(endpoints ? ['VPC ENDPOINTS'] : []), 'SHORTEST PATH'],
      answer.principals.map((p) => [
        shortArn(p.arn),
        p.type,
        p.decision,
        String(p.bestHops),
        p.direct ? p.direct.decision : 'none',
        ...(endpoints ? [endpointsText(p)] : []),
        p.paths[0] ? describePath(p.paths[0]) : '',
      ]),
    ),
  );
  lines.push(
    '',
    'BEST DECISION: the best over every path of role assumptions; AT HOPS: the assumptions on the shortest path that gives it; DIRECT: the principal’s own access, without assuming a role.',
  );
  if (endpoints)
    lines.push(
      'VPC ENDPOINTS: the endpoints a call may come through with the best decision through each; * is any endpoint outside the snapshot.',
    );
  const conditional = answer.principals.filter(
    (p) => p.conditions.length > 0 || p.partial || (p.direct && p.direct.decision !== p.decision && p.direct.conditions.length > 0),
  );
  if (conditional.length > 0) {
    lines.push('', 'Conditions and partial grants:');
    for (const p of conditional) lines.push(`  ${shortArn(p.arn)}: ${qualifier(p)}`);
  }
  const count = (d: string) => answer.principals.filter((p) => p.decision === d).length;
  lines.push(
    '',
    `${answer.principals.length} principal${answer.principals.length === 1 ? '' : 's'}: ${count('allowed')} allowed, ${count('conditional')} conditional, ${count('partial')} partial` +
      `${count('denied') ? `, ${count('denied')} denied` : ''}. --json lists every path.`,
  );
  return lines.join('\n');
}

function endpointsText(p: PrincipalAccess): string {
  if (!p.endpoints || p.endpoints.length === 0) return 'none';
  return p.endpoints.map((e) => `${e.endpoint} ${e.decision}${e.hops > 0 ? ` (${e.hops} hop${e.hops === 1 ? '' : 's'})` : ''}`).join(', ');
}

function qualifier(p: PrincipalAccess): string {
  const parts: string[] = [];
  if (p.partial) {
    const allowed = p.partial.allowedRequests.slice(0, 3).map((r) => r.split('/').slice(1).join('/'));
    parts.push(
      `only some requests, e.g. ${allowed.join(', ')}${p.partial.allowedRequests.length > 3 ? ', …' : ''} (patterns ${p.partial.patterns.join(', ')})`,
    );
  }
  if (p.conditions.length > 0) parts.push(`when ${describePathConditions(p.paths) || describeConditions(p.conditions)}`);
  if (p.direct && p.direct.decision !== p.decision && p.direct.conditions.length > 0)
    parts.push(`its own access only when ${describeConditions(p.direct.conditions)}`);
  return parts.join('; ');
}
