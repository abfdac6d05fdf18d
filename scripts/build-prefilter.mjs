// Stores the keyword prefilter's tables for the built-in secret rules (dist/scan/secrets/prefilter.bin), so the
// hooks load them instead of building them in every process. Run after tsc (`npm run build` does).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../dist/config/defaults.js';
import { activeRules } from '../dist/scan/secrets/engine.js';
import { PREFILTER_FILE, serializePrefilter } from '../dist/scan/secrets/prefilter-cache.js';

const keywords = activeRules(defaultConfig().scan).map((r) => r.keywords);
const bytes = serializePrefilter(keywords);
writeFileSync(PREFILTER_FILE, bytes);
console.log(
  `wrote ${fileURLToPath(PREFILTER_FILE)} (${keywords.length} rules, ${(bytes.length / 1024).toFixed(0)} KB)`,
);
