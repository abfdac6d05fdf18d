import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CLI, tempRepo, type TempRepo } from '../support/repo.js';
import { cli, FAKE_CLI, gitRun, headSha, pathWithoutNode, readLog, writeLoggingHook } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** A repository with one commit, plain hooks installed, and the recorded CLI pointed at the fake tool. */
function setup(opts: { legacy?: string[]; hooksPath?: string } = {}) {
  const r = tempRepo();
  repos.push(r);
  const log = path.join(r.home, 'hooks.log');
  r.write({ 'README.md': '# demo\n' });
  r.git('add', '.');
  r.git('commit', '-qm', 'initial');
  for (const name of opts.legacy ?? []) {
    const dir = opts.hooksPath ? path.join(r.dir, opts.hooksPath) : path.join(r.dir, '.git', 'hooks');
    writeLoggingHook(path.join(dir, name), `legacy-${name}`, log);
  }
  if (opts.hooksPath) r.git('config', 'core.hooksPath', opts.hooksPath);
  const install = cli(r, ['hook', 'install', '--hooks', 'git', '--no-install']);
  expect(install.code, install.stderr).toBe(0);
  r.git('config', 'secure-repo.cli', FAKE_CLI);
  return { r, log, env: { FAKE_LOG: log } };
}

function commit(r: TempRepo, env: NodeJS.ProcessEnv, file: string, content: string) {
  r.write({ [file]: content });
  r.git('add', file);
  return gitRun(r, ['commit', '-m', `add ${file}`], { env });
}

describe('plain git hooks: the runner', () => {
  it('runs the tool, then the .git/hooks scripts that core.hooksPath would otherwise silence', () => {
    const { r, log, env } = setup({ legacy: ['pre-commit', 'commit-msg'] });
    expect(r.git('config', 'core.hooksPath')).toBe('.githooks');
    const res = commit(r, env, 'a.txt', 'fine\n');
    expect(res.code, res.stderr).toBe(0);
    const lines = readLog(log).trim().split('\n');
    expect(lines[0]).toBe('tool hook pre-commit ');
    expect(lines[1]).toMatch(/^legacy-pre-commit/);
    expect(lines.some((l) => l.startsWith('legacy-commit-msg .git/COMMIT_EDITMSG'))).toBe(true);
  });

  it('blocks when the tool reports findings: HEAD does not move and the old hook does not run', () => {
    const { r, log, env } = setup({ legacy: ['pre-commit'] });
    const before = headSha(r);
    const res = commit(r, env, 'b.txt', 'BLOCK-ME\n');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('fake finding');
    expect(headSha(r)).toBe(before);
    expect(readLog(log)).not.toContain('legacy-pre-commit');
  });

  it('fails closed when the tool cannot be found, and says how to repair and how to bypass', () => {
    const { r, env } = setup();
    r.git('config', 'secure-repo.cli', path.join(r.home, 'gone', 'secure-repo.js'));
    const before = headSha(r);
    const res = commit(r, { ...env, PATH: pathWithoutNode(path.join(r.home, 'bin')) }, 'c.txt', 'fine\n');
    expect(res.code).not.toBe(0);
    expect(headSha(r)).toBe(before);
    expect(res.stderr).toMatch(/secure-repo tool was not found/);
    expect(res.stderr).toMatch(/hook install/);
    expect(res.stderr).toMatch(/--no-verify/);
  });

  it('fails closed when the tool starts but cannot run its check (exit 2)', () => {
    const { r, env } = setup();
    const before = headSha(r);
    const res = commit(r, { ...env, FAKE_EXIT: '2' }, 'd.txt', 'fine\n');
    expect(res.code).not.toBe(0);
    expect(headSha(r)).toBe(before);
    expect(res.stderr).toMatch(/could not run \(exit 2\)/);
  });

  it('fails closed on a broken .secure-repo.yml, naming the file and line (the real CLI)', () => {
    const { r } = setup();
    r.git('config', 'secure-repo.cli', CLI); // this package's own CLI, not the stand-in
    r.write({ '.secure-repo.yml': 'version: 1\nhooks:\n  preCommit: [oops\n' });
    const before = headSha(r);
    const res = commit(r, {}, 'h.txt', 'fine\n');
    expect(res.code).not.toBe(0);
    expect(headSha(r)).toBe(before);
    expect(res.stderr).toMatch(/\.secure-repo\.yml:\d+/);
    expect(res.stderr).toMatch(/could not run \(exit 2\), so the commit was stopped/);
  });

  it('finds the tool from a GUI-like environment with no node on PATH (recorded node + CLI)', () => {
    const { r, log } = setup();
    const bin = pathWithoutNode(path.join(r.home, 'bin'));
    r.write({ 'e.txt': 'fine\n' });
    r.git('add', 'e.txt');
    const env = {
      PATH: bin,
      HOME: r.home,
      GIT_CONFIG_GLOBAL: r.env.GIT_CONFIG_GLOBAL!,
      GIT_CONFIG_NOSYSTEM: '1',
      FAKE_LOG: log,
    };
    const res = gitRunClean(r, ['commit', '-m', 'from a GUI'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(readLog(log)).toContain('tool hook pre-commit');
  });

  it('SECURE_REPO_SKIP=1 skips our check, says so, and still runs the old hooks', () => {
    const { r, log, env } = setup({ legacy: ['pre-commit'] });
    const res = commit(r, { ...env, SECURE_REPO_SKIP: '1' }, 'f.txt', 'BLOCK-ME\n');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/skipped \(SECURE_REPO_SKIP=1\); CI will scan/);
    expect(readLog(log)).not.toContain('tool hook');
    expect(readLog(log)).toContain('legacy-pre-commit');
  });

  it("pre-push: the tool and the old pre-push hook both get the remote, url and git's ref lines", () => {
    const { r, log, env } = setup({ legacy: ['pre-push'] });
    const remote = path.join(r.home, 'remote.git');
    gitRun(r, ['init', '-q', '--bare', remote]);
    r.git('remote', 'add', 'origin', remote);
    const res = gitRun(r, ['push', '-q', 'origin', 'main'], { env });
    expect(res.code, res.stderr).toBe(0);
    const text = readLog(log);
    const sha = headSha(r);
    expect(text).toContain(`tool hook pre-push origin ${remote}`);
    expect(text).toContain(`tool-stdin refs/heads/main ${sha} refs/heads/main ${'0'.repeat(40)}`);
    expect(text).toContain(`legacy-pre-push origin ${remote}`);
    expect(text).toContain(`legacy-pre-push-stdin refs/heads/main ${sha}`);
  });

  it('keeps a local core.hooksPath running and restores it on uninstall', () => {
    const { r, log, env } = setup({ legacy: ['pre-commit'], hooksPath: 'tools/hooks-outside' });
    // tools/hooks-outside is inside the work tree, so we add to that folder instead of replacing it.
    expect(r.git('config', 'core.hooksPath')).toBe('tools/hooks-outside');
    const hook = readFileSync(path.join(r.dir, 'tools/hooks-outside/pre-commit'), 'utf8');
    expect(hook).toContain('legacy-pre-commit');
    expect(hook).toMatch(/secure-repo\.sh" pre-commit/);
    const res = commit(r, env, 'g.txt', 'fine\n');
    expect(res.code, res.stderr).toBe(0);
    expect(readLog(log).match(/legacy-pre-commit/g)?.length).toBe(1);
    const un = cli(r, ['uninstall']);
    expect(un.code, un.stderr).toBe(0);
    expect(r.git('config', 'core.hooksPath')).toBe('tools/hooks-outside');
    expect(readFileSync(path.join(r.dir, 'tools/hooks-outside/pre-commit'), 'utf8')).toBe(
      `#!/bin/sh\necho "legacy-pre-commit $*" >> "${log}"\n`,
    );
    expect(existsSync(path.join(r.dir, 'tools/hooks-outside/secure-repo.sh'))).toBe(false);
  });

  it('chains a hooks folder outside the work tree, and uninstall puts core.hooksPath back', () => {
    const r = tempRepo();
    repos.push(r);
    const log = path.join(r.home, 'hooks.log');
    const outside = path.join(r.home, 'shared-hooks');
    writeLoggingHook(path.join(outside, 'pre-commit'), 'shared-pre-commit', log);
    r.git('config', 'core.hooksPath', outside);
    r.write({ 'README.md': '# demo\n' });
    r.git('add', '.');
    expect(cli(r, ['hook', 'install', '--hooks', 'git', '--no-install']).code).toBe(0);
    r.git('config', 'secure-repo.cli', FAKE_CLI);
    expect(r.git('config', 'core.hooksPath')).toBe('.githooks');
    const res = gitRun(r, ['commit', '-m', 'first'], { env: { FAKE_LOG: log } });
    expect(res.code, res.stderr).toBe(0);
    expect(readLog(log)).toMatch(/tool hook pre-commit[\s\S]*shared-pre-commit/);
    expect(cli(r, ['uninstall']).code).toBe(0);
    expect(r.git('config', 'core.hooksPath')).toBe(outside);
    expect(existsSync(path.join(r.dir, '.githooks'))).toBe(false);
    expect(gitRun(r, ['config', '--get-regexp', '^secure-repo\\.']).stdout).toBe('');
  });
});

/** git with exactly the given environment (no inherited PATH), as a GUI client would run it. */
function gitRunClean(r: TempRepo, args: string[], env: NodeJS.ProcessEnv) {
  const res = spawnSync('/usr/bin/env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'git', ...args], {
    cwd: r.dir,
    encoding: 'utf8',
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
