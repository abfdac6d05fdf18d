import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempRepo, type TempRepo } from '../support/repo.js';
import { gitRun } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repoWithKey(withKey = true): TempRepo {
  const r = tempRepo();
  repos.push(r);
  if (withKey) {
    mkdirSync(path.join(r.home, '.ssh'), { mode: 0o700 });
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'test@example.com',
      '-f',
      path.join(r.home, '.ssh', 'id_ed25519'),
    ]);
  }
  r.write({ 'README.md': '# x\n' });
  r.git('add', '.');
  r.git('commit', '-qm', 'unsigned initial');
  return r;
}

const globalConfig = (r: TempRepo) => readFileSync(r.env.GIT_CONFIG_GLOBAL!, 'utf8');

describe('secure-repo signing', () => {
  it('asks first: without a terminal and without --yes it changes nothing', () => {
    const r = repoWithKey();
    const before = globalConfig(r);
    const res = runCli(['signing'], { cwd: r.dir, env: r.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('gpg.format = ssh');
    expect(res.stderr).toMatch(/--yes/);
    expect(globalConfig(r)).toBe(before);
    expect(runCli(['signing', '--dry-run'], { cwd: r.dir, env: r.env }).code).toBe(0);
    expect(globalConfig(r)).toBe(before);
  });

  it('with --yes sets up SSH signing with the existing key, and commits are then signed and verifiable', () => {
    const r = repoWithKey();
    const res = runCli(['signing', '--yes'], { cwd: r.dir, env: r.env });
    expect(res.code, res.stderr).toBe(0);
    const pub = path.join(r.home, '.ssh', 'id_ed25519.pub');
    expect(r.git('config', '--global', 'gpg.format')).toBe('ssh');
    expect(r.git('config', '--global', 'user.signingkey')).toBe(pub);
    expect(r.git('config', '--global', 'commit.gpgsign')).toBe('true');
    const signers = readFileSync(r.git('config', '--global', 'gpg.ssh.allowedSignersFile'), 'utf8');
    expect(signers).toContain(
      `test@example.com namespaces="git" ${readFileSync(pub, 'utf8').split(' ').slice(0, 2).join(' ')}`,
    );
    r.write({ 'a.txt': 'a\n' });
    r.git('add', 'a.txt');
    r.git('commit', '-qm', 'signed');
    expect(r.git('cat-file', 'commit', 'HEAD')).toMatch(/^gpgsig -----BEGIN SSH SIGNATURE-----/m);
    expect(gitRun(r, ['verify-commit', 'HEAD']).code).toBe(0);
    // a second run has nothing left to do
    const again = runCli(['signing'], { cwd: r.dir, env: r.env });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already set up/);
  });

  it('creates a key when there is none', () => {
    const r = repoWithKey(false);
    const res = runCli(['signing', '--yes'], { cwd: r.dir, env: r.env });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(path.join(r.home, '.ssh', 'id_ed25519_signing.pub'))).toBe(true);
    r.write({ 'b.txt': 'b\n' });
    r.git('add', 'b.txt');
    r.git('commit', '-qm', 'signed');
    expect(gitRun(r, ['verify-commit', 'HEAD']).code).toBe(0);
  });
});

describe('pre-push signature check', () => {
  it('blocks a push with unsigned commits when the policy requires signatures, and explains the fix', () => {
    const r = repoWithKey();
    r.write({
      '.secure-repo.yml':
        'version: 1\nhooks:\n  prePush:\n    secrets: false\n    sast: false\n    requireSignedCommits: true\n',
    });
    r.git('add', '.secure-repo.yml');
    r.git('commit', '-qm', 'policy');
    const sha = r.git('rev-parse', 'HEAD');
    const line = `refs/heads/main ${sha} refs/heads/main ${'0'.repeat(40)}\n`;
    const blocked = runCli(['hook', 'pre-push', 'origin', 'git@example.com:o/r.git'], {
      cwd: r.dir,
      env: r.env,
      input: line,
    });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/2 commits are not signed/);
    expect(blocked.stderr).toContain(sha.slice(0, 12));
    expect(blocked.stderr).toMatch(/secure-repo signing/);
    expect(
      runCli(['hook', 'pre-push', 'origin', 'x'], {
        cwd: r.dir,
        env: { ...r.env, SECURE_REPO_SKIP: 'signing' },
        input: line,
      }).code,
    ).toBe(0);

    // sign them all, and the same push passes
    expect(runCli(['signing', '--yes', '--local'], { cwd: r.dir, env: r.env }).code).toBe(0);
    execFileSync('git', ['rebase', '-q', '--root', '--exec', 'git commit -q --amend --no-edit -S'], {
      cwd: r.dir,
      env: r.env,
      stdio: 'pipe',
    });
    const signed = r.git('rev-parse', 'HEAD');
    const ok = runCli(['hook', 'pre-push', 'origin', 'x'], {
      cwd: r.dir,
      env: r.env,
      input: `refs/heads/main ${signed} refs/heads/main ${'0'.repeat(40)}\n`,
    });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('only warns for unsigned commits pushed to another branch (a squash merge can still land them)', () => {
    const r = repoWithKey();
    r.write({
      '.secure-repo.yml':
        'version: 1\nhooks:\n  prePush:\n    secrets: false\n    sast: false\n    requireSignedCommits: true\n',
    });
    r.git('add', '.secure-repo.yml');
    r.git('commit', '-qm', 'policy');
    const sha = r.git('rev-parse', 'HEAD');
    const feature = runCli(['hook', 'pre-push', 'origin', 'x'], {
      cwd: r.dir,
      env: r.env,
      input: `refs/heads/topic ${sha} refs/heads/topic ${'0'.repeat(40)}\n`,
    });
    expect(feature.code, feature.stderr).toBe(0);
    expect(feature.stderr).toMatch(/2 pushed commits are not signed\. main requires signed commits/);
    // A configured protected branch is the one that blocks.
    r.write({
      '.secure-repo.yml':
        'version: 1\nprotection:\n  branch: release\nhooks:\n  prePush:\n    secrets: false\n    sast: false\n    requireSignedCommits: true\n',
    });
    const toRelease = runCli(['hook', 'pre-push', 'origin', 'x'], {
      cwd: r.dir,
      env: r.env,
      input: `refs/heads/main ${sha} refs/heads/release ${'0'.repeat(40)}\n`,
    });
    expect(toRelease.code).toBe(1);
    expect(toRelease.stderr).toMatch(/release requires signed commits/);
  });
  it("protects the pushed remote's default branch, else origin's, before init.defaultBranch (a new remote has no HEAD)", () => {
    const r = repoWithKey(false);
    r.write({
      '.secure-repo.yml':
        'version: 1\nprotection:\n  branch: null\nhooks:\n  prePush:\n    secrets: false\n    sast: false\n    requireSignedCommits: true\n',
    });
    r.git('add', '.secure-repo.yml');
    r.git('commit', '-qm', 'policy');
    const sha = r.git('rev-parse', 'HEAD');
    // origin's HEAD says master (a clone of a project whose default is master); init.defaultBranch says main
    r.git('remote', 'add', 'origin', 'git@example.com:o/r.git');
    r.git('update-ref', 'refs/remotes/origin/master', sha);
    r.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/master');
    expect(r.git('config', 'init.defaultBranch')).toBe('main');
    r.git('remote', 'add', 'backup', 'git@example.com:o/backup.git');
    const push = (remote: string, ref: string) =>
      runCli(['hook', 'pre-push', remote, 'x'], {
        cwd: r.dir,
        env: r.env,
        input: `refs/heads/main ${sha} refs/heads/${ref} ${'0'.repeat(40)}\n`,
      });
    const toMaster = push('backup', 'master');
    expect(toMaster.code, toMaster.stderr).toBe(1);
    expect(toMaster.stderr).toMatch(/master requires signed commits/);
    const toMain = push('backup', 'main');
    expect(toMain.code, toMain.stderr).toBe(0);
    expect(toMain.stderr).toMatch(/master requires signed commits/);
    // the pushed remote's own HEAD comes first
    r.git('update-ref', 'refs/remotes/backup/trunk', `${sha}~1`); // the policy commit is not on it yet
    r.git('symbolic-ref', 'refs/remotes/backup/HEAD', 'refs/remotes/backup/trunk');
    const toTrunk = push('backup', 'trunk');
    expect(toTrunk.code).toBe(1);
    expect(toTrunk.stderr).toMatch(/trunk requires signed commits/);
    expect(push('backup', 'master').code).toBe(0);
  });
});
