import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserInputError } from '../../../src/errors';
import { checkAccountId, checkApiId, parseMethodArn, parsePrincipalArn } from '../../../src/services/browse/arns';

const X = 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5';

describe('browse: reading ARNs and ids', () => {
  it('reads execute-api method ARNs: templates, concrete paths, the root, ANY and $default', () => {
    assert.deepEqual(parseMethodArn(`${X}/prod/GET/pets/{id}`), {
      apiArn: X,
      apiId: 'a1b2c3d4e5',
      stage: 'prod',
      verb: 'GET',
      path: '/pets/{id}',
    });
    assert.deepEqual(parseMethodArn(`${X}/prod/get/pets/42`), {
      apiArn: X,
      apiId: 'a1b2c3d4e5',
      stage: 'prod',
      verb: 'GET',
      path: '/pets/42',
    });
    assert.equal(parseMethodArn(`${X}/prod/GET/`).path, '/');
    assert.equal(parseMethodArn(`${X}/prod/GET`).path, '/');
    assert.equal(parseMethodArn(`${X}/staging/ANY/admin/{proxy+}`).verb, 'ANY');
    assert.deepEqual(parseMethodArn('arn:aws:execute-api:us-east-1:333344445555:h7t8p9a0b1/$default/$default'), {
      apiArn: 'arn:aws:execute-api:us-east-1:333344445555:h7t8p9a0b1',
      apiId: 'h7t8p9a0b1',
      stage: '$default',
      verb: '$default',
      path: '',
    });
    assert.equal(
      parseMethodArn('arn:aws-cn:execute-api:cn-north-1:333344445555:a1b2c3d4e5/prod/GET/x').apiArn,
      'arn:aws-cn:execute-api:cn-north-1:333344445555:a1b2c3d4e5',
    );
  });

  it('refuses malformed method ARNs, saying what is wrong and what was expected', () => {
    const cases: [string, RegExp][] = [
      ['pets', /not an execute-api ARN/],
      ['arn:aws:iam::333344445555:role/x', /not an execute-api ARN/],
      [`${X}/*/GET/pets`, /wildcards/],
      [`${X}/prod/GET/pets/*`, /wildcards/],
      ['arn:aws:execute-api:mars:333344445555:a1b2c3d4e5/prod/GET/x', /region "mars"/],
      ['arn:aws:execute-api:us-east-1:3333:a1b2c3d4e5/prod/GET/x', /account "3333" is not 12 digits/],
      ['arn:aws:execute-api:us-east-1:333344445555:a1-b2/prod/GET/x', /API id "a1-b2"/],
      [X, /the stage is missing/],
      [`${X}/pr od/GET/x`, /stage "pr od" is not a stage name/],
      [`${X}/prod/FETCH/x`, /verb "FETCH" is not one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ANY/],
      [`${X}/prod`, /verb "" is not one of/],
    ];
    for (const [arn, why] of cases) {
      assert.throws(
        () => parseMethodArn(arn),
        (e: unknown) =>
          e instanceof UserInputError && why.test(e.message) && /^arn: .*expected an execute-api method ARN such as/.test(e.message),
        arn,
      );
    }
  });

  it('reads user and role ARNs (with paths); refuses others', () => {
    assert.deepEqual(parsePrincipalArn('arn:aws:iam::333344445555:user/bob-caller'), { account: '333344445555', kind: 'user' });
    assert.deepEqual(parsePrincipalArn('arn:aws:iam::333344445555:role/service-role/x'), { account: '333344445555', kind: 'role' });
    for (const bad of [
      'bob',
      'arn:aws:iam::333344445555:group/g',
      'arn:aws:sts::333344445555:assumed-role/r/s',
      'arn:aws:iam::33334444555:user/x',
      'arn:aws:iam::333344445555:user/',
    ]) {
      assert.throws(() => parsePrincipalArn(bad), /^UserInputError: arn: expected the ARN of an IAM user or role/, bad);
    }
    assert.throws(
      () => parsePrincipalArn('x'.repeat(100_000)),
      (e: unknown) => e instanceof UserInputError && e.message.length < 400,
      'long input is quoted shortened',
    );
  });

  it('checks account ids and API ids', () => {
    assert.doesNotThrow(() => checkAccountId('333344445555', 'filter.account'));
    assert.throws(() => checkAccountId('3333', 'filter.account'), /^UserInputError: filter\.account: expected a 12-digit AWS account id/);
    assert.doesNotThrow(() => checkApiId('a1b2c3d4e5', 'id'));
    assert.throws(() => checkApiId("a1' OR 1=1", 'id'), /^UserInputError: id: expected an API Gateway API id/);
  });
});
