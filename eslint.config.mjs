// Lint rules that keep the house style (CONTRIBUTING.md section 3) automatic rather than remembered.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'simulator/dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // process.env is read only in src/config (CONTRIBUTING.md section 8).
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through src/config.' },
      ],
    },
  },
  { files: ['src/config/**', 'test/**', 'simulator/**', '**/*.spec.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['test/**', '**/*.spec.ts', 'simulator/test/**'],
    rules: { '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
);
