#!/usr/bin/env node
'use strict';
// What the git hooks run: `hook.cjs pre-commit` or `hook.cjs pre-push <remote> <url>` (bin/secure-repo.js runs
// the same for `secure-repo hook pre-commit|pre-push`). It loads one script, dist/hook/hook.cjs, compiled with a
// V8 code cache kept in the clone's git dir, so a commit does not compile 270 KB of JavaScript again. Node 20 has
// no module compile cache (Node 22's only caches modules), and at its start-up speed every millisecond shows.
// CommonJS on purpose: an ES module entry costs Node 20 its ES loader (about 4 ms) before the first line runs.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const BUNDLE = path.join(__dirname, '..', 'dist', 'hook', 'hook.cjs');
// One file per clone (and per worktree), beside the config cache; uninstall removes the folder.
const CACHE = path.join('secure-repo', 'hook-code-cache.bin');

/**
 * The staged diff the pre-commit hook reads first, started before the hook code loads so that git works on the
 * other core meanwhile. The same arguments as src/scan/sources/staged.ts, which takes the result only when they
 * still match (and calls git itself otherwise).
 */
const STAGED_DIFF = [
  'diff',
  '--cached',
  '--no-color',
  '--no-ext-diff',
  '--no-renames',
  '--diff-filter=ACMR',
  '--raw',
  '-z',
  '--no-abbrev',
  '-p',
  `-U${2 ** 31 - 1}`,
  '--no-textconv',
];
const now = () => Number(process.hrtime.bigint()) / 1e6;

function startStagedDiff() {
  const started = now();
  return new Promise((resolve) => {
    require('node:child_process').execFile(
      'git',
      STAGED_DIFF,
      { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
      (err, stdout) => resolve({ stdout: err ? null : stdout, started, ended: now() }),
    );
  });
}

/**
 * The git dir of the work tree git runs hooks from (its top), without spawning git; null when unsure. (The bundle's
 * repoDirs does the same, but the cache must be found before the bundle is loaded.)
 */
function gitDir(cwd, env) {
  if (env.GIT_DIR) return path.resolve(cwd, env.GIT_DIR);
  const dotGit = path.join(cwd, '.git');
  const st = fs.statSync(dotGit, { throwIfNoEntry: false });
  if (st && st.isDirectory()) return dotGit;
  if (st && st.isFile()) {
    const named = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    if (named) return path.resolve(cwd, named[1].trim());
  }
  return null;
}

/**
 * The cache's key: this node and the bundle's identity. The bundle's last line names its content hash (written by
 * scripts/bundle-hook.mjs); its size and modification time are in the key too, for a bundle edited in place. V8
 * checks its own version, flags and the source length, but not the source itself, so the key must.
 */
function cacheKey(source, st) {
  const hash = /\/\/ content sha256 ([0-9a-f]{64})\n$/.exec(source.slice(-120));
  return `v1 ${process.version} ${process.arch} ${hash ? hash[1] : 'unhashed'} ${st.size} ${st.mtimeMs}\n`;
}

function readCache(file, key) {
  try {
    const buf = fs.readFileSync(file);
    return buf.length > key.length && buf.toString('latin1', 0, key.length) === key ? buf.subarray(key.length) : null;
  } catch {
    return null; // none yet, or unreadable: compile as usual
  }
}

/** Atomic (a hook running at the same time reads the old file or the new one); a failed write only costs speed. */
function writeCache(file, key, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(key, 'latin1'), data]));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Compiles and runs the bundle as CommonJS would, with the code cache when one matches. Returns its exports and a
 * function that writes the cache after the run (by then the functions the hook used are compiled too, so the next
 * commit finds them in the cache), or null when the cache matched.
 */
function loadBundle() {
  const source = fs.readFileSync(BUNDLE, 'utf8');
  // SECURE_REPO_CODE_CACHE=0 compiles from source every time (to measure, or to rule the cache out).
  const dir = process.env.SECURE_REPO_CODE_CACHE === '0' ? null : gitDir(process.cwd(), process.env);
  const file = dir && path.join(dir, CACHE);
  const key = file && cacheKey(source, fs.statSync(BUNDLE));
  const cachedData = file ? readCache(file, key) : null;
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData: cachedData ?? undefined });
  const mod = new Module(BUNDLE, module);
  mod.filename = BUNDLE;
  mod.paths = Module._nodeModulePaths(path.dirname(BUNDLE));
  mod.loaded = true;
  const run = script.runInThisContext();
  run.call(mod.exports, mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, path.dirname(BUNDLE));
  const stale = file && (!cachedData || script.cachedDataRejected);
  return { exports: mod.exports, saveCache: stale ? () => writeCache(file, key, script.createCachedData()) : null };
}

/** Runs one hook; resolves to its exit code. A bundle that cannot load is a broken install: exit 2 (fail closed). */
async function runHookEntry(args) {
  // SECURE_REPO_SKIP=1 (or all): nothing will read the diff (the bundle's parseSkip decides the rest).
  const skips = (process.env.SECURE_REPO_SKIP || '').toLowerCase().split(/[\s,]+/);
  const skipAll = ['1', 'all', 'true', 'yes'].some((v) => skips.includes(v));
  const early = args[0] === 'pre-commit' && !skipAll ? startStagedDiff() : null;
  let loaded;
  try {
    loaded = loadBundle();
  } catch (err) {
    if (err && err.code === 'ENOENT' && err.path === BUNDLE) {
      // A tsc-only build has no bundle: the same code, unbundled.
      const unbundled = await import('../dist/cli/hook-main.js');
      if (early) unbundled.adoptStagedDiff(process.cwd(), STAGED_DIFF, early);
      return unbundled.runHook(args);
    }
    return cannotStart(err);
  }
  if (early && loaded.exports.adoptStagedDiff) loaded.exports.adoptStagedDiff(process.cwd(), STAGED_DIFF, early);
  const code = await loaded.exports.runHook(args);
  if (loaded.saveCache) loaded.saveCache();
  return code;
}

/** A broken install: say so and how to repair it; the hook runner then stops the commit (fail closed). */
function cannotStart(err) {
  process.stderr.write(
    `secure-repo: the program could not start (${err && err.code ? err.code : 'load error'}). ` +
      'Reinstall it (npm install create-secure-repo) and try again.\n',
  );
  return 2;
}

module.exports = { runHookEntry };

if (require.main === module) {
  runHookEntry(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.exitCode = cannotStart(err);
    },
  );
}
