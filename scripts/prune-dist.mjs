// Removes compiled files in dist/ whose TypeScript source is gone (moved or deleted), before tsc
// compiles incrementally: a stale dist/src/x.js would otherwise shadow a new x/index.ts that replaced
// x.ts (Node resolves require('./x') to the file first), and tests would run the old code.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
let removed = 0;
for (const top of ['src', 'test', 'bench']) {
  const dir = path.join(dist, top);
  if (!existsSync(dir)) continue;
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const match = /^(.*)\.js(\.map)?$/.exec(rel);
    if (!match) continue;
    const source = path.join(root, top, `${match[1]}.ts`);
    if (!existsSync(source)) {
      rmSync(path.join(dir, rel), { force: true });
      removed++;
    }
  }
}
if (removed > 0) process.stderr.write(`prune-dist: removed ${removed} compiled files whose source is gone\n`);
