// Precompiles rules/sast/**/*.yml into rules/sast/rules.json, which the SAST engine loads when its hash matches the
// YAML (so hooks skip YAML parsing). Run after editing a rule: `npm run build && node scripts/build-sast-rules.mjs`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BUNDLE_FILE,
  WORDS_FILE,
  buildRuleBundle,
  buildRuleWords,
  bundledRulesDir,
  loadRules,
} from '../dist/scan/sast/rules.js';
import { compileRules } from '../dist/scan/sast/engine.js';

const dir = bundledRulesDir();
const text = await buildRuleBundle(dir);
// Compiling from YAML checks every rule with ast-grep before the bundle is written.
compileRules(await loadRules(dir));
await writeFile(path.join(dir, BUNDLE_FILE), text);
await writeFile(path.join(dir, WORDS_FILE), buildRuleWords(text));
console.log(`wrote ${path.join(dir, BUNDLE_FILE)} (${JSON.parse(text).rules.length} rules)`);
