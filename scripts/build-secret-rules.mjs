// Writes rules/secrets.json: every built-in secret rule in its final compiled form (regex, keywords, entropy), for
// review. Not part of `npm run build`: test/scan/rules-data.test.ts fails when the committed file differs from what
// this writes, so a rule change shows its regex diff in review. Run `npm run build && npm run rules:secrets`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_RULES } from '../dist/scan/secrets/rules/index.js';
import { secretRulesJson } from '../dist/scan/secrets/rules-data.js';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'rules', 'secrets.json');
await writeFile(target, secretRulesJson(BUILTIN_RULES));
console.log(`wrote ${target} (${BUILTIN_RULES.length} rules)`);
