#!/usr/bin/env node
// Added latency per commit from the secure-repo hooks: a 20-file change committed in a repository without hooks
// and in one with `secure-repo hook install` (plain git hooks, secrets + SAST on the staged change).
// Usage: npm run build && node bench/hooks.bench.mjs [--runs N] [--secrets-only]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, appendFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'secure-repo.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const SECRETS_ONLY = process.argv.includes('--secrets-only');
const WARMUP = 2;
const FILES = 20;

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'secure-repo-bench-')));
const home = path.join(base, 'home');
mkdirSync(home);
writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n');
const env = { ...process.env, HOME: home, GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };
delete env.SECURE_REPO_SKIP;

function sourceFile(i, rev) {
  const lines = [`// module ${i}, revision ${rev}`, `export function handler${i}(input) {`];
  for (let j = 0; j < 40; j++) lines.push(`  const v${j} = input.items?.[${j}] ?? ${j}; // step ${j}`);
  lines.push('  return input;', '}', '');
  return lines.join('\n');
}

function makeRepo(name, withHooks) {
  const dir = path.join(base, name);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  for (let i = 0; i < FILES; i++) writeFileSync(path.join(dir, 'src', `m${i}.js`), sourceFile(i, 0));
  if (SECRETS_ONLY) writeFileSync(path.join(dir, '.secure-repo.yml'), 'version: 1\nhooks:\n  preCommit:\n    sast: false\n');
  if (withHooks) {
    const r = spawnSync(process.execPath, [cli, 'hook', 'install', '--hooks', 'git', '--no-install'], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hook install failed: ${r.stderr}`);
  }
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'initial');
  return { dir, git };
}

/** One measured commit: change every one of the 20 files, stage, then time `git commit` alone. */
function commitOnce(repo, rev) {
  for (let i = 0; i < FILES; i++) appendFileSync(path.join(repo.dir, 'src', `m${i}.js`), `export const rev${rev}_${i} = ${rev};\n`);
  repo.git('add', '-A');
  const t0 = performance.now();
  const r = spawnSync('git', ['commit', '-q', '-m', `change ${rev}`], { cwd: repo.dir, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`commit failed: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  const plain = makeRepo('without-hooks', false);
  const hooked = makeRepo('with-hooks', true);
  const times = { without: [], with: [] };
  // Interleave the two so machine noise hits both alike.
  for (let rev = 1; rev <= RUNS + WARMUP; rev++) {
    const a = commitOnce(plain, rev);
    const b = commitOnce(hooked, rev);
    if (rev > WARMUP) {
      times.without.push(a);
      times.with.push(b);
    }
  }
  const without = median(times.without);
  const withHooks = median(times.with);
  const out = {
    files: FILES,
    runs: RUNS,
    medianMsWithoutHooks: Number(without.toFixed(1)),
    medianMsWithHooks: Number(withHooks.toFixed(1)),
    addedMsPerCommit: Number((withHooks - without).toFixed(1)),
    ratio: Number((withHooks / without).toFixed(2)),
    minMsWithHooks: Number(Math.min(...times.with).toFixed(1)),
    maxMsWithHooks: Number(Math.max(...times.with).toFixed(1)),
    node: process.version,
    cpus: os.cpus().length,
    checks: SECRETS_ONLY ? 'secrets' : 'secrets+sast',
  };
  console.log(`checks: ${SECRETS_ONLY ? 'secrets only' : 'secrets + SAST'}`);
  console.log(`20-file commit, median of ${RUNS} runs: ${out.medianMsWithoutHooks} ms without hooks, ${out.medianMsWithHooks} ms with hooks`);
  console.log(`added latency: ${out.addedMsPerCommit} ms per commit (x${out.ratio}); with hooks min ${out.minMsWithHooks} ms, max ${out.maxMsWithHooks} ms`);
  console.log(JSON.stringify(out));
} finally {
  rmSync(base, { recursive: true, force: true });
}
