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

export function formatIssue(issue: IngestIssue): string {
  return `${issue.file}: ${issue.path}: ${issue.message}`;
}
