// Lint rules: typescript-eslint's recommended set, plus the layering rules of the architecture.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noUi = { group: ['lit', 'lit/*', '@lit/*', 'lit-html', 'lit-element'], message: 'src/core knows no UI: keep lit in src/components.' };
const noNode = { group: ['node:*'], message: 'src/core must run in browsers too: no Node built-ins.' };
const noSipJs = { group: ['sip.js', 'sip.js/*'], message: 'sip.js lives only in src/core/phone.' };

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'node_modules/**', '.tmp/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The core runs in browsers and in Node: no UI library, no Node built-ins, no console (a Logger is passed in).
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUi, noNode, noSipJs] }], 'no-console': 'error' },
  },
  {
    // The phone layer is the one place in the SDK that may use sip.js.
    files: ['src/core/phone/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUi, noNode] }] },
  },
  {
    files: ['src/components/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSipJs] }] },
  },
);
