/** Findings on principals allowed on every API of their account, present and future. */
import type { PrincipalEntry } from '../accessModel';
import { conditionSummary, statementLabel, type AccessPath } from '../answer';
import { decide, type Decision } from '../decide';
import type { Work } from '../work';
import { decisionOfLevel, Level, levelOf } from '../levels';
import type { AnalysisInputs } from '../whoCan';
import { finding, PROBE, type Finding } from './finding';

/** Regions (per account) that have APIs: where a wildcard grant matters. */
function apiRegionsByAccount(parts: AnalysisInputs): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const api of parts.model.apis.values()) {
    const set = out.get(api.row.account) ?? new Set();
    set.add(api.row.region);
    out.set(api.row.account, set);
  }
  return out;
}

/** Principals allowed to invoke, or to change, every API of their own account: decided on an API id that does not exist. */
export function* wildcardFindings(parts: AnalysisInputs, what: 'invoke' | 'manage', counter: { decisions: number }): Work<Finding[]> {
  const out: Finding[] = [];
  const regions = apiRegionsByAccount(parts);
  const actions =
    what === 'invoke' ? ['execute-api:Invoke'] : ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];
  const verbs = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  // Invoke probes: an API id that does not exist, on a stage that does not exist (every stage), then on
  // each stage name the account uses (grants such as `*/prod/*` cover that stage of every API).
  const stagesOf = new Map<string, Set<string>>();
  for (const api of parts.model.apis.values()) {
    const key = `${api.row.account}/${api.row.region}`;
    const set = stagesOf.get(key) ?? new Set();
    for (const stage of api.stages) set.add(stage.name);
    stagesOf.set(key, set);
  }
  // One probe per verb (a grant may cover only GETs), named by the verb in what is reported.
  const probes = (account: string, region: string): { resources: { resource: string; label: string }[]; scope: string }[] =>
    what === 'invoke'
      ? [PROBE, ...[...(stagesOf.get(`${account}/${region}`) ?? [])].sort()].map((stage) => ({
          resources: verbs.map((verb) => ({
            resource: `arn:aws:execute-api:${region}:${account}:${PROBE}/${stage}/${verb}/${PROBE}`,
            label: verb,
          })),
          scope: stage === PROBE ? 'every API method' : `every API's ${stage} stage`,
        }))
      : [{ resources: [{ resource: `arn:aws:apigateway:${region}::/restapis/${PROBE}`, label: '' }], scope: 'every API' }];
  const model = parts.model;
  for (const [account, accountRegions] of regions) {
    for (const region of [...accountRegions].sort()) {
      const reported = new Set<string>();
      for (const { resources, scope } of probes(account, region)) {
        yield;
        const resource = resources[0]!.resource;
        // Only the account's own principals: a probe API has no resource policy.
        const candidates = new Set<string>();
        for (const action of actions)
          for (const { resource: r } of resources)
            for (const arn of parts.candidates.accountCandidates(account, action, r)) candidates.add(arn);
        for (const arn of [...candidates].sort()) {
          const entry = model.principals.get(arn);
          if (!entry || reported.has(arn)) continue;
          const caller = parts.candidates.universe.principal(arn)!;
          const allowed: { action: string; decision: Decision; label: string }[] = [];
          for (const action of actions) {
            for (const { resource: r, label } of resources) {
              const decision = decide(model, caller, { action, resource: r, resourceAccount: account });
              counter.decisions++;
              if (levelOf(decision) > Level.DENIED)
                allowed.push({ action, decision, label: what === 'invoke' ? label : action.split(':')[1]! });
            }
          }
          if (allowed.length === 0) continue;
          // The broadest scope first: a principal allowed on every stage is not reported again per stage.
          reported.add(arn);
          const level = Math.max(...allowed.map((a) => levelOf(a.decision))) as Level;
          const first = allowed[0]!.decision;
          out.push(
            finding({
              kind: what === 'invoke' ? 'wildcard-invoke' : 'wildcard-manage',
              severity: level === Level.ALLOWED && (what === 'manage' || entry.kind === 'user') ? 'high' : 'medium',
              title: `${entry.kind} ${entry.name} may ${what === 'invoke' ? `invoke ${allowed.length === verbs.length ? '' : `(${allowed.map((a) => a.label).join('/')}) `}${scope}` : `${allowed.map((a) => a.label).join('/')} ${scope}`} in ${account} ${region}, present and future`,
              detail:
                what === 'invoke'
                  ? 'An identity policy grants execute-api:Invoke without naming APIs (decided on an API id that does not exist). Narrow the Resource to the APIs and stages the principal needs.'
                  : 'An identity policy grants API Gateway changes without naming APIs: this principal can change integrations, authorization and resource policies of every API. Narrow it, or check who can become it.',
              resource: resource,
              principal: arn,
              decision: decisionOfLevel(level),
              conditions: first.decision === 'conditional' ? conditionSummary(first.conditional) : [],
              related: allowed.map((a) => (what === 'invoke' ? `${a.action} ${a.label}` : a.action)),
              paths: identityPaths(entry, first),
            }),
          );
        }
      }
    }
  }
  return out;
}

/** user → group → policy → statement paths of a decision's identity allows. */
function identityPaths(entry: PrincipalEntry, decision: Decision): AccessPath[] {
  const paths: AccessPath[] = [];
  for (const s of decision.matchedStatements) {
    if (s.effect !== 'Allow' || s.policyType !== 'identity') continue;
    for (const ref of entry.identityPolicies.filter((p) => p.policy.source.id === s.policyId)) {
      paths.push([
        ...(ref.viaGroup ? [{ kind: 'member-of' as const, from: entry.arn, to: ref.viaGroup }] : []),
        { kind: 'policy', from: ref.viaGroup ?? entry.arn, to: s.policyId, policy: s.policyId },
        { kind: 'statement', from: s.policyId, to: '*', policy: s.policyId, statement: statementLabel(s) },
      ]);
    }
  }
  return paths;
}
