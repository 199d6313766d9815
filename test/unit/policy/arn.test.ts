import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountIdOfArn, accountOfArn, isAwsPartition, parseArn, principalAccountOf, splitArnComponents } from '../../../src/policy';

/**
 * The three ways to read the account of an ARN, on the same inputs: the
 * component as written (`accountOfArn`), a 12-digit owner only
 * (`accountIdOfArn`) and the account a principal acts from
 * (`principalAccountOf`). `undefined` is written as `null` in the table.
 */
interface Case {
  name: string;
  value: string;
  /** accountOfArn */
  written: string | null;
  /** accountIdOfArn */
  id: string | null;
  /** principalAccountOf */
  principal: string | null;
}

const CASES: Case[] = [
  { name: 'empty string', value: '', written: null, id: null, principal: null },
  { name: 'an account id alone', value: '123456789012', written: null, id: null, principal: null },
  { name: 'a service principal', value: 'lambda.amazonaws.com', written: null, id: null, principal: null },
  { name: 'a China service principal', value: 'states.amazonaws.com.cn', written: null, id: null, principal: null },
  { name: 'anonymous', value: 'anonymous', written: null, id: null, principal: null },
  { name: 'bare "*"', value: '*', written: null, id: null, principal: null },
  { name: 'no arn: prefix, enough colons', value: 'urn:aws:iam::123456789012:root', written: null, id: null, principal: null },
  { name: 'upper-case prefix', value: 'ARN:aws:iam::123456789012:root', written: null, id: null, principal: null },
  { name: 'four colons: no resource component', value: 'arn:aws:iam::123456789012', written: null, id: null, principal: null },
  { name: 'three colons', value: 'arn:aws:iam:', written: null, id: null, principal: null },
  { name: 'just the prefix', value: 'arn:', written: null, id: null, principal: null },
  { name: 'five colons, every component empty', value: 'arn:::::', written: '', id: null, principal: null },
  { name: 'S3 bucket: empty account', value: 'arn:aws:s3:::my-bucket', written: '', id: null, principal: null },
  { name: 'S3 object with colons in the key', value: 'arn:aws:s3:::b/k:1:2', written: '', id: null, principal: null },
  {
    name: 'IAM user',
    value: 'arn:aws:iam::123456789012:user/alice',
    written: '123456789012',
    id: '123456789012',
    principal: '123456789012',
  },
  { name: 'IAM root', value: 'arn:aws:iam::123456789012:root', written: '123456789012', id: '123456789012', principal: '123456789012' },
  {
    name: 'IAM role with a path',
    value: 'arn:aws:iam::123456789012:role/a/b/R',
    written: '123456789012',
    id: '123456789012',
    principal: '123456789012',
  },
  {
    name: 'STS assumed-role session',
    value: 'arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com',
    written: '123456789012',
    id: '123456789012',
    principal: '123456789012',
  },
  {
    name: 'STS federated user',
    value: 'arn:aws:sts::123456789012:federated-user/bob',
    written: '123456789012',
    id: '123456789012',
    principal: '123456789012',
  },
  { name: 'any account in a principal', value: 'arn:aws:iam::*:root', written: '*', id: null, principal: '*' },
  { name: 'any account, any user (integration credentials)', value: 'arn:aws:iam::*:user/*', written: '*', id: null, principal: '*' },
  { name: 'account pattern', value: 'arn:aws:iam::1234567890*:role/x', written: '1234567890*', id: null, principal: null },
  { name: 'AWS managed policy', value: 'arn:aws:iam::aws:policy/ReadOnlyAccess', written: 'aws', id: null, principal: null },
  { name: 'eleven digits', value: 'arn:aws:iam::12345678901:root', written: '12345678901', id: null, principal: null },
  { name: 'thirteen digits', value: 'arn:aws:iam::1234567890123:root', written: '1234567890123', id: null, principal: null },
  {
    name: 'China partition role',
    value: 'arn:aws-cn:iam::123456789012:role/R',
    written: '123456789012',
    id: '123456789012',
    principal: '123456789012',
  },
  {
    name: 'GovCloud assumed-role session',
    value: 'arn:aws-us-gov:sts::123456789012:assumed-role/R/s',
    written: '123456789012',
    id: '123456789012',
    principal: '123456789012',
  },
  { name: 'not an AWS partition', value: 'arn:gcp:iam::123456789012:root', written: '123456789012', id: '123456789012', principal: null },
  { name: 'empty partition', value: 'arn::iam::123456789012:root', written: '123456789012', id: '123456789012', principal: null },
  {
    name: 'IAM with a region',
    value: 'arn:aws:iam:us-east-1:123456789012:role/R',
    written: '123456789012',
    id: '123456789012',
    principal: null,
  },
  {
    name: 'Lambda function (not a principal)',
    value: 'arn:aws:lambda:us-east-1:123456789012:function:f:prod',
    written: '123456789012',
    id: '123456789012',
    principal: null,
  },
  {
    name: 'execute-api method in GovCloud',
    value: 'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc/prod/GET/a:b',
    written: '123456789012',
    id: '123456789012',
    principal: null,
  },
  {
    name: 'API Gateway management: no account',
    value: 'arn:aws:apigateway:us-east-1::/restapis/abc',
    written: '',
    id: null,
    principal: null,
  },
  {
    name: 'SQS queue in China',
    value: 'arn:aws-cn:sqs:cn-north-1:123456789012:q',
    written: '123456789012',
    id: '123456789012',
    principal: null,
  },
];

const orNull = (v: string | undefined): string | null => v ?? null;

describe('ARN accounts', () => {
  for (const c of CASES) {
    it(`${c.name}: ${JSON.stringify(c.value)}`, () => {
      assert.equal(orNull(accountOfArn(c.value)), c.written, 'accountOfArn');
      assert.equal(orNull(accountIdOfArn(c.value)), c.id, 'accountIdOfArn');
      assert.equal(orNull(principalAccountOf(c.value)), c.principal, 'principalAccountOf');
    });
  }

  it('accountOfArn is the account component of parseArn and splitArnComponents', () => {
    for (const c of CASES) {
      assert.equal(orNull(parseArn(c.value)?.account), c.written, c.name);
      const parts = splitArnComponents(c.value);
      if (c.value.startsWith('arn:')) assert.equal(orNull(parts?.[4]), c.written, c.name);
    }
  });

  it('knows the AWS partitions by name', () => {
    for (const p of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b']) assert.equal(isAwsPartition(p), true, p);
    for (const p of ['', 'aw', 'AWS', 'aws1', 'gcp', 'aws_cn', 'aws:cn']) assert.equal(isAwsPartition(p), false, p);
  });

  it('keeps the resource whole, colons included', () => {
    assert.deepEqual(parseArn('arn:aws:lambda:us-east-1:123456789012:function:f:prod'), {
      partition: 'aws',
      service: 'lambda',
      region: 'us-east-1',
      account: '123456789012',
      resource: 'function:f:prod',
    });
    assert.deepEqual(splitArnComponents('x:y:z:w:v:a:b'), ['x', 'y', 'z', 'w', 'v', 'a:b']);
    assert.equal(splitArnComponents('x:y:z:w'), undefined);
  });

  it('reads long strings of colons, digits and partition-like letters', () => {
    const long = `arn:aws${'-a'.repeat(200_000)}:iam::${'1'.repeat(200_000)}:${':'.repeat(200_000)}`;
    assert.equal(accountOfArn(long), '1'.repeat(200_000));
    assert.equal(accountIdOfArn(long), undefined);
    assert.equal(principalAccountOf(long), undefined);
    assert.equal(principalAccountOf(`arn:${'aws'.repeat(100_000)}x`), undefined);
    assert.equal(principalAccountOf(`arn:aws${'-'.repeat(200_000)}:sts::*:x`), '*');
  });
});
