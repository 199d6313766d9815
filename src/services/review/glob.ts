/**
 * Rule patterns: `*` matches any characters (`/` included, as in IAM ARN
 * patterns) and `?` any one character; everything else matches itself,
 * case-sensitively.
 */
export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

const cache = new Map<string, RegExp>();

export function globMatches(pattern: string, text: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]')}$`, 'u');
    cache.set(pattern, re);
  }
  return re.test(text);
}
