/** A principal of a who-can answer read from the access index: its decision and hops from the index, its paths and conditions from the graph when its page is shown. */
import {
  Level,
  decisionOfLevel,
  principalAccessJson,
  type AccessDecision,
  type CallerType,
  type ConditionSummary,
  type PathHop,
  type PrincipalAccess,
} from '../../analysis';
import { IndexPaths, type IndexSeed } from './indexPaths';

/**
 * Reads the paths of these principals of an index answer from the graph (a
 * page of them), so that reading their `paths` and `conditions` needs
 * nothing more. Does nothing for answers of the analysis.
 */
export async function prepareIndexPaths(principals: readonly PrincipalAccess[]): Promise<void> {
  const bySource = new Map<IndexPaths, string[]>();
  for (const p of principals) {
    if (!(p instanceof IndexPrincipalAccess)) continue;
    const list = bySource.get(p.source);
    if (list) list.push(p.arn);
    else bySource.set(p.source, [p.arn]);
  }
  for (const [source, arns] of bySource) await source.prepare(arns);
}

/** A principal of an index answer: its paths and conditions come from the graph (prepareIndexPaths), the rest from the index. */
export class IndexPrincipalAccess implements PrincipalAccess {
  readonly direct: PrincipalAccess['direct'];

  constructor(
    readonly arn: string,
    readonly type: CallerType,
    readonly decision: AccessDecision,
    readonly hops: number,
    readonly bestHops: number,
    seed: IndexSeed | undefined,
    readonly source: IndexPaths,
  ) {
    this.direct = seed && seed.level > Level.DENIED ? { decision: decisionOfLevel(seed.level), conditions: seed.conditions } : undefined;
  }

  get conditions(): ConditionSummary[] {
    return this.decision === 'conditional' || this.decision === 'partial' ? this.source.pathsOf(this.arn).conditions : [];
  }

  get paths(): PathHop[][] {
    return this.source.pathsOf(this.arn).paths;
  }

  get morePaths(): boolean {
    return this.source.pathsOf(this.arn).more;
  }

  toJSON(): PrincipalAccess {
    return principalAccessJson(this);
  }
}
