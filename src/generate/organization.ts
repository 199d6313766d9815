/**
 * organization.json: the organization as a combination of Organizations CLI outputs
 * (describe-organization, list-roots, OUs with ParentId, list-accounts with ParentId,
 * and each policy's describe-policy summary + Content + list-targets-for-policy).
 */
import type { Plan } from './planTypes';
import { doc, type PolicyDocument } from './policies';

/**
 * The services and operations AWS's region deny SCP exempts: global services
 * whose endpoints are in us-east-1 (Organizations UG SCP examples).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
 */
export const REGION_FENCE_EXEMPT: readonly string[] = [
  'a4b:*',
  'acm:*',
  'aws-marketplace-management:*',
  'aws-marketplace:*',
  'aws-portal:*',
  'budgets:*',
  'ce:*',
  'chime:*',
  'cloudfront:*',
  'config:*',
  'cur:*',
  'directconnect:*',
  'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways',
  'fms:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'importexport:*',
  'kms:*',
  'mobileanalytics:*',
  'networkmanager:*',
  'organizations:*',
  'pricing:*',
  'route53:*',
  'route53domains:*',
  'route53-recovery-cluster:*',
  'route53-recovery-control-config:*',
  'route53-recovery-readiness:*',
  's3:GetAccountPublic*',
  's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints',
  's3:PutAccountPublic*',
  'shield:*',
  'sts:*',
  'support:*',
  'trustedadvisor:*',
  'waf-regional:*',
  'waf:*',
  'wafv2:*',
  'wellarchitected:*',
];

interface Target {
  TargetId: string;
  Arn: string;
  Name: string;
  Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
}

export function organizationJson(plan: Plan): Record<string, unknown> {
  const m = plan.managementAccountId;
  const org = plan.orgId;
  const rootTarget: Target = {
    TargetId: plan.rootId,
    Arn: `arn:aws:organizations::${m}:root/${org}/${plan.rootId}`,
    Name: 'Root',
    Type: 'ROOT',
  };
  const ouTargets: Target[] = plan.ous.map((ou) => ({
    TargetId: ou.id,
    Arn: `arn:aws:organizations::${m}:ou/${org}/${ou.id}`,
    Name: ou.name,
    Type: 'ORGANIZATIONAL_UNIT',
  }));
  const accountTargets: Target[] = plan.accounts.map((a) => ({
    TargetId: a.id,
    Arn: `arn:aws:organizations::${m}:account/${org}/${a.id}`,
    Name: a.name,
    Type: 'ACCOUNT',
  }));
  const everywhere = [rootTarget, ...ouTargets, ...accountTargets];
  const ou = (name: string) => ouTargets.filter((t) => t.Name === name);

  const policy = (
    id: string,
    name: string,
    type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY',
    description: string,
    awsManaged: boolean,
    content: PolicyDocument,
    targets: Target[],
  ) => {
    const kind = type === 'SERVICE_CONTROL_POLICY' ? 'service_control_policy' : 'resource_control_policy';
    return {
      Id: id,
      Arn: awsManaged ? `arn:aws:organizations::aws:policy/${kind}/${id}` : `arn:aws:organizations::${m}:policy/${org}/${kind}/${id}`,
      Name: name,
      Description: description,
      Type: type,
      AwsManaged: awsManaged,
      Content: JSON.stringify(content, null, 4),
      Targets: targets,
    };
  };
  const policies = [
    policy(
      'p-FullAWSAccess',
      'FullAWSAccess',
      'SERVICE_CONTROL_POLICY',
      'Allows access to every operation',
      true,
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
      everywhere,
    ),
    policy(
      'p-denyleaveorg',
      'DenyLeaveOrganization',
      'SERVICE_CONTROL_POLICY',
      'Accounts cannot leave the organization',
      false,
      doc({ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
      [rootTarget],
    ),
    policy(
      'p-denyapidelete',
      'DenyApiDeleteExceptPlatform',
      'SERVICE_CONTROL_POLICY',
      'Only platform admin roles may delete API Gateway resources',
      false,
      doc({
        Sid: 'DenyApiGatewayDelete',
        Effect: 'Deny',
        Action: 'apigateway:DELETE',
        Resource: '*',
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*-platform-admin', 'arn:aws:iam::*:role/OrganizationAccountAccessRole'] },
        },
      }),
      ou('Workloads'),
    ),
    // AWS's region deny SCP (Organizations UG, "Deny access to AWS based on the requested AWS Region";
    // AWS Control Tower's region deny control is the same policy), on the root: global services are exempted
    // through NotAction; everything else must be requested in an approved region.
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
    policy(
      'p-regionfence',
      'DenyOutsideApprovedRegions',
      'SERVICE_CONTROL_POLICY',
      'Deny requests outside the approved regions',
      false,
      doc({
        Sid: 'DenyAllOutsideApprovedRegions',
        Effect: 'Deny',
        NotAction: [...REGION_FENCE_EXEMPT],
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:RequestedRegion': [...plan.preset.regions] } },
      }),
      [rootTarget],
    ),
    policy(
      'p-RCPFullAWSAccess',
      'RCPFullAWSAccess',
      'RESOURCE_CONTROL_POLICY',
      'Allows access to every operation',
      true,
      doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
      everywhere,
    ),
    policy(
      'p-rcpperimeter',
      'AssumeRoleDataPerimeter',
      'RESOURCE_CONTROL_POLICY',
      'Roles trust only the organization, AWS services and known partners',
      false,
      doc({
        Sid: 'EnforceOrgIdentities',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRole',
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': org, 'aws:PrincipalAccount': [...plan.partners] },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
      ou('Workloads'),
    ),
  ];
  if (plan.ous.some((o) => o.name === 'Sandbox')) {
    policies.push(
      policy(
        'p-sandboxfence',
        'SandboxNoIamUsers',
        'SERVICE_CONTROL_POLICY',
        'No IAM users or access keys in sandboxes',
        false,
        doc({ Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*' }),
        ou('Sandbox'),
      ),
    );
  }

  return {
    Organization: {
      Id: org,
      Arn: `arn:aws:organizations::${m}:organization/${org}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `arn:aws:organizations::${m}:account/${org}/${m}`,
      MasterAccountId: m,
      MasterAccountEmail: `aws+management@example.com`,
    },
    ManagementAccountId: m,
    Roots: [
      {
        Id: plan.rootId,
        Arn: rootTarget.Arn,
        Name: 'Root',
        PolicyTypes: [
          { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
          { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' },
        ],
      },
    ],
    OrganizationalUnits: plan.ous.map((o) => ({
      Id: o.id,
      Arn: `arn:aws:organizations::${m}:ou/${org}/${o.id}`,
      Name: o.name,
      ParentId: o.parentId,
    })),
    Accounts: plan.accounts.map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${m}:account/${org}/${a.id}`,
      Email: a.email,
      Name: a.name,
      Status: 'ACTIVE',
      JoinedMethod: a.kind === 'management' ? 'INVITED' : 'CREATED',
      JoinedTimestamp: `2020-0${1 + (a.index % 9)}-15T10:00:00+00:00`,
      ParentId: a.parentId,
    })),
    Policies: policies,
  };
}
