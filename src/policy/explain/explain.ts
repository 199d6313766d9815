import type { ApiGatewayInvokeResult } from '../apigateway/invoke';
import type { AuthorizationResult, ControlPolicyDetail, LayerDetail } from '../evaluate/authorize';
import type { MatchedStatement } from '../evaluate/result';
import { describeStatementRef, describeTruth, describeUnknownPolicy } from '../logic/truth';

/**
 * Human-readable explanations of a decision: which statements decided,
 * whether the organization policies and the boundary allowed, and which
 * context keys were missing.
 */
export function describeMatchedStatement(s: MatchedStatement): string {
  if (s.unknownPolicy === true) {
    return `${s.effect} ${describeUnknownPolicy({ policyId: s.policyId, policyType: s.policyType, name: s.policyName })} [unknown policy: it may ${s.effect === 'Allow' ? 'allow' : 'explicitly deny'} the request]`;
  }
  return `${s.effect} ${describeStatementRef(s)} (${s.policyType}${s.policyName ? ` ${s.policyName}` : ''})${s.conditional ? ' [conditional]' : ''}`;
}

function yesNo(v: LayerDetail['allowed']): string {
  return v === 'conditional' ? 'conditionally' : v ? 'yes' : 'no';
}

/** ` (unknown policy: X, Y)` for a layer with policies whose document is not known. */
function unknownSuffix(d: { readonly unknownPolicies?: readonly string[] }): string {
  const u = d.unknownPolicies;
  return u === undefined || u.length === 0 ? '' : ` (unknown polic${u.length === 1 ? 'y' : 'ies'}: ${u.join(', ')})`;
}

function control(name: string, d: ControlPolicyDetail | undefined): string | undefined {
  if (d === undefined) return undefined;
  if (!d.applies) return `${name}: not applied (${d.exemptReason ?? 'exempt'})`;
  return `${name}: ${d.allowed === 'conditional' ? 'allow conditionally' : d.allowed ? 'allow' : 'do not allow'} (levels, root first: ${d.levels.map(yesNo).join(', ')})${unknownSuffix(d)}`;
}

/** The per-layer lines (without the decision line) of an authorization. */
function layerLines(r: AuthorizationResult): string[] {
  const lines: string[] = [];
  lines.push(
    `principal account ${r.principalAccount ?? '(none)'}, resource account ${r.resourceAccount || '(none)'}: ${r.sameAccount ? 'same account' : 'not the same account'}`,
  );
  if (r.identity.present) lines.push(`identity policies allow: ${yesNo(r.identity.allowed)}${unknownSuffix(r.identity)}`);
  if (r.permissionsBoundary.present)
    lines.push(`permissions boundary allows: ${yesNo(r.permissionsBoundary.allowed)}${unknownSuffix(r.permissionsBoundary)}`);
  if (r.sessionPolicy.present) lines.push(`session policy allows: ${yesNo(r.sessionPolicy.allowed)}${unknownSuffix(r.sessionPolicy)}`);
  if (r.resourcePolicy.present)
    lines.push(
      `${r.trustPolicyEvaluation ? 'trust' : 'resource'} policy allows: ${yesNo(r.resourcePolicy.allowed)}${unknownSuffix(r.resourcePolicy)}`,
    );
  if (r.vpcEndpointPolicy.present)
    lines.push(`VPC endpoint policy allows: ${yesNo(r.vpcEndpointPolicy.allowed)}${unknownSuffix(r.vpcEndpointPolicy)}`);
  const scp = control('SCPs', r.organizations.scp);
  if (scp) lines.push(scp);
  const rcp = control('RCPs', r.organizations.rcp);
  if (rcp) lines.push(rcp);
  return lines;
}

function tail(conditional: AuthorizationResult['conditional'], missing: readonly string[], notes: readonly string[]): string[] {
  const lines: string[] = [];
  if (conditional) {
    lines.push(`allowed when: ${describeTruth(conditional.allowedWhen)}`);
    if (conditional.explicitDenyWhen !== false) lines.push(`explicitly denied when: ${describeTruth(conditional.explicitDenyWhen)}`);
  }
  if (missing.length > 0) lines.push(`missing context keys: ${missing.join(', ')}`);
  for (const n of notes) lines.push(`note: ${n}`);
  return lines;
}

export function explainAuthorization(r: AuthorizationResult): string[] {
  return [
    `decision: ${r.decision}`,
    ...r.matchedStatements.map((s) => `statement: ${describeMatchedStatement(s)}`),
    ...layerLines(r),
    ...tail(r.conditional, r.missingContextKeys, r.notes),
  ];
}

export function explainApiGatewayInvoke(r: ApiGatewayInvokeResult): string[] {
  return [
    `decision: ${r.decision}`,
    `API Gateway flow: ${r.flow}`,
    ...(r.authorizerDecision !== undefined ? [`authorizer: ${r.authorizerDecision}`] : []),
    ...r.matchedStatements.map((s) => `statement: ${describeMatchedStatement(s)}`),
    ...(r.evaluation ? layerLines(r.evaluation) : []),
    ...tail(r.conditional, r.missingContextKeys, r.notes),
  ];
}
