import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { snapshotTree } from '../support/snapshot.js';
import { gitRun } from '../hooks/helpers.js';
import { npmEnv, usePackedTarball } from './packed.js';
import { fakeGitHubToken as token } from '../../src/hooks/fake-token.js';

/**
 * Repositories as they are in the world, set up from the packed tarball the way a user would: lifecycle scripts off
 * and no lockfile (express), `master`, old findings in the history, the project's own CodeQL and Scorecard
 * workflows, editable requirements and the pre-commit framework in use (requests), a new project in a folder inside
 * another repository. Each ends the same way: a real `git commit` of a valid token is refused, a real push of the
 * existing history to a new remote is accepted, a second init changes nothing, and uninstall gives back the exact
 * hook setup.
 */

const repos: TempRepo[] = [];
const packedTool = usePackedTarball(repos);

function repo(branch: string): TempRepo {
  const r = tempRepo();
  repos.push(r);
  // Lifecycle scripts are what husky's activation normally hangs on; CI unset so nothing is skipped for CI.
  r.env = npmEnv({ ...r.env, CI: '' });
  r.git('symbolic-ref', 'HEAD', `refs/heads/${branch}`);
  return r;
}

function commitAll(r: TempRepo, message: string): void {
  r.git('add', '-A');
  r.git('commit', '-q', '--no-verify', '-m', message);
}

/** The packed CLI, as `npx create-secure-repo …` runs it. */
function tool(r: TempRepo, args: string[], cwd = r.dir) {
  const res = spawnSync(process.execPath, [packedTool().cli, ...args], {
    cwd,
    env: r.env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

const init = (r: TempRepo, extra: string[] = [], cwd = r.dir) =>
  tool(r, ['--yes', '--no-github', '--package-spec', packedTool().tarball, ...extra], cwd);

/**
 * What uninstall may leave different, and why: the user's recorded choices and reviewed baseline stay (it says so);
 * the index, ORIG_HEAD and remote refs are git's bookkeeping of this test's own `git add`, `git reset` and push.
 */
const KEPT = (p: string) =>
  p === '.secure-repo.yml' ||
  p === '.git/ORIG_HEAD' ||
  p === '.secure-repo/' ||
  p === '.secure-repo/baseline.json' ||
  p === '.git/index' ||
  p.startsWith('.git/refs/remotes/') ||
  p === '.git/FETCH_HEAD';

function diff(
  before: Record<string, string>,
  after: Record<string, string>,
  allowed: (p: string) => boolean = () => false,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => before[k] !== after[k] && !allowed(k))
    .sort()
    .map((k) => `${k}: ${before[k] ?? 'absent'} → ${after[k] ?? 'absent'}`);
}

/** The common ending: token refused by a real commit, history pushed, second init a no-op, uninstall exact. */
function proveAndUndo(
  r: TempRepo,
  original: Record<string, string> | null,
  opts: { branch: string; pushEnv?: NodeJS.ProcessEnv },
): void {
  // 1. A real commit of a valid token, with init's files staged as the user would stage them, is refused by our
  //    hook and nothing is committed.
  const head = r.git('rev-parse', 'HEAD');
  r.write({ 'config/leak.env': `GITHUB_TOKEN=${token()}\n` });
  r.git('add', '-A');
  const leak = gitRun(r, ['commit', '-m', 'add config']);
  expect(leak.code, leak.stdout + leak.stderr).not.toBe(0);
  expect(leak.stdout + leak.stderr).toMatch(
    /secure-repo: commit blocked[\s\S]*|config\/leak\.env[\s\S]*secure-repo: commit blocked/,
  );
  expect(leak.stdout + leak.stderr).toContain('config/leak.env');
  expect(r.git('rev-parse', 'HEAD')).toBe(head);
  r.git('reset', '-q');
  rmSync(path.join(r.dir, 'config'), { recursive: true });

  // 2. The existing history, old findings and all, is pushed to a new remote through the pre-push hook.
  const remote = path.join(r.home, `remote-${path.basename(r.dir)}.git`);
  gitRun(r, ['init', '-q', '--bare', remote]);
  const push = gitRun(r, ['push', remote, `HEAD:refs/heads/${opts.branch}`], { env: opts.pushEnv ?? {} });
  expect(push.code, push.stdout + push.stderr).toBe(0);
  expect(gitRun(r, ['ls-remote', remote, `refs/heads/${opts.branch}`]).stdout).toContain(head);

  // 3. A second init changes nothing, and says the hooks are on because it saw a commit refused.
  const before = snapshotTree(r.dir);
  const again = init(r);
  expect(again.code, again.out).toBe(0);
  expect(again.out).toContain('Nothing to change');
  expect(again.out).not.toMatch(/npm install|pre-commit install/);
  expect(again.out).toMatch(/Hooks on: a real `git commit`/);
  expect(diff(before, snapshotTree(r.dir))).toEqual([]);

  // 4. Uninstall gives back the exact hook setup (and every other byte) the repository had.
  const un = tool(r, ['uninstall']);
  expect(un.code, un.out).toBe(0);
  if (original) expect(diff(original, snapshotTree(r.dir), KEPT)).toEqual([]);
  else {
    // A new project had git's own hook setup: no hooks path, no hooks, none of our settings.
    expect(gitRun(r, ['config', '--get-regexp', '^(core\\.hookspath|secure-repo\\.)']).stdout).toBe('');
    expect(readdirSync(path.join(r.dir, '.git/hooks')).filter((f) => !f.endsWith('.sample'))).toEqual([]);
    expect(existsSync(path.join(r.dir, '.githooks'))).toBe(false);
  }
}

describe('retrofit, from the packed tarball, on repositories as they are', { timeout: 600_000 }, () => {
  it('express-like: install scripts off, no lockfile, master, old findings in history, its own CodeQL and Scorecard', () => {
    const r = repo('master');
    const pkg = { name: 'web', version: '1.0.0', scripts: { test: 'node --test' }, devDependencies: {} };
    r.write({
      '.npmrc': 'package-lock=false\nignore-scripts=true\n',
      'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
      'index.js': 'module.exports = () => 1;\n',
      '.github/workflows/codeql.yml':
        'name: CodeQL\non: push\njobs:\n  analyze:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: github/codeql-action/init@v3\n',
      '.github/workflows/scorecard.yml':
        'name: Scorecard\non: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ossf/scorecard-action@v2\n',
    });
    commitAll(r, 'initial');
    // Years ago: a real-format token committed and later deleted, and a URL with a password in a test.
    const old = token();
    r.write({
      'lib/settings.js': `module.exports = { token: '${old}' };\n`,
      'test/client.test.js': "const url = 'https://admin:hunter2@db.internal/app';\n",
    });
    commitAll(r, 'settings');
    rmSync(path.join(r.dir, 'lib/settings.js'));
    commitAll(r, 'remove settings');
    const original = snapshotTree(r.dir);

    const first = init(r);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/Existing findings: \d+/);
    expect(first.out).toMatch(/Rotate this one anyway[\s\S]*lib\/settings\.js/);
    // husky activated by init itself: the project's .npmrc keeps `prepare` from ever running.
    expect(r.git('config', 'core.hooksPath')).toBe('.husky/_');
    expect(first.out).toMatch(/Hooks on: a real `git commit` of a staged GitHub token was refused/);
    expect(first.out).toContain('npm install && npm run prepare');
    expect(readFileSync(path.join(r.dir, '.secure-repo.yml'), 'utf8')).toMatch(/branch: "master"/);
    const baseline = JSON.parse(readFileSync(path.join(r.dir, '.secure-repo/baseline.json'), 'utf8')) as {
      findings: { file: string }[];
    };
    expect(baseline.findings.map((f) => f.file)).toContain('lib/settings.js');
    // The project's own Scorecard is reused, not duplicated.
    expect(existsSync(path.join(r.dir, '.github/workflows/secure-repo-scorecard.yml'))).toBe(false);
    expect(existsSync(path.join(r.dir, 'package-lock.json'))).toBe(false);
    proveAndUndo(r, original, { branch: 'master' });
  });

  it('requests-like: editable requirements and the pre-commit framework already in use', () => {
    const r = repo('main');
    const config = [
      '# our hooks',
      'repos:',
      '  - repo: local',
      '    hooks:',
      '      - id: no-tabs',
      '        name: no tabs',
      '        entry: "true"',
      '        language: system',
      '',
    ].join('\n');
    r.write({
      'requirements-dev.txt': '-e .[socks]\npytest>=2.8.0,<10\n',
      'pyproject.toml': '[project]\nname = "client"\nversion = "1.0"\n',
      'src/client/__init__.py': 'VERSION = "1.0"\n',
      '.pre-commit-config.yaml': config,
    });
    commitAll(r, 'initial');
    r.write({ 'tests/test_auth.py': "URL = 'http://user:pass@example.com/'\n" });
    commitAll(r, 'tests');
    // The team's own `pre-commit install` (pre-commit hook only), as a developer of the project has it.
    const pc = spawnSync('pre-commit', ['install'], { cwd: r.dir, env: r.env, encoding: 'utf8' });
    expect(pc.status, pc.stderr).toBe(0);
    const teamHook = readFileSync(path.join(r.dir, '.git/hooks/pre-commit'), 'utf8');
    const original = snapshotTree(r.dir);

    const first = init(r);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/Hooks on: a real `git commit`/);
    expect(readFileSync(path.join(r.dir, '.git/hooks/pre-commit'), 'utf8')).toBe(teamHook);
    expect(readFileSync(path.join(r.dir, '.git/hooks/pre-push'), 'utf8')).toMatch(/File generated by pre-commit/);
    proveAndUndo(r, original, { branch: 'main' });
    // The framework's pre-push hook init installed is gone; the team's pre-commit hook is as it was.
    expect(existsSync(path.join(r.dir, '.git/hooks/pre-push'))).toBe(false);
    expect(readFileSync(path.join(r.dir, '.git/hooks/pre-commit'), 'utf8')).toBe(teamHook);
  });

  it('a new project in a folder inside another repository, on a git whose default branch is master', () => {
    const parent = repo('main');
    writeFileSync(
      parent.env.GIT_CONFIG_GLOBAL!,
      readFileSync(parent.env.GIT_CONFIG_GLOBAL!, 'utf8').replace('defaultBranch = main', 'defaultBranch = master'),
    );
    parent.write({ 'README.md': '# platform\n' });
    commitAll(parent, 'initial');
    const first = tool(parent, ['svc', '--yes', '--no-github', '--package-spec', packedTool().tarball]);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/svc is inside the repository/);
    expect(first.out).toMatch(/1\. cd svc/);
    const r = sub(parent, 'svc');
    // The branch the plan and the workflows name, not this git's default.
    expect(r.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(first.out).toMatch(/Hooks on: a real `git commit`/);
    r.write({ 'main.go': 'package main\n\nfunc main() {}\n' });
    r.git('add', 'main.go');
    r.git('commit', '-q', '-m', 'first');
    // Now there is Go code: init adapts the workflows to it (CodeQL for Go), once.
    const adapted = init(r);
    expect(adapted.code, adapted.out).toBe(0);
    expect(readFileSync(path.join(r.dir, '.github/workflows/secure-repo-build.yml'), 'utf8')).toMatch(/language: go/);
    // The first commit is new, and the policy asks for signed commits on main: the signature check is skipped for
    // this push (this scenario is about the nested set-up, the other two push unsigned history that predates us).
    proveAndUndo(r, null, { branch: 'main', pushEnv: { SECURE_REPO_SKIP: 'signing' } });
    // The parent repository saw nothing but an untracked folder.
    expect(parent.git('status', '--porcelain')).toBe('?? svc/');
  });
});

/** A TempRepo view of a folder inside another one's (same HOME and git config). */
function sub(parent: TempRepo, name: string): TempRepo {
  const dir = path.join(parent.dir, name);
  return {
    dir,
    home: parent.home,
    env: parent.env,
    git: (...args) => execFileSync('git', args, { cwd: dir, env: parent.env, encoding: 'utf8' }).trim(),
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), content);
      }
    },
    cleanup: () => undefined,
  };
}
