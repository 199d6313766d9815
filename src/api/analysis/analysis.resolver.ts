import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { NotFoundError } from '../../errors';
import { atLeastAsSevere, countsByKind, prepareIndexPaths } from '../../services';
import type {
  AccessChange as AccessChangeValue,
  AccessDiff,
  AccessKind,
  AnalysisService,
  BackendAccess,
  CallerReachAnswer,
  CanAnswer as CanAnswerValue,
  ConditionSummary,
  Finding as FindingValue,
  FindingKind,
  FunctionReachAnswer as FunctionReachAnswerValue,
  InvocableAnswer,
  InvocableMethod as InvocableMethodValue,
  PathHop as PathHopValue,
  PrincipalAccess as PrincipalAccessValue,
  ReachableRolesAnswer as ReachableRolesAnswerValue,
  RolePathsAnswer as RolePathsAnswerValue,
  WhoCanAnswer as WhoCanAnswerValue,
} from '../../services';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../connection';
import type { RequestContext } from '../context';
import { COST_FIELD, enforceDeadline } from '../limits';
import { TristateValue } from '../simulate/simulate.type';
import {
  INPUT_LIMITS,
  MethodReference,
  PathQuestionArgs,
  QuestionArgs,
  WhoCanArgs,
  checkText,
  nonEmpty,
  toInvokeTarget,
  toQuestionOptions,
} from './analysis.input';
import {
  AccessChangeConnection,
  AccessKindCounts,
  AccessCondition,
  AccessKindValue,
  CanAnswer,
  FindingConnection,
  FindingKindValue,
  FunctionCallerConnection,
  FunctionReachAnswer,
  FunctionRoute,
  FunctionsReachableAnswer,
  InvocableMethodConnection,
  InvocableMethodsAnswer,
  LayerVote,
  PathHop,
  PrincipalAccess,
  PrincipalAccessConnection,
  ReachableRolesAnswer,
  ReachedFunctionConnection,
  RolePathsAnswer,
  SeverityValue,
  WhoCanAnswer,
} from './analysis.type';
import { pageOfList } from './listPage';

/**
 * The access-analysis questions over GraphQL. Thin: arguments are checked
 * and mapped to the service's options, the snapshot is resolved for this
 * request (NOT_FOUND when unknown), the snapshot's analysis is loaded, the
 * request's deadline is checked once more before the CPU-heavy question
 * runs, and the service's answer is returned as it is; lists in answers are
 * paged by the field resolvers below.
 *
 * Costs (WHOCAN_MAX_QUERY_COST, default 50 000; a plain field costs 1): what
 * each question costs on its own, before what is selected in it. They follow
 * measurements on the generator's medium organization (5,000 users, 2,000
 * roles, 6,400 methods) on a 2-core machine: a who-can question takes up to a
 * few hundred ms, what a principal can invoke 1 to 2 s, what it reaches
 * through integrations 2 to 5 s, and findings and an access diff, which ask
 * the who-can questions of every method, API and role, the longest by far.
 * With the default limit a request holds 99 who-can questions, two findings
 * or one access diff.
 */
export const ANALYSIS_COSTS = {
  rolePaths: 100,
  reachableRoles: 100,
  can: 200,
  whoCan: 500,
  whoCanInvoke: 500,
  whoCanReachFunction: 1_000,
  invocableMethods: 3_000,
  functionsReachableBy: 5_000,
  findings: 20_000,
  accessDiff: 30_000,
} as const;

const SNAPSHOT = {
  nullable: true,
  description: 'Id of the snapshot to ask about (the snapshots query lists them); default: the current snapshot.',
} as const;

type WithSnapshot<T> = T & { snapshot: string };

@UseMiddleware(enforceDeadline)
@Resolver()
export class AnalysisQueryResolver {
  constructor(private readonly analysis: AnalysisService) {}

  /**
   * The snapshot a question reads (`field` names the argument in errors),
   * resolved within the request's deadline; its analysis is loaded (or found
   * in memory) and the deadline checked again, so a request whose time ran
   * out while loading never starts the question itself.
   */
  private async ready(
    ctx: RequestContext,
    snapshot: string | null | undefined,
    field = 'snapshot',
    options: { load?: boolean } = {},
  ): Promise<string> {
    let id: string;
    try {
      ({ id } = await ctx.browse.snapshot(snapshot));
    } catch (error) {
      if (error instanceof NotFoundError && field !== 'snapshot' && error.message.startsWith('snapshot: '))
        throw new NotFoundError(`${field}: ${error.message.slice('snapshot: '.length)}`);
      throw error;
    }
    // Questions the access index may answer (who can, invocable methods, access diffs) load the analysis only when it does not.
    if (options.load !== false) await this.analysis.analysis({ snapshot: id, tx: ctx.scope.txOptions() });
    ctx.scope.assertTimeLeft();
    return id;
  }

  /** Who-can questions: answered from the access index when it can (paths read per page), else by the analysis once loaded and within the deadline. */
  private whoCanOptions(ctx: RequestContext) {
    return { tx: ctx.scope.txOptions(), lazyPaths: true, analysisReady: () => ctx.scope.assertTimeLeft() };
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.whoCanInvoke })
  @Query(() => WhoCanAnswer, {
    description:
      'Who can invoke an API method, directly or through chains of roles, with decisions, conditions and typed paths. Name the method by requestArn (a concrete request …/prod/GET/pets/42, or a method template …/prod/GET/pets/{id}) or by method ({apiId, stage, verb, path}), not both. Malformed: BAD_USER_INPUT; API, stage or method not in the snapshot: NOT_FOUND.',
  })
  async whoCanInvoke(
    @Arg('requestArn', () => String, {
      nullable: true,
      description:
        'arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<VERB>/<path>, such as arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets.',
    })
    requestArn: string | null,
    @Arg('method', () => MethodReference, { nullable: true, description: 'The method by its parts, instead of requestArn.' })
    method: MethodReference | null,
    @Args() args: WhoCanArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<WhoCanAnswerValue>> {
    const target = toInvokeTarget(requestArn, method);
    const options = toQuestionOptions(args);
    // The access index may answer without the snapshot's analysis in memory; paths are read per page (principals below).
    return this.analysis.whoCanInvoke(target, {
      ...options,
      ...this.whoCanOptions(ctx),
      snapshot: await this.ready(ctx, snapshot, 'snapshot', { load: false }),
    });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.whoCan })
  @Query(() => WhoCanAnswer, {
    description:
      'Who can perform an action on a resource, directly or through chains of roles: who can change an API (apigateway:PATCH on arn:aws:apigateway:<region>::/restapis/<id>), assume or pass a role (sts:AssumeRole, iam:PassRole), invoke a function (lambda:InvokeFunction), invoke a method (execute-api:Invoke), or any other action. Malformed action or ARN: BAD_USER_INPUT; resource not in the snapshot: NOT_FOUND.',
  })
  async whoCan(
    @Arg('action', () => String, {
      description: 'service:Action without wildcards, such as apigateway:PATCH, sts:AssumeRole or execute-api:Invoke.',
    })
    action: string,
    @Arg('resource', () => String, {
      description:
        'The resource ARN, such as arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5 or arn:aws:iam::333344445555:role/platform-admin.',
    })
    resource: string,
    @Args() args: WhoCanArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<WhoCanAnswerValue>> {
    checkText(action, 'action', INPUT_LIMITS.action);
    checkText(resource, 'resource');
    const options = toQuestionOptions(args);
    return this.analysis.whoCan(action, resource, {
      ...options,
      ...this.whoCanOptions(ctx),
      snapshot: await this.ready(ctx, snapshot, 'snapshot', { load: false }),
    });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.can })
  @Query(() => CanAnswer, {
    description:
      'Can this principal perform this action on this resource? The policy simulator on the ingested data: the decision with the deciding statements of every policy type and each layer’s vote, the principal’s paths, and what it reaches by assuming roles. Malformed: BAD_USER_INPUT; principal or resource not in the snapshot: NOT_FOUND.',
  })
  async can(
    @Arg('principal', () => String, {
      description:
        'The principal ARN: arn:aws:iam::ACCOUNT:user/NAME, …:role/NAME, arn:aws:iam::ACCOUNT:root, or a service such as apigateway.amazonaws.com.',
    })
    principal: string,
    @Arg('action', () => String, { description: 'service:Action without wildcards, such as execute-api:Invoke.' }) action: string,
    @Arg('resource', () => String, { description: 'The resource ARN (for execute-api: a request ARN or a method template ARN).' })
    resource: string,
    @Args() args: PathQuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<CanAnswerValue>> {
    checkText(principal, 'principal');
    checkText(action, 'action', INPUT_LIMITS.action);
    checkText(resource, 'resource');
    const options = toQuestionOptions(args);
    return this.analysis.can(principal, action, resource, {
      ...options,
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
    });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.invocableMethods })
  @Query(() => InvocableMethodsAnswer, {
    description:
      'Every API method (on every stage) a principal, or a role it becomes, may invoke. Methods whose authorization ignores the signature (NONE, Lambda, Cognito, JWT authorizers) are open to whoever the authorizer accepts, and listed only with includeUnsigned. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async invocableMethods(
    @Arg('principal', () => String, { description: 'The principal ARN, such as arn:aws:iam::333344445555:user/bob-caller.' })
    principal: string,
    @Arg('includeUnsigned', () => Boolean, {
      nullable: true,
      description: 'Also list the methods open to unsigned callers (NONE, Lambda, Cognito and JWT authorizers); default false.',
    })
    includeUnsigned: boolean | null,
    @Args() args: QuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<InvocableAnswer>> {
    checkText(principal, 'principal');
    const options = toQuestionOptions(args);
    return this.analysis.invocableMethods(principal, {
      ...options,
      includeUnsigned: includeUnsigned === true,
      snapshot: await this.ready(ctx, snapshot, 'snapshot', { load: false }),
      tx: ctx.scope.txOptions(),
      signal: ctx.scope.signal,
    });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.rolePaths })
  @Query(() => RolePathsAnswer, {
    description:
      'How a principal can become a role: the chains of sts:AssumeRole, shortest first, each hop with its trust statement, the caller’s own statement and its conditions. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async rolePaths(
    @Arg('from', () => String, {
      description:
        'The principal the chains start from (user, role, arn:aws:iam::ACCOUNT:root of an account outside the snapshot, or a service).',
    })
    from: string,
    @Arg('to', () => String, { description: 'The role to reach, such as arn:aws:iam::333344445555:role/platform-admin.' }) to: string,
    @Args() args: PathQuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<RolePathsAnswerValue>> {
    checkText(from, 'from');
    checkText(to, 'to');
    const options = toQuestionOptions(args);
    return this.analysis.rolePaths(from, to, { ...options, snapshot: await this.ready(ctx, snapshot), tx: ctx.scope.txOptions() });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.reachableRoles })
  @Query(() => ReachableRolesAnswer, {
    description:
      'Every role a principal can become through chains of sts:AssumeRole (at most maxHops), nearest first, each with its shortest chain and conditions. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async reachableRoles(
    @Arg('principal', () => String, { description: 'The principal ARN, such as arn:aws:iam::222233334444:user/ivan-ops.' })
    principal: string,
    @Args() args: QuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<ReachableRolesAnswerValue>> {
    checkText(principal, 'principal');
    const options = toQuestionOptions(args);
    return this.analysis.reachableRoles(principal, { ...options, snapshot: await this.ready(ctx, snapshot) });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.functionsReachableBy })
  @Query(() => FunctionsReachableAnswer, {
    description:
      'The Lambda functions a caller reaches through API methods (caller → method → the role the integration runs as → function), itself or as the roles it becomes, even when it cannot invoke them directly. Malformed: BAD_USER_INPUT; not in the snapshot: NOT_FOUND.',
  })
  async functionsReachableBy(
    @Arg('principal', () => String, { description: 'The caller ARN, such as arn:aws:iam::333344445555:user/bob-caller.' })
    principal: string,
    @Args() args: QuestionArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<CallerReachAnswer>> {
    checkText(principal, 'principal');
    const options = toQuestionOptions(args);
    return this.analysis.callerReach(principal, {
      ...options,
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
      signal: ctx.scope.signal,
    });
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.whoCanReachFunction })
  @Query(() => FunctionReachAnswer, {
    description:
      'Who can reach a Lambda function: directly (lambda:InvokeFunction), and through every API method whose integration calls it. Malformed: BAD_USER_INPUT; function not in the snapshot: NOT_FOUND.',
  })
  async whoCanReachFunction(
    @Arg('function', () => String, { description: 'The function ARN, such as arn:aws:lambda:us-east-1:333344445555:function:pets-list.' })
    fn: string,
    @Args() args: WhoCanArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithSnapshot<Omit<FunctionReachAnswerValue, 'direct'> & { direct: WithSnapshot<WhoCanAnswerValue> }>> {
    checkText(fn, 'function');
    const options = toQuestionOptions(args);
    const answer = await this.analysis.functionReach(fn, {
      ...options,
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
      signal: ctx.scope.signal,
    });
    return { ...answer, direct: { ...answer.direct, snapshot: answer.snapshot } };
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.findings })
  @Query(() => FindingConnection, {
    description:
      'What a security review should look at first, on the whole snapshot: public methods, open and cross-account resource policies, wildcard rights, escalation through API Gateway, broad integration roles, broken integrations. Most severe first; counts are per severity.',
  })
  async findings(
    @Arg('kinds', () => [FindingKindValue], { nullable: true, description: 'Only these kinds; default: every kind.' })
    kinds: FindingKindValue[] | null,
    @Arg('minimumSeverity', () => SeverityValue, {
      nullable: true,
      description: 'Only findings at least this severe (LOW: all); counts still cover every severity.',
    })
    minimumSeverity: SeverityValue | null,
    @Args() page: PageArgs,
    @Arg('snapshot', () => String, SNAPSHOT) snapshot: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Omit<FindingConnection, 'edges' | 'nodes'> & ConnectionValue<FindingValue>> {
    const request = pageRequest(page, 'findings', ctx);
    const only = nonEmpty(kinds, 'kinds') as readonly FindingKind[] | undefined;
    const answer = await this.analysis.findings({
      snapshot: await this.ready(ctx, snapshot),
      tx: ctx.scope.txOptions(),
      ...(only ? { kinds: only } : {}),
    });
    const shown = minimumSeverity ? answer.findings.filter((f) => atLeastAsSevere(f.severity, minimumSeverity)) : answer.findings;
    return {
      snapshot: answer.snapshot,
      counts: answer.counts,
      ...toConnection(
        pageOfList(shown, (f) => f.id, request),
        'findings',
      ),
    };
  }

  @Extensions({ [COST_FIELD]: ANALYSIS_COSTS.accessDiff })
  @Query(() => AccessChangeConnection, {
    description:
      'Who gained and who lost which access between two snapshots, for access reviews: invoking each API method (every stage), changing each API, assuming each role. Each side is answered on its own snapshot; a change carries the paths of the side that has the access. Unknown snapshot or API id: NOT_FOUND.',
  })
  async accessDiff(
    @Arg('from', () => String, {
      nullable: true,
      description: 'Id of the older snapshot; default: the newest complete snapshot before to.',
    })
    from: string | null | undefined,
    @Arg('to', () => String, { nullable: true, description: 'Id of the newer snapshot; default: the current snapshot.' })
    to: string | null | undefined,
    @Arg('kinds', () => [AccessKindValue], { nullable: true, description: 'Only these kinds of access; default: every kind.' })
    kinds: AccessKindValue[] | null,
    @Arg('apis', () => [String], { nullable: true, description: 'Only these APIs (ids), for INVOKE and MANAGE; default: every API.' })
    apis: string[] | null,
    @Args() args: PathQuestionArgs,
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Omit<AccessChangeConnection, 'edges' | 'nodes'> & ConnectionValue<AccessChangeValue>> {
    const request = pageRequest(page, 'accessDiff', ctx);
    const options = toQuestionOptions(args);
    const onlyKinds = nonEmpty(kinds, 'kinds') as readonly AccessKind[] | undefined;
    const onlyApis = nonEmpty(apis, 'apis');
    onlyApis?.forEach((id, i) => checkText(id, `apis[${i}]`, 64));
    const snapshots = {
      from: from === null || from === undefined ? undefined : await this.ready(ctx, from, 'from', { load: false }),
      to: to === null || to === undefined ? undefined : await this.ready(ctx, to, 'to', { load: false }),
    };
    const diff: AccessDiff & { from: string; to: string } = await this.analysis.accessDiff(snapshots, {
      ...options,
      ...(onlyKinds ? { kinds: onlyKinds } : {}),
      ...(onlyApis ? { apis: onlyApis } : {}),
      // The diff asks many questions in one go: it runs in slices and stops at the request's deadline.
      signal: ctx.scope.signal,
    });
    const key = (c: AccessChangeValue) => `${c.kind} ${c.action} ${c.resource} ${c.principal}`;
    return {
      from: diff.from,
      to: diff.to,
      counts: diff.counts,
      countsByKind: countsByKind(diff.changes) as AccessKindCounts[],
      compared: diff.compared,
      ...toConnection(pageOfList(diff.changes, key, request), 'accessDiff'),
    };
  }
}

// ------------------------------------------------------------ lists in answers, paged

function principalsPage(
  principals: readonly PrincipalAccessValue[],
  page: PageArgs,
  ctx: RequestContext,
): ConnectionValue<PrincipalAccessValue> {
  return toConnection(
    pageOfList(principals, (p) => p.arn, pageRequest(page, 'principalAccess', ctx)),
    'principalAccess',
  );
}

@UseMiddleware(enforceDeadline)
@Resolver(() => WhoCanAnswer)
export class WhoCanAnswerResolver {
  @FieldResolver(() => PrincipalAccessConnection, {
    description: 'The principals with the access, in the analysis’ order (fewest hops, then best decision, first).',
  })
  async principals(
    @Root() answer: WhoCanAnswerValue,
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<PrincipalAccessValue>> {
    const connection = principalsPage(answer.principals, page, ctx);
    // An answer from the access index reads the paths of this page's principals only.
    await prepareIndexPaths(connection.nodes);
    return connection;
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => FunctionRoute)
export class FunctionRouteResolver {
  @FieldResolver(() => PrincipalAccessConnection, {
    description: 'Who reaches the function through this method, each path ending with the integration hop.',
  })
  principals(
    @Root() route: FunctionReachAnswerValue['throughApis'][number],
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionValue<PrincipalAccessValue> {
    return principalsPage(route.principals, page, ctx);
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => FunctionReachAnswer)
export class FunctionReachAnswerResolver {
  @FieldResolver(() => FunctionCallerConnection, {
    description: 'Everyone who reaches the function, directly or through an API: fewest hops, then best decision, first.',
  })
  principals(
    @Root() answer: FunctionReachAnswerValue,
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionValue<FunctionReachAnswerValue['principals'][number]> {
    return toConnection(
      pageOfList(answer.principals, (p) => p.arn, pageRequest(page, 'functionCallers', ctx)),
      'functionCallers',
    );
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => InvocableMethodsAnswer)
export class InvocableMethodsAnswerResolver {
  @FieldResolver(() => InvocableMethodConnection, { description: 'The methods, on every stage, in the analysis’ order.' })
  methods(@Root() answer: InvocableAnswer, @Args() page: PageArgs, @Ctx() ctx: RequestContext): ConnectionValue<InvocableMethodValue> {
    return toConnection(
      pageOfList(answer.methods, (m) => m.methodArn, pageRequest(page, 'invocableMethods', ctx)),
      'invocableMethods',
    );
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => FunctionsReachableAnswer)
export class FunctionsReachableAnswerResolver {
  @FieldResolver(() => ReachedFunctionConnection, {
    description:
      'Each function the caller reaches, once per method (on each stage) whose integration calls it; ordered by function, then method.',
  })
  functions(@Root() answer: CallerReachAnswer, @Args() page: PageArgs, @Ctx() ctx: RequestContext): ConnectionValue<BackendAccess> {
    return toConnection(
      pageOfList(answer.backends, (b) => `${b.method.methodArn} ${b.function}`, pageRequest(page, 'reachedFunctions', ctx)),
      'reachedFunctions',
    );
  }
}

// ------------------------------------------------------------ fields the service leaves out when empty

@UseMiddleware(enforceDeadline)
@Resolver(() => PrincipalAccess)
export class PrincipalAccessResolver {
  @FieldResolver(() => Boolean)
  morePaths(@Root() access: PrincipalAccessValue): boolean {
    return access.morePaths === true;
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => RolePathsAnswer)
export class RolePathsAnswerResolver {
  @FieldResolver(() => Boolean)
  morePaths(@Root() answer: RolePathsAnswerValue): boolean {
    return answer.morePaths === true;
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => PathHop)
export class PathHopResolver {
  @FieldResolver(() => [AccessCondition])
  conditions(@Root() hop: PathHopValue): ConditionSummary[] {
    return hop.conditions ?? [];
  }
}

@UseMiddleware(enforceDeadline)
@Resolver(() => LayerVote)
export class LayerVoteResolver {
  @FieldResolver(() => TristateValue)
  allows(@Root() vote: CanAnswerValue['requests'][number]['layers'][number]): TristateValue {
    return vote.allows === 'conditional' ? TristateValue.CONDITIONAL : vote.allows ? TristateValue.YES : TristateValue.NO;
  }
}

/** The resolvers of the answers' fields (no services needed). */
export const ANALYSIS_FIELD_RESOLVERS = [
  WhoCanAnswerResolver,
  FunctionRouteResolver,
  FunctionReachAnswerResolver,
  InvocableMethodsAnswerResolver,
  FunctionsReachableAnswerResolver,
  PrincipalAccessResolver,
  RolePathsAnswerResolver,
  PathHopResolver,
  LayerVoteResolver,
] as const;

export const ANALYSIS_RESOLVERS = [AnalysisQueryResolver, ...ANALYSIS_FIELD_RESOLVERS] as const;
