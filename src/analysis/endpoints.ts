import { readsCallerIdentity, unknownPolicy, type CompiledPolicy } from '../policy';
import type { AccessModel, ApiEntry, VpcEndpointEntry } from './accessModel';
import type { RequestContextValues } from './decide';

/**
 * The VPC endpoint layer of private REST APIs. A call to a private API goes
 * through an interface VPC endpoint for execute-api, and the endpoint's
 * policy must allow it too ("The VPC endpoint policy is evaluated first, and
 * then API Gateway evaluates the request, based on the type of authorization
 * configured on the method request"; a call without a SigV4 signature is
 * evaluated as an anonymous user: AGDG, "Use VPC endpoint policies for
 * private APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-endpoint-policies.html).
 * The engine evaluates that layer (authorizeApiGatewayInvoke's
 * vpcEndpointPolicy); this module chooses the endpoints a call may come
 * through and the request context each one sets.
 *
 * Choices, with the pages they rest on:
 * - **Which endpoints reach a private API.** The `available` interface
 *   endpoints for `com.amazonaws.<region>.execute-api` of the API's account
 *   and region, and those the API's `endpointConfiguration.vpcEndpointIds`
 *   lists (in the snapshot, same region). Any endpoint for execute-api can
 *   send a request to any private API; the resource policy's `aws:SourceVpce`
 *   and `aws:SourceVpc` conditions then decide per endpoint (AGDG, "Private
 *   REST APIs in API Gateway",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html,
 *   and "Example: Allow private API traffic based on source VPC or VPC
 *   endpoint",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html).
 *   Each endpoint is decided with its id as `aws:SourceVpce` and its VPC as
 *   `aws:SourceVpc` (IUG, global condition keys: both are set for requests
 *   made through a VPC endpoint,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 * - **An endpoint without PolicyDocument** has the default policy, which
 *   "allows full access" (PrivateLink guide, "Control access to VPC
 *   endpoints using endpoint policies",
 *   https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html):
 *   no extra layer.
 * - **Endpoints outside the snapshot** (another account's, or one of an
 *   account whose EC2 data was not collected) are one more way in,
 *   `OUTSIDE_ENDPOINT`, decided with `aws:SourceVpce` and `aws:SourceVpc`
 *   unknown and the endpoint's policy an unknown policy (never assumed to
 *   allow or deny), so such access stays conditional on those keys and on
 *   that policy. It
 *   counts only when some endpoint that is not one of the API's known ones
 *   could pass the resource policy: one the policies name in an
 *   `aws:SourceVpce` condition, or any other (a fresh id). A resource
 *   policy that lets in only known endpoints therefore leaves no access
 *   "from elsewhere".
 * - **Context given by the user** narrows the endpoints: `aws:SourceVpce`
 *   keeps the known endpoint of that id (or only the outside one, when no
 *   known endpoint has it); `aws:SourceVpc` keeps the known endpoints of
 *   that VPC and the outside one.
 */

/** How answers name an interface endpoint outside the snapshot (any other). */
export const OUTSIDE_ENDPOINT = '*';

/** A SourceVpce value no endpoint has: stands for "any endpoint the policies do not name". */
const FRESH_ENDPOINT_ID = 'vpce-whocan-outside-snapshot';

/** The policy of an endpoint outside the snapshot: unknown. */
const OUTSIDE_POLICY = unknownPolicy({
  type: 'vpcEndpoint',
  id: 'the policy of a VPC endpoint outside the snapshot',
  reason: 'the endpoint is not in the snapshot',
});

export interface EndpointChannel {
  /** The endpoint id (`vpce-…`), or OUTSIDE_ENDPOINT. */
  readonly id: string;
  readonly vpcId: string | null;
  readonly account: string | null;
  readonly privateDns: boolean | null;
  /** The endpoint's policy; undefined for the default (full access) policy; an unknown policy for the outside endpoint. */
  readonly policy: CompiledPolicy | undefined;
  /** The policy key, null for the default policy and the outside endpoint. */
  readonly policyKey: string | null;
  /** Outside endpoint only: the `aws:SourceVpce` values one of them may have (empty: the user gave the value). */
  readonly probes: readonly string[];
}

/** The endpoints through which a private API may be called (known ones first, the outside one last); undefined for other APIs. */
export function endpointChannels(model: AccessModel, api: ApiEntry): EndpointChannel[] | undefined {
  if (api.row.endpointType !== 'PRIVATE' || api.row.kind !== 'REST') return undefined;
  const service = `com.amazonaws.${api.row.region}.execute-api`;
  const listed = new Set(api.row.vpcEndpointIds);
  const known: VpcEndpointEntry[] = model.vpcEndpoints.filter(
    (e) =>
      e.row.serviceName === service &&
      e.row.region === api.row.region &&
      e.row.state.toLowerCase() === 'available' &&
      (e.row.account === api.row.account || listed.has(e.row.id)),
  );
  const channels: EndpointChannel[] = known.map((e) => ({
    id: e.row.id,
    vpcId: e.row.vpcId,
    account: e.row.account,
    privateDns: e.row.privateDnsEnabled,
    policy: e.policy,
    policyKey: e.policyKey,
    probes: [],
  }));
  const knownIds = new Set(channels.map((c) => c.id));
  const probes = [
    FRESH_ENDPOINT_ID,
    ...namedEndpointIds([api.resourcePolicy, ...(model.rcpLevels(api.row.account) ?? []).flat()]).filter((id) => !knownIds.has(id)),
  ];
  channels.push({ id: OUTSIDE_ENDPOINT, vpcId: null, account: null, privateDns: null, policy: OUTSIDE_POLICY, policyKey: null, probes });
  return channels;
}

/**
 * The `aws:SourceVpce` values the policies compare with, as written and
 * with their wildcards filled in (`vpce-0a*` → `vpce-0awhocan`), so that
 * an endpoint a `StringLike` pattern admits is tried too.
 */
function namedEndpointIds(policies: readonly (CompiledPolicy | undefined)[]): string[] {
  const out = new Set<string>();
  for (const policy of policies) {
    for (const statement of policy?.statements ?? []) {
      for (const clause of statement.condition?.clauses ?? []) {
        if (clause.keyLower !== 'aws:sourcevpce') continue;
        for (const value of clause.rawValues) {
          out.add(value);
          if (/[*?]/.test(value)) out.add(value.replace(/\*/g, 'whocan').replace(/\?/g, 'x'));
        }
      }
    }
  }
  return [...out].sort();
}

/** A context value as a list of strings (what the user gave for a key), matched case-insensitively on the key. */
function given(context: RequestContextValues | undefined, keyLower: string): string[] | undefined {
  if (!context) return undefined;
  for (const [key, value] of Object.entries(context)) {
    if (key.toLowerCase() === keyLower) return (Array.isArray(value) ? value : [value]).map(String);
  }
  return undefined;
}

/** The channels a question with this context may use (see the module's notes). */
export function usableChannels(channels: readonly EndpointChannel[], context: RequestContextValues | undefined): EndpointChannel[] {
  const vpce = given(context, 'aws:sourcevpce');
  const vpc = given(context, 'aws:sourcevpc');
  if (vpce === undefined && vpc === undefined) return [...channels];
  const out: EndpointChannel[] = [];
  for (const channel of channels) {
    if (channel.id === OUTSIDE_ENDPOINT) {
      if (vpce === undefined) out.push(channel);
      else if (vpce.some((id) => !channels.some((c) => c.id === id))) out.push({ ...channel, probes: [] });
      continue;
    }
    if (vpce !== undefined && !vpce.includes(channel.id)) continue;
    if (vpc !== undefined && (channel.vpcId === null || !vpc.includes(channel.vpcId))) continue;
    out.push(channel);
  }
  return out;
}

/** The context of a call through a known endpoint: the user's, with the endpoint's id and VPC. */
export function channelContext(channel: EndpointChannel, context: RequestContextValues | undefined): RequestContextValues {
  const out: Record<string, RequestContextValues[string]> = {};
  for (const [key, value] of Object.entries(context ?? {})) {
    const lower = key.toLowerCase();
    if (lower !== 'aws:sourcevpce' && lower !== 'aws:sourcevpc') out[key] = value;
  }
  out['aws:SourceVpce'] = channel.id;
  if (channel.vpcId !== null) out['aws:SourceVpc'] = channel.vpcId;
  return out;
}

/** The context of a probe for the outside endpoint: the user's, with one `aws:SourceVpce` value. */
export function probeContext(id: string, context: RequestContextValues | undefined): RequestContextValues {
  const out: Record<string, RequestContextValues[string]> = {};
  for (const [key, value] of Object.entries(context ?? {})) if (key.toLowerCase() !== 'aws:sourcevpce') out[key] = value;
  out['aws:SourceVpce'] = id;
  return out;
}

/**
 * The callers VPC endpoint policies name one by one (by user or role ARN):
 * they must be decided on their own, since the endpoint layer tells them
 * apart from principals that are otherwise alike. Undefined when a policy
 * may tell any caller apart (it reads the caller's identity, uses
 * NotPrincipal, unique ids or session ARNs): then nobody shares a decision.
 * The outside endpoint's unknown policy is one atom for every caller.
 */
export function endpointNamedCallers(channels: readonly EndpointChannel[]): Set<string> | undefined {
  const named = new Set<string>();
  for (const c of channels) {
    if (c.id === OUTSIDE_ENDPOINT || c.policy === undefined) continue;
    if (readsCallerIdentity(c.policy)) return undefined;
    for (const s of c.policy.statements) {
      const p = s.principal;
      if (p === undefined) continue;
      if (p.negated || p.uniqueIds.size > 0) return undefined;
      for (const arn of p.arns) {
        if (!/^arn:aws[a-z-]*:iam::\d{12}:(user|role)\//.test(arn)) return undefined;
        named.add(arn);
      }
    }
  }
  return named;
}
