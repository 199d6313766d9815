import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toInputPath, toSimulateRequest, type SimulateInput } from '../../../src/api/simulate/simulate.input';
import { UserInputError } from '../../../src/errors';

describe('simulate input', () => {
  it('names problems by their path under input, keeping policy documents in their own spelling', () => {
    const cases: [string, string][] = [
      ['$.CallerArn: expected an ARN', 'input.callerArn: expected an ARN'],
      ['$.ActionNames[2]: unknown', 'input.actionNames[2]: unknown'],
      [
        '$.PolicyInputList[0].Statement[0].Effect: expected Allow or Deny',
        'input.policyInputList[0].Statement[0].Effect: expected Allow or Deny',
      ],
      ['$.ContextEntries[1].ContextKeyType: expected one of', 'input.contextEntries[1].contextKeyType: expected one of'],
      ['$.ContextEntries[0].ContextKeyValues[3]: not an IP', 'input.contextEntries[0].contextKeyValues[3]: not an IP'],
      ['$.ApiGateway.VpcEndpointPolicy.Statement: missing', 'input.apiGateway.vpcEndpointPolicy.Statement: missing'],
      ['$.ServiceControlPolicies[1][0].Statement[2].Action: bad', 'input.serviceControlPolicies[1][0].Statement[2].Action: bad'],
      ['$.SessionPolicy[0]: bad', 'input.sessionPolicies[0]: bad'],
      ['$.ResourcePolicy.Statement[0].Principal: bad', 'input.resourcePolicy.Statement[0].Principal: bad'],
      ['$: expected an object', 'input: expected an object'],
      ['input.callerTags[1].key: twice', 'input.callerTags[1].key: twice'],
    ];
    for (const [cli, api] of cases) assert.equal(toInputPath(cli), api);
  });

  it('builds the request `whocan simulate` reads, leaving out what was not given', () => {
    const input = {
      callerArn: 'arn:aws:iam::111122223333:user/a',
      actionNames: ['execute-api:Invoke'],
      resourceArns: null,
      contextEntries: [{ contextKeyName: 'aws:SourceIp', contextKeyValues: ['10.0.0.1'], contextKeyType: 'ip' }],
      apiGateway: {
        authorizationType: 'CUSTOM',
        authorizerDecision: 'Allow',
        endpointType: null,
        requireAuthorizationForCacheControl: false,
      },
      sessionPolicies: ['{}'],
      callerTags: [{ key: 'team', value: 'pets' }],
      evaluationMode: 'analysis',
    } as unknown as SimulateInput;
    assert.deepEqual(toSimulateRequest(input), {
      CallerArn: 'arn:aws:iam::111122223333:user/a',
      ActionNames: ['execute-api:Invoke'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1'], ContextKeyType: 'ip' }],
      ApiGateway: { AuthorizationType: 'CUSTOM', AuthorizerDecision: 'Allow', RequireAuthorizationForCacheControl: false },
      SessionPolicy: ['{}'],
      CallerTags: { team: 'pets' },
      EvaluationMode: 'analysis',
    });
    assert.throws(
      () =>
        toSimulateRequest({
          callerArn: 'x',
          actionNames: ['a:b'],
          callerTags: [
            { key: 't', value: '1' },
            { key: 't', value: '2' },
          ],
        }),
      (e: unknown) =>
        e instanceof UserInputError &&
        e.details[0] === 'input.callerTags[1].key: the tag "t" is given twice; a caller has one value per tag key',
    );
  });
});
