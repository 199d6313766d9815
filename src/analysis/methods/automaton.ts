import type { PathTemplate } from './pathTemplate';

/**
 * Small finite automata over the characters of execute-api ARNs, to reason
 * about every concrete request ARN of a method template at once:
 *
 * - the **template automaton** accepts exactly the request ARNs of one
 *   (API, stage, verb, path template): literal characters, then `[^/]+` for a
 *   `{param}`, `[^/]+(/[^/]+)*` for a `{proxy+}`;
 * - the **pattern automaton** accepts the ARNs an IAM resource pattern
 *   matches, with the engine's semantics (src/policy/match/glob.ts, IUG
 *   "IAM JSON policy elements: Resource", wildcards): case-sensitive; `?` is
 *   one character other than `:`; `*` is any run of characters other than `:`,
 *   except a `*` that is the last character of its colon-separated segment
 *   (the pattern ends or a literal `:` follows), which may span colons. A
 *   policy variable `${…}` (escapes included) stands for any run of any
 *   characters: a superset of every value it can take, and of the literal
 *   reading the engine gives it without `Version: 2012-10-17`.
 *
 * Every edge test is "equals c", "is not `:`", "is not `/`" or "anything".
 * So the product of two automata needs one representative character per pair
 * of edges, and a subset search needs, at each step, only the literal
 * characters on the current edges, `:`, `/` and one "fresh" character that is
 * none of those: any two characters outside that set behave the same. The
 * searches are exact. The pattern semantics are property-tested against the
 * engine's own matcher (test/unit/analysis/methodsCoverage.property.test.ts).
 */
export type Pred = { readonly k: 'char'; readonly c: string } | { readonly k: 'any' } | { readonly k: 'not'; readonly c: string };

export interface Edge {
  readonly p: Pred;
  readonly to: number;
}

/** An automaton without ε-moves. */
export interface Nfa {
  readonly start: number;
  readonly edges: readonly (readonly Edge[])[];
  readonly accept: readonly boolean[];
}

const NOT_SLASH: Pred = { k: 'not', c: '/' };
const NOT_COLON: Pred = { k: 'not', c: ':' };
const ANY: Pred = { k: 'any' };

class Builder {
  readonly edges: Edge[][] = [];
  readonly eps: number[][] = [];
  readonly accept: boolean[] = [];

  state(): number {
    this.edges.push([]);
    this.eps.push([]);
    this.accept.push(false);
    return this.edges.length - 1;
  }

  edge(from: number, p: Pred, to: number): void {
    (this.edges[from] as Edge[]).push({ p, to });
  }

  epsilon(from: number, to: number): void {
    (this.eps[from] as number[]).push(to);
  }

  /** Appends literal characters after `from`; returns the last state. */
  chain(from: number, text: string): number {
    let cur = from;
    for (let i = 0; i < text.length; i += 1) {
      const next = this.state();
      this.edge(cur, { k: 'char', c: text[i] as string }, next);
      cur = next;
    }
    return cur;
  }

  /** Removes ε-moves: a state gets the edges and the acceptance of its ε-closure. */
  build(start: number): Nfa {
    const n = this.edges.length;
    const edges: Edge[][] = [];
    const accept: boolean[] = [];
    for (let s = 0; s < n; s += 1) {
      const seen = new Set<number>([s]);
      const stack = [s];
      while (stack.length > 0) {
        for (const t of this.eps[stack.pop()!] ?? []) {
          if (seen.has(t)) continue;
          seen.add(t);
          stack.push(t);
        }
      }
      edges.push([...seen].flatMap((q) => this.edges[q] ?? []));
      accept.push([...seen].some((q) => this.accept[q]));
    }
    return { start, edges, accept };
  }
}

/** One or more non-empty segments separated by `/`, after `from`; returns the accepting loop state. */
function segments(b: Builder, from: number): number {
  const inSegment = b.state();
  b.edge(from, NOT_SLASH, inSegment);
  b.edge(inSegment, NOT_SLASH, inSegment);
  const afterSlash = b.state();
  b.edge(inSegment, { k: 'char', c: '/' }, afterSlash);
  b.edge(afterSlash, NOT_SLASH, inSegment);
  return inSegment;
}

/** The request ARNs `prefix + path` for one path template, `prefix` being `{api ARN}/{stage}/{VERB}`. Deterministic. */
export function templateAutomaton(prefix: string, template: PathTemplate): Nfa {
  const b = new Builder();
  const start = b.state();
  let cur = b.chain(start, prefix);
  const slash = (): number => b.chain(cur, '/');
  if (template.catchAll) {
    cur = slash();
    b.accept[cur] = true;
    b.accept[segments(b, cur)] = true;
    return b.build(start);
  }
  if (template.segments.length === 0) {
    b.accept[slash()] = true;
    return b.build(start);
  }
  for (const segment of template.segments) {
    cur = slash();
    if (segment.kind === 'literal') cur = b.chain(cur, segment.text);
    else if (segment.kind === 'greedy') cur = segments(b, cur);
    else {
      const inSegment = b.state();
      b.edge(cur, NOT_SLASH, inSegment);
      b.edge(inSegment, NOT_SLASH, inSegment);
      cur = inSegment;
    }
  }
  b.accept[cur] = true;
  return b.build(start);
}

type Token = { readonly t: 'lit'; readonly c: string } | { readonly t: 'one' } | { readonly t: 'star' } | { readonly t: 'var' };

/**
 * Where the first policy variable (`${` with a `}` after it) starts, or -1.
 * Scanned with indexOf, not a regular expression: `\$\{[^}]*\}` is
 * quadratic on text with many `${` and no `}`. If the first `${` has no `}`
 * after it, no later one has.
 */
function firstVariable(pattern: string): number {
  const open = pattern.indexOf('${');
  return open >= 0 && pattern.indexOf('}', open + 2) >= 0 ? open : -1;
}

/** True when the pattern contains a policy variable (`${…}`), read here as "any characters". */
export function hasPolicyVariable(pattern: string): boolean {
  return firstVariable(pattern) >= 0;
}

/** The literal text a pattern starts with (up to its first wildcard or variable). */
export function literalPrefix(pattern: string): string {
  const wildcard = pattern.search(/[*?]/);
  const variable = firstVariable(pattern);
  const cut = wildcard < 0 ? variable : variable < 0 ? wildcard : Math.min(wildcard, variable);
  return cut < 0 ? pattern : pattern.slice(0, cut);
}

/** True when the pattern has no wildcard and no variable: it matches itself only. */
export function isLiteralPattern(pattern: string): boolean {
  return literalPrefix(pattern).length === pattern.length;
}

/** The ARNs an IAM resource pattern matches (see the module comment). */
export function patternAutomaton(pattern: string): Nfa {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length;) {
    if (pattern.startsWith('${', i)) {
      const close = pattern.indexOf('}', i + 2);
      if (close >= 0) {
        tokens.push({ t: 'var' });
        i = close + 1;
        continue;
      }
    }
    const c = pattern[i] as string;
    tokens.push(c === '*' ? { t: 'star' } : c === '?' ? { t: 'one' } : { t: 'lit', c });
    i += 1;
  }
  const b = new Builder();
  const states = tokens.map(() => b.state());
  const end = b.state();
  b.accept[end] = true;
  tokens.forEach((tok, i) => {
    const here = states[i] as number;
    const next = i + 1 < tokens.length ? (states[i + 1] as number) : end;
    if (tok.t === 'lit') b.edge(here, { k: 'char', c: tok.c }, next);
    else if (tok.t === 'one') b.edge(here, NOT_COLON, next);
    else {
      const following = tokens[i + 1];
      const spansColons = tok.t === 'var' || following === undefined || (following.t === 'lit' && following.c === ':');
      b.edge(here, spansColons ? ANY : NOT_COLON, here);
      b.epsilon(here, next);
    }
  });
  return b.build(tokens.length > 0 ? (states[0] as number) : end);
}

function holds(p: Pred, c: string): boolean {
  return p.k === 'any' || (p.k === 'char' ? p.c === c : p.c !== c);
}

const FRESH = 'xzqkjwvy0123456789';

/** A character both tests accept, or `undefined` (fresh characters first, for plain witnesses). */
function common(p: Pred, q: Pred): string | undefined {
  if (p.k === 'char') return holds(q, p.c) ? p.c : undefined;
  if (q.k === 'char') return holds(p, q.c) ? q.c : undefined;
  return 'x'; // neither test is "equals": both only exclude ":" or "/"
}

/** Does the automaton accept `value`? */
export function accepts(nfa: Nfa, value: string): boolean {
  const n = nfa.accept.length;
  let current = [nfa.start];
  const mark = new Int32Array(n).fill(-1);
  for (let i = 0; i < value.length && current.length > 0; i += 1) {
    const c = value[i] as string;
    const next: number[] = [];
    for (const s of current) {
      for (const e of nfa.edges[s] ?? []) {
        if (mark[e.to] !== i && holds(e.p, c)) {
          mark[e.to] = i;
          next.push(e.to);
        }
      }
    }
    current = next;
  }
  return current.some((s) => nfa.accept[s]);
}

/**
 * A shortest string both automata accept, or `undefined` when they share none.
 * Breadth-first over pairs of states (polynomial: no subset construction).
 */
export function findCommon(a: Nfa, b: Nfa): string | undefined {
  const nb = b.accept.length;
  const size = a.accept.length * nb;
  const parent = new Int32Array(size).fill(-2);
  const via: string[] = [];
  const queue: number[] = [];
  const startPair = a.start * nb + b.start;
  parent[startPair] = -1;
  queue.push(startPair);
  for (let head = 0; head < queue.length; head += 1) {
    const pair = queue[head] as number;
    const x = Math.floor(pair / nb);
    const y = pair - x * nb;
    if (a.accept[x] && b.accept[y]) {
      const chars: string[] = [];
      for (let k = pair; parent[k] !== -1; k = parent[k] as number) chars.push(via[k] as string);
      return chars.reverse().join('');
    }
    for (const e1 of a.edges[x] ?? []) {
      for (const e2 of b.edges[y] ?? []) {
        const target = e1.to * nb + e2.to;
        if (parent[target] !== -2) continue;
        const c = common(e1.p, e2.p);
        if (c === undefined) continue;
        parent[target] = pair;
        via[target] = c;
        queue.push(target);
      }
    }
  }
  return undefined;
}

/** The states after reading `c` (sets are small: a linear duplicate check beats a Set). */
function stepSet(nfa: Nfa, states: readonly number[], c: string): number[] {
  const out: number[] = [];
  for (const s of states) for (const e of nfa.edges[s] ?? []) if (holds(e.p, c) && !out.includes(e.to)) out.push(e.to);
  return out;
}

/**
 * A shortest string `a` accepts and `b` rejects; `undefined` when there is
 * none; `GAVE_UP` when the search gave up after `limit` states (subset
 * construction, which can grow with many wildcards). A symbol, so that no
 * string the automata accept can be mistaken for it.
 */
export const GAVE_UP: unique symbol = Symbol('findDifference gave up');

export function findDifference(a: Nfa, b: Nfa, limit: number): string | undefined | typeof GAVE_UP {
  const index = new Map<string, number>();
  const parent: number[] = [];
  const via: string[] = [];
  const sets: [number[], number[]][] = [];
  const push = (x: number[], y: number[], from: number, c: string): void => {
    const k = `${[...x].sort((p, q) => p - q).join('.')}|${[...y].sort((p, q) => p - q).join('.')}`;
    if (index.has(k)) return;
    index.set(k, sets.length);
    parent.push(from);
    via.push(c);
    sets.push([x, y]);
  };
  push([a.start], [b.start], -1, '');
  for (let head = 0; head < sets.length; head += 1) {
    if (head >= limit) return GAVE_UP;
    const [x, y] = sets[head] as [number[], number[]];
    if (x.some((s) => a.accept[s]) && !y.some((s) => b.accept[s])) {
      const chars: string[] = [];
      for (let k = head; (parent[k] as number) !== -1; k = parent[k] as number) chars.push(via[k] as string);
      return chars.reverse().join('');
    }
    const literals = new Set<string>();
    for (const s of x) for (const e of a.edges[s] ?? []) if (e.p.k === 'char') literals.add(e.p.c);
    for (const s of y) for (const e of b.edges[s] ?? []) if (e.p.k === 'char') literals.add(e.p.c);
    const alphabet = [[...FRESH].find((c) => !literals.has(c)) as string, ...literals];
    for (const c of [':', '/']) if (!literals.has(c)) alphabet.push(c);
    for (const c of alphabet) {
      const x2 = stepSet(a, x, c);
      if (x2.length > 0) push(x2, stepSet(b, y, c), head, c);
    }
  }
  return undefined;
}

/** State sets after each prefix `value[0..i)`, for `i` from `from` to the end (index `i - from`). */
function forwardSets(nfa: Nfa, value: string, from: number): number[][] {
  let states = [nfa.start];
  for (let i = 0; i < from && states.length > 0; i += 1) states = stepSet(nfa, states, value[i] as string);
  const out: number[][] = [states];
  for (let i = from; i < value.length; i += 1) out.push(stepSet(nfa, out[i - from] as number[], value[i] as string));
  return out;
}

const reverseCache = new WeakMap<Nfa, { readonly from: number; readonly p: Pred }[][]>();

/** Incoming edges by target state, computed once per automaton. */
function reverseEdges(nfa: Nfa): { readonly from: number; readonly p: Pred }[][] {
  let rev = reverseCache.get(nfa);
  if (rev === undefined) {
    rev = nfa.accept.map(() => []);
    nfa.edges.forEach((edges, from) => {
      for (const e of edges) rev?.[e.to]?.push({ from, p: e.p });
    });
    reverseCache.set(nfa, rev);
  }
  return rev;
}

/** For `i` from `from` to the end (index `i - from`): the states from which `value[i..]` leads to acceptance. */
function backwardSets(nfa: Nfa, value: string, from: number): Uint8Array[] {
  const n = nfa.accept.length;
  const rev = reverseEdges(nfa);
  const out: Uint8Array[] = new Array<Uint8Array>(value.length - from + 1);
  let live: number[] = [];
  const last = new Uint8Array(n);
  nfa.accept.forEach((a, s) => {
    if (a) {
      last[s] = 1;
      live.push(s);
    }
  });
  out[value.length - from] = last;
  for (let i = value.length - 1; i >= from; i -= 1) {
    const here = new Uint8Array(n);
    const c = value[i] as string;
    const next: number[] = [];
    for (const t of live) {
      for (const e of rev[t] ?? []) {
        if (here[e.from] === 0 && holds(e.p, c)) {
          here[e.from] = 1;
          next.push(e.from);
        }
      }
    }
    out[i - from] = here;
    live = next;
  }
  return out;
}

/**
 * For a string both automata accept: a test of the positions `from`…end where
 * `insert` can be inserted with both still accepting (forward state sets
 * before the position, the inserted text, backward sets after it).
 */
export function insertionTest(automata: readonly Nfa[], value: string, insert: string, from: number): (position: number) => boolean {
  const tables = automata.map((nfa) => ({ nfa, forward: forwardSets(nfa, value, from), backward: backwardSets(nfa, value, from) }));
  return (position) =>
    position >= from &&
    tables.every(({ nfa, forward, backward }) => {
      let states = forward[position - from] as number[];
      for (let i = 0; i < insert.length && states.length > 0; i += 1) states = stepSet(nfa, states, insert[i] as string);
      const after = backward[position - from] as Uint8Array;
      return states.some((s) => after[s] === 1);
    });
}
