import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { runSimulation, type EvaluationResultOutput } from '../../src/services/simulation';
import { dataOf, firstError, startTestServer, type TestServer } from './support/api';
import { resetGraph, testGraph } from './support/graph';

/**
 * simulate(input) over HTTP gives what `whocan simulate` gives: the example
 * requests of docs/examples/simulate are sent both ways and compared field
 * by field. Bad input is one BAD_USER_INPUT naming each problem by its path
 * under `input`.
 */

const EXAMPLES = path.join(packageRoot(), 'docs', 'examples', 'simulate');

const SELECTION = `evaluationResults {
  evalActionName evalResourceName evalDecision
  matchedStatements { sourcePolicyId sourcePolicyType statementIndex sid effect conditional unknownPolicy }
  missingContextValues
  organizationsDecisionDetail { allowedByOrganizations }
  permissionsBoundaryDecisionDetail { allowedByPermissionsBoundary }
  resourceControlPolicyDecisionDetail { allowedByResourceControlPolicies }
  apiGatewayDecisionDetail { flow authorizationType endpointType authorizerDecision }
  conditionalDetail explanation } warnings`;
/** One evaluation result as SELECTION asks for it (the fields the tests read by name, the rest compared whole). */
interface SimulatedResult {
  evalDecision: string;
  matchedStatements: { sourcePolicyId: string }[];
  apiGatewayDecisionDetail: unknown;
  [field: string]: unknown;
}
interface SimulateData {
  simulate: { evaluationResults: SimulatedResult[]; warnings: string[] };
}
const SIMULATE = `query Simulate($input: SimulateInput!) { simulate(input: $input) { ${SELECTION} } }`;

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const enumName = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** An AWS-style request (as `whocan simulate` reads it) written as the GraphQL input. */
function toInput(request: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (key === 'ContextEntries') {
      input['contextEntries'] = (value as Record<string, unknown>[]).map((e) => ({
        contextKeyName: e['ContextKeyName'],
        contextKeyValues: e['ContextKeyValues'],
        contextKeyType: enumName(String(e['ContextKeyType'])),
      }));
    } else if (key === 'ApiGateway') {
      const api = value as Record<string, unknown>;
      input['apiGateway'] = Object.fromEntries(
        Object.entries(api).map(([k, v]) => [camel(k), k === 'AuthorizerDecision' ? String(v).toUpperCase() : v]),
      );
    } else if (key === 'SessionPolicy') {
      input['sessionPolicies'] = Array.isArray(value) ? value : [value];
    } else if (key === 'EvaluationMode' || key === 'CallerType') {
      input[camel(key)] = String(value).toUpperCase();
    } else if (key === 'CallerTags') {
      input['callerTags'] = Object.entries(value as Record<string, string>).map(([k, v]) => ({ key: k, value: v }));
    } else {
      input[camel(key)] = value;
    }
  }
  return input;
}

const tristate = (v: boolean | 'conditional') => (v === 'conditional' ? 'CONDITIONAL' : v ? 'YES' : 'NO');

/** What the CLI's result looks like in the GraphQL shape. */
function expected(r: EvaluationResultOutput): Record<string, unknown> {
  return {
    evalActionName: r.EvalActionName,
    evalResourceName: r.EvalResourceName,
    evalDecision: enumName(r.EvalDecision),
    matchedStatements: r.MatchedStatements.map((s) => ({
      sourcePolicyId: s.SourcePolicyId,
      sourcePolicyType: s.SourcePolicyType,
      statementIndex: s.StatementIndex,
      sid: s.Sid ?? null,
      effect: s.Effect.toUpperCase(),
      conditional: s.Conditional === true,
      unknownPolicy: s.UnknownPolicy === true,
    })),
    missingContextValues: r.MissingContextValues,
    organizationsDecisionDetail: r.OrganizationsDecisionDetail
      ? { allowedByOrganizations: tristate(r.OrganizationsDecisionDetail.AllowedByOrganizations) }
      : null,
    permissionsBoundaryDecisionDetail: r.PermissionsBoundaryDecisionDetail
      ? { allowedByPermissionsBoundary: tristate(r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary) }
      : null,
    resourceControlPolicyDecisionDetail: r.ResourceControlPolicyDecisionDetail
      ? { allowedByResourceControlPolicies: tristate(r.ResourceControlPolicyDecisionDetail.AllowedByResourceControlPolicies) }
      : null,
    apiGatewayDecisionDetail: r.ApiGatewayDecisionDetail
      ? {
          flow: r.ApiGatewayDecisionDetail.Flow,
          authorizationType: r.ApiGatewayDecisionDetail.AuthorizationType,
          endpointType: r.ApiGatewayDecisionDetail.EndpointType,
          authorizerDecision: r.ApiGatewayDecisionDetail.AuthorizerDecision ?? null,
        }
      : null,
    conditionalDetail: r.ConditionalDetail ?? null,
    explanation: r.Explanation,
  };
}

describe('simulate(input) over HTTP', () => {
  let graph: Graph;
  let server: TestServer;
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    server = await startTestServer(graph);
  });
  after(async () => {
    await server.close();
    await graph.close();
  });

  const requests: [string, Record<string, unknown>][] = [];
  for (const name of ['cross-account-iam.json', 'organizations.json', 'private-api-analysis.json']) {
    requests.push([name, JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Record<string, unknown>]);
  }
  (JSON.parse(readFileSync(path.join(EXAMPLES, 'batch.json'), 'utf8')) as Record<string, unknown>[]).forEach((r, i) =>
    requests.push([`batch.json[${i}]`, r]),
  );
  const allow = (extra: Record<string, unknown> = {}) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', ...extra }],
  });
  // The fields the examples do not use: session policies, an unknown boundary, RCPs, tags, owner, analysis mode.
  requests.push([
    'extensions',
    {
      CallerArn: 'arn:aws:sts::111122223333:assumed-role/dev/session-1',
      ActionNames: ['s3:GetObject', 'sts:AssumeRole'],
      ResourceArns: ['arn:aws:s3:::pets-bucket/photo.png', 'arn:aws:iam::222233334444:role/target'],
      ResourceOwner: 'arn:aws:iam::111122223333:root',
      PolicyInputList: [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 'sts:AssumeRole'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:PrincipalTag/team': 'pets' } },
            },
          ],
        }),
      ],
      PermissionsBoundaryPolicyInputList: [{ Unknown: true, Id: 'arn:aws:iam::aws:policy/PowerUserAccess' }],
      SessionPolicy: [allow()],
      ResourceControlPolicies: [[allow({ Principal: '*' })]],
      ManagementAccountId: '999999999999',
      CallerTags: { team: 'pets' },
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['198.51.100.7'], ContextKeyType: 'ip' }],
      EvaluationMode: 'analysis',
    },
  ]);
  requests.push([
    'service caller and authorizer',
    {
      CallerArn: 'apigateway.amazonaws.com',
      CallerType: 'Service',
      ActionNames: ['execute-api:Invoke'],
      ResourceArns: ['arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'],
      ResourcePolicy: allow({ Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }),
      ApiGateway: { AuthorizationType: 'CUSTOM', AuthorizerDecision: 'Allow', EndpointType: 'EDGE' },
    },
  ]);

  requests.push([
    'an action string IAM stores but that names no action',
    {
      CallerArn: 'arn:aws:iam::111122223333:user/alice',
      ActionNames: ['execute-api:Invoke'],
      ResourceArns: ['arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'],
      PolicyInputList: [allow({ Action: 'execute-api:Invoke,execute-api:InvalidateCache', Resource: '*' })],
    },
  ]);

  it('gives the same results as `whocan simulate` on every example request', async () => {
    assert.ok(requests.length >= 4);
    const now = new Date();
    for (const [name, request] of requests) {
      const withTime = { CurrentTime: now.toISOString(), ...request };
      const cli = await runSimulation(withTime);
      assert.ok(cli.EvaluationResults.length > 0, name);
      const { body } = await server.gql<SimulateData>(SIMULATE, { input: toInput(withTime) });
      assert.equal(body.errors, undefined, `${name}: ${JSON.stringify(body.errors)}`);
      assert.deepEqual(dataOf(body).simulate.evaluationResults, cli.EvaluationResults.map(expected), name);
      assert.deepEqual(dataOf(body).simulate.warnings, cli.Warnings ?? [], name);
      if (name.includes('names no action')) {
        assert.equal(dataOf(body).simulate.evaluationResults[0]!.evalDecision, 'IMPLICIT_DENY', name);
        assert.match(
          dataOf(body).simulate.warnings.join('\n'),
          /PolicyInputList\[0\]\.Statement(\[0\])?\.Action: .*is not an action name/,
          name,
        );
      }
    }
  });

  it('answers the documented cross-account example: GET /pets allowed by identity and resource policy, DELETE implicitly denied', async () => {
    const request = requests.find(([name]) => name === 'cross-account-iam.json')?.[1] ?? {};
    const { body } = await server.gql<SimulateData>(SIMULATE, { input: toInput(request) });
    const [get, del] = dataOf(body).simulate.evaluationResults;
    assert.equal(get!.evalDecision, 'ALLOWED');
    assert.deepEqual(
      get!.matchedStatements.map((s) => s.sourcePolicyId),
      ['PolicyInputList.1', 'ResourcePolicy'],
    );
    assert.deepEqual(get!.apiGatewayDecisionDetail, {
      flow: 'iam',
      authorizationType: 'AWS_IAM',
      endpointType: 'REGIONAL',
      authorizerDecision: null,
    });
    assert.equal(del!.evalDecision, 'IMPLICIT_DENY');
  });

  it('refuses malformed input with one BAD_USER_INPUT naming every problem by its path under input', async () => {
    const { body } = await server.gql<SimulateData>(SIMULATE, {
      input: {
        callerArn: 'not-an-arn',
        actionNames: ['execute-api:Invoke'],
        policyInputList: [{ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }],
        contextEntries: [{ contextKeyName: 'aws:SourceIp', contextKeyValues: ['not-an-ip'], contextKeyType: 'IP' }],
        apiGateway: { authorizationType: 'AWS_IAM', vpcEndpointPolicy: 'not json' },
      },
    });
    assert.equal(body.errors?.length, 1);
    const error = firstError(body);
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    const details = error.extensions.details as string[];
    assert.ok(
      details.some((d) => d.startsWith('input.callerArn: ')),
      details.join('\n'),
    );
    assert.ok(
      details.some((d) => d.startsWith('input.policyInputList[0].Statement[0].Effect: ')),
      details.join('\n'),
    );
    assert.ok(
      details.some((d) => d.startsWith('input.contextEntries[0].contextKeyValues[0]: ')),
      details.join('\n'),
    );
    assert.ok(
      details.some((d) => d.startsWith('input.apiGateway.vpcEndpointPolicy')),
      details.join('\n'),
    );
    assert.ok(!details.some((d) => d.startsWith('$')), 'no path is left in the CLI spelling');
    assert.match(error.message, /^Invalid simulate request \(\d+ problems\):\n {2}- input\./);
  });

  it('refuses duplicate caller tags, and values outside an enum, naming the field', async () => {
    const dup = await server.gql<SimulateData>(SIMULATE, {
      input: {
        callerArn: 'arn:aws:iam::111122223333:user/a',
        actionNames: ['s3:GetObject'],
        callerTags: [
          { key: 'team', value: 'a' },
          { key: 'team', value: 'b' },
        ],
      },
    });
    assert.equal(firstError(dup.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(
      (firstError(dup.body).extensions.details as string[])[0] ?? '',
      /^input\.callerTags\[1\]\.key: the tag "team" is given twice/,
    );
    const badEnum = await server.gql<SimulateData>(SIMULATE, {
      input: { callerArn: 'arn:aws:iam::111122223333:user/a', actionNames: ['s3:GetObject'], evaluationMode: 'SOMETIMES' },
    });
    assert.equal(badEnum.status, 400);
    assert.equal(firstError(badEnum.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(firstError(badEnum.body).message, /evaluationMode/);
    const missing = await server.gql<SimulateData>(SIMULATE, { input: { actionNames: ['s3:GetObject'] } });
    assert.equal(firstError(missing.body).extensions.code, 'BAD_USER_INPUT');
    assert.match(firstError(missing.body).message, /callerArn/);
  });
});
