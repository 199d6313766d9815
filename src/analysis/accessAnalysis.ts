import type { SnapshotRows } from '../model';
import { AccessModel } from './accessModel';
import type { WhoCanAnswer } from './answer';
import { AssumeGraph } from './assumeGraph';
import { externalAccounts } from './bruteForce';
import { CandidateIndex } from './candidates';
import { resolveMethodRef, resolveTarget, type MethodRef, type Target } from './targets';
import { whoCan, type AnalysisParts, type WhoCanOptions } from './whoCan';

/**
 * One snapshot, ready for questions: the compiled model, the candidate
 * indexes and the role graph, built once (seconds on the large preset) and
 * then shared by every query.
 */
export class AccessAnalysis implements AnalysisParts {
  readonly externalAccounts: readonly string[];

  private constructor(
    readonly model: AccessModel,
    readonly candidates: CandidateIndex,
    readonly assumeGraph: AssumeGraph,
    readonly buildMs: { model: number; roleGraph: number },
  ) {
    this.externalAccounts = externalAccounts(model);
  }

  static fromRows(rows: SnapshotRows): AccessAnalysis {
    const t0 = performance.now();
    const model = AccessModel.fromRows(rows);
    const candidates = new CandidateIndex(model);
    const t1 = performance.now();
    const assumeGraph = AssumeGraph.build(model, candidates);
    const t2 = performance.now();
    return new AccessAnalysis(model, candidates, assumeGraph, { model: Math.round(t1 - t0), roleGraph: Math.round(t2 - t1) });
  }

  /** "Who can ACTION on ARN?" (execute-api ARNs may be concrete requests or method templates). */
  whoCan(action: string, resource: string, options: WhoCanOptions = {}): WhoCanAnswer {
    return whoCan(this, resolveTarget(this.model, action, resource), options);
  }

  /** "Who can invoke this method?" by request ARN (concrete or template). */
  whoCanInvoke(requestArn: string, options: WhoCanOptions = {}): WhoCanAnswer {
    return this.whoCan('execute-api:Invoke', requestArn, options);
  }

  /** "Who can invoke this method?" by API id, stage, verb and path template: decided for every request of the template (partial when only some are allowed). */
  whoCanInvokeMethod(ref: MethodRef, options: WhoCanOptions = {}): WhoCanAnswer {
    const m = resolveMethodRef(this.model, ref);
    const verb = m.method.verb === '*' ? '$default' : m.method.verb;
    const arn = `${m.api.row.executeApiArn}/${m.stage.name}/${verb}${m.method.verb === '*' ? '' : m.method.path}`;
    return this.whoCan('execute-api:Invoke', arn, options);
  }

  target(action: string, resource: string): Target {
    return resolveTarget(this.model, action, resource);
  }
}
