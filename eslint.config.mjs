import tseslint from 'typescript-eslint';

const vscodeFree = {
  patterns: [
    { group: ['**/host/**', '**/webview/**', '**/webview-ui/**'], message: 'The engine must not depend on the UI layers.' },
    { group: ['**/backends/**'], message: 'Backends build on the engine, not the other way round.' },
  ],
  paths: [{ name: 'vscode', message: 'src/core and src/shared must run without VS Code (plain mocha, CLI).' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-results/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports.' }],
    },
  },
  { files: ['src/core/**/*.ts', 'src/shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', vscodeFree] } },
  {
    files: ['src/webview-ui/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview UI runs in a browser.' }],
          patterns: [
            {
              regex: '^\\.\\./(?!shared/)',
              message: 'src/webview-ui may import only src/shared.',
            },
            { group: ['node:*', 'vscode'], message: 'The webview UI runs in a browser.' },
          ],
        },
      ],
    },
  },
  { files: ['**/*.cjs', '**/*.mjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
