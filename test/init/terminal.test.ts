import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, tempRepo, type TempRepo } from '../support/repo.js';

// `script` (util-linux) runs a command on a pseudo-terminal; with no terminal of its own to copy the size from, that
// terminal reports 0 columns, as an unsized `docker run -t` or some CI runners do.
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

describe('init on a terminal', () => {
  it.skipIf(!haveScript)(
    'finishes on a terminal that reports 0 columns (the spinners do not clear lines forever)',
    () => {
      const r = tempRepo();
      repos.push(r);
      r.write({ 'package.json': '{ "name": "app", "version": "1.0.0" }\n', 'index.js': 'module.exports = 1;\n' });
      r.git('add', '-A');
      r.git('commit', '-qm', 'initial');
      // not CI (isolatedEnv sets it): on a terminal, init is interactive and shows its spinners
      const { CI: _ci, ...env } = r.env;
      const res = spawnSync('script', ['-qfec', `node ${CLI} init --dry-run --yes`, '/dev/null'], {
        cwd: r.dir,
        env,
        encoding: 'utf8',
        input: '',
        timeout: 60_000,
      });
      expect(res.signal, 'init did not finish').toBeNull();
      expect(res.status, res.stdout.slice(-2000)).toBe(0);
      expect(res.stdout).toMatch(/create\s+\.secure-repo\.yml/);
      expect(res.stdout).toMatch(/dry run/i);
    },
  );
});
