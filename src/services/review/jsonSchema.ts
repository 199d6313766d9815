/**
 * A small JSON Schema (draft 2020-12) validator for the rules file schema
 * (schema/rules.schema.json). It implements the keywords that schema uses
 * and refuses any other keyword when it loads a schema, so the shipped
 * schema can never rely on something this validator silently ignores.
 *
 * Why not a general validator such as ajv: no new dependency for one
 * schema, and problems come out in the words a person fixing a YAML file
 * needs ("unknown key "stge" (did you mean stage?)", "expected exactly one
 * of invoke, manage, assume") with the exact place, instead of one error per
 * failed `oneOf` branch.
 *
 * https://json-schema.org/draft/2020-12/json-schema-validation
 */
export type JsonSchema = { [keyword: string]: unknown };

export type JsonPath = (string | number)[];

export interface SchemaProblem {
  path: JsonPath;
  message: string;
  /** Where the problem shows in the file: the value, its key (unknown keys), or the mapping holding it (missing keys). */
  at: 'value' | 'key' | 'parent';
}

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', '$comment', 'title', 'description', 'default', 'examples']);
const ASSERTIONS = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'enum',
  'const',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  'items',
  'minItems',
  'uniqueItems',
  'oneOf',
]);

/** Refuses a schema that uses a keyword this validator does not implement (a programmer error). */
export function checkSupportedKeywords(schema: unknown, where = '#'): void {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => checkSupportedKeywords(s, `${where}/${i}`));
    return;
  }
  if (!isObject(schema)) return;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword))
      throw new Error(`JSON Schema keyword ${keyword} at ${where} is not supported by src/services/review/jsonSchema.ts`);
    if (keyword === '$defs' || keyword === 'properties') {
      for (const [name, sub] of Object.entries(value as object)) checkSupportedKeywords(sub, `${where}/${keyword}/${name}`);
    } else if (keyword === 'items' || keyword === 'additionalProperties' || keyword === 'propertyNames' || keyword === 'oneOf') {
      checkSupportedKeywords(value, `${where}/${keyword}`);
    }
  }
}

/** Every problem of `value` against `schema` (`root` resolves `$ref`s such as `#/$defs/rule`). */
export function validateJson(value: unknown, schema: JsonSchema, root: JsonSchema = schema): SchemaProblem[] {
  return new Validator(root).check(value, schema, []);
}

class Validator {
  constructor(private readonly root: JsonSchema) {}

  private resolve(ref: string): JsonSchema {
    const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const target = m ? (this.root['$defs'] as Record<string, JsonSchema> | undefined)?.[m[1]!] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  }

  check(value: unknown, schema: JsonSchema, path: JsonPath): SchemaProblem[] {
    if (typeof schema['$ref'] === 'string') {
      const { $ref, ...siblings } = schema;
      const target = this.resolve($ref);
      // The referencing schema's own description wins (it is worded for the place that uses it).
      return this.check(value, { ...target, ...siblings }, path);
    }
    const problems: SchemaProblem[] = [];
    const expected = typeof schema['description'] === 'string' ? schema['description'] : undefined;

    if (schema['type'] !== undefined) {
      const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : [schema['type'] as string];
      if (!types.some((t) => hasType(value, t))) {
        const hint = typeof value === 'number' && types.includes('string') ? ' (put it in quotes)' : '';
        // A value's description says what it must look like; a mapping or a list is best named as such.
        const scalar = types.every((t) => t !== 'object' && t !== 'array');
        return [
          {
            path,
            at: 'value',
            message: `expected ${(scalar ? expected : undefined) ?? types.map(typeName).join(' or ')}, got ${describe(value)}${hint}`,
          },
        ];
      }
    }
    if ('const' in schema && !sameJson(value, schema['const'])) {
      return [
        {
          path,
          at: 'value',
          message: `expected ${JSON.stringify(schema['const'])}${expected ? ` (${expected})` : ''}, got ${describe(value)}`,
        },
      ];
    }
    if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).some((v) => sameJson(v, value))) {
      return [
        {
          path,
          at: 'value',
          message: `expected one of ${(schema['enum'] as unknown[]).map((v) => String(v)).join(', ')}, got ${describe(value)}`,
        },
      ];
    }
    if (Array.isArray(schema['oneOf'])) {
      const problem = this.oneOf(value, schema['oneOf'] as JsonSchema[], path, expected);
      if (problem.length > 0) return problem;
    }

    if (typeof value === 'string') {
      if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) {
        problems.push({
          path,
          at: 'value',
          message: `expected ${expected ?? `at least ${schema['minLength']} character(s)`}, got an empty text`,
        });
      } else if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) {
        problems.push({
          path,
          at: 'value',
          message: `expected ${expected ?? `text matching ${schema['pattern']}`}, got ${describe(value)}`,
        });
      }
    }
    if (typeof value === 'number') {
      const min = schema['minimum'];
      const max = schema['maximum'];
      if ((typeof min === 'number' && value < min) || (typeof max === 'number' && value > max)) {
        problems.push({
          path,
          at: 'value',
          message: `expected ${expected ?? `a number from ${typeof min === 'number' ? min : '-∞'} to ${typeof max === 'number' ? max : '∞'}`}, got ${value}`,
        });
      }
    }
    if (Array.isArray(value)) {
      if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) {
        problems.push({
          path,
          at: 'value',
          message: `expected ${expected ?? 'a list'} with at least ${schema['minItems']} item(s), got ${value.length === 0 ? 'an empty list' : `${value.length}`}`,
        });
      }
      if (isObject(schema['items']))
        value.forEach((item, i) => problems.push(...this.check(item, schema['items'] as JsonSchema, [...path, i])));
      if (schema['uniqueItems'] === true) {
        const seen = new Set<string>();
        value.forEach((item, i) => {
          const key = JSON.stringify(item);
          if (seen.has(key)) problems.push({ path: [...path, i], at: 'value', message: `${describe(item)} is listed twice` });
          seen.add(key);
        });
      }
    }
    if (isObject(value)) problems.push(...this.object(value, schema, path, expected));
    return problems;
  }

  private object(value: Record<string, unknown>, schema: JsonSchema, path: JsonPath, expected: string | undefined): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    const keys = Object.keys(value);
    for (const key of (schema['required'] ?? []) as string[]) {
      if (key in value) continue;
      const sub = isObject(properties[key]) ? this.effective(properties[key]) : undefined;
      problems.push({
        path,
        at: 'parent',
        message: `missing ${key}${typeof sub?.['description'] === 'string' ? ` (${sub['description']})` : ''}`,
      });
    }
    const min = schema['minProperties'];
    const max = schema['maxProperties'];
    if (
      typeof min === 'number' &&
      typeof max === 'number' &&
      min === 1 &&
      max === 1 &&
      keys.length !== 1 &&
      Object.keys(properties).length > 0
    ) {
      problems.push({
        path,
        at: keys.length === 0 ? 'value' : 'parent',
        message: `expected exactly one of ${Object.keys(properties).join(', ')}${keys.length === 0 ? ', got an empty mapping' : `, got ${keys.length}: ${keys.join(', ')}`}`,
      });
    } else {
      if (typeof min === 'number' && keys.length < min)
        problems.push({
          path,
          at: 'value',
          message: `expected ${expected ?? `at least ${min} key(s)`}, got ${keys.length === 0 ? 'an empty mapping' : `${keys.length} key(s)`}`,
        });
      if (typeof max === 'number' && keys.length > max)
        problems.push({ path, at: 'parent', message: `expected at most ${max} key(s), got ${keys.length}: ${keys.join(', ')}` });
    }
    for (const key of keys) {
      if (isObject(schema['propertyNames'])) {
        const nameProblems = this.check(key, schema['propertyNames'], [...path, key]);
        for (const p of nameProblems) problems.push({ ...p, at: 'key', message: p.message.replace(/^expected /, 'key: expected ') });
      }
      const sub = properties[key];
      if (sub !== undefined) {
        problems.push(...this.check(value[key], sub, [...path, key]));
      } else if (schema['additionalProperties'] === false) {
        const known = Object.keys(properties);
        const guess = closest(key, known);
        problems.push({
          path: [...path, key],
          at: 'key',
          message: `unknown key ${JSON.stringify(key)}${guess ? ` (did you mean ${guess}?)` : ''}: expected ${known.join(', ')}`,
        });
      } else if (isObject(schema['additionalProperties'])) {
        problems.push(...this.check(value[key], schema['additionalProperties'], [...path, key]));
      }
    }
    return problems;
  }

  /**
   * Exactly one branch must hold. Branches that only require a key read as
   * "exactly one of these keys"; otherwise the branch meant for the value's
   * kind (text, list, mapping) explains what is wrong with it.
   */
  private oneOf(value: unknown, branches: JsonSchema[], path: JsonPath, expected: string | undefined): SchemaProblem[] {
    const results = branches.map((b) => this.check(value, b, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 1) return [];
    const requiredOnly = branches.every(
      (b) => Object.keys(b).length === 1 && Array.isArray(b['required']) && (b['required'] as unknown[]).length === 1,
    );
    if (requiredOnly) {
      const names = branches.map((b) => (b['required'] as string[])[0]!);
      const present = isObject(value) ? names.filter((n) => n in value) : [];
      return [
        {
          path,
          at: 'parent',
          message: `expected exactly one of ${names.join(', ')}${present.length > 1 ? `, got ${present.join(' and ')}` : ''}`,
        },
      ];
    }
    if (passing > 1)
      return [
        {
          path,
          at: 'value',
          message: `${describe(value)} is ambiguous: it reads as ${branches
            .filter((_, i) => results[i]!.length === 0)
            .map(title)
            .join(' and as ')}`,
        },
      ];
    // The branches whose type fits the value; when exactly one does, its own problems say what is wrong.
    const fitting = branches.map((b, i) => ({ b, problems: results[i]! })).filter(({ b }) => typeFits(this.effective(b), value));
    if (fitting.length === 1) return fitting[0]!.problems;
    return [
      {
        path,
        at: 'value',
        message: `expected ${expected ?? branches.map(title).join(', or ')}${expected ? ` (${branches.map(title).join(', or ')})` : ''}, got ${describe(value)}`,
      },
    ];
  }

  /** A schema with its `$ref` resolved (its own keywords win). */
  private effective(schema: JsonSchema): JsonSchema {
    return typeof schema['$ref'] === 'string' ? { ...this.resolve(schema['$ref']), ...schema } : schema;
  }
}

function title(schema: JsonSchema): string {
  return typeof schema['title'] === 'string'
    ? schema['title']
    : typeof schema['description'] === 'string'
      ? schema['description']
      : 'a value';
}

function typeFits(schema: JsonSchema, value: unknown): boolean {
  if ('const' in schema) return typeof schema['const'] === typeof value;
  if (schema['type'] === undefined) return true;
  const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : [schema['type'] as string];
  return types.some((t) => hasType(value, t));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      throw new Error(`unknown JSON Schema type ${type}`);
  }
}

function typeName(type: string): string {
  return (
    {
      object: 'a mapping',
      array: 'a list',
      string: 'a text',
      integer: 'a whole number',
      number: 'a number',
      boolean: 'true or false',
      null: 'nothing',
    }[type] ?? type
  );
}

/** A value as a person would name it in a message. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return value.length > 80 ? `${JSON.stringify(value.slice(0, 77))}…` : JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  return 'a mapping';
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The known name nearest to a misspelt one (edit distance at most 2), if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
