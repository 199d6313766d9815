import { compileGlob, type StringMatcher } from '../match/glob';
import { splitArnComponents } from '../match/arn';
import { parseTemplate, piecesToString, type ResolvedPiece, type Template } from '../variables/template';
import { parseDate } from './date';
import { ipRangeContains, parseIpCached, parseIpRange } from './ip';

/**
 * The condition operators and how each compares one request value with one
 * policy value.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
type Comparison = 'eq' | 'eqi' | 'like' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'null';

export interface OperatorSpec {
  /** Canonical name, e.g. `StringNotLike`. */
  readonly name: string;
  readonly family: OperatorFamily;
  readonly comparison: Comparison;
  /**
   * Negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`…) are
   * true when the request value matches none of the policy values, and true
   * when the key is missing.
   */
  readonly negated: boolean;
  /** Policy variables are resolved in values of string, ARN and Bool operators only. */
  readonly variables: boolean;
}

const SPECS: readonly OperatorSpec[] = [
  { name: 'StringEquals', family: 'string', comparison: 'eq', negated: false, variables: true },
  { name: 'StringNotEquals', family: 'string', comparison: 'eq', negated: true, variables: true },
  { name: 'StringEqualsIgnoreCase', family: 'string', comparison: 'eqi', negated: false, variables: true },
  { name: 'StringNotEqualsIgnoreCase', family: 'string', comparison: 'eqi', negated: true, variables: true },
  { name: 'StringLike', family: 'string', comparison: 'like', negated: false, variables: true },
  { name: 'StringNotLike', family: 'string', comparison: 'like', negated: true, variables: true },
  { name: 'NumericEquals', family: 'numeric', comparison: 'eq', negated: false, variables: false },
  { name: 'NumericNotEquals', family: 'numeric', comparison: 'eq', negated: true, variables: false },
  { name: 'NumericLessThan', family: 'numeric', comparison: 'lt', negated: false, variables: false },
  { name: 'NumericLessThanEquals', family: 'numeric', comparison: 'lte', negated: false, variables: false },
  { name: 'NumericGreaterThan', family: 'numeric', comparison: 'gt', negated: false, variables: false },
  { name: 'NumericGreaterThanEquals', family: 'numeric', comparison: 'gte', negated: false, variables: false },
  { name: 'DateEquals', family: 'date', comparison: 'eq', negated: false, variables: false },
  { name: 'DateNotEquals', family: 'date', comparison: 'eq', negated: true, variables: false },
  { name: 'DateLessThan', family: 'date', comparison: 'lt', negated: false, variables: false },
  { name: 'DateLessThanEquals', family: 'date', comparison: 'lte', negated: false, variables: false },
  { name: 'DateGreaterThan', family: 'date', comparison: 'gt', negated: false, variables: false },
  { name: 'DateGreaterThanEquals', family: 'date', comparison: 'gte', negated: false, variables: false },
  { name: 'Bool', family: 'bool', comparison: 'eq', negated: false, variables: true },
  { name: 'BinaryEquals', family: 'binary', comparison: 'eq', negated: false, variables: false },
  { name: 'IpAddress', family: 'ip', comparison: 'in', negated: false, variables: false },
  { name: 'NotIpAddress', family: 'ip', comparison: 'in', negated: true, variables: false },
  // "The ArnEquals and ArnLike condition operators behave identically."
  { name: 'ArnEquals', family: 'arn', comparison: 'like', negated: false, variables: true },
  { name: 'ArnLike', family: 'arn', comparison: 'like', negated: false, variables: true },
  { name: 'ArnNotEquals', family: 'arn', comparison: 'like', negated: true, variables: true },
  { name: 'ArnNotLike', family: 'arn', comparison: 'like', negated: true, variables: true },
  { name: 'Null', family: 'null', comparison: 'null', negated: false, variables: false },
];

const BY_NAME = new Map(SPECS.map((s) => [s.name.toLowerCase(), s]));

export const OPERATOR_NAMES: readonly string[] = SPECS.map((s) => s.name);

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

export interface ParsedOperator {
  readonly spec: OperatorSpec;
  readonly setOperator: SetOperator | undefined;
  readonly ifExists: boolean;
  /** Canonical text, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly text: string;
}

/**
 * Reads an operator such as `ForAllValues:StringNotLikeIfExists`. Operator
 * names are matched without regard to case and reported in canonical case.
 * `IfExists` cannot be added to `Null`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export function parseOperator(text: string): ParsedOperator | { readonly error: string } {
  let rest = text;
  let setOperator: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') setOperator = 'ForAllValues';
    else if (prefix === 'foranyvalue') setOperator = 'ForAnyValue';
    else return { error: `unknown set operator ${JSON.stringify(rest.slice(0, colon))} (expected ForAllValues or ForAnyValue)` };
    rest = rest.slice(colon + 1);
  }
  let spec = BY_NAME.get(rest.toLowerCase());
  let ifExists = false;
  if (spec === undefined && rest.toLowerCase().endsWith('ifexists')) {
    spec = BY_NAME.get(rest.slice(0, -'ifexists'.length).toLowerCase());
    ifExists = spec !== undefined;
    if (spec?.family === 'null') return { error: 'IfExists cannot be added to the Null operator' };
  }
  if (spec === undefined) return { error: `unknown condition operator ${JSON.stringify(text)}` };
  const canonical = `${setOperator ? `${setOperator}:` : ''}${spec.name}${ifExists ? 'IfExists' : ''}`;
  return { spec, setOperator, ifExists, text: canonical };
}

/** Tests one request value against one (resolved) policy value. */
export type ValuePredicate = (requestValue: string) => boolean;

/** A policy value compiled for its operator. */
export interface CompiledValue {
  /** The value as written (numbers and booleans stringified). */
  readonly raw: string;
  /** Set when the value has no variables. */
  readonly predicate?: ValuePredicate;
  /** Set when the value has variables: resolved per request, then built. */
  readonly template?: Template;
  readonly build?: (pieces: readonly ResolvedPiece[]) => ValuePredicate;
  /** For `Null`: the policy's `true`/`false`. */
  readonly nullCheck?: boolean;
}

function numericCompare(cmp: Comparison, a: number, b: number): boolean {
  switch (cmp) {
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    default:
      return a === b;
  }
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string): string | undefined {
  if (!BASE64.test(text)) return undefined;
  return atob(text);
}

/** A `*` alone matches every ARN; otherwise each of the six components is matched on its own. */
function arnPredicate(pieces: readonly ResolvedPiece[]): ValuePredicate {
  const pattern = piecesToString(pieces);
  if (pieces.length === 1 && !pieces[0]?.literal && pattern === '*') return () => true;
  // Split the pieces into the six components at the first five colons.
  const components: ResolvedPiece[][] = [[]];
  let colons = 0;
  for (const piece of pieces) {
    let text = '';
    for (const ch of piece.text) {
      if (ch === ':' && colons < 5) {
        components[components.length - 1]?.push({ text, literal: piece.literal });
        components.push([]);
        colons += 1;
        text = '';
      } else text += ch;
    }
    components[components.length - 1]?.push({ text, literal: piece.literal });
  }
  if (components.length !== 6) return () => false;
  const matchers: StringMatcher[] = components.map((c) => compileGlob(c, 'plain'));
  return (value) => {
    const parts = splitArnComponents(value);
    if (parts === undefined) return false;
    for (let i = 0; i < 6; i += 1) if (!(matchers[i] as StringMatcher)(parts[i] as string)) return false;
    return true;
  };
}

function stringPredicate(cmp: Comparison, pieces: readonly ResolvedPiece[]): ValuePredicate {
  if (cmp === 'like') return compileGlob(pieces, 'plain');
  const s = piecesToString(pieces);
  if (cmp === 'eqi') {
    const lower = s.toLowerCase();
    return (v) => v.toLowerCase() === lower;
  }
  return (v) => v === s;
}

function boolPredicate(pieces: readonly ResolvedPiece[]): ValuePredicate {
  const b = piecesToString(pieces).toLowerCase();
  return (v) => v.toLowerCase() === b;
}

/**
 * Compiles one policy value for an operator; returns a message when the
 * value is not valid for the operator (e.g. `NumericLessThan` with "ten").
 */
export function compileValue(spec: OperatorSpec, raw: string, variablesEnabled: boolean): CompiledValue | { readonly error: string } {
  const template = parseTemplate(raw, variablesEnabled && spec.variables);
  const dynamic = template.hasVariables;
  const staticPieces: ResolvedPiece[] = template.parts.map((p) =>
    p.kind === 'text' ? { text: p.text, literal: false } : { text: p.kind === 'char' ? p.char : p.raw, literal: true },
  );
  switch (spec.family) {
    case 'string': {
      const build = (pieces: readonly ResolvedPiece[]) => stringPredicate(spec.comparison, pieces);
      return dynamic ? { raw, template, build } : { raw, predicate: build(staticPieces) };
    }
    case 'arn':
      return dynamic ? { raw, template, build: arnPredicate } : { raw, predicate: arnPredicate(staticPieces) };
    case 'bool': {
      if (dynamic) return { raw, template, build: boolPredicate };
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') return { error: `Bool expects "true" or "false", got ${JSON.stringify(raw)}` };
      return { raw, predicate: boolPredicate(staticPieces) };
    }
    case 'numeric': {
      const n = parseNumber(raw);
      if (n === undefined) return { error: `${spec.name} expects a number, got ${JSON.stringify(raw)}` };
      return {
        raw,
        predicate: (v) => {
          const x = parseNumber(v);
          return x !== undefined && numericCompare(spec.comparison, x, n);
        },
      };
    }
    case 'date': {
      const d = parseDate(raw);
      if (d === undefined) return { error: `${spec.name} expects an ISO 8601 date or epoch seconds, got ${JSON.stringify(raw)}` };
      return {
        raw,
        predicate: (v) => {
          const x = parseDate(v);
          return x !== undefined && numericCompare(spec.comparison, x, d);
        },
      };
    }
    case 'binary': {
      const bytes = decodeBase64(raw);
      if (bytes === undefined) return { error: `BinaryEquals expects a base-64 value, got ${JSON.stringify(raw)}` };
      return { raw, predicate: (v) => decodeBase64(v) === bytes };
    }
    case 'ip': {
      const range = parseIpRange(raw);
      if (range === undefined) return { error: `${spec.name} expects an IPv4 or IPv6 address or CIDR range, got ${JSON.stringify(raw)}` };
      return {
        raw,
        predicate: (v) => {
          const ip = parseIpCached(v);
          return ip !== undefined && ipRangeContains(range, ip);
        },
      };
    }
    case 'null': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') return { error: `Null expects "true" or "false", got ${JSON.stringify(raw)}` };
      return { raw, nullCheck: lower === 'true' };
    }
  }
}
