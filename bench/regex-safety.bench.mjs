// Secret rules on inputs built to make backtracking regexes explode (long runs of each rule's own characters with
// no terminator): the worst time per rule, slowest first. A rule over 250 ms here is a ReDoS risk on a hook path;
// the bench exits non-zero then. Timing lives here, not in the tests: a loaded machine would make a test flake.
// Usage: npm run build && node bench/run.mjs regex
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT_MS = 250;

const adversarial = [
  'a'.repeat(50_000),
  'A1'.repeat(30_000),
  `${'-----BEGIN PRIVATE KEY-----\n'}${'QUJD'.repeat(20_000)}`,
  `password = "${'x1'.repeat(20_000)}`,
  `${'token='.repeat(10_000)}`,
  `postgres://${'u'.repeat(100)}:${'p:'.repeat(20_000)}`,
  `eyJ${'a'.repeat(20_000)}.eyJ${'b'.repeat(20_000)}.`,
  `${'sk-'.repeat(5_000)}${'T3BlbkFJ'.repeat(2_000)}`,
  `Server=x;${'a;'.repeat(20_000)}`,
  `${'1'.repeat(5_000)}:AA${'-'.repeat(5_000)}`,
  `sv=2020-01-01&${'&'.repeat(30_000)}`,
  `PuTTY-User-Key-File-3: ssh-rsa\n${'Private-Lines: 1\n'.repeat(3_000)}`,
  // curl commands over continuation lines with no credential option; key names before long base64 runs.
  `curl ${'-X POST \\\n  '.repeat(5_000)}`,
  `${'curl -H "X-A-'.repeat(3_000)}`,
  `${'curl\n  -'.repeat(5_000)}`,
  // curl commands over seven lines indented by eight spaces (a README's shell block), one after another.
  `${'curl -s \\\n        -d a=1 \\\n        -d b=2 \\\n        -d c=3 \\\n        -d d=4 \\\n        -d e=5 \\\n        -d f=6\n'.repeat(20)}`,
  `key = "${'QUJD'.repeat(10_000)}`,
  `${'token  '.repeat(10_000)}s.`,
];

export default async function main() {
  const { BUILTIN_RULES } = await import(pathToFileURL(path.join(root, 'dist/scan/secrets/rules/index.js')).href);
  const rows = [];
  for (const rule of BUILTIN_RULES) {
    const prefix = rule.keywords[0] ?? '';
    let worst = 0;
    for (const base of adversarial) {
      const input = `${prefix}${base}${prefix}${base.slice(0, 1000)}`;
      const t = performance.now();
      rule.regex.lastIndex = 0;
      while (rule.regex.exec(input) !== null) {
        /* exhaust every match */
      }
      worst = Math.max(worst, performance.now() - t);
    }
    rows.push({ id: rule.id, worst });
  }
  rows.sort((a, b) => b.worst - a.worst);
  const slow = rows.filter((r) => r.worst > LIMIT_MS);
  console.log(
    `${rows.length} secret rules on ${adversarial.length} adversarial inputs; worst time per rule, slowest first:`,
  );
  for (const r of rows.slice(0, 8)) console.log(`  ${r.id.padEnd(36)} ${r.worst.toFixed(1).padStart(8)} ms`);
  const sorted = rows.map((r) => r.worst).sort((a, b) => a - b);
  console.log(`  median rule ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms; limit ${LIMIT_MS} ms`);
  if (slow.length) {
    console.log(`Over the limit: ${slow.map((r) => r.id).join(', ')}`);
    process.exitCode = 1;
  }
}
