/**
 * What a security review should look at first, found on the whole snapshot
 * and decided by the engine: FINDING_KIND_DESCRIPTIONS says what each kind
 * of finding is.
 */
import { runToEnd, type Work } from './work';
import type { AnalysisInputs } from './whoCan';
import { escalationFindings, broadIntegrationRoleFindings, FunctionIndex } from './findings/escalation';
import { SEVERITY_RANK, type Finding, type FindingsAnswer, type FindingsOptions, type Severity, FINDING_KINDS } from './findings/finding';
import { methodFindings } from './findings/methods';
import { resourcePolicyFindings } from './findings/resourcePolicies';
import { wildcardFindings } from './findings/wildcards';

export {
  FINDING_KIND_DESCRIPTIONS,
  FINDING_KINDS,
  SEVERITY_DESCRIPTIONS,
  atLeastAsSevere,
  type Finding,
  type FindingKind,
  type FindingsAnswer,
  type FindingsOptions,
  type Severity,
} from './findings/finding';

export function findings(parts: AnalysisInputs, options: FindingsOptions = {}): FindingsAnswer {
  return runToEnd(findingsWork(parts, options));
}

/** The findings as work that yields between APIs, accounts and roles (see work.ts). */
export function* findingsWork(parts: AnalysisInputs, options: FindingsOptions = {}): Work<FindingsAnswer> {
  const started = performance.now();
  const kinds = new Set(options.kinds ?? FINDING_KINDS);
  const out: Finding[] = [];
  const counter = { decisions: 0 };
  if (kinds.has('public-method') || kinds.has('broken-integration')) out.push(...(yield* methodFindings(parts, kinds, counter)));
  if (kinds.has('open-resource-policy') || kinds.has('cross-account-grant')) out.push(...resourcePolicyFindings(parts, kinds));
  if (kinds.has('wildcard-invoke')) out.push(...(yield* wildcardFindings(parts, 'invoke', counter)));
  if (kinds.has('wildcard-manage')) out.push(...(yield* wildcardFindings(parts, 'manage', counter)));
  const functions = kinds.has('escalation-via-apigateway') || kinds.has('broad-integration-role') ? new FunctionIndex(parts) : undefined;
  if (kinds.has('escalation-via-apigateway')) out.push(...(yield* escalationFindings(parts, functions!, counter)));
  if (kinds.has('broad-integration-role')) out.push(...(yield* broadIntegrationRoleFindings(parts, functions!, counter)));
  out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of out) counts[f.severity]++;
  return { findings: out, counts, stats: { ms: Math.round(performance.now() - started), decisions: counter.decisions } };
}
