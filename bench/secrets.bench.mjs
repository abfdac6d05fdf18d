// Secret scanner benchmark: the same inputs, side by side.
//  1. A ~30 MB tree of real source files taken from node_modules: secure-repo vs secretlint (recommended preset).
//  2. A generated history of a few thousand commits: `secure-repo scan --history` vs `git log -p` itself.
// Inputs are built from this machine only and cached under .bench-cache/. Medians over several runs.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(root, '.bench-cache');
const bin = path.join(root, 'bin', 'secure-repo.js');
const secretlintBin = path.join(root, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const TREE_BYTES = 30 * 1024 * 1024;
const COMMITS = 3000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// secretlint 13 takes seconds here (12 took minutes on one pathological input); BENCH_PEER_RUNS=0 skips it.
const PEER_RUNS = Number(process.env.BENCH_PEER_RUNS ?? 5);
const secretlintVersion = JSON.parse(
  readFileSync(path.join(root, 'node_modules', 'secretlint', 'package.json'), 'utf8'),
).version;
const SOURCE_EXT = /\.(?:js|mjs|cjs|ts|mts|json|md|yml|yaml)$/;

// Git never sees the developer's config here either.
const home = path.join(cache, 'home');
const env = {
  ...process.env,
  HOME: home,
  GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
  GIT_CONFIG_NOSYSTEM: '1',
  NO_COLOR: '1',
};

function git(cwd, args, input) {
  return execFileSync('git', args, { cwd, env, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Source files from node_modules in a fixed order, skipping minified bundles and huge generated files. */
function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== '.bin' && e.name !== '.bench-cache') yield* sourceFiles(p);
    else if (e.isFile() && SOURCE_EXT.test(e.name) && !e.name.includes('.min.')) {
      const size = statSync(p).size;
      if (size > 0 && size < 512 * 1024) yield { path: p, size };
    }
  }
}

function buildTree() {
  const tree = path.join(cache, 'tree');
  if (existsSync(path.join(tree, '.complete'))) return tree;
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  let total = 0;
  for (const f of sourceFiles(path.join(root, 'node_modules'))) {
    const rel = path.relative(path.join(root, 'node_modules'), f.path);
    mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    copyFileSync(f.path, path.join(tree, rel));
    total += f.size;
    if (total >= TREE_BYTES) break;
  }
  // Its own (empty) repository, so the scan lists it like a real checkout rather than as ignored files.
  git(tree, ['init', '-q']);
  writeFileSync(
    path.join(tree, '.secretlintrc.json'),
    JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }),
  );
  writeFileSync(path.join(tree, '.complete'), String(total));
  return tree;
}

/** A history of COMMITS commits, each adding or editing files with real source text, written with fast-import. */
function buildHistory() {
  const repo = path.join(cache, 'history');
  if (existsSync(path.join(repo, '.git', 'bench-complete'))) return repo;
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  git(repo, ['init', '-q']);
  const files = [...sourceFiles(path.join(root, 'node_modules'))].filter((f) => f.size < 64 * 1024);
  const parts = [];
  let t = 1_700_000_000;
  for (let i = 0; i < COMMITS; i++) {
    const msg = `change ${i}`;
    parts.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${t++} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`,
    );
    for (let k = 0; k < 3; k++) {
      const src = files[(i * 7 + k * 131) % files.length];
      const body = readFileSync(src.path);
      // Edits of a bounded set of paths: additions, modifications, growing files, like a real project.
      const target = `src/m${(i * 3 + k) % 600}/${path.basename(src.path)}`;
      parts.push(`M 100644 inline ${target}\ndata ${body.length}\n`);
      parts.push(body);
      parts.push('\n');
    }
  }
  const stream = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  git(repo, ['fast-import', '--quiet'], stream);
  git(repo, ['reset', '-q', '--hard', 'main']);
  writeFileSync(path.join(repo, '.git', 'bench-complete'), '1');
  return repo;
}

// On a shared machine wall time says as much about the neighbours as about the tools; CPU time (user + system,
// the child and everything it starts, such as git) much less. Linux keeps it for reaped children in
// /proc/self/stat; elsewhere the CPU columns stay empty.
let clockTicks = null;
function childCpuMs() {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}

function timeRun(cmd, args, cwd, okCodes = [0, 1]) {
  const cpu = childCpuMs();
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!okCodes.includes(r.status))
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return { ms, cpuMs: childCpuMs() - cpu, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

export default async function secretsBench() {
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Bench\n\temail = bench@example.com\n');
  if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first');
  const tree = buildTree();
  const bytes = Number(readFileSync(path.join(tree, '.complete'), 'utf8'));
  const mb = bytes / 1024 / 1024;
  const files = Number(
    git(tree, ['ls-files', '--others', '--exclude-standard']).toString().split('\n').filter(Boolean).length,
  );

  const ours = [];
  const oursCpu = [];
  let ourFindings = 0;
  // Ours and secretlint alternate on the tree, so a shift in the machine's load hits both alike.
  const peer = [];
  const peerCpu = [];
  let peerFindings = 0;
  for (let i = 0; i < Math.max(RUNS, PEER_RUNS); i++) {
    if (i < RUNS) {
      const r = timeRun(process.execPath, [bin, 'scan', '--secrets-only', '--format', 'json'], tree);
      ours.push(r.ms);
      oursCpu.push(r.cpuMs);
      ourFindings = JSON.parse(r.stdout.toString()).findings.length;
    }
    if (i < PEER_RUNS) {
      const r = timeRun(process.execPath, [secretlintBin, '**/*', '--format', 'compact'], tree, [0, 1]);
      peer.push(r.ms);
      peerCpu.push(r.cpuMs);
      peerFindings = r.stdout
        .toString()
        .split('\n')
        .filter((l) => / Error - /.test(l)).length;
    }
  }
  const oursMs = median(ours);

  const repo = buildHistory();
  const commits = Number(git(repo, ['rev-list', '--count', '--all']).toString().trim());
  const gitRuns = [];
  const gitCpu = [];
  const histRuns = [];
  const histCpu = [];
  let histStats;
  for (let i = 0; i < RUNS; i++) {
    const g = timeRun('git', ['log', '-p', '--all'], repo);
    gitRuns.push(g.ms);
    gitCpu.push(g.cpuMs);
    const r = timeRun(process.execPath, [bin, 'scan', '--history', '--secrets-only', '--format', 'json'], repo);
    histRuns.push(r.ms);
    histCpu.push(r.cpuMs);
    histStats = JSON.parse(r.stdout.toString()).stats;
  }
  const gitMs = median(gitRuns);
  const histMs = median(histRuns);
  const patchMb = timeRun('git', ['log', '-p', '--all'], repo).stdout.length / 1024 / 1024;

  const peerMs = peer.length ? median(peer) : NaN;

  const cpu = (xs) => (xs.some((x) => Number.isNaN(x)) ? NaN : median(xs));
  const oursCpuMs = cpu(oursCpu);
  const peerCpuMs = peer.length ? cpu(peerCpu) : NaN;
  const histCpuMs = cpu(histCpu);
  const gitCpuMs = cpu(gitCpu);
  const fmtCpu = (ms) => (Number.isNaN(ms) ? '' : fmt(ms));
  const rows = [
    ['input', 'tool', 'median', 'CPU (median)', 'throughput', 'findings'],
    [
      `tree: ${files} files, ${mb.toFixed(1)} MB`,
      'secure-repo scan',
      fmt(oursMs),
      fmtCpu(oursCpuMs),
      `${(mb / (oursMs / 1000)).toFixed(1)} MB/s`,
      String(ourFindings),
    ],
    peer.length
      ? [
          '',
          `secretlint ${secretlintVersion} (preset-recommend)`,
          fmt(peerMs),
          fmtCpu(peerCpuMs),
          `${(mb / (peerMs / 1000)).toFixed(1)} MB/s`,
          String(peerFindings),
        ]
      : ['', 'secretlint (skipped: BENCH_PEER_RUNS=0)', '', '', '', ''],
    [
      `history: ${commits} commits, ${patchMb.toFixed(1)} MB of git log -p`,
      'secure-repo scan --history',
      fmt(histMs),
      fmtCpu(histCpuMs),
      `${(patchMb / (histMs / 1000)).toFixed(1)} MB/s`,
      `${histStats.files} file changes`,
    ],
    ['', 'git log -p (reference)', fmt(gitMs), fmtCpu(gitCpuMs), `${(patchMb / (gitMs / 1000)).toFixed(1)} MB/s`, ''],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  const cpuRatio = (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? '' : `; CPU time ${(a / b).toFixed(2)}x`);
  if (peer.length) {
    console.log(
      `\nsecure-repo vs secretlint ${secretlintVersion} on the tree, whole processes: ${(peerMs / oursMs).toFixed(1)}x faster${cpuRatio(peerCpuMs, oursCpuMs)} (goal >= 5x)`,
    );
  }
  console.log(
    `history scan vs git log -p: ${(histMs / gitMs).toFixed(2)}x git's time${cpuRatio(histCpuMs, gitCpuMs)} (goal <= 1.5x)`,
  );
  console.log(
    `medians of ${RUNS} runs (secretlint: ${PEER_RUNS}); ${os.cpus().length} CPU cores, Node ${process.versions.node}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  return { oursMs, peerMs, gitMs, histMs, oursCpuMs, peerCpuMs, histCpuMs, gitCpuMs, mb, patchMb };
}
