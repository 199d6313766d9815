/**
 * Who gained and who lost which access between two snapshots, for access
 * reviews: every API method (who can invoke it, on every stage), every API's
 * management (who can POST, PUT, PATCH or DELETE it), and every CAN_ASSUME
 * relationship (who can assume which role directly). Each side is answered
 * on its own snapshot by the same analysis; a change lists the paths of the
 * side that has the access (the new paths for a gain, the old ones for a loss).
 */
import type { AccessAnalysis } from './accessAnalysis';
import type { AccessDecision, AccessPath, PrincipalAccess } from './answer';
import { callerType, type CallerType, type RequestContextValues } from './decide';
import { Level, levelOfDecision } from './levels';
import { methodTemplateArn } from './targets';
import { runToEnd, type Work } from './work';

export type AccessKind = 'invoke' | 'manage' | 'assume';

/** What each kind of access compares (the GraphQL enum AccessKind describes its values with it). */
export const ACCESS_KIND_DESCRIPTIONS: Readonly<Record<AccessKind, string>> = {
  invoke: 'Who can invoke each API method (execute-api:Invoke), on every stage.',
  manage: "Who can change each API (apigateway:POST, PUT, PATCH, DELETE on the API's management ARN).",
  assume: 'Who can assume each role directly (sts:AssumeRole; chains show up as changes of the roles they go through).',
};

/** Every kind of access, in the order of ACCESS_KIND_DESCRIPTIONS. */
export const ACCESS_KINDS = Object.keys(ACCESS_KIND_DESCRIPTIONS) as readonly AccessKind[];

/** How an access changed between the two snapshots. */
export type AccessChangeKind = 'gained' | 'lost' | 'changed';

/** What each change means (the GraphQL enum AccessChangeKind describes its values with it). */
export const ACCESS_CHANGE_DESCRIPTIONS: Readonly<Record<AccessChangeKind, string>> = {
  gained: 'No access before, some access after.',
  lost: 'Some access before, none after.',
  changed: 'Access on both sides, with a different decision (e.g. conditional → allowed).',
};

export interface AccessChange {
  kind: AccessKind;
  action: string;
  /** The method template ARN, the API's management ARN, or the role ARN. */
  resource: string;
  principal: string;
  principalType: CallerType;
  /** See ACCESS_CHANGE_DESCRIPTIONS. */
  change: AccessChangeKind;
  before: { decision: AccessDecision; hops: number } | null;
  after: { decision: AccessDecision; hops: number } | null;
  paths: AccessPath[];
}

export interface AccessDiffOptions {
  /** Only these kinds (default: all). */
  kinds?: readonly AccessKind[] | undefined;
  /** Only these APIs (ids), for invoke and manage. */
  apis?: readonly string[] | undefined;
  context?: RequestContextValues | undefined;
  maxHops?: number | undefined;
  maxPaths?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface AccessDiff {
  changes: AccessChange[];
  counts: { gained: number; lost: number; changed: number };
  /** Questions compared (methods × stages, APIs × actions, roles). */
  compared: number;
  stats: { ms: number };
}

const MANAGE_ACTIONS = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];

interface Item {
  kind: AccessKind;
  action: string;
  resource: string;
}

/** The questions a snapshot can be asked, keyed so both snapshots' lists can be joined. */
function items(analysis: AccessAnalysis, options: AccessDiffOptions): Map<string, Item> {
  const kinds = new Set(options.kinds ?? ACCESS_KINDS);
  const apis = options.apis ? new Set(options.apis) : undefined;
  const out = new Map<string, Item>();
  const add = (item: Item) => out.set(`${item.kind} ${item.action} ${item.resource}`, item);
  for (const api of analysis.model.apis.values()) {
    if (apis && !apis.has(api.row.id)) continue;
    if (kinds.has('invoke'))
      for (const stage of api.stages)
        for (const method of api.methods)
          add({ kind: 'invoke', action: 'execute-api:Invoke', resource: methodTemplateArn(api, stage, method) });
    if (kinds.has('manage')) {
      const arn = `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}`;
      for (const action of MANAGE_ACTIONS) add({ kind: 'manage', action, resource: arn });
    }
  }
  if (kinds.has('assume')) for (const role of analysis.model.roles) add({ kind: 'assume', action: 'sts:AssumeRole', resource: role.arn });
  return out;
}

function answer(analysis: AccessAnalysis, item: Item, options: AccessDiffOptions): Map<string, PrincipalAccess> {
  if (item.kind === 'assume') {
    // Direct assumptions only (chains show up as changes of the roles they go through).
    const out = new Map<string, PrincipalAccess>();
    for (const edge of analysis.assumeGraph.incoming(item.resource, options.context)) {
      const caller = analysis.universe.byArn.get(edge.from);
      out.set(edge.from, {
        arn: edge.from,
        type: caller ? callerType(caller) : 'account',
        decision: edge.level === Level.ALLOWED ? 'allowed' : 'conditional',
        hops: 0,
        bestHops: 0,
        conditions: edge.hop.conditions ?? [],
        paths: [[edge.hop]],
      });
    }
    return out;
  }
  const result = analysis.whoCan(item.action, item.resource, {
    context: options.context,
    maxHops: options.maxHops,
    maxPaths: options.maxPaths ?? 3,
  });
  return new Map(result.principals.map((p) => [p.arn, p]));
}

export function accessDiff(before: AccessAnalysis, after: AccessAnalysis, options: AccessDiffOptions = {}): AccessDiff {
  return runToEnd(accessDiffWork(before, after, options));
}

/** The diff as work that yields between the questions it compares (see work.ts). */
export function* accessDiffWork(before: AccessAnalysis, after: AccessAnalysis, options: AccessDiffOptions = {}): Work<AccessDiff> {
  const started = performance.now();
  const beforeItems = items(before, options);
  const afterItems = items(after, options);
  const keys = [...new Set([...beforeItems.keys(), ...afterItems.keys()])].sort();
  const changes: AccessChange[] = [];
  for (const [index, key] of keys.entries()) {
    yield;
    const b = beforeItems.get(key);
    const a = afterItems.get(key);
    const item = (a ?? b)!;
    const was = b ? answer(before, b, options) : new Map<string, PrincipalAccess>();
    const now = a ? answer(after, a, options) : new Map<string, PrincipalAccess>();
    for (const [arn, p] of now) {
      const old = was.get(arn);
      if (!old) changes.push(change(item, p, 'gained', null, p));
      else if (old.decision !== p.decision) changes.push(change(item, p, 'changed', old, p));
    }
    for (const [arn, p] of was) if (!now.has(arn)) changes.push(change(item, p, 'lost', p, null));
    options.onProgress?.(index + 1, keys.length);
  }
  changes.sort(
    (x, y) => x.resource.localeCompare(y.resource) || x.action.localeCompare(y.action) || x.principal.localeCompare(y.principal),
  );
  const counts = { gained: 0, lost: 0, changed: 0 };
  for (const c of changes) counts[c.change]++;
  return { changes, counts, compared: keys.length, stats: { ms: Math.round(performance.now() - started) } };
}

function change(
  item: Item,
  p: PrincipalAccess,
  kind: AccessChange['change'],
  before: PrincipalAccess | null,
  after: PrincipalAccess | null,
): AccessChange {
  const side = after ?? before!;
  return {
    kind: item.kind,
    action: item.action,
    resource: item.resource,
    principal: p.arn,
    principalType: p.type,
    change: kind,
    before: before ? { decision: before.decision, hops: before.hops } : null,
    after: after ? { decision: after.decision, hops: after.hops } : null,
    paths: side.paths,
  };
}

/** For changes that improve or worsen access: `changed` with the new decision better than the old. */
export function improved(c: AccessChange): boolean {
  return c.change === 'gained' || (c.change === 'changed' && levelOfDecision(c.after!.decision) > levelOfDecision(c.before!.decision));
}
