import { IngestReport, jsonPath } from './report';

/**
 * Reads AWS CLI JSON strictly: a required field that is missing or of the
 * wrong type is reported as a problem with its file and JSON path (and the
 * caller skips that entity); optional fields come back as null, never "".
 */
export class JsonReader {
  constructor(
    readonly report: IngestReport,
    readonly file: string,
    readonly value: unknown,
    readonly path: string = '$',
  ) {}

  at(segment: string | number): JsonReader {
    const child = isObject(this.value)
      ? (this.value as Record<string, unknown>)[segment as string]
      : Array.isArray(this.value)
        ? (this.value as unknown[])[segment as number]
        : undefined;
    return new JsonReader(this.report, this.file, child, jsonPath(this.path, segment));
  }

  has(field: string): boolean {
    return (
      isObject(this.value) &&
      (this.value as Record<string, unknown>)[field] !== undefined &&
      (this.value as Record<string, unknown>)[field] !== null
    );
  }

  isObject(): boolean {
    return isObject(this.value);
  }

  /** Reports a problem unless this value is an object. */
  expectObject(): boolean {
    if (isObject(this.value)) return true;
    this.problem(`expected an object, got ${describe(this.value)}`);
    return false;
  }

  /** A required string field; reports and returns undefined when missing or not a non-empty string. */
  str(field: string): string | undefined {
    const v = this.at(field);
    if (typeof v.value === 'string' && v.value.length > 0) return v.value;
    v.problem(v.value === undefined ? 'required field is missing' : `expected a non-empty string, got ${describe(v.value)}`);
    return undefined;
  }

  /** An optional string field: null when absent; a problem when present with another type. */
  optStr(field: string): string | null {
    const v = this.at(field);
    if (v.value === undefined || v.value === null) return null;
    if (typeof v.value === 'string') return v.value.length > 0 ? v.value : null;
    v.problem(`expected a string, got ${describe(v.value)}`);
    return null;
  }

  optBool(field: string): boolean | null {
    const v = this.at(field);
    if (v.value === undefined || v.value === null) return null;
    if (typeof v.value === 'boolean') return v.value;
    v.problem(`expected true or false, got ${describe(v.value)}`);
    return null;
  }

  optNumber(field: string): number | null {
    const v = this.at(field);
    if (v.value === undefined || v.value === null) return null;
    if (typeof v.value === 'number' && Number.isFinite(v.value)) return v.value;
    v.problem(`expected a number, got ${describe(v.value)}`);
    return null;
  }

  /** A required array field: its elements as readers; [] (and a problem) when missing or not an array. */
  list(field: string): JsonReader[] {
    const v = this.at(field);
    if (Array.isArray(v.value)) return v.value.map((_, i) => v.at(i));
    v.problem(v.value === undefined ? 'required list is missing' : `expected a list, got ${describe(v.value)}`);
    return [];
  }

  /** An optional array field: [] when absent. */
  optList(field: string): JsonReader[] {
    const v = this.at(field);
    if (v.value === undefined || v.value === null) return [];
    if (Array.isArray(v.value)) return v.value.map((_, i) => v.at(i));
    v.problem(`expected a list, got ${describe(v.value)}`);
    return [];
  }

  problem(message: string): void {
    this.report.problem(this.file, this.path, message);
  }

  warn(message: string): void {
    this.report.warn(this.file, this.path, message);
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  // Escaped (JSON.stringify), so control characters in the input cannot reach a terminal raw.
  if (typeof value === 'string')
    return value.length > 40 ? `the string ${JSON.stringify(value.slice(0, 40))}…` : `the string ${JSON.stringify(value)}`;
  return `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`}`;
}

/**
 * The `Resource` values of every statement of a policy document, as readers
 * (so problems name their JSON path). `Statement` and `Resource` may each be
 * a single value or a list, as IAM allows.
 */
export function statementResources(document: JsonReader): JsonReader[] {
  const asList = (r: JsonReader) => (Array.isArray(r.value) ? r.value.map((_, i) => r.at(i)) : [r]);
  return asList(document.at('Statement')).flatMap((statement) => asList(statement.at('Resource')));
}
