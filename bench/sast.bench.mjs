// SAST benchmark. On the same files, in one run:
//  1. the labelled corpus (test/sast/corpus): our engine against eslint (+ eslint-plugin-security,
//     @microsoft/eslint-plugin-sdl, eslint-plugin-no-unsanitized) on JavaScript/TypeScript and against bandit on
//     Python: recall, precision and whole-process time (each tool in its own fresh process, median of runs);
//  2. our recall and precision per language on the whole corpus;
//  3. what SAST adds to a commit hook for 20 staged files (fresh process: load, compile, scan); alone with
//     SAST_BENCH_ONLY=hook. Measured 2026-12-06 on 2 shared cores (load average 5, so CPU time is the steadier
//     figure), median CPU ms of 7 fresh processes, three rounds, before -> after lazy taint definitions:
//     12 typical files 83/91/101 -> 80/82/86; 20 eslint rule modules 115/125/125 -> 106/111/111;
//     19 dense corpus files 299/312/313 -> 283/292/314. The same 121 findings (rule, file, line, column).
//     Where the rest goes: importing @ast-grep/napi 13-35 ms; regex compilation on every match call.
//  4. optional: clean mature projects (SAST_BENCH_CLEAN=dir1:dir2, e.g. clones of express, flask, gin): findings
//     per 10,000 lines outside test and example code, every one listed for review, and the peers on the same files;
//  5. optional: DVNA (SAST_BENCH_DVNA=dir, a clone of appsecco/dvna) scored against its documented vulnerabilities.
// Run: npm run bench (all benches) or `npm run build && node bench/sast.bench.mjs`. SAST_BENCH_RUNS (default 3).
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.SAST_BENCH_RUNS ?? 3);
const JS = /\.(c|m)?[jt]sx?$/;
const PY = /\.py$/;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (x) => `${(x * 100).toFixed(0)}%`;

/** The corpus copied out with the `.fixture` suffix dropped, so every tool sees ordinary source files. */
async function copyCorpus(dest) {
  const src = path.join(root, 'test', 'sast', 'corpus');
  const files = [];
  for (const lang of await fsp.readdir(src)) {
    for (const name of await fsp.readdir(path.join(src, lang))) {
      const rel = `${lang}/${name.replace(/\.fixture$/, '')}`;
      await fsp.mkdir(path.join(dest, lang), { recursive: true });
      await fsp.copyFile(path.join(src, lang, name), path.join(dest, rel));
      files.push(rel);
    }
  }
  return files.sort();
}

/** `file` → the set of labelled lines (`expect: <rule>` markers). */
async function labelsOf(dir, files) {
  const labels = new Map();
  for (const f of files) {
    const lines = new Set();
    (await fsp.readFile(path.join(dir, f), 'utf8'))
      .split('\n')
      .forEach((l, i) => /expect: [a-z0-9-]+/.test(l) && lines.add(i + 1));
    labels.set(f, lines);
  }
  return labels;
}

/** Line-based scoring, the same for every tool: a label is found when the tool reports anything on its line. */
function score(labels, findings, files) {
  const want = new Set(files);
  const hitLines = new Set(findings.filter((f) => want.has(f.file)).map((f) => `${f.file}:${f.line}`));
  let labelled = 0;
  let found = 0;
  for (const f of files) {
    for (const line of labels.get(f) ?? []) {
      labelled++;
      if (hitLines.has(`${f}:${line}`)) found++;
    }
  }
  const fp = [...hitLines].filter((k) => {
    const i = k.lastIndexOf(':');
    return !labels.get(k.slice(0, i))?.has(Number(k.slice(i + 1)));
  });
  const tpLines = hitLines.size - fp.length;
  return {
    labelled,
    found,
    recall: labelled ? found / labelled : 0,
    precision: hitLines.size ? tpLines / hitLines.size : 1,
    fp,
  };
}

function runProcess(cmd, args, opts = {}) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const ours = (dir, files, env = {}) => {
  const r = runProcess(process.execPath, [path.join(root, 'bench', 'sast', 'ours-peer.mjs'), dir, ...files], {
    env: { ...process.env, ...env },
  });
  return { ms: r.ms, findings: JSON.parse(r.stdout).findings };
};
const eslint = (dir, files) => {
  const r = runProcess(process.execPath, [path.join(root, 'bench', 'sast', 'eslint-peer.mjs'), dir, ...files]);
  const out = JSON.parse(r.stdout);
  return { ms: r.ms, findings: out.findings, fatal: out.fatal };
};
function hasBandit() {
  try {
    execFileSync('bandit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const bandit = (dir, files) => {
  const r = runProcess('bandit', ['-q', '-f', 'json', ...files], { cwd: dir });
  const out = JSON.parse(r.stdout || '{"results":[]}');
  return {
    ms: r.ms,
    findings: out.results.map((x) => ({ file: x.filename.replace(/^\.\//, ''), line: x.line_number, rule: x.test_id })),
  };
};

/** Runs each tool RUNS times, interleaved so a busy machine slows them alike; median time, last findings. */
function compare(tools) {
  const ms = tools.map(() => []);
  const last = [];
  for (let i = 0; i < RUNS; i++) {
    tools.forEach((t, j) => {
      const r = t.run();
      ms[j].push(r.ms);
      last[j] = r;
    });
  }
  return tools.map((t, j) => ({ name: t.name, ms: median(ms[j]), ...last[j] }));
}

function printComparison(title, labels, files, results) {
  console.log(
    `\n  ${title} (${files.length} files, ${[...files].reduce((n, f) => n + (labels.get(f)?.size ?? 0), 0)} labelled lines; line-based scoring)`,
  );
  console.log('    tool                                              recall  precision  whole process (median)');
  const rows = results.map((r) => ({ ...r, s: score(labels, r.findings, files) }));
  for (const r of rows) {
    console.log(
      `    ${r.name.padEnd(48)} ${pct(r.s.recall).padStart(6)} ${pct(r.s.precision).padStart(10)} ${`${r.ms.toFixed(0)} ms`.padStart(12)}${r.fatal ? ` (${r.fatal} parse errors)` : ''}`,
    );
  }
  const [us, ...peers] = rows;
  for (const p of peers) {
    console.log(
      `    vs ${p.name.split(' ')[0]}: recall ${pct(us.s.recall)} vs ${pct(p.s.recall)}, precision ${pct(us.s.precision)} vs ${pct(p.s.precision)}, ${(p.ms / us.ms).toFixed(1)}x faster`,
    );
  }
  return rows;
}

async function perLanguage(dir, files, labels) {
  const r = ours(dir, files);
  console.log('\n  Our engine on the whole corpus, per language (rule and line must both match):');
  const byLang = new Map();
  for (const f of files) byLang.set(f.split('/')[0], [...(byLang.get(f.split('/')[0]) ?? []), f]);
  const expected = new Set();
  for (const f of files) {
    (await fsp.readFile(path.join(dir, f), 'utf8')).split('\n').forEach((l, i) => {
      const m = /expect: ([a-z0-9-]+)/.exec(l);
      if (m) expected.add(`${f}:${i + 1} ${m[1]}`);
    });
  }
  const got = new Set(r.findings.map((f) => `${f.file}:${f.line} ${f.rule}`));
  for (const [lang, fs] of byLang) {
    const mine = (k) => fs.some((f) => k.startsWith(`${f}:`));
    const exp = [...expected].filter(mine);
    const hits = [...got].filter(mine);
    const tp = hits.filter((k) => expected.has(k)).length;
    console.log(
      `    ${lang.padEnd(11)} labels ${String(exp.length).padStart(3)}  recall ${pct(tp / exp.length).padStart(4)}  precision ${pct(tp / Math.max(1, hits.length)).padStart(4)}`,
    );
  }
  const flows = r.findings.filter((f) => f.flow > 1).length;
  console.log(`    ${flows} of ${r.findings.length} findings carry a taint path (source line -> sink line)`);
  void labels;
}

/** Fresh process: what SAST adds to a commit hook that scans 20 staged files (load, compile, parse, match). */
function hookCost(label, texts) {
  const script = `
    import { readFileSync } from 'node:fs';
    const texts = ${JSON.stringify(texts.map((t) => ({ path: t.path, file: t.file })))}.map((t) => ({ path: t.path, text: readFileSync(t.file, 'utf8'), commit: null }));
    const t0 = performance.now();
    const { createSastDetector, languagesToScan } = await import(${JSON.stringify(path.join(root, 'dist/scan/sast/index.js'))});
    const { defaultConfig } = await import(${JSON.stringify(path.join(root, 'dist/config/defaults.js'))});
    const config = defaultConfig();
    const d = await createSastDetector(config, await languagesToScan(config, texts));
    const t1 = performance.now();
    let n = 0;
    const wanted = texts.filter((f) => d.wants(f.path));
    // as the hook does: the batch is screened once (one rule compilation), then each file is matched
    if (d.prepare) await d.prepare(wanted);
    for (const f of wanted) n += (await d.detect(f)).length;
    const t2 = performance.now();
    process.stdout.write(JSON.stringify({ init: t1 - t0, scan: t2 - t1, total: t2 - t0, files: texts.length, bytes: texts.reduce((a, t) => a + t.text.length, 0), n }));`;
  const runs = Array.from({ length: Math.max(RUNS, 5) }, () =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })),
  );
  const r = runs[0];
  console.log(
    `    ${label}: ${r.files} files, ${(r.bytes / 1024).toFixed(0)} KB: SAST adds ${median(runs.map((x) => x.total)).toFixed(0)} ms (load + compile ${median(runs.map((x) => x.init)).toFixed(0)} ms, parse + match ${median(runs.map((x) => x.scan)).toFixed(0)} ms; ${r.n} findings)`,
  );
  return median(runs.map((x) => x.total));
}

/**
 * Up to 20 files of ordinary application and library code shipped with the dev dependencies (12 with today's
 * lockfile: some of the folders are gone), and exactly 20 from eslint's rules, whose words pass many prechecks.
 */
async function eslintRuleFiles() {
  const dir = path.join(root, 'node_modules', 'eslint/lib/rules');
  const names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.js')).sort();
  return names.slice(40, 60).map((n) => ({ path: `lib/rules/${n}`, file: path.join(dir, n) }));
}

async function typicalFiles() {
  const out = [];
  for (const base of ['eslint/lib/rules', '@octokit/core/dist-src', 'simple-git/dist/cjs', 'yaml/dist/compose']) {
    const dir = path.join(root, 'node_modules', base);
    let names = [];
    try {
      names = (await fsp.readdir(dir)).filter((n) => /\.(c|m)?js$/.test(n)).sort();
    } catch {
      continue;
    }
    for (const n of names.slice(0, 5)) out.push({ path: `${base}/${n}`, file: path.join(dir, n) });
  }
  return out.slice(0, 20);
}

async function sourceFiles(dir, test) {
  const out = [];
  const walk = async (d) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (test(p)) out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

async function cleanProjects(dirs) {
  console.log(
    '\n  Clean mature projects: findings per 10,000 lines (test/example code is reported at low severity and counted apart)',
  );
  for (const dir of dirs) {
    const files = await sourceFiles(
      dir,
      (p) =>
        /\.(c|m)?[jt]sx?$|\.py$|\.go$|\.java$|\.rb$|\.php$|\.ejs$|\.html?$|\.j2$|\.jinja2?$|\.hbs$|\.tmpl$/.test(p) &&
        !/\.min\.js$/.test(p),
    );
    let lines = 0;
    for (const f of files) lines += (await fsp.readFile(path.join(dir, f), 'utf8')).split('\n').length;
    const r = ours(dir, files);
    const prod = r.findings.filter((f) => !f.testCode);
    console.log(
      `    ${path.basename(dir).padEnd(24)} ${String(files.length).padStart(5)} files ${String(lines).padStart(7)} lines  ${prod.length} findings outside test code (${((prod.length / lines) * 1e4).toFixed(2)} per 10k lines), ${r.findings.length - prod.length} in test/example code; ${r.ms.toFixed(0)} ms`,
    );
    for (const f of prod) console.log(`      ${f.severity.padEnd(8)} ${f.rule.padEnd(28)} ${f.file}:${f.line}`);
    const js = files.filter((f) => JS.test(f));
    const py = files.filter((f) => PY.test(f));
    if (js.length > 20) {
      const e = eslint(dir, js);
      console.log(
        `      eslint + security + sdl + no-unsanitized on its ${js.length} JS/TS files: ${e.findings.length} findings, ${e.ms.toFixed(0)} ms whole process`,
      );
    }
    if (py.length > 20 && hasBandit()) {
      const b = bandit(dir, py);
      console.log(
        `      bandit on its ${py.length} Python files: ${b.findings.length} findings, ${b.ms.toFixed(0)} ms whole process`,
      );
    }
  }
}

/**
 * DVNA's documented vulnerabilities (docs/solution/*.md), labelled by hand: each is found when a tool reports on
 * one of its lines (the statement's lines, source or sink). Some (access control, data exposure) no SAST can see;
 * they stay in the denominator.
 */
const DVNA = [
  ['A1 SQL injection', 'core/appHandler.js', [10, 11]],
  ['A1 command injection', 'core/appHandler.js', [39]],
  ['A2 reset token = md5(login)', 'core/authHandler.js', [49, 78]],
  ['A2 hard-coded session secret', 'server.js', [23, 24]],
  ['A3 all user fields returned', 'core/appHandler.js', [207, 208, 209, 210, 211]],
  ['A4 XXE (noent)', 'core/appHandler.js', [235]],
  ['A5 admin API without role check', 'routes/app.js', [16]],
  ['A6/A9 mathjs.eval of input', 'core/appHandler.js', [197]],
  ['A7 XSS <%- searchTerm', 'views/app/products.ejs', [20]],
  // a7-xss.md: the admin users page writes names from /app/admin/usersapi with innerHTML (an inline script)
  ['A7 DOM XSS innerHTML of user fields', 'views/app/adminusers.ejs', [40, 41, 42]],
  ['A8 node-serialize unserialize', 'core/appHandler.js', [218]],
  ['open redirect', 'core/appHandler.js', [188]],
];

async function dvna(dir) {
  const js = await sourceFiles(dir, (p) => /\.(js|ejs)$/.test(p) && !p.includes(`${path.sep}public${path.sep}`));
  const scoreDvna = (findings) => {
    const hit = new Set(findings.map((f) => `${f.file}:${f.line}`));
    const found = DVNA.filter(([, file, lines]) => lines.some((l) => hit.has(`${file}:${l}`)));
    const labelled = new Set(DVNA.flatMap(([, file, lines]) => lines.map((l) => `${file}:${l}`)));
    const other = [...hit].filter((k) => !labelled.has(k));
    return { found, other };
  };
  const o = ours(dir, js);
  const e = eslint(
    dir,
    js.filter((f) => f.endsWith('.js')),
  );
  console.log(`\n  DVNA (${js.length} JS/EJS files), ${DVNA.length} documented vulnerabilities labelled by hand:`);
  for (const [name, r] of [
    ['ours', o],
    ['eslint + plugins', e],
  ]) {
    const s = scoreDvna(r.findings);
    console.log(
      `    ${name.padEnd(18)} found ${s.found.length}/${DVNA.length} (${pct(s.found.length / DVNA.length)}): ${s.found.map((x) => x[0]).join('; ')}`,
    );
    console.log(
      `    ${''.padEnd(18)} other findings (not a documented vulnerability): ${s.other.length}${s.other.length ? ` ${s.other.slice(0, 12).join(', ')}` : ''}`,
    );
  }
}

/** SAST_BENCH_ONLY=hook: only what SAST adds to a commit hook (seconds, where the whole bench takes minutes). */
async function hookOnly() {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sast-bench-'));
  try {
    const files = await copyCorpus(dir);
    console.log(`\nSAST bench, commit hook only: what SAST adds, fresh process, median of ${Math.max(RUNS, 5)}:`);
    hookCost('typical code (real JS from node_modules)', await typicalFiles());
    hookCost('20 ordinary files (eslint rule modules)', await eslintRuleFiles());
    const dense = files
      .filter((f) => /\.(js|ts|py|go)$/.test(f))
      .slice(0, 20)
      .map((f) => ({ path: f, file: path.join(dir, f) }));
    hookCost('worst case (corpus files, every one dense with vulnerable handlers)', dense);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

export default async function bench() {
  if (process.env.SAST_BENCH_ONLY === 'hook') return hookOnly();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sast-bench-'));
  try {
    const files = await copyCorpus(dir);
    const labels = await labelsOf(dir, files);
    console.log(`\nSAST bench: labelled corpus of ${files.length} files (test/sast/corpus), ${RUNS} runs per tool`);

    const js = files.filter((f) => JS.test(f));
    const jsRows = printComparison(
      'JavaScript/TypeScript',
      labels,
      js,
      compare([
        { name: 'secure-repo SAST', run: () => ours(dir, js) },
        { name: 'eslint + security + sdl + no-unsanitized', run: () => eslint(dir, js) },
      ]),
    );
    const py = files.filter((f) => PY.test(f));
    let pyRows = null;
    if (hasBandit()) {
      pyRows = printComparison(
        'Python',
        labels,
        py,
        compare([
          { name: 'secure-repo SAST', run: () => ours(dir, py) },
          { name: 'bandit (Debian package)', run: () => bandit(dir, py) },
        ]),
      );
    } else console.log('\n  Python: bandit is not installed (apt-get install bandit); comparison skipped');

    await perLanguage(dir, files, labels);
    console.log(`\n  Commit hook: what SAST adds for 20 staged files, fresh process, median of ${Math.max(RUNS, 5)}:`);
    const hookMs = hookCost('typical code (real JS from node_modules)', await typicalFiles());
    hookCost('20 ordinary files (eslint rule modules)', await eslintRuleFiles());
    const dense = files
      .filter((f) => /\.(js|ts|py|go)$/.test(f))
      .slice(0, 20)
      .map((f) => ({ path: f, file: path.join(dir, f) }));
    const worstMs = hookCost('worst case (corpus files, every one dense with vulnerable handlers)', dense);

    if (process.env.SAST_BENCH_CLEAN) await cleanProjects(process.env.SAST_BENCH_CLEAN.split(':').filter(Boolean));
    else
      console.log(
        '\n  Clean projects: set SAST_BENCH_CLEAN=dir1:dir2 (clones of e.g. express, flask, gin) to measure findings per 10k lines',
      );
    if (process.env.SAST_BENCH_DVNA) await dvna(process.env.SAST_BENCH_DVNA);

    return {
      js: jsRows.map((r) => ({ tool: r.name, recall: r.s.recall, precision: r.s.precision, ms: r.ms })),
      python: pyRows?.map((r) => ({ tool: r.name, recall: r.s.recall, precision: r.s.precision, ms: r.ms })) ?? null,
      hookMs,
      worstMs,
    };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bench();
