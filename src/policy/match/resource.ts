import { or, type Truth } from '../logic/truth';
import { parseTemplate, resolveTemplate, type ResolvedPiece, type Template, type VariableLookup } from '../variables/template';
import { compileGlob, compileGlobList, type StringMatcher } from './glob';

/**
 * `Resource` / `NotResource` matching. Matching is case-sensitive; `*` and
 * `?` are wildcards that stay inside one colon-separated segment, except a `*`
 * that ends a segment, which may span colons. Policy variables may appear only
 * in the resource part of the ARN (after the fifth colon); one that cannot be
 * resolved makes that entry match nothing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-resourceelement
 */
export interface ResourceElement {
  readonly negated: boolean;
  readonly values: readonly string[];
  /** Test for the entries without variables (compiled once). */
  readonly staticMatches: StringMatcher;
  /** Entries with variables, resolved per request. */
  readonly dynamic: readonly DynamicResource[];
}

interface DynamicResource {
  readonly raw: string;
  readonly template: Template;
  readonly cache: Map<string, StringMatcher>;
}

/** Called when an entry's variable is unknown (analysis mode); returns the atom standing for "this entry matches". */
export type UnknownResourceEntry = (pattern: string, missingKeys: readonly string[]) => Truth;

const CACHE_LIMIT = 1024;

/** The template of one resource entry: variables only after the fifth colon. */
export function resourceTemplate(raw: string, variablesEnabled: boolean): Template {
  if (!variablesEnabled) return parseTemplate(raw, false);
  let colons = 0;
  let cut = -1;
  for (let i = 0; i < raw.length; i += 1) {
    if (raw[i] === ':') {
      colons += 1;
      if (colons === 5) {
        cut = i + 1;
        break;
      }
    }
  }
  if (cut < 0) return parseTemplate(raw, false);
  const head = raw.slice(0, cut);
  const tail = parseTemplate(raw.slice(cut), true);
  return { raw, parts: [{ kind: 'text', text: head }, ...tail.parts], hasVariables: tail.hasVariables };
}

function staticPieces(t: Template): ResolvedPiece[] {
  return t.parts.map((p) =>
    p.kind === 'text' ? { text: p.text, literal: false } : { text: p.kind === 'char' ? p.char : p.raw, literal: true },
  );
}

export function compileResourceElement(values: readonly string[], negated: boolean, variablesEnabled: boolean): ResourceElement {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const globs: ResolvedPiece[][] = [];
  let all = false;
  const dynamic: DynamicResource[] = [];
  for (const raw of values) {
    const template = resourceTemplate(raw, variablesEnabled);
    if (template.hasVariables) {
      dynamic.push({ raw, template, cache: new Map() });
      continue;
    }
    const pieces = staticPieces(template);
    const wildcard = pieces.some((p) => !p.literal && /[*?]/.test(p.text));
    if (!wildcard) exact.add(pieces.map((p) => p.text).join(''));
    else if (raw === '*') all = true;
    else if (pieces.length === 1 && !pieces[0]?.literal && /^[^*?]*\*$/.test(raw)) prefixes.push(raw.slice(0, -1));
    else globs.push(pieces);
  }
  const wildcards = globs.length > 0 ? compileGlobList(globs, 'resource') : undefined;
  const staticMatches: StringMatcher = all
    ? () => true
    : (v) => exact.has(v) || prefixes.some((p) => v.startsWith(p)) || (wildcards !== undefined && wildcards(v));
  return { negated, values, staticMatches, dynamic };
}

/**
 * Does the element apply to `resource`? Concrete mode gives a boolean; in
 * analysis mode an entry whose variable is unknown becomes an atom.
 */
export function resourceElementApplies(
  element: ResourceElement,
  resource: string,
  lookup: VariableLookup,
  onUnknown: UnknownResourceEntry,
): Truth {
  let listed: Truth = element.staticMatches(resource);
  if (listed !== true) {
    for (const d of element.dynamic) {
      const r = resolveTemplate(d.template, lookup);
      if (r.state === 'unresolved') continue;
      if (r.state === 'unknown') {
        listed = or(listed, onUnknown(d.raw, r.keys));
        continue;
      }
      const key = r.pieces.map((p) => (p.literal ? `L${p.text.length}:${p.text}` : `P${p.text.length}:${p.text}`)).join('');
      let m = d.cache.get(key);
      if (m === undefined) {
        m = compileGlob(r.pieces, 'resource');
        if (d.cache.size >= CACHE_LIMIT) d.cache.clear();
        d.cache.set(key, m);
      }
      if (m(resource)) {
        listed = true;
        break;
      }
    }
  }
  if (!element.negated) return listed;
  return typeof listed === 'boolean' ? !listed : { op: 'not', arg: listed };
}

/** Checks one resource value's syntax; returns a message, or `undefined` when valid. */
export function checkResourceSyntax(value: string): string | undefined {
  if (value === '*') return undefined;
  if (value.startsWith('arn:')) {
    if (value.split(':').length < 6 && !value.endsWith('*')) {
      return `expected an ARN with six colon-separated parts (arn:partition:service:region:account:resource), got ${JSON.stringify(value)}`;
    }
    const service = value.split(':')[2] ?? '';
    if (/[*?]/.test(service)) return `wildcards are not allowed in the service segment of ${JSON.stringify(value)}`;
    return undefined;
  }
  if (value.startsWith('execute-api:/')) return undefined;
  return `expected "*" or an ARN starting with "arn:", got ${JSON.stringify(value)}`;
}
