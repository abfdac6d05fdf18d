// Our SAST engine as its own process (the same work a scan does: load the rules, compile, parse, match), for a
// whole-process time comparable to the peers'. Usage: node bench/sast/ours-peer.mjs DIR FILE... → JSON on stdout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { createSastDetector } = await import(path.join(root, 'dist/scan/sast/index.js'));
const { defaultConfig } = await import(path.join(root, 'dist/config/defaults.js'));
const [dir, ...files] = process.argv.slice(2);
const config = defaultConfig();
if (process.env.SAST_TEST_FILES) config.scan.sast.testFiles = process.env.SAST_TEST_FILES;
const detector = await createSastDetector(config);
const out = [];
for (const file of files) {
  if (!detector.wants(file)) continue;
  for (const f of await detector.detect({
    path: file,
    text: readFileSync(path.join(dir, file), 'utf8'),
    commit: null,
  })) {
    out.push({
      file: f.file,
      line: f.line,
      rule: f.rule,
      severity: f.severity,
      testCode: !!f.testCode,
      flow: f.flow?.length ?? 0,
    });
  }
}
process.stdout.write(JSON.stringify({ findings: out, fatal: 0 }));
