/**
 * The `simulate` request and response, shaped like AWS IAM's
 * SimulateCustomPolicy (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html)
 * with whocan extensions (session policy, SCP/RCP levels, API Gateway).
 */
import type { AuthorizationType, AuthorizerDecision, EndpointType, EvaluationMode } from '../../policy';

/**
 * A policy as given: a JSON string, a URL-encoded JSON string, or an object.
 * A policy whose document is not known is declared as
 * `{"Unknown": true, "Id": "arn:aws:iam::aws:policy/PowerUserAccess", "Name"?: "…", "Reason"?: "…"}`:
 * what it allows and denies is then unknown, and answers that depend on it
 * are `conditional` (docs/policy-engine.md, "Unknown policies").
 */
export type PolicyInput = string | Readonly<Record<string, unknown>>;

/** AWS ContextKeyType values. */
export type ContextKeyType =
  | 'string'
  | 'stringList'
  | 'numeric'
  | 'numericList'
  | 'boolean'
  | 'booleanList'
  | 'ip'
  | 'ipList'
  | 'binary'
  | 'binaryList'
  | 'date'
  | 'dateList';

export const CONTEXT_KEY_TYPES: readonly ContextKeyType[] = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
];

export interface ContextEntry {
  readonly ContextKeyName: string;
  readonly ContextKeyValues: readonly string[];
  readonly ContextKeyType: ContextKeyType;
}

export interface ApiGatewaySettings {
  readonly AuthorizationType: AuthorizationType;
  /** Default REGIONAL. */
  readonly EndpointType?: EndpointType;
  readonly AuthorizerDecision?: AuthorizerDecision;
  /** Default true. */
  readonly RequireAuthorizationForCacheControl?: boolean;
  /** The VPC endpoint policy (private APIs). */
  readonly VpcEndpointPolicy?: PolicyInput;
}

/** A validated simulate request. */
export interface SimulateRequest {
  readonly CallerArn: string;
  readonly ActionNames: readonly string[];
  readonly ResourceArns?: readonly string[];
  readonly ResourceOwner?: string;
  readonly PolicyInputList?: readonly PolicyInput[];
  readonly PermissionsBoundaryPolicyInputList?: readonly PolicyInput[];
  readonly ResourcePolicy?: PolicyInput;
  readonly ContextEntries?: readonly ContextEntry[];
  // --- whocan extensions ---
  /** Session policies passed when the caller's session was created. */
  readonly SessionPolicy?: PolicyInput | readonly PolicyInput[];
  /** SCPs of the caller's account: one list per organization level, root first. */
  readonly ServiceControlPolicies?: readonly (readonly PolicyInput[])[];
  /** RCPs of the resource's account: one list per organization level, root first. */
  readonly ResourceControlPolicies?: readonly (readonly PolicyInput[])[];
  /** The organization's management account (exempt from SCPs; its resources from RCPs). */
  readonly ManagementAccountId?: string;
  readonly ApiGateway?: ApiGatewaySettings;
  /** `concrete` (default, like AWS) or `analysis` (missing context makes a decision conditional). */
  readonly EvaluationMode?: EvaluationMode;
  /** How to read a CallerArn that is a host name: an AWS service or an identity provider. */
  readonly CallerType?: 'Service' | 'Federated';
  /** Tags of the caller (the complete set), for aws:PrincipalTag/…. */
  readonly CallerTags?: Readonly<Record<string, string>>;
  /** The request time (ISO 8601) for aws:CurrentTime/aws:EpochTime; default now. */
  readonly CurrentTime?: string;
}

export interface MatchedStatementOutput {
  readonly SourcePolicyId: string;
  readonly SourcePolicyType: string;
  readonly StatementIndex: number;
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  /** When the statement applies under unknown conditions (analysis mode), or belongs to an unknown policy. */
  readonly Conditional?: true;
  /** The entry stands for a policy declared unknown (`StatementIndex` is then -1; `SourcePolicyId` is its `Id`). */
  readonly UnknownPolicy?: true;
}

export type SimulateDecision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'conditional';
export type Tristate = boolean | 'conditional';

export interface EvaluationResultOutput {
  readonly EvalActionName: string;
  readonly EvalResourceName: string;
  readonly EvalDecision: SimulateDecision;
  readonly MatchedStatements: readonly MatchedStatementOutput[];
  readonly MissingContextValues: readonly string[];
  readonly OrganizationsDecisionDetail?: { readonly AllowedByOrganizations: Tristate };
  readonly PermissionsBoundaryDecisionDetail?: { readonly AllowedByPermissionsBoundary: Tristate };
  readonly ResourceControlPolicyDecisionDetail?: { readonly AllowedByResourceControlPolicies: Tristate };
  readonly ApiGatewayDecisionDetail?: {
    readonly Flow: string;
    readonly AuthorizationType: AuthorizationType;
    readonly EndpointType: EndpointType;
    readonly AuthorizerDecision?: string;
  };
  readonly ConditionalDetail?: unknown;
  readonly Explanation: readonly string[];
}

export interface SimulateResponse {
  readonly EvaluationResults: readonly EvaluationResultOutput[];
  readonly Warnings?: readonly string[];
}
