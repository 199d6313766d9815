import { RequestContext, type RequestContextInit } from '../context/context';
import { evaluateStatementConditions } from '../evaluate/statement';
import { parsePolicy } from '../parse/parsePolicy';
import { andAll, assumeAtoms, atom, orAll, type Atom, type ConditionAtom, type Truth, type TruthJson, type Unknown } from './truth';

/**
 * Formulas stored as JSON (`truthToJson`) read back, and decided again
 * against a request context: a stored conditional decision re-decided
 * without asking the engine about the whole request again.
 */

/**
 * The inverse of `truthToJson`: `truthFromJson(truthToJson(t))` has the same
 * structure and atoms as `t`. Throws on anything `truthToJson` does not
 * produce, naming the JSON path of the first part that is wrong.
 */
export function truthFromJson(json: unknown): Truth {
  return read(json, '$');
}

const ATOM_KINDS = new Set<string>(['condition', 'resourceVariable', 'sessionName', 'authorizer', 'unknownPolicy']);

function read(json: unknown, at: string): Truth {
  if (typeof json === 'boolean') return json;
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Error(`not a formula: ${at}: expected a boolean or an object with atom, allOf, anyOf or not (got ${describe(json)})`);
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1)
    throw new Error(`not a formula: ${at}: expected exactly one of atom, allOf, anyOf, not (got ${keys.join(', ') || 'none'})`);
  switch (keys[0]) {
    case 'atom':
      return atom(checkAtom(o['atom'], `${at}.atom`));
    case 'not': {
      // Rebuilt as written (not() would simplify a double negation away).
      const arg = read(o['not'], `${at}.not`);
      return typeof arg === 'boolean' ? !arg : { op: 'not', arg };
    }
    case 'allOf':
    case 'anyOf': {
      const name = keys[0];
      const list = o[name];
      if (!Array.isArray(list)) throw new Error(`not a formula: ${at}.${name}: expected a list`);
      const args = list.map((item, i) => read(item, `${at}.${name}[${i}]`));
      // truthToJson writes only formulas of two or more unknown parts: rebuilt as they were.
      if (args.length >= 2 && args.every((x): x is Unknown => typeof x !== 'boolean'))
        return name === 'allOf' ? { op: 'and', args } : { op: 'or', args };
      return name === 'allOf' ? andAll(args) : orAll(args);
    }
    default:
      throw new Error(`not a formula: ${at}: expected atom, allOf, anyOf or not (got ${keys[0]})`);
  }
}

function checkAtom(value: unknown, at: string): Atom {
  if (value === null || typeof value !== 'object' || !ATOM_KINDS.has(String((value as { kind?: unknown }).kind))) {
    throw new Error(`not an atom: ${at}: expected an atom with kind ${[...ATOM_KINDS].join(', ')} (got ${describe(value)})`);
  }
  if ((value as { kind: string }).kind === 'condition') {
    const a = value as Partial<ConditionAtom>;
    if (typeof a.operator !== 'string' || typeof a.key !== 'string' || !isStrings(a.values) || !isStrings(a.missingKeys)) {
      throw new Error(`not a condition atom: ${at}: expected operator, key, values and missingKeys (got ${describe(value)})`);
    }
  }
  return value as Atom;
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/**
 * The formula with every condition clause whose missing keys the context
 * gives decided by the engine's condition evaluation (the clause on its own,
 * as its statement holds it: `Operator: {Key: values}`). Other atoms
 * (unknown policies, authorizers, session names, resource variables) and
 * clauses whose values use policy variables stay open. The context's keys
 * are matched case-insensitively, as condition keys are.
 */
export function assumeContext(formula: Truth, values: RequestContextInit['values']): Truth {
  const context = new RequestContext({ principal: { kind: 'anonymous' }, mode: 'analysis', values });
  const given = new Set(context.givenValues().keys());
  const memo = new Map<Atom, boolean | undefined>();
  return assumeAtoms(formula, (a) => {
    if (a.kind !== 'condition') return undefined;
    if (memo.has(a)) return memo.get(a);
    const decided = decideClause(a, context, given);
    memo.set(a, decided);
    return decided;
  });
}

function decideClause(a: ConditionAtom, context: RequestContext, given: ReadonlySet<string>): boolean | undefined {
  if (a.missingKeys.length === 0 || !a.missingKeys.every((k) => given.has(k.toLowerCase()))) return undefined;
  if (!given.has(a.key.toLowerCase()) || a.values.some((v) => v.includes('${'))) return undefined;
  let statement;
  try {
    statement = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [a.operator]: { [a.key]: [...a.values] } } }],
      },
      { type: 'identity', id: 'stored-condition' },
    ).statements[0];
  } catch {
    return undefined;
  }
  if (!statement) return undefined;
  const result = evaluateStatementConditions(statement, context);
  return typeof result === 'boolean' ? result : undefined;
}

export type { TruthJson };
