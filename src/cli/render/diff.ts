import { hostname } from 'node:os';
import { widens, type DiffReport, type LabelledChange } from '../../services/review';
import { renderTable } from '../output';
import { csvDocument, junitSeconds, mdCell, mdTable, mdText, xmlEscape, xmlTag, type ReportFormat } from './formats';
import { describePath, shortArn } from './paths';

/**
 * `whocan diff` reports: every changed access (who, what, before → after,
 * with the paths of the side that has the access) as a table, JSON, CSV,
 * Markdown or JUnit XML (one test case per resource whose access changed;
 * it fails when someone gained access there).
 */
export function renderDiff(report: DiffReport, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return diffTable(report);
    case 'json':
      return JSON.stringify(report, null, 2);
    case 'csv':
      return diffCsv(report);
    case 'markdown':
      return diffMarkdown(report);
    case 'junit':
      return diffJunit(report);
  }
}

function side(s: LabelledChange['before']): string {
  return s ? `${s.decision} (${s.hops} hop${s.hops === 1 ? '' : 's'})` : 'no access';
}

function totals(report: DiffReport): string {
  const c = report.counts;
  return `${c.gained} gained, ${c.lost} lost, ${c.changed} changed; ${report.compared} question${report.compared === 1 ? '' : 's'} compared`;
}

function principalName(c: LabelledChange): string {
  const name = shortArn(c.principal);
  return c.principalType === 'user' || c.principalType === 'role' || name === c.principal ? name : `${name} (${c.principalType})`;
}

function what(c: LabelledChange): string {
  return c.kind === 'invoke' ? c.label : c.kind === 'manage' ? `${c.action} ${c.label}` : `assume ${c.label}`;
}

function diffTable(report: DiffReport): string {
  const lines = [`Access changes from snapshot ${report.from} to ${report.to} (${report.origin}): ${totals(report)}`, ''];
  if (report.changes.length === 0) {
    lines.push('No access changed.');
    return lines.join('\n');
  }
  lines.push(
    renderTable(
      ['CHANGE', 'KIND', 'ACCESS', 'PRINCIPAL', 'BEFORE', 'AFTER', 'PATH'],
      report.changes.map((c) => [
        c.change,
        c.kind,
        what(c),
        principalName(c),
        side(c.before),
        side(c.after),
        c.paths[0] ? `${c.change === 'lost' ? 'was: ' : ''}${describePath(c.paths[0])}` : '',
      ]),
    ),
  );
  return lines.join('\n');
}

function diffCsv(report: DiffReport): string {
  return csvDocument(
    [
      'change',
      'kind',
      'action',
      'resource',
      'label',
      'principal',
      'principal_type',
      'before_decision',
      'before_hops',
      'after_decision',
      'after_hops',
      'paths',
    ],
    report.changes.map((c) => [
      c.change,
      c.kind,
      c.action,
      c.resource,
      c.label,
      c.principal,
      c.principalType,
      c.before?.decision ?? null,
      c.before?.hops ?? null,
      c.after?.decision ?? null,
      c.after?.hops ?? null,
      c.paths.map(describePath).join(' | '),
    ]),
  );
}

function diffMarkdown(report: DiffReport): string {
  const out = [
    `# whocan diff: ${mdText(report.from)} → ${mdText(report.to)}`,
    '',
    `${mdText(report.origin)}, ${mdText(report.startedAt)}: ${mdText(totals(report))}.`,
  ];
  if (report.changes.length === 0) {
    out.push('', 'No access changed.');
    return out.join('\n') + '\n';
  }
  for (const [title, kind] of [
    ['Gained', 'gained'],
    ['Lost', 'lost'],
    ['Changed', 'changed'],
  ] as const) {
    const changes = report.changes.filter((c) => c.change === kind);
    if (changes.length === 0) continue;
    out.push('', `## ${title} (${changes.length})`, '');
    out.push(
      mdTable(
        ['Principal', 'Access', 'Before', 'After', kind === 'lost' ? 'Paths (before)' : 'Paths'],
        changes.map((c) => [
          mdCell(principalName(c)),
          mdCell(what(c)),
          mdCell(side(c.before)),
          mdCell(side(c.after)),
          c.paths.map((p) => mdCell(describePath(p))).join('<br>'),
        ]),
      ),
    );
  }
  return out.join('\n') + '\n';
}

function diffJunit(report: DiffReport): string {
  // One test case per resource and action whose access changed.
  const groups = new Map<string, LabelledChange[]>();
  for (const c of report.changes) {
    const key = `${c.action} ${c.resource}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const cases = [...groups.values()];
  const failures = cases.filter((list) => list.some(widens)).length;
  const tests = Math.max(cases.length, 1);
  const time = junitSeconds(report.durationMs);
  const name = `whocan diff ${report.from} → ${report.to}`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    xmlTag('testsuites', { name: 'whocan diff', tests, failures, errors: 0, time }),
    `  ${xmlTag('testsuite', { name, tests, failures, errors: 0, skipped: 0, time, timestamp: report.startedAt.replace(/\.\d+Z$/, 'Z'), hostname: hostname() })}`,
    '    <properties>',
    `      ${xmlTag('property', { name: 'from', value: report.from }, true)}`,
    `      ${xmlTag('property', { name: 'to', value: report.to }, true)}`,
    `      ${xmlTag('property', { name: 'origin', value: report.origin }, true)}`,
    '    </properties>',
  ];
  if (cases.length === 0) {
    out.push(`    ${xmlTag('testcase', { name: 'no access changed', classname: 'whocan.diff', time: '0.000' })}`);
    out.push(`      <system-out>${xmlEscape(totals(report))}</system-out>`, '    </testcase>');
  }
  for (const list of cases) {
    const first = list[0]!;
    const text = list
      .map((c) =>
        [
          `${c.change}: ${c.principal} (${c.principalType}): ${side(c.before)} → ${side(c.after)}`,
          ...c.paths.map((p) => `  ${c.change === 'lost' ? 'was: ' : 'path: '}${describePath(p)}`),
        ].join('\n'),
      )
      .join('\n');
    out.push(
      `    ${xmlTag('testcase', { name: `${first.action} ${first.label}`, classname: `whocan.diff.${first.kind}`, time: '0.000' })}`,
    );
    const gained = list.filter(widens);
    if (gained.length > 0) {
      out.push(
        `      ${xmlTag('failure', { message: `${gained.length} principal${gained.length === 1 ? '' : 's'} gained access (${first.action} on ${first.resource})`, type: 'access-gained' })}${xmlEscape(text)}</failure>`,
      );
    } else {
      out.push(`      <system-out>${xmlEscape(text)}</system-out>`);
    }
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
