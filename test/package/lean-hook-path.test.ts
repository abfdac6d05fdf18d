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

let traces = 0;

/**
 * Every module URL a CLI invocation loads. `unbundled` runs `scan` from its modules instead of its bundle (which
 * holds the lazily loaded modules too, so only the modules show what loads when).
 */
function modulesLoadedBy(args: string[], r: TempRepo, unbundled = false): string[] {
  requireFreshBuild();
  const trace = path.join(r.home, `trace-${args.join('-')}-${++traces}.txt`);
  const scanMain = path.resolve(path.dirname(CLI), '..', 'dist', 'cli', 'scan-main.js');
  const entry = unbundled
    ? [
        '--input-type=module',
        '-e',
        `await (await import(${JSON.stringify(scanMain)})).runScanCommand(${JSON.stringify(args.slice(1))});`,
      ]
    : [CLI, ...args];
  spawnSync(process.execPath, ['--import', register, ...entry], {
    cwd: r.dir,
    env: { ...r.env, TRACE_FILE: trace },
    input: '',
    encoding: 'utf8',
  });
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

describe('the hook path stays lean', () => {
  const heavy = /node_modules\/(@inquirer|ora|@octokit|simple-git)\//;

  it('`secure-repo hook pre-commit` runs the bundle alone: not the command table, no prompts, spinners or GitHub client', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({ 'a.txt': 'hello\n' });
    r.git('add', 'a.txt');
    const loaded = modulesLoadedBy(['hook', 'pre-commit'], r);
    expect(loaded.some((u) => u.endsWith('/bin/hook.cjs'))).toBe(true);
    expect(loaded.some((u) => u.endsWith('/dist/hook/hook.cjs'))).toBe(true);
    // one module of ours: everything else on the hook path is inside the bundle
    expect(loaded.filter((u) => /\/dist\//.test(u) && !u.endsWith('/dist/hook/hook.cjs'))).toEqual([]);
    expect(loaded.filter((u) => heavy.test(u))).toEqual([]);
    // the worker pool serves tree scans: bundled, its import of worker_threads would load on every commit
    expect(loaded.filter((u) => u === 'node:worker_threads' || u.endsWith('/secrets/pool.js'))).toEqual([]);
  });

  it('`secure-repo scan --staged` runs its own bundle: not the command table, no prompts, spinners or GitHub client', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({ 'a.txt': 'hello\n' });
    r.git('add', 'a.txt');
    const loaded = modulesLoadedBy(['scan', '--staged'], r);
    expect(loaded.some((u) => u.endsWith('/dist/hook/scan.js'))).toBe(true);
    expect(loaded.filter((u) => /\/dist\//.test(u) && !u.endsWith('/dist/hook/scan.js'))).toEqual([]);
    expect(loaded.filter((u) => heavy.test(u))).toEqual([]);
  });

  it('with a config file, yaml loads on the first commit only (then the cached config), and ast-grep only for code a rule may match', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({
      '.secure-repo.yml': 'version: 1\nhooks:\n  preCommit:\n    sast: true\n',
      'src/util.js': 'export const add = (a, b) => a + b;\n',
    });
    r.git('add', '-A');
    const first = modulesLoadedBy(['hook', 'pre-commit'], r);
    expect(first.filter((u) => /node_modules\/yaml\//.test(u)).length).toBeGreaterThan(0);
    const second = modulesLoadedBy(['hook', 'pre-commit'], r);
    expect(second.filter((u) => /node_modules\/(yaml|@ast-grep)\//.test(u))).toEqual([]);
    r.write({
      'src/run.js': "import { exec } from 'node:child_process';\nexport const run = (req) => exec(req.query.cmd);\n",
    });
    r.git('add', '-A');
    const risky = modulesLoadedBy(['hook', 'pre-commit'], r);
    expect(risky.some((u) => /node_modules\/@ast-grep\/napi\//.test(u))).toBe(true);
  });

  it('the inline-script reader loads for a staged template only, and reports at the template line', () => {
    const r = tempRepo();
    repos.push(r);
    r.write({ 'src/run.js': 'export const run = (code) => eval(code);\n' });
    r.git('add', '-A');
    const inline = /\/dist\/scan\/sast\/inline-(scan|scripts)\.js$/;
    expect(modulesLoadedBy(['scan', '--staged'], r, true).filter((u) => inline.test(u))).toEqual([]);
    r.write({ 'views/page.ejs': '<h1><%= title %></h1>\n<script>\n  var q = location.hash;\n  eval(q);\n</script>\n' });
    r.git('add', '-A');
    expect(modulesLoadedBy(['scan', '--staged'], r, true).filter((u) => inline.test(u)).length).toBe(2);
    const res = spawnSync(process.execPath, [CLI, 'scan', '--staged', '--sast-only', '--format', 'json'], {
      cwd: r.dir,
      env: r.env,
      encoding: 'utf8',
    });
    const { findings } = JSON.parse(res.stdout) as {
      findings: { rule: string; file: string; line: number; column: number }[];
    };
    expect(findings.filter((f) => f.file === 'views/page.ejs').map((f) => `${f.rule} ${f.line}:${f.column}`)).toEqual([
      'js-eval-dynamic 4:3',
      'js-eval-injection 4:3',
    ]);
  });

  it('the tracer does see heavy modules when they load (so the checks above can fail)', () => {
    const r = tempRepo();
    repos.push(r);
    r.git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
    const loaded = modulesLoadedBy(['init', '--dry-run', '--yes'], r);
    expect(loaded.some((u) => /node_modules\/@octokit\//.test(u))).toBe(true);
  });
});
