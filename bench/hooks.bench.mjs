#!/usr/bin/env node
// What our hooks add to `git commit` and `git push`, the way users run them: the packed tarball installed with
// npm (plus husky 9.1.7 and lefthook 2.2.1 from the registry) into a Node project, hooks installed by
// `secure-repo hook install`, the config file init writes (secrets and SAST on).
//  1. `git commit` of 20 staged files, with our hooks vs `--no-verify`, alternating, for husky, plain git hooks and
//     lefthook: medians side by side.
//  2. `git push` of 20 new commits to a local bare remote, with hooks vs `--no-verify`.
//  3. Where the time goes: the hook's own breakdown (SECURE_REPO_TIMING=1) for one commit and one push, and the
//     hook command alone vs starting node: the hooks' entry (bin/hook.cjs and dist/hook/hook.cjs) with and without
//     its code cache, through the CLI (bin/secure-repo.js), and unbundled.
// Usage: npm run build && node bench/hooks.bench.mjs [--runs N] [--push-runs N]; BENCH_NODE_VERSIONS=22,24 (default)
// adds the hook alone under those Node versions (official binaries from the npm registry), with and without the
// code cache; run the whole bench under another node (`.bench-cache/node/22/package/bin/node bench/...`) to
// measure commits and pushes with it.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0
    ? Number(process.argv[i + 1])
    : Number(process.env[`BENCH_${name.slice(2).replace('-', '_').toUpperCase()}`] ?? dflt);
};
const RUNS = arg('--runs', 11);
// The commit and push rows only (what the run under another Node version prints; see the end).
const COMMITS_ONLY = process.argv.includes('--commits-only');
const PUSH_RUNS = arg('--push-runs', 7);
const WARMUP = 2;
const FILES = 20;
const MANAGERS = ['husky', 'git', 'lefthook'];

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'secure-repo-bench-hooks-')));
const home = path.join(base, 'home');
mkdirSync(home);
writeFileSync(
  path.join(home, '.gitconfig'),
  '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[maintenance]\n\tauto = false\n[gc]\n\tauto = 0\n',
);
const env = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
  GIT_CONFIG_NOSYSTEM: '1',
  NO_COLOR: '1',
};
for (const k of ['CI', 'SECURE_REPO_SKIP', 'SECURE_REPO_TIMING', 'HUSKY', 'LEFTHOOK']) delete env[k];
const npmCache = path.join(os.tmpdir(), 'secure-repo-e2e-npm-cache'); // shared with the e2e tests
const npmEnv = {
  ...env,
  npm_config_cache: npmCache,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => x.toFixed(1);

/**
 * Node versions to measure the hook with besides this one (BENCH_NODE_VERSIONS, default 22 and 24): the official
 * binaries as npm publishes them (node-<platform>-<arch>), fetched once into .bench-cache/node/.
 */
const NODE_VERSIONS = (process.env.BENCH_NODE_VERSIONS ?? '22,24').split(',').filter(Boolean);

function nodeBinary(major) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = path.join(root, '.bench-cache', 'node', String(major));
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (existsSync(bin)) return bin;
  try {
    const versions = JSON.parse(execFileSync('npm', ['view', `${pkg}@${major}`, 'version', '--json'], { env: npmEnv }));
    const version = [versions].flat().at(-1);
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', `${pkg}@${version}`, '--pack-destination', dir], { env: npmEnv, stdio: 'ignore' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    execFileSync('tar', ['xzf', tgz], { cwd: dir });
    return existsSync(bin) ? bin : null;
  } catch (err) {
    console.log(`(Node ${major}: no ${pkg} binary from the registry: ${String(err.message).split('\n')[0]})`);
    return null;
  }
}

/** The tarball as users get it, installed with npm next to husky and lefthook. */
function installPacked() {
  if (!existsSync(path.join(root, 'dist', 'hook', 'hook.cjs')))
    throw new Error('dist/hook/hook.cjs is missing: run `npm run build` first');
  const packDir = path.join(base, 'pack');
  mkdirSync(packDir);
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], {
    cwd: root,
    env: npmEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = path.join(
    packDir,
    readdirSync(packDir).find((f) => f.endsWith('.tgz')),
  );
  const prefix = path.join(base, 'tool');
  mkdirSync(prefix);
  writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, 'lefthook@2.2.1', 'husky@9.1.7'],
    { cwd: prefix, env: npmEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const modules = path.join(prefix, 'node_modules');
  const cli = path.join(modules, 'create-secure-repo', 'bin', 'secure-repo.js');
  if (!existsSync(path.join(modules, 'create-secure-repo', 'dist', 'hook', 'hook.cjs')))
    throw new Error('the installed package has no dist/hook/hook.cjs');
  return { modules, cli };
}

/** Realistic small modules; `risky` adds words SAST rules look for, so every file is parsed. */
function sourceFile(i, risky) {
  const lines = [
    `// module ${i}`,
    risky ? "import { exec } from 'node:child_process';" : '',
    `export function handler${i}(input) {`,
  ];
  for (let j = 0; j < 40; j++) lines.push(`  const v${j} = input.items?.[${j}] ?? ${j}; // step ${j}`);
  if (risky) lines.push('  exec(`ls ${input.dir}`);');
  lines.push('  return input;', '}', '');
  return lines.join('\n');
}

/** The settings init writes (secrets and SAST on in both hooks). */
const configFile = (manager, sast = true) =>
  `version: 1\nstages: [code, build, test]\nhooks:\n  manager: ${manager}\n  preCommit:\n    secrets: true\n    sast: ${sast}\n    run: []\n  prePush:\n    secrets: true\n    sast: true\n    tests: false\n    testCommand: null\n    requireSignedCommits: false\nprotection:\n  requiredApprovals: 1\n  requireSignedCommits: false\n`;

function makeRepo(tool, manager, { risky = false, sast = true, stub = false } = {}) {
  const dir = path.join(base, `${manager}${risky ? '-sast' : ''}${sast ? '' : '-off'}${stub ? '-stub' : ''}`);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  git('init', '-q');
  writeFileSync(
    path.join(dir, 'package.json'),
    `{\n  "name": "bench-${manager}",\n  "version": "1.0.0",\n  "private": true\n}\n`,
  );
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  writeFileSync(path.join(dir, '.secure-repo.yml'), configFile(manager, sast));
  for (let i = 0; i < FILES; i++) writeFileSync(path.join(dir, 'src', `m${i}.js`), sourceFile(i, risky));
  // A Node project with its dependencies installed: the tool, husky and lefthook in node_modules.
  symlinkSync(tool.modules, path.join(dir, 'node_modules'), 'dir');
  const run = (file, args) => {
    const r = spawnSync(file, args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`${path.basename(file)} ${args.join(' ')} failed in ${manager}: ${r.stderr}${r.stdout}`);
  };
  run(process.execPath, [tool.cli, 'hook', 'install', '--hooks', manager, '--no-install']);
  if (manager === 'husky') run(process.execPath, ['.husky/install.mjs']); // what `prepare` runs on npm install
  if (manager === 'lefthook') run(path.join(tool.modules, '.bin', 'lefthook'), ['install']);
  // The manager's own cost: everything as installed, but our runner exits at once (no git config call, no node).
  if (stub) {
    const runner = ['.githooks', '.husky', '.secure-repo']
      .map((d) => path.join(dir, d, 'secure-repo.sh'))
      .find((f) => existsSync(f));
    if (!runner) throw new Error(`no hook runner found in the ${manager} repository`);
    writeFileSync(runner, '#!/bin/sh\nexit 0\n');
  }
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'initial');
  const remote = path.join(base, `${path.basename(dir)}-remote.git`);
  execFileSync('git', ['init', '-q', '--bare', remote], { env });
  git('remote', 'add', 'origin', remote);
  git('push', '-q', '--no-verify', 'origin', 'HEAD:main');
  return { dir, git, manager, rev: 0 };
}

/** `0m0.123s` as ms. */
const bashTime = (t) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  return m ? Number(m[1]) * 60_000 + Number(m[2]) * 1000 : NaN;
};

/**
 * Runs one git command; returns its wall time and the CPU time (user + system) of git and every process it ran
 * (hooks, node, the git calls they made), from bash's `times`. On a machine shared with other work the CPU time
 * is what the hooks cost; the wall time is what the developer waited, here and now.
 */
function timed(repo, args, extraEnv = {}) {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'git "$@" >/dev/null; rc=$?; times; exit $rc', 'bench', ...args], {
    cwd: repo.dir,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
  });
  const took = performance.now() - t0;
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${repo.manager}: ${r.stderr}`);
  const [user, sys] = r.stdout.trim().split('\n').pop().trim().split(/\s+/).map(bashTime);
  return { took, cpu: user + sys, stderr: r.stderr };
}

/** Changes all 20 files and stages them; the commit itself is what is timed. */
function stageAll(repo) {
  repo.rev++;
  for (let i = 0; i < FILES; i++)
    appendFileSync(path.join(repo.dir, 'src', `m${i}.js`), `export const rev${repo.rev}_${i} = ${repo.rev};\n`);
  repo.git('add', '-A');
}

function commit(repo, verify, extraEnv) {
  stageAll(repo);
  return timed(repo, ['commit', '-q', ...(verify ? [] : ['--no-verify']), '-m', `change ${repo.rev}`], extraEnv);
}

/** 20 new commits (made without hooks), then the push alone is timed. */
function push(repo, verify, extraEnv) {
  for (let i = 0; i < FILES; i++) {
    repo.rev++;
    appendFileSync(path.join(repo.dir, 'src', `m${i}.js`), `export const pushed${repo.rev} = ${repo.rev};\n`);
    repo.git('commit', '-q', '--no-verify', '-am', `commit ${repo.rev}`);
  }
  return timed(repo, ['push', '-q', ...(verify ? [] : ['--no-verify']), 'origin', 'HEAD:main'], extraEnv);
}

/** Alternates hooked and --no-verify runs so machine noise hits both alike. */
function sideBySide(repo, step, runs) {
  const t = { with: [], without: [], cpuWith: [], cpuWithout: [] };
  for (let i = 0; i < runs + WARMUP; i++) {
    const a = step(repo, true);
    const b = step(repo, false);
    if (i >= WARMUP) {
      t.with.push(a.took);
      t.without.push(b.took);
      t.cpuWith.push(a.cpu);
      t.cpuWithout.push(b.cpu);
    }
  }
  const out = {
    without: median(t.without),
    with: median(t.with),
    cpuWithout: median(t.cpuWithout),
    cpuWith: median(t.cpuWith),
  };
  return { ...out, added: out.with - out.without, cpuAdded: out.cpuWith - out.cpuWithout };
}

/** One process, timed from outside, median of `runs`. */
function processMedian(args, cwd, runs, extraEnv = {}, node = process.execPath) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; times', 'bench', node, ...args], {
      cwd,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
    });
    const took = performance.now() - t0;
    const [user, sys] = r.stdout.trim().split('\n').pop().trim().split(/\s+/).map(bashTime);
    if (i > 0) {
      wall.push(took);
      cpu.push(user + sys);
    }
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const table = (rows) => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) => r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  '))
    .join('\n');
};

try {
  const tool = installPacked();
  const results = {};
  const load = os.loadavg()[0];
  const rows = [['', 'wall: --no-verify', 'with hooks', 'added', 'CPU: --no-verify', 'with hooks', 'added']];
  const row = (label, x) => [
    label,
    ms(x.without),
    ms(x.with),
    `+${ms(x.added)}`,
    ms(x.cpuWithout),
    ms(x.cpuWith),
    `+${ms(x.cpuAdded)}`,
  ];
  const floors = [];
  for (const manager of MANAGERS) {
    const repo = makeRepo(tool, manager);
    const c = sideBySide(repo, commit, RUNS);
    const p = sideBySide(repo, push, PUSH_RUNS);
    // the same manager with our runner stubbed out: what the manager's own hooks add to a commit
    const alone = sideBySide(makeRepo(tool, manager, { stub: true }), commit, RUNS);
    results[manager] = { commit: c, push: p, managerAlone: alone };
    rows.push(row(`${manager}: commit`, c), row(`${manager}: push`, p));
    floors.push([manager, alone, c]);
  }
  // The same commit when every file holds words SAST rules look for, so ast-grep loads and parses all 20.
  let risky;
  if (!COMMITS_ONLY) {
    risky = makeRepo(tool, 'git', { risky: true });
    const r = sideBySide(risky, commit, RUNS);
    results.gitParsed = { commit: r };
    rows.push(row('git: commit, SAST parses all 20', r));
  }

  console.log(
    `git commit of ${FILES} staged files (secrets + SAST on) and git push of ${FILES} new commits, ms, median of ${RUNS} commits / ${PUSH_RUNS} pushes`,
  );
  console.log(
    `(packed tarball installed with npm; husky 9.1.7, lefthook 2.2.1; node ${process.version}; ${os.cpus().length} CPUs; load average ${load.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end; targets: commit +100 ms, push +150 ms)`,
  );
  console.log(
    'CPU: user + system time of git and everything it ran (hooks, node, their git calls); wall time inflates with the load.',
  );
  console.log(table(rows));
  console.log(
    "the hook manager's own cost: the same commit with our runner stubbed (exit 0 at once), and what our check adds over it:",
  );
  console.log(
    table([
      ['', 'manager alone: added', 'CPU', 'our check over it: wall', 'CPU'],
      ...floors.map(([m, alone, c]) => [
        `${m}: commit`,
        `+${ms(alone.added)}`,
        `+${ms(alone.cpuAdded)}`,
        `+${ms(c.with - alone.with)}`,
        `+${ms(c.cpuWith - alone.cpuWith)}`,
      ]),
    ]),
  );
  if (COMMITS_ONLY) {
    console.log(JSON.stringify({ loadAverage: load, files: FILES, runs: RUNS, node: process.version, results }));
    rmSync(base, { recursive: true, force: true }); // (exit skips the finally below)
    process.exit(0);
  }
  // What SAST itself adds to the hook (issue: under 50 ms for 20 staged files): the same 20 staged files, the hook
  // alone with SAST on and off in .secure-repo.yml, two alternating rounds.
  const riskyOff = makeRepo(tool, 'git', { risky: true, sast: false });
  stageAll(risky);
  stageAll(riskyOff);
  const hookOnly = (repo) => processMedian([tool.cli, 'hook', 'pre-commit'], repo.dir, Math.max(RUNS, 5));
  const rounds = [];
  for (const first of ['on', 'off']) {
    const a = first === 'on' ? hookOnly(risky) : hookOnly(riskyOff);
    const b = first === 'on' ? hookOnly(riskyOff) : hookOnly(risky);
    rounds.push(first === 'on' ? [a, b] : [b, a]);
  }
  const sastOn = { wall: median(rounds.map((x) => x[0].wall)), cpu: median(rounds.map((x) => x[0].cpu)) };
  const sastOff = { wall: median(rounds.map((x) => x[1].wall)), cpu: median(rounds.map((x) => x[1].cpu)) };
  results.sastAdds = { on: sastOn, off: sastOff, wall: sastOn.wall - sastOff.wall, cpu: sastOn.cpu - sastOff.cpu };
  console.log(
    `SAST in the pre-commit hook on the 20 staged files that SAST parses: +${ms(results.sastAdds.wall)} ms wall, +${ms(results.sastAdds.cpu)} ms CPU (hook alone with SAST on ${ms(sastOn.wall)} / ${ms(sastOn.cpu)}, off ${ms(sastOff.wall)} / ${ms(sastOff.cpu)}; target +50 ms)`,
  );

  // Where the time goes, from the hook itself.
  const plain = path.join(base, 'git');
  const plainRepo = {
    dir: plain,
    manager: 'git',
    rev: 10_000,
    git: (...a) => execFileSync('git', a, { cwd: plain, env }).toString(),
  };
  const commitBreakdown = commit(plainRepo, true, { SECURE_REPO_TIMING: '1' }).stderr;
  const pushBreakdown = push(plainRepo, true, { SECURE_REPO_TIMING: '1' }).stderr;
  console.log(
    `\nbreakdown of one commit (plain git hooks, SECURE_REPO_TIMING=1; steps overlap where they run in parallel):\n${commitBreakdown.trimEnd()}`,
  );
  console.log(`\nbreakdown of one push of ${FILES} commits:\n${pushBreakdown.trimEnd()}`);

  // The hook command alone, against starting node: what the hook runner runs (bin/hook.cjs, with its code cache
  // warm, as on every commit after the first), the same without the cache, through the CLI, and unbundled.
  stageAll(plainRepo);
  const pkgDist = path.join(tool.modules, 'create-secure-repo', 'dist');
  const entry = path.join(path.dirname(tool.cli), 'hook.cjs');
  const n = Math.max(RUNS, 5);
  const noCache = { SECURE_REPO_CODE_CACHE: '0' };
  const nodeAlone = processMedian(['-e', '0'], plain, n);
  const hookEntry = processMedian([entry, 'pre-commit'], plain, n);
  const hookNoCache = processMedian([entry, 'pre-commit'], plain, n, noCache);
  const viaCli = processMedian([tool.cli, 'hook', 'pre-commit'], plain, n);
  const unbundled = processMedian(
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(path.join(pkgDist, 'cli', 'main.js'))}); await m.main(['hook', 'pre-commit']);`,
    ],
    plain,
    n,
  );
  results.process = { nodeAlone, hookEntry, hookNoCache, viaCli, unbundled };
  const fmt = (x) => `${ms(x.wall)} ms wall / ${ms(x.cpu)} ms CPU`;
  console.log(`\nthe pre-commit hook alone on the 20 staged files, median of ${n} processes (${process.version}):`);
  console.log(
    [
      `  node -e 0: ${fmt(nodeAlone)}`,
      `  bin/hook.cjs pre-commit (what the hooks run; code cache warm): ${fmt(hookEntry)}, hook minus node ${ms(hookEntry.wall - nodeAlone.wall)} ms`,
      `  the same without the code cache (SECURE_REPO_CODE_CACHE=0): ${fmt(hookNoCache)}`,
      `  secure-repo hook pre-commit (through bin/secure-repo.js): ${fmt(viaCli)}`,
      `  unbundled (dist/cli/main.js and the modules): ${fmt(unbundled)}`,
    ].join('\n'),
  );
  // Other Node versions, side by side on the same staged change.
  results.nodes = [];
  for (const version of NODE_VERSIONS) {
    const bin = nodeBinary(version);
    if (!bin) continue;
    const alone = processMedian(['-e', '0'], plain, n, {}, bin);
    const hook = processMedian([entry, 'pre-commit'], plain, n, {}, bin);
    const cold = processMedian([entry, 'pre-commit'], plain, n, noCache, bin);
    const v = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    results.nodes.push({ version: v, nodeAlone: alone, hook, noCodeCache: cold });
    console.log(
      `Node ${v}: node -e 0 ${fmt(alone)}; hook pre-commit ${fmt(hook)} (hook minus node: ${ms(hook.wall - alone.wall)} ms); without the code cache ${fmt(cold)}`,
    );
  }
  console.log(
    JSON.stringify({
      loadAverage: load,
      files: FILES,
      runs: RUNS,
      pushRuns: PUSH_RUNS,
      node: process.version,
      cpus: os.cpus().length,
      results,
    }),
  );
  // The commits and pushes again under each other Node version: the hooks run the node that installed them.
  for (const version of NODE_VERSIONS) {
    const bin = nodeBinary(version);
    if (!bin) continue;
    console.log(`\n--- the same commits and pushes, hooks installed and run with Node ${version} ---`);
    const sub = spawnSync(bin, [fileURLToPath(import.meta.url), '--commits-only'], {
      env: { ...process.env, BENCH_NODE_VERSIONS: '' },
      stdio: 'inherit',
    });
    if (sub.status !== 0) console.log(`(the run under Node ${version} failed: exit ${sub.status})`);
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
