// SAST benchmark: our ast-grep rules vs eslint + eslint-plugin-security (its recommended rules) on the same tree of
// real JavaScript copied out of node_modules. Prints start-up cost, median scan time over several runs, files/s,
// and how many findings each produces, with a sample of ours for a precision check.
// Run: npm run bench (all benches) or `npm run build && node bench/sast.bench.mjs`.
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['eslint/lib', 'yaml/dist', 'ajv/dist', '@octokit', '@inquirer', '@secretlint', 'simple-git/dist'];
const RUNS = Number(process.env.SAST_BENCH_RUNS ?? 5);
const JS = /\.(c|m)?js$/;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function copyCorpus(dest) {
  const files = [];
  const walk = async (from, to) => {
    for (const e of await fsp.readdir(from, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isDirectory()) await walk(src, dst);
      else if (e.isFile() && JS.test(e.name) && !e.name.endsWith('.min.js')) {
        await fsp.mkdir(to, { recursive: true });
        await fsp.copyFile(src, dst);
        files.push(dst);
      }
    }
  };
  for (const s of SOURCES) {
    const from = path.join(root, 'node_modules', s);
    await walk(from, path.join(dest, s.replace(/^@/, '')));
  }
  return files.sort();
}

async function runOurs(files, detector) {
  const findings = [];
  let bytes = 0;
  for (const file of files) {
    if (!detector.wants(file)) continue;
    const text = await fsp.readFile(file, 'utf8');
    bytes += text.length;
    findings.push(...(await detector.detect({ path: file, text, commit: null })));
  }
  return { findings, bytes };
}

async function makeEslint(corpus, files) {
  const { ESLint } = await import('eslint');
  const security = (await import('eslint-plugin-security')).default;
  // ESM or CommonJS per file, so neither tool loses files to parse errors the other would not have.
  const modules = [];
  const scripts = [];
  for (const f of files) {
    const text = await fsp.readFile(f, 'utf8');
    const isModule = f.endsWith('.mjs') || (!f.endsWith('.cjs') && /^\s*(import|export)\b/m.test(text));
    (isModule ? modules : scripts).push(path.relative(corpus, f));
  }
  const base = { plugins: { security }, rules: security.configs.recommended.rules, linterOptions: { reportUnusedDisableDirectives: 'off' } };
  return new ESLint({
    cwd: corpus,
    overrideConfigFile: true,
    overrideConfig: [
      { ...base, files: modules, languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
      { ...base, files: scripts, languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
    ],
  });
}

/** Fresh process: import the engine, load and compile the rules, scan one small file. What a hook pays first. */
function coldStart() {
  const script = `
    const t0 = performance.now();
    const { createSastDetector } = await import(${JSON.stringify(path.join(root, 'dist/scan/sast/index.js'))});
    const { defaultConfig } = await import(${JSON.stringify(path.join(root, 'dist/config/defaults.js'))});
    const d = await createSastDetector(defaultConfig());
    const t1 = performance.now();
    d.detect({ path: 'a.js', text: 'const x = req.query.a;\\nexec(\`ls \${x}\`);\\n', commit: null });
    const t2 = performance.now();
    process.stdout.write(JSON.stringify({ init: t1 - t0, first: t2 - t1 }));`;
  const t = performance.now();
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  return { ...out, process: performance.now() - t };
}

export default async function bench() {
  const corpus = await fsp.mkdtemp(path.join(os.tmpdir(), 'sast-bench-'));
  try {
    const files = await copyCorpus(corpus);
    const { createSastDetector } = await import(path.join(root, 'dist/scan/sast/index.js'));
    const { defaultConfig } = await import(path.join(root, 'dist/config/defaults.js'));

    const colds = Array.from({ length: RUNS }, coldStart);
    const detector = await createSastDetector(defaultConfig());

    // Interleaved, so a busy machine slows both tools alike.
    const oursMs = [];
    const eslintMs = [];
    let ours;
    let results;
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      ours = await runOurs(files, detector);
      oursMs.push(performance.now() - t);
      t = performance.now();
      const eslint = await makeEslint(corpus, files);
      results = await eslint.lintFiles(files.map((f) => path.relative(corpus, f)));
      eslintMs.push(performance.now() - t);
    }
    const eslintFindings = results.flatMap((r) => r.messages.filter((m) => m.ruleId?.startsWith('security/')));
    const fatal = results.filter((r) => r.messages.some((m) => m.fatal)).length;

    const mb = ours.bytes / 1e6;
    const o = median(oursMs);
    const e = median(eslintMs);
    const perRule = (list, key) => Object.entries(list.reduce((acc, f) => ((acc[key(f)] = (acc[key(f)] ?? 0) + 1), acc), {})).sort((a, b) => b[1] - a[1]);

    console.log(`\nSAST bench: ${files.length} files, ${mb.toFixed(1)} MB of real JavaScript (${SOURCES.join(', ')}), median of ${RUNS} runs`);
    console.log(`  start-up (fresh node process, median): import + load rules + compile ${median(colds.map((c) => c.init)).toFixed(0)} ms; first file ${median(colds.map((c) => c.first)).toFixed(1)} ms; whole process ${median(colds.map((c) => c.process)).toFixed(0)} ms`);
    console.log('  tool                          median ms   files/s     MB/s   findings');
    console.log(`  secure-repo SAST (ast-grep) ${o.toFixed(0).padStart(11)} ${(files.length / (o / 1000)).toFixed(0).padStart(9)} ${(mb / (o / 1000)).toFixed(1).padStart(8)} ${String(ours.findings.length).padStart(10)}`);
    console.log(`  eslint + plugin-security    ${e.toFixed(0).padStart(11)} ${(files.length / (e / 1000)).toFixed(0).padStart(9)} ${(mb / (e / 1000)).toFixed(1).padStart(8)} ${String(eslintFindings.length).padStart(10)}`);
    console.log(`  ratio: ours is ${(e / o).toFixed(1)}x faster (eslint files that failed to parse: ${fatal})`);
    console.log(`  our findings by rule: ${perRule(ours.findings, (f) => `${f.rule} (${f.severity})`).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
    console.log(`  eslint findings by rule: ${perRule(eslintFindings, (m) => m.ruleId).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
    for (const f of ours.findings.slice(0, 15)) {
      console.log(`    ${f.severity.padEnd(8)} ${f.rule.padEnd(28)} ${path.relative(corpus, f.file)}:${f.line}  ${f.match.replace(/\s+/g, ' ').slice(0, 90)}`);
    }
    return { files: files.length, bytes: ours.bytes, oursMs: o, eslintMs: e, ours: ours.findings.length, eslint: eslintFindings.length };
  } finally {
    await fsp.rm(corpus, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bench();
