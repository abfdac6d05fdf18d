// Runs every bench/*.bench.mjs in name order (`npm run bench`, after `npm run build`), or those whose names start
// with the arguments (`node bench/run.mjs hooks sast`). Each prints its own table.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file} ===\n`);
  try {
    const mod = await import(pathToFileURL(path.join(here, file)).href);
    // A bench either exports its run as default or runs when imported.
    if (typeof mod.default === 'function') await mod.default();
  } catch (err) {
    failed++;
    process.stderr.write(`${file} failed: ${err && err.stack ? err.stack : err}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
