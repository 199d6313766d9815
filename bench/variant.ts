/**
 * A second snapshot for the bench's `accessDiff`: a copy of the generated
 * snapshot in which a given share (1 %) of the identity policies changed, as
 * a week of ordinary changes would change them. The policies are drawn with
 * the generator's seeded PRNG (the same seed, the same variant); in each, the
 * first Allow statement changes:
 *
 * - without a condition, it gets one (`aws:MultiFactorAuthPresent`): its
 *   grants become conditional;
 * - with one, the condition is dropped: its grants become unconditional.
 *
 * Customer managed policies (their default version) and inline user, group
 * and role policies are drawn from alike. AWS managed policies (which appear
 * in every account's pages, and which no customer changes), trust policies
 * and resource policies stay as they are.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Rng } from '../src/generate/prng';

export interface VariantInfo {
  dir: string;
  reused: boolean;
  /** Identity policy documents in the snapshot, and how many of them changed. */
  policies: number;
  changed: number;
  /** Of the changed ones: Allow statements that got a condition, and that lost theirs. */
  conditionAdded: number;
  conditionRemoved: number;
}

type Statement = Record<string, unknown>;
type PolicyDocument = { Statement?: Statement | Statement[] };

interface PolicySlot {
  file: string;
  document: PolicyDocument;
}

/** Beside the variant's directory (a file inside it would not be part of the snapshot layout). */
const markerOf = (target: string) => `${target}.bench-variant.json`;

/** Every identity policy document of the snapshot's authorization details, file by file, in a stable order. */
function policySlots(dir: string, files: Map<string, Record<string, unknown>>): PolicySlot[] {
  const slots: PolicySlot[] = [];
  for (const account of readdirSync(dir).sort()) {
    const iam = path.join(dir, account, 'iam');
    if (!existsSync(iam)) continue;
    for (const name of readdirSync(iam).sort()) {
      if (!/^authorization-details.*\.json$/.test(name)) continue;
      const file = path.join(iam, name);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      files.set(file, doc);
      const add = (document: unknown) => {
        if (document && typeof document === 'object') slots.push({ file, document });
      };
      for (const p of (doc['Policies'] as
        { Arn?: string; PolicyVersionList?: { Document?: unknown; IsDefaultVersion?: boolean }[] }[] | undefined) ?? []) {
        if (p.Arn?.startsWith('arn:aws:iam::aws:policy/')) continue;
        for (const v of p.PolicyVersionList ?? []) if (v.IsDefaultVersion) add(v.Document);
      }
      for (const [list, inline] of [
        ['UserDetailList', 'UserPolicyList'],
        ['GroupDetailList', 'GroupPolicyList'],
        ['RoleDetailList', 'RolePolicyList'],
      ] as const) {
        for (const entity of (doc[list] as Record<string, unknown>[] | undefined) ?? []) {
          for (const policy of (entity[inline] as { PolicyDocument?: unknown }[] | undefined) ?? []) add(policy.PolicyDocument);
        }
      }
    }
  }
  return slots;
}

/** Writes (or reuses) the variant of `source` into `target`: `share` of its identity policies changed. */
export function ensureVariant(source: string, target: string, seed: string, share = 0.01): VariantInfo {
  const marker = markerOf(target);
  if (existsSync(marker)) {
    const info = JSON.parse(readFileSync(marker, 'utf8')) as Omit<VariantInfo, 'dir' | 'reused'> & { seed?: string; share?: number };
    if (info.seed === seed && info.share === share) return { ...info, dir: target, reused: true };
  }
  rmSync(target, { recursive: true, force: true });
  rmSync(marker, { force: true });
  cpSync(source, target, { recursive: true });
  const files = new Map<string, Record<string, unknown>>();
  const slots = policySlots(target, files);
  const rng = new Rng(`bench-variant/${seed}`);
  // A partial Fisher–Yates shuffle: the first `count` slots are the changed ones.
  const order = slots.map((_, i) => i);
  const count = Math.max(1, Math.round(slots.length * share));
  for (let i = 0; i < count && i < order.length - 1; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const touched = new Set<string>();
  let changed = 0;
  let conditionAdded = 0;
  let conditionRemoved = 0;
  for (const index of order.slice(0, count)) {
    const slot = slots[index] as PolicySlot;
    const statements = Array.isArray(slot.document.Statement)
      ? slot.document.Statement
      : slot.document.Statement
        ? [slot.document.Statement]
        : [];
    const allow = statements.find((st) => st['Effect'] === 'Allow');
    if (!allow) continue;
    if (allow['Condition']) {
      delete allow['Condition'];
      conditionRemoved++;
    } else {
      allow['Condition'] = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
      conditionAdded++;
    }
    changed++;
    touched.add(slot.file);
  }
  for (const file of touched) writeFileSync(file, JSON.stringify(files.get(file)));
  const info = { policies: slots.length, changed, conditionAdded, conditionRemoved };
  writeFileSync(marker, `${JSON.stringify({ ...info, seed, share }, null, 2)}\n`);
  return { ...info, dir: target, reused: false };
}
