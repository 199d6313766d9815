/** Small helpers for printing to the terminal; commands print through these so tests can capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (tables and colours), false when piped. */
  readonly isTty: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stdout.isTTY),
};

/**
 * Renders rows as an aligned text table with a header line. The last column
 * is not padded (it holds the long text: paths, conditions), and its rule
 * under the header stops at LAST_COLUMN_RULE characters, so one long cell
 * does not draw a line of hundreds of dashes.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const last = widths.length - 1;
  const rule = widths.map((w, i) => '-'.repeat(i === last ? Math.min(w, Math.max(headers[i]?.length ?? 0, LAST_COLUMN_RULE)) : w));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

const LAST_COLUMN_RULE = 60;
