import { Arg, Ctx, Query, Resolver, UseMiddleware } from 'type-graphql';
import { enforceDeadline } from '../limits';
import { UserInputError } from '../../errors';
import type { EvaluationResultOutput, SimulateResponse, SimulationService, Tristate } from '../../services/simulation';
import type { ApiContext } from '../context';
import { SimulateInput, toInputPath, toSimulateRequest } from './simulate.input';
import { SimulateResult, TristateValue, type EvaluationResult, type SimulateDecisionValue } from './simulate.type';
import type { AuthorizationTypeValue, EndpointTypeValue } from './simulate.input';
import type { StatementEffectValue } from '../browse/policy.type';

function tristate(value: Tristate): TristateValue {
  return value === 'conditional' ? TristateValue.CONDITIONAL : value ? TristateValue.YES : TristateValue.NO;
}

function toResult(r: EvaluationResultOutput): EvaluationResult {
  return {
    evalActionName: r.EvalActionName,
    evalResourceName: r.EvalResourceName,
    evalDecision: r.EvalDecision as SimulateDecisionValue,
    matchedStatements: r.MatchedStatements.map((s) => ({
      sourcePolicyId: s.SourcePolicyId,
      sourcePolicyType: s.SourcePolicyType,
      statementIndex: s.StatementIndex,
      sid: s.Sid ?? null,
      effect: s.Effect as StatementEffectValue,
      conditional: s.Conditional === true,
      unknownPolicy: s.UnknownPolicy === true,
    })),
    missingContextValues: [...r.MissingContextValues],
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
          authorizationType: r.ApiGatewayDecisionDetail.AuthorizationType as AuthorizationTypeValue,
          endpointType: r.ApiGatewayDecisionDetail.EndpointType as EndpointTypeValue,
          authorizerDecision: r.ApiGatewayDecisionDetail.AuthorizerDecision ?? null,
        }
      : null,
    conditionalDetail: r.ConditionalDetail ?? null,
    explanation: [...r.Explanation],
  };
}

/** The policy engine on policies given inline, as `whocan simulate` runs it. */
@UseMiddleware(enforceDeadline)
@Resolver(() => SimulateResult)
export class SimulateResolver {
  constructor(private readonly simulation: SimulationService) {}

  @Query(() => SimulateResult, {
    description:
      'Runs the IAM policy engine on the policies given (nothing is read from the graph), with the semantics of `whocan simulate` (docs/policy-engine.md). Malformed input: BAD_USER_INPUT, one line per problem naming its path under input (extensions.details).',
  })
  async simulate(
    @Arg('input', () => SimulateInput, { description: 'The request: caller, actions, resources, policies, context.' }) input: SimulateInput,
    @Ctx() ctx: ApiContext,
  ): Promise<SimulateResult> {
    let response: SimulateResponse;
    try {
      response = await this.simulation.run(toSimulateRequest(input), ctx.scope);
    } catch (error) {
      if (error instanceof UserInputError) throw new UserInputError(error.message, error.details.map(toInputPath));
      throw error;
    }
    return { evaluationResults: response.EvaluationResults.map(toResult), warnings: [...(response.Warnings ?? [])] };
  }
}
