// Builds the web console (console/) into dist/console/: the TypeScript
// sources bundled with Cytoscape.js into one script by esbuild, the style
// sheet, and the HTML shell. Every asset the console needs is here; the
// server serves them, nothing comes from a CDN. Type checking is done
// before this by `tsc -p console/tsconfig.json` (esbuild does not check types).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'console');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: path.join(root, 'console', 'src', 'main.ts') },
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'iife',
  target: ['es2022'],
  platform: 'browser',
  outdir: out,
  legalComments: 'linked',
  logLevel: 'warning',
});
await build({ entryPoints: [path.join(root, 'console', 'app.css')], bundle: true, minify: true, outdir: out, logLevel: 'warning' });
copyFileSync(path.join(root, 'console', 'index.html'), path.join(out, 'index.html'));
