// Lint rules that keep the house style (CONTRIBUTING.md section 3) automatic rather than remembered.
import tseslint from 'typescript-eslint';

// Layers point down (CONTRIBUTING.md section 2): src/config is the bottom and imports nothing
// else in src; src/common may import config; src/modules may import common and config; only the
// root files (main, primary, bootstrap, app.module, doctor) see everything. Relative imports are
// matched by path segment, so every spelling of the same folder is caught.
const ROOT_FILES = { regex: '^(\\.\\./)+(app\\.module|bootstrap|main|primary|doctor)$', message: 'Nothing in src/config, src/common or src/modules imports the root files (CONTRIBUTING.md section 2).' };
const NO_MODULES = { regex: '^\\.\\.?/(.*/)?modules(/|$)', message: 'src/common and src/config import nothing from src/modules (CONTRIBUTING.md section 2): put the piece both need in src/common, or pass it in behind an interface.' };
const NO_COMMON = { regex: '^\\.\\.?/(.*/)?common(/|$)', message: 'src/config imports nothing from src/common (CONTRIBUTING.md section 2): a table both need lives in src/config.' };
const layers = (...patterns) => ({ rules: { 'no-restricted-imports': ['error', { patterns }] } });

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
  { files: ['src/config/**/*.ts'], ...layers(NO_COMMON, NO_MODULES, ROOT_FILES) },
  { files: ['src/common/**/*.ts'], ...layers(NO_MODULES, ROOT_FILES) },
  { files: ['src/modules/**/*.ts'], ...layers(ROOT_FILES) },
  {
    files: ['test/**', '**/*.spec.ts', 'simulator/test/**'],
    rules: { '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
);
