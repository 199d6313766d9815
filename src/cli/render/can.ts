import type { CanAnswer } from '../../services';
import { renderTable } from '../output';
import { describeConditions, describePath, indent, policyName, shortArn } from './paths';

export function renderCan(answer: CanAnswer & { snapshot?: string }): string {
  const lines = [
    `Can ${shortArn(answer.principal)} (${answer.principalType}) do ${answer.action} on ${answer.resource}?`,
    `  ${answer.overall.decision.toUpperCase()}${answer.overall.hops ? ` (through roles, ${answer.overall.hops} hop${answer.overall.hops === 1 ? '' : 's'})` : ''}` +
      `${answer.decision !== answer.overall.decision ? `; on its own: ${answer.decision}` : ''}`,
  ];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  if (answer.conditions.length) lines.push(`  when ${describeConditions(answer.conditions)}`);
  if (answer.partial) lines.push(`  partial: only requests such as ${answer.partial.allowedRequests.slice(0, 3).join(', ')}`);
  for (const r of answer.requests) {
    lines.push(
      '',
      `Request ${r.request}: ${r.decision}${r.flow ? ` (API Gateway flow: ${r.flow})` : ''}${r.endpoint ? ` through VPC endpoint ${r.endpoint}` : ''}`,
    );
    if (r.layers.length)
      lines.push(
        `  layers: ${r.layers.map((l) => `${l.layer} ${l.applies ? (l.allows === true ? 'allows' : l.allows === false ? 'does not allow' : 'allows conditionally') : `exempt (${l.exemptReason ?? ''})`}`).join('; ')}`,
      );
    if (r.statements.length) {
      lines.push(
        indent(
          renderTable(
            ['POLICY TYPE', 'POLICY', 'STATEMENT', 'EFFECT', 'CONDITIONAL'],
            r.statements.map((s) => [
              s.policyType,
              s.policyName ?? policyName(s.policy),
              s.statement,
              s.effect,
              s.conditional ? 'yes' : '',
            ]),
          ),
        ),
      );
    }
    if (r.missingContextKeys.length) lines.push(`  decided without: ${r.missingContextKeys.join(', ')} (give them with --context)`);
    for (const note of r.notes) lines.push(`  note: ${note}`);
  }
  if (answer.paths.length) {
    lines.push('', 'Paths:');
    for (const p of answer.paths) lines.push(`  ${describePath(p)}`);
  }
  if (answer.throughRoles) {
    lines.push('', `Through roles (${answer.throughRoles.decision}):`);
    lines.push(
      indent(
        renderTable(
          ['ROLE', 'HOPS', 'DECISION', 'PATH'],
          answer.throughRoles.roles.map((r) => [shortArn(r.role), String(r.hops), r.decision, describePath(r.path)]),
        ),
      ),
    );
  }
  return lines.join('\n');
}
