import type { RolePathsAnswer } from '../../services';
import { describeConditions, describePath, shortArn } from './paths';

export function renderRolePaths(answer: RolePathsAnswer & { snapshot?: string }): string {
  const lines = [`How can ${shortArn(answer.from)} become ${shortArn(answer.to)}?`];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  if (!answer.reachable) return [...lines, '', 'It cannot (within the role hops followed).'].join('\n');
  lines.push(`  ${answer.decision}, ${answer.hops} hop(s) on the shortest chain${answer.conditions.length ? `; when ${describeConditions(answer.conditions)}` : ''}`, '');
  answer.paths.forEach((p, i) => lines.push(`  ${i + 1}. ${describePath(p) || '(the same principal)'}`));
  if (answer.morePaths) lines.push('  … more chains exist (raise --max-paths)');
  return lines.join('\n');
}
