import { parseArn } from '../match/arn';
import type { Principal } from '../principal/principal';

/**
 * Global condition keys that AWS sets from the request itself — the action,
 * the resource and the way the call is made — rather than from the caller.
 * The IAM User Guide lists every global key with an "Availability" line;
 * the keys below are the ones that line says are always present (or absent)
 * for the requests whocan decides, and whose value the request determines.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 *
 * A key the request does not determine is left open (`undefined`): it is
 * absent in concrete mode and unknown in analysis mode, so an answer that
 * depends on it is `conditional`. Values given with the request always win
 * over these (`RequestContext.get` reads given values first).
 *
 * | key | value | why |
 * | --- | --- | --- |
 * | `aws:RequestedRegion` | execute-api, apigateway, lambda: the region of the resource ARN | the request goes to the endpoint of the region that holds the API or function |
 * | | iam (except `iam:PassRole`): `us-east-1` (`cn-north-1`, `us-gov-west-1` in the other partitions) | "IAM calls are always made to the us-east-1 Region" (global service, single endpoint) |
 * | | sts, `iam:PassRole`, every other service: open | STS has a global and regional endpoints; PassRole is checked on another service's request, in that request's region |
 * | `aws:SecureTransport` | `true` for execute-api, apigateway, lambda, iam, sts (except `iam:PassRole`) | their endpoints accept HTTPS only |
 * | `aws:ViaAWSService` | `false` | whocan decides calls the principal makes directly; "The context key returns false … when the principal makes the call directly" |
 * | `aws:CalledVia`, `aws:CalledViaFirst`, `aws:CalledViaLast` | absent | present only when a service makes the call with the principal's credentials (forward access sessions) |
 * | `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths` | absent unless the caller is an AWS service principal (then open) | "only available when the call to your resource is made directly by an AWS service principal" |
 * | `aws:PrincipalServiceNamesList` | the service, for a service principal; absent otherwise | present "when the call is made by an AWS service principal" |
 */
export type RequestKeyValue =
  { readonly state: 'present'; readonly values: readonly string[]; readonly isList: boolean } | { readonly state: 'absent' };

/** What the request itself tells about the call: its action and resource. */
export interface RequestFacts {
  readonly action: string;
  readonly resource: string;
}

/** The region of IAM's single endpoint per partition. https://docs.aws.amazon.com/general/latest/gr/iam-service.html */
const IAM_ENDPOINT_REGION: Readonly<Record<string, string>> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

/**
 * Services whose request region is the region of the resource ARN the
 * action names (the ARN service must be the expected one).
 * https://docs.aws.amazon.com/general/latest/gr/apigateway.html
 * https://docs.aws.amazon.com/general/latest/gr/lambda-service.html
 */
const REGION_FROM_ARN: Readonly<Record<string, string>> = { 'execute-api': 'execute-api', apigateway: 'apigateway', lambda: 'lambda' };

/**
 * Services whose endpoints accept HTTPS only (AWS General Reference, the
 * "Protocol" column of each service's endpoint table; API Gateway: "API
 * Gateway doesn't support unencrypted (HTTP) endpoints").
 * https://docs.aws.amazon.com/general/latest/gr/apigateway.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/data-protection-encryption.html
 * https://docs.aws.amazon.com/general/latest/gr/iam-service.html
 * https://docs.aws.amazon.com/general/latest/gr/sts.html
 * https://docs.aws.amazon.com/general/latest/gr/lambda-service.html
 */
const HTTPS_ONLY = new Set(['execute-api', 'apigateway', 'lambda', 'iam', 'sts']);

const TRUE: RequestKeyValue = { state: 'present', values: ['true'], isList: false };
const FALSE: RequestKeyValue = { state: 'present', values: ['false'], isList: false };
const ABSENT: RequestKeyValue = { state: 'absent' };

/** The request keys this module derives (lower case), for documentation and tests. */
export const REQUEST_KEYS: readonly string[] = [
  'aws:requestedregion',
  'aws:securetransport',
  'aws:viaawsservice',
  'aws:calledvia',
  'aws:calledviafirst',
  'aws:calledvialast',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalservicenameslist',
];

/** `aws:RequestedRegion` for the request, or `undefined` when the request does not determine it. */
export function requestedRegion(facts: RequestFacts, principal: Principal): string | undefined {
  const actionLower = facts.action.toLowerCase();
  const colon = actionLower.indexOf(':');
  if (colon <= 0) return undefined;
  const service = actionLower.slice(0, colon);
  const arn = parseArn(facts.resource);
  if (service === 'iam') {
    // iam:PassRole is not an API call: IAM checks it on the request of the
    // service the role is passed to, made in that service's region.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    if (actionLower === 'iam:passrole') return undefined;
    const partition = arn?.partition ?? ('partition' in principal ? principal.partition : undefined);
    return partition === undefined ? undefined : IAM_ENDPOINT_REGION[partition];
  }
  const arnService = REGION_FROM_ARN[service];
  if (arnService === undefined || arn === undefined || arn.service !== arnService) return undefined;
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(arn.region) ? arn.region : undefined;
}

/** The derived value of a request key (lower case), or `undefined` when it stays open or is not a request key. */
export function requestKey(keyLower: string, facts: RequestFacts | undefined, principal: Principal): RequestKeyValue | undefined {
  switch (keyLower) {
    case 'aws:requestedregion': {
      if (facts === undefined) return undefined;
      const region = requestedRegion(facts, principal);
      return region === undefined ? undefined : { state: 'present', values: [region], isList: false };
    }
    case 'aws:securetransport': {
      if (facts === undefined) return undefined;
      const actionLower = facts.action.toLowerCase();
      if (actionLower === 'iam:passrole') return undefined;
      return HTTPS_ONLY.has(actionLower.slice(0, Math.max(0, actionLower.indexOf(':')))) ? TRUE : undefined;
    }
    case 'aws:viaawsservice':
      return facts === undefined ? undefined : FALSE;
    case 'aws:calledvia':
    case 'aws:calledviafirst':
    case 'aws:calledvialast':
      return facts === undefined ? undefined : ABSENT;
    case 'aws:sourcearn':
    case 'aws:sourceaccount':
    case 'aws:sourceorgid':
    case 'aws:sourceorgpaths':
      return principal.kind === 'service' ? undefined : ABSENT;
    case 'aws:principalservicenameslist':
      return principal.kind === 'service' ? { state: 'present', values: [principal.service], isList: true } : ABSENT;
    default:
      return undefined;
  }
}
