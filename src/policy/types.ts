/**
 * Types shared by every part of the policy engine. The engine is pure: plain
 * data in, a decision plus its reasons out.
 */

/**
 * Which kind of policy a document is. The kind decides which elements are
 * allowed (a `Principal` only in resource-based policies, trust policies,
 * RCPs and VPC endpoint policies) and how the document takes part in
 * evaluation.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#access_policy-types
 */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'permissionsBoundary' | 'session' | 'scp' | 'rcp' | 'vpcEndpoint';

export const POLICY_TYPES: readonly PolicyType[] = [
  'identity',
  'resource',
  'trust',
  'permissionsBoundary',
  'session',
  'scp',
  'rcp',
  'vpcEndpoint',
];

/** How each policy type is named in explanations. */
export const POLICY_TYPE_LABELS: Readonly<Record<PolicyType, string>> = {
  identity: 'identity policy',
  resource: 'resource-based policy',
  trust: 'trust policy',
  permissionsBoundary: 'permissions boundary',
  session: 'session policy',
  scp: 'SCP',
  rcp: 'RCP',
  vpcEndpoint: 'VPC endpoint policy',
};

export type Effect = 'Allow' | 'Deny';

/**
 * The policy language versions. Without `2012-10-17`, `${...}` is literal text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
 */
export type PolicyVersion = '2012-10-17' | '2008-10-17';

/** The three outcomes AWS can give. */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/**
 * An evaluation outcome: one of AWS's three decisions, or `conditional`, when
 * the answer depends on something the caller did not give: context (analysis
 * mode only), or — in either mode — the content of a policy that is not known
 * (`unknownPolicy`). A `conditional` result always carries the exact
 * conditions.
 */
export type EvaluationDecision = Decision | 'conditional';

/** Concrete mode: every context key not given is absent. Analysis mode: not given means unknown. */
export type EvaluationMode = 'concrete' | 'analysis';

/** Where a policy comes from; carried into every explanation. */
export interface PolicySource {
  /** Stable id used in explanations, e.g. `PolicyInputList.1` or a managed policy ARN. */
  readonly id: string;
  readonly type: PolicyType;
  /** Friendly name (inline policy name, managed policy name), when known. */
  readonly name?: string;
  /** `inline` or `managed` for identity policies, when known. */
  readonly attachment?: 'inline' | 'managed';
}

/** Points at one statement of one policy. */
export interface StatementRef {
  readonly policyId: string;
  readonly policyType: PolicyType;
  readonly policyName?: string;
  /** Zero-based position in the `Statement` array (0 when `Statement` is a single object). */
  readonly index: number;
  readonly sid?: string;
}
