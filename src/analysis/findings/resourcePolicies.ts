/** Findings on API resource policies: open to everyone, or granting other accounts. */
import { accountOfArn, statementMatchesAction, type CompiledStatement } from '../../policy';
import { statementLabel, type ConditionSummary } from '../answer';
import type { AnalysisInputs } from '../whoCan';
import { finding, type Finding, type FindingKind } from './finding';

/** Resource policy statements that allow everyone, or other accounts, to invoke. */
export function resourcePolicyFindings(parts: AnalysisInputs, kinds: Set<FindingKind>): Finding[] {
  const out: Finding[] = [];
  for (const api of parts.model.apis.values()) {
    const policy = api.resourcePolicy;
    if (!policy || policy.unknown) continue;
    const apiArn = api.row.key;
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !statementMatchesAction(statement, 'execute-api:invoke')) continue;
      const el = statement.principal;
      if (!el) continue;
      const label = statementLabel(statement.ref);
      const conditions = statementConditions(statement, policy.source.id, label);
      const resources = statement.resource?.values ?? ['*'];
      if (kinds.has('open-resource-policy') && (el.bareWildcard || el.awsWildcard || el.negated)) {
        const privateApi = api.row.endpointType === 'PRIVATE';
        out.push(
          finding({
            kind: 'open-resource-policy',
            // A private API is reachable only through VPC endpoints; its policy's denies usually narrow it further.
            severity: conditions.length === 0 && !privateApi ? 'high' : 'medium',
            title: `${api.row.name ?? api.row.id}: resource policy statement ${label} allows ${el.negated ? 'everyone but the principals it lists' : 'every principal ("*")'}`,
            detail: `Allows execute-api:Invoke on ${resources.join(', ')} to any AWS account's principals (and, on methods without IAM authorization, to anonymous callers)${conditions.length ? ', under its conditions' : ''}. Check the conditions (aws:SourceIp, aws:SourceVpce, aws:PrincipalOrgID) that are meant to narrow it.`,
            resource: `${apiArn}#${label}`,
            principal: null,
            decision: conditions.length ? 'conditional' : 'allowed',
            conditions,
            related: [...resources],
          }),
        );
      }
      if (kinds.has('cross-account-grant')) {
        const accounts = new Set<string>([...el.accounts, ...[...el.arns].map((arn) => accountOfArn(arn) ?? '')]);
        for (const account of [...accounts].sort()) {
          if (!account || account === api.row.account) continue;
          const row = parts.model.accounts.get(account);
          const inOrg = row?.inOrganization ?? false;
          out.push(
            finding({
              kind: 'cross-account-grant',
              severity: inOrg ? 'low' : 'medium',
              title: `${api.row.name ?? api.row.id}: resource policy statement ${label} allows account ${account}${inOrg ? ' (in the organization)' : ' (outside the organization)'}`,
              detail: `Principals of ${account} whose own policies allow may invoke ${resources.join(', ')}. Cross-account access needs both sides; whocan cannot see that account's policies unless it was ingested.`,
              resource: `${apiArn}#${label}`,
              principal: `arn:aws:iam::${account}:root`,
              decision: conditions.length ? 'conditional' : 'allowed',
              conditions,
              related: [...resources],
            }),
          );
        }
      }
    }
  }
  return out;
}

function statementConditions(statement: CompiledStatement, policy: string, label: string): ConditionSummary[] {
  const raw = statement.raw['Condition'];
  if (!raw || typeof raw !== 'object') return [];
  const clauses: ConditionSummary['clauses'] = [];
  for (const [operator, block] of Object.entries(raw as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      clauses.push({
        key,
        operator,
        values: (Array.isArray(values) ? values : [values]).map(String),
        effect: statement.effect,
        policy,
        statement: label,
      });
    }
  }
  return clauses.length
    ? [
        {
          when: clauses.map((c) => `${c.operator} ${c.key} ${JSON.stringify(c.values)}`).join(' AND '),
          keys: clauses.map((c) => c.key.toLowerCase()),
          clauses,
        },
      ]
    : [];
}
