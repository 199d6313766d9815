import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { seedDir } from '../../../src/config/paths';
import { AppError } from '../../../src/errors';
import { loadRules, parseRules, rulesSchema } from '../../../src/services/review';

/**
 * Rules files: the examples are valid; every mistake is reported with
 * file:line:column and what was expected, all of them at once.
 */
function problems(yaml: string): string[] {
  try {
    parseRules(yaml, 'rules.yaml');
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
    assert.equal(error.code, 'BAD_USER_INPUT');
    assert.match(error.message, /^The rules file rules\.yaml is not valid \(\d+ problems?; nothing was evaluated\):$/);
    return [...error.details];
  }
  assert.fail('the rules file was accepted');
}

const valid = [
  'version: 1',
  'rules:',
  '  - id: ok',
  '    select:',
  '      invoke: { api: petstore-api }',
  '    expect:',
  '      not-public: true',
];

describe('rules files', () => {
  it('the example files are valid, with defaults applied', () => {
    const passing = loadRules(path.join(seedDir(), 'rules', 'passing.yaml'));
    assert.equal(passing.rules.length, 11);
    const first = passing.rules[0]!;
    assert.equal(first.owner, 'pets-team@petstore.example');
    assert.equal(first.severity, 'high', 'from defaults');
    assert.deepEqual(first.access, ['allowed', 'conditional', 'partial']);
    assert.deepEqual(first.select, { kind: 'invoke', api: 'petstore-api', stage: 'prod', methods: ['GET /pets'] });
    assert.equal(first.expect.kind, 'only');
    assert.deepEqual(first.position.line, 19);
    const office = passing.rules.find((r) => r.id === 'admin-proxy-office-only')!;
    assert.deepEqual(office.context, { 'aws:SourceIp': '192.0.2.10' });
    assert.equal(passing.rules.find((r) => r.id === 'api-changes-stay-in-org')!.owner, 'platform-security@petstore.example');
    const violations = loadRules(path.join(seedDir(), 'rules', 'violations.yaml'));
    assert.equal(violations.rules.length, 7);
    assert.deepEqual(violations.rules.find((r) => r.id === 'no-escalation-through-api-gateway')!.expect, {
      kind: 'no-escalation',
      minSeverity: 'high',
    });
    assert.equal(violations.rules.find((r) => r.id === 'no-escalation-through-api-gateway')!.select, null);
  });

  it('a valid minimal file parses; manage defaults to POST, PUT, PATCH and DELETE', () => {
    assert.equal(parseRules(valid.join('\n'), 'rules.yaml').rules[0]!.severity, 'medium');
    const manage = parseRules(
      'version: 1\nrules:\n  - id: m\n    select: { manage: arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5 }\n    expect: { max-principals: 2 }\n',
      'rules.yaml',
    );
    assert.deepEqual(manage.rules[0]!.select, {
      kind: 'manage',
      arns: ['arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5'],
      actions: ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
    });
  });

  it('YAML syntax errors name the line and column', () => {
    assert.deepEqual(problems('version: 1\nrules:\n  - id: a\n    expect: { nobody: true\n'), [
      'rules.yaml:5:1: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
    assert.deepEqual(problems('version: 1\nrules:\n  - id: a\n    id: b\n    expect: { nobody: true }\n'), [
      'rules.yaml:4:5: Map keys must be unique',
    ]);
    assert.match(problems('version: 1\n---\nrules: []\n')[0]!, /^rules\.yaml:2:1: Source contains multiple documents/);
  });

  it('aliases that expand into too many values (a billion laughs) are one problem, not a crash', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      lines.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
    }
    lines.push('version: 1', 'rules: []');
    assert.deepEqual(problems(lines.join('\n')), [
      'rules.yaml:1:1: its aliases (*name) expand into too many values; expected a rules file whose aliases are used at most 100 times in all',
    ]);
    // A few aliases are fine.
    assert.equal(
      parseRules(
        'defaults: { owner: &o team }\nversion: 1\nrules:\n  - id: a\n    owner: *o\n    select: { invoke: { api: x } }\n    expect: { nobody: true }\n',
        'rules.yaml',
      ).rules[0]!.owner,
      'team',
    );
  });

  it('an empty file, or one that is not a mapping, says what a rules file is', () => {
    assert.deepEqual(problems(''), ['rules.yaml:1:1: expected a mapping, got nothing']);
    assert.deepEqual(problems('- id: a\n'), ['rules.yaml:1:1: expected a mapping, got a list']);
  });

  it('every schema problem is reported at once, each where it is, with what was expected', () => {
    const yaml = [
      'version: 2', //                                        1
      'rules:', //                                            2
      '  - id: "bad id"', //                                  3
      '    severity: critical', //                            4
      '    select:', //                                       5
      '      invoke: { api: petstore-api, stge: prod }', //   6
      '    expect:', //                                       7
      '      only:', //                                       8
      '        - account: 222233334444', //                   9
      '        - group: not-an-arn', //                       10
      '  - id: two-things', //                                11
      '    select:', //                                       12
      '      invoke: arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/*', // 13
      '      assume: arn:aws:iam::333344445555:role/x', //    14
      '    expect:', //                                       15
      '      nobody: true', //                                16
      '      max-hops: 0', //                                 17
      '  - id: no-expect', //                                 18
      '    context: { "not a key": x }', //                   19
      '    access: [allowed, allowed]', //                    20
    ].join('\n');
    assert.deepEqual(problems(yaml), [
      'rules.yaml:1:10: version: expected 1 (the rules format version), got the number 2',
      "rules.yaml:3:9: rules[0].id: expected a rule id: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 100 characters, got \"bad id\"",
      'rules.yaml:4:15: rules[0].severity: expected one of high, medium, low, got "critical"',
      'rules.yaml:6:36: rules[0].select.invoke.stge: unknown key "stge" (did you mean stage?): expected api, stage, methods',
      'rules.yaml:9:20: rules[0].expect.only[0].account: expected a 12-digit account id, in quotes: its principals, got the number 222233334444 (put it in quotes)',
      'rules.yaml:10:18: rules[0].expect.only[1].group: expected an IAM group ARN (arn:aws:iam::ACCOUNT:group/NAME); * and ? match any characters: its members, got "not-an-arn"',
      'rules.yaml:13:7: rules[1].select: expected exactly one of invoke, manage, assume, got invoke and assume',
      'rules.yaml:16:7: rules[1].expect: expected exactly one of only, forbid, nobody, no-outside-org, not-public, max-principals, max-hops, no-escalation, got 2: nobody, max-hops',
      'rules.yaml:17:17: rules[1].expect.max-hops: expected a whole number from 1 to 10: no principal may need more role assumptions than this to become the role, got 0',
      'rules.yaml:18:5: rules[2]: missing expect (exactly one expectation: only, forbid, nobody, no-outside-org, not-public, max-principals, max-hops or no-escalation)',
      'rules.yaml:19:16: rules[2].context["not a key"]: key: expected a condition key such as aws:SourceIp or aws:PrincipalTag/team, got "not a key"',
      'rules.yaml:20:23: rules[2].access[1]: "allowed" is listed twice',
    ]);
  });

  it('problems the schema cannot state: duplicate ids, expectations that do not fit the selection', () => {
    const yaml = [
      'version: 1',
      'rules:',
      '  - id: same',
      '    select: { invoke: { api: petstore-api } }',
      '    expect: { max-hops: 2 }',
      '  - id: same',
      '    select: { assume: "arn:aws:iam::333344445555:role/*" }',
      '    expect: { not-public: true }',
      '  - id: no-select',
      '    expect: { nobody: true }',
      '  - id: escalation-with-context',
      '    context: { aws:SourceIp: 192.0.2.1 }',
      '    select: { invoke: { api: petstore-api } }',
      '    expect: { no-escalation: true }',
    ].join('\n');
    assert.deepEqual(problems(yaml), [
      'rules.yaml:5:15: rules[0].expect.max-hops: does not apply to select.invoke: expected select.assume',
      'rules.yaml:6:9: rules[1].id: the id "same" is already used by rules[0]; expected a unique id',
      'rules.yaml:8:15: rules[1].expect.not-public: does not apply to select.assume: expected select.invoke',
      'rules.yaml:10:15: rules[2].expect.nobody: needs a select (invoke or manage or assume)',
      'rules.yaml:14:15: rules[3].expect.no-escalation: does not apply to select.invoke: expected select.manage, or no select',
      'rules.yaml:12:5: rules[3].context: no-escalation is decided without request context (findings); remove context',
    ]);
  });

  it('the forms of a selection each explain their own mistakes', () => {
    const rule = (select: string) =>
      ['version: 1', 'rules:', '  - id: r', `    select: ${select}`, '    expect: { nobody: true }'].join('\n');
    assert.deepEqual(problems(rule('{ invoke: "arn:aws:s3:::bucket" }')), [
      'rules.yaml:4:23: rules[0].select.invoke: expected an execute-api ARN (arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH); * and ? match any characters, and with them the ARN is a pattern over the methods of the snapshot, got "arn:aws:s3:::bucket"',
    ]);
    assert.deepEqual(problems(rule('{ invoke: { stage: prod } }')), [
      'rules.yaml:4:23: rules[0].select.invoke: missing api (an API id or name; * and ? match any characters)',
    ]);
    assert.deepEqual(problems(rule('{ invoke: { api: x, methods: [pets] } }')), [
      'rules.yaml:4:43: rules[0].select.invoke.methods[0]: expected a method as VERB /path (GET /pets/{id}) or $default; * and ? match any characters, got "pets"',
    ]);
    assert.deepEqual(problems(rule('{ manage: { api: x, arn: "arn:aws:apigateway:us-east-1::/restapis/x" } }')), [
      'rules.yaml:4:23: rules[0].select.manage: expected exactly one of api, arn, got api and arn',
    ]);
    assert.deepEqual(problems(rule('{ manage: { api: x, actions: ["apigateway:*"] } }')), [
      'rules.yaml:4:43: rules[0].select.manage.actions[0]: expected an API Gateway action such as apigateway:PATCH, without wildcards, got "apigateway:*"',
    ]);
    assert.deepEqual(problems(rule('{ assume: 42 }')), [
      'rules.yaml:4:23: rules[0].select.assume: expected roles (sts:AssumeRole) (a role ARN or pattern, or a list of role ARNs or patterns), got the number 42',
    ]);
  });

  it('a missing file is one clear error', () => {
    assert.throws(
      () => loadRules('/nonexistent/rules.yaml'),
      /^UserInputError: Cannot read the rules file \/nonexistent\/rules\.yaml: no such file\.$/,
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'whocan-rules-'));
    try {
      assert.throws(() => loadRules(dir), /it is a directory/);
      const file = path.join(dir, 'r.yaml');
      writeFileSync(file, valid.join('\n'));
      assert.equal(loadRules(file).file, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the shipped schema is JSON Schema 2020-12 and uses only keywords the validator implements', () => {
    const schema = rulesSchema();
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(schema['required'], ['version', 'rules']);
  });
});
