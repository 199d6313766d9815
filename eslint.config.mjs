// ESLint (flat config): typescript-eslint's type-aware rules, import cycles,
// and the layering of src/ (imports point one way; src/layers.json).
// Formatting is Prettier's (.prettierrc.json); eslint-config-prettier turns
// off the rules that would fight it. `npm run lint` runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { readFileSync } from 'node:fs';

const { layers: LAYERS, pure: PURE } = JSON.parse(readFileSync(new URL('./src/layers.json', import.meta.url), 'utf8'));

/** One zone per folder of src/: it may not import a sibling folder it is not allowed to. */
const folders = Object.keys(LAYERS);
const layeringZones = folders.flatMap((folder) => {
  const forbidden = folders.filter((other) => other !== folder && !LAYERS[folder].includes(other));
  return forbidden.length === 0
    ? []
    : [
        {
          target: `./src/${folder}`,
          from: forbidden.map((other) => `./src/${other}`),
          message: `src/${folder} may import only ${LAYERS[folder].join(', ') || 'nothing outside itself'}.`,
        },
      ];
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'tools/**',
      'test-artifacts/**',
      '.whocan/**',
      'console/dist/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layeringZones }],
      // node:test's describe/it return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      // `async` is how a function says it returns a promise (Apollo's plugin hooks, command actions);
      // a forgotten await is what no-floating-promises and no-misused-promises catch.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks what is left out on purpose (rest siblings, unused parameters of an interface).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The policy engine is pure: no package, not even Node's.
    files: PURE.map((folder) => `src/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^[^.]', message: 'The policy engine depends on nothing: import only its own files.' }] },
      ],
    },
  },
  prettier,
);
