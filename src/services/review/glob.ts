import { compileWildcard, type StringMatcher } from '../../policy';

/**
 * Rule patterns: `*` matches any characters (`/` included, as in IAM ARN
 * patterns) and `?` any one character (one Unicode code point); everything
 * else matches itself, case-sensitively. Matching is the policy engine's
 * linear-time glob, so a pattern cannot make a review slow.
 */
export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

const CACHE_LIMIT = 1024;
const cache = new Map<string, StringMatcher>();
const SURROGATE = /[\uD800-\uDFFF]/;

export function globMatches(pattern: string, text: string): boolean {
  if (SURROGATE.test(pattern) || SURROGATE.test(text)) return matchByCodePoint(pattern, text);
  let m = cache.get(pattern);
  if (!m) {
    m = compileWildcard(pattern, 'plain');
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, m);
  }
  return m(text);
}

/** Code units a substitute may take: the Private Use Area first, then the rest of the BMP except `*`, `?` and surrogates. */
const SUBSTITUTE_RANGES: readonly (readonly [number, number])[] = [
  [0xe000, 0xf8ff],
  [0x0100, 0xd7ff],
  [0xf900, 0xffff],
];

/**
 * Text outside the Basic Multilingual Plane: the glob counts UTF-16 code
 * units, so each code point of the two strings that takes two units is first
 * replaced by one unit that occurs in neither string, which makes `?` cover
 * one whole code point. (Two strings with more distinct characters than the
 * BMP holds are compared by code unit.)
 */
function matchByCodePoint(pattern: string, text: string): boolean {
  const used = new Set<string>([...pattern, ...text]);
  const substitutes = new Map<string, string>();
  const free = (function* (): Generator<string> {
    for (const [from, to] of SUBSTITUTE_RANGES) {
      for (let c = from; c <= to; c += 1) {
        const unit = String.fromCharCode(c);
        if (!used.has(unit)) yield unit;
      }
    }
  })();
  let exhausted = false;
  const unitFor = (cp: string): string => {
    if (cp.length === 1 || exhausted) return cp;
    let unit = substitutes.get(cp);
    if (unit === undefined) {
      const next = free.next();
      if (next.done) {
        exhausted = true;
        return cp;
      }
      unit = next.value;
      substitutes.set(cp, unit);
    }
    return unit;
  };
  const mappedPattern = Array.from(pattern, unitFor).join('');
  const mappedText = Array.from(text, unitFor).join('');
  return exhausted ? compileWildcard(pattern, 'plain')(text) : compileWildcard(mappedPattern, 'plain')(mappedText);
}
