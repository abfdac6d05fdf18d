import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempRepo, type TempRepo } from '../support/repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

describe('audit in CI', () => {
  it('does not judge per-clone hook state (the scheduled audit would drift every day); locally it does', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({ 'main.go': 'package main\n' });
    const findings = (env: NodeJS.ProcessEnv) => {
      const res = runCli(['audit', '--no-github', '--format', 'json'], { cwd: r.dir, env });
      return (JSON.parse(res.stdout) as { checks: { area: string; id: string; status: string }[] }).checks.filter(
        (f) => f.area === 'hooks',
      );
    };
    const ci = findings({ ...r.env, CI: 'true' });
    expect(ci).toEqual([expect.objectContaining({ id: 'hook-ci', status: 'info' })]);
    const local = findings({ ...r.env, CI: '' });
    expect(local).toContainEqual(expect.objectContaining({ id: 'hook-installed', status: 'fail' }));
  });
});
