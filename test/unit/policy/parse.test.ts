import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPolicyValidationError, parsePolicy, PolicyValidationError, validatePolicy, type PolicyType } from '../../../src/policy';

const DOC = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Invoke', Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:111111111111:abc123/*' },
  ],
};

function problems(input: unknown, type: PolicyType = 'identity'): string[] {
  const r = validatePolicy(input, { type });
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('parsePolicy: inputs', () => {
  it('accepts an object, a JSON string and a URL-encoded JSON string alike', () => {
    const fromObject = parsePolicy(DOC, { type: 'identity', id: 'p' });
    const fromJson = parsePolicy(JSON.stringify(DOC), { type: 'identity', id: 'p' });
    const fromUrl = parsePolicy(encodeURIComponent(JSON.stringify(DOC)), { type: 'identity', id: 'p' });
    for (const p of [fromObject, fromJson, fromUrl]) {
      assert.equal(p.statements.length, 1);
      assert.equal(p.statements[0]?.ref.sid, 'Invoke');
      assert.equal(p.version, '2012-10-17');
    }
  });

  it('accepts Statement as a single object (index 0)', () => {
    const p = parsePolicy({ Statement: { Effect: 'Deny', Action: '*', Resource: '*' } }, { type: 'identity' });
    assert.equal(p.statements[0]?.ref.index, 0);
    assert.equal(p.version, undefined);
  });

  it('returns frozen, compiled policies', () => {
    const p = parsePolicy(DOC, { type: 'identity' });
    assert.ok(Object.isFrozen(p));
    assert.ok(Object.isFrozen(p.statements));
    assert.ok(Object.isFrozen(p.statements[0]));
  });

  it('rejects what is not a document, naming $', () => {
    assert.deepEqual(problems(42), ['$: expected a policy document (an object or a JSON string), got a number (42)']);
    assert.match(problems('{"Statement": [')[0] ?? '', /^\$: not valid JSON/);
    assert.match(problems('[1,2]')[0] ?? '', /^\$: expected a JSON object/);
    assert.match(problems('%7Bnot%ZZ')[0] ?? '', /^\$: looks URL-encoded/);
  });

  it('throws PolicyValidationError with every problem and its path', () => {
    assert.throws(
      () =>
        parsePolicy(
          { Version: '2012-10-18', Statement: [{ Effect: 'Permit', Action: 's3', Resource: 'bucket' }] },
          { type: 'identity', id: 'mine' },
        ),
      (e: unknown) => {
        assert.ok(isPolicyValidationError(e));
        assert.ok(e instanceof PolicyValidationError);
        assert.deepEqual(
          e.problems.map((p) => p.path),
          ['$.Version', '$.Statement[0].Effect', '$.Statement[0].Action', '$.Statement[0].Resource'],
        );
        assert.match(e.message, /identity policy mine/);
        return true;
      },
    );
  });
});

describe('parsePolicy: grammar', () => {
  it('requires Statement and at least one statement', () => {
    assert.deepEqual(problems({ Version: '2012-10-17' }), ['$.Statement: missing required element Statement']);
    assert.deepEqual(problems({ Statement: [] }), ['$.Statement: expected at least one statement']);
  });

  it('reports unknown elements instead of ignoring them', () => {
    assert.deepEqual(
      problems({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Conditions: {} }], Extra: 1 }).map((l) => l.split(':')[0]),
      ['$.Extra', '$.Statement[0].Conditions'],
    );
  });

  it('refuses Action with NotAction, Resource with NotResource, Principal with NotPrincipal', () => {
    assert.deepEqual(problems({ Statement: { Effect: 'Allow', Action: '*', NotAction: 's3:*', Resource: '*' } }).length, 1);
    assert.deepEqual(problems({ Statement: { Effect: 'Allow', Action: '*', Resource: '*', NotResource: '*' } }).length, 1);
    assert.deepEqual(problems({ Statement: { Effect: 'Allow', Action: '*', Principal: '*', NotPrincipal: '*' } }, 'resource').length, 1);
  });

  it('checks elements by policy type', () => {
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' } }, 'identity')[0] ?? '',
      /identity policy cannot have Principal/,
    );
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' } }, 'scp')[0] ?? '',
      /scp policy cannot have Principal/,
    );
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } }, 'trust')[0] ?? '',
      /missing required element Principal/,
    );
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Principal: { AWS: '111111111111' } } }, 'rcp')[0] ?? '',
      /must have "Principal": "\*"/,
    );
    assert.deepEqual(
      problems({ Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } } }, 'trust'),
      [],
    );
    // A resource-based policy statement without a principal is accepted (it never matches).
    assert.deepEqual(problems({ Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } }, 'resource'), []);
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: '*' } }, 'permissionsBoundary')[0] ?? '',
      /missing required element Resource/,
    );
  });

  it('checks action and resource syntax', () => {
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: ['s3:Get*', 's3*:Get'], Resource: '*' } })[0] ?? '',
      /^\$\.Statement\.Action\[1\]: wildcards are not allowed in the service prefix/,
    );
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: 's3', Resource: '*' } })[0] ?? '',
      /^\$\.Statement\.Action: expected "\*" or "service:action"/,
    );
    assert.match(
      problems({ Statement: { Effect: 'Allow', Action: '*', Resource: 'my-bucket' } })[0] ?? '',
      /^\$\.Statement\.Resource: expected "\*" or an ARN/,
    );
    assert.match(problems({ Statement: { Effect: 'Allow', Action: '*', Resource: [] } })[0] ?? '', /empty list/);
  });

  it('keeps action strings IAM stores although they name no action, with a warning at their JSON path', () => {
    const odd = [
      'execute-api:Invoke,execute-api:InvalidateCache',
      's3:',
      's3:   ',
      ' s3:GetObject',
      's3:GetObject ',
      's3:Get Object',
      's3:Get/Object',
    ];
    for (const value of odd) {
      const r = validatePolicy({ Statement: { Effect: 'Allow', Action: ['s3:PutObject', value], Resource: '*' } }, { type: 'identity' });
      assert.ok(r.ok, `${JSON.stringify(value)} is accepted`);
      assert.equal(r.warnings.length, 1, JSON.stringify(value));
      assert.equal(r.warnings[0]?.path, '$.Statement.Action[1]');
      assert.match(r.warnings[0]?.message ?? '', /is not an action name .*matches no request/);
    }
    const comma = validatePolicy(
      { Statement: { Effect: 'Allow', Action: 's3:GetObject,s3:PutObject', Resource: '*' } },
      { type: 'identity' },
    );
    assert.ok(comma.ok);
    assert.match(comma.warnings[0]?.message ?? '', /joined with commas/);
    const clean = validatePolicy(
      { Statement: { Effect: 'Allow', Action: ['s3:Get*', 'execute-api:Invoke'], Resource: '*' } },
      { type: 'identity' },
    );
    assert.ok(clean.ok);
    assert.deepEqual(clean.warnings, []);
    // What IAM could never store is still refused.
    assert.match(problems({ Statement: { Effect: 'Allow', Resource: '*' } })[0] ?? '', /missing required element Action/);
  });

  it('checks principals: no partial wildcards, no groups, known keys', () => {
    const p = (principal: unknown) => problems({ Statement: { Effect: 'Allow', Action: '*', Principal: principal } }, 'resource');
    assert.deepEqual(p('*'), []);
    assert.deepEqual(
      p({ AWS: ['111111111111', 'arn:aws:iam::111111111111:root', 'arn:aws:sts::111111111111:assumed-role/r/s', 'AROAEXAMPLEID1234567'] }),
      [],
    );
    assert.match(p({ AWS: 'arn:aws:iam::111111111111:user/*' })[0] ?? '', /wildcards are not allowed in a principal/);
    assert.match(p({ AWS: 'arn:aws:iam::111111111111:group/admins' })[0] ?? '', /groups cannot be principals/);
    assert.match(p({ Users: 'x' })[0] ?? '', /unknown principal type "Users"/);
    assert.match(p('arn:aws:iam::111111111111:root')[0] ?? '', /expected "\*" or an object/);
    assert.match(p({ CanonicalUser: 'abc' })[0] ?? '', /canonical user id/);
  });

  it('checks conditions: operators, values per operator, paths to the value', () => {
    const c = (condition: unknown) => problems({ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: condition } });
    assert.deepEqual(
      c({
        'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*'] },
        NumericLessThan: { 's3:max-keys': 10 },
        Bool: { 'aws:SecureTransport': true },
      }),
      [],
    );
    assert.match(c({ StringMatches: { k: 'v' } })[0] ?? '', /^\$\.Statement\.Condition\.StringMatches: unknown condition operator/);
    assert.match(c({ 'ForSomeValues:StringEquals': { k: 'v' } })[0] ?? '', /unknown set operator/);
    assert.match(
      c({ DateLessThan: { 'aws:CurrentTime': 'yesterday' } })[0] ?? '',
      /\["aws:CurrentTime"\]: DateLessThan expects an ISO 8601 date/,
    );
    assert.match(c({ Bool: { 'aws:SecureTransport': 'yes' } })[0] ?? '', /Bool expects "true" or "false"/);
    assert.match(c({ BinaryEquals: { k: 'not base64!' } })[0] ?? '', /base-64/);
    assert.match(c({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/33'] } })[0] ?? '', /\[0\]: IpAddress expects/);
    assert.match(c({ StringEquals: {} })[0] ?? '', /empty object/);
    assert.match(c({ StringEquals: { k: [] } })[0] ?? '', /at least one value/);
    assert.match(c({ StringEquals: { k: { nested: 1 } } })[0] ?? '', /string, number or boolean/);
    assert.match(c('x')[0] ?? '', /expected an object of condition operators/);
  });

  it('canonicalizes operator names and keeps keys as written', () => {
    const p = parsePolicy(
      {
        Statement: {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { 'forallvalues:stringequalsifexists': { 'AWS:TagKeys': 'a' } },
        },
      },
      { type: 'identity' },
    );
    const clause = p.statements[0]?.condition?.clauses[0];
    assert.equal(clause?.operator.text, 'ForAllValues:StringEqualsIfExists');
    assert.equal(clause?.key, 'AWS:TagKeys');
    assert.equal(clause?.keyLower, 'aws:tagkeys');
  });
});
