import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

// The core stays pure: anything that touches the outside world lives in adapters, jobs, slack, web.
const ioModules = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'dgram',
  'node:dgram',
  'os',
  'node:os',
  'worker_threads',
  'node:worker_threads',
  'cluster',
  'node:cluster',
  'process',
  'node:process',
  'better-sqlite3',
  'simple-git',
  'ws',
  'pino',
  'node-cron',
  'undici',
  'prom-client',
];
const ioPatterns = [
  '@octokit/*',
  '@slack/*',
  '@anthropic-ai/*',
  '**/adapters/**',
  '**/jobs/**',
  '**/pipelines/**',
  '**/workflows/**',
  '**/slack/**',
  '**/web/**',
  '**/sandbox/**',
  '**/main.js',
  '**/app/**',
  '**/cli.js',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'src/core is pure: do I/O in adapters/ or jobs/ and pass data in.',
          })),
          patterns: [{ group: ioPatterns, message: 'src/core is pure: depend on ports.ts, not on adapters or SDKs.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'src/core is pure: no network.' },
        { name: 'process', message: 'src/core is pure: pass env and time in.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
