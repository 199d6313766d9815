/**
 * Methods and concrete requests (docs/analysis.md, "Methods and concrete
 * requests"): API Gateway routing, execute-api request ARNs, and how IAM
 * resource patterns cover the request ARNs of a method template. Pure: imports
 * only src/policy.
 */
export { REQUEST_VERBS, isAnyVerb, isRequestVerb, methodServesVerb, servedVerbs, type RequestVerb } from './verbs';
export { parsePathTemplate, type PathTemplate, type TemplateSegment } from './pathTemplate';
export { checkRequestPath, requestPathSegments } from './requestPath';
export { inferApiKind, resolveMethod, type ApiKind, type ResolveOptions, type ResolvedMethod, type RoutableMethod } from './resolve';
export { parseInvokeRequest, requestArn, type InvokeRequest, type InvokeRequestParse } from './invokeRequest';
export {
  genericParamValue,
  genericRequestArn,
  genericRequestArns,
  genericRequestPath,
  methodTemplate,
  patternMayMatchTemplate,
  requestArnBelongsToTemplate,
  uncoveredRequestArns,
  witnessRequestArns,
  type CoverageOptions,
  type MethodTemplate,
} from './coverage';
export { hasPolicyVariable } from './automaton';
