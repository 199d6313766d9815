import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../../src/config/paths';

/**
 * The web console never turns data into markup: its sources (console/src)
 * and the bundle built from them with Cytoscape.js (dist/console/app.js)
 * use no HTML-parsing DOM API and no eval. Policy text, ARNs and error
 * messages reach the page only as text nodes (console/src/dom.ts).
 */
const FORBIDDEN: [RegExp, string][] = [
  [/\binnerHTML\b/, 'innerHTML'],
  [/\bouterHTML\b/, 'outerHTML'],
  [/\binsertAdjacentHTML\b/, 'insertAdjacentHTML'],
  [/\bdocument\.write(ln)?\b/, 'document.write'],
  [/\bcreateContextualFragment\b/, 'createContextualFragment'],
  [/\bDOMParser\b/, 'DOMParser'],
  [/\bsrcdoc\b/, 'srcdoc'],
  [/\beval\s*\(/, 'eval'],
  [/\bnew\s+Function\s*\(/, 'new Function'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

function offences(text: string): string[] {
  return FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, name]) => name);
}

describe('the web console builds the page with DOM APIs only', () => {
  const root = packageRoot();

  it('no console source uses an HTML-parsing API or eval (the check itself finds them)', () => {
    assert.deepEqual(offences('el.innerHTML = x; document.write(y); eval(z)'), ['innerHTML', 'document.write', 'eval']);
    const files = sources(path.join(root, 'console', 'src'));
    assert.ok(files.length >= 5, 'console/src holds the console');
    for (const file of files) assert.deepEqual(offences(readFileSync(file, 'utf8')), [], path.relative(root, file));
  });

  it('neither does the built bundle, libraries included (npm run build builds it)', () => {
    const bundle = path.join(root, 'dist', 'console', 'app.js');
    assert.ok(existsSync(bundle), 'dist/console/app.js is built by npm run build');
    const text = readFileSync(bundle, 'utf8');
    assert.ok(text.includes('cytoscape') || text.length > 100_000, 'the bundle includes Cytoscape.js');
    assert.deepEqual(offences(text), []);
  });

  it('the HTML shell has no inline script or style', () => {
    const html = readFileSync(path.join(root, 'console', 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i);
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i);
  });
});
