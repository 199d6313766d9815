#!/usr/bin/env node
'use strict';
// The `whocan` executable. The TypeScript sources are compiled to dist/ by
// `npm install` (the prepare script) and by `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('whocan is not built yet: run `npm install` (or `npm run build`) in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(entry).main(process.argv).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(String(error && error.stack || error) + '\n'); process.exitCode = 70; },
);
