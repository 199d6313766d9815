import type { AccessDecision, AccessPath, CallerType, ConditionSummary, PartialCoverage, RequestContextValues } from '../../analysis';
import { UserInputError } from '../../errors';
import type { AccessSource } from './source';

/**
 * `whocan paths ARN --principal P`: the paths by which one principal has
 * access to one resource (from the who-can answer, so the same paths a
 * review lists), for diagrams in review documents.
 */
export interface PrincipalPaths {
  principal: string;
  principalType: CallerType | null;
  action: string;
  resource: string;
  snapshot: string;
  origin: string;
  /** `denied` when the principal has no path (within the role assumptions followed). */
  decision: AccessDecision;
  hops: number | null;
  conditions: ConditionSummary[];
  partial?: PartialCoverage;
  paths: AccessPath[];
  morePaths?: boolean;
}

/**
 * The action a resource ARN is usually asked about: execute-api ARNs are
 * invoked, roles assumed, Lambda functions invoked. API Gateway management
 * ARNs (and anything else) need the action named.
 */
export function inferAction(arn: string): string {
  const value = arn.trim();
  if (/^arn:aws[a-z-]*:execute-api:/.test(value)) return 'execute-api:Invoke';
  if (/^arn:aws[a-z-]*:iam::\d{12}:role\//.test(value)) return 'sts:AssumeRole';
  if (/^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:/.test(value)) return 'lambda:InvokeFunction';
  if (/^arn:aws[a-z-]*:apigateway:/.test(value)) {
    throw new UserInputError(
      `${value} is an API Gateway management ARN: name the action with --action, e.g. --action apigateway:PATCH (or apigateway:POST, PUT, DELETE, GET).`,
    );
  }
  throw new UserInputError(
    `Cannot tell which action to ask about ${JSON.stringify(value)}: give --action (execute-api ARNs are invoked, roles assumed and Lambda functions invoked without it).`,
  );
}

export async function principalPaths(
  source: AccessSource,
  resource: string,
  principal: string,
  options: {
    action?: string | undefined;
    snapshot?: string | undefined;
    context?: RequestContextValues | undefined;
    maxHops?: number | undefined;
    maxPaths?: number | undefined;
  },
): Promise<PrincipalPaths> {
  const action = options.action ?? inferAction(resource);
  const snapshot = await source.resolveSnapshot(options.snapshot);
  const answer = await source.whoCan(action, resource, {
    snapshot,
    includeRoot: true,
    maxPaths: options.maxPaths ?? 10,
    ...(options.context ? { context: options.context } : {}),
    ...(options.maxHops !== undefined ? { maxHops: options.maxHops } : {}),
  });
  const p = answer.principals.find((x) => x.arn === principal.trim());
  const base = { principal: principal.trim(), action: answer.action, resource: answer.resource, snapshot, origin: source.origin };
  if (!p || p.decision === 'denied') {
    // Not in the answer: the simulator tells an unknown principal (an error) from one without access.
    const can = await source.can(principal.trim(), action, resource, {
      snapshot,
      ...(options.context ? { context: options.context } : {}),
      ...(options.maxHops !== undefined ? { maxHops: options.maxHops } : {}),
    });
    return {
      ...base,
      principal: can.principal,
      principalType: can.principalType,
      decision: 'denied',
      hops: null,
      conditions: [],
      paths: [],
    };
  }
  return {
    ...base,
    principalType: p.type,
    decision: p.decision,
    hops: p.hops,
    conditions: p.conditions,
    ...(p.partial ? { partial: p.partial } : {}),
    paths: p.paths,
    ...(p.morePaths ? { morePaths: true } : {}),
  };
}
