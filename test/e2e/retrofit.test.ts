import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempRepo, type TempRepo } from '../support/repo.js';
import { snapshotTree } from '../support/snapshot.js';
import { gitRun } from '../hooks/helpers.js';
import { fakeGitHubToken as token } from '../../src/hooks/fake-token.js';

/**
 * Retrofit: init into repositories that already have hooks and configs, then uninstall. Every scenario proves
 * the user's bytes survive init (untouched files identical, merged files keep every line in order), their hooks
 * still run on a real commit, a second init changes nothing, and uninstall brings the tree back byte for byte.
 */

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** A user hook that appends its name to the log the test reads ($RETROFIT_LOG). */
const logHook = (name: string, shebang = '#!/bin/sh\n') =>
  `${shebang}# ${name}: the team's own check\necho "${name} $*" >> "$RETROFIT_LOG"\n`;

/**
 * What uninstall may leave different from the original, and why a user expects it:
 * - `.secure-repo.yml` and `.secure-repo/baseline.json`: their recorded choices and the reviewed record of what the
 *   history held at init; uninstall keeps them and says so.
 * - `.git/index`, `.git/COMMIT_EDITMSG`, `.git/refs/heads/main`, `.git/ORIG_HEAD`: git's own bookkeeping of the
 *   commit this test makes to prove the hooks run (object storage and logs are not in the snapshot).
 * - `.git/refs/remotes/…` / `.git/packed-refs`: the push, where a scenario pushes.
 */
const ALWAYS_DIFFERENT = new Set([
  '.secure-repo.yml',
  '.secure-repo/',
  '.secure-repo/baseline.json',
  '.git/index',
  '.git/COMMIT_EDITMSG',
  '.git/refs/heads/main',
  '.git/ORIG_HEAD',
]);
const isBookkeeping = (p: string) =>
  ALWAYS_DIFFERENT.has(p) || p.startsWith('.git/refs/remotes/') || p === '.git/packed-refs';

function diff(
  before: Record<string, string>,
  after: Record<string, string>,
  allowed: (p: string) => boolean,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => before[k] !== after[k] && !allowed(k))
    .sort()
    .map((k) => `${k}: ${before[k] ?? 'absent'} → ${after[k] ?? 'absent'}`);
}

/** Every line of `original` appears in `now`, in the same order (merged files may only add lines). */
function missingLines(original: string, now: string): string[] {
  const have = now.split('\n');
  let at = 0;
  const missing: string[] = [];
  for (const line of original.split('\n')) {
    const found = have.indexOf(line, at);
    if (found === -1) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

/** For JSON, merged means every key and value of the user's is still there (keys may only be added). */
function missingJson(original: unknown, now: unknown, at = '$'): string[] {
  if (typeof original === 'object' && original !== null && !Array.isArray(original)) {
    if (typeof now !== 'object' || now === null || Array.isArray(now)) return [at];
    return Object.entries(original).flatMap(([k, v]) =>
      missingJson(v, (now as Record<string, unknown>)[k], `${at}.${k}`),
    );
  }
  return JSON.stringify(original) === JSON.stringify(now) ? [] : [at];
}

interface Scenario {
  files: Record<string, string>;
  /** Files to make executable (hooks). */
  executable?: string[];
  /** Runs after the initial commit: git config, husky activation, … */
  setup?: (r: TempRepo) => void;
  /** Links node_modules/create-secure-repo to this package, as the package manager's install would. */
  linkTool?: boolean;
  /** Files init must leave byte-identical. */
  untouched: string[];
  /** Files init merges into: every original line must still be there in order. */
  merged?: string[];
  /** Lines the log must hold after one commit (and one push when `push`). */
  expectLog: string[];
  push?: boolean;
  /**
   * Our pre-commit hook is live after `init --no-install` (plain hooks, or husky already activated in the clone),
   * so a staged token must be blocked. Not with pre-commit/lefthook (their own install activates it) or husky
   * before its first package install.
   */
  blocks?: boolean;
  /** Folder name of the repository (spaces, non-ASCII). */
  name?: string;
  /** Extra checks after init. */
  afterInit?: (r: TempRepo) => void;
}

function scenario(s: Scenario): TempRepo {
  const r = tempRepo(s.name ? { name: s.name } : {});
  repos.push(r);
  const log = path.join(r.home, 'hooks.log');
  r.env = { ...r.env, RETROFIT_LOG: log };
  r.write(s.files);
  for (const f of s.executable ?? []) chmodSync(path.join(r.dir, f), 0o755);
  r.git('add', '-A');
  r.git('commit', '-q', '--no-verify', '-m', 'initial');
  s.setup?.(r);
  if (s.linkTool) {
    mkdirSync(path.join(r.dir, 'node_modules'), { recursive: true });
    symlinkSync(PACKAGE_ROOT, path.join(r.dir, 'node_modules', 'create-secure-repo'));
  }
  const globalConfig = () => readFileSync(r.env.GIT_CONFIG_GLOBAL!, 'utf8');
  const original = snapshotTree(r.dir);
  const originalGlobal = globalConfig();
  const originalText = Object.fromEntries(
    [...s.untouched, ...(s.merged ?? [])].map((f) => [f, readFileSync(path.join(r.dir, f), 'utf8')]),
  );

  const init = runCli(['init', '--yes', '--no-github', '--no-install'], { cwd: r.dir, env: r.env });
  expect(init.code, init.stderr).toBe(0);
  const afterInit = snapshotTree(r.dir);
  for (const f of s.untouched)
    expect(readFileSync(path.join(r.dir, f), 'utf8'), `${f} must not change`).toBe(originalText[f]);
  for (const f of s.untouched) expect(afterInit[f], `${f} mode must not change`).toBe(original[f]);
  for (const f of s.merged ?? []) {
    const now = readFileSync(path.join(r.dir, f), 'utf8');
    expect(now, `${f} should have our entries`).not.toBe(originalText[f]);
    const lost = f.endsWith('.json')
      ? missingJson(JSON.parse(originalText[f]!), JSON.parse(now))
      : missingLines(originalText[f]!, now);
    expect(lost, `${f}: the user's lines or values lost or reordered`).toEqual([]);
  }
  s.afterInit?.(r);

  // The user's hooks still run on a real commit (and ours let a clean change through).
  r.write({ 'retrofit-note.txt': 'a clean change\n' });
  r.git('add', 'retrofit-note.txt');
  const commit = gitRun(r, ['commit', '-m', 'a clean change']);
  expect(commit.code, commit.stderr).toBe(0);
  if (s.push) {
    const remote = path.join(path.dirname(r.dir), 'remote.git');
    gitRun(r, ['init', '-q', '--bare', remote]);
    r.git('remote', 'add', 'pushed', remote);
    // The default policy requires signed commits at push; this scenario is about chaining, not signing.
    const push = gitRun(r, ['push', '-q', 'pushed', 'main'], { env: { SECURE_REPO_SKIP: 'signing' } });
    expect(push.code, push.stderr).toBe(0);
    r.git('remote', 'remove', 'pushed');
  }
  let logText = '';
  try {
    logText = readFileSync(log, 'utf8');
  } catch {
    // no hook ran
  }
  for (const line of s.expectLog) expect(logText, `the user's hook should have logged "${line}"`).toContain(line);
  rmSync(path.join(r.dir, 'retrofit-note.txt'));
  if (s.blocks) {
    r.write({ 'leak.env': `TOKEN=${token()}\n` });
    r.git('add', 'leak.env');
    const leak = gitRun(r, ['commit', '-m', 'leak']);
    expect(leak.code, leak.stdout + leak.stderr).not.toBe(0);
    expect(leak.stderr).toMatch(/secure-repo/);
    r.git('rm', '-q', '--cached', 'leak.env');
    rmSync(path.join(r.dir, 'leak.env'));
  }

  // A second init finds nothing to do.
  const before2 = snapshotTree(r.dir);
  const again = runCli(['init', '--yes', '--no-github', '--no-install'], { cwd: r.dir, env: r.env });
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr + again.stdout, JSON.stringify(again)).toContain('Nothing to change');
  expect(diff(before2, snapshotTree(r.dir), () => false)).toEqual([]);

  const un = runCli(['uninstall'], { cwd: r.dir, env: r.env });
  expect(un.code, un.stderr + un.stdout).toBe(0);
  expect(diff(original, snapshotTree(r.dir), isBookkeeping)).toEqual([]);
  expect(globalConfig()).toBe(originalGlobal);
  return r;
}

/** husky 9's activation as `husky` (the prepare script) leaves it: `.husky/_/` with a stub per hook. */
function activateHusky9(r: TempRepo): void {
  const dir = path.join(r.dir, '.husky', '_');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.gitignore'), '*\n');
  writeFileSync(
    path.join(dir, 'h'),
    '#!/usr/bin/env sh\nn=$(basename "$0")\ns=$(dirname "$(dirname "$0")")/$n\n[ ! -f "$s" ] && exit 0\nsh -e "$s" "$@"\n',
    { mode: 0o755 },
  );
  for (const hook of ['pre-commit', 'pre-push', 'commit-msg', 'post-checkout']) {
    writeFileSync(path.join(dir, hook), '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n', { mode: 0o755 });
  }
  r.git('config', 'core.hooksPath', '.husky/_');
}

/** husky 8's `husky install`: `.husky/_/husky.sh` (ignored) sourced by each hook, core.hooksPath=.husky. */
function activateHusky8(r: TempRepo): void {
  const dir = path.join(r.dir, '.husky', '_');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.gitignore'), '*\n');
  writeFileSync(
    path.join(dir, 'husky.sh'),
    '#!/usr/bin/env sh\nif [ -z "$husky_skip_init" ]; then\n  readonly husky_skip_init=1\n  export husky_skip_init\nfi\n',
  );
  r.git('config', 'core.hooksPath', '.husky');
}

function installedGitHook(r: TempRepo, name: string, body: string): void {
  const file = path.join(r.dir, '.git', 'hooks', name);
  writeFileSync(file, body, { mode: 0o755 });
}

const PACKAGE_JSON = (extra: Record<string, unknown>) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, scripts: { test: 'node --test' }, ...extra }, null, 2)}\n`;

describe('retrofit: init and uninstall keep every byte of an existing setup', { timeout: 60_000 }, () => {
  it("husky v9 (.husky/pre-commit with the team's commands, prepare: husky)", () => {
    const pkg = PACKAGE_JSON({
      scripts: { prepare: 'husky', test: 'node --test' },
      devDependencies: { husky: '^9.1.7' },
    });
    const hook = '# lint before every commit\necho "husky9-pre-commit" >> "$RETROFIT_LOG"\n';
    scenario({
      files: { 'package.json': pkg, '.husky/pre-commit': hook, 'index.js': 'export {};\n' },
      setup: activateHusky9,
      linkTool: true,
      untouched: ['.husky/_/h', '.husky/_/pre-commit'],
      merged: ['.husky/pre-commit', 'package.json'],
      blocks: true,
      expectLog: ['husky9-pre-commit'],
    });
  });

  it('husky v8 (.husky/_/husky.sh sourced by each hook)', () => {
    const pkg = PACKAGE_JSON({
      scripts: { prepare: 'husky install', test: 'node --test' },
      devDependencies: { husky: '^8.0.3' },
    });
    const hook = `#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\necho "husky8-pre-commit" >> "$RETROFIT_LOG"\n`;
    const msg = `#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\necho "husky8-commit-msg" >> "$RETROFIT_LOG"\n`;
    scenario({
      files: { 'package.json': pkg, '.husky/pre-commit': hook, '.husky/commit-msg': msg, 'index.js': 'export {};\n' },
      executable: ['.husky/pre-commit', '.husky/commit-msg'],
      setup: activateHusky8,
      linkTool: true,
      untouched: ['.husky/commit-msg', '.husky/_/husky.sh'],
      merged: ['.husky/pre-commit', 'package.json'],
      blocks: true,
      expectLog: ['husky8-pre-commit', 'husky8-commit-msg'],
    });
  });

  it('husky v4 (hooks configured in package.json, installed into .git/hooks)', () => {
    const pkg = PACKAGE_JSON({
      husky: { hooks: { 'pre-commit': 'echo husky4 >> "$RETROFIT_LOG"' } },
      devDependencies: { husky: '^4.3.8' },
    });
    scenario({
      files: { 'package.json': pkg, 'index.js': 'export {};\n' },
      setup: (r) => {
        installedGitHook(r, 'pre-commit', logHook('husky4-pre-commit', '#!/bin/sh\n# husky\n'));
        installedGitHook(r, 'commit-msg', logHook('husky4-commit-msg', '#!/bin/sh\n# husky\n'));
      },
      // husky 4 drives .git/hooks: plain hooks chain them, so package.json has nothing to gain.
      untouched: ['package.json', '.git/hooks/pre-commit', '.git/hooks/commit-msg'],
      blocks: true,
      expectLog: ['husky4-pre-commit', 'husky4-commit-msg'],
    });
  });

  it('simple-git-hooks configured in package.json', () => {
    const pkg = PACKAGE_JSON({
      'simple-git-hooks': { 'pre-commit': 'echo sgh >> "$RETROFIT_LOG"' },
      devDependencies: { 'simple-git-hooks': '^2.11.1' },
    });
    scenario({
      files: { 'package.json': pkg, 'index.js': 'export {};\n' },
      setup: (r) => installedGitHook(r, 'pre-commit', logHook('simple-git-hooks-pre-commit')),
      // simple-git-hooks owns .git/hooks: plain hooks chain them and package.json stays as it is.
      untouched: ['package.json', '.git/hooks/pre-commit'],
      blocks: true,
      expectLog: ['simple-git-hooks-pre-commit'],
    });
  });

  it('pre-commit framework config with comments and anchors', () => {
    const config = [
      '# Our hooks: run `pre-commit install` after cloning.',
      'default_stages: [pre-commit]  # only on commit',
      '',
      'x-exclude: &generated',
      "  exclude: '^generated/'",
      '',
      'repos:',
      '  # formatting',
      '  - repo: https://github.com/pre-commit/pre-commit-hooks',
      '    rev: v4.6.0',
      '    hooks:',
      '      - id: trailing-whitespace',
      '        <<: *generated',
      '      - id: end-of-file-fixer   # keep files ending in a newline',
      '',
      '# end of config',
      '',
    ].join('\n');
    scenario({
      files: { '.pre-commit-config.yaml': config, 'main.py': 'print("hi")\n' },
      setup: (r) =>
        installedGitHook(
          r,
          'pre-commit',
          logHook(
            'pre-commit-framework',
            '#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n',
          ),
        ),
      untouched: ['.git/hooks/pre-commit'],
      merged: ['.pre-commit-config.yaml'],
      expectLog: ['pre-commit-framework'],
    });
  });

  it('lefthook.yml with comments', () => {
    const config = [
      '# lefthook: see https://lefthook.dev',
      'pre-commit:',
      '  parallel: true # speed',
      '  commands:',
      '    # vet the Go code',
      '    vet:',
      '      run: go vet ./...',
      '',
      'commit-msg:',
      '  commands:',
      '    lint:',
      '      run: echo lint',
      '',
    ].join('\n');
    scenario({
      files: { 'lefthook.yml': config, 'go.mod': 'module example.com/app\n' },
      setup: (r) => installedGitHook(r, 'pre-commit', logHook('lefthook-pre-commit', '#!/bin/sh\n# lefthook\n')),
      untouched: ['.git/hooks/pre-commit'],
      merged: ['lefthook.yml'],
      expectLog: ['lefthook-pre-commit'],
    });
  });

  it('non-sample .git/hooks/pre-commit and pre-push scripts', () => {
    scenario({
      files: { 'go.mod': 'module example.com/app\n', 'main.go': 'package main\n\nfunc main() {}\n' },
      setup: (r) => {
        installedGitHook(r, 'pre-commit', logHook('git-pre-commit'));
        installedGitHook(r, 'pre-push', logHook('git-pre-push'));
      },
      untouched: ['.git/hooks/pre-commit', '.git/hooks/pre-push', '.git/hooks/pre-commit.sample'],
      blocks: true,
      expectLog: ['git-pre-commit', 'git-pre-push pushed'],
      push: true,
    });
  });

  it('local core.hooksPath pointing at a committed .githooks/ folder', () => {
    scenario({
      files: {
        'go.mod': 'module example.com/app\n',
        '.githooks/pre-commit': logHook('githooks-pre-commit'),
        '.githooks/commit-msg': logHook('githooks-commit-msg'),
        // pre-push reads the refs on stdin: it must still get them after our check has read them.
        '.githooks/pre-push': '#!/bin/sh\necho "githooks-pre-push-stdin $(cat)" >> "$RETROFIT_LOG"\n',
        '.githooks/README': 'Run: git config core.hooksPath .githooks\n',
      },
      executable: ['.githooks/pre-commit', '.githooks/commit-msg', '.githooks/pre-push'],
      setup: (r) => r.git('config', 'core.hooksPath', '.githooks'),
      untouched: ['.githooks/commit-msg', '.githooks/README'],
      merged: ['.githooks/pre-commit', '.githooks/pre-push'],
      push: true,
      blocks: true,
      expectLog: ['githooks-pre-commit', 'githooks-commit-msg', 'githooks-pre-push-stdin refs/heads/main '],
    });
  });

  it('a global core.hooksPath (set in the global git config)', () => {
    scenario({
      files: { 'go.mod': 'module example.com/app\n' },
      setup: (r) => {
        const dir = path.join(r.home, 'global hooks');
        mkdirSync(dir);
        writeFileSync(path.join(dir, 'pre-commit'), logHook('global-pre-commit'), { mode: 0o755 });
        writeFileSync(path.join(dir, 'commit-msg'), logHook('global-commit-msg'), { mode: 0o755 });
        gitRun(r, ['config', '--global', 'core.hooksPath', dir]);
      },
      untouched: [],
      blocks: true,
      expectLog: ['global-pre-commit', 'global-commit-msg'],
    });
  });

  it('package.json in a subfolder (app/package.json)', () => {
    const pkg = PACKAGE_JSON({ scripts: { build: 'tsc', prepare: 'npm run build' } });
    scenario({
      files: { 'app/package.json': pkg, 'app/index.js': 'export {};\n', 'README.md': '# service\n' },
      setup: (r) => installedGitHook(r, 'pre-commit', logHook('subfolder-pre-commit')),
      // The application lives in app/: husky is installed there (hooks at the git root), and the user's prepare
      // step is kept alongside ours. Husky activates on the user's next install, so there is no blocking check here.
      untouched: ['README.md', '.git/hooks/pre-commit'],
      expectLog: ['subfolder-pre-commit'],
      afterInit: (r) => {
        const pkg = JSON.parse(readFileSync(path.join(r.dir, 'app/package.json'), 'utf8'));
        const before = JSON.parse(PACKAGE_JSON({ scripts: { build: 'tsc', prepare: 'npm run build' } }));
        // Everything the user wrote is still there; prepare gains our step after theirs.
        expect({
          ...pkg,
          scripts: { ...pkg.scripts, prepare: 'npm run build' },
          devDependencies: before.devDependencies,
        }).toEqual(before);
        expect(pkg.devDependencies).toHaveProperty('create-secure-repo');
        expect(pkg.scripts.prepare).toContain('npm run build');
        expect(pkg.scripts.prepare).toContain('.husky/install.mjs');
      },
    });
  });

  it('a monorepo with workspaces', () => {
    // Formatted by hand, as many are: inline arrays and one-line objects must come back exactly.
    const root = [
      '{',
      '  "name": "mono",',
      '  "private": true,',
      '  "workspaces": ["packages/*"],',
      '  "scripts": { "test": "npm test --workspaces" },',
      '  "devDependencies": { "typescript": "^5.6.0", "vitest": "^2.1.0" }',
      '}',
      '',
    ].join('\n');
    scenario({
      files: {
        'package.json': root,
        'packages/a/package.json': PACKAGE_JSON({ name: '@mono/a' }),
        'packages/b/package.json': PACKAGE_JSON({ name: '@mono/b', dependencies: { '@mono/a': '1.0.0' } }),
        'packages/a/index.js': 'export {};\n',
      },
      setup: (r) => installedGitHook(r, 'pre-commit', logHook('monorepo-pre-commit')),
      untouched: ['packages/a/package.json', 'packages/b/package.json'],
      merged: ['package.json'],
      expectLog: ['monorepo-pre-commit'],
      afterInit: (r) => {
        const text = readFileSync(path.join(r.dir, 'package.json'), 'utf8');
        expect(text).toContain('"workspaces": ["packages/*"],');
        expect(text).toContain('"devDependencies": { "create-secure-repo": ');
      },
    });
  });

  it('CRLF line endings in the YAML configs', () => {
    const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';
    const config = crlf([
      '# hooks',
      'repos:',
      '  - repo: local',
      '    hooks:',
      '      - id: say-hi',
      '        name: say hi',
      '        entry: echo hi',
      '        language: system',
    ]);
    const dependabot = crlf([
      '# updates we want',
      'version: 2',
      'updates:',
      '  - package-ecosystem: pip',
      '    directory: "/"',
      '    schedule:',
      '      interval: daily',
    ]);
    scenario({
      files: {
        '.pre-commit-config.yaml': config,
        '.github/dependabot.yml': dependabot,
        'requirements.txt': 'requests==2.32.3\r\n',
        '.gitattributes': '* text=auto\r\n',
      },
      setup: (r) => installedGitHook(r, 'pre-commit', logHook('crlf-pre-commit')),
      untouched: ['.git/hooks/pre-commit', '.gitattributes'],
      merged: ['.pre-commit-config.yaml', '.github/dependabot.yml'],
      expectLog: ['crlf-pre-commit'],
      afterInit: (r) => {
        // Our block follows the file's line endings: no bare LF inside a CRLF file.
        for (const f of ['.pre-commit-config.yaml', '.github/dependabot.yml']) {
          const text = readFileSync(path.join(r.dir, f), 'utf8');
          expect(text.replace(/\r\n/g, ''), f).not.toContain('\n');
        }
      },
    });
  });

  it('existing .github/dependabot.yml, CODEOWNERS and SECURITY.md', () => {
    const dependabot =
      '# Keep actions and npm fresh\nversion: 2\nupdates:\n  - package-ecosystem: "github-actions"\n    directory: "/"\n    schedule: { interval: "monthly" }\n';
    const codeowners = '# Default owners\n* @acme/platform\n';
    const security = '# Security\n\nMail security@acme.example.\n';
    scenario({
      files: {
        '.github/dependabot.yml': dependabot,
        '.github/CODEOWNERS': codeowners,
        'SECURITY.md': security,
        'go.mod': 'module example.com/app\n',
      },
      setup: (r) => {
        r.git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
        installedGitHook(r, 'pre-commit', logHook('policy-pre-commit'));
      },
      untouched: ['SECURITY.md', '.git/hooks/pre-commit'],
      merged: ['.github/dependabot.yml', '.github/CODEOWNERS'],
      blocks: true,
      expectLog: ['policy-pre-commit'],
    });
  });

  it('paths with spaces and non-ASCII characters', () => {
    scenario({
      name: 'my repo ünïcödé',
      files: {
        'go.mod': 'module example.com/app\n',
        'docs/naïve notes.md': '# Notes ✓\n',
        'src dir/main.go': 'package main\n',
        // Also: a CRLF .gitattributes our line is added to, and a dependabot.yml without `updates` yet.
        '.gitattributes': '*.go text eol=lf\r\n',
        '.github/dependabot.yml': '# ü: only the version so far\nversion: 2\n',
      },
      setup: (r) => installedGitHook(r, 'pre-commit', logHook('unicode-pre-commit')),
      untouched: ['docs/naïve notes.md', 'src dir/main.go', '.git/hooks/pre-commit'],
      merged: ['.gitattributes', '.github/dependabot.yml'],
      afterInit: (r) => {
        const text = readFileSync(path.join(r.dir, '.gitattributes'), 'utf8');
        expect(text.replace(/\r\n/g, '')).not.toContain('\n');
        expect(readFileSync(path.join(r.dir, '.github/dependabot.yml'), 'utf8')).toContain('package-ecosystem: gomod');
      },
      blocks: true,
      expectLog: ['unicode-pre-commit'],
    });
  });
});
