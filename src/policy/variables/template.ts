/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, defaults
 * (`${aws:userid, 'anonymous'}`) and the special characters `${*}`, `${?}`,
 * `${$}`. They are recognised only in documents whose `Version` is
 * `2012-10-17`; otherwise `${…}` is literal text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
 */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** `${*}`, `${?}`, `${$}`: the character itself, never a wildcard. */
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'variable'; readonly key: string; readonly keyLower: string; readonly defaultValue?: string; readonly raw: string };

export interface Template {
  readonly raw: string;
  readonly parts: readonly TemplatePart[];
  /** True when at least one part is a variable (needs the request context). */
  readonly hasVariables: boolean;
}

const SPECIAL_CHARS = new Set(['*', '?', '$']);

/**
 * Splits a string into text, special characters and variables. With
 * `variablesEnabled` false (Version 2008-10-17 or none) the whole string is text.
 */
export function parseTemplate(raw: string, variablesEnabled: boolean): Template {
  if (!variablesEnabled || !raw.includes('${')) {
    return { raw, parts: raw === '' ? [] : [{ kind: 'text', text: raw }], hasVariables: false };
  }
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < raw.length) {
    if (raw.startsWith('${', i)) {
      const close = findClose(raw, i + 2);
      if (close >= 0) {
        const inner = raw.slice(i + 2, close);
        const part = parseVariable(inner, raw.slice(i, close + 1));
        if (part !== undefined) {
          if (text !== '') parts.push({ kind: 'text', text });
          text = '';
          parts.push(part);
          i = close + 1;
          continue;
        }
      }
    }
    text += raw[i];
    i += 1;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { raw, parts, hasVariables: parts.some((p) => p.kind === 'variable') };
}

/** Index of the `}` closing a variable that starts at `from`, skipping quoted defaults. */
function findClose(raw: string, from: number): number {
  let quoted = false;
  for (let j = from; j < raw.length; j += 1) {
    const c = raw[j];
    if (c === "'") quoted = !quoted;
    else if (c === '}' && !quoted) return j;
  }
  return -1;
}

function parseVariable(inner: string, raw: string): TemplatePart | undefined {
  if (SPECIAL_CHARS.has(inner)) return { kind: 'char', char: inner };
  const m = /^\s*([^\s,'{}]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
  if (!m || m[1] === undefined) return undefined;
  const key = m[1];
  return m[2] === undefined
    ? { kind: 'variable', key, keyLower: key.toLowerCase(), raw }
    : { kind: 'variable', key, keyLower: key.toLowerCase(), defaultValue: m[2], raw };
}

/** The keys a template needs, lower case. */
export function templateKeys(t: Template): string[] {
  const keys: string[] = [];
  for (const p of t.parts) if (p.kind === 'variable' && !keys.includes(p.keyLower)) keys.push(p.keyLower);
  return keys;
}

/** How a variable resolved against the request context. */
export type VariableValue =
  | { readonly state: 'value'; readonly value: string }
  /** The key is not in the request and the variable has no default: the text cannot match anything. */
  | { readonly state: 'unresolved' }
  /** Analysis mode: the key was not given, so the value is not known. */
  | { readonly state: 'unknown' };

/** Looks a variable up; single-valued keys only can be variables. */
export type VariableLookup = (keyLower: string) => VariableValue;

export type ResolvedTemplate =
  /** Pieces of literal text and wildcard-bearing text, in order. */
  | { readonly state: 'resolved'; readonly pieces: readonly ResolvedPiece[] }
  | { readonly state: 'unresolved'; readonly keys: readonly string[] }
  | { readonly state: 'unknown'; readonly keys: readonly string[] };

/** `pattern` pieces keep their wildcards; `literal` pieces (variable values, `${*}`) never do. */
export interface ResolvedPiece {
  readonly text: string;
  readonly literal: boolean;
}

export function resolveTemplate(t: Template, lookup: VariableLookup): ResolvedTemplate {
  const pieces: ResolvedPiece[] = [];
  let unresolved: string[] | undefined;
  let unknown: string[] | undefined;
  for (const p of t.parts) {
    if (p.kind === 'text') pieces.push({ text: p.text, literal: false });
    else if (p.kind === 'char') pieces.push({ text: p.char, literal: true });
    else {
      const v = lookup(p.keyLower);
      if (v.state === 'value') pieces.push({ text: v.value, literal: true });
      else if (v.state === 'unresolved' && p.defaultValue !== undefined) pieces.push({ text: p.defaultValue, literal: true });
      else if (v.state === 'unresolved') (unresolved ??= []).push(p.keyLower);
      else (unknown ??= []).push(p.keyLower);
    }
  }
  if (unknown) return { state: 'unknown', keys: unknown };
  if (unresolved) return { state: 'unresolved', keys: unresolved };
  return { state: 'resolved', pieces };
}

/** The plain string of resolved pieces (for operators without wildcards). */
export function piecesToString(pieces: readonly ResolvedPiece[]): string {
  let s = '';
  for (const p of pieces) s += p.text;
  return s;
}
