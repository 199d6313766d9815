import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  authorize,
  authorizeApiGatewayInvoke,
  collectAtoms,
  describeTruth,
  evaluateStatementConditions,
  evaluateTruth,
  expandExecuteApiShortForm,
  explainAuthorization,
  parseExecuteApiArn,
  parsePolicy,
  principalFromArn,
  RequestContext,
  resolveResourceAccount,
  statementMatchesPrincipal,
  unknownPolicy,
  type Atom,
  type CompiledPolicy,
  type ContextInputValue,
  type Principal,
} from '../../../src/policy';

function principal(arn: string): Principal {
  const r = principalFromArn(arn);
  if (!r.ok) throw new Error(r.message);
  return r.principal;
}

const A = '111111111111';
const ALICE = principal(`arn:aws:iam::${A}:user/alice`);
const RESOURCE = `arn:aws:execute-api:us-east-1:${A}:abc123/prod/GET/pets`;

function policy(type: CompiledPolicy['source']['type'], id: string, statements: unknown[]): CompiledPolicy {
  return parsePolicy({ Version: '2012-10-17', Statement: statements }, { type, id });
}

describe('authorize: analysis mode is exact', () => {
  // Policies whose statements depend on three keys, through allows and denies in several layers.
  const identity = policy('identity', 'id', [
    { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition: { StringEquals: { 'test:a': 'yes' } } },
    {
      Effect: 'Allow',
      Action: 'execute-api:*',
      Resource: '*',
      Condition: { NumericLessThan: { 'test:n': '5' }, 'ForAnyValue:StringLike': { 'test:l': ['x*'] } },
    },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'test:b': 'ok' } } },
  ]);
  const boundary = policy('permissionsBoundary', 'pb', [
    { Effect: 'Allow', Action: '*', Resource: '*', Condition: { Null: { 'test:c': 'false' } } },
  ]);
  const resource = policy('resource', 'rp', [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:user/alice` },
      Action: 'execute-api:Invoke',
      Resource: '*',
      Condition: { StringLike: { 'test:a': 'y*' }, Bool: { 'test:f': 'true' } },
    },
  ]);
  const keys = ['test:a', 'test:b', 'test:c', 'test:n', 'test:l', 'test:f'];
  const valueFor: Record<string, fc.Arbitrary<ContextInputValue>> = {
    'test:a': fc.constantFrom('yes', 'yo', 'no'),
    'test:b': fc.constantFrom('ok', 'ko'),
    'test:c': fc.constantFrom('1'),
    'test:n': fc.constantFrom('1', '9'),
    'test:l': fc.constantFrom<ContextInputValue>(['x1'], ['y1'], ['y', 'xx'], []),
    'test:f': fc.constantFrom('true', 'false'),
  };
  const contexts = fc.record(
    Object.fromEntries(keys.map((k) => [k, fc.option(valueFor[k] as fc.Arbitrary<ContextInputValue>, { nil: undefined })])),
  );
  const defined = (o: Record<string, ContextInputValue | undefined>): Record<string, ContextInputValue> =>
    Object.fromEntries(Object.entries(o).filter((e): e is [string, ContextInputValue] => e[1] !== undefined));

  /** Decides an atom concretely: its clause evaluated alone against the full context. */
  function atomHolds(a: Atom, values: Record<string, ContextInputValue>): boolean {
    assert.equal(a.kind, 'condition');
    if (a.kind !== 'condition') return false;
    const s = policy('identity', 'probe', [
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { [a.operator]: { [a.key]: a.values } } },
    ]).statements[0];
    assert.ok(s);
    const t = evaluateStatementConditions(s, new RequestContext({ principal: ALICE, values }));
    assert.equal(typeof t, 'boolean');
    return t === true;
  }

  it('for any partial context, the conditional formula predicts the concrete decision of every completion', () => {
    fc.assert(
      fc.property(contexts, contexts, fc.array(fc.constantFrom(...keys)), (known, completion, hidden) => {
        const given = defined(known);
        for (const h of hidden) delete given[h];
        const full: Record<string, ContextInputValue> = { ...defined(completion), ...given };
        // Keys hidden in the analysis may be absent in the completion too.
        for (const h of hidden) if (known[h] === undefined && completion[h] === undefined) delete full[h];
        const base = {
          principal: ALICE,
          action: 'execute-api:Invoke',
          resource: RESOURCE,
          identityPolicies: [identity],
          permissionsBoundaries: [boundary],
          resourcePolicy: resource,
        };
        const analysis = authorize({ ...base, mode: 'analysis', context: { values: given } });
        const concrete = authorize({ ...base, mode: 'concrete', context: { values: full } });
        const givenKeys = new Set(Object.keys(given));
        const fullKeys = new Set(Object.keys(full));
        // Only completions that agree with what was given.
        for (const k of givenKeys) assert.ok(fullKeys.has(k));
        if (analysis.decision !== 'conditional') {
          assert.equal(concrete.decision, analysis.decision, 'a final analysis decision must hold for every completion');
          return;
        }
        const c = analysis.conditional;
        assert.ok(c);
        for (const a of collectAtoms(c.allowedWhen, c.explicitDenyWhen)) {
          if (a.kind === 'condition') for (const k of a.missingKeys) assert.ok(!givenKeys.has(k), `atom depends on given key ${k}`);
        }
        const assign = (a: Atom) => atomHolds(a, full);
        const predicted = evaluateTruth(c.explicitDenyWhen, assign)
          ? 'explicitDeny'
          : evaluateTruth(c.allowedWhen, assign)
            ? 'allowed'
            : 'implicitDeny';
        assert.equal(
          concrete.decision,
          predicted,
          `formula: allowed when ${describeTruth(c.allowedWhen)}; denied when ${describeTruth(c.explicitDenyWhen)}`,
        );
        assert.ok(c.possibleDecisions.includes(predicted));
      }),
      { numRuns: 1500 },
    );
  });

  it('a decision that cannot change stays final even with unknown keys', () => {
    const always = policy('identity', 'id', [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ]);
    const r = authorize({
      principal: ALICE,
      action: 'execute-api:Invoke',
      resource: RESOURCE,
      identityPolicies: [always],
      mode: 'analysis',
    });
    assert.equal(r.decision, 'allowed');
    assert.equal(r.conditional, undefined);
  });
});

describe('authorize: principals at their levels', () => {
  const rp = policy('resource', 'rp', [
    {
      Effect: 'Allow',
      Principal: {
        AWS: [`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${A}:role/app`, `arn:aws:sts::${A}:assumed-role/app/build-42`, '222222222222'],
      },
      Action: '*',
      Resource: '*',
    },
  ]);
  const stmt = rp.statements[0];
  assert.ok(stmt);

  it('names the user directly, the role of a session as its parent, the account as an account', () => {
    assert.deepEqual(statementMatchesPrincipal(stmt, ALICE), { wildcard: false, direct: true, parent: false, account: false });
    assert.deepEqual(statementMatchesPrincipal(stmt, principal(`arn:aws:sts::${A}:assumed-role/app/other`)), {
      wildcard: false,
      direct: false,
      parent: true,
      account: false,
    });
    assert.deepEqual(statementMatchesPrincipal(stmt, principal(`arn:aws:sts::${A}:assumed-role/app/build-42`)), {
      wildcard: false,
      direct: true,
      parent: true,
      account: false,
    });
    assert.deepEqual(statementMatchesPrincipal(stmt, principal('arn:aws:iam::222222222222:user/bob')), {
      wildcard: false,
      direct: false,
      parent: false,
      account: true,
    });
    assert.deepEqual(statementMatchesPrincipal(stmt, { kind: 'anonymous' }), {
      wildcard: false,
      direct: false,
      parent: false,
      account: false,
    });
  });

  it('"any session of a role" matches a named session only conditionally (analysis) or not at all (concrete)', () => {
    const role = principal(`arn:aws:iam::${A}:role/app`);
    const named = policy('resource', 'rp', [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:sts::${A}:assumed-role/app/build-42` }, Action: '*', Resource: '*' },
    ]);
    const pb = policy('permissionsBoundary', 'pb', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const base = { principal: role, action: 'execute-api:Invoke', resource: RESOURCE, resourcePolicy: named, permissionsBoundaries: [pb] };
    assert.equal(authorize({ ...base, mode: 'concrete' }).decision, 'implicitDeny');
    const r = authorize({ ...base, mode: 'analysis' });
    assert.equal(r.decision, 'conditional');
    const atoms = collectAtoms(r.conditional?.allowedWhen ?? false);
    assert.deepEqual(atoms, [{ kind: 'sessionName', roleArn: `arn:aws:iam::${A}:role/app`, sessionName: 'build-42' }]);
  });
});

describe('authorize: other principal forms', () => {
  it('CanonicalUser names a caller with that canonical id', () => {
    const id = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    const rp = policy('resource', 'rp', [
      { Effect: 'Allow', Principal: { CanonicalUser: id }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    ]);
    const root: Principal = {
      kind: 'root',
      partition: 'aws',
      accountId: '222222222222',
      arn: 'arn:aws:iam::222222222222:root',
      canonicalUserId: id,
    };
    const other: Principal = { ...root, canonicalUserId: '0'.repeat(64) };
    const base = { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: A, resourcePolicy: rp };
    assert.equal(authorize({ ...base, principal: root }).decision, 'allowed');
    assert.equal(authorize({ ...base, principal: other }).decision, 'implicitDeny');
  });

  it('a unique id in a trust policy names the principal that has it', () => {
    const trust = policy('trust', 'trust', [{ Effect: 'Allow', Principal: { AWS: 'AROAEXAMPLEID1234567' }, Action: 'sts:AssumeRole' }]);
    const withId = principalFromArn(`arn:aws:sts::${A}:assumed-role/app/s1`, { roleId: 'AROAEXAMPLEID1234567' });
    assert.ok(withId.ok);
    const base = { action: 'sts:AssumeRole', resource: `arn:aws:iam::${A}:role/target`, resourcePolicy: trust };
    assert.equal(authorize({ ...base, principal: withId.principal }).decision, 'allowed');
    assert.equal(authorize({ ...base, principal: principal(`arn:aws:sts::${A}:assumed-role/app/s1`) }).decision, 'implicitDeny');
  });

  it('a context reused for many decisions reports the missing keys of each decision only', () => {
    const id = policy('identity', 'id', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'test:x': '1' } } },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'test:y': '1' } } },
    ]);
    const context = new RequestContext({ principal: ALICE });
    const get = authorize({ principal: ALICE, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', identityPolicies: [id], context });
    const put = authorize({ principal: ALICE, action: 's3:PutObject', resource: 'arn:aws:s3:::b/k', identityPolicies: [id], context });
    assert.deepEqual(get.missingContextKeys, ['test:x']);
    assert.deepEqual(put.missingContextKeys, ['test:y']);
  });
});

describe('authorize: accounts and explanations', () => {
  it('resolves the resource owner: ARN account, else the explicit owner, else the caller', () => {
    assert.equal(resolveResourceAccount(RESOURCE, ALICE), A);
    assert.equal(resolveResourceAccount('arn:aws:s3:::bucket', ALICE), A);
    assert.equal(resolveResourceAccount('arn:aws:s3:::bucket', ALICE, '222222222222'), '222222222222');
    assert.equal(resolveResourceAccount('*', { kind: 'anonymous' }), '');
  });

  it('explains which statements decided and the layers', () => {
    const id = policy('identity', 'PolicyInputList.1', [{ Sid: 'NoPets', Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }]);
    const r = authorize({
      principal: ALICE,
      action: 'execute-api:Invoke',
      resource: RESOURCE,
      identityPolicies: [id],
      permissionsBoundaries: [policy('permissionsBoundary', 'pb', [{ Effect: 'Allow', Action: '*', Resource: '*' }])],
    });
    assert.equal(r.decision, 'explicitDeny');
    assert.deepEqual(r.matchedStatements, [
      { policyId: 'PolicyInputList.1', policyType: 'identity', index: 0, sid: 'NoPets', effect: 'Deny', conditional: false },
    ]);
    const lines = explainAuthorization(r);
    assert.ok(lines.includes('statement: Deny PolicyInputList.1#0(NoPets) (identity)'), lines.join('\n'));
    assert.ok(lines.includes('permissions boundary allows: yes'), lines.join('\n'));
  });

  it('fills global keys from the caller unless the request gives them', () => {
    const session = principal(`arn:aws:sts::${A}:assumed-role/app/s1`);
    const id = policy('identity', 'id', [
      {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/app` },
          StringEquals: { 'aws:PrincipalType': 'AssumedRole', 'aws:PrincipalAccount': A },
        },
      },
    ]);
    assert.equal(
      authorize({ principal: session, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', identityPolicies: [id] }).decision,
      'allowed',
    );
    const overridden = authorize({
      principal: session,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      identityPolicies: [id],
      context: { values: { 'aws:PrincipalType': 'User' } },
    });
    assert.equal(overridden.decision, 'implicitDeny');
  });

  it('derives aws:CurrentTime and aws:EpochTime from the request time', () => {
    const id = policy('identity', 'id', [
      {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, NumericGreaterThan: { 'aws:EpochTime': '1700000000' } },
      },
    ]);
    const base = { principal: ALICE, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', identityPolicies: [id] };
    assert.equal(authorize({ ...base, context: { currentTime: new Date('2026-01-01T00:00:00Z') } }).decision, 'allowed');
    assert.equal(authorize({ ...base, context: { currentTime: new Date('2031-01-01T00:00:00Z') } }).decision, 'implicitDeny');
    const missing = authorize(base);
    assert.equal(missing.decision, 'implicitDeny');
    assert.deepEqual([...missing.missingContextKeys].sort(), ['aws:currenttime']);
  });
});

describe('API Gateway helpers', () => {
  it('parses execute-api ARNs', () => {
    assert.deepEqual(parseExecuteApiArn(RESOURCE), {
      partition: 'aws',
      region: 'us-east-1',
      accountId: A,
      apiId: 'abc123',
      rest: 'prod/GET/pets',
    });
    assert.equal(parseExecuteApiArn('arn:aws:s3:::b'), undefined);
  });

  it('expands the short form in Resource and NotResource without touching the input', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: ['execute-api:/prod/GET/pets', 'arn:aws:execute-api:*:*:*'],
        },
        { Effect: 'Deny', Principal: '*', Action: '*', NotResource: 'execute-api:/*' },
      ],
    };
    const out = expandExecuteApiShortForm(doc, { partition: 'aws', region: 'us-east-1', accountId: A, apiId: 'abc123' });
    assert.deepEqual(out['Statement'], [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [`arn:aws:execute-api:us-east-1:${A}:abc123/prod/GET/pets`, 'arn:aws:execute-api:*:*:*'],
      },
      { Effect: 'Deny', Principal: '*', Action: '*', NotResource: `arn:aws:execute-api:us-east-1:${A}:abc123/*` },
    ]);
    assert.equal(doc.Statement[0]?.Resource?.[0], 'execute-api:/prod/GET/pets');
  });

  it('an unknown authorizer answer is an atom in analysis mode, "None" in concrete mode', () => {
    const base = {
      principal: { kind: 'anonymous' } as const,
      action: 'execute-api:Invoke',
      resource: RESOURCE,
      authorizationType: 'CUSTOM' as const,
    };
    const analysis = authorizeApiGatewayInvoke({ ...base, mode: 'analysis' });
    assert.equal(analysis.decision, 'conditional');
    // Allowed when the authorizer allows and does not deny; explicitly denied when it denies.
    assert.deepEqual(collectAtoms(analysis.conditional?.allowedWhen ?? false), [
      { kind: 'authorizer', decision: 'Allow' },
      { kind: 'authorizer', decision: 'Deny' },
    ]);
    assert.deepEqual(collectAtoms(analysis.conditional?.explicitDenyWhen ?? false), [{ kind: 'authorizer', decision: 'Deny' }]);
    const concrete = authorizeApiGatewayInvoke({ ...base, mode: 'concrete' });
    assert.equal(concrete.decision, 'implicitDeny');
    assert.ok(concrete.notes.some((n) => n.includes('authorizer decision was not given')));
  });
});

describe('accountPrincipal: some principal of an account, which one unknown', () => {
  const B = '222222222222';
  const someone: Principal = { kind: 'accountPrincipal', partition: 'aws', accountId: B };
  const unknownOwn = unknownPolicy({ type: 'identity', id: 'own', reason: 'not ingested' });
  const rp = (principalElement: unknown, condition?: Record<string, unknown>) =>
    policy('resource', 'rp', [
      {
        Effect: 'Allow',
        Principal: principalElement,
        Action: 'execute-api:Invoke',
        Resource: '*',
        ...(condition ? { Condition: condition } : {}),
      },
    ]);
  const ask = (resourcePolicy: CompiledPolicy) =>
    authorize({
      principal: someone,
      action: 'execute-api:Invoke',
      resource: RESOURCE,
      mode: 'analysis',
      identityPolicies: [unknownOwn],
      resourcePolicy,
    });

  it('is named by its account and by "*", never by a specific ARN of that account', () => {
    assert.equal(ask(rp({ AWS: `arn:aws:iam::${B}:root` })).decision, 'conditional');
    assert.equal(ask(rp('*')).decision, 'conditional');
    assert.equal(ask(rp({ AWS: `arn:aws:iam::${B}:role/deployer` })).decision, 'implicitDeny');
  });

  it('cross account, it needs its own (unknown) policies to allow: the answer depends on them, never on a guess', () => {
    const atoms = collectAtoms(ask(rp({ AWS: B })).conditional!.allowedWhen);
    assert.ok(
      atoms.some((a) => a.kind === 'unknownPolicy' && a.effect === 'Allow'),
      'the allow of its own policies is an open question',
    );
  });

  it('leaves its ARN, type, name, id and tags unknown, so conditions on them stay open', () => {
    for (const condition of [
      { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${B}:role/deployer` } },
      { StringEquals: { 'aws:PrincipalTag/team': 'payments' } },
      { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } },
      { StringLike: { 'aws:userid': 'AROA*' } },
    ]) {
      const result = ask(rp({ AWS: B }, condition));
      assert.equal(result.decision, 'conditional', JSON.stringify(condition));
      assert.ok(
        result.conditional!.missingKeys.includes(Object.keys(Object.values<object | undefined>(condition)[0]!)[0]!.toLowerCase()),
        JSON.stringify(condition),
      );
    }
  });

  it('knows its account: aws:PrincipalAccount decides', () => {
    assert.equal(ask(rp('*', { StringEquals: { 'aws:PrincipalAccount': '333333333333' } })).decision, 'implicitDeny');
    assert.equal(ask(rp('*', { StringEquals: { 'aws:PrincipalAccount': B } })).decision, 'conditional');
  });
});
