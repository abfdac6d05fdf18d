import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { cli, pathWithoutNode } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

interface Report {
  ok: boolean;
  manager: string | null;
  checks: { id: string; area: string; status: string; target: string; message: string; fix?: string }[];
}

function doctor(r: TempRepo, env: NodeJS.ProcessEnv = {}): { code: number; report: Report } {
  const res = cli(r, ['doctor', '--json'], env);
  return { code: res.code, report: JSON.parse(res.stdout) as Report };
}

const status = (rep: Report, id: string) => rep.checks.find((c) => c.id === id)?.status;

function installed(): TempRepo {
  const r = tempRepo();
  repos.push(r);
  r.write({ 'main.py': 'print(1)\n' });
  r.git('add', '.');
  r.git('commit', '-qm', 'initial');
  const res = cli(r, ['hook', 'install', '--no-install']);
  expect(res.code, res.stderr).toBe(0);
  return r;
}

describe('secure-repo doctor', () => {
  it('passes when installed, active and runnable, including the self-test, and leaves the index alone', () => {
    const r = installed();
    r.write({ 'staged.txt': 'work in progress\n' });
    r.git('add', 'staged.txt');
    const objectsBefore = r.git('count-objects', '-v');
    const { code, report } = doctor(r);
    expect(r.git('count-objects', '-v')).toBe(objectsBefore); // the self-test wrote nothing into the repository
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['hook-config', 'pass'],
      ['hook-installed', 'pass'],
      ['hook-active', 'pass'],
      ['hook-runnable', 'pass'],
      ['hook-self-test', 'pass'],
      ['hook-chained', 'info'],
    ]);
    // One Check model: doctor's answers carry the area and target audit reports them under.
    expect(report.checks.every((c) => c.area === 'hooks')).toBe(true);
    expect(report.checks.find((c) => c.id === 'hook-config')?.target).toBe('.secure-repo.yml');
    expect(report.checks.find((c) => c.id === 'hook-active')?.target).toBe(`${report.manager} hooks`);
    expect(code).toBe(0);
    expect(r.git('diff', '--cached', '--name-only')).toBe('staged.txt');
  });

  it('hook install fails loudly when its self-test finds the hooks would not block a token', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({ '.secure-repo.yml': 'version: 1\nscan:\n  allowPaths: ["**"]\n' });
    const res = cli(r, ['hook', 'install', '--no-install']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /installed but do NOT work yet: a real `git commit` of a staged GitHub token went through/,
    );
  });

  it('reports hooks that are not installed', () => {
    const r = tempRepo();
    repos.push(r);
    const { code, report } = doctor(r);
    expect(code).toBe(1);
    expect(status(report, 'hook-installed')).toBe('fail');
    expect(report.checks.find((c) => c.id === 'hook-installed')?.fix).toMatch(/hook install/);
  });

  it('reports hooks that git does not run: core.hooksPath unset, or a hook without its exec bit', () => {
    const r = installed();
    r.git('config', '--unset', 'core.hooksPath');
    expect(status(doctor(r).report, 'hook-active')).toBe('fail');
    r.git('config', 'core.hooksPath', '.githooks');
    chmodSync(path.join(r.dir, '.githooks/pre-push'), 0o644);
    const { code, report } = doctor(r);
    expect(code).toBe(1);
    expect(report.checks.find((c) => c.id === 'hook-active')?.message).toMatch(/pre-push is not executable/);
  });

  it('reports a tool the hooks cannot find, as a GUI client would run them', () => {
    const r = installed();
    r.git('config', 'secure-repo.cli', path.join(r.home, 'nowhere.js'));
    const { code, report } = doctor(r, { PATH: pathWithoutNode(path.join(r.home, 'bin')) });
    expect(code).toBe(1);
    expect(status(report, 'hook-runnable')).toBe('fail');
  });

  it('reports a broken config and a missing signing set-up when the policy requires signatures', () => {
    const r = installed();
    r.write({ '.secure-repo.yml': 'version: 1\nhooks:\n  prePush:\n    requireSignedCommits: true\n' });
    const signed = doctor(r).report;
    expect(status(signed, 'hook-signing')).toBe('fail');
    r.write({ '.secure-repo.yml': 'version: [\n' });
    expect(status(doctor(r).report, 'hook-config')).toBe('fail');
  });
});
