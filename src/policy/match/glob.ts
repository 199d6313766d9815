import type { ResolvedPiece } from '../variables/template';

/**
 * Wildcard matching shared by actions, resources and `StringLike`.
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
 */
export type GlobStyle = 'plain' | 'resource';

/** A compiled wildcard test; the input must already be folded when matching is case-insensitive. */
export type StringMatcher = (value: string) => boolean;

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

export function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

type Token = { readonly t: 'lit'; readonly s: string } | { readonly t: 'star' } | { readonly t: 'q' };

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
        tokens.push(c === '*' ? { t: 'star' } : { t: 'q' });
      } else lit += c;
    }
  }
  flush();
  return tokens;
}

/** The regular-expression source (without anchors) for wildcard pieces. */
export function globRegexSource(pieces: readonly ResolvedPiece[], style: GlobStyle, fold = false): string {
  const tokens = tokenize(pieces, fold);
  let src = '';
  tokens.forEach((tok, i) => {
    if (tok.t === 'lit') src += escapeRegex(tok.s);
    else if (tok.t === 'q') src += style === 'resource' ? '[^:]' : '[\\s\\S]';
    else if (style === 'plain') src += '[\\s\\S]*';
    else {
      const next = tokens[i + 1];
      const lastOfSegment = next === undefined || (next.t === 'lit' && next.s.startsWith(':'));
      src += lastOfSegment ? '[\\s\\S]*' : '[^:]*';
    }
  });
  return src;
}

/**
 * Compiles wildcard pieces into the fastest test that fits: equality, a
 * prefix test, or an anchored regular expression compiled once.
 */
export function compileGlob(pieces: readonly ResolvedPiece[], style: GlobStyle, fold = false): StringMatcher {
  const tokens = tokenize(pieces, fold);
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
    return (v) => v.startsWith(prefix);
  }
  const re = new RegExp(`^${globRegexSource(pieces, style, fold)}$`);
  return (v) => re.test(v);
}

/** True when the pieces contain a wildcard character outside literal pieces. */
export function hasWildcard(pieces: readonly ResolvedPiece[]): boolean {
  return pieces.some((p) => !p.literal && /[*?]/.test(p.text));
}
