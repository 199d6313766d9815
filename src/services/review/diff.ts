import { improved, type AccessChange, type AccessDiffOptions } from '../../analysis';
import { UserInputError } from '../../errors';
import { globMatches } from './glob';
import { resourceLabel } from './labels';
import type { AccessSource, InventoryApi } from './source';

/**
 * `whocan diff`: who gained and who lost which access between two
 * snapshots (the analysis' accessDiff), with short labels for reports.
 */
export interface DiffOptions extends Omit<AccessDiffOptions, 'apis'> {
  /** API ids or names (globs); only their invoke and manage changes. */
  apis?: readonly string[] | undefined;
}

export interface LabelledChange extends AccessChange {
  /** `petstore-api/prod GET /pets`, `petstore-api`, `role/platform-admin @333344445555`. */
  label: string;
}

export interface DiffReport {
  from: string;
  to: string;
  origin: string;
  startedAt: string;
  durationMs: number;
  /** Questions compared (methods × stages, APIs × actions, roles). */
  compared: number;
  counts: { gained: number; lost: number; changed: number };
  changes: LabelledChange[];
}

/** Whether a change gives someone more access than before (gained, or a better decision): the analysis' `improved`. */
export const widens: (c: AccessChange) => boolean = improved;

export async function runDiff(
  source: AccessSource,
  snapshots: { from?: string | undefined; to?: string | undefined },
  options: DiffOptions = {},
): Promise<DiffReport> {
  const started = Date.now();
  const to = await source.resolveSnapshot(snapshots.to);
  const toApis = await source.apis(to);
  let apiIds: string[] | undefined;
  let fromApis: InventoryApi[] = [];
  if (snapshots.from !== undefined) fromApis = await source.apis(await source.resolveSnapshot(snapshots.from));
  if (options.apis && options.apis.length > 0) {
    const known = [...toApis, ...fromApis];
    apiIds = [];
    for (const pattern of options.apis) {
      const found = known.filter((a) => globMatches(pattern, a.id) || (a.name !== null && globMatches(pattern, a.name)));
      if (found.length === 0)
        throw new UserInputError(
          `--api ${pattern}: no API has this id or name; the APIs: ${[...new Set(known.map((a) => `${a.id} (${a.name ?? a.id})`))].join(', ') || 'none'}`,
        );
      apiIds.push(...found.map((a) => a.id));
    }
    apiIds = [...new Set(apiIds)];
  }
  const diff = await source.accessDiff(
    { from: snapshots.from, to },
    {
      ...(options.kinds ? { kinds: options.kinds } : {}),
      ...(apiIds ? { apis: apiIds } : {}),
      ...(options.context ? { context: options.context } : {}),
      ...(options.maxHops !== undefined ? { maxHops: options.maxHops } : {}),
      ...(options.maxPaths !== undefined ? { maxPaths: options.maxPaths } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  if (snapshots.from === undefined) fromApis = await source.apis(diff.from);
  const apis = [...toApis, ...fromApis];
  return {
    from: diff.from,
    to: diff.to,
    origin: source.origin,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    compared: diff.compared,
    counts: diff.counts,
    changes: diff.changes.map((c) => ({ ...c, label: resourceLabel(c.resource, apis) })),
  };
}
