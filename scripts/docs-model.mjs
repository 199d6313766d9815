// Writes the tables of docs/graph-model.md from the node declarations (src/model/schema); run by `npm run docs:model` after a build.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { renderGraphModelDocs } = require('../dist/src/model/schema/markdown.js');
const page = new URL('../docs/graph-model.md', import.meta.url);
const before = readFileSync(page, 'utf8');
const after = renderGraphModelDocs(before);
if (after !== before) writeFileSync(page, after);
console.log(after === before ? 'docs/graph-model.md is up to date' : 'docs/graph-model.md: tables rewritten');
