import type { FindingsAnswer } from '../../services';
import { renderTable } from '../output';
import { describeConditions, shortArn } from './paths';

export function renderFindings(answer: FindingsAnswer & { snapshot?: string }): string {
  const lines = [`Findings: ${answer.counts.high} high, ${answer.counts.medium} medium, ${answer.counts.low} low`];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  lines.push('');
  if (answer.findings.length === 0) return [...lines, 'None.'].join('\n');
  lines.push(
    renderTable(
      ['SEVERITY', 'KIND', 'FINDING', 'WHEN'],
      answer.findings.map((f) => [f.severity, f.kind, f.title, f.conditions.length ? describeConditions(f.conditions) : '']),
    ),
  );
  lines.push('', '--json gives each finding its details, the ARNs involved and the paths.');
  const principals = new Set(answer.findings.map((f) => f.principal).filter((p): p is string => p !== null));
  if (principals.size)
    lines.push(`Principals involved: ${[...principals].slice(0, 10).map(shortArn).join(', ')}${principals.size > 10 ? ', …' : ''}`);
  return lines.join('\n');
}
