// The JS/TS peer in the SAST bench, run as its own process so its whole-process time is comparable to ours:
// eslint with eslint-plugin-security (recommended), @microsoft/eslint-plugin-sdl (recommended) and
// eslint-plugin-no-unsanitized (recommended), TypeScript through typescript-eslint's parser.
// Usage: node bench/sast/eslint-peer.mjs DIR FILE... → JSON [{ file, line, rule }] on stdout.
import path from 'node:path';
import { ESLint } from 'eslint';
import security from 'eslint-plugin-security';
import sdl from '@microsoft/eslint-plugin-sdl';
import noUnsanitized from 'eslint-plugin-no-unsanitized';
import tseslint from 'typescript-eslint';

const [dir, ...files] = process.argv.slice(2);
const ts = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const eslint = new ESLint({
  cwd: dir,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.js', '**/*.cjs', '**/*.mjs', '**/*.jsx', ...ts] },
    {
      languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    { files: ts, languageOptions: { parser: tseslint.parser } },
    ...sdl.configs.recommended,
    // The SDL config registers its own (older) copy as "security"; the current plugin runs under another name.
    {
      plugins: { 'security-latest': security },
      rules: Object.fromEntries(
        Object.entries(security.configs.recommended.rules).map(([k, v]) => [
          k.replace(/^security\//, 'security-latest/'),
          v,
        ]),
      ),
    },
    noUnsanitized.configs.recommended,
    // Rules that need type information cannot run without a tsconfig project for these loose files.
    { rules: { '@typescript-eslint/no-implied-eval': 'off' } },
    { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  ],
});
const results = await eslint.lintFiles(files);
const out = [];
let fatal = 0;
for (const r of results) {
  for (const m of r.messages) {
    if (m.fatal) fatal++;
    else if (m.ruleId)
      out.push({ file: path.relative(dir, r.filePath).split(path.sep).join('/'), line: m.line, rule: m.ruleId });
  }
}
process.stdout.write(JSON.stringify({ findings: out, fatal }));
