import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { cli } from './helpers.js';
import { commitSelfTest } from '../../src/hooks/self-test.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** Every byte of the repository, .git included (objects, logs, refs, index, COMMIT_EDITMSG): nothing may change. */
function everything(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(root, child));
      if (st.isDirectory()) walk(child);
      else
        out[child] = `${st.mode.toString(8)} ${createHash('sha256')
          .update(readFileSync(path.join(root, child)))
          .digest('hex')}`;
    }
  };
  walk('');
  return out;
}

function repo(commit = true): TempRepo {
  const r = tempRepo();
  repos.push(r);
  r.write({ 'main.py': 'print(1)\n' });
  if (commit) {
    r.git('add', '.');
    r.git('commit', '-qm', 'initial');
  }
  return r;
}

function install(r: TempRepo): void {
  const res = cli(r, ['hook', 'install', '--no-install']);
  expect(res.code, res.stderr).toBe(0);
}

describe('the hook self-test: a real git commit of a staged token, without a trace', () => {
  it('passes when git runs our pre-commit hook, and changes no byte of the repository', async () => {
    const r = repo();
    install(r);
    r.write({ 'wip.txt': 'staged work\n', 'main.py': 'print(2)\n' });
    r.git('add', 'wip.txt');
    const before = everything(r.dir);
    const out = await commitSelfTest(r.dir, r.env);
    expect(out.status, out.detail).toBe('pass');
    expect(out.detail).toMatch(/git commit/);
    expect(everything(r.dir)).toEqual(before);
  });

  it('fails when git runs no hook (core.hooksPath unset): the commit it made stayed in the scratch git dir', async () => {
    const r = repo();
    install(r);
    r.git('config', '--unset', 'core.hooksPath');
    const head = r.git('rev-parse', 'HEAD');
    const before = everything(r.dir);
    const out = await commitSelfTest(r.dir, r.env);
    expect(out.status).toBe('fail');
    expect(out.detail).toMatch(/went through/);
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.git('reflog', '--format=%H')).toBe(head);
    expect(everything(r.dir)).toEqual(before);
  });

  it('fails when the hook runs but lets the token through (every path allowed)', async () => {
    const r = repo();
    install(r);
    r.write({ '.secure-repo.yml': 'version: 1\nscan:\n  allowPaths: ["**"]\n' });
    const before = everything(r.dir);
    const out = await commitSelfTest(r.dir, r.env);
    expect(out.status).toBe('fail');
    expect(everything(r.dir)).toEqual(before);
  });

  it('works in a repository without commits, and creates no branch there', async () => {
    const r = repo(false);
    install(r);
    const before = everything(r.dir);
    expect((await commitSelfTest(r.dir, r.env)).status).toBe('pass');
    r.git('config', '--unset', 'core.hooksPath');
    expect((await commitSelfTest(r.dir, r.env)).status).toBe('fail');
    r.git('config', 'core.hooksPath', '.githooks');
    expect(everything(r.dir)).toEqual(before);
    expect(r.git('for-each-ref')).toBe('');
  });
});
