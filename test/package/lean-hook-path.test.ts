import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireFreshBuild } from '../support/dist.js';
import { CLI, tempRepo, type TempRepo } from '../support/repo.js';

const register = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/trace-register.mjs');
const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** Every module URL a CLI invocation loads. */
function modulesLoadedBy(args: string[], r: TempRepo): string[] {
  requireFreshBuild();
  const trace = path.join(r.home, `trace-${args.join('-')}.txt`);
  spawnSync(process.execPath, ['--import', register, CLI, ...args], { cwd: r.dir, env: { ...r.env, TRACE_FILE: trace }, input: '', encoding: 'utf8' });
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

describe('the hook path stays lean', () => {
  const heavy = /node_modules\/(@inquirer|ora|@octokit|simple-git)\//;

  it.each([
    [['hook', 'pre-commit']],
    [['scan', '--staged']],
  ])('`secure-repo %s` never loads prompts, spinners or the GitHub client', (args) => {
    const r = tempRepo();
    repos.push(r);
    r.write({ 'a.txt': 'hello\n' });
    r.git('add', 'a.txt');
    const loaded = modulesLoadedBy(args, r);
    expect(loaded.some((u) => u.includes('/dist/cli/main.js'))).toBe(true);
    expect(loaded.filter((u) => heavy.test(u))).toEqual([]);
  });

  it('the tracer does see heavy modules when they load (so the check above can fail)', () => {
    const r = tempRepo();
    repos.push(r);
    r.git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
    const loaded = modulesLoadedBy(['init', '--dry-run', '--yes'], r);
    expect(loaded.some((u) => /node_modules\/@octokit\//.test(u))).toBe(true);
  });
});
