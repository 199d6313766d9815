import type { CallerReachAnswer, FunctionReachAnswer } from '../../services';
import { renderTable } from '../output';
import { describePath, shortArn } from './paths';

export function renderCallerReach(answer: CallerReachAnswer & { snapshot?: string }): string {
  const lines = [`Backends ${shortArn(answer.principal)} reaches through API methods: ${answer.backends.length}`];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  lines.push('');
  if (answer.backends.length === 0) return [...lines, 'None.'].join('\n');
  lines.push(
    renderTable(
      ['FUNCTION', 'THROUGH', 'AS', 'DECISION', 'DIRECTLY', 'PATH'],
      answer.backends.map((b) => [
        b.functionName ?? b.function,
        `${b.method.apiName ?? b.method.api}/${b.method.stage} ${b.method.verb === '$default' ? '$default' : `${b.method.verb} ${b.method.path}`}`,
        b.mode === 'role' ? shortArn(b.role ?? '') : b.mode === 'caller' ? 'the caller' : 'function policy',
        b.decision,
        b.directly,
        describePath(b.path),
      ]),
    ),
  );
  const indirect = answer.backends.filter((b) => b.directly === 'denied');
  if (indirect.length)
    lines.push(
      '',
      `${new Set(indirect.map((b) => b.function)).size} function(s) are reachable only through an API (the caller may not invoke them directly).`,
    );
  return lines.join('\n');
}

export function renderFunctionReach(answer: FunctionReachAnswer & { snapshot?: string }): string {
  const lines = [`Who reaches Lambda function ${answer.functionName ?? answer.function}?`];
  if (answer.snapshot) lines.push(`  snapshot ${answer.snapshot}`);
  lines.push('');
  if (answer.principals.length === 0) lines.push('Nobody.');
  else
    lines.push(
      renderTable(
        ['PRINCIPAL', 'TYPE', 'DECISION', 'HOPS', 'WAYS'],
        answer.principals.map((p) => [
          shortArn(p.arn),
          p.type,
          p.decision,
          String(p.hops),
          p.ways.map((w) => (w === 'direct' ? 'directly' : w.split(':').slice(5).join(':'))).join(', '),
        ]),
      ),
    );
  for (const t of answer.throughApis) {
    lines.push(
      '',
      `Through ${t.method.apiName ?? t.method.api}/${t.method.stage} ${t.method.verb} ${t.method.path} (${t.mode === 'role' ? `as ${shortArn(t.role ?? '')}` : t.mode === 'caller' ? "with the caller's credentials" : 'allowed by the function policy'}): integration ${t.integration}, ${t.principals.length} principal(s)`,
    );
    for (const note of t.notes) lines.push(`  note: ${note}`);
    for (const p of t.principals.slice(0, 5)) lines.push(`  ${shortArn(p.arn)}: ${p.paths[0] ? describePath(p.paths[0]) : ''}`);
    if (t.principals.length > 5) lines.push(`  … ${t.principals.length - 5} more (--json lists them)`);
  }
  return lines.join('\n');
}
