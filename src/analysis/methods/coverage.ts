import {
  accepts,
  findCommon,
  findDifference,
  GAVE_UP,
  insertionTest,
  isLiteralPattern,
  literalPrefix,
  patternAutomaton,
  templateAutomaton,
  type Nfa,
} from './automaton';
import { requestArn } from './invokeRequest';
import { parsePathTemplate, type PathTemplate } from './pathTemplate';
import { resolveMethod, type ApiKind, type RoutableMethod } from './resolve';
import { servedVerbs, type RequestVerb } from './verbs';

/**
 * Template-level coverage: how an IAM resource pattern relates to every
 * concrete request ARN of one method on one stage, so that the analysis can
 * tell "allowed for every request of GET /pets/{id}" from "allowed for
 * /pets/1 only" (seed/README.md: henry-support is **partial** on
 * GET /pets/{id}).
 *
 * The request ARNs of a method template are
 * `{api ARN}/{stage}/{VERB}/{concrete path}` (AGDG "Control access for
 * invoking an API"; see invokeRequest.ts) for every verb the method serves
 * (an `ANY` method or a `$default` route: DELETE, GET, HEAD, OPTIONS, PATCH,
 * POST, PUT) and every concrete path the template matches (`{param}`: one
 * non-empty segment; `{proxy+}`: one or more; `$default`: any path, the root
 * included). This is the template's own language: a request it matches may
 * still be routed to a more specific sibling method (resolve.ts); pass
 * `routing` to keep only witnesses that the method itself serves.
 *
 * How the analysis uses it: evaluate the engine on `genericRequestArns` (one
 * per verb, "for almost every concrete path"), then on `witnessRequestArns` of
 * each pattern that may match without covering the generic ARN, and on
 * `uncoveredRequestArns` of each pattern that covers the generic ARN without
 * covering the whole template; different results mean "partial", reported
 * with the pattern.
 */
export interface MethodTemplate {
  /** `arn:aws:execute-api:{region}:{account}:{api-id}` (ApiRow.executeApiArn). */
  readonly apiArn: string;
  readonly stage: string;
  /** GET, POST, …, ANY; `*` for an HTTP API `$default` route. */
  readonly verb: string;
  /** `/pets/{id}`, `/`, `/{proxy+}`; `*` for `$default`. */
  readonly path: string;
  /** MethodRow.key; needed with `routing`. */
  readonly key?: string;
}

export interface CoverageOptions {
  /**
   * The API's methods (and optionally kind and resource paths, see
   * ResolveOptions): keep only request ARNs that `resolveMethod` routes to
   * the template's own method (`template.key`).
   */
  readonly routing?: {
    readonly methods: readonly RoutableMethod[];
    readonly kind?: ApiKind;
    readonly resourcePaths?: readonly string[];
  };
}

/** The template of one method on one stage. */
export function methodTemplate(
  api: { readonly executeApiArn: string },
  stage: string,
  method: { readonly key: string; readonly verb: string; readonly path: string },
): MethodTemplate {
  return { apiArn: api.executeApiArn, stage, verb: method.verb, path: method.path, key: method.key };
}

function parseTemplate(template: MethodTemplate): PathTemplate {
  const parsed = parsePathTemplate(template.path);
  if (!parsed.ok) throw new Error(`invalid method template: ${parsed.message}`);
  if (servedVerbs(template.verb).length === 0) throw new Error(`invalid method template: unknown verb ${JSON.stringify(template.verb)}`);
  if (parsed.template.catchAll !== (template.verb === '*'))
    throw new Error('invalid method template: verb "*" and path "*" go together ($default)');
  return parsed.template;
}

/** Value of a `{name}` parameter in generic ARNs: no realistic policy literal names it. */
export function genericParamValue(name: string): string {
  return `whocan-any-${name}`;
}

/**
 * The generic concrete path of a template: each `{name}` becomes
 * `whocan-any-<name>`, a `{name+}` two such segments (`…-<name>/…-<name>-2`),
 * `$default` (`*`) `/whocan-any-path/whocan-any-path-2`; literals stay.
 */
export function genericRequestPath(path: string): string {
  const parsed = parsePathTemplate(path);
  if (!parsed.ok) throw new Error(`invalid method template: ${parsed.message}`);
  if (parsed.template.catchAll) return `/${genericParamValue('path')}/${genericParamValue('path')}-2`;
  if (parsed.template.segments.length === 0) return '/';
  return parsed.template.segments
    .map((s) =>
      s.kind === 'literal'
        ? `/${s.text}`
        : s.kind === 'param'
          ? `/${genericParamValue(s.name)}`
          : `/${genericParamValue(s.name)}/${genericParamValue(s.name)}-2`,
    )
    .join('');
}

/**
 * The request ARN standing for "(almost) every concrete request" of the
 * template with one verb. `verb` defaults to the method's own verb and is
 * required for an `ANY` method or a `$default` route (a request carries a
 * concrete verb).
 */
export function genericRequestArn(template: MethodTemplate, verb?: string): string {
  parseTemplate(template);
  const served = servedVerbs(template.verb);
  const v = verb ?? (served.length === 1 ? served[0] : undefined);
  if (v === undefined) throw new Error(`genericRequestArn: method verb ${template.verb} serves every verb; name one`);
  if (!served.includes(v as RequestVerb)) throw new Error(`genericRequestArn: method verb ${template.verb} does not serve ${v}`);
  return requestArn(template.apiArn, template.stage, v, genericRequestPath(template.path));
}

/** One generic request ARN per verb the method serves (seven for `ANY`). */
export function genericRequestArns(template: MethodTemplate): { verb: RequestVerb; arn: string }[] {
  parseTemplate(template);
  return servedVerbs(template.verb).map((verb) => ({ verb, arn: genericRequestArn(template, verb) }));
}

// ------------------------------------------------------------ automata, cached

const CACHE_LIMIT = 4096;

function cached<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

interface CompiledPattern {
  readonly nfa: Nfa;
  /** The literal text before the first wildcard or variable. */
  readonly prefix: string;
  /** No wildcard, no variable: the pattern matches itself only. */
  readonly literal: boolean;
}

interface VerbLanguage {
  readonly verb: RequestVerb;
  readonly nfa: Nfa;
  /** The text every request ARN of this verb starts with (up to the first parameter). */
  readonly prefix: string;
  /** Where the concrete path starts in a request ARN (after `…/{VERB}`). */
  readonly pathStart: number;
  readonly generic: string;
}

const patternCache = new Map<string, CompiledPattern>();
const templateCache = new Map<string, VerbLanguage[]>();

function compilePattern(pattern: string): CompiledPattern {
  return cached(patternCache, pattern, () => ({
    nfa: patternAutomaton(pattern),
    prefix: literalPrefix(pattern),
    literal: isLiteralPattern(pattern),
  }));
}

/** One language per verb the method serves, compiled once per template. */
function languages(template: MethodTemplate): VerbLanguage[] {
  return cached(templateCache, `${template.apiArn}\n${template.stage}\n${template.verb}\n${template.path}`, () => {
    const parsed = parseTemplate(template);
    const genericPath = genericRequestPath(template.path);
    const firstParam = parsed.catchAll ? 0 : parsed.segments.findIndex((s) => s.kind !== 'literal');
    const literalPath = parsed.catchAll
      ? '/'
      : firstParam < 0
        ? genericPath
        : `${parsed.segments
            .slice(0, firstParam)
            .map((s) => `/${s.kind === 'literal' ? s.text : ''}`)
            .join('')}/`;
    return servedVerbs(template.verb).map((verb) => {
      const head = `${template.apiArn}/${template.stage}/${verb}`;
      return {
        verb,
        nfa: templateAutomaton(head, parsed),
        prefix: head + literalPath,
        pathStart: head.length,
        generic: requestArn(template.apiArn, template.stage, verb, genericPath),
      };
    });
  });
}

/** Cheap test: can a string start with both literal prefixes? */
function prefixesAgree(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) === b.slice(0, n);
}

/** A shortest request ARN of `language` that the pattern matches, or undefined. */
function commonArn(pattern: CompiledPattern, language: VerbLanguage): string | undefined {
  if (!prefixesAgree(pattern.prefix, language.prefix)) return undefined;
  if (pattern.literal) return accepts(language.nfa, pattern.prefix) ? pattern.prefix : undefined;
  return findCommon(language.nfa, pattern.nfa);
}

function matchesGeneric(pattern: CompiledPattern, language: VerbLanguage): boolean {
  if (!prefixesAgree(pattern.prefix, language.prefix)) return false;
  return pattern.literal ? pattern.prefix === language.generic : accepts(pattern.nfa, language.generic);
}

/** Is `arn` one of the template's request ARNs (its own language, siblings ignored)? */
export function requestArnBelongsToTemplate(arn: string, template: MethodTemplate): boolean {
  return languages(template).some((l) => arn.startsWith(l.prefix) && accepts(l.nfa, arn));
}

/**
 * Does the resource pattern (an IAM glob: `*`, `?`, stage and verb
 * wildcards, `*` spanning colons at the end of an ARN segment) match some
 * concrete request ARN of the method template? Exact for the template's own
 * language; policy variables `${…}` are read as "any characters", so it then
 * over-approximates. It never answers false when some request ARN matches.
 */
export function patternMayMatchTemplate(resourcePattern: string, template: MethodTemplate): boolean {
  const pattern = compilePattern(resourcePattern);
  return languages(template).some((l) => commonArn(pattern, l) !== undefined);
}

const FILLER = '-whocan';

/**
 * Makes a shortest witness less special: inserts `-whocan` where both the
 * template and the pattern let it in (a wildcard inside a parameter), at most
 * once per path segment, so that `…/pets/a*` gives `…/pets/a-whocan` rather
 * than `…/pets/a`, which another policy might name literally.
 */
function enrich(t: Nfa, g: Nfa, witness: string, pathStart: number): string {
  let out = witness;
  let canInsert = insertionTest([t, g], out, FILLER, pathStart);
  let segment = [...out.slice(pathStart)].filter((c) => c === '/').length;
  let done = -1;
  for (let pos = out.length; pos > pathStart; pos -= 1) {
    if (out[pos] === '/') segment -= 1; // pos is now left of that slash
    if (segment === done || !canInsert(pos)) continue;
    out = out.slice(0, pos) + FILLER + out.slice(pos);
    canInsert = insertionTest([t, g], out, FILLER, pathStart);
    done = segment;
  }
  return out;
}

function routedHere(template: MethodTemplate, language: VerbLanguage, arn: string, options: CoverageOptions): boolean {
  const routing = options.routing;
  if (!routing) return true;
  if (template.key === undefined) throw new Error('routing needs template.key (the MethodRow key)');
  const resolved = resolveMethod(routing.methods, language.verb, arn.slice(language.pathStart), {
    ...(routing.kind ? { kind: routing.kind } : {}),
    ...(routing.resourcePaths ? { resourcePaths: routing.resourcePaths } : {}),
  });
  return resolved?.method.key === template.key;
}

/**
 * Concrete request ARNs of the template that the pattern matches, at most one
 * per verb, for the verbs whose generic ARN the pattern does **not** match
 * (`…/prod/GET/pets/1` on `GET /pets/{id}` gives `…/prod/GET/pets/1`;
 * `…/prod/GET/pets/a*` gives `…/prod/GET/pets/a-whocan`). Empty when the
 * pattern matches the generic ARN of every verb it touches, or no request of
 * the template. With policy variables, a witness is matched for some value of
 * the variables.
 */
export function witnessRequestArns(resourcePattern: string, template: MethodTemplate, options: CoverageOptions = {}): string[] {
  const pattern = compilePattern(resourcePattern);
  const out: string[] = [];
  for (const language of languages(template)) {
    if (matchesGeneric(pattern, language)) continue;
    const found = commonArn(pattern, language);
    if (found === undefined) continue;
    const candidates = pattern.literal ? [found] : [enrich(language.nfa, pattern.nfa, found, language.pathStart), found];
    const chosen = candidates.find((arn) => routedHere(template, language, arn, options));
    if (chosen !== undefined) out.push(chosen);
  }
  return out;
}

/** States the inclusion search may visit before it falls back to trying likely ARNs. */
const DIFFERENCE_LIMIT = 20000;

/**
 * Concrete request ARNs of the template that the pattern does **not** match,
 * at most one per verb, for the verbs whose generic ARN the pattern matches
 * (`…/prod/GET/pets/w*` on `GET /pets/{id}` matches the generic
 * `…/pets/whocan-any-id` but not `…/pets/x`). Evaluating them too keeps a
 * pattern that happens to match the generic value from passing for "every
 * request". Empty when the pattern matches every request of those verbs.
 * Exact, except that a search over more than 20 000 states (patterns with
 * very many wildcards) falls back to trying likely paths.
 */
export function uncoveredRequestArns(resourcePattern: string, template: MethodTemplate, options: CoverageOptions = {}): string[] {
  const pattern = compilePattern(resourcePattern);
  const out: string[] = [];
  for (const language of languages(template)) {
    if (!matchesGeneric(pattern, language)) continue;
    const found = findDifference(language.nfa, pattern.nfa, DIFFERENCE_LIMIT);
    const candidates =
      found === GAVE_UP
        ? likelyRequestArns(template, language.verb).filter((arn) => accepts(language.nfa, arn) && !accepts(pattern.nfa, arn))
        : found === undefined
          ? []
          : [found];
    const chosen = candidates.find((arn) => routedHere(template, language, arn, options));
    if (chosen !== undefined) out.push(chosen);
  }
  return out;
}

/** A few concrete ARNs of the template, for the fallback of `uncoveredRequestArns`. */
function likelyRequestArns(template: MethodTemplate, verb: RequestVerb): string[] {
  const parsed = parseTemplate(template);
  const fills = ['x', '1', 'x:y', 'whocan-other', `x${FILLER}`];
  const paths = new Set<string>();
  for (const fill of fills) {
    for (const twoSegments of [false, true]) {
      const greedy = twoSegments ? `${fill}/${fill}` : fill;
      if (parsed.catchAll) paths.add(`/${greedy}`);
      else if (parsed.segments.length === 0) paths.add('/');
      else paths.add(parsed.segments.map((s) => `/${s.kind === 'literal' ? s.text : s.kind === 'param' ? fill : greedy}`).join(''));
    }
  }
  if (parsed.catchAll) paths.add('/');
  return [...paths].map((p) => requestArn(template.apiArn, template.stage, verb, p));
}
