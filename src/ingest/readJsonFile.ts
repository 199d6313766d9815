import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { IngestReport } from './report';
import type { JsonFile } from './transformContext';

/**
 * Reads one JSON file of a snapshot directory defensively: the input may be
 * shaped by anyone who can write IAM policies in an audited account, or by
 * whoever put files in the directory. Each failure is one problem naming the
 * file (and the line, column or byte offset where known), and never quotes
 * the file's bytes: a link to /etc/passwd must not end up in a terminal or a
 * CI log.
 *
 * - the file must be a regular file inside the snapshot directory (links are
 *   checked by discovery; checked again here, just before the read);
 * - at most MAX_FILE_BYTES (a JSON text must fit one JavaScript string);
 * - valid UTF-8, as the AWS CLI writes (no silent U+FFFD replacement);
 * - valid JSON, nested at most MAX_DEPTH levels (AWS CLI output nests about
 *   a dozen; deeper input would exhaust the stack of every recursive step
 *   that follows).
 */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
export const MAX_DEPTH = 100;

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readJsonFile(root: string, rel: string, report: IngestReport): JsonFile | undefined {
  const problem = (message: string) => {
    report.problem(rel, '$', message);
    return undefined;
  };
  let bytes: Buffer;
  try {
    const real = realpathSync(path.join(root, rel));
    const realRoot = realpathSync(root);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep))
      return problem('leads outside the snapshot directory (a symbolic link): not read');
    // O_NONBLOCK: a file swapped for a FIFO after discovery must not block the open (it is refused just below).
    const fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return problem('is not a regular file: not read');
      if (stat.size > MAX_FILE_BYTES) {
        return problem(
          `is ${mib(stat.size)} MiB, more than the ${mib(MAX_FILE_BYTES)} MiB one file may have: split the AWS CLI output into pages (authorization-details-1.json, -2.json, …)`,
        );
      }
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return problem(`cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`);
  }
  if (!isUtf8(bytes)) {
    return problem(
      `is not valid UTF-8 (first invalid byte at offset ${firstInvalidUtf8Byte(bytes)}): expected the AWS CLI's UTF-8 output (a file saved as UTF-16, e.g. by PowerShell's >, must be converted)`,
    );
  }
  const text = decoder.decode(bytes);
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    return problem(
      `is not valid JSON (${describeJsonError(error instanceof Error ? error.message : String(error), text)}): expected the output of the AWS CLI with --output json`,
    );
  }
  if (depthExceeds(data, MAX_DEPTH)) return problem(`is nested more than ${MAX_DEPTH} levels deep: AWS CLI output nests far less; refused`);
  return { file: rel, data };
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 1 : 0);
}

/**
 * The offset where the first invalid UTF-8 sequence starts. A strict
 * streaming decoder fails at the first byte that cannot continue the text
 * (binary search for the shortest failing prefix); the sequence it belongs
 * to starts at the last offset before it where the text is complete.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const decodes = (length: number, stream: boolean) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let detected = bytes.length; // only a sequence cut short by the end of the file
  if (!decodes(bytes.length, true)) {
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (decodes(mid + 1, true)) low = mid + 1;
      else high = mid;
    }
    detected = low;
  }
  for (let start = detected; start > Math.max(0, detected - 4); start--) if (decodes(start, false)) return start;
  return Math.max(0, detected - 3);
}

/**
 * V8's JSON.parse message without the excerpt of the input it quotes, plus
 * the line and column when V8 gives a position. At most one character of the
 * input is shown, escaped when it is not printable ASCII.
 */
export function describeJsonError(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  let what = message
    .replace(/,\s*".*$/s, '')
    .replace(/\s+(in JSON\s+)?at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '');
  const token = /^Unexpected token '(.+)'$/su.exec(what);
  if (token?.[1] !== undefined) what = `unexpected character ${showCharacter(token[1])}`;
  else what = what.charAt(0).toLowerCase() + what.slice(1);
  if (what.length > 80) what = 'malformed';
  if (!position?.[1]) return what;
  const offset = Math.min(Number(position[1]), text.length);
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const column = offset - before.lastIndexOf('\n');
  return `${what} at line ${line}, column ${column}`;
}

function showCharacter(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code >= 0x21 && code <= 0x7e && [...c].length === 1 ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** True when `value` nests more than `max` objects or lists deep (iterative: deep input cannot overflow the stack here). */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
