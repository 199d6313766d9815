import type { PolicyProblem } from '../errors';

/**
 * Turns a policy document given as an object, a JSON string or a URL-encoded
 * JSON string (as the IAM API returns documents: "URL-encoded compliant with
 * RFC 3986") into a plain object.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
 */
export type DecodeResult =
  { readonly ok: true; readonly document: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly problem: PolicyProblem };

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function decodeDocument(input: unknown): DecodeResult {
  if (isPlainObject(input)) return { ok: true, document: input };
  if (typeof input !== 'string') {
    return {
      ok: false,
      problem: { path: '$', message: `expected a policy document (an object or a JSON string), got ${describeType(input)}` },
    };
  }
  let text = input.trim();
  if (/^%7b/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { ok: false, problem: { path: '$', message: 'looks URL-encoded but is not valid URL encoding' } };
    }
  }
  if (!text.startsWith('{')) {
    return { ok: false, problem: { path: '$', message: 'expected a JSON object (a string starting with "{", or URL-encoded "%7B")' } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { path: '$', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` } };
  }
  if (!isPlainObject(parsed)) return { ok: false, problem: { path: '$', message: 'expected a JSON object' } };
  return { ok: true, document: parsed };
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

/** Appends a key to a JSON path: `$.Statement` or `$.Condition["aws:SourceIp"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
