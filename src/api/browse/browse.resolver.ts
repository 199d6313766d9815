import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { COST_FIELD, NEO4J_FIELD_COST, enforceDeadline } from '../limits';
import type {
  ApiRecord,
  GroupRecord,
  IntegrationRecord,
  LambdaFunctionRecord,
  MethodRecord,
  PolicyRecord,
  PrincipalRecord,
  StageRecord,
  StatementRecord,
} from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { ApiContext } from '../context';
import {
  Api,
  ApiMethod,
  ApiMethodConnection,
  HttpApi,
  HttpApiConnection,
  Integration,
  LambdaFunction,
  RestApi,
  RestApiConnection,
  Stage,
} from './api.type';
import { Policy, PolicyStatement } from './policy.type';
import { Group, Principal, PrincipalConnection, PrincipalFilter, Role, User } from './principal.type';

/**
 * The browsing queries and the nested fields of what they return. Thin:
 * arguments → the request's BrowseSession (DataLoaders, snapshot
 * resolution, the request's deadline) → records.
 */

const SNAPSHOT = {
  nullable: true,
  description: 'Id of the snapshot to read (the snapshots query lists them); default: the current snapshot.',
} as const;

@UseMiddleware(enforceDeadline)
@Resolver()
export class BrowseQueryResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => Principal, {
    nullable: true,
    description:
      'An IAM user or role by ARN, with its policies, groups, boundary and (roles) trust policy. Malformed ARN: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  principal(
    @Arg('arn', () => String, {
      description: 'The ARN, such as arn:aws:iam::333344445555:user/bob-caller or arn:aws:iam::333344445555:role/platform-admin.',
    })
    arn: string,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<PrincipalRecord> {
    return ctx.browse.principal(arn, snapshot);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => PrincipalConnection, { description: 'IAM users and roles, ordered by ARN.' })
  async principals(
    @Arg('filter', () => PrincipalFilter, { nullable: true, description: 'Which principals to list; default: all.' })
    filter: PrincipalFilter | null,
    @Args() page: PageArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionValue<PrincipalRecord>> {
    const list = {
      account: filter?.account ?? undefined,
      kind: filter?.kind ?? undefined,
      nameContains: filter?.nameContains ?? undefined,
    };
    return toConnection(await ctx.browse.principals(list, pageRequest(page, 'principals', ctx), snapshot), 'principals');
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => RestApiConnection, { description: 'API Gateway REST APIs, ordered by ARN.' })
  async restApis(
    @Args() page: PageArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionValue<ApiRecord>> {
    return toConnection(await ctx.browse.apis('REST', pageRequest(page, 'restApis', ctx), snapshot), 'restApis');
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => RestApi, { nullable: true, description: 'A REST API by id. Malformed id: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.' })
  restApi(
    @Arg('id', () => String, { description: 'The API id, such as a1b2c3d4e5.' }) id: string,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ApiRecord> {
    return ctx.browse.api('REST', id, snapshot);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => HttpApiConnection, { description: 'API Gateway HTTP APIs, ordered by ARN.' })
  async httpApis(
    @Args() page: PageArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionValue<ApiRecord>> {
    return toConnection(await ctx.browse.apis('HTTP', pageRequest(page, 'httpApis', ctx), snapshot), 'httpApis');
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => HttpApi, { nullable: true, description: 'An HTTP API by id. Malformed id: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.' })
  httpApi(
    @Arg('id', () => String, { description: 'The API id, such as h7t8p9a0b1.' }) id: string,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ApiRecord> {
    return ctx.browse.api('HTTP', id, snapshot);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @Query(() => ApiMethod, {
    nullable: true,
    description:
      'A method by execute-api ARN, with its authorization, resource policy, integration, the role it runs as and the Lambda function it calls. The path may be the template (/pets/{id}) or a concrete request path (/pets/42, routed as API Gateway would). Malformed ARN: BAD_USER_INPUT; API, stage or method not in the snapshot: NOT_FOUND.',
  })
  method(
    @Arg('arn', () => String, {
      description:
        'arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<VERB>/<path>, such as arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets/{id}; …/<stage>/$default for an HTTP API default route.',
    })
    arn: string,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<MethodRecord> {
    return ctx.browse.method(arn, snapshot);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => Principal)
export class PrincipalFieldsResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => [Policy])
  policies(@Root() principal: PrincipalRecord, @Ctx() ctx: ApiContext): Promise<PolicyRecord[]> {
    return ctx.browse.policiesOf(principal);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Policy, { nullable: true })
  permissionsBoundary(@Root() principal: PrincipalRecord, @Ctx() ctx: ApiContext): Promise<PolicyRecord | null> {
    return ctx.browse.permissionsBoundaryOf(principal);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => User)
export class UserResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => [Group])
  groups(@Root() user: PrincipalRecord, @Ctx() ctx: ApiContext): Promise<GroupRecord[]> {
    return ctx.browse.groupsOf(user);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => Role)
export class RoleResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Policy, { nullable: true })
  trustPolicy(@Root() role: PrincipalRecord, @Ctx() ctx: ApiContext): Promise<PolicyRecord | null> {
    return ctx.browse.trustPolicyOf(role);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => Group)
export class GroupResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => [Policy])
  policies(@Root() group: GroupRecord, @Ctx() ctx: ApiContext): Promise<PolicyRecord[]> {
    return ctx.browse.policiesOf(group);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => Policy)
export class PolicyResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => [PolicyStatement])
  statements(@Root() policy: PolicyRecord, @Ctx() ctx: ApiContext): Promise<StatementRecord[]> {
    return ctx.browse.statementsOf(policy);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => Api)
export class ApiFieldsResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => [Stage])
  stages(@Root() api: ApiRecord, @Ctx() ctx: ApiContext): Promise<StageRecord[]> {
    return ctx.browse.stagesOf(api);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => ApiMethodConnection, { description: "The API's methods (REST) or routes (HTTP), ordered by path then verb." })
  async methods(@Root() api: ApiRecord, @Args() page: PageArgs, @Ctx() ctx: ApiContext): Promise<ConnectionValue<MethodRecord>> {
    return toConnection(await ctx.browse.methodsOf(api, pageRequest(page, 'methods', ctx)), 'methods');
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => RestApi)
export class RestApiResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Policy, { nullable: true })
  resourcePolicy(@Root() api: ApiRecord, @Ctx() ctx: ApiContext): Promise<PolicyRecord | null> {
    return ctx.browse.resourcePolicyOf(api);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => ApiMethod)
export class ApiMethodResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Api)
  async api(@Root() method: MethodRecord, @Ctx() ctx: ApiContext): Promise<ApiRecord> {
    const api = await ctx.browse.apiOf(method);
    if (!api) throw new Error(`method ${method.key} has no API ${method.apiKey} in snapshot ${method.snapshot}`);
    return api;
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Policy, { nullable: true })
  resourcePolicy(@Root() method: MethodRecord, @Ctx() ctx: ApiContext): Promise<PolicyRecord | null> {
    return ctx.browse.resourcePolicyOfMethod(method);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Integration, { nullable: true })
  integration(@Root() method: MethodRecord, @Ctx() ctx: ApiContext): Promise<IntegrationRecord | null> {
    return ctx.browse.integrationOf(method);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => Integration)
export class IntegrationResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Role, { nullable: true })
  role(@Root() integration: IntegrationRecord, @Ctx() ctx: ApiContext): Promise<PrincipalRecord | null> {
    return ctx.browse.roleByArn(integration.snapshot, integration.roleArn);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => LambdaFunction, { nullable: true })
  lambdaFunction(@Root() integration: IntegrationRecord, @Ctx() ctx: ApiContext): Promise<LambdaFunctionRecord | null> {
    return ctx.browse.functionByArn(integration.snapshot, integration.lambdaArn);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => LambdaFunction)
export class LambdaFunctionResolver {
  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Role, { nullable: true })
  executionRole(@Root() fn: LambdaFunctionRecord, @Ctx() ctx: ApiContext): Promise<PrincipalRecord | null> {
    return ctx.browse.roleByArn(fn.snapshot, fn.roleArn);
  }

  @Extensions({ [COST_FIELD]: NEO4J_FIELD_COST })
  @FieldResolver(() => Policy, { nullable: true })
  resourcePolicy(@Root() fn: LambdaFunctionRecord, @Ctx() ctx: ApiContext): Promise<PolicyRecord | null> {
    return ctx.browse.resourcePolicyOf(fn);
  }
}

export const BROWSE_RESOLVERS = [
  BrowseQueryResolver,
  PrincipalFieldsResolver,
  UserResolver,
  RoleResolver,
  GroupResolver,
  PolicyResolver,
  ApiFieldsResolver,
  RestApiResolver,
  ApiMethodResolver,
  IntegrationResolver,
  LambdaFunctionResolver,
] as const;
