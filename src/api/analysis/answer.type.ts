import { Extensions, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { StatementEffectValue } from '../browse/policy.type';
import { ACCESS_DECISION_DESCRIPTIONS, CALLER_TYPE_DESCRIPTIONS, HOP_KIND_DESCRIPTIONS } from '../../services';
import { connectionType } from '../connection';
import { COST_LIST_SIZE } from '../limits';

/**
 * What the answers of several access-analysis questions share, as GraphQL
 * types: decisions, caller kinds, conditions, path hops, partial coverage,
 * a principal's access and the work an answer took. They mirror the
 * service's answer shapes (src/analysis/answer.ts), which are a contract:
 * enum values are the service's own strings, so answers are returned as the
 * service gives them. Each question's own types are in `<question>.type.ts`
 * beside this file (whoCan, can, invocable, roles, functionReach, findings,
 * accessDiff); lists of principals, methods, functions, findings and changes
 * are Relay connections paged over the computed answer.
 */

/**
 * The descriptions of an enum's values from the analysis, where each value's
 * meaning is written once (the enum's values are the service's own strings,
 * so each names its description).
 */
export function describedValues<E extends Record<string, string>>(
  values: E,
  descriptions: { readonly [V in E[keyof E]]: string },
): Record<keyof E, { description: string }> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, { description: descriptions[value as E[keyof E]] }]),
  ) as Record<keyof E, { description: string }>;
}

export enum AccessDecisionValue {
  ALLOWED = 'allowed',
  CONDITIONAL = 'conditional',
  PARTIAL = 'partial',
  DENIED = 'denied',
}
registerEnumType(AccessDecisionValue, {
  name: 'AccessDecision',
  description: 'How far a principal has an access (docs/analysis.md, "The answer").',
  valuesConfig: describedValues(AccessDecisionValue, ACCESS_DECISION_DESCRIPTIONS),
});

export enum HopKindValue {
  MEMBER_OF = 'member-of',
  POLICY = 'policy',
  STATEMENT = 'statement',
  RESOURCE_POLICY = 'resource-policy',
  ASSUME_ROLE = 'assume-role',
  UNSIGNED = 'unsigned',
  AUTHORIZER = 'authorizer',
  ROOT = 'root',
  INTEGRATION = 'integration',
}
registerEnumType(HopKindValue, {
  name: 'HopKind',
  description: 'What one step of an access path is.',
  valuesConfig: describedValues(HopKindValue, HOP_KIND_DESCRIPTIONS),
});

export enum CallerKindValue {
  USER = 'user',
  ROLE = 'role',
  SESSION = 'session',
  ACCOUNT = 'account',
  ROOT = 'root',
  SERVICE = 'service',
  ANONYMOUS = 'anonymous',
}
registerEnumType(CallerKindValue, {
  name: 'CallerKind',
  description: 'What kind of caller an answer names (docs/analysis.md, "Who the callers are").',
  valuesConfig: describedValues(CallerKindValue, CALLER_TYPE_DESCRIPTIONS),
});

export enum ApiKindValue {
  REST = 'REST',
  HTTP = 'HTTP',
}
registerEnumType(ApiKindValue, {
  name: 'ApiKind',
  description: 'The kind of an API Gateway API.',
  valuesConfig: { REST: { description: 'A REST API (API Gateway v1).' }, HTTP: { description: 'An HTTP API (API Gateway v2).' } },
});

export const PATHS_COST = { [COST_LIST_SIZE]: 20 };
export const CONDITIONS_COST = { [COST_LIST_SIZE]: 2 };
export const PATHS_DESCRIPTION =
  'The paths to the access, shortest first (at most maxPaths): each a list of hops from the principal to the grant. A path is as good as its weakest hop; its conditions are its hops’.';

@ObjectType({ description: 'One clause of a policy condition that an access depends on.' })
export class ConditionClause {
  @Field(() => String, { description: 'The condition key as written in the policy, such as aws:SourceIp.' })
  key!: string;

  @Field(() => String, { description: 'The condition operator, such as IpAddress or StringEquals.' })
  operator!: string;

  @Field(() => [String], { description: 'The values the policy compares the key with.' })
  values!: string[];

  @Field(() => StatementEffectValue, {
    description: 'The effect of the statement the clause belongs to: an Allow that needs it to hold, or a Deny that needs it not to.',
  })
  effect!: StatementEffectValue;

  @Field(() => String, {
    description:
      'The policy key: managed policy ARN, <owner>#inline/<name>, <role>#trust, <api>#resource-policy, <function>#resource-policy, or an SCP/RCP id.',
  })
  policy!: string;

  @Field(() => String, { description: 'The statement: its Sid, or its zero-based index as #N.' })
  statement!: string;
}

@ObjectType({
  description: 'What a conditional access depends on: the engine’s formula over the request context keys that decide it, and its clauses.',
})
export class AccessCondition {
  @Field(() => String, { description: 'The condition as text, such as IpAddress aws:SourceIp ["198.51.100.0/24"].' })
  when!: string;

  @Field(() => [String], {
    description: 'The request context keys that decide it, in lower case (give them as context to decide the question).',
  })
  keys!: string[];

  @Extensions({ [COST_LIST_SIZE]: 4 })
  @Field(() => [ConditionClause], { description: 'Each clause with its key, operator, values and statement.' })
  clauses!: ConditionClause[];
}

@ObjectType({
  description: 'One step of an access path, so that a dashboard can draw it: from → to, of a kind, granted by a policy statement.',
})
export class PathHop {
  @Field(() => HopKindValue, { description: 'What the step is.' })
  kind!: HopKindValue;

  @Field(() => String, { description: 'Where the step starts: a principal, group, policy or method ARN (or key).' })
  from!: string;

  @Field(() => String, { description: 'Where the step ends: a group, policy, role, resource or Lambda function.' })
  to!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The policy that grants this step (managed policy ARN, <owner>#inline/<name>, <role>#trust, <api>#resource-policy, <function>#resource-policy); null for steps no policy grants (member-of, unsigned, root…).',
  })
  policy!: string | null;

  @Field(() => String, { nullable: true, description: 'The statement of that policy: its Sid, or its zero-based index as #N.' })
  statement!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "assume-role steps that need the caller's own permission too: the caller's identity policy that allows sts:AssumeRole.",
  })
  identityPolicy!: string | null;

  @Field(() => String, { nullable: true, description: 'The statement of identityPolicy.' })
  identityStatement!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'integration steps: the role API Gateway assumes to call the backend (credentials mode ROLE).',
  })
  role!: string | null;

  @Extensions({ [COST_LIST_SIZE]: 2 })
  @Field(() => [AccessCondition], {
    description: 'This step holds only under these conditions; empty when it holds whatever the request context.',
  })
  conditions!: AccessCondition[];
}

@ObjectType({ description: 'Which requests of a method template are allowed, when only some are (decision PARTIAL).' })
export class PartialCoverage {
  @Field(() => [String], { description: 'Requests of the method that are allowed (or conditionally allowed), as request ARNs.' })
  allowedRequests!: string[];

  @Field(() => [String], { description: 'Requests of the method that are denied.' })
  deniedRequests!: string[];

  @Field(() => [String], { description: 'The statement resource patterns that split the method.' })
  patterns!: string[];
}

@ObjectType({ description: "A principal's own access (0 role assumptions), which may be weaker than its best access through roles." })
export class DirectAccess {
  @Field(() => AccessDecisionValue, { description: 'The decision of the principal’s own access.' })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL or PARTIAL own access depends on; empty otherwise.' })
  conditions!: AccessCondition[];

  @Field(() => PartialCoverage, { nullable: true, description: 'For a PARTIAL own access: which requests of the method are allowed.' })
  partial!: PartialCoverage | null;
}

@ObjectType({
  description: 'Private API methods: how far a principal gets through one interface VPC endpoint (whose policy must also allow the call).',
})
export class EndpointAccess {
  @Field(() => String, {
    description:
      'The endpoint id (vpce-…), or * for an interface endpoint outside the snapshot (any other), decided with aws:SourceVpce and aws:SourceVpc unknown.',
  })
  endpoint!: string;

  @Field(() => String, { nullable: true, description: 'Its VPC: the aws:SourceVpc of calls through it; null for *.' })
  vpc!: string | null;

  @Field(() => String, { nullable: true, description: 'The account that owns the endpoint; null for *.' })
  account!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Its private DNS setting; null when unknown.' })
  privateDns!: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The key of its policy (<endpoint ARN>#endpoint-policy); null for the default policy, which allows full access, and for *.',
  })
  policy!: string | null;

  @Field(() => AccessDecisionValue, {
    description: 'The best decision through this endpoint, over every path of at most maxHops role assumptions.',
  })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'The fewest role assumptions that give that decision through this endpoint.' })
  hops!: number;
}

@ObjectType({ description: 'One principal that has the access asked about, how far, and through which paths.' })
export class PrincipalAccess {
  @Field(() => String, {
    description:
      'The principal: an IAM user or role ARN, arn:aws:iam::ACCOUNT:root for an account outside the snapshot, a service such as ec2.amazonaws.com, or anonymous.',
  })
  arn!: string;

  @Field(() => CallerKindValue, { name: 'kind', description: 'What kind of caller it is.' })
  type!: CallerKindValue;

  @Field(() => AccessDecisionValue, { description: 'The best decision over every path of at most maxHops role assumptions.' })
  decision!: AccessDecisionValue;

  @Field(() => Int, { description: 'Role assumptions on the shortest path to any access (0: the principal’s own policies).' })
  hops!: number;

  @Field(() => Int, {
    description:
      'Role assumptions on the shortest path that gives the best decision: more than hops when a longer path is better than the shortest.',
  })
  bestHops!: number;

  @Field(() => DirectAccess, {
    nullable: true,
    description:
      'The principal’s own access (0 role assumptions), when it has any: it may be weaker than decision. Null when its access is only through roles.',
  })
  direct!: DirectAccess | null;

  @Extensions({ [COST_LIST_SIZE]: 3 })
  @Field(() => [EndpointAccess], {
    nullable: true,
    description:
      'Private API methods: the VPC endpoints through which the principal gets access, each with its decision. Null for other questions.',
  })
  endpoints!: EndpointAccess[] | null;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on; empty otherwise.' })
  conditions!: AccessCondition[];

  @Field(() => PartialCoverage, { nullable: true, description: 'For a PARTIAL decision: which requests of the method are allowed.' })
  partial!: PartialCoverage | null;

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], { description: PATHS_DESCRIPTION })
  paths!: PathHop[][];

  @Field(() => Boolean, { description: 'True when more paths exist than maxPaths let through.' })
  morePaths!: boolean;
}

export const PrincipalAccessConnection = connectionType(() => PrincipalAccess, 'PrincipalAccess', 'principal');

@ObjectType({ description: 'How much work an answer took.' })
export class AnalysisStats {
  @Field(() => Int, { description: 'Callers (or methods) that could have the access and were decided.' })
  candidates!: number;

  @Field(() => Int, { description: 'Policy engine decisions made.' })
  decisions!: number;

  @Field(() => Float, { name: 'milliseconds', description: 'Time spent computing the answer, in milliseconds.' })
  ms!: number;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True when the answer was read from the snapshot’s access index (who-can questions; docs/analysis.md, “Answers from the access index”); null when the policy engine decided it.',
  })
  fromIndex?: boolean | null;
}
