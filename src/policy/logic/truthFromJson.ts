import { andAll, orAll, type Atom, type Truth, type Unknown } from './truth';

/**
 * The inverse of `truthToJson`: a formula read back from its JSON form (as
 * the access index stores a conditional grant's formula), so that it can be
 * evaluated again (`evaluateTruth`) once request context is known.
 * `truthFromJson(truthToJson(t))` has the same structure and atoms as `t`.
 * Throws a TypeError naming the first part that is not a TruthJson.
 */
const ATOM_KINDS = new Set<Atom['kind']>(['condition', 'resourceVariable', 'sessionName', 'authorizer', 'unknownPolicy']);

export function truthFromJson(json: unknown): Truth {
  return read(json, '$');
}

function read(json: unknown, at: string): Truth {
  if (typeof json === 'boolean') return json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError(`${at}: expected a boolean or an object with atom, allOf, anyOf or not`);
  const keys = Object.keys(json);
  if (keys.length !== 1) throw new TypeError(`${at}: expected exactly one of atom, allOf, anyOf, not (got ${keys.length === 0 ? 'none' : keys.join(', ')})`);
  const record = json as Record<string, unknown>;
  switch (keys[0]) {
    case 'atom': {
      const a = record['atom'];
      if (typeof a !== 'object' || a === null || !ATOM_KINDS.has((a as { kind?: unknown }).kind as Atom['kind'])) throw new TypeError(`${at}.atom: expected an atom with kind ${[...ATOM_KINDS].join(', ')}`);
      return { op: 'atom', atom: a as Atom };
    }
    case 'not':
      return negate(read(record['not'], `${at}.not`));
    case 'allOf':
    case 'anyOf': {
      const op = keys[0] === 'allOf' ? 'and' : 'or';
      const list = record[keys[0]];
      if (!Array.isArray(list)) throw new TypeError(`${at}.${keys[0]}: expected a list`);
      const args = list.map((item, i) => read(item, `${at}.${keys[0]}[${i}]`));
      // truthToJson writes only formulas of two or more unknown parts: rebuilt as they were.
      if (args.length >= 2 && args.every((x): x is Unknown => typeof x !== 'boolean')) return { op, args };
      return op === 'and' ? andAll(args) : orAll(args);
    }
    default:
      throw new TypeError(`${at}: expected atom, allOf, anyOf or not (got ${keys[0]})`);
  }
}

function negate(t: Truth): Truth {
  return typeof t === 'boolean' ? !t : { op: 'not', arg: t };
}
