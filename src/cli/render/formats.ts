/**
 * Escaping for the machine formats of reports (`--format csv|markdown|junit`).
 */

/** Output formats of `review` and `diff`. */
export const REPORT_FORMATS = ['table', 'json', 'csv', 'markdown', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * One CSV record (RFC 4180): fields with a comma, quote or line break are
 * quoted, quotes doubled. A field that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) gets a leading
 * apostrophe (OWASP, "CSV Injection").
 */
export function csvRecord(fields: readonly (string | number | null | undefined)[]): string {
  return fields
    .map((field) => {
      let text = field === null || field === undefined ? '' : String(field);
      if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

export function csvDocument(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [csvRecord(header), ...rows.map(csvRecord)].join('\r\n') + '\r\n';
}

/** Text for a Markdown table cell (GitHub Flavored Markdown): no markup, no HTML, no line breaks that end the row. */
export function mdCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([*_`[\]~#])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

/** Text for Markdown outside tables (the same escaping; line breaks kept). */
export function mdText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => mdCell(line))
    .join('\n');
}

export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks, unpaired surrogates, U+FFFE/U+FFFF). */
const XML_INVALID =
  // eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids are what this class must name
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text or attribute value for XML: the five predefined entities, invalid characters replaced by U+FFFD. */
export function xmlEscape(text: string): string {
  return text
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An XML start tag with attributes (values escaped; undefined ones left out). */
export function xmlTag(name: string, attributes: Record<string, string | number | undefined>, selfClosing = false): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
  return `<${name}${attrs}${selfClosing ? '/>' : '>'}`;
}

/** Seconds with millisecond precision, as JUnit's `time` attribute. */
export function junitSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
