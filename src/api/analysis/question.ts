import { NotFoundError } from '../../errors';
import type { AnalysisService } from '../../services';
import type { ApiContext } from '../context';

/**
 * What every access-analysis question's resolver shares. The resolvers are
 * thin: arguments are checked and mapped to the service's options, the
 * snapshot is resolved for this request (NOT_FOUND when unknown), the
 * snapshot's analysis is loaded, the request's deadline is checked once more
 * before the CPU-heavy question runs, and the service's answer is returned as
 * it is; lists in answers are paged by the answers' field resolvers (in each
 * question's resolver file, and answer.resolver.ts for the shared types).
 */

/**
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

/** The `snapshot` argument every question takes. */
export const SNAPSHOT_ARG = {
  nullable: true,
  description: 'Id of the snapshot to ask about (the snapshots query lists them); default: the current snapshot.',
} as const;

/** An answer as the API returns it: with the id of the snapshot it was computed on. */
export type WithSnapshot<T> = T & { snapshot: string };

/** What every question's resolver starts from: the analysis service, and the snapshot the question reads made ready. */
export abstract class AnalysisQuestion {
  constructor(protected readonly analysis: AnalysisService) {}

  /**
   * The snapshot a question reads (`field` names the argument in errors),
   * resolved within the request's deadline; its analysis is loaded (or found
   * in memory) and the deadline checked again, so a request whose time ran
   * out while loading never starts the question itself.
   */
  protected async ready(
    ctx: ApiContext,
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
}
