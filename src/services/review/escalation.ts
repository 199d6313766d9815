/** The no-escalation rule: checked on the snapshot's escalation-via-apigateway findings, not on questions. */
import { atLeastAsSevere, type CallerType, type Finding } from '../../analysis';
import { countsAsAccess } from './collected';
import { plural } from './labels';
import { matchesAny } from './principals';
import type { RuleOutcome, Violation, ViolatingAccess } from './report';
import { escalationScope } from './resolve';
import type { Rule, RuleSeverity } from './rules';
import type { ReviewRun } from './run';

/**
 * escalation-via-apigateway findings (of the rule's APIs, at or above its
 * severity): the principal of each, and whoever can become that principal
 * when it is a role.
 */
export async function checkEscalation(run: ReviewRun, rule: Rule, minSeverity: RuleSeverity): Promise<RuleOutcome> {
  const scope = escalationScope(rule, run.inventory.apis);
  const findings = (await run.escalations()).filter(
    (f) =>
      f.principal !== null &&
      atLeastAsSevere(f.severity, minSeverity) &&
      (scope === null ||
        [...scope].some(
          (api) => f.resource === api || f.resource.startsWith(`${api}#`) || f.resource.startsWith(`${api}/`) || f.related.includes(api),
        )),
  );
  const byPrincipal = new Map<string, { type: CallerType; reason: string; access: ViolatingAccess[] }>();
  const add = (arn: string, type: CallerType, reason: string, access: ViolatingAccess) => {
    const entry = byPrincipal.get(arn) ?? { type, reason, access: [] };
    entry.access.push(access);
    byPrincipal.set(arn, entry);
  };
  let questions = 0;
  const principals = new Set<string>();
  for (const f of findings) {
    const arn = f.principal!;
    const type: CallerType = /:role\//.test(arn) ? 'role' : 'user';
    if (await matchesAny(run, rule.except, { arn, type })) continue;
    const finding = { id: f.id, kind: f.kind, severity: f.severity, title: f.title, detail: f.detail, related: f.related };
    const label = escalationLabel(f);
    if (countsAsAccess(rule, f.decision)) {
      principals.add(arn);
      add(arn, type, 'can escalate through API Gateway', {
        action: f.kind,
        resource: f.resource,
        label,
        decision: f.decision,
        hops: 0,
        conditions: f.conditions,
        paths: f.paths.slice(0, run.maxPaths),
        finding,
      });
    }
    if (type !== 'role') continue;
    // Whoever can become the role can do what it does.
    questions++;
    const chain = await run.ask({ action: 'sts:AssumeRole', resource: arn, label: `assume ${arn}` }, rule, undefined, run.maxPaths);
    for (const p of chain.principals) {
      if (!countsAsAccess(rule, p.decision) || (await matchesAny(run, rule.except, p))) continue;
      principals.add(p.arn);
      add(p.arn, p.type, 'can escalate through API Gateway by becoming a role that can', {
        action: f.kind,
        resource: f.resource,
        label: `${label}, as ${arn.replace(/^.*:role\/(?:.*\/)?/, 'role/')}`,
        decision: p.decision,
        hops: p.hops + 1,
        conditions: p.conditions,
        paths: p.paths.slice(0, run.maxPaths),
        ...(p.morePaths || p.paths.length > run.maxPaths ? { morePaths: true } : {}),
        finding,
      });
    }
  }
  const all = [...byPrincipal].sort(([a], [b]) => a.localeCompare(b));
  const violations: Violation[] = run
    .listing(all, (v) => v.access.length)
    .map(([principal, v, n]) => ({
      principal,
      principalType: v.type,
      reason: v.reason,
      access: v.access.slice(0, n),
      accessCount: v.access.length,
      ...(v.access.length > n ? { truncated: true as const } : {}),
    }));
  const truncated = all.length > violations.length || violations.some((v) => v.truncated);
  const where = scope === null ? 'every API' : `${plural(scope.size, 'API')}`;
  return {
    status: all.length ? 'fail' : 'pass',
    summary: all.length
      ? `${plural(all.length, 'principal')} can escalate through API Gateway (${plural(findings.length, 'finding')} on ${where})`
      : `no escalation through API Gateway on ${where}${minSeverity === 'low' ? '' : ` at severity ${minSeverity} or higher`}`,
    questions: questions + 1,
    principals: principals.size,
    violations,
    violationCount: all.length,
    ...(truncated ? { truncated: true as const } : {}),
    answeredFrom: 'analysis',
  };
}

/** What an escalation finding lets its principal do, in a few words: its title without the principal ("change the authorization of methods of 4 APIs"). */
function escalationLabel(f: Finding): string {
  return f.title.replace(/^(?:user|role) \S+ can /, '');
}
