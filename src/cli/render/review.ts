import { hostname } from 'node:os';
import path from 'node:path';
import type { ReviewReport, RuleResult, Violation, ViolatingAccess } from '../../services/review';
import { renderTable } from '../output';
import { csvDocument, junitSeconds, mdCell, mdTable, mdText, xmlEscape, xmlTag, type ReportFormat } from './formats';
import { describeConditions, describePath, indent, shortArn } from './paths';

/**
 * `whocan review` reports: a table for people on a terminal, and JSON, CSV,
 * Markdown and JUnit XML for machines and review documents. Every format
 * lists each violation's principal and the paths of its access.
 */
export function renderReview(report: ReviewReport, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return reviewTable(report);
    case 'json':
      return JSON.stringify(report, null, 2);
    case 'csv':
      return reviewCsv(report);
    case 'markdown':
      return reviewMarkdown(report);
    case 'junit':
      return reviewJunit(report);
  }
}

/** Access rows shown per violation on a terminal (every format for machines lists them all). */
const TABLE_ACCESS_LIMIT = 5;

/** How an access holds: the decision, with the conditions or the partial coverage. */
export function accessQualifier(a: Pick<ViolatingAccess, 'decision' | 'conditions' | 'partial'>): string {
  const parts: string[] = [];
  if (a.partial) {
    parts.push(
      a.partial.allowedRequests?.length
        ? `only some requests, e.g. ${a.partial.allowedRequests
            .slice(0, 2)
            .map((r) => r.split('/').slice(1).join('/'))
            .join(', ')}`
        : `only some requests (${a.partial.patterns.join(', ')})`,
    );
  }
  if (a.conditions.length > 0) parts.push(`when ${describeConditions(a.conditions)}`);
  return parts.join('; ');
}

function hopsText(n: number): string {
  return `${n} hop${n === 1 ? '' : 's'}`;
}

function principalName(v: Pick<Violation, 'principal' | 'principalType'>): string {
  const name = shortArn(v.principal);
  return v.principalType === 'user' || v.principalType === 'role' || name === v.principal ? name : `${name} (${v.principalType})`;
}

function shortestPath(a: ViolatingAccess): string {
  if (a.paths[0]) return describePath(a.paths[0]);
  return a.finding ? `its own rights (finding ${a.finding.severity}: ${a.finding.kind})` : '';
}

/** The qualifier of an access that its shortest path does not already show (a path shows its hops' conditions). */
function unshownQualifier(a: ViolatingAccess): string {
  const pathShowsConditions = a.paths[0]?.some((h) => (h.conditions?.length ?? 0) > 0) ?? false;
  return accessQualifier({ ...a, conditions: pathShowsConditions ? [] : a.conditions });
}

/** What a rule's report leaves out of its violations (empty when nothing). */
function moreViolations(r: RuleResult): string {
  const left = r.violationCount - r.violations.length;
  return left > 0 ? `… and ${left} more principal${left === 1 ? '' : 's'} breaking the rule (--max-violations or --all list more)` : '';
}

function status(r: RuleResult): string {
  return r.status === 'pass' ? 'pass' : 'FAIL';
}

function reviewTable(report: ReviewReport): string {
  const lines: string[] = [`Review of ${report.file} · snapshot ${report.snapshot} · ${report.origin}`, ''];
  lines.push(
    renderTable(
      ['RESULT', 'RULE', 'SEVERITY', 'OWNER', 'SUMMARY'],
      report.results.map((r) => [status(r), r.id, r.severity, r.owner ?? '', r.summary]),
    ),
  );
  for (const r of report.results.filter((x) => x.status === 'fail')) {
    lines.push('', `FAIL ${r.id} · ${r.severity}${r.owner ? ` · owner ${r.owner}` : ''} · ${r.file}:${r.line}`);
    if (r.description) lines.push(`  ${r.description}`);
    lines.push(`  expects ${r.expectation}; selects ${r.selection}`);
    for (const v of r.violations) {
      lines.push('', `  ${principalName(v)}: ${v.reason}`);
      const shown = v.access.slice(0, TABLE_ACCESS_LIMIT);
      const rows = shown.map((a) => [a.label, a.decision, hopsText(a.hops), shortestPath(a)]);
      lines.push(indent(renderTable(['ACCESS', 'DECISION', 'HOPS', 'SHORTEST PATH'], rows), 4));
      for (const a of shown) {
        const q = unshownQualifier(a);
        if (q) lines.push(`    ${a.label}: ${q}`);
      }
      if (v.accessCount > shown.length)
        lines.push(
          `    … and ${v.accessCount - shown.length} more (${v.truncated ? '--max-access or --all list more' : '--format json lists every access and path'})`,
        );
    }
    const more = moreViolations(r);
    if (more) lines.push('', `  ${more}`);
  }
  const c = report.counts;
  lines.push(
    '',
    `${c.rules} rule${c.rules === 1 ? '' : 's'}: ${c.passed} passed, ${c.failed} failed (${c.violations} violation${c.violations === 1 ? '' : 's'}).`,
  );
  return lines.join('\n');
}

function reviewCsv(report: ReviewReport): string {
  const header = [
    'rule',
    'status',
    'severity',
    'owner',
    'file',
    'line',
    'summary',
    'principal',
    'principal_type',
    'reason',
    'action',
    'resource',
    'decision',
    'hops',
    'conditions',
    'paths',
  ];
  const rows: (string | number | null)[][] = [];
  for (const r of report.results) {
    const head = [r.id, r.status, r.severity, r.owner, r.file, r.line, r.summary];
    if (r.violations.length === 0) rows.push([...head, null, null, null, null, null, null, null, null, null]);
    for (const v of r.violations) {
      for (const a of v.access) {
        rows.push([
          ...head,
          v.principal,
          v.principalType,
          v.reason,
          a.action,
          a.resource,
          a.decision,
          a.hops,
          accessQualifier(a),
          a.paths.length ? a.paths.map(describePath).join(' | ') : (a.finding?.title ?? ''),
        ]);
      }
    }
  }
  return csvDocument(header, rows);
}

function reviewMarkdown(report: ReviewReport): string {
  const c = report.counts;
  const out: string[] = [
    `# whocan review: ${mdText(path.basename(report.file))}`,
    '',
    `Snapshot ${mdText(report.snapshot)} (${mdText(report.origin)}), ${mdText(report.startedAt)}: **${c.failed === 0 ? `all ${c.rules} rules hold` : `${c.failed} of ${c.rules} rules failed`}** (${c.violations} violation${c.violations === 1 ? '' : 's'}).`,
    '',
    mdTable(
      ['Result', 'Rule', 'Severity', 'Owner', 'Summary'],
      report.results.map((r) => [
        r.status === 'pass' ? 'pass' : '**FAIL**',
        mdCell(r.id),
        r.severity,
        mdCell(r.owner ?? ''),
        mdCell(r.summary),
      ]),
    ),
  ];
  for (const r of report.results.filter((x) => x.status === 'fail')) {
    out.push('', `## FAIL: ${mdText(r.id)}`, '');
    if (r.description) out.push(mdText(r.description), '');
    out.push(
      `Severity ${r.severity}${r.owner ? `, owner ${mdText(r.owner)}` : ''}, ${mdText(`${r.file}:${r.line}`)}. Expects ${mdText(r.expectation)}; selects ${mdText(r.selection)}.`,
      '',
    );
    const rows: string[][] = [];
    for (const v of r.violations) {
      v.access.forEach((a, i) => {
        rows.push([
          i === 0 ? mdCell(principalName(v)) : '',
          i === 0 ? mdCell(v.reason) : '',
          mdCell(a.label),
          mdCell([a.decision, accessQualifier(a)].filter(Boolean).join(': ')),
          String(a.hops),
          a.paths.length ? a.paths.map((p) => mdCell(describePath(p))).join('<br>') : mdCell(a.finding ? a.finding.detail : ''),
        ]);
      });
    }
    out.push(mdTable(['Principal', 'Why', 'Access', 'Decision', 'Hops', 'Paths'], rows));
    const left = r.violations.filter((v) => v.truncated).map((v) => `${mdText(principalName(v))}: ${v.accessCount - v.access.length} more`);
    if (left.length) out.push('', `Accesses not listed: ${left.join('; ')}.`);
    const more = moreViolations(r);
    if (more) out.push('', mdText(more));
  }
  return out.join('\n') + '\n';
}

/** The failure text of a rule: every violation with its access and paths. */
function failureText(r: RuleResult): string {
  const lines: string[] = [r.summary, `expects ${r.expectation}; selects ${r.selection}; ${r.file}:${r.line}`];
  for (const v of r.violations) {
    lines.push('', `${v.principal} (${v.principalType}): ${v.reason}`);
    for (const a of v.access) {
      const q = accessQualifier(a);
      lines.push(`  ${a.label}: ${a.decision}${q ? ` (${q})` : ''}, ${hopsText(a.hops)}`);
      for (const p of a.paths) lines.push(`    path: ${describePath(p)}`);
      if (a.finding) lines.push(`    finding: ${a.finding.detail}`);
      if (a.morePaths) lines.push('    (more paths exist)');
    }
    if (v.truncated)
      lines.push(`  … and ${v.accessCount - v.access.length} more access${v.accessCount - v.access.length === 1 ? '' : 'es'}`);
  }
  const more = moreViolations(r);
  if (more) lines.push('', more);
  return lines.join('\n');
}

/**
 * JUnit XML (the schema Jenkins, GitLab and GitHub test reporters read):
 * one test suite for the rules file, one test case per rule, a `failure`
 * per violated rule whose message is the rule's summary and whose text lists
 * every violation with its paths.
 */
function reviewJunit(report: ReviewReport): string {
  const c = report.counts;
  const time = junitSeconds(report.durationMs);
  const classname = `whocan.review.${path
    .basename(report.file)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    xmlTag('testsuites', { name: 'whocan review', tests: c.rules, failures: c.failed, errors: 0, time }),
    `  ${xmlTag('testsuite', { name: report.file, tests: c.rules, failures: c.failed, errors: 0, skipped: 0, time, timestamp: report.startedAt.replace(/\.\d+Z$/, 'Z'), hostname: hostname() })}`,
    '    <properties>',
    `      ${xmlTag('property', { name: 'snapshot', value: report.snapshot }, true)}`,
    `      ${xmlTag('property', { name: 'origin', value: report.origin }, true)}`,
    '    </properties>',
  ];
  for (const r of report.results) {
    out.push(`    ${xmlTag('testcase', { name: r.id, classname, file: r.file, line: r.line, time: junitSeconds(r.durationMs) })}`);
    out.push('      <properties>');
    for (const [name, value] of [
      ['severity', r.severity],
      ['owner', r.owner ?? undefined],
      ['description', r.description ?? undefined],
      ['expectation', r.expectation],
      ['selection', r.selection],
    ] as const) {
      if (value !== undefined) out.push(`        ${xmlTag('property', { name, value }, true)}`);
    }
    out.push('      </properties>');
    if (r.status === 'fail') {
      out.push(`      ${xmlTag('failure', { message: r.summary, type: `violation:${r.severity}` })}${xmlEscape(failureText(r))}</failure>`);
    } else {
      out.push(`      <system-out>${xmlEscape(r.summary)}</system-out>`);
    }
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
