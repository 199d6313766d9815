import type { ResolvedPiece } from '../variables/template';

/**
 * Wildcard matching shared by actions, resources, `StringLike` and `ArnLike`.
 *
 * - `plain`: `*` is any run of characters, `?` any one character
 *   (actions: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
 *   StringLike: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
 * - `resource`: wildcards stay inside one colon-separated ARN segment, except
 *   that "if the * wildcard is the last character of a resource ARN segment, it
 *   can expand to match beyond the colon boundaries"; `?` never matches `:`
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards).
 *   A `*` is the last character of its segment when the pattern ends there or
 *   the next pattern character is `:`.
 *
 * Matching never backtracks, so policy text cannot make it slow (a pattern
 * such as `arn:aws:iam::*?*?*?…Z` against a long ARN is as quick as any):
 *
 * - A run of `*` with nothing between them matches what its last `*` matches.
 *   The pattern is cut at the `*`s into chunks of fixed length (literal text
 *   and `?`). With only unbounded `*`s, the first chunk must match at the
 *   start, the last at the end, and each chunk between is placed at its
 *   leftmost occurrence after the previous one: the `*` that follows absorbs
 *   whatever a later placement would have left, so the leftmost placement
 *   loses nothing (the classic greedy glob, O(length of value × length of
 *   pattern) at worst, linear in practice).
 * - In resource style, a `*` that stays in its segment and a `?` never match
 *   `:`, so within the stretch of pattern between two unbounded `*`s every
 *   `:` of the value must be one of the pattern's literal `:`s. Once such a
 *   stretch's first character is placed, the value's colons cut it into the
 *   same segments as the pattern's colons, and each segment of the pattern is
 *   a plain glob over one colon-free segment of the value. A stretch after an
 *   unbounded `*` starts with `:` (that is what makes the `*` unbounded), so
 *   its possible starts are the value's colons; the earliest start that
 *   matches also ends earliest (each start ends in a later segment than the
 *   one before), and the earliest end is the best for the unbounded `*` that
 *   follows. Each start costs one pass over the segments it covers.
 *
 * The value must already be folded when matching is case-insensitive.
 */
export type GlobStyle = 'plain' | 'resource';

/** A compiled wildcard test; the input must already be folded when matching is case-insensitive. */
export type StringMatcher = (value: string) => boolean;

/** `?` inside a chunk. */
const ONE = null;
/** Literal text (never empty) or `?`. */
type Part = string | typeof ONE;

/** Text without `*`: matches exactly `length` characters. */
interface Chunk {
  readonly parts: readonly Part[];
  readonly length: number;
}

/** A plain glob: chunks separated by `*` (so `stars` = chunks.length - 1). */
interface PlainGlob {
  readonly chunks: readonly Chunk[];
}

/** One stretch of a resource pattern between unbounded `*`s: plain globs separated by literal `:`. */
interface Stretch {
  readonly segments: readonly PlainGlob[];
}

type Token = { readonly t: 'lit'; readonly s: string } | { readonly t: 'star'; unbounded: boolean } | { readonly t: 'q' };

function tokenize(pieces: readonly ResolvedPiece[], fold: boolean): Token[] {
  const tokens: Token[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') tokens.push({ t: 'lit', s: lit });
    lit = '';
  };
  for (const piece of pieces) {
    const text = fold ? piece.text.toLowerCase() : piece.text;
    if (piece.literal) {
      lit += text;
      continue;
    }
    for (const c of text) {
      if (c === '*' || c === '?') {
        flush();
        tokens.push(c === '*' ? { t: 'star', unbounded: true } : { t: 'q' });
      } else lit += c;
    }
  }
  flush();
  return tokens;
}

/** Marks each `*` bounded or not (resource style) and merges runs of `*` into their last one. */
function normalise(tokens: Token[], style: GlobStyle): Token[] {
  const out: Token[] = [];
  tokens.forEach((tok, i) => {
    if (tok.t !== 'star') {
      out.push(tok);
      return;
    }
    const next = tokens[i + 1];
    if (next?.t === 'star') return; // `**`: the run matches what its last `*` matches
    const unbounded = style === 'plain' || next === undefined || (next.t === 'lit' && next.s.startsWith(':'));
    out.push({ t: 'star', unbounded });
  });
  return out;
}

function chunkOf(tokens: readonly Token[]): Chunk {
  const parts: Part[] = [];
  let length = 0;
  for (const tok of tokens) {
    if (tok.t === 'lit') {
      parts.push(tok.s);
      length += tok.s.length;
    } else {
      parts.push(ONE);
      length += 1;
    }
  }
  return { parts, length };
}

function plainGlobOf(tokens: readonly Token[]): PlainGlob {
  const chunks: Chunk[] = [];
  let current: Token[] = [];
  for (const tok of tokens) {
    if (tok.t === 'star') {
      chunks.push(chunkOf(current));
      current = [];
    } else current.push(tok);
  }
  chunks.push(chunkOf(current));
  return { chunks };
}

/** Splits tokens at literal `:` (colons only appear inside literal tokens). */
function stretchOf(tokens: readonly Token[]): Stretch {
  const segments: PlainGlob[] = [];
  let current: Token[] = [];
  for (const tok of tokens) {
    if (tok.t !== 'lit' || !tok.s.includes(':')) {
      current.push(tok);
      continue;
    }
    const pieces = tok.s.split(':');
    pieces.forEach((text, k) => {
      if (k > 0) {
        segments.push(plainGlobOf(current));
        current = [];
      }
      if (text !== '') current.push({ t: 'lit', s: text });
    });
  }
  segments.push(plainGlobOf(current));
  return { segments };
}

/**
 * Is `text` in `v` at `at`? (Measured faster than `startsWith` in V8 for the
 * short runs of policy text compared here: a character loop for short text,
 * one slice for longer.)
 */
function textAt(v: string, text: string, at: number): boolean {
  const n = text.length;
  if (n <= 8) {
    for (let i = 0; i < n; i += 1) if (v.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
    return true;
  }
  return v.slice(at, at + n) === text;
}

/**
 * `v.startsWith(text)`, faster: the last character first (the part of a
 * pattern's literal start that differs between ARNs, the API id or the
 * account, is near its end), then one slice.
 */
function startsWithText(v: string, text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  return v.charCodeAt(n - 1) === text.charCodeAt(n - 1) && (n === 1 || v.slice(0, n) === text);
}

function endsWithText(v: string, text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  const at = v.length - n;
  return at >= 0 && v.charCodeAt(v.length - 1) === text.charCodeAt(n - 1) && v.slice(at) === text;
}

/** Does `chunk` match `v` at `i`? The caller checks that `i + chunk.length` is within bounds. */
function chunkAt(chunk: Chunk, v: string, i: number): boolean {
  let k = i;
  for (const part of chunk.parts) {
    if (part === ONE) k += 1;
    else {
      if (!textAt(v, part, k)) return false;
      k += part.length;
    }
  }
  return true;
}

/** Leftmost `i` in `from..to - chunk.length` where `chunk` matches, or -1. */
function findChunk(chunk: Chunk, v: string, from: number, to: number): number {
  const last = to - chunk.length;
  const first = chunk.parts[0];
  for (let i = from; i <= last; i += 1) {
    if (typeof first === 'string') {
      i = v.indexOf(first, i);
      if (i < 0 || i > last) return -1;
    }
    if (chunkAt(chunk, v, i)) return i;
  }
  return -1;
}

/**
 * Matches a plain glob against `v[from..to)`: the whole range (`whole`), or
 * its shortest prefix that matches. Returns where the match ends, or -1.
 */
function matchPlain(glob: PlainGlob, v: string, from: number, to: number, whole: boolean): number {
  const { chunks } = glob;
  const head = chunks[0] as Chunk;
  if (head.length > to - from || !chunkAt(head, v, from)) return -1;
  if (chunks.length === 1) return !whole || head.length === to - from ? from + head.length : -1;
  let pos = from + head.length;
  for (let c = 1; c < chunks.length - 1; c += 1) {
    const chunk = chunks[c] as Chunk;
    const at = findChunk(chunk, v, pos, to);
    if (at < 0) return -1;
    pos = at + chunk.length;
  }
  const tail = chunks[chunks.length - 1] as Chunk;
  if (whole) {
    const at = to - tail.length;
    return at >= pos && chunkAt(tail, v, at) ? to : -1;
  }
  const at = findChunk(tail, v, pos, to);
  return at < 0 ? -1 : at + tail.length;
}

/**
 * Matches a stretch whose first character is at `from` (so its colons are
 * the next colons of `v`): the rest of `v` (`whole`), or the shortest match.
 * Returns where the match ends, or -1.
 */
function matchStretchAt(stretch: Stretch, v: string, from: number, whole: boolean): number {
  const { segments } = stretch;
  let start = from;
  for (let s = 0; s < segments.length - 1; s += 1) {
    const colon = v.indexOf(':', start);
    if (colon < 0 || matchPlain(segments[s] as PlainGlob, v, start, colon, true) < 0) return -1;
    start = colon + 1;
  }
  const colon = v.indexOf(':', start);
  const last = segments[segments.length - 1] as PlainGlob;
  if (whole) return colon >= 0 ? -1 : matchPlain(last, v, start, v.length, true);
  return matchPlain(last, v, start, colon < 0 ? v.length : colon, false);
}

/**
 * Compiles wildcard pieces into a matcher: equality, a prefix test, or the
 * linear-time glob above.
 */
export function compileGlob(pieces: readonly ResolvedPiece[], style: GlobStyle, fold = false): StringMatcher {
  const tokens = normalise(tokenize(pieces, fold), style);
  if (tokens.length === 0) return (v) => v === '';
  const first = tokens[0];
  if (tokens.length === 1 && first?.t === 'lit') {
    const exact = first.s;
    return (v) => v === exact;
  }
  if (tokens.length === 1 && first?.t === 'star') {
    // A lone `*` matches everything in both styles (it is the last character of its segment).
    return () => true;
  }
  const last = tokens[tokens.length - 1];
  if (tokens.length === 2 && first?.t === 'lit' && last?.t === 'star') {
    // A trailing `*` is the last character of its segment, so it may cross `:` in both styles.
    const prefix = first.s;
    return (v) => startsWithText(v, prefix);
  }
  // The literal text the pattern starts with is compared once, and matching goes on after it
  // (a stretch may start anywhere: its colons are the value's next ones). The literal text it
  // ends with and the shortest length it needs refuse most values before any search.
  const prefix = first?.t === 'lit' ? first.s : '';
  const suffix = last?.t === 'lit' ? last.s : '';
  const minLength = tokens.reduce((n, t) => n + (t.t === 'lit' ? t.s.length : t.t === 'q' ? 1 : 0), 0);
  const rest = prefix === '' ? tokens : tokens.slice(1);
  const from = prefix.length;
  let test: StringMatcher;
  if (style === 'plain' || !rest.some((t) => t.t === 'q' || (t.t === 'star' && !t.unbounded))) {
    // Nothing that refuses `:`: a plain glob.
    const glob = plainGlobOf(rest);
    test = (v) => matchPlain(glob, v, from, v.length, true) >= 0;
  } else {
    // Resource style: stretches between unbounded `*`s.
    const stretches: Stretch[] = [];
    let current: Token[] = [];
    for (const tok of rest) {
      if (tok.t === 'star' && tok.unbounded) {
        stretches.push(stretchOf(current));
        current = [];
      } else current.push(tok);
    }
    stretches.push(stretchOf(current));
    test = (v) => {
      if (stretches.length === 1) return matchStretchAt(stretches[0] as Stretch, v, from, true) >= 0;
      let pos = matchStretchAt(stretches[0] as Stretch, v, from, false);
      if (pos < 0) return false;
      for (let k = 1; k < stretches.length; k += 1) {
        const stretch = stretches[k] as Stretch;
        const whole = k === stretches.length - 1;
        const colons = stretch.segments.length - 1;
        if (colons === 0) {
          // Empty: a trailing `*` (any other stretch after an unbounded `*` starts with ':').
          if (whole) return true;
          continue;
        }
        let end = -1;
        if (whole) {
          // Anchored at the end: its colons are the value's last ones.
          const start = nthColonFromEnd(v, colons);
          if (start >= pos) end = matchStretchAt(stretch, v, start, true);
        } else {
          for (let colon = v.indexOf(':', pos); colon >= 0 && end < 0; colon = v.indexOf(':', colon + 1))
            end = matchStretchAt(stretch, v, colon, false);
        }
        if (end < 0) return false;
        pos = end;
      }
      return true;
    };
  }
  return (v) => v.length >= minLength && startsWithText(v, prefix) && endsWithText(v, suffix) && test(v);
}

/** Index of the `n`-th colon counted from the end of `v` (n ≥ 1), or -1. */
function nthColonFromEnd(v: string, n: number): number {
  let at = v.length;
  for (let k = 0; k < n; k += 1) {
    at = v.lastIndexOf(':', at - 1);
    if (at < 0) return -1;
  }
  return at;
}

/** Several patterns compiled at once: true when any matches. */
export function compileGlobList(patterns: readonly (readonly ResolvedPiece[])[], style: GlobStyle, fold = false): StringMatcher {
  const matchers = patterns.map((p) => compileGlob(p, style, fold));
  if (matchers.length === 1) return matchers[0] as StringMatcher;
  return (v) => matchers.some((m) => m(v));
}

/** True when the pieces contain a wildcard character outside literal pieces. */
export function hasWildcard(pieces: readonly ResolvedPiece[]): boolean {
  return pieces.some((p) => !p.literal && /[*?]/.test(p.text));
}

/** One wildcard pattern as written (no variables, no literal pieces), compiled. */
export function compileWildcard(pattern: string, style: GlobStyle, fold = false): StringMatcher {
  return compileGlob([{ text: pattern, literal: false }], style, fold);
}

/**
 * Where a wildcard pattern stands after reading a prefix of a value: the set
 * of pattern positions still alive (a position-set simulation of the
 * pattern, same tokens and `*` rules as `compileGlob`). Two prefixes with the
 * same residual are followed by the same suffixes: for every `x`,
 * `match(a + x) === match(b + x)`. The access index uses it to find API
 * stages and methods that no policy tells apart. The empty string means no
 * value with that prefix matches; `undefined` means the simulation would
 * keep more than `maxPositions` positions alive (the caller must then treat
 * the prefix as unique). Cost: at most prefix length × `maxPositions` steps.
 */
export type Residual = (prefix: string) => string | undefined;

type Atom = { readonly k: 'c'; readonly c: string } | { readonly k: 'q' } | { readonly k: 'star'; readonly unbounded: boolean };

export function compileResidual(pattern: string, style: GlobStyle, maxPositions = 64): Residual {
  const atoms: Atom[] = [];
  for (const tok of normalise(tokenize([{ text: pattern, literal: false }], false), style)) {
    if (tok.t === 'lit') for (const c of tok.s) atoms.push({ k: 'c', c });
    else if (tok.t === 'q') atoms.push({ k: 'q' });
    else atoms.push({ k: 'star', unbounded: tok.unbounded });
  }
  const n = atoms.length;
  // A `*` may match nothing: its position also stands for the next one.
  const close = (set: Set<number>): void => {
    for (const i of [...set].sort((a, b) => a - b)) {
      let j = i;
      while (j < n && atoms[j]!.k === 'star') set.add(++j);
    }
  };
  return (prefix) => {
    let live = new Set<number>([0]);
    close(live);
    for (const c of prefix) {
      const next = new Set<number>();
      for (const i of live) {
        if (i === n) continue;
        const a = atoms[i]!;
        if (a.k === 'star') {
          if (a.unbounded || style === 'plain' || c !== ':') next.add(i);
        } else if (a.k === 'q') {
          if (style === 'plain' || c !== ':') next.add(i + 1);
        } else if (a.c === c) next.add(i + 1);
      }
      close(next);
      if (next.size === 0) return '';
      if (next.size > maxPositions) return undefined;
      live = next;
    }
    return [...live].sort((a, b) => a - b).join(',');
  };
}
