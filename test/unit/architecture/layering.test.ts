import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../../src/config/paths';

/**
 * Imports point one way: the policy engine depends on nothing; ingest and
 * analysis depend on the engine and the model; the API and the CLI depend on
 * services; only the entry points (main.ts, cli/, bootstrap/) wire
 * everything. src/layers.json lists, for each folder of src/, the folders it
 * may import from; ESLint checks the same file (eslint.config.mjs), and this
 * test keeps the rule in `npm test` whatever the lint setup.
 */
interface Layers {
  entryPoints: string[];
  pure: string[];
  layers: Record<string, string[]>;
}
const LAYERS = JSON.parse(readFileSync(path.join(packageRoot(), 'src', 'layers.json'), 'utf8')) as Layers;
const ALLOWED: Record<string, readonly string[]> = LAYERS.layers;
const ENTRY_POINTS = new Set(LAYERS.entryPoints);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

describe('architecture', () => {
  it('src/ imports point one way (policy engine depends on nothing)', () => {
    const src = path.join(packageRoot(), 'src');
    const violations: string[] = [];
    for (const file of sourceFiles(src)) {
      const rel = path.relative(src, file);
      const folder = rel.split(path.sep)[0] ?? '';
      if (ENTRY_POINTS.has(rel)) continue;
      const allowed = ALLOWED[folder];
      if (!allowed) {
        violations.push(`${rel}: folder src/${folder} has no layering rule in src/layers.json`);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)) {
        const target = path.relative(src, path.resolve(path.dirname(file), match[1] ?? ''));
        const targetFolder = target.split(path.sep)[0] ?? '';
        if (targetFolder === folder || target.startsWith('..')) continue;
        if (!allowed.includes(targetFolder))
          violations.push(`${rel} imports src/${target}: src/${folder} may import only ${allowed.join(', ') || 'nothing outside itself'}`);
      }
      if (LAYERS.pure.includes(folder)) {
        for (const match of text.matchAll(/(?:from|import)\s+'([^.'][^']*)'/g))
          violations.push(`${rel} imports package ${match[1]}: the policy engine is pure`);
      }
    }
    assert.deepEqual(violations, []);
  });
});
