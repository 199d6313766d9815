import type { ReachableRolesAnswer, RolePathsAnswer } from '../../services';
import { describeConditions, describePath, shortArn } from './paths';

export function renderRolePaths(answer: RolePathsAnswer & { snapshot?: string }): string {
  const lines = [`How can ${shortArn(answer.from)} become ${shortArn(answer.to)}?`];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  if (!answer.reachable) return [...lines, '', 'It cannot (within the role hops followed).'].join('\n');
  lines.push(
    `  ${answer.decision}, ${answer.hops} hop(s) on the shortest chain${answer.conditions.length ? `; when ${describeConditions(answer.conditions)}` : ''}`,
    '',
  );
  answer.paths.forEach((p, i) => lines.push(`  ${i + 1}. ${describePath(p) || '(the same principal)'}`));
  if (answer.morePaths) lines.push('  … more chains exist (raise --max-paths)');
  return lines.join('\n');
}

export function renderReachableRoles(answer: ReachableRolesAnswer & { snapshot?: string }): string {
  const lines = [`Which roles can ${shortArn(answer.principal)} become?`];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  if (answer.roles.length === 0) return [...lines, '', 'None (within the role hops followed).'].join('\n');
  lines.push('');
  for (const r of answer.roles) {
    lines.push(
      `  ${shortArn(r.role)}: ${r.decision}, ${r.hops} hop(s)${r.conditions.length ? `; when ${describeConditions(r.conditions)}` : ''}`,
    );
    lines.push(`    ${describePath(r.path)}`);
  }
  return lines.join('\n');
}
