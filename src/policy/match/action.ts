import { compileGlobList } from './glob';

/**
 * `Action` / `NotAction` matching: the service prefix and the action name are
 * case-insensitive; `*` and `?` are wildcards in the action name; a bare `*`
 * matches every action of every service. With `NotAction`, the statement
 * applies to every action not listed — other services included.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 */
export interface ActionElement {
  readonly negated: boolean;
  /** The values as written. */
  readonly values: readonly string[];
  /** Does the list (ignoring negation) cover `action`? `action` must be lower case. */
  readonly listMatches: (actionLower: string) => boolean;
}

const MEMO_LIMIT = 4096;

/**
 * Compiles the list once: exact names in a set, wildcard patterns as
 * linear-time globs. Values that are not action names (`oddActionReason`)
 * are left out: they match no request.
 */
export function compileActionElement(values: readonly string[], negated: boolean): ActionElement {
  let all = false;
  const exact = new Set<string>();
  const patterns: string[] = [];
  for (const raw of values) {
    if (oddActionReason(raw) !== undefined) continue;
    const v = raw.toLowerCase();
    if (v === '*') all = true;
    else if (/[*?]/.test(v)) patterns.push(v);
    else exact.add(v);
  }
  let listMatches: (a: string) => boolean;
  if (all) listMatches = () => true;
  else if (patterns.length === 0) listMatches = (a) => exact.has(a);
  else {
    // The service prefix is literal (wildcards there are refused by checkActionSyntax); the name may have wildcards.
    const test = compileGlobList(
      patterns.map((p) => {
        const colon = p.indexOf(':');
        return [
          { text: p.slice(0, colon + 1), literal: true },
          { text: p.slice(colon + 1), literal: false },
        ];
      }),
      'plain',
    );
    const memo = new Map<string, boolean>();
    listMatches = (a) => {
      if (exact.has(a)) return true;
      const cached = memo.get(a);
      if (cached !== undefined) return cached;
      const result = test(a);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(a, result);
      return result;
    };
  }
  return { negated, values, listMatches };
}

/** Does the statement's Action/NotAction element apply to `action`? */
export function actionElementApplies(element: ActionElement, actionLower: string): boolean {
  return element.listMatches(actionLower) !== element.negated;
}

/**
 * Checks one action value's syntax: `*`, or `service:name` where the service
 * has no wildcard. Returns a message for a value IAM refuses to store (no
 * service prefix, a wildcard in the prefix), or `undefined` otherwise. A
 * value IAM stores although it names no action is not refused here: see
 * `oddActionReason`.
 */
export function checkActionSyntax(value: string): string | undefined {
  if (value === '*') return undefined;
  const colon = value.indexOf(':');
  if (colon <= 0) return `expected "*" or "service:action" (e.g. "execute-api:Invoke"), got ${JSON.stringify(value)}`;
  const service = value.slice(0, colon);
  if (/[*?]/.test(service)) return `wildcards are not allowed in the service prefix of ${JSON.stringify(value)}`;
  return undefined;
}

/**
 * Policy text IAM accepts and stores, although it is not an action name: a
 * comma-joined list in one string (`"s3:GetObject,s3:PutObject"`), nothing
 * after the colon (`"s3:"`), whitespace (`" s3:GetObject"`, `"s3:Get Object"`)
 * or another character no action name has. Such a value matches no request:
 * in `Action` it grants or denies nothing, in `NotAction` it excludes
 * nothing. Returns why the value is odd, or `undefined` for a real action
 * pattern (and for values `checkActionSyntax` refuses).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function oddActionReason(value: string): string | undefined {
  if (value === '*') return undefined;
  const colon = value.indexOf(':');
  if (colon <= 0 || /[*?]/.test(value.slice(0, colon))) return undefined;
  const service = value.slice(0, colon);
  const name = value.slice(colon + 1);
  if (/^[A-Za-z0-9-]+$/.test(service) && /^[A-Za-z0-9_*?.-]+$/.test(name)) return undefined;
  const why = value.includes(',')
    ? 'several actions joined with commas in one string'
    : name.trim() === ''
      ? 'nothing after the colon'
      : /\s/.test(value)
        ? 'whitespace in the action'
        : 'a character no action name has';
  return `${JSON.stringify(value)} is not an action name (${why}): IAM stores it, but it matches no request, so in Action it allows or denies nothing and in NotAction it excludes nothing (list each action as its own string)`;
}
