import { doc, type PolicyDocument } from './policies';

/** AWS managed policies the generator attaches, with (abridged where AWS's is long) documents. */
export const AWS_MANAGED: Readonly<
  Record<string, { id: string; path: string; version: string; description: string; document: PolicyDocument }>
> = {
  AdministratorAccess: {
    id: 'ANPAIWMBCKSKIEE64ZLYK',
    path: '/',
    version: 'v1',
    description: 'Provides full access to AWS services and resources.',
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  },
  PowerUserAccess: {
    id: 'ANPAJYRXTHIB4FOVS3ZXS',
    path: '/',
    version: 'v5',
    description: 'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
    document: doc(
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeOrganization',
          'account:ListRegions',
        ],
        Resource: '*',
      },
    ),
  },
  ReadOnlyAccess: {
    id: 'ANPAILL3HVNFSB6DCOWYQ',
    path: '/',
    version: 'v100',
    description: 'Provides read-only access to AWS services and resources.',
    document: doc({
      Effect: 'Allow',
      Action: ['apigateway:GET', 'lambda:Get*', 'lambda:List*', 'iam:Get*', 'iam:List*', 's3:Get*', 's3:List*'],
      Resource: '*',
    }),
  },
  AmazonAPIGatewayAdministrator: {
    id: 'ANPAJ4PT6VY5NLKTNUYSI',
    path: '/',
    version: 'v1',
    description: 'Provides full access to create/edit/delete APIs in Amazon API Gateway via the AWS Management Console.',
    document: doc({ Effect: 'Allow', Action: ['apigateway:*'], Resource: 'arn:aws:apigateway:*::/*' }),
  },
  AmazonAPIGatewayInvokeFullAccess: {
    id: 'ANPAIIWAX2NOOQJ4AIEQ6',
    path: '/',
    version: 'v2',
    description: 'Provides full access to invoke APIs in Amazon API Gateway.',
    document: doc({
      Effect: 'Allow',
      Action: ['execute-api:Invoke', 'execute-api:ManageConnections'],
      Resource: 'arn:aws:execute-api:*:*:*',
    }),
  },
  AWSLambdaBasicExecutionRole: {
    id: 'ANPAJNCQGXC42545SKXIK',
    path: '/service-role/',
    version: 'v1',
    description: 'Provides write permissions to CloudWatch Logs.',
    document: doc({ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }),
  },
  AmazonAPIGatewayPushToCloudWatchLogs: {
    id: 'ANPAIK4GFO7HLKYN64ASK',
    path: '/service-role/',
    version: 'v1',
    description: "Allows API Gateway to push logs to user's account.",
    document: doc({
      Effect: 'Allow',
      Action: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
        'logs:GetLogEvents',
        'logs:FilterLogEvents',
      ],
      Resource: '*',
    }),
  },
};

export function awsManagedArn(name: string): string {
  const p = AWS_MANAGED[name];
  return `arn:aws:iam::aws:policy${p?.path ?? '/'}${name}`;
}
