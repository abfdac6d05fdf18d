// `npm run lint`: typescript-eslint's type-aware rules (floating and misused promises, unsafe any, awaits of
// non-promises) over the TypeScript, the recommended rules over the JavaScript. File-level import cycles and
// upward imports are held by test/package/layers.test.ts; dead exports by scripts/dead-exports.mjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node's globals that our scripts, benches and bin use (the plain .mjs files are not typechecked). */
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'performance',
    'URL',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setImmediate',
    'structuredClone',
  ].map((g) => [g, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.bench-cache/',
      'coverage/',
      '**/fixtures/',
      'templates/',
      'rules/',
      'data/',
      'schema/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests read parsed JSON, YAML and SARIF documents by path: `any` there is the input of an assertion.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: nodeGlobals },
  },
  {
    // CommonJS scripts (bin/hook.cjs): require, module and __dirname are theirs.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
  },
);
