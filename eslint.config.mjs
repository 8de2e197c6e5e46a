// Lint rules: typescript-eslint's recommended set, plus the layering rules of the architecture.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'node_modules/**', '.tmp/**'] },
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
    // The core runs in browsers and in Node: no UI library, no Node built-ins, and sip.js only in phone/.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/phone/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*', 'lit-html', 'lit-element'], message: 'src/core knows no UI: keep lit in src/components.' },
            { group: ['node:*'], message: 'src/core must run in browsers too: no Node built-ins.' },
            { group: ['sip.js', 'sip.js/*'], message: 'sip.js lives only in src/core/phone.' },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/core/phone/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*', 'lit-html', 'lit-element'], message: 'src/core knows no UI: keep lit in src/components.' },
            { group: ['node:*'], message: 'src/core must run in browsers too: no Node built-ins.' },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/components/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['sip.js', 'sip.js/*'], message: 'sip.js lives only in src/core/phone.' }] },
      ],
    },
  },
);
