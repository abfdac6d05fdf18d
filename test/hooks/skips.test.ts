import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeGitHubToken } from '../../src/hooks/fake-token.js';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { cli, gitRun } from './helpers.js';

/** Switches the mutation pass over src/hooks/run showed no test would notice removing. */
const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function installed(config?: string): TempRepo {
  const r = tempRepo();
  repos.push(r);
  r.write({ 'main.py': 'print(1)\n', ...(config ? { '.secure-repo.yml': config } : {}) });
  r.git('add', '.');
  r.git('commit', '-qm', 'initial');
  const res = cli(r, ['hook', 'install', '--no-install']);
  expect(res.code, res.stderr).toBe(0);
  return r;
}

const TOKEN_FILE = { 'deploy.env': `GITHUB_TOKEN="${fakeGitHubToken()}"\n` };
const EVAL_FILE = { 'handler.js': 'module.exports = (req) => eval(req.query.code);\n' };

describe('what turns a pre-commit check off, and only that', () => {
  it('SECURE_REPO_SKIP=1 given to the hook command itself (not only the runner) lets a staged token through', () => {
    const r = installed();
    r.write(TOKEN_FILE);
    r.git('add', 'deploy.env');
    expect(cli(r, ['hook', 'pre-commit']).code).toBe(1);
    expect(cli(r, ['hook', 'pre-commit'], { SECURE_REPO_SKIP: '1' }).code).toBe(0);
  });

  it('SECURE_REPO_SKIP=all, true and yes mean everything too', () => {
    const r = installed();
    r.write(TOKEN_FILE);
    r.git('add', 'deploy.env');
    for (const value of ['all', 'true', 'yes'])
      expect(cli(r, ['hook', 'pre-commit'], { SECURE_REPO_SKIP: value }).code, value).toBe(0);
  });

  it('SECURE_REPO_SKIP=secrets lets a staged token through and still blocks a SAST finding', () => {
    const r = installed();
    r.write(TOKEN_FILE);
    r.git('add', 'deploy.env');
    expect(cli(r, ['hook', 'pre-commit'], { SECURE_REPO_SKIP: 'secrets' }).code).toBe(0);
    r.write(EVAL_FILE);
    r.git('add', 'handler.js');
    const blocked = cli(r, ['hook', 'pre-commit'], { SECURE_REPO_SKIP: 'secrets' });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('js-eval-injection');
  });

  it('scan.sast.enabled: false turns SAST off in the hook; the same finding blocks with the default config', () => {
    const on = installed();
    on.write(EVAL_FILE);
    on.git('add', 'handler.js');
    expect(gitRun(on, ['commit', '-qm', 'eval']).code).not.toBe(0);
    const off = installed('version: 1\nscan:\n  sast:\n    enabled: false\n');
    off.write(EVAL_FILE);
    off.git('add', 'handler.js');
    const res = gitRun(off, ['commit', '-qm', 'eval']);
    expect(res.code, res.stderr).toBe(0);
  });
});

describe('what the pre-push hook scans', () => {
  function withSecretCommits(): { r: TempRepo; base: string; head: string } {
    const r = installed();
    const remote = path.join(r.home, 'remote.git');
    gitRun(r, ['init', '-q', '--bare', remote]);
    r.git('remote', 'add', 'origin', remote);
    expect(gitRun(r, ['push', '-q', 'origin', 'main']).code).toBe(0);
    const base = r.git('rev-parse', 'HEAD');
    // Added in one commit, removed in the next: the tip is clean, the history is not.
    r.write(TOKEN_FILE);
    r.git('add', 'deploy.env');
    r.git('commit', '-qm', 'add', '--no-verify');
    r.git('rm', '-q', 'deploy.env');
    r.git('commit', '-qm', 'remove', '--no-verify');
    return { r, base, head: r.git('rev-parse', 'HEAD') };
  }

  it('git push: a secret added and removed in the pushed commits blocks the push', () => {
    const { r } = withSecretCommits();
    const push = gitRun(r, ['push', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('deploy.env');
  });

  it('under the pre-commit framework (no stdin, PRE_COMMIT_* refs) the same commits are scanned', () => {
    const { r, base, head } = withSecretCommits();
    const env = {
      PRE_COMMIT_FROM_REF: base,
      PRE_COMMIT_TO_REF: head,
      PRE_COMMIT_LOCAL_BRANCH: 'refs/heads/main',
      PRE_COMMIT_REMOTE_BRANCH: 'refs/heads/main',
      PRE_COMMIT_REMOTE_NAME: 'origin',
    };
    const res = cli(r, ['hook', 'pre-push', 'origin', path.join(r.home, 'remote.git')], env);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('deploy.env');
  });
});

describe('pre-push tests', () => {
  it('a test command with hooks.prePush.tests off is not run', () => {
    const r = installed(
      'version: 1\nhooks:\n  prePush:\n    tests: false\n    testCommand: "echo tests-ran >&2; exit 4"\n',
    );
    const remote = path.join(r.home, 'remote.git');
    gitRun(r, ['init', '-q', '--bare', remote]);
    r.git('remote', 'add', 'origin', remote);
    const push = gitRun(r, ['push', 'origin', 'main']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).not.toContain('tests-ran');
  });
});
