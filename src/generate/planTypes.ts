/** The shapes of a synthetic organization's plan (plan.ts makes it; iam.ts, apigateway.ts, lambda.ts, ec2.ts and policies.ts fill it in). */
import type { Preset } from './presets';

export type AccountKind = 'management' | 'identity' | 'workload' | 'sandbox';
export type RoleKind = 'orgaccess' | 'admin' | 'human' | 'integration' | 'lambda' | 'ec2' | 'partner';
export type PolicyTemplate = 'invoke' | 'manage' | 'readonly' | 'lambda' | 'assume' | 'passrole' | 'deny' | 'boundary' | 'misc';
export type AuthType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS';
export type RouteAuthType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'JWT';

export interface OuPlan {
  id: string;
  name: string;
  parentId: string;
}
export interface UserPlan {
  name: string;
  arn: string;
  team: string;
  groups: string[];
  assumes: string[];
}
export interface GroupPlan {
  name: string;
  arn: string;
  team: string;
  assumes: string[];
}
export interface TrustEntry {
  principal: { AWS: string } | { Service: string } | { Federated: string };
  condition?: 'mfa' | 'externalId' | 'tag' | 'saml';
  value?: string;
}
export interface RolePlan {
  name: string;
  arn: string;
  kind: RoleKind;
  team: string;
  trust: TrustEntry[];
  assumes: string[];
}
export interface ManagedPolicyPlan {
  name: string;
  arn: string;
  template: PolicyTemplate;
}
export interface ResourcePlan {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
}
export type IntegrationPlan =
  | { type: 'lambda'; fn: string; credentials?: string }
  | { type: 'http' }
  | { type: 'mock' }
  | { type: 'aws-service'; credentials?: string };
export interface MethodPlan {
  resourceId: string;
  path: string;
  verb: string;
  auth: AuthType;
  authorizerId?: string;
  integration: IntegrationPlan;
}
export interface RestApiPlan {
  accountId: string;
  region: string;
  id: string;
  name: string;
  domain: string;
  endpoint: 'REGIONAL' | 'EDGE' | 'PRIVATE';
  vpce?: string;
  stages: string[];
  rootId: string;
  resources: ResourcePlan[];
  methods: MethodPlan[];
  hasPolicy: boolean;
  /** arn:aws:execute-api:region:account:id */
  arn: string;
}
export interface RoutePlan {
  id: string;
  key: string;
  auth: RouteAuthType;
  authorizerId?: string;
  integrationId: string;
}
export interface HttpIntegrationPlan {
  id: string;
  fn?: string;
  credentials?: string;
  url?: string;
}
export interface HttpApiPlan {
  accountId: string;
  region: string;
  id: string;
  name: string;
  domain: string;
  stages: string[];
  routes: RoutePlan[];
  integrations: HttpIntegrationPlan[];
  arn: string;
}
export interface FunctionPlan {
  name: string;
  arn: string;
  region: string;
  execRole: string;
  sources: string[];
}
export interface AccountPlan {
  index: number;
  id: string;
  name: string;
  kind: AccountKind;
  parentId: string;
  email: string;
  users: UserPlan[];
  groups: GroupPlan[];
  roles: RolePlan[];
  policies: ManagedPolicyPlan[];
  restApis: RestApiPlan[];
  httpApis: HttpApiPlan[];
  functions: FunctionPlan[];
  /** Number of pages of authorization-details (1 = a single authorization-details.json). */
  iamPages: number;
}
export interface Plan {
  preset: Preset;
  seed: number;
  orgId: string;
  rootId: string;
  ous: OuPlan[];
  managementAccountId: string;
  accounts: AccountPlan[];
  partners: string[];
  restApis: RestApiPlan[];
  httpApis: HttpApiPlan[];
  /** Account id → plan. */
  byId: Map<string, AccountPlan>;
  chains: number;
  longestChain: number;
}
