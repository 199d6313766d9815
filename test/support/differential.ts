import {
  AccessAnalysis,
  ANONYMOUS_ARN,
  bruteForceAssumeLevels,
  bruteForceWhoCan,
  callerArn,
  decideCaller,
  decisionOfLevel,
  Level,
  methodTemplateArn,
  type Caller,
  type CallerGrant,
  type PrincipalAccess,
  type RequestContextValues,
  type WhoCanAnswer,
} from '../../src/analysis';
import { callersAreUnsigned } from '../../src/analysis/whoCan';
import { Rng } from '../../src/generate/prng';

/**
 * The differential check: whocan's answer (candidate filters, stored
 * CAN_ASSUME relationships, the role-graph walk) against the brute-force
 * reference (the engine asked about every caller and every caller × role
 * pair, then role chains followed breadth-first). Shared by the unit test on
 * generated organizations, the graph round-trip test and the benchmark.
 */
export interface Question {
  action: string;
  resource: string;
  /** Why this question is in the sample (for failure messages). */
  why: string;
}

/** A deterministic sample of questions of every kind the analysis answers. */
export function sampleQuestions(analysis: AccessAnalysis, seed: string, size: { methods: number; other: number }): Question[] {
  const rng = new Rng(`differential/${seed}`);
  const model = analysis.model;
  const pick = <T>(list: readonly T[]): T | undefined => (list.length ? list[rng.int(list.length)] : undefined);
  const out: Question[] = [];
  const apis = [...model.apis.values()].filter((a) => a.methods.length > 0 && a.stages.length > 0);
  for (let i = 0; i < size.methods && apis.length; i++) {
    const api = pick(apis)!;
    const stage = pick(api.stages)!;
    const method = pick(api.methods)!;
    const template = methodTemplateArn(api, stage, method);
    out.push({ action: 'execute-api:Invoke', resource: template, why: `method template (${method.authorizationType})` });
    if (method.verb !== '*') {
      const verb = method.verb === 'ANY' ? pick(['GET', 'POST', 'DELETE', 'PATCH'])! : method.verb;
      const path = method.path.replace(/\{[^}]+\+\}/g, `p${rng.int(10)}/q${rng.int(10)}`).replace(/\{[^}]+\}/g, () => `v${rng.int(100)}`);
      out.push({
        action: 'execute-api:Invoke',
        resource: `${api.row.executeApiArn}/${stage.name}/${verb}${path}`,
        why: `concrete request (${method.authorizationType})`,
      });
    }
    if (i % 4 === 0) out.push({ action: 'execute-api:InvalidateCache', resource: template, why: 'cache invalidation' });
  }
  const roles = model.roles;
  const functions = [...model.functions.keys()];
  for (let i = 0; i < size.other; i++) {
    const api = pick(apis);
    if (api) {
      const management = `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}`;
      out.push({
        action: pick(['apigateway:PATCH', 'apigateway:DELETE', 'apigateway:POST', 'apigateway:GET'])!,
        resource: management,
        why: 'API management',
      });
    }
    const role = pick(roles);
    if (role) out.push({ action: pick(['sts:AssumeRole', 'iam:PassRole'])!, resource: role.arn, why: 'role' });
    const fn = pick(functions);
    if (fn) out.push({ action: 'lambda:InvokeFunction', resource: fn, why: 'Lambda function' });
  }
  return out;
}

/**
 * Questions on private APIs (the VPC endpoint layer): up to `methods`
 * methods of up to `apis` of them, on their first stage, as template and as
 * a concrete request.
 */
export function privateApiQuestions(analysis: AccessAnalysis, apis: number, methods: number): Question[] {
  const out: Question[] = [];
  const privateApis = [...analysis.model.apis.values()]
    .filter((a) => a.row.endpointType === 'PRIVATE' && a.methods.length > 0 && a.stages.length > 0)
    .slice(0, apis);
  for (const api of privateApis) {
    const stage = api.stages[0]!;
    for (const method of api.methods.slice(0, methods)) {
      out.push({
        action: 'execute-api:Invoke',
        resource: methodTemplateArn(api, stage, method),
        why: `private API method template (${method.authorizationType})`,
      });
      if (method.verb === '*') continue;
      const verb = method.verb === 'ANY' ? 'GET' : method.verb;
      const path = method.path.replace(/\{[^}]+\+\}/g, 'p1/q2').replace(/\{[^}]+\}/g, 'v1');
      out.push({
        action: 'execute-api:Invoke',
        resource: `${api.row.executeApiArn}/${stage.name}/${verb}${path}`,
        why: `private API concrete request (${method.authorizationType})`,
      });
    }
  }
  return out;
}

/**
 * `arn → "decision/hops/best H/direct D[/endpoints E=decision@hops,…]"`: what a
 * who-can answer says about each principal: its best decision, the hops of
 * its shortest path and of its best one, its own access, and (private APIs)
 * its best decision through each VPC endpoint.
 */
export type Summary = Map<string, string>;

/** One principal's summary line (shared with the benchmark's brute force). */
export function summaryLine(decision: string, hops: number, bestHops: number, direct: string, endpoints: string[] | undefined): string {
  return `${decision}/${hops}/best ${bestHops}/direct ${direct}${endpoints ? `/endpoints ${endpoints.join(',')}` : ''}`;
}

/** The hop count of the shortest path in a summary line. */
export function summaryHops(value: string): number {
  return Number(value.split('/')[1]);
}

export function summarise(answer: WhoCanAnswer): Summary {
  return new Map(
    answer.principals.map((p: PrincipalAccess) => [
      p.arn,
      summaryLine(
        p.decision,
        p.hops,
        p.bestHops,
        p.direct?.decision ?? 'none',
        p.endpoints?.map((e) => `${e.endpoint}=${e.decision}@${e.hops}`),
      ),
    ]),
  );
}

/** The brute-force answer for one question. `assumeLevels` comes from bruteForceAssumeLevels (once per context). */
export function bruteForceSummary(
  analysis: AccessAnalysis,
  question: Question,
  assumeLevels: ReturnType<typeof bruteForceAssumeLevels>,
  options: { context?: RequestContextValues | undefined; maxHops: number },
): Summary {
  const target = analysis.target(question.action, question.resource);
  const universe = analysis.universe;
  const unsigned = callersAreUnsigned(target);
  const probeMemo = new Map<string, string[]>();
  // Every caller decided once on the target (the engine through decideCaller, as the fast analysis does).
  const grants = new Map<string, CallerGrant | undefined>();
  const grantOf = (caller: Caller): CallerGrant | undefined => {
    const arn = callerArn(caller);
    if (!grants.has(arn)) {
      // Methods that ignore the signature: every caller is the same unsigned caller, answered as "anonymous".
      grants.set(arn, unsigned && arn !== ANONYMOUS_ARN ? undefined : decideCaller(analysis, caller, target, options.context, probeMemo));
    }
    return grants.get(arn);
  };
  const walk = (level: (grant: CallerGrant) => Level) =>
    bruteForceWhoCan(
      universe,
      (caller) => {
        const grant = grantOf(caller);
        return grant ? level(grant) : 0;
      },
      assumeLevels,
      { maxHops: options.maxHops, context: options.context, extraCallers: [universe.anonymous] },
    );
  const reached = walk((g) => g.level);
  // Private APIs: the same walk on the grants through each VPC endpoint alone.
  const channels = [...grants.values()].find((g) => g?.endpoints !== undefined)?.endpoints?.map((e) => e.channel);
  const throughEndpoint = (channels ?? []).map((channel, c) => ({ channel, reached: walk((g) => g.endpoints?.[c]?.level ?? 0) }));
  return new Map(
    [...reached].map(([arn, r]) => {
      const direct = grants.get(arn);
      const endpoints = channels
        ? throughEndpoint.flatMap(({ channel, reached: via }) => {
            const e = via.get(arn);
            return e ? [`${channel.id}=${decisionOfLevel(e.level)}@${e.bestHops}`] : [];
          })
        : undefined;
      return [
        arn,
        summaryLine(
          decisionOfLevel(r.level),
          r.hops,
          r.bestHops,
          direct && direct.level > Level.DENIED ? decisionOfLevel(direct.level) : 'none',
          endpoints,
        ),
      ];
    }),
  );
}

/** Human-readable differences (empty when equal). */
export function differences(fast: Summary, brute: Summary): string[] {
  const out: string[] = [];
  for (const [arn, v] of brute) if (!fast.has(arn)) out.push(`missing ${arn} (${v})`);
  for (const [arn, v] of fast) if (!brute.has(arn)) out.push(`extra ${arn} (${v})`);
  for (const [arn, v] of fast)
    if (brute.has(arn) && brute.get(arn) !== v) out.push(`different ${arn}: whocan ${v}, brute force ${brute.get(arn)}`);
  return out.sort();
}

/** The stored role graph against the engine asked about every (caller, role) pair: `from → to` with levels. */
export function assumeGraphDifferences(
  analysis: AccessAnalysis,
  assumeLevels: ReturnType<typeof bruteForceAssumeLevels>,
  context?: RequestContextValues,
): string[] {
  const fast = new Map<string, number>();
  for (const role of analysis.model.roles)
    for (const e of analysis.assumeGraph.incoming(role.arn, context)) fast.set(`${e.from} → ${e.to}`, e.level);
  const brute = new Map<string, number>();
  for (const [to, into] of assumeLevels) for (const [from, level] of into) brute.set(`${from} → ${to}`, level);
  const out: string[] = [];
  for (const [edge, level] of brute)
    if (fast.get(edge) !== level)
      out.push(`${fast.has(edge) ? 'different' : 'missing'} ${edge} (brute force ${level}, whocan ${fast.get(edge) ?? 'none'})`);
  for (const [edge, level] of fast) if (!brute.has(edge)) out.push(`extra ${edge} (${level})`);
  return out.sort();
}

/**
 * Contexts that decide the generator's conditions one way or the other, and
 * two that override a key the engine derives: a principal tag, and the
 * request region (outside the approved regions of the generator's region
 * deny SCP).
 */
export const SAMPLE_CONTEXTS: readonly (RequestContextValues | undefined)[] = [
  undefined,
  { 'aws:MultiFactorAuthPresent': 'true', 'aws:SourceIp': '10.20.30.40' },
  { 'aws:MultiFactorAuthPresent': 'false', 'aws:SourceIp': '203.0.113.77', 'aws:SourceVpce': 'vpce-00000000000000000' },
  { 'aws:PrincipalTag/team': 'payments' },
  { 'aws:RequestedRegion': 'ap-south-1' },
];
