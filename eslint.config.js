// Lint: the recommended rules of ESLint and typescript-eslint (no type information: fast enough to
// run in every `npm test`), plus the import boundaries of docs/ARCHITECTURE.md: a plugin reaches
// the core only through core/index.ts and another plugin only through that plugin's api.ts.
import {readdirSync} from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const plugins = readdirSync(new URL('./plugins', import.meta.url), {withFileTypes: true})
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const boundaries = (own) => ({
  files: [`plugins/${own}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '(^|/)core/(?!index\\.js$)[^/]+$',
            message: 'a plugin imports the core only through core/index.js',
          },
          {
            regex: `(^|/)(${plugins.filter((p) => p !== own).join('|')})/(?!api\\.js$)`,
            message: 'another plugin is reached only through its api.js (its exported tokens, types and helpers)',
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'test/harnesses/node_modules/',
      'test/harnesses/.run/',
      'test/fixtures/',
      'bench/results/',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        globalThis: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
    },
  },
  ...plugins.map(boundaries),
);
