import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'certs/**', 'out/**', 'coverage/**', 'src/ocpp/generated/**'] },
  js.configs.recommended,
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Read time through the injected Clock (src/clock/).' },
      ],
    },
  },
  {
    files: ['src/clock/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/chargepoint/**', 'src/smartcharging/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ws', 'fs', 'net', 'node:fs', 'node:net', 'tls', 'node:tls', 'fs/promises', 'node:fs/promises'] }],
    },
  },
);
