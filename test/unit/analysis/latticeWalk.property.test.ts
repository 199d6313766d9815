import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CompactRoleGraph } from '../../../src/analysis/assumeGraph';
import { compactSteps, stepsFrom, walkLattice, type WalkEdge, type WalkStep } from '../../../src/analysis/latticeWalk';
import { Level } from '../../../src/analysis/levels';

/** An assumption: `from` assumes `role` (the walk goes backwards, from the role to `from`). */
interface Edge extends WalkEdge {
  readonly role: string;
}

interface Case {
  nodes: number;
  edges: Edge[];
  seeds: Map<string, Level>;
  /** Callers the answer may not list: never reached, never walked through. */
  refused: Set<string>;
  maxHops: number;
}

const arnOf = (i: number): string => `arn:aws:iam::111111111111:role/r${i}`;
const levelArb = fc.constantFrom(Level.CONDITIONAL, Level.PARTIAL, Level.ALLOWED);

// Up to 90 nodes and 300 edges: past the walk's first array sizes (16 ids, 64 steps), so that growing them is exercised.
const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 90 }).chain((nodes) =>
  fc
    .record({
      edges: fc.array(fc.tuple(fc.nat(nodes - 1), fc.nat(nodes - 1), levelArb), { maxLength: 300, size: 'max' }),
      seeds: fc.array(fc.tuple(fc.nat(nodes - 1), levelArb), { minLength: 1, maxLength: 5 }),
      refused: fc.array(fc.nat(nodes - 1), { maxLength: 10 }),
      maxHops: fc.integer({ min: 0, max: 6 }),
    })
    .map(({ edges, seeds, refused, maxHops }) => ({
      nodes,
      edges: edges.map(([role, from, level]) => ({ role: arnOf(role), from: arnOf(from), level })),
      seeds: new Map(seeds.map(([i, level]) => [arnOf(i), level])),
      refused: new Set(refused.map(arnOf)),
      maxHops,
    })),
);

/**
 * The answer by definition: for every walk of k ≤ maxHops assumptions from a
 * seed through callers the answer may list, the level of its weakest step.
 * A caller's level is the best over its walks, `hops` the fewest assumptions
 * of any, `bestHops` the fewest that give the best level.
 */
function reference(c: Case): Map<string, WalkStep> {
  let atLength = new Map<string, Level>(c.seeds);
  const byLength: Map<string, Level>[] = [atLength];
  for (let k = 1; k <= c.maxHops; k++) {
    const next = new Map<string, Level>();
    for (const edge of c.edges) {
      const roleLevel = atLength.get(edge.role);
      if (roleLevel === undefined || (c.refused.has(edge.from) && !c.seeds.has(edge.from))) continue;
      const level = Math.min(roleLevel, edge.level) as Level;
      if (level > (next.get(edge.from) ?? Level.DENIED)) next.set(edge.from, level);
    }
    byLength.push(next);
    atLength = next;
  }
  const out = new Map<string, WalkStep>();
  byLength.forEach((levels, k) => {
    for (const [arn, level] of levels) {
      const r = out.get(arn);
      if (!r) out.set(arn, { hops: k, level, bestHops: k });
      else if (level > r.level) Object.assign(r, { level, bestHops: k });
    }
  });
  return out;
}

function compactGraphOf(c: Case): CompactRoleGraph {
  const arns = Array.from({ length: c.nodes }, (_, i) => arnOf(i));
  const ids = new Map(arns.map((arn, i) => [arn, i]));
  const into = arns.map((arn) => c.edges.filter((e) => e.role === arn));
  const start = new Int32Array(c.nodes + 1);
  into.forEach((edges, i) => (start[i + 1] = start[i]! + edges.length));
  const flat = into.flat();
  return { ids, arns, start, from: Int32Array.from(flat, (e) => ids.get(e.from)!), level: Uint8Array.from(flat, (e) => e.level) };
}

function seedsOf(c: Case): Map<string, WalkStep> {
  return new Map([...c.seeds].map(([arn, level]) => [arn, { hops: 0, level, bestHops: 0 }]));
}

const plain = (m: Map<string, WalkStep>): Record<string, WalkStep> =>
  Object.fromEntries([...m].map(([arn, r]) => [arn, { hops: r.hops, level: r.level, bestHops: r.bestHops }]));

describe('the lattice walk', () => {
  it('gives what the definition gives, on the compact graph and on listed steps alike', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const expected = plain(reference(c));
        const admit = (arn: string, hops: number, level: Level): WalkStep | undefined =>
          c.refused.has(arn) ? undefined : { hops, level, bestHops: hops };

        const scanned = new Set<string>();
        const compact = walkLattice(seedsOf(c), compactSteps(compactGraphOf(c), scanned), admit, c.maxHops);
        assert.deepEqual(plain(compact), expected, 'compact graph');

        const vias: [string, Edge][] = [];
        const listed = walkLattice(
          seedsOf(c),
          stepsFrom((role) => c.edges.filter((e) => e.role === role)),
          (arn, hops, level, via: Edge) => {
            vias.push([arn, via]);
            return admit(arn, hops, level);
          },
          c.maxHops,
        );
        assert.deepEqual(plain(listed), expected, 'listed steps');

        // Each caller is admitted by an assumption it makes into a role reached one hop closer.
        for (const [arn, via] of vias) {
          assert.equal(via.from, arn);
          if (!c.refused.has(arn)) assert.equal(listed.get(via.role)?.hops, listed.get(arn)!.hops - 1);
        }
        // Roles scanned: exactly those reached before the last round that some caller assumes.
        const walkedFrom = [...compact].filter(([, r]) => r.hops < c.maxHops).map(([arn]) => arn);
        assert.deepEqual([...scanned].sort(), walkedFrom.filter((arn) => c.edges.some((e) => e.role === arn)).sort());
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the first hop count and moves bestHops when a longer chain holds better', () => {
    // s ← a (conditional, 1 hop); s ← b ← a (allowed, 2 hops).
    const edges: Edge[] = [
      { role: 's', from: 'a', level: Level.CONDITIONAL },
      { role: 's', from: 'b', level: Level.ALLOWED },
      { role: 'b', from: 'a', level: Level.ALLOWED },
    ];
    const seeds = new Map<string, WalkStep>([['s', { hops: 0, level: Level.ALLOWED, bestHops: 0 }]]);
    const out = walkLattice(
      seeds,
      stepsFrom((role) => edges.filter((e) => e.role === role)),
      (_arn, hops, level) => ({ hops, level, bestHops: hops }),
      5,
    );
    assert.equal(out, seeds, 'the seeds map is grown in place');
    assert.deepEqual(out.get('a'), { hops: 1, level: Level.ALLOWED, bestHops: 2 });
    const short = walkLattice(
      new Map<string, WalkStep>([['s', { hops: 0, level: Level.ALLOWED, bestHops: 0 }]]),
      stepsFrom((role) => edges.filter((e) => e.role === role)),
      (_arn, hops, level) => ({ hops, level, bestHops: hops }),
      1,
    );
    assert.deepEqual(short.get('a'), { hops: 1, level: Level.CONDITIONAL, bestHops: 1 });
    assert.equal(short.has('b'), true);
  });
});
