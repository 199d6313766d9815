/** Findings on API methods: public methods and broken integrations. */
import { integrationHop, methodInfo } from '../integrations';
import { methodStageTarget } from '../targets';
import type { Work } from '../work';
import { decisionOfLevel, Level } from '../levels';
import { decideCaller, grantPaths, type AnalysisInputs } from '../whoCan';
import { finding, type Finding, type FindingKind } from './finding';

/** Public methods (anonymous callers allowed) and broken integrations, method by method, stage by stage. */
export function* methodFindings(parts: AnalysisInputs, kinds: Set<FindingKind>, counter: { decisions: number }): Work<Finding[]> {
  const out: Finding[] = [];
  const anonymous = parts.candidates.universe.anonymous;
  for (const api of parts.model.apis.values()) {
    yield;
    for (const stage of api.stages) {
      for (const method of api.methods) {
        const info = methodInfo(api, stage, method);
        if (kinds.has('public-method') && method.authorizationType === 'NONE') {
          const target = methodStageTarget(parts.model, 'execute-api:Invoke', api, stage, method);
          const grant = decideCaller(parts, anonymous, target, undefined, new Map());
          counter.decisions++;
          if (grant.level > Level.DENIED) {
            const privateApi = api.row.endpointType === 'PRIVATE';
            const hop = integrationHop(parts, api, stage, method);
            out.push(
              finding({
                kind: 'public-method',
                // High when the open method runs a backend function; a mock or an HTTP proxy is rated medium.
                severity:
                  grant.level === Level.ALLOWED && !privateApi && hop !== undefined && hop.level !== Level.DENIED ? 'high' : 'medium',
                title: `${info.verb} ${info.path} on ${api.row.name ?? api.row.id}/${stage.name} is open to anonymous callers${grant.level === Level.ALLOWED ? '' : ' under conditions'}`,
                detail: privateApi
                  ? 'A private API: reachable only through VPC endpoints, but there by anyone whose request the resource policy allows.'
                  : 'Authorization NONE: no signature, token or authorizer is needed. Check that the method is meant to be public and that its backend does not expose data or actions.',
                resource: info.methodArn,
                principal: null,
                decision: decisionOfLevel(grant.level),
                conditions: grant.conditions,
                related: hop && hop.level !== Level.DENIED ? [hop.function] : [],
                paths: grantPaths(parts, grant, target),
              }),
            );
          }
        }
        if (kinds.has('broken-integration')) {
          const hop = integrationHop(parts, api, stage, method);
          counter.decisions++;
          if (hop && hop.level === Level.DENIED) {
            out.push(
              finding({
                kind: 'broken-integration',
                severity: 'low',
                title: `${info.verb} ${info.path} on ${api.row.name ?? api.row.id}/${stage.name} cannot call its backend ${hop.functionName ?? hop.function}`,
                detail: `${hop.notes.join('; ')}. Every call API Gateway authorizes fails at the backend; a stale function permission may also let another API call the function.`,
                resource: info.methodArn,
                principal: null,
                decision: 'denied',
                related: [hop.function, ...(hop.role ? [hop.role] : [])],
              }),
            );
          }
        }
      }
    }
  }
  return out;
}
