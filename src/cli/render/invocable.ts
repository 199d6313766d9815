import type { InvocableAnswer } from '../../services';
import { renderTable } from '../output';
import { describeConditions, describePath, shortArn } from './paths';

export function renderInvocable(answer: InvocableAnswer & { snapshot?: string }): string {
  const lines = [
    `What can ${shortArn(answer.principal)} (${answer.principalType}) invoke? ${answer.methods.length} method(s), itself or through ${answer.rolesReached} role(s) it can become`,
  ];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  lines.push('');
  if (answer.methods.length === 0) return [...lines, 'Nothing.'].join('\n');
  lines.push(
    renderTable(
      ['API', 'STAGE', 'METHOD', 'AUTH', 'DECISION', 'HOPS', 'VIA', 'PATH'],
      answer.methods.map((m) => [
        `${m.apiName ?? m.api} (${m.api})`,
        m.stage,
        m.verb === '$default' ? '$default' : `${m.verb} ${m.path}`,
        m.authorizationType,
        m.decision + (m.conditions.length ? ` if ${describeConditions(m.conditions)}` : ''),
        String(m.hops),
        m.hops === 0 ? '(itself)' : shortArn(m.via),
        describePath(m.accessPath),
      ]),
    ),
  );
  return lines.join('\n');
}
