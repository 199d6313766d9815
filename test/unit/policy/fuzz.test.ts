import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../../../src/errors';
import { isPolicyValidationError, parsePolicy, validatePolicy, POLICY_TYPES, type PolicyType } from '../../../src/policy';
import { runSimulation } from '../../../src/services/simulation';

/**
 * Fuzzing: random or mangled documents and requests must come back as
 * validation errors (with JSON paths), never as crashes.
 */
const VALID = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'A',
      Effect: 'Allow',
      Action: ['execute-api:Invoke', 's3:Get*'],
      Resource: 'arn:aws:execute-api:us-east-1:111111111111:abc/*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    },
    {
      Effect: 'Deny',
      NotAction: 'iam:*',
      NotResource: ['arn:aws:s3:::b/${aws:username}/*'],
      Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['x*'] }, Null: { 'aws:TokenIssueTime': 'true' } },
    },
    {
      Effect: 'Allow',
      Principal: { AWS: ['111111111111', 'arn:aws:iam::222222222222:role/r'], Service: 'apigateway.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
};

/** Replaces the value at a random path with a random JSON value, or deletes it. */
function mangle(doc: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  if (path.length === 0 || typeof doc !== 'object' || doc === null) return replacement;
  const [head, ...rest] = path as [number, ...number[]];
  if (Array.isArray(doc)) {
    if (doc.length === 0) return replacement;
    const i = head % doc.length;
    const copy: unknown[] = [...(doc as unknown[])];
    if (remove && rest.length === 0) copy.splice(i, 1);
    else copy[i] = mangle(copy[i], rest, replacement, remove);
    return copy;
  }
  const entries = Object.entries(doc as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [key, value] = entries[head % entries.length] as [string, unknown];
  const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  if (remove && rest.length === 0) delete copy[key];
  else copy[key] = mangle(value, rest, replacement, remove);
  return copy;
}

function checkNeverCrashes(input: unknown, type: PolicyType): void {
  const r = validatePolicy(input, { type });
  if (!r.ok) {
    assert.ok(r.problems.length > 0);
    for (const p of r.problems) {
      assert.match(p.path, /^\$/);
      assert.ok(p.message.length > 0);
    }
  }
  try {
    parsePolicy(input, { type });
  } catch (error) {
    assert.ok(isPolicyValidationError(error), `parsePolicy threw something else: ${String(error)}`);
  }
}

describe('fuzz: policy documents', () => {
  it('random JSON values are rejected with problems, never a crash', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...POLICY_TYPES), (value, type) => {
        checkNeverCrashes(value, type);
        checkNeverCrashes(JSON.stringify(value), type);
      }),
      { numRuns: 2000 },
    );
  });

  it('mangled valid documents validate or report problems, never crash', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        fc.constantFrom(...POLICY_TYPES),
        (path, replacement, remove, type) => {
          checkNeverCrashes(mangle(VALID, path, replacement, remove), type);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random strings in every slot (operators, keys, actions, principals) never crash', () => {
    const str = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(str, str, str, str, str, (op, key, value, action, principal) => {
        checkNeverCrashes(
          {
            Version: '2012-10-17',
            Statement: { Effect: 'Allow', Action: action, Resource: value, Condition: { [op]: { [key]: [value] } } },
          },
          'identity',
        );
        checkNeverCrashes({ Statement: { Effect: 'Deny', Principal: { AWS: principal }, Action: '*', Resource: '*' } }, 'resource');
      }),
      { numRuns: 2000 },
    );
  });

  it('truncated and byte-mangled JSON text never crashes', () => {
    const text = JSON.stringify(VALID);
    fc.assert(
      fc.property(fc.nat({ max: text.length }), fc.nat({ max: text.length }), fc.string({ maxLength: 3 }), (cut, at, insert) => {
        checkNeverCrashes(text.slice(0, cut), 'identity');
        checkNeverCrashes(text.slice(0, at) + insert + text.slice(at + 1), 'identity');
        checkNeverCrashes(encodeURIComponent(text).slice(0, cut), 'identity');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fuzz: simulate requests', () => {
  const REQUEST = {
    CallerArn: 'arn:aws:iam::111111111111:user/alice',
    ActionNames: ['execute-api:Invoke'],
    ResourceArns: ['arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/pets'],
    PolicyInputList: [VALID.Statement[0] ? { Version: '2012-10-17', Statement: [VALID.Statement[0]] } : {}],
    ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.1.1'], ContextKeyType: 'ip' }],
    ApiGateway: { AuthorizationType: 'AWS_IAM' },
  };

  it('mangled requests are answered or rejected with a UserInputError, never crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        async (path, replacement, remove) => {
          const request = mangle(REQUEST, path, replacement, remove);
          try {
            const out = await runSimulation(request, { now: new Date('2026-01-01T00:00:00Z') });
            assert.ok(Array.isArray(out.EvaluationResults));
          } catch (error) {
            assert.ok(isAppError(error), `not an AppError: ${String(error)}`);
            assert.equal(error.code, 'BAD_USER_INPUT');
            assert.ok(error.details.length > 0);
            for (const d of error.details) assert.match(d, /^\$/);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
