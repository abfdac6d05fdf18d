import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { cli, gitRun } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function installed(config: string): TempRepo {
  const r = tempRepo();
  repos.push(r);
  r.write({ '.secure-repo.yml': config, 'main.py': 'print(1)\n' });
  r.git('add', '.');
  r.git('commit', '-qm', 'initial');
  const res = cli(r, ['hook', 'install', '--no-install']);
  expect(res.code, res.stderr).toBe(0);
  return r;
}

describe('configured checks', () => {
  it('pre-commit runs hooks.preCommit.run after the scan and blocks when one fails', () => {
    const r = installed('version: 1\nhooks:\n  preCommit:\n    run: ["echo fast-check-ran >&2", "exit 3"]\n');
    r.write({ 'a.py': 'x = 1\n' });
    r.git('add', 'a.py');
    const res = gitRun(r, ['commit', '-m', 'a']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('fast-check-ran');
    expect(res.stderr).toMatch(/commit blocked: the check `exit 3` failed \(exit 3\)/);
    expect(gitRun(r, ['commit', '-qm', 'a'], { env: { SECURE_REPO_SKIP: 'checks' } }).code).toBe(0);
  });

  it('pre-push runs the tests when enabled and blocks on failure', () => {
    const r = installed(
      'version: 1\nhooks:\n  prePush:\n    tests: true\n    testCommand: "echo tests-ran >&2; exit 4"\n',
    );
    const remote = path.join(r.home, 'remote.git');
    gitRun(r, ['init', '-q', '--bare', remote]);
    r.git('remote', 'add', 'origin', remote);
    const res = gitRun(r, ['push', 'origin', 'main']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('tests-ran');
    expect(res.stderr).toMatch(/push blocked: the tests .* failed \(exit 4\)/);
    expect(gitRun(r, ['ls-remote', remote]).stdout).toBe('');
    expect(gitRun(r, ['push', '-q', 'origin', 'main'], { env: { SECURE_REPO_SKIP: 'tests' } }).code).toBe(0);
  });

  it('is read-only: a partially staged file is left byte-identical in the work tree and the index', () => {
    const r = installed('version: 1\n');
    r.write({ 'part.py': 'a = 1\n' });
    r.git('add', 'part.py');
    r.write({ 'part.py': 'a = 1\nb = 2  # not staged\n' });
    const indexBefore = r.git('diff', '--cached');
    const res = gitRun(r, ['commit', '-qm', 'partial']);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(path.join(r.dir, 'part.py'), 'utf8')).toBe('a = 1\nb = 2  # not staged\n');
    expect(r.git('show', 'HEAD:part.py')).toBe('a = 1');
    expect(indexBefore).toContain('+a = 1');
    expect(r.git('diff')).toContain('+b = 2  # not staged');
  });
});
