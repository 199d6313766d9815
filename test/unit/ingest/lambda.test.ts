import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedDir } from '../../../src/config/paths';
import { generate } from '../../../src/generate';
import { parseFunctionArn } from '../../../src/ingest/lambda/functionArn';
import { transformLambda } from '../../../src/ingest/lambda/transform';
import {
  BASE,
  issueLines,
  json,
  lambdaPolicies,
  newContext,
  only,
  PROD,
  readJson,
  rowsOf,
  transformApisAndLambda,
} from './apiLambdaSupport';

const FUNCTIONS = `${BASE}/lambda/functions.json`;
const FN = 'arn:aws:lambda:us-east-1:333344445555:function:';
const EXEC_ROLE = 'arn:aws:iam::333344445555:role/petstore-lambda-exec';
const policyFile = (name: string) => `${BASE}/lambda/policies/${name}.json`;

function seed() {
  const ctx = newContext();
  transformLambda(ctx, PROD, 'us-east-1', readJson(FUNCTIONS), lambdaPolicies(seedDir(), BASE));
  return { rows: rowsOf(ctx), problems: ctx.report.problems, warnings: ctx.report.warnings };
}

const fnItem = (name: string, extra: Record<string, unknown> = {}) => ({
  FunctionName: name,
  FunctionArn: `${FN}${name}`,
  Runtime: 'nodejs20.x',
  Role: EXEC_ROLE,
  ...extra,
});
const policyOf = (name: string, statements: unknown[]) => ({
  Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }),
  RevisionId: 'r1',
});
const apigwStatement = (name: string, sourceArn: string) => ({
  Sid: 'apigw',
  Effect: 'Allow',
  Principal: { Service: 'apigateway.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Resource: `${FN}${name}`,
  Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
});

function run(functions: unknown, policies: Record<string, unknown> = {}) {
  const ctx = newContext();
  transformLambda(
    ctx,
    PROD,
    'us-east-1',
    functions === undefined ? undefined : json(FUNCTIONS, functions),
    Object.entries(policies).map(([name, data]) => json(policyFile(name), data)),
  );
  return { rows: rowsOf(ctx), problems: ctx.report.problems, warnings: ctx.report.warnings };
}

describe('transformLambda on the seed', () => {
  it('the eight functions with their execution role, no problem and no warning', () => {
    const { rows, problems, warnings } = seed();
    assert.deepEqual(issueLines(problems), []);
    assert.deepEqual(issueLines(warnings), []);
    const names = [
      'events-handler',
      'orders-authorizer',
      'orders-writer',
      'pets-admin',
      'pets-list',
      'pets-read',
      'pets-write',
      'web-handler',
    ];
    assert.deepEqual(
      rows.functions.sort((a, b) => a.name.localeCompare(b.name)),
      names.map((name) => ({
        key: `${FN}${name}`,
        arn: `${FN}${name}`,
        name,
        account: '333344445555',
        region: 'us-east-1',
        roleArn: EXEC_ROLE,
      })),
    );
  });

  it('six resource policies linked to their functions; pets-list and pets-read have none', () => {
    const { rows } = seed();
    const withPolicy = ['events-handler', 'orders-authorizer', 'orders-writer', 'pets-admin', 'pets-write', 'web-handler'];
    assert.deepEqual(
      rows.resourcePolicies.sort((a, b) => a.from.localeCompare(b.from)),
      withPolicy.map((name) => ({ from: `${FN}${name}`, to: `${FN}${name}#resource-policy`, ownerLabel: 'LambdaFunction' })),
    );
    assert.deepEqual(
      rows.policies.map((p) => [p.key, p.kind, p.account, p.missing]).sort(),
      withPolicy.map((name) => [`${FN}${name}#resource-policy`, 'resource', '333344445555', false]),
    );
  });

  it('pets-write: two statements for API Gateway, AWS:SourceArn kept as spelled', () => {
    const { rows } = seed();
    const key = `${FN}pets-write#resource-policy`;
    const statements = rows.statements.filter((s) => s.policyKey === key).sort((a, b) => a.index - b.index);
    assert.deepEqual(
      statements.map((s) => [s.key, s.sid, s.effect, s.actions, s.resources, s.servicePrincipals, s.condition]),
      [
        [
          `${key}#0`,
          'apigw-post-pets',
          'Allow',
          ['lambda:InvokeFunction'],
          [`${FN}pets-write`],
          ['apigateway.amazonaws.com'],
          '{"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/*/POST/pets"}}',
        ],
        [
          `${key}#1`,
          'apigw-delete-pet',
          'Allow',
          ['lambda:InvokeFunction'],
          [`${FN}pets-write`],
          ['apigateway.amazonaws.com'],
          '{"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/*/DELETE/pets/*"}}',
        ],
      ],
    );
  });

  it('orders-writer keeps its stale SourceArn (another API): the transform records, the analysis judges', () => {
    const { rows } = seed();
    const statement = rows.statements.find((s) => s.policyKey === `${FN}orders-writer#resource-policy`);
    assert.equal(statement?.sid, 'apigw-old-api');
    assert.match(statement?.condition ?? '', /zz9yy8xx7w\/\*\/POST\/orders/);
  });
});

describe('transformLambda on hand-made inputs', () => {
  it('a function of another account or region: a problem at FunctionArn; the function and its policy are skipped', () => {
    const { rows, problems } = run(
      {
        Functions: [
          fnItem('a', { FunctionArn: 'arn:aws:lambda:us-east-1:444455556666:function:a' }),
          fnItem('b', { FunctionArn: 'arn:aws:lambda:eu-west-1:333344445555:function:b' }),
          fnItem('c'),
        ],
      },
      { a: policyOf('a', [apigwStatement('a', 'arn:aws:execute-api:us-east-1:333344445555:x/*')]) },
    );
    assert.deepEqual(
      problems.map((p) => [p.file, p.path]),
      [
        [FUNCTIONS, '$.Functions[0].FunctionArn'],
        [FUNCTIONS, '$.Functions[1].FunctionArn'],
      ],
    );
    assert.match(
      problems[0]?.message ?? '',
      /account 444455556666, region us-east-1, but the file is in the directory of account 333344445555, region us-east-1/,
    );
    assert.deepEqual(
      rows.functions.map((f) => f.name),
      ['c'],
    );
    assert.deepEqual([rows.policies, rows.resourcePolicies], [[], []]);
  });

  it('a policy file for a function not in functions.json: a warning naming the file; skipped', () => {
    const { rows, problems, warnings } = run(
      { Functions: [fnItem('a')] },
      { ghost: policyOf('ghost', [apigwStatement('ghost', 'arn:aws:execute-api:us-east-1:333344445555:x/*')]) },
    );
    assert.deepEqual(problems, []);
    const w = only(warnings);
    assert.deepEqual(
      [w.file, w.path, w.message],
      [policyFile('ghost'), '$', `function ghost is not in ${FUNCTIONS}: its policy is skipped`],
    );
    assert.deepEqual(rows.policies, []);
  });

  it('no functions.json at all: each policy file is skipped with a warning', () => {
    const { warnings } = run(undefined, { a: policyOf('a', []) });
    assert.deepEqual(issueLines(warnings), [`${policyFile('a')} | $ | function a is not in ${FUNCTIONS}: its policy is skipped`]);
  });

  it('a Policy that is not JSON: a problem at $.Policy; the function still loads without a policy', () => {
    const { rows, problems } = run({ Functions: [fnItem('a')] }, { a: { Policy: '{"Version":"2012-10-17",', RevisionId: 'r' } });
    const p = only(problems);
    assert.deepEqual([p.file, p.path], [policyFile('a'), '$.Policy']);
    assert.match(p.message, /not valid JSON/);
    assert.deepEqual([rows.policies, rows.resourcePolicies], [[], []]);
  });

  it('an invalid statement: the problem path goes into the decoded Policy', () => {
    const { rows, problems } = run({ Functions: [fnItem('a')] }, { a: policyOf('a', [{ ...apigwStatement('a', 'x'), Effect: 'Permit' }]) });
    const p = only(problems);
    assert.deepEqual([p.file, p.path], [policyFile('a'), '$.Policy.Statement[0].Effect']);
    assert.deepEqual(rows.policies, []);
  });

  it('a policy whose Resource names another function: a problem (the file is another function policy)', () => {
    const { rows, problems } = run(
      { Functions: [fnItem('a'), fnItem('b')] },
      { a: policyOf('a', [apigwStatement('b', 'arn:aws:execute-api:us-east-1:333344445555:x/*')]) },
    );
    const p = only(problems);
    assert.deepEqual(
      [p.file, p.path, p.message],
      [policyFile('a'), '$.Policy.Statement[0].Resource', `names function ${FN}b, but this is the policy file of ${FN}a`],
    );
    assert.deepEqual(rows.policies, []);
  });

  it('a qualified Resource of the same function is fine', () => {
    const { rows, problems } = run(
      { Functions: [fnItem('a')] },
      { a: policyOf('a', [{ ...apigwStatement('a', 'arn:aws:execute-api:us-east-1:333344445555:x/*'), Resource: `${FN}a:live` }]) },
    );
    assert.deepEqual(problems, []);
    assert.equal(rows.policies.length, 1);
  });

  it('missing FunctionName, a FunctionName that differs from the ARN, a Role that is not a role: problems at the field', () => {
    const { rows, problems } = run({
      Functions: [
        { FunctionArn: `${FN}a` },
        fnItem('b', { FunctionName: 'bee' }),
        fnItem('c', { Role: 'arn:aws:iam::333344445555:user/c' }),
        fnItem('d', { FunctionArn: 'd' }),
      ],
    });
    assert.deepEqual(
      problems.map((p) => [p.file, p.path]),
      [
        [FUNCTIONS, '$.Functions[0].FunctionName'],
        [FUNCTIONS, '$.Functions[1].FunctionName'],
        [FUNCTIONS, '$.Functions[2].Role'],
        [FUNCTIONS, '$.Functions[3].FunctionArn'],
      ],
    );
    assert.deepEqual(rows.functions, []);
  });

  it('a published version (list-functions --function-version ALL): a warning, only the unqualified function loads', () => {
    const { rows, problems, warnings } = run({
      Functions: [fnItem('a', { FunctionArn: `${FN}a:$LATEST` }), fnItem('a', { FunctionArn: `${FN}a:3` })],
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(issueLines(warnings), [
      `${FUNCTIONS} | $.Functions[1].FunctionArn | version 3 of a (list-functions --function-version ALL): only the unqualified function is loaded`,
    ]);
    assert.deepEqual(
      rows.functions.map((f) => f.key),
      [`${FN}a`],
    );
  });

  it('functions.json without Functions: a problem at $.Functions', () => {
    assert.deepEqual(
      run({}).problems.map((p) => [p.file, p.path, p.message]),
      [[FUNCTIONS, '$.Functions', 'required list is missing']],
    );
  });
});

describe('parseFunctionArn', () => {
  it('parses unqualified and qualified ARNs and rejects others', () => {
    assert.deepEqual(parseFunctionArn(`${FN}pets:live`), {
      partition: 'aws',
      region: 'us-east-1',
      account: '333344445555',
      name: 'pets',
      qualifier: 'live',
      unqualified: `${FN}pets`,
    });
    assert.equal(parseFunctionArn(`${FN}pets`)?.qualifier, null);
    for (const bad of [
      'arn:aws:lambda:us-east-1:333344445555:layer:x:1',
      'arn:aws:s3:::bucket',
      `${FN}`,
      `${FN}a:b:c`,
      'arn:aws:lambda:us-east-1:12:function:a',
      'pets',
    ]) {
      assert.equal(parseFunctionArn(bad), undefined, bad);
    }
  });
});

describe('a generated small snapshot', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'whocan-ingest-apis-'));
    generate({ preset: 'small', seed: 1, out: path.join(dir, 'snap') });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('transforms (REST, HTTP APIs, Lambda) with zero problems and zero warnings, in the counts generated.json records', () => {
    const snap = path.join(dir, 'snap');
    const ctx = transformApisAndLambda(snap);
    assert.deepEqual(issueLines(ctx.report.problems), []);
    assert.deepEqual(issueLines(ctx.report.warnings), []);
    const c = (JSON.parse(readFileSync(path.join(snap, 'generated.json'), 'utf8')) as { counts: Record<string, number> }).counts;
    const rows = rowsOf(ctx);
    assert.deepEqual(
      {
        apis: rows.apis.length,
        privateApis: rows.apis.filter((a) => a.endpointType === 'PRIVATE').length,
        apiResources: rows.apiResources.length,
        methods: rows.methods.length,
        stages: rows.stages.length,
        functions: rows.functions.length,
        resourcePolicies: rows.resourcePolicies.length,
      },
      {
        apis: (c.restApis ?? 0) + (c.httpApis ?? 0),
        privateApis: c.privateApis,
        apiResources: c.resources,
        methods: (c.methods ?? 0) + (c.routes ?? 0),
        stages: (c.restStages ?? 0) + (c.httpStages ?? 0),
        functions: c.functions,
        resourcePolicies: (c.restApisWithPolicy ?? 0) + (c.functionPolicies ?? 0),
      },
    );
    // Every Lambda integration names a function of the snapshot (the generator has no cross-snapshot functions).
    const functions = new Set(rows.functions.map((f) => f.key));
    const lambdaIntegrations = rows.integrations.filter((i) => i.lambdaArn !== null);
    assert.ok(lambdaIntegrations.length > 0);
    assert.deepEqual(
      lambdaIntegrations.filter((i) => !functions.has(i.lambdaArn ?? '')).map((i) => i.key),
      [],
    );
    assert.deepEqual(new Set(rows.integrations.map((i) => i.credentialsMode)), new Set(['role', 'caller', 'none']));
  });
});
