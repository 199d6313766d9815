/**
 * What an ingest found wrong (problems: nothing is written) or worth telling
 * (warnings: loaded anyway). Every entry names the file, relative to the
 * snapshot directory, and the JSON path inside it.
 */
export interface IngestIssue {
  file: string;
  /** JSON path such as `$.UserDetailList[3].UserPolicyList[0].PolicyDocument.Statement[1].Effect`; `$` for the whole file. */
  path: string;
  message: string;
}

export class IngestReport {
  readonly problems: IngestIssue[] = [];
  readonly warnings: IngestIssue[] = [];

  problem(file: string, path: string, message: string): void {
    this.problems.push({ file, path, message });
  }

  warn(file: string, path: string, message: string): void {
    this.warnings.push({ file, path, message });
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }
}

/** `base` + a property name or array index, in JSONPath notation. */
export function jsonPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment) ? `${base}.${segment}` : `${base}[${JSON.stringify(segment)}]`;
}

/** How many problems or warnings whocan prints at most; the rest are counted. */
export const MAX_ISSUES_SHOWN = 100;
/** The longest line one issue prints as (a hostile input can make a path or an ARN megabytes long). */
const MAX_ISSUE_CHARS = 2_000;

export function formatIssue(issue: IngestIssue): string {
  const line = `${issue.file}: ${issue.path}: ${issue.message}`;
  return line.length > MAX_ISSUE_CHARS ? `${line.slice(0, MAX_ISSUE_CHARS)}… (${line.length - MAX_ISSUE_CHARS} more characters)` : line;
}
