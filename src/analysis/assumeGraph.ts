import type { AccessModel } from './accessModel';
import { externalAccounts } from './bruteForce';
import { globMayMatch, type CandidateIndex } from './candidates';
import { callerArn, mayBeAllowed, type Caller, type Decision, type RequestContextValues } from './decide';
import { decideAssume } from './bruteForce';

/**
 * Who can assume which role, decided by the engine once per snapshot: the
 * `CAN_ASSUME` relationships of the graph. A role's trust policy must allow
 * the caller for any `sts:AssumeRole` (IUG, "Granting a user permissions to
 * switch roles": "the trust policy … and the permissions policy of the user"),
 * so only the callers its Allow statements name are asked; `decideAssume`
 * adds the caller's own permission where AWS requires it, boundaries and
 * SCPs. Conditions (`sts:ExternalId`, MFA, source IP) stay on the edge as a
 * `conditional` decision and are decided again when a query gives context.
 *
 * Root users are not callers here: "you cannot use AWS account root user
 * credentials to call AssumeRole" (STS API Reference, AssumeRole).
 */
export interface AssumeEdge {
  /** The caller: a user or role ARN, or `arn:aws:iam::ACCOUNT:root` for an account that was not ingested. */
  from: string;
  /** The role assumed. */
  to: string;
  decision: Decision;
}

export class AssumeGraph {
  private readonly incomingByRole = new Map<string, AssumeEdge[]>();
  private readonly outgoingByCaller = new Map<string, AssumeEdge[]>();
  readonly callers = new Map<string, Caller>();
  /** Engine decisions made while building (for reports and benchmarks). */
  readonly decisions: number;

  private constructor(
    private readonly model: AccessModel,
    edges: AssumeEdge[],
    callers: Caller[],
    decisions: number,
  ) {
    for (const caller of callers) this.callers.set(callerArn(caller), caller);
    for (const edge of edges) {
      push(this.incomingByRole, edge.to, edge);
      push(this.outgoingByCaller, edge.from, edge);
    }
    this.decisions = decisions;
  }

  static build(model: AccessModel, index: CandidateIndex): AssumeGraph {
    const callers: Caller[] = [
      ...model.users.map((entry): Caller => ({ type: 'principal', entry })),
      ...model.roles.map((entry): Caller => ({ type: 'principal', entry })),
      ...externalAccounts(model).map((account): Caller => ({ type: 'account', account })),
    ];
    const byArn = new Map(callers.map((c) => [callerArn(c), c]));
    const externals = callers.filter((c) => c.type === 'account');
    const edges: AssumeEdge[] = [];
    let decisions = 0;
    for (const role of model.roles) {
      const trust = model.trustPolicies.get(role.arn);
      if (!trust) continue;
      const named = index.namedCallers(trust, 'sts:AssumeRole');
      let candidates: Caller[];
      if (named.everyone) candidates = callers;
      else {
        // A trust statement that names an account only delegates to it: the caller's own
        // policy must allow too (IUG, "How IAM roles differ from resource-based policies";
        // the engine's `account` principal level). Named ARNs can be granted by the trust alone.
        const arns = new Set(named.arns);
        if (named.accounts.size > 0) {
          const mayAssume = index.identityCandidates('sts:AssumeRole', (pattern) => globMayMatch(pattern, role.arn));
          for (const account of named.accounts) for (const arn of index.principalsByAccount.get(account) ?? []) if (mayAssume.has(arn)) arns.add(arn);
        }
        candidates = [
          ...[...arns].flatMap((arn) => {
            const c = byArn.get(arn);
            return c ? [c] : [];
          }),
          ...externals.filter((c) => c.type === 'account' && named.accounts.has(c.account)),
        ];
      }
      for (const caller of candidates) {
        const from = callerArn(caller);
        if (from === role.arn) continue;
        const decision = decideAssume(model, caller, role.arn);
        decisions++;
        if (decision && mayBeAllowed(decision)) edges.push({ from, to: role.arn, decision });
      }
    }
    return new AssumeGraph(model, edges, callers, decisions);
  }

  /**
   * Edges into a role. With context, every edge is decided again with it
   * (memoised per context object): context can decide a condition either way,
   * and a given value may replace one the snapshot implies (a principal tag).
   */
  incoming(roleArn: string, context?: RequestContextValues): AssumeEdge[] {
    const edges = this.incomingByRole.get(roleArn) ?? [];
    return context ? edges.flatMap((e) => this.withContext(e, context)) : edges;
  }

  outgoing(callerArnValue: string, context?: RequestContextValues): AssumeEdge[] {
    const edges = this.outgoingByCaller.get(callerArnValue) ?? [];
    return context ? edges.flatMap((e) => this.withContext(e, context)) : edges;
  }

  allEdges(): AssumeEdge[] {
    return [...this.incomingByRole.values()].flat();
  }

  private readonly redecided = new WeakMap<RequestContextValues, Map<AssumeEdge, AssumeEdge | null>>();

  private withContext(edge: AssumeEdge, context: RequestContextValues): AssumeEdge[] {
    let memo = this.redecided.get(context);
    if (!memo) {
      memo = new Map();
      this.redecided.set(context, memo);
    }
    let result = memo.get(edge);
    if (result === undefined) {
      const caller = this.callers.get(edge.from);
      const decision = caller ? decideAssume(this.model, caller, edge.to, context) : undefined;
      result = decision && mayBeAllowed(decision) ? { ...edge, decision } : null;
      memo.set(edge, result);
    }
    return result ? [result] : [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
