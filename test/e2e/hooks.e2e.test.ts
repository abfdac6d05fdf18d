import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { gitRun, pathWithoutNode, readLog, writeLoggingHook } from '../hooks/helpers.js';
import { npmEnv, PROJECT, usePackedTarball } from './packed.js';
import { fakeGitHubToken as token } from '../../src/hooks/fake-token.js';

const repos: TempRepo[] = [];
const packedTool = usePackedTarball(repos);

function repo(files: Record<string, string>): TempRepo {
  const r = tempRepo();
  repos.push(r);
  r.env = npmEnv({ ...r.env, CI: '' });
  r.write(files);
  r.git('add', '-A');
  r.git('commit', '-qm', 'initial');
  return r;
}

/** Runs the installed (packed) CLI, as `npx create-secure-repo …` would. */
function tool(r: TempRepo, args: string[]) {
  const res = spawnSync(process.execPath, [packedTool().cli, ...args], { cwd: r.dir, env: r.env, encoding: 'utf8' });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

function commitFile(r: TempRepo, file: string, content: string, env: NodeJS.ProcessEnv = {}) {
  r.write({ [file]: content });
  r.git('add', file);
  return gitRun(r, ['commit', '-m', `change ${file}`], { env });
}

const head = (r: TempRepo) => r.git('rev-parse', 'HEAD');

function bareRemote(r: TempRepo): string {
  const remote = path.join(path.dirname(r.dir), 'remote.git');
  gitRun(r, ['init', '-q', '--bare', remote]);
  r.git('remote', 'add', 'origin', remote);
  return remote;
}

const remoteRefs = (r: TempRepo, remote: string) => gitRun(r, ['ls-remote', remote]).stdout.trim();

describe('plain git hooks (a Go repository, no package manager hooks)', () => {
  it('blocks a token, passes clean commits, honours secure-repo:allow, blocks history at push, keeps old hooks', () => {
    const r = repo({ 'go.mod': 'module example.com/app\n', 'main.go': 'package main\n\nfunc main() {}\n' });
    const log = path.join(r.home, 'legacy.log');
    writeLoggingHook(path.join(r.dir, '.git/hooks/pre-commit'), 'legacy-pre-commit', log);

    const install = tool(r, ['hook', 'install']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toContain('git config core.hooksPath .githooks');
    expect(install.stderr).toContain('Self-test passed');
    expect(r.git('config', 'core.hooksPath')).toBe('.githooks');
    r.git('add', '-A');
    expect(gitRun(r, ['commit', '-qm', 'add hooks']).code).toBe(0);

    // a token is blocked and HEAD does not move
    const before = head(r);
    const leak = commitFile(r, 'config.go', `package main\n\nconst apiToken = "${token()}"\n`);
    expect(leak.code).not.toBe(0);
    expect(head(r)).toBe(before);
    expect(leak.stderr).toContain('config.go');
    expect(leak.stderr).toMatch(/commit blocked/);
    expect(leak.stderr).toMatch(/--no-verify/);
    expect(leak.stderr).toMatch(/SECURE_REPO_SKIP=1/);
    expect(leak.stderr).toMatch(/rotate/i);
    r.git('reset', '-q', 'HEAD', 'config.go');

    // a clean commit passes silently, and the hook that was in .git/hooks still runs
    const clean = commitFile(r, 'util.go', 'package main\n\nfunc add(a, b int) int { return a + b }\n');
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).not.toMatch(/secure-repo/);
    expect(readLog(log)).toContain('legacy-pre-commit');

    // secure-repo:allow on the line lets a known false positive through
    const allowed = commitFile(r, 'fixture.go', `package main\n\nconst fixture = "${token()}" // secure-repo:allow\n`);
    expect(allowed.code, allowed.stderr).toBe(0);

    // a secret committed (hooks bypassed) and then deleted is still blocked at push, and never reaches the remote
    const remote = bareRemote(r);
    expect(commitFile(r, 'leak.go', `package main\n\nconst t = "${token()}"\n`, { SECURE_REPO_SKIP: '1' }).code).toBe(
      0,
    );
    r.git('rm', '-q', 'leak.go');
    expect(gitRun(r, ['commit', '-qm', 'remove the token']).code).toBe(0);
    const push = gitRun(r, ['push', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/push blocked/);
    expect(push.stderr).toMatch(/rebase -i/);
    expect(remoteRefs(r, remote)).toBe('');

    // uninstall: our files go, core.hooksPath goes, the old hook still runs
    const un = tool(r, ['uninstall']);
    expect(un.code, un.stderr).toBe(0);
    expect(gitRun(r, ['config', 'core.hooksPath']).stdout).toBe('');
    expect(existsSync(path.join(r.dir, '.githooks'))).toBe(false);
    rmSync(log, { force: true });
    expect(commitFile(r, 'after.go', 'package main\n').code).toBe(0);
    expect(readLog(log)).toContain('legacy-pre-commit');
  });

  it('still blocks from a GUI-like client with no node on PATH, and doctor reports everything working', () => {
    const r = repo({ 'app.py': 'print("hi")\n' });
    expect(tool(r, ['hook', 'install']).code).toBe(0);
    const doctor = tool(r, ['doctor']);
    expect(doctor.stdout).toMatch(/✓ self-test/);
    expect(doctor.code, doctor.stdout).toBe(0);
    r.write({ 'settings.py': `TOKEN = "${token()}"\n` });
    r.git('add', 'settings.py');
    const before = head(r);
    // `env -i PATH=/usr/bin:/bin`, then a PATH with git but no node at all (node from the recorded path)
    for (const PATH of ['/usr/bin:/bin', pathWithoutNode(path.join(r.home, 'bin'))]) {
      const env = [
        'PATH=' + PATH,
        'HOME=' + r.home,
        'GIT_CONFIG_GLOBAL=' + r.env.GIT_CONFIG_GLOBAL,
        'GIT_CONFIG_NOSYSTEM=1',
      ];
      const res = spawnSync('/usr/bin/env', ['-i', ...env, 'git', 'commit', '-m', 'from a GUI'], {
        cwd: r.dir,
        encoding: 'utf8',
      });
      expect(res.status).not.toBe(0);
      expect(res.stderr).toMatch(/settings\.py/);
      expect(res.stderr).toMatch(/commit blocked/);
      expect(head(r)).toBe(before);
    }
  });
});

describe('the bundled hook entry in the installed tarball', () => {
  it('ships, and is what the installed hooks run (one module of ours, no command table)', () => {
    const r = repo({ 'app.py': 'print("hi")\n' });
    const installed = path.resolve(path.dirname(packedTool().cli), '..');
    expect(existsSync(path.join(installed, 'dist', 'hook', 'hook.cjs'))).toBe(true);
    expect(tool(r, ['hook', 'install', '--hooks', 'git']).code).toBe(0);
    r.write({ 'app.py': `TOKEN = "${token()}"\n` });
    r.git('add', 'app.py');
    const trace = path.join(r.home, 'trace.txt');
    const register = path.join(PROJECT, 'test', 'support', 'trace-register.mjs');
    // the hook runner starts node with NODE_OPTIONS in force, so the tracer sees what the real commit loads
    const res = gitRun(r, ['commit', '-qm', 'x'], { env: { TRACE_FILE: trace, NODE_OPTIONS: `--import=${register}` } });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/commit blocked/);
    const ours = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((u) => u.includes('/create-secure-repo/dist/'));
    expect(ours).toEqual([pathToFileURL(path.join(installed, 'dist', 'hook', 'hook.cjs')).href]);
    // the runner starts the hooks' own entry, not the CLI
    const bins = new Set(
      readFileSync(trace, 'utf8')
        .split('\n')
        .filter((u) => u.includes('/create-secure-repo/bin/')),
    );
    expect([...bins]).toEqual([pathToFileURL(path.join(installed, 'bin', 'hook.cjs')).href]);
  });
});

describe('init', () => {
  it('installs the hooks as part of init; the old hook runs after init and after uninstall', () => {
    const r = repo({ 'go.mod': 'module example.com/svc\n', 'main.go': 'package main\n\nfunc main() {}\n' });
    const log = path.join(r.home, 'legacy.log');
    writeLoggingHook(path.join(r.dir, '.git/hooks/pre-commit'), 'legacy-pre-commit', log);
    const init = tool(r, ['init', '--yes', '--no-github', '--stages', 'code', '--package-spec', packedTool().tarball]);
    expect(init.code, init.stderr).toBe(0);
    r.git('add', '-A');
    const first = gitRun(r, ['commit', '-qm', 'set up secure-repo']);
    expect(first.code, first.stderr).toBe(0);
    expect(readLog(log)).toContain('legacy-pre-commit');
    const before = head(r);
    expect(commitFile(r, 'creds.go', `package main\n\nvar key = "${token()}"\n`).code).not.toBe(0);
    expect(head(r)).toBe(before);
    r.git('reset', '-q', 'HEAD', 'creds.go');
    rmSync(path.join(r.dir, 'creds.go'));
    const added = r.git('show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean);
    const un = tool(r, ['uninstall']);
    expect(un.code, un.stderr).toBe(0);
    // everything init added is gone except the user's choices in .secure-repo.yml and the reviewed baseline
    expect(added.filter((f) => existsSync(path.join(r.dir, f)))).toEqual(
      ['.secure-repo.yml', '.secure-repo/baseline.json'].filter((f) => added.includes(f)),
    );
    expect(gitRun(r, ['config', 'core.hooksPath']).stdout).toBe('');
    rmSync(log);
    expect(commitFile(r, 'more.go', 'package main\n').code).toBe(0);
    expect(readLog(log)).toContain('legacy-pre-commit');
  });
});

describe('husky (a Node project)', () => {
  it('installs husky and the tarball, blocks tokens, keeps the existing husky hook, and uninstalls cleanly', () => {
    const pkg =
      '{\n  "name": "web-app",\n  "version": "1.0.0",\n  "private": true,\n  "devDependencies": {\n    "husky": "9.1.7"\n  },\n  "scripts": {\n    "prepare": "husky"\n  }\n}\n';
    const log = 'husky.log';
    const userHook = `echo "their-husky-hook" >> ${log}\n`;
    const r = repo({
      'package.json': pkg,
      '.husky/pre-commit': userHook,
      'index.js': 'console.log(1)\n',
      '.gitignore': `node_modules/\n${log}\n`,
    });
    // a hook in .git/hooks that husky's core.hooksPath would silence
    const legacyLog = path.join(r.home, 'legacy.log');
    writeLoggingHook(path.join(r.dir, '.git/hooks/commit-msg'), 'legacy-commit-msg', legacyLog);
    const install = tool(r, ['hook', 'install', '--package-spec', packedTool().tarball]);
    expect(install.code, install.stderr).toBe(0);
    // husky activated by the prepare step of the install the tool ran; the CLI comes from node_modules, not npx
    expect(r.git('config', 'core.hooksPath')).toBe('.husky/_');
    expect(gitRun(r, ['config', 'secure-repo.cli']).stdout).toBe('');
    expect(existsSync(path.join(r.dir, 'node_modules/create-secure-repo/bin/secure-repo.js'))).toBe(true);
    r.git('add', '-A');
    expect(gitRun(r, ['commit', '-qm', 'add secure-repo']).code).toBe(0);
    expect(readFileSync(path.join(r.dir, log), 'utf8')).toContain('their-husky-hook');
    expect(readLog(legacyLog)).toContain('legacy-commit-msg');

    const clean = commitFile(r, 'src/sum.js', 'export const sum = (a, b) => a + b;\n');
    expect(clean.code, clean.stderr).toBe(0);
    const before = head(r);
    const leak = commitFile(r, 'src/config.js', `export const token = '${token()}';\n`);
    expect(leak.code).not.toBe(0);
    expect(leak.stderr).toMatch(/commit blocked/);
    expect(leak.stderr).toContain('src/config.js');
    expect(head(r)).toBe(before);
    r.git('reset', '-q', 'HEAD', 'src/config.js');
    rmSync(path.join(r.dir, 'src/config.js'));

    const un = tool(r, ['uninstall']);
    expect(un.code, un.stderr).toBe(0);
    expect(readFileSync(path.join(r.dir, '.husky/pre-commit'), 'utf8')).toBe(userHook);
    expect(readFileSync(path.join(r.dir, 'package.json'), 'utf8')).toBe(pkg);
    rmSync(path.join(r.dir, log));
    expect(commitFile(r, 'b.js', 'console.log(2)\n').code).toBe(0);
    expect(readFileSync(path.join(r.dir, log), 'utf8')).toContain('their-husky-hook');
  });
});

describe('pre-commit framework', () => {
  it('writes the repo: local entries; run as the framework runs them they block a staged token and pushed history', () => {
    // The team's hooks are `repo: local`: a remote repository would have to be cloned (no network here), and the
    // framework sets up every hook before running any.
    const config =
      '# team hooks\nrepos:\n  - repo: local\n    hooks:\n      - id: team-check\n        name: team check\n        entry: "true"\n        language: system\n        pass_filenames: false\n';
    const r = repo({ '.pre-commit-config.yaml': config, 'app.py': 'print(1)\n' });
    r.env = { ...r.env, PRE_COMMIT_HOME: path.join(r.home, 'pre-commit-cache') };
    const install = tool(r, ['hook', 'install']);
    expect(install.code, install.stderr).toBe(0);
    // where the framework is installed, the self-test commits through it
    expect(install.stderr).toContain(preCommitBin ? 'Self-test passed' : "Run your package manager's install");
    const merged = readFileSync(path.join(r.dir, '.pre-commit-config.yaml'), 'utf8');
    expect(merged.startsWith(config)).toBe(true);
    const entry = /entry: (sh \S+ --managed pre-commit)/.exec(merged)![1]!.split(' ');
    const pushEntry = /entry: (sh \S+ --managed pre-push)/.exec(merged)![1]!.split(' ');
    // the framework runs `entry` (pass_filenames: false) from the repository root
    const run = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync(argv[0]!, argv.slice(1), { cwd: r.dir, env: { ...r.env, ...env }, encoding: 'utf8', input: '' });
    expect(run(entry).status).toBe(0);
    r.write({ 'secrets.py': `KEY = "${token()}"\n` });
    r.git('add', 'secrets.py');
    const blocked = run(entry);
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain('secrets.py');
    // pre-push: the framework gives no stdin, only PRE_COMMIT_* variables
    r.git('commit', '-qm', 'leak', '--no-verify');
    const base = r.git('rev-parse', 'HEAD~1');
    const push = run(pushEntry, {
      PRE_COMMIT_FROM_REF: base,
      PRE_COMMIT_TO_REF: head(r),
      PRE_COMMIT_REMOTE_NAME: 'origin',
      PRE_COMMIT_LOCAL_BRANCH: 'refs/heads/main',
      PRE_COMMIT_REMOTE_BRANCH: 'refs/heads/main',
    });
    expect(push.status).toBe(1);
    expect(push.stderr).toMatch(/push blocked/);
    expect(tool(r, ['uninstall']).code).toBe(0);
    expect(readFileSync(path.join(r.dir, '.pre-commit-config.yaml'), 'utf8')).toBe(config);
  });
});

// The real framework (Debian's pre-commit, installed by .ci/run). Only `repo: local` hooks: no network needed.
const preCommitBin = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!preCommitBin)('pre-commit framework (the real binary)', () => {
  it('runs our entries on real commits and pushes next to the team hooks, and uninstall gives the config back', () => {
    const config = [
      '# team hooks: keep this comment',
      'repos:',
      '  - repo: local',
      '    hooks:',
      '      - id: team-check',
      '        name: team check',
      '        entry: sh -c "echo team-check >> team.log"',
      '        language: system',
      '        pass_filenames: false',
      '',
    ].join('\n');
    const r = repo({ '.pre-commit-config.yaml': config, '.gitignore': 'team.log\n', 'app.py': 'print(1)\n' });
    r.env = { ...r.env, PRE_COMMIT_HOME: path.join(r.home, 'pre-commit-cache') };
    expect(tool(r, ['hook', 'install']).code).toBe(0);
    const act = spawnSync('pre-commit', ['install'], { cwd: r.dir, env: r.env, encoding: 'utf8' });
    expect(act.status, act.stderr + act.stdout).toBe(0);
    expect(existsSync(path.join(r.dir, '.git/hooks/pre-push'))).toBe(true); // default_install_hook_types gained pre-push
    r.git('add', '-A');
    const setup = gitRun(r, ['commit', '-qm', 'add secure-repo']);
    expect(setup.code, setup.stderr + setup.stdout).toBe(0);
    expect(readFileSync(path.join(r.dir, 'team.log'), 'utf8')).toContain('team-check');

    const before = head(r);
    const blocked = commitFile(r, 'settings.py', `TOKEN = "${token()}"\n`);
    expect(blocked.code, blocked.stdout + blocked.stderr).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toMatch(/settings\.py/);
    expect(head(r)).toBe(before);
    r.git('reset', '-q', 'HEAD', 'settings.py');
    rmSync(path.join(r.dir, 'settings.py'));

    // A secret committed past the hook and then deleted is still in history: the push is refused.
    const remote = bareRemote(r);
    r.write({ 'leak.py': `KEY = "${token()}"\n` });
    r.git('add', 'leak.py');
    r.git('commit', '-qm', 'leak', '--no-verify');
    r.git('rm', '-q', 'leak.py');
    r.git('commit', '-qm', 'remove leak', '--no-verify');
    const push = gitRun(r, ['push', '-q', 'origin', 'main'], { env: { SECURE_REPO_SKIP: 'signing' } });
    expect(push.code).not.toBe(0);
    expect(push.stdout + push.stderr).toMatch(/push blocked/);
    expect(remoteRefs(r, remote)).toBe('');

    expect(tool(r, ['uninstall']).code).toBe(0);
    expect(readFileSync(path.join(r.dir, '.pre-commit-config.yaml'), 'utf8')).toBe(config);
  });
});

describe.skipIf(!preCommitBin)('pre-commit framework: a team hook it cannot fetch', () => {
  it('installs, and claims no self-test result when the framework cannot set up the other hooks', () => {
    // A repository that does not exist stands for one out of reach (no network): the framework fails to clone it.
    const r = repo({ 'app.py': 'print(1)\n' });
    const missing = pathToFileURL(path.join(r.home, 'no-such-hooks-repo')).href;
    const config = `repos:\n  - repo: ${missing}\n    rev: v1.0.0\n    hooks:\n      - id: check-yaml\n`;
    r.write({ '.pre-commit-config.yaml': config });
    r.git('add', '-A');
    r.git('commit', '-qm', 'team hooks');
    r.env = { ...r.env, PRE_COMMIT_HOME: path.join(r.home, 'pre-commit-cache') };
    const install = tool(r, ['hook', 'install']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).not.toContain('Self-test passed');
    expect(install.stderr).toContain("Run your package manager's install, then `secure-repo doctor`");
    expect(readFileSync(path.join(r.dir, '.pre-commit-config.yaml'), 'utf8').startsWith(config)).toBe(true);
  });
});

describe('lefthook (the real binary)', () => {
  it('adds its commands; lefthook runs them on commit and push', () => {
    const config = 'pre-commit:\n  commands:\n    hello:\n      run: echo lefthook-user-command >> lefthook.log\n';
    const r = repo({ 'lefthook.yml': config, '.gitignore': 'lefthook.log\n', 'main.rb': 'puts 1\n' });
    expect(tool(r, ['hook', 'install']).code).toBe(0);
    const lefthook = path.join(packedTool().bin, 'lefthook');
    const act = spawnSync(lefthook, ['install'], { cwd: r.dir, env: r.env, encoding: 'utf8' });
    expect(act.status, act.stderr + act.stdout).toBe(0);
    r.git('add', '-A');
    const first = gitRun(r, ['commit', '-qm', 'add secure-repo']);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    // their command ran exactly once: our runner does not re-enter lefthook's own hook
    expect(readFileSync(path.join(r.dir, 'lefthook.log'), 'utf8')).toBe('lefthook-user-command\n');

    const before = head(r);
    const leak = commitFile(r, 'secrets.rb', `TOKEN = "${token()}"\n`);
    expect(leak.code).not.toBe(0);
    expect(head(r)).toBe(before);

    const remote = bareRemote(r);
    r.git('commit', '-qm', 'leak', '--no-verify');
    r.git('rm', '-q', 'secrets.rb');
    r.git('commit', '-qm', 'remove it', '--no-verify');
    const push = gitRun(r, ['push', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expect(remoteRefs(r, remote)).toBe('');
  });
});
