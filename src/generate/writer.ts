/** Writes the generated files: one JSON document per file, printed the way the AWS CLI prints JSON (4-space indent). */
import fs from 'node:fs';
import path from 'node:path';

export class OutputWriter {
  private readonly madeDirs = new Set<string>();
  files = 0;
  bytes = 0;

  constructor(readonly root: string) {}

  /** Writes `value` to root/rel as indented JSON and returns the number of bytes written. */
  writeJson(rel: string, value: unknown): number {
    const text = `${JSON.stringify(value, null, 4)}\n`;
    const file = path.join(this.root, rel);
    const dir = path.dirname(file);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    fs.writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    this.files += 1;
    this.bytes += size;
    return size;
  }
}

/** True when dir exists and holds at least one entry. */
export function isNonEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}
