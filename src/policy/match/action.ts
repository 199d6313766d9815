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

/** Compiles the list once: exact names in a set, wildcard patterns as linear-time globs. */
export function compileActionElement(values: readonly string[], negated: boolean): ActionElement {
  let all = false;
  const exact = new Set<string>();
  const patterns: string[] = [];
  for (const raw of values) {
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
 * has no wildcard. Returns a message, or `undefined` when valid.
 */
export function checkActionSyntax(value: string): string | undefined {
  if (value === '*') return undefined;
  const colon = value.indexOf(':');
  if (colon <= 0) return `expected "*" or "service:action" (e.g. "execute-api:Invoke"), got ${JSON.stringify(value)}`;
  const service = value.slice(0, colon);
  const name = value.slice(colon + 1);
  if (/[*?]/.test(service)) return `wildcards are not allowed in the service prefix of ${JSON.stringify(value)}`;
  if (!/^[A-Za-z0-9-]+$/.test(service)) return `invalid service prefix in ${JSON.stringify(value)}`;
  if (name === '') return `missing action name after "${service}:"`;
  if (!/^[A-Za-z0-9_*?.-]+$/.test(name)) return `invalid action name in ${JSON.stringify(value)}`;
  return undefined;
}
